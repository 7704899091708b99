"""Stage 7: build the chapter drafts — incremental, parallel, isolated, reproducible, honest.

``build()`` validates the delivery first (an invalid delivery writes nothing), decides per
draft from content hashes whether it must be rebuilt (:mod:`lerenwerkt.buildstate`), runs
the rest through an executor (:mod:`lerenwerkt.engine`: warm kernels, one exporter per
worker), and writes each draft atomically.

The output folder (``--out``, default ``reports/``)::

    index.html                               landing page: every schooljaar, intern and openbaar
    <schooljaar>/index.html, manifest.json   intern edition (banner "INTERN — niet verspreiden")
    <schooljaar>/<scope>/<chapter>.html      intern drafts
    <schooljaar>/datakwaliteit.html          the delivery's data-quality page (intern only)
    openbaar/index.html                      the public editions, per schooljaar
    openbaar/<schooljaar>/<scope>/...        openbare drafts and the raadsmededelingen
    openbaar/<schooljaar>/index.html, manifest.json
    .mislukt/                                executed notebooks of failed drafts (0700)
    .lerenwerkt.lock                         the lock two builds into one folder share

Every finished draft updates its edition's manifest and the indexes at once, under a file
lock, so after any interruption they describe exactly what is on disk, and two builds into
one folder never lose each other's entries. A draft being replaced is first marked in the
manifest (``bezig``), so even a kill between the two renames is described truthfully.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import signal
import threading
import time
from collections.abc import Sequence
from concurrent.futures import CancelledError, Executor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from lerenwerkt import __version__, buildstate, codes, config
from lerenwerkt.io import atomic_write_text, file_mode

CHAPTER_TITLES = {
    "verzuim": "Schoolverzuim",
    "vrijstellingen": "Vrijstellingen en handhaving",
    "vsv": "Voortijdig schoolverlaten",
    "jikp": "Jongeren in een kwetsbare positie",
    "bijlagen": "Bijlagen",
    "raadsmededeling": "Raadsmededeling",
    "absoluut_verzuim": "Onderzoek absoluut verzuim",
}
#: Chapters that exist per gemeente only (a council memo has no regional version).
GEMEENTE_ONLY = {"raadsmededeling"}

CSS = """
<style>
body { font-family: "Segoe UI", Arial, sans-serif; color: #1a1a1a; }
h1 { color: #1b365d; margin-bottom: .2rem; }
p.lw-scope { color: #555; margin-top: 0; }
table.lw-tabel { border-collapse: collapse; margin: .4rem 0; font-size: .85rem; }
table.lw-tabel caption { caption-side: top; text-align: left; font-weight: 600; padding: .3rem 0; }
table.lw-tabel th, table.lw-tabel td { padding: .15rem .5rem; border-bottom: 1px solid #ddd; }
table.lw-tabel td { text-align: right; font-variant-numeric: tabular-nums; }
table.lw-tabel th { text-align: left !important; }
table.lw-tabel thead th { text-align: right !important; }
table.lw-tabel td.lw-totaal { font-weight: 600; border-top: 1px solid #888; }
table.lw-tabel td.lw-scope { background: #e8eef6; }
figure { margin: 1rem 0; }
figcaption.lw-titel { font-weight: 600; }
figcaption.lw-bron { font-size: .75rem; color: #555; }
figure.lw-figure img { max-width: 100%; }
nav.lw-toc { background: #f4f6f9; padding: .5rem 1rem; margin: 1rem 0; font-size: .9rem; }
nav.lw-toc ol { margin: .3rem 0 0 1rem; padding: 0; }
a.anchor-link { display: none; }
div.lw-intern { position: sticky; top: 0; z-index: 10; background: #b00020; color: #fff; border: 3px solid #b00020; font-weight: 700; font-size: 1.1rem; letter-spacing: .05em; text-align: center; padding: .35rem; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@media print { div.lw-intern { position: fixed; top: 0; left: 0; right: 0; background: #fff; color: #b00020; } body.lw-met-banner { padding-top: 2.6rem; } }
@media print { body { font-size: 10pt; } figure, table { page-break-inside: avoid; } a { color: inherit; } nav.lw-toc { display: none; } }
</style>
"""


def available_chapters(*, research: bool = False) -> list[str]:
    """Chapters with a notebook, in report order (research notebooks on request)."""
    from lerenwerkt.chapters import CHAPTERS, RESEARCH, notebook_path

    names = [*CHAPTERS, *(RESEARCH if research else ())]
    return [c for c in names if notebook_path(c).exists()]


@dataclass
class DraftResult:
    schooljaar: str
    gemeente: str | None
    chapter: str
    path: Path | None
    seconds: float
    status: str  # "gebouwd" | "overgeslagen" | "mislukt"
    error: str | None = None
    failed_notebook: Path | None = None

    @property
    def ok(self) -> bool:
        return self.status != "mislukt"


@dataclass
class BuildResult:
    drafts: list[DraftResult] = field(default_factory=list)
    index: Path | None = None
    manifest: Path | None = None
    seconds: float = 0.0
    pakket: object | None = None  # lerenwerkt.pakket.Pakketten: the public packages of this build

    @property
    def ok(self) -> bool:
        return all(d.ok for d in self.drafts) and not getattr(self.pakket, "fouten", None)

    def count(self, status: str) -> int:
        return sum(d.status == status for d in self.drafts)


#: The banner on every intern page; shows on screen and on every printed page.
INTERN_BANNER = '<div class="lw-intern" role="note">INTERN — niet verspreiden</div>'
INTERN_BANNER_TEXT = "INTERN — niet verspreiden"
LOCK_NAME = ".lerenwerkt.lock"
FAILED_DIR = ".mislukt"
OPENBAAR = "openbaar"


def edition_dir(out_dir: Path, schooljaar: str, publicatie: str = "intern") -> Path:
    """Where an edition lives: intern under ``<out>/<schooljaar>``, openbaar under
    ``<out>/openbaar/<schooljaar>`` — the two never share a folder."""
    return out_dir / OPENBAAR / schooljaar if publicatie == OPENBAAR else out_dir / schooljaar


def draft_path(out_dir: Path, schooljaar: str, gemeente: str | None, chapter: str, publicatie: str = "intern") -> Path:
    return edition_dir(out_dir, schooljaar, publicatie) / codes.slug(gemeente) / f"{chapter}.html"


def failed_path(out_dir: Path, schooljaar: str, gemeente: str | None, chapter: str, publicatie: str = "intern") -> Path:
    """The executed notebook of a failed draft: beside the output, in a folder only the owner
    can read (it may hold unsuppressed values), never inside an edition."""
    return out_dir / FAILED_DIR / publicatie / schooljaar / f"{codes.slug(gemeente)}-{chapter}.ipynb"


def _draft_id(gemeente: str | None, chapter: str) -> str:
    return f"{codes.slug(gemeente)}/{chapter}"


def _with_toc(body: str) -> str:
    """A table of contents of the draft's sections (h2), right after its title block."""
    import re

    titles, n = [], 0

    def anchor(m: re.Match) -> str:
        nonlocal n
        attrs, text = m.group(1), m.group(2)
        # the heading's text: nbconvert's anchor link writes its pilcrow as '&#182;' (an entity,
        # escaped again it showed in the contents); entities read once, then escaped once below
        plain = html.unescape(re.sub(r"<[^>]+>", "", text)).replace("¶", "").strip()
        if not plain:
            return m.group(0)
        n += 1
        ident = f"sectie-{n}"
        titles.append((ident, plain))
        attrs = re.sub(r'\sid="[^"]*"', "", attrs)
        return f'<h2{attrs} id="{ident}">{text}</h2>'

    body = re.sub(r"<h2([^>]*)>(.*?)</h2>", anchor, body, flags=re.S)
    if len(titles) < 2:
        return body
    items = "".join(f'<li><a href="#{i}">{html.escape(t)}</a></li>' for i, t in titles)
    toc = f'<nav class="lw-toc" aria-label="Inhoud"><strong>Inhoud</strong><ol>{items}</ol></nav>'
    m = re.search(r'<p class="lw-scope">.*?</p>', body, flags=re.S)
    return body[: m.end()] + toc + body[m.end() :] if m else body


def with_banner(page: str) -> str:
    """The intern banner as the first thing in the body (and a class for print spacing);
    a page that has it already is returned as it is."""
    if INTERN_BANNER in page:
        return page
    m = re.search(r"<body([^>]*)>", page)
    if not m:
        return INTERN_BANNER + page
    attrs = m.group(1)
    if 'class="' in attrs:
        attrs = attrs.replace('class="', 'class="lw-met-banner ', 1)
    else:
        attrs += ' class="lw-met-banner"'
    return page[: m.start()] + f"<body{attrs}>" + INTERN_BANNER + page[m.end() :]


def _stamp(body: str, inputs: dict, key: str) -> str:
    """House CSS and provenance (hashes, version, commit) at the top of the HTML head (so a
    build can read a draft's key from its first bytes); the banner on intern drafts."""
    meta = {
        "lerenwerkt-draft": key,
        "lerenwerkt-invoer-sha256": inputs["data"],
        "lerenwerkt-parameters": json.dumps(inputs["parameters"], sort_keys=True),
        "lerenwerkt-versie": __version__,
        "lerenwerkt-commit": buildstate.git_commit(),
    }
    tags = "".join(f'<meta name="{k}" content="{html.escape(v)}">\n' for k, v in meta.items())
    page = _with_toc(body).replace("</head>", CSS + "</head>", 1)
    page = re.sub(r"(<head[^>]*>\s*(?:<meta charset=[^>]*>)?)", lambda m: m.group(1) + "\n" + tags, page, count=1)
    return with_banner(page) if inputs["parameters"].get("publicatie") != OPENBAAR else page


def page_key(path: Path) -> str | None:
    """The key stamped into a draft (from its first bytes), or None."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return None
    m = re.search(r'<meta name="lerenwerkt-draft" content="([0-9a-f]{64})">', head)
    return m.group(1) if m else None


# --- the lock and the manifests -------------------------------------------------------------


@contextlib.contextmanager
def locked(out_dir: Path):
    """An exclusive lock on the output folder (a lock file beside the editions): every
    manifest and index update happens under it, so concurrent builds into one folder never
    lose each other's entries."""
    out_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(out_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, file_mode())
    try:
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        except ImportError:  # not POSIX: no lock (one build at a time)
            pass
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _manifest_path(out_dir: Path, schooljaar: str, publicatie: str) -> Path:
    return edition_dir(out_dir, schooljaar, publicatie) / "manifest.json"


def _read(out_dir: Path, schooljaar: str, publicatie: str) -> dict:
    m = buildstate.read_manifest(_manifest_path(out_dir, schooljaar, publicatie))
    m.setdefault("drafts", {})
    m.setdefault("mislukt", {})
    return m


def _write(out_dir: Path, schooljaar: str, publicatie: str, manifest: dict) -> None:
    manifest.update(schooljaar=schooljaar, publicatie=publicatie, lerenwerkt=__version__, commit=buildstate.git_commit())
    manifest["drafts"] = dict(sorted(manifest["drafts"].items()))
    manifest["mislukt"] = dict(sorted(manifest["mislukt"].items()))
    path = _manifest_path(out_dir, schooljaar, publicatie)
    _write_if_changed(path, json.dumps(manifest, indent=1, sort_keys=True) + "\n")


# --- build ----------------------------------------------------------------------------------


def build(
    *,
    schooljaar: str = config.DEFAULT_SCHOOLJAAR,
    gemeenten: Sequence[str | None] | None = None,
    chapters: Sequence[str] | None = None,
    data_dir: Path | str | None = None,
    out_dir: Path | str | None = None,
    jobs: int | None = None,
    force: bool = False,
    executor: Executor | None = None,
    cold: bool = False,
    publicatie: str = "intern",
    progress: bool = True,
    log=print,
    pakket: bool | None = None,
    sjablonen: dict | None = None,
    teksten_dir: Path | str | None = None,
    draft_limit: float | None = None,
) -> BuildResult:
    """Build the drafts; see the module docstring.

    ``jobs``: worker processes (default: the machine's cores); ``executor``: any
    ``concurrent.futures.Executor`` instead (e.g. a dask.distributed client's);
    ``force``: rebuild even what is up to date; ``cold``: fresh kernel per draft (papermill);
    ``publicatie``: ``intern`` (default, for analysts) or ``openbaar`` (small numbers
    suppressed; written under ``<out>/openbaar/``). A raadsmededeling is sent out and is
    always built ``openbaar``. Ctrl-C or SIGTERM stop the build within about a second
    (``KeyboardInterrupt``); what finished is kept and described.

    ``pakket``: also write the public package of every gemeente of the build
    (:mod:`lerenwerkt.pakket`: Word memo, lokaal katern, workbook, ``cells.csv``, zip; default:
    when the raadsmededeling is among the chapters); ``sjablonen``: Word templates
    (``{None: all, gemeente: its own}``); ``teksten_dir``: the editorial texts (default
    ``teksten/``). The package's parts are made while the drafts build.

    ``draft_limit``: seconds a draft may take (default ``$LERENWERKT_TIJDSLIMIET``, else
    :data:`lerenwerkt.engine.DRAFT_LIMIT`); a kernel that has not finished it by then (stopped,
    hung) is killed and the draft fails with a message naming it; the others go on.
    """
    if publicatie not in ("intern", OPENBAAR):  # (no disclosure import: a no-op stays light)
        raise ValueError(f"publicatie: {publicatie!r}; verwacht 'intern' of 'openbaar'")
    t_start = time.perf_counter()
    _check_schooljaar(schooljaar)
    data_dir = Path(data_dir).resolve() if data_dir else None
    out_dir = Path(out_dir) if out_dir else config.REPORTS_DIR
    _check_out(out_dir)
    gemeenten = [None, *codes.GEMEENTEN] if gemeenten is None else list(gemeenten)
    chapters = available_chapters() if chapters is None else list(chapters)
    known = available_chapters(research=True)
    unknown = [c for c in chapters if c not in known]
    if unknown:
        raise ValueError(f"chapter: onbekend hoofdstuk {', '.join(unknown)}; beschikbaar: {', '.join(known)}")

    data_hash = buildstate.data_fingerprint(data_dir or config.RAW_DIR)
    editions = {p: _read(out_dir, schooljaar, p) for p in ("intern", OPENBAAR)}
    todo, result, plans = [], BuildResult(), {}
    code = {c: buildstate.code_fingerprint(c) for c in dict.fromkeys(chapters)}  # once per chapter
    for g in gemeenten:
        for c in chapters:
            if g is None and c in GEMEENTE_ONLY:
                continue
            pub = _publicatie(c, publicatie)
            inputs = buildstate.draft_inputs(chapter=c, schooljaar=schooljaar, gemeente=g, data_hash=data_hash, publicatie=pub, code=code[c])
            key = buildstate.draft_key(inputs)
            plans[(g, c)] = (inputs, key, pub)
            path = draft_path(out_dir, schooljaar, g, c, pub)
            entry = editions[pub]["drafts"].get(_draft_id(g, c), {})
            if not force and entry.get("key") == key and "bezig" not in entry and path.exists():
                result.drafts.append(DraftResult(schooljaar, g, c, path, 0.0, "overgeslagen"))
            else:
                todo.append((g, c))
    limit = _draft_limit(draft_limit) if todo else None  # checked before anything is written
    used = {pub for _, _, pub in plans.values()}
    run = _Run(out_dir, schooljaar, data_hash, plans, used)
    pk = None
    if pakket if pakket is not None else "raadsmededeling" in chapters:
        from lerenwerkt.pakket import Pakketten

        gem = [g for g in gemeenten if g is not None]
        if gem:
            pk = Pakketten(out_dir, schooljaar, gem, data_dir, data_hash, force, dict(sjablonen or {}), Path(teksten_dir) if teksten_dir else None, log)
            result.pakket = pk
            used.add(OPENBAAR)

    previous = signal.getsignal(signal.SIGTERM) if threading.current_thread() is threading.main_thread() else None
    if previous is not None:
        signal.signal(signal.SIGTERM, _terminate)
    try:
        parts = pk.tasks() if pk is not None else []
        quality = None
        if todo or parts:
            # the workers start their kernels (seconds of imports) while this process
            # protects the publication and validates the delivery
            pool = _early_pool(len(todo) + len(parts), jobs, executor, cold or not todo, limit)
            try:
                if any(plans[d][2] == OPENBAAR for d in todo) or parts:
                    _protect_once(data_dir, schooljaar, log=log)
                if "intern" in used:  # made by a worker, beside the drafts
                    quality = _QualityPage(run, data_dir, force)
            except BaseException:
                if pool is not None:
                    _stop_pool(pool)
                raise
            _run(
                todo,
                run,
                result,
                data_dir=data_dir,
                jobs=jobs,
                executor=executor,
                cold=cold,
                progress=progress,
                parts=parts,
                quality=quality,
                pool=pool,
                limit=limit,
            )
        if pk is not None:
            pk.finish()  # the last katern PDFs
            pk.zips()
        if "intern" in used:
            _quality_page(run, data_dir, force, text=quality.text() if quality else None)
    except BaseException:
        if pk is not None:
            pk.cancel()
        if run.started:
            run.finish("onderbroken", result)
        raise
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    skipped = [d for d in result.drafts if d.status == "overgeslagen"]
    if skipped and log:
        log(f"{aantal(len(skipped), 'concept', 'concepten')} ongewijzigd, overgeslagen: " + ", ".join(_draft_id(d.gemeente, d.chapter) for d in skipped))
    run.finish("klaar", result)
    result.manifest = _manifest_path(out_dir, schooljaar, "intern" if "intern" in used else OPENBAAR)
    result.index = out_dir / "index.html"
    result.seconds = time.perf_counter() - t_start
    return result


def _terminate(signum, frame):
    raise KeyboardInterrupt(f"signaal {signum}")


def aantal(n: int, enkelvoud: str, meervoud: str) -> str:
    """'1 concept', '3 concepten' (Dutch number format)."""
    from lerenwerkt.fmt import getal

    return f"{getal(n)} {enkelvoud if n == 1 else meervoud}"


class _Run:
    """One build's bookkeeping in the manifests: started, each draft, finished."""

    def __init__(self, out_dir: Path, schooljaar: str, data_hash: str, plans: dict, used: set[str]) -> None:
        self.out_dir, self.schooljaar, self.data_hash, self.plans, self.used = out_dir, schooljaar, data_hash, plans, used
        self.id = f"{os.getpid()}-{time.time_ns()}"
        self.started = False

    def start(self) -> None:
        with locked(self.out_dir):
            _sweep_temporary(self.out_dir)
            for pub in self.used:
                m = _read(self.out_dir, self.schooljaar, pub)
                n = sum(p == pub for _, _, p in self.plans.values())
                m["bouw"] = {"id": self.id, "status": "bezig", "invoer_sha256": self.data_hash, "concepten": n}
                _write(self.out_dir, self.schooljaar, pub, m)
            write_indexes(self.out_dir)
        self.started = True

    def finish(self, status: str, result: BuildResult) -> None:
        with locked(self.out_dir):
            for pub in self.used:
                m = _read(self.out_dir, self.schooljaar, pub)
                bouw = m.get("bouw", {})
                if bouw.get("id") in (None, self.id):  # a later build's record is not ours to close
                    mine = [d for d in result.drafts if self.plans[(d.gemeente, d.chapter)][2] == pub]
                    m["bouw"] = {
                        "id": self.id,
                        "status": status,
                        "invoer_sha256": self.data_hash,
                        "concepten": sum(p == pub for _, _, p in self.plans.values()),
                        **{s: sum(d.status == s for d in mine) for s in ("gebouwd", "overgeslagen", "mislukt")},
                    }
                _write(self.out_dir, self.schooljaar, pub, m)
            write_indexes(self.out_dir)

    def store(self, o, result: BuildResult) -> None:
        """Write one finished draft (or its failure), its manifest entry and the indexes."""
        t = o.task
        inputs, key, pub = self.plans[(t.gemeente, t.chapter)]
        ident = _draft_id(t.gemeente, t.chapter)
        path = draft_path(self.out_dir, t.schooljaar, t.gemeente, t.chapter, pub)
        failed = failed_path(self.out_dir, t.schooljaar, t.gemeente, t.chapter, pub)
        edition = edition_dir(self.out_dir, t.schooljaar, pub)
        with locked(self.out_dir):
            m = _read(self.out_dir, t.schooljaar, pub)
            if o.error is None:
                # first say what is about to happen, then replace the file, then record it
                m["drafts"][ident] = {**m["drafts"].get(ident, {}), "bezig": {"key": key}}
                _write(self.out_dir, t.schooljaar, pub, m)
                atomic_write_text(path, _stamp(o.html, inputs, key))
                m["drafts"][ident] = {"key": key, "path": path.relative_to(edition).as_posix(), "inputs": inputs, "seconden": round(o.seconds, 1)}
                m["mislukt"].pop(ident, None)
                failed.unlink(missing_ok=True)
                result.drafts.append(DraftResult(t.schooljaar, t.gemeente, t.chapter, path, o.seconds, "gebouwd"))
            else:
                if o.executed:
                    _private_dirs(self.out_dir / FAILED_DIR, failed.parent)
                    atomic_write_text(failed, o.executed, private=True)
                else:
                    failed.unlink(missing_ok=True)
                rel = failed.relative_to(self.out_dir).as_posix() if o.executed else None
                m["mislukt"][ident] = {"key": key, "fout": o.error, "notebook": rel}
                result.drafts.append(
                    DraftResult(t.schooljaar, t.gemeente, t.chapter, None, o.seconds, "mislukt", error=o.error, failed_notebook=failed if o.executed else None)
                )
            _write(self.out_dir, t.schooljaar, pub, m)
            write_indexes(self.out_dir)


def _sweep_temporary(out_dir: Path) -> list[Path]:
    """Remove half-written temporary files a killed build left: only this program's temporary
    names whose writer no longer runs (:func:`lerenwerkt.io.sweep_temporary`), only in the
    folders a build writes (:func:`_build_folders`). Another program's ``.*.tmp`` files (a
    ``.git`` folder's, an editor's) and folders the build does not write (``boek/``) stay."""
    from lerenwerkt.io import sweep_temporary

    return [p for d in _build_folders(out_dir) for p in sweep_temporary(d)]


def _build_folders(out_dir: Path) -> list[Path]:
    """The folders a build writes into: the output folder and ``openbaar/`` (indexes), every
    edition (manifest, index, data-quality page, zips), its scope folders (drafts, the package)
    and the failed notebooks' folders. No link is followed."""
    scopes = {codes.slug(g) for g in (None, *codes.GEMEENTEN)}
    folders = [out_dir, out_dir / OPENBAAR]
    for pub in ("intern", OPENBAAR):
        base = out_dir / OPENBAAR if pub == OPENBAAR else out_dir
        for year in _subfolders(base):
            if re.fullmatch(r"\d{4}-\d{4}", year.name):
                folders += [year, *(d for d in _subfolders(year) if d.name in scopes)]
        folders += [d for d in _subfolders(out_dir / FAILED_DIR / pub) if re.fullmatch(r"\d{4}-\d{4}", d.name)]
    return folders


def _subfolders(folder: Path) -> list[Path]:
    try:
        return sorted(Path(e.path) for e in os.scandir(folder) if e.is_dir(follow_symlinks=False))
    except OSError:
        return []


def _private_dirs(root: Path, leaf: Path) -> None:
    """Create ``leaf`` (under ``root``) with every folder from ``root`` on mode 0700."""
    leaf.mkdir(parents=True, exist_ok=True)
    d = leaf
    while True:
        os.chmod(d, 0o700)
        if d == root or root not in d.parents:
            break
        d = d.parent


def _check_out(out_dir: Path) -> None:
    """A usable output folder, checked before anything is built (nothing is created here)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"out: {out_dir} is een bestand, geen map")
    probe = out_dir
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
        raise ValueError(f"out: in {probe} mag niet geschreven worden")


QUALITY_ID = "datakwaliteit"


def _quality_key(run: _Run) -> str:
    return buildstate.draft_key(
        {"data": run.data_hash, "package": buildstate.package_fingerprint(), "versions": buildstate.versions(), "schooljaar": run.schooljaar}
    )


def _quality_stale(run: _Run, force: bool) -> bool:
    path = edition_dir(run.out_dir, run.schooljaar) / "datakwaliteit.html"
    m = _read(run.out_dir, run.schooljaar, "intern")
    return force or not path.exists() or m.get(QUALITY_ID, {}).get("key") != _quality_key(run)


class _QualityPage:
    """The data-quality page as one more task for the build's own worker pool (the first
    worker that is free makes it), instead of after the drafts; stopped with the pool."""

    def __init__(self, run: _Run, data_dir: Path | None, force: bool) -> None:
        self.data_dir, self.schooljaar = data_dir, run.schooljaar
        self.wanted = _quality_stale(run, force)
        self._future = None

    def submit(self, pool) -> None:
        if self.wanted:
            self._future = pool.submit(_quality_text, self.data_dir, self.schooljaar)

    def text(self) -> str | None:
        """The page, or None when it was not made (the build makes it itself then)."""
        if self._future is None:
            return None
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self._future.result()
        except (BrokenProcessPool, CancelledError):
            return None


def _quality_text(data_dir: Path | None, schooljaar: str) -> str:
    from lerenwerkt.quality import page

    return page(data_dir or config.RAW_DIR, schooljaar=schooljaar)


def _quality_page(run: _Run, data_dir: Path | None, force: bool, *, text: str | None = None) -> None:
    """``<out>/<schooljaar>/datakwaliteit.html`` for the delivery (intern: never in an
    openbaar folder), rebuilt when the data or the package changed. ``text``: the page,
    when it was made already (:class:`_QualityPage`)."""
    key = _quality_key(run)
    path = edition_dir(run.out_dir, run.schooljaar) / "datakwaliteit.html"
    if not _quality_stale(run, force):
        return
    if text is None:
        from lerenwerkt.quality import page

        text = page(data_dir or config.RAW_DIR, schooljaar=run.schooljaar)
    text = with_banner(text)
    with locked(run.out_dir):
        m = _read(run.out_dir, run.schooljaar, "intern")
        atomic_write_text(path, text)
        m[QUALITY_ID] = {"key": key, "path": "datakwaliteit.html"}
        _write(run.out_dir, run.schooljaar, "intern", m)
        write_indexes(run.out_dir)


def _validate(data_dir: Path | None, schooljaar: str) -> None:
    from lerenwerkt.pipeline import prepare

    reg = prepare(data_dir)
    if not (reg["verzuimmeldingen"].schooljaar == schooljaar).any():
        raise ValueError(f"schooljaar: de levering bevat geen meldingen in {schooljaar}")


def _check_schooljaar(schooljaar: str) -> None:
    m = re.fullmatch(r"(\d{4})-(\d{4})", schooljaar)
    if not m or int(m.group(2)) != int(m.group(1)) + 1:
        raise ValueError(f"schooljaar: {schooljaar!r} is geen schooljaar; verwacht bijvoorbeeld '2024-2025'")


def _publicatie(chapter: str, publicatie: str) -> str:
    """A raadsmededeling is sent out: always openbaar."""
    return OPENBAAR if chapter == "raadsmededeling" else publicatie


def _draft_limit(given: float | None) -> float:
    from lerenwerkt import engine

    if given is None:
        return engine.draft_limit()
    if not 0 < given < float("inf"):
        raise ValueError(f"draft_limit: {given!r} is geen tijdslimiet; verwacht een aantal seconden groter dan 0")
    return float(given)


def _early_pool(n_tasks: int, jobs: int | None, executor, cold: bool, limit: float | None = None):
    """The build's own process pool, started before the work is ready (``None`` when an
    executor is given or one worker does it all)."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, n_tasks))
    return _pool(jobs, cold, limit) if executor is None and jobs > 1 else None


def _pool(jobs: int, cold: bool, limit: float | None = None):
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    from lerenwerkt import engine

    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("spawn"), initializer=engine.worker_init, initargs=(os.getpid(),))
    if not cold:  # start the workers' kernels while the delivery is being validated
        for _ in range(jobs):
            pool.submit(engine.warm_up, limit or engine.DRAFT_LIMIT)  # a kernel stopped while it starts does not hold its worker
    return pool


def _stop_pool(pool) -> None:
    """Stop a local pool now: queued drafts cancelled, workers told to kill their kernels and
    exit (SIGTERM), killed if they have not after a second. A pool that is broken (a worker or
    the katern printer was killed) or shut down already has no processes left to stop."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for p in processes:
        with contextlib.suppress(Exception):
            p.terminate()
    with contextlib.suppress(Exception):
        pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + 1.0
    for p in processes:
        with contextlib.suppress(Exception):
            p.join(max(0.0, deadline - time.monotonic()))
            if p.is_alive():
                p.kill()
                p.join(1)


def _protect_once(data_dir, schooljaar: str, log=print) -> None:
    """Protect the openbare publication once, here, before the drafts: every kernel then
    reads the same suppression pattern from its cache instead of solving it again.

    Each edition is protected against the one before it, so a first build also protects last
    years' editions (minutes): oldest first, one Dutch line per edition not yet cached, and a
    cell that an earlier edition fixed as one Dutch line (not Python's warning format)."""
    import warnings

    from lerenwerkt import disclosure, publication
    from lerenwerkt import schooljaar as sj
    from lerenwerkt.pipeline import prepare

    reg = prepare(data_dir)
    years = [schooljaar]
    while publication._has_year(reg, sj.shift(years[0], -1)):
        years.insert(0, sj.shift(years[0], -1))
    k = disclosure.rules(None).drempel
    for year in years:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if log and not _protection_cached(publication, reg, year, k):
                log(f"Bescherming editie {year} …")
            publication.edition(reg, schooljaar=year, publicatie=OPENBAAR)
        for w in caught:
            if log:
                log(protection_message(str(w.message), year))
            else:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def _protection_cached(publication, reg, year: str, k: int) -> bool:
    """Whether the protection of an edition is already on disk (then no line: it is quick)."""
    try:
        from lerenwerkt import disclosure
        from lerenwerkt import tables as tb

        path = publication._cache_file(tb._fingerprint(reg), year, k, disclosure.rules(None).indeling)
        return path is not None and path.is_file()
    except Exception:  # a changed cache layout: say the line rather than fail the build
        return False


def protection_message(message: str, schooljaar: str) -> str:
    """'disclosure: 3 cel(len) liggen vast door eerdere edities' as one Dutch line."""
    m = re.search(r"(\d+) cel", message)
    if m is None:
        return f"let op: editie {schooljaar}: {message.removeprefix('disclosure: ')}"
    n = int(m.group(1))
    return (
        f"let op: editie {schooljaar}: {aantal(n, 'cel ligt', 'cellen liggen')} vast door wat eerdere edities publiceerden "
        f"en {'is' if n == 1 else 'zijn'} hier niet verder te beschermen"
    )


def _run(
    todo, run: _Run, result: BuildResult, *, data_dir, jobs, executor, cold, progress, parts=(), quality: _QualityPage | None = None, pool=None, limit=None
) -> None:
    """Run the drafts and the package parts (:class:`lerenwerkt.pakket.DeelTask`) on one
    executor: katernen (the heaviest parts) first, then the drafts (long ones first), then
    the other parts. ``pool``: the build's own pool, already started (:func:`_early_pool`);
    this function stops it."""
    from concurrent.futures.process import BrokenProcessPool

    from tqdm import tqdm

    from lerenwerkt import engine

    engine.sweep_stale_kernel_dirs()
    schooljaar = run.schooljaar
    limit = limit or engine.DRAFT_LIMIT
    drafts = [
        engine.DraftTask(
            c, schooljaar, g, str(data_dir) if data_dir else None, f"{CHAPTER_TITLES[c]} — {g or codes.REGIO} — {schooljaar}", cold, run.plans[(g, c)][2], limit
        )
        for g, c in todo
    ]
    drafts = engine.schedule(drafts)  # long drafts first: the workers finish together
    tasks = [*(p for p in parts if p.deel == "katern"), *drafts, *(p for p in parts if p.deel != "katern")]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    own_pool = None
    if pool is not None:
        own_pool = executor = pool
    elif executor is None and jobs > 1:
        own_pool = executor = _pool(jobs, cold or not drafts, limit)  # no kernels to warm for parts only
    if own_pool is not None and quality is not None:
        quality.submit(own_pool)
    try:
        _validate(data_dir, schooljaar)  # raises before anything is written
        run.start()
    except BaseException:
        if own_pool is not None:
            _stop_pool(own_pool)
        raise
    bar = tqdm(total=len(tasks), disable=not progress, unit="taak", desc="Bouwen")
    futures: dict = {}
    try:
        for attempt in (1, 2):  # a worker that died (not a kernel: that is retried inside) is replaced once
            lost = []
            if executor is None:
                outcomes = (execute(t) for t in tasks)
            else:
                futures = {executor.submit(execute, t): t for t in tasks}
                outcomes = (_outcome(f, futures[f]) for f in as_completed(futures))
            for o in outcomes:
                if attempt == 1 and own_pool is not None and isinstance(o, BrokenProcessPool):
                    lost.append(o.task)
                    continue
                o = o if not isinstance(o, BrokenProcessPool) else o.outcome
                if isinstance(o, engine.DraftOutcome):
                    run.store(o, result)
                else:
                    result.pakket.store(o)
                bar.update(1)
            if not lost:
                break
            own_pool.shutdown(wait=False, cancel_futures=True)
            own_pool = executor = _pool(min(jobs, len(lost)), cold or not any(isinstance(t, engine.DraftTask) for t in lost), limit)
            tasks = lost
    except BaseException:
        for f in futures:
            f.cancel()
        if own_pool is not None:
            _stop_pool(own_pool)
            own_pool = None
        elif executor is None:
            engine.kill_kernels()
        raise
    finally:
        bar.close()
        if own_pool is not None:
            own_pool.shutdown(wait=True)
    engine.sweep_stale_kernel_dirs()  # again: a killed run's orphan kernel may have outlived the first sweep
    order = {(g, c): i for i, (g, c) in enumerate(run.plans)}
    result.drafts.sort(key=lambda d: order[(d.gemeente, d.chapter)])


def execute(task):
    """What a worker runs: a draft (:func:`lerenwerkt.engine.render_draft`) or a part of a
    public package (:func:`lerenwerkt.pakket.render_deel`)."""
    from lerenwerkt import engine

    if isinstance(task, engine.DraftTask):
        return engine.render_draft(task)
    from lerenwerkt.pakket import render_deel

    return render_deel(task)


def _outcome(future, task):
    """The worker's outcome; a worker that died still yields a (failed) outcome."""
    from concurrent.futures.process import BrokenProcessPool

    from lerenwerkt import engine

    try:
        return future.result()
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
        if isinstance(task, engine.DraftTask):
            outcome = engine.DraftOutcome(task, None, 0.0, error=error)
        else:
            from lerenwerkt.pakket import DeelOutcome

            outcome = DeelOutcome(task, {}, 0.0, error=error)
        if isinstance(exc, BrokenProcessPool):
            lost = BrokenProcessPool(str(exc))
            lost.task, lost.outcome = task, outcome
            return lost
        return outcome


# --- indexes --------------------------------------------------------------------------------

INDEX_CSS = (
    "<style>body{font-family:Arial,sans-serif;margin:2rem}table{border-collapse:collapse;margin-bottom:1.5rem}"
    "th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}td.fout{background:#fde2e2}"
    "td.oud{background:#fff4d6}small{color:#666}h2{color:#1b365d}</style>"
)


def _schooljaren(out_dir: Path, publicatie: str) -> list[str]:
    base = out_dir / OPENBAAR if publicatie == OPENBAAR else out_dir
    return sorted(p.parent.name for p in base.glob("*/manifest.json") if re.fullmatch(r"\d{4}-\d{4}", p.parent.name))


def _cell(out_dir: Path, schooljaar: str, publicatie: str, m: dict, ident: str, base: Path, *, diagnose: bool) -> str:
    """One scope × chapter cell: what is on disk for it, and whether it is current."""
    edition = edition_dir(out_dir, schooljaar, publicatie)
    entry, fail = m["drafts"].get(ident), m["mislukt"].get(ident)
    current = m.get("bouw", {}).get("invoer_sha256")
    notes, cls, link = [], "", ""
    if entry and (edition / entry.get("path", f"{ident}.html")).exists():
        href = os.path.relpath(edition / entry.get("path", f"{ident}.html"), base)
        link = f'<a href="{html.escape(href)}">{html.escape(CHAPTER_TITLES.get(ident.split("/")[1], ident))}</a>'
        if "bezig" in entry:
            notes.append("onderbroken tijdens vervangen: de vorige of de nieuwe versie")
            cls = "oud"
        elif current and entry.get("inputs", {}).get("data") != current:
            notes.append("verouderd: gebouwd met een andere levering")
            cls = "oud"
        else:
            notes.append(f"actueel{', ' + fmt_seconds(entry['seconden']) if entry.get('seconden') else ''}")
    elif entry:
        notes.append("ontbreekt op schijf")
        cls = "fout"
    if not diagnose:  # the public index: what is there, not how or when it was built
        notes, cls = [], ""
    notes = [html.escape(n) for n in notes]
    if fail:
        cls = "fout"
        if not diagnose:  # the public index: no error text, no link out of the package
            if not link:
                notes.append("niet beschikbaar")
        else:
            notes.append(html.escape(f"laatste poging mislukt: {fail.get('fout', '')}"))
            if fail.get("notebook") and (out_dir / fail["notebook"]).exists():
                href = os.path.relpath(out_dir / fail["notebook"], base)
                notes[-1] += f' — <a href="{html.escape(href)}">notebook</a>'
    if not link and not notes:
        return "<td>—</td>"
    attr = f' class="{cls}"' if cls else ""
    return f"<td{attr}>{link}{'<br>' if link else ''}<small>{'; '.join(notes)}</small></td>"


def fmt_seconds(s: float) -> str:
    from lerenwerkt.fmt import getal

    return f"{getal(s, decimalen=1)} s"


def _matrix(out_dir: Path, schooljaar: str, publicatie: str, base: Path, *, diagnose: bool) -> str:
    m = _read(out_dir, schooljaar, publicatie)
    ids = set(m["drafts"]) | set(m["mislukt"])
    if not ids:
        return "<p>Nog geen concepten.</p>" if diagnose else "<p>Nog niets gepubliceerd.</p>"
    chapters = [c for c in CHAPTER_TITLES if any(i.endswith(f"/{c}") for i in ids)]
    rows = []
    for g in (None, *codes.GEMEENTEN):
        if not any(f"{codes.slug(g)}/{c}" in ids for c in chapters):
            continue
        cells = "".join(_cell(out_dir, schooljaar, publicatie, m, f"{codes.slug(g)}/{c}", base, diagnose=diagnose) for c in chapters)
        rows.append(f"<tr><th>{html.escape(g or codes.REGIO + ' (regio)')}</th>{cells}</tr>")
    head = "".join(f"<th>{html.escape(CHAPTER_TITLES[c])}</th>" for c in chapters)
    summary = f"<p>{html.escape(_summary(out_dir, schooljaar, publicatie, m))}</p>\n" if diagnose else ""
    return f"{summary}<table><thead><tr><th>Gemeente</th>{head}</tr></thead><tbody>\n{chr(10).join(rows)}\n</tbody></table>"


def _summary(out_dir: Path, schooljaar: str, publicatie: str, m: dict) -> str:
    edition = edition_dir(out_dir, schooljaar, publicatie)
    current = m.get("bouw", {}).get("invoer_sha256")
    present = [e for e in m["drafts"].values() if (edition / e.get("path", "")).is_file()]
    actueel = sum("bezig" not in e and e.get("inputs", {}).get("data") == current for e in present)
    n, f = len(present), len(m["mislukt"])
    bouw = m.get("bouw", {})
    status = {
        "bezig": "de laatste bouw is gestart en niet afgerond (nog bezig, of afgebroken)",
        "onderbroken": "de laatste bouw is onderbroken",
        "klaar": "de laatste bouw is afgerond",
    }.get(bouw.get("status"), "")
    parts = [f"{aantal(n, 'concept', 'concepten')} aanwezig, waarvan {actueel} actueel", f"{aantal(f, 'mislukt', 'mislukt')}"]
    return "; ".join(parts) + (f"; {status}." if status else ".")


#: What a package file is, for the index (by how its name starts or ends).
PAKKET_SOORTEN = (
    ("raadsmededeling-", ".docx", "Raadsmededeling (Word)"),
    ("lokaal-katern-", ".pdf", "Lokaal katern (PDF)"),
    ("lokaal-katern-", ".html", "Lokaal katern (HTML)"),
    ("", ".xlsx", "Tabellen (Excel)"),
    ("cells", ".csv", "Cellen (CSV)"),
)


def _pakketten(out_dir: Path, schooljaar: str, base: Path, *, diagnose: bool) -> str:
    """The public package of each gemeente: its files and the zip (from the disk; a part
    whose last attempt failed says so)."""
    edition = edition_dir(out_dir, schooljaar, OPENBAAR)
    m = _read(out_dir, schooljaar, OPENBAAR).get("pakket", {})
    rows = []
    for g in codes.GEMEENTEN:
        slug = codes.slug(g)
        folder, zipped = edition / slug, edition / f"{slug}.zip"
        if slug not in m or not folder.is_dir():
            continue
        cells = []
        for begin, eind, label in PAKKET_SOORTEN:
            found = [p for p in sorted(folder.glob(f"{begin}*{eind}")) if not p.name.startswith(".")]
            cells.append(f'<td><a href="{html.escape(os.path.relpath(found[0], base))}">{html.escape(label)}</a></td>' if found else "<td>—</td>")
        drafts = sorted(p for p in folder.glob("*.html") if not p.name.startswith(("lokaal-katern-", ".")))
        links = ", ".join(f'<a href="{html.escape(os.path.relpath(p, base))}">{html.escape(CHAPTER_TITLES.get(p.stem, p.stem))}</a>' for p in drafts)
        cells.append(f"<td>{links or '—'}</td>")
        fout = [d for d, e in m[slug].items() if isinstance(e, dict) and "fout" in e]
        note = ""
        if fout:
            note = "<br><small>niet bijgewerkt: " + html.escape(", ".join(fout) + (f" ({m[slug][fout[0]]['fout']})" if diagnose else "")) + "</small>"
        zip_cell = f'<a href="{html.escape(os.path.relpath(zipped, base))}">{html.escape(zipped.name)}</a>' if zipped.is_file() else "—"
        rows.append(f"<tr><th>{html.escape(g)}</th><td>{zip_cell}{note}</td>{''.join(cells)}</tr>")
    if not rows:
        return ""
    head = "".join(f"<th>{html.escape(label)}</th>" for _, _, label in PAKKET_SOORTEN)
    stukken = "concepten" if diagnose else "hoofdstukken"  # the public index: no build vocabulary
    return (
        "<h2>Pakket per gemeente (openbaar)</h2>\n<p>Alles wat een gemeente ontvangt, in één map en als zip: "
        f"de openbare {stukken}, de raadsmededeling (HTML en Word), het lokaal katern, de tabellen in Excel en als cellen.</p>\n"
        f"<table><thead><tr><th>Gemeente</th><th>Zip</th>{head}<th>Openbare {stukken}</th></tr></thead><tbody>\n{chr(10).join(rows)}\n</tbody></table>"
    )


def _boek_link(boek: Path, base: Path, publicatie: str) -> str:
    """The book of an edition on an index page: the jaarverslag and its lokale katernen (HTML,
    and the PDF where printed), '' when the book is not there."""
    if not (boek / "jaarverslag.html").is_file():
        return ""
    katernen = sorted(boek.glob("lokaal-katern-*.html"))
    extra = f" en {aantal(len(katernen), 'lokaal katern', 'lokale katernen')}" if katernen else ""
    pdf = boek / "jaarverslag.pdf"
    pdf_link = f' (<a href="{html.escape(os.path.relpath(pdf, base))}">PDF</a>)' if pdf.is_file() else ""
    href, folder = html.escape(os.path.relpath(boek / "jaarverslag.html", base)), html.escape(os.path.relpath(boek, base) + "/")
    soort = "intern" if publicatie == "intern" else "openbaar"
    return f'<p><a href="{href}">Het jaarverslag als boek</a>{pdf_link}{extra} in <a href="{folder}">{folder}</a> ({soort})</p>'


def _page(title: str, body: str, *, intern: bool) -> str:
    page = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
{INDEX_CSS}{CSS if intern else ""}
</head><body>
<h1>{html.escape(title)}</h1>
{body}
</body></html>
"""
    return with_banner(page) if intern else page


def _write_if_changed(path: Path, text: str) -> None:
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    atomic_write_text(path, text)


def write_indexes(out_dir: Path) -> None:
    """Every index of the output folder, from the manifests and the disk (call under the lock):

    - ``<out>/index.html``: every schooljaar, its intern and its openbare edition (intern page);
    - ``<out>/<schooljaar>/index.html``: the intern drafts and, separately, the openbare ones,
      with the data-quality page and the notebooks of failed drafts (intern page);
    - ``<out>/openbaar/index.html`` and ``<out>/openbaar/<schooljaar>/index.html``: only the
      openbare drafts, with no link outside ``openbaar/`` and no diagnostics.
    """
    intern_years, open_years = _schooljaren(out_dir, "intern"), _schooljaren(out_dir, OPENBAAR)
    for sj in intern_years:
        year = edition_dir(out_dir, sj)
        parts = ['<p><a href="../index.html">Alle schooljaren</a></p>']
        if (year / "datakwaliteit.html").exists():
            parts.append('<p><a href="datakwaliteit.html">Datakwaliteit van de levering</a> (intern)</p>')
        parts.append(_boek_link(year / "boek", year, "intern"))
        parts.append(f"<h2>Intern</h2>\n{_matrix(out_dir, sj, 'intern', year, diagnose=True)}")
        if sj in open_years:
            parts.append(f"<h2>Openbaar (kleine aantallen onderdrukt)</h2>\n{_matrix(out_dir, sj, OPENBAAR, year, diagnose=True)}")
            parts.append(_boek_link(edition_dir(out_dir, sj, OPENBAAR) / "boek", year, OPENBAAR))
            parts.append(_pakketten(out_dir, sj, year, diagnose=True))
        _write_if_changed(year / "index.html", _page(f"Jaarverslag LerenWerkt {sj} — concepten", "\n".join(parts), intern=True))
    for sj in open_years:
        year = edition_dir(out_dir, sj, OPENBAAR)
        body = (
            f'<p><a href="../index.html">Alle schooljaren</a></p>\n{_boek_link(year / "boek", year, OPENBAAR)}\n'
            f"{_matrix(out_dir, sj, OPENBAAR, year, diagnose=False)}\n{_pakketten(out_dir, sj, year, diagnose=False)}"
        )
        _write_if_changed(year / "index.html", _page(f"Jaarverslag LerenWerkt {sj} — openbare publicatie", body, intern=False))
    if open_years:
        items = "".join(f'<li><a href="{sj}/index.html">{sj}</a></li>' for sj in reversed(open_years))
        _write_if_changed(out_dir / OPENBAAR / "index.html", _page("Jaarverslag LerenWerkt — openbare publicatie", f"<ul>{items}</ul>", intern=False))
    rows = []
    for sj in sorted(set(intern_years) | set(open_years), reverse=True):
        cells = []
        for pub, years in (("intern", intern_years), (OPENBAAR, open_years)):
            if sj not in years:
                cells.append("<td>—</td>")
                continue
            href = f"{sj}/index.html" if pub == "intern" else f"{OPENBAAR}/{sj}/index.html"
            summary = _summary(out_dir, sj, pub, _read(out_dir, sj, pub))
            cells.append(f'<td><a href="{href}">{pub}</a><br><small>{html.escape(summary)}</small></td>')
        rows.append(f"<tr><th>{sj}</th>{''.join(cells)}</tr>")
    if rows:
        body = (
            "<p>Alle gebouwde schooljaren. <strong>Intern</strong>: alle aantallen, niet verspreiden. "
            "<strong>Openbaar</strong>: kleine aantallen onderdrukt, het pakket per gemeente.</p>\n"
            f"<table><thead><tr><th>Schooljaar</th><th>Intern</th><th>Openbaar</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
        _write_if_changed(out_dir / "index.html", _page("Jaarverslag LerenWerkt — concepten", body, intern=True))
