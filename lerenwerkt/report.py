"""Stage 7: build the chapter drafts — incremental, parallel, isolated, reproducible.

``build()`` validates the delivery first (an invalid delivery writes nothing), decides per
draft from content hashes whether it must be rebuilt (:mod:`lerenwerkt.buildstate`), runs
the rest through an executor (:mod:`lerenwerkt.engine`: warm kernels, one exporter per
worker), and writes ``reports/<schooljaar>/<scope>/<chapter>.html`` atomically, plus
``manifest.json`` and ``index.html``. A failing draft does not stop the others; its executed
notebook is kept in ``build/failed/`` (outside the published reports) and linked from the
index, and the build ends with a non-zero status.
"""

from __future__ import annotations

import html
import json
import os
import time
from collections.abc import Sequence
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from lerenwerkt import __version__, buildstate, codes, config
from lerenwerkt.io import atomic_write_text

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

    @property
    def ok(self) -> bool:
        return all(d.ok for d in self.drafts)

    def count(self, status: str) -> int:
        return sum(d.status == status for d in self.drafts)


def draft_path(out_dir: Path, schooljaar: str, gemeente: str | None, chapter: str) -> Path:
    return out_dir / schooljaar / codes.slug(gemeente) / f"{chapter}.html"


def _draft_id(gemeente: str | None, chapter: str) -> str:
    return f"{codes.slug(gemeente)}/{chapter}"


def _with_toc(body: str) -> str:
    """A table of contents of the draft's sections (h2), right after its title block."""
    import re

    titles, n = [], 0

    def anchor(m: re.Match) -> str:
        nonlocal n
        attrs, text = m.group(1), m.group(2)
        plain = re.sub(r"<[^>]+>", "", text).replace("¶", "").strip()
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


def _stamp(body: str, inputs: dict, key: str) -> str:
    """House CSS and provenance (hashes, version, commit) in the HTML head."""
    meta = {
        "lerenwerkt-draft": key,
        "lerenwerkt-invoer-sha256": inputs["data"],
        "lerenwerkt-parameters": json.dumps(inputs["parameters"], sort_keys=True),
        "lerenwerkt-versie": __version__,
        "lerenwerkt-commit": buildstate.git_commit(),
    }
    tags = "".join(f'<meta name="{k}" content="{html.escape(v)}">\n' for k, v in meta.items())
    return _with_toc(body).replace("</head>", tags + CSS + "</head>", 1)


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
) -> BuildResult:
    """Build the drafts; see the module docstring.

    ``jobs``: worker processes (default: the machine's cores); ``executor``: any
    ``concurrent.futures.Executor`` instead (e.g. a dask.distributed client's);
    ``force``: rebuild even what is up to date; ``cold``: fresh kernel per draft (papermill);
    ``publicatie``: ``intern`` (default, for analysts) or ``openbaar`` (small numbers
    suppressed; its drafts go to ``reports/openbaar/`` unless ``out_dir`` is given). A
    raadsmededeling is sent out and is always built ``openbaar``.
    """
    if publicatie not in ("intern", "openbaar"):  # (no disclosure import: a no-op stays light)
        raise ValueError(f"publicatie: {publicatie!r}; verwacht 'intern' of 'openbaar'")
    t_start = time.perf_counter()
    _check_schooljaar(schooljaar)
    data_dir = Path(data_dir).resolve() if data_dir else None
    out_dir = Path(out_dir) if out_dir else (config.REPORTS_DIR / "openbaar" if publicatie == "openbaar" else config.REPORTS_DIR)
    gemeenten = [None, *codes.GEMEENTEN] if gemeenten is None else list(gemeenten)
    chapters = available_chapters() if chapters is None else list(chapters)
    known = available_chapters(research=True)
    unknown = [c for c in chapters if c not in known]
    if unknown:
        raise ValueError(f"chapter: onbekend hoofdstuk {', '.join(unknown)}; beschikbaar: {', '.join(known)}")

    data_hash = buildstate.data_fingerprint(data_dir or config.RAW_DIR)
    manifest_path = out_dir / schooljaar / "manifest.json"
    manifest = buildstate.read_manifest(manifest_path)
    previous = manifest.get("drafts", {})
    todo, result = [], BuildResult()
    plans = {}
    for g in gemeenten:
        for c in chapters:
            if g is None and c in GEMEENTE_ONLY:
                continue
            inputs = buildstate.draft_inputs(chapter=c, schooljaar=schooljaar, gemeente=g, data_hash=data_hash, publicatie=_publicatie(c, publicatie))
            key = buildstate.draft_key(inputs)
            plans[(g, c)] = (inputs, key)
            path = draft_path(out_dir, schooljaar, g, c)
            if not force and path.exists() and previous.get(_draft_id(g, c), {}).get("key") == key:
                result.drafts.append(DraftResult(schooljaar, g, c, path, 0.0, "overgeslagen"))
            else:
                todo.append((g, c))

    if todo:
        _run(
            todo,
            plans,
            result,
            schooljaar=schooljaar,
            data_dir=data_dir,
            out_dir=out_dir,
            jobs=jobs,
            executor=executor,
            cold=cold,
            progress=progress,
            publicatie=publicatie,
        )
    skipped = [d for d in result.drafts if d.status == "overgeslagen"]
    if skipped and log:
        log(f"{len(skipped)} concept(en) ongewijzigd, overgeslagen: " + ", ".join(_draft_id(d.gemeente, d.chapter) for d in skipped))

    quality = _quality_page(out_dir, schooljaar, data_dir, data_hash, previous, force)
    entries = dict(previous)
    for d in result.drafts:
        inputs, key = plans[(d.gemeente, d.chapter)]
        if d.status == "mislukt":
            entries.pop(_draft_id(d.gemeente, d.chapter), None)
        else:
            entries[_draft_id(d.gemeente, d.chapter)] = {"key": key, "path": d.path.relative_to(out_dir / schooljaar).as_posix(), "inputs": inputs}
    if quality:
        entries[QUALITY_ID] = quality
    manifest = {
        "schooljaar": schooljaar,
        "lerenwerkt": __version__,
        "commit": buildstate.git_commit(),
        "invoer_sha256": data_hash,
        "drafts": dict(sorted(entries.items())),
    }
    text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    if not manifest_path.exists() or manifest_path.read_text(encoding="utf-8") != text:
        atomic_write_text(manifest_path, text)
    result.manifest = manifest_path
    result.index = write_index(out_dir, schooljaar, result)
    result.seconds = time.perf_counter() - t_start
    return result


QUALITY_ID = "datakwaliteit"


def _quality_page(out_dir: Path, schooljaar: str, data_dir: Path | None, data_hash: str, previous: dict, force: bool) -> dict | None:
    """``reports/<schooljaar>/datakwaliteit.html`` for the delivery, rebuilt when the data
    or the package changed."""
    key = buildstate.draft_key({"data": data_hash, "package": buildstate.package_fingerprint(), "versions": buildstate.versions(), "schooljaar": schooljaar})
    path = out_dir / schooljaar / "datakwaliteit.html"
    if not force and path.exists() and previous.get(QUALITY_ID, {}).get("key") == key:
        return previous[QUALITY_ID]
    from lerenwerkt.quality import write_page

    write_page(data_dir or config.RAW_DIR, path, schooljaar=schooljaar)
    return {"key": key, "path": "datakwaliteit.html"}


def _validate(data_dir: Path | None, schooljaar: str) -> None:
    from lerenwerkt.pipeline import prepare

    reg = prepare(data_dir)
    if not (reg["verzuimmeldingen"].schooljaar == schooljaar).any():
        raise ValueError(f"schooljaar: de levering bevat geen meldingen in {schooljaar}")


def _check_schooljaar(schooljaar: str) -> None:
    import re

    m = re.fullmatch(r"(\d{4})-(\d{4})", schooljaar)
    if not m or int(m.group(2)) != int(m.group(1)) + 1:
        raise ValueError(f"schooljaar: {schooljaar!r} is geen schooljaar; verwacht bijvoorbeeld '2024-2025'")


def _publicatie(chapter: str, publicatie: str) -> str:
    """A raadsmededeling is sent out: always openbaar."""
    return "openbaar" if chapter == "raadsmededeling" else publicatie


def _run(todo, plans, result, *, schooljaar, data_dir, out_dir, jobs, executor, cold, progress, publicatie) -> None:
    from tqdm import tqdm

    from lerenwerkt import engine

    tasks = [
        engine.DraftTask(
            c, schooljaar, g, str(data_dir) if data_dir else None, f"{CHAPTER_TITLES[c]} — {g or codes.REGIO} — {schooljaar}", cold, _publicatie(c, publicatie)
        )
        for g, c in todo
    ]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    own_pool = None
    if executor is None and jobs > 1:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        own_pool = executor = ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("spawn"))
        if not cold:  # start the workers' kernels while the delivery is being validated
            for _ in range(jobs):
                executor.submit(engine.warm_up)
    try:
        _validate(data_dir, schooljaar)  # raises before anything is written
    except BaseException:
        if own_pool is not None:
            own_pool.shutdown(wait=False, cancel_futures=True)
        raise
    bar = tqdm(total=len(tasks), disable=not progress, unit="concept", desc="Bouwen")
    try:
        if executor is None:
            outcomes = (engine.render_draft(t) for t in tasks)
        else:
            futures = {executor.submit(engine.render_draft, t): t for t in tasks}
            outcomes = (_outcome(f, futures[f]) for f in as_completed(futures))
        for o in outcomes:
            _store(o, plans, result, out_dir)
            bar.update(1)
    finally:
        bar.close()
        if own_pool is not None:
            own_pool.shutdown(wait=True)
    order = {(g, c): i for i, (g, c) in enumerate(plans)}
    result.drafts.sort(key=lambda d: order[(d.gemeente, d.chapter)])


def _outcome(future, task):
    """The worker's outcome; a worker that died still yields a (failed) outcome."""
    from lerenwerkt import engine

    try:
        return future.result()
    except Exception as exc:
        return engine.DraftOutcome(task, None, 0.0, error=f"{type(exc).__name__}: {exc}"[:300])


def _store(o, plans, result: BuildResult, out_dir: Path) -> None:
    t = o.task
    inputs, key = plans[(t.gemeente, t.chapter)]
    path = draft_path(out_dir, t.schooljaar, t.gemeente, t.chapter)
    failed = config.BUILD_DIR / "failed" / t.schooljaar / f"{codes.slug(t.gemeente)}-{t.chapter}.ipynb"
    if o.error is None:
        atomic_write_text(path, _stamp(o.html, inputs, key))
        failed.unlink(missing_ok=True)
        result.drafts.append(DraftResult(t.schooljaar, t.gemeente, t.chapter, path, o.seconds, "gebouwd"))
    else:
        if o.executed:
            atomic_write_text(failed, o.executed)
        result.drafts.append(
            DraftResult(t.schooljaar, t.gemeente, t.chapter, None, o.seconds, "mislukt", error=o.error, failed_notebook=failed if o.executed else None)
        )


def write_index(out_dir: Path, schooljaar: str, result: BuildResult) -> Path:
    """``reports/<schooljaar>/index.html``: scope × chapter matrix with the status of this
    build, its duration and a link to each draft (or, for a failure, its notebook)."""
    year_dir = out_dir / schooljaar
    status = {(d.gemeente, d.chapter): d for d in result.drafts}
    chapters = [c for c in CHAPTER_TITLES if any(d.chapter == c for d in result.drafts) or any(year_dir.glob(f"*/{c}.html"))]
    rows = []
    for g in (None, *codes.GEMEENTEN):
        cells = []
        for c in chapters:
            path = draft_path(out_dir, schooljaar, g, c)
            d = status.get((g, c))
            if d is not None and not d.ok:
                link = ""
                if d.failed_notebook:
                    link = f' — <a href="{html.escape(os.path.relpath(d.failed_notebook, year_dir))}">notebook</a>'
                cells.append(f'<td class="fout">mislukt: {html.escape(d.error or "")}{link}</td>')
            elif path.exists():
                rel = path.relative_to(year_dir).as_posix()
                info = f"{d.status}, {d.seconds:.1f} s" if d and d.status == "gebouwd" else (d.status if d else "eerder gebouwd")
                cells.append(f'<td><a href="{rel}">{html.escape(CHAPTER_TITLES[c])}</a><br><small>{html.escape(info)}</small></td>')
            else:
                cells.append("<td>—</td>")
        rows.append(f"<tr><th>{html.escape(g or codes.REGIO + ' (regio)')}</th>{''.join(cells)}</tr>")
    head = "".join(f"<th>{html.escape(CHAPTER_TITLES[c])}</th>" for c in chapters)
    summary = f"{result.count('gebouwd')} gebouwd, {result.count('overgeslagen')} ongewijzigd, {result.count('mislukt')} mislukt."
    page = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Jaarverslag LerenWerkt {schooljaar} — concepten</title>
<style>body{{font-family:Arial,sans-serif;margin:2rem}}table{{border-collapse:collapse}}th,td{{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}}td.fout{{background:#fde2e2}}small{{color:#666}}</style>
</head><body>
<h1>Jaarverslag LerenWerkt {schooljaar}</h1>
<p>Concepthoofdstukken per gemeente en voor de regio. Laatste bouw: {html.escape(summary)}</p>
<p><a href="datakwaliteit.html">Datakwaliteit van de levering</a></p>
<table><thead><tr><th>Gemeente</th>{head}</tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table>
</body></html>
"""
    path = year_dir / "index.html"
    atomic_write_text(path, page)
    return path
