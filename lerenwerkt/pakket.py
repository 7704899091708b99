"""The public package per gemeente: what a gemeente receives, in one folder and one zip.

``<out>/openbaar/<schooljaar>/<gemeente>/`` holds, beside the openbare drafts the engine
writes there (at least the raadsmededeling):

- ``raadsmededeling-<gemeente>.docx``: the Word memo (:mod:`lerenwerkt.memo_docx`), from the
  default template or the one passed with ``build --sjabloon``;
- ``lokaal-katern-<gemeente>.html`` and, where Chromium is found, ``.pdf`` (:mod:`lerenwerkt.boek`,
  public edition);
- ``<gemeente>.xlsx``: the gemeente's workbook (:mod:`lerenwerkt.excel`, openbaar);
- ``cells.csv``: the same tables as cells (``tabel,rij,kolom,waarde,onderdrukt``);

and ``<out>/openbaar/<schooljaar>/<gemeente>.zip`` beside it: the folder, file for file.
Everything in it is openbaar: every table through the disclosure gate, no intern page.

Like the drafts, each part has a key (delivery, the code it depends on, template, editorial
texts, versions) kept in the openbare manifest (``pakket``); a part whose key is unchanged is
skipped. Every file is written atomically and recorded after it is on disk (marked ``bezig``
before), so an interrupted build leaves whole files and a truthful manifest; the zip is made
last, from what is in the folder.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lerenwerkt import buildstate, codes, config

OPENBAAR = "openbaar"
#: The parts of a package and the modules each one's content depends on (with their imports).
DELEN: dict[str, tuple[str, ...]] = {
    "memo": ("lerenwerkt.memo_docx", "lerenwerkt.chapters.raadsmededeling"),
    "katern": ("lerenwerkt.boek",),
    "tabellen": ("lerenwerkt.excel", "lerenwerkt.tables", "lerenwerkt.gate", "lerenwerkt.pakket"),
}
#: The default Word template (as :data:`lerenwerkt.memo_docx.SJABLOON`; named here to keep a
#: no-op build from importing the Word machinery).
STANDAARD_SJABLOON = config.PACKAGE_DIR / "templates" / "docx" / "raadsmededeling.docx"


def map_van(out_dir: Path, schooljaar: str, gemeente: str) -> Path:
    return Path(out_dir) / OPENBAAR / schooljaar / codes.slug(gemeente)


def zip_van(out_dir: Path, schooljaar: str, gemeente: str) -> Path:
    return Path(out_dir) / OPENBAAR / schooljaar / f"{codes.slug(gemeente)}.zip"


def bestanden(gemeente: str, deel: str, *, pdf: bool = True) -> list[str]:
    """The files one part writes into the gemeente's folder."""
    slug = codes.slug(gemeente)
    return {
        "memo": [f"raadsmededeling-{slug}.docx"],
        "katern": [f"lokaal-katern-{slug}.html", *([f"lokaal-katern-{slug}.pdf"] if pdf else [])],
        "tabellen": [f"{slug}.xlsx", "cells.csv"],
    }[deel]


# ------------------------------------------------------------------ keys
def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def code_fingerprint(modules: Sequence[str]) -> str:
    """SHA-256 over the package files the given modules import, transitively (as for the
    drafts: :func:`lerenwerkt.buildstate.code_dependencies`), and the data files they name."""
    todo, seen = [*modules, *buildstate.RENDER_MODULES], set()
    while todo:
        name = todo.pop()
        if name in seen or buildstate._module_file(name) is None:
            continue
        seen.add(name)
        parts = name.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))
        todo.extend(buildstate._module_imports(name))
    buildstate._save_imports_cache()
    files = {buildstate._module_file(n) for n in seen}
    files |= set((config.PACKAGE_DIR / "templates").rglob("*.*"))  # book template, default Word template
    files |= buildstate._named_data_files(files)
    h = hashlib.sha256()
    for p in sorted(f for f in files if f is not None and f.is_file()):
        h.update(p.relative_to(config.PACKAGE_DIR).as_posix().encode())
        h.update(_sha(p.read_bytes()).encode())
    return h.hexdigest()


def teksten_fingerprint(schooljaar: str, teksten_dir=None) -> str:
    """SHA-256 over the editorial texts of the schooljaar (the memo and katern show them)."""
    from lerenwerkt import teksten

    root = teksten.map_voor(schooljaar, teksten_dir)
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")) if root.is_dir() else ():
        if p.is_file():
            h.update(p.relative_to(root).as_posix().encode())
            h.update(_sha(p.read_bytes()).encode())
    return h.hexdigest()


def sjabloon_per_gemeente(waarden: Sequence[str] | None) -> dict[str | None, Path]:
    """``--sjabloon`` values: ``FILE`` (every gemeente of the build) or ``GEMEENTE=FILE``
    (one gemeente, by name or slug). Every file must exist and hold only the documented
    placeholders (:func:`lerenwerkt.sjabloon.controleer`): checked before anything is built."""
    out: dict[str | None, Path] = {}
    fouten = []
    for w in waarden or ():
        naam, sep, pad = w.partition("=")
        g = None
        if sep and not Path(w).is_file():
            try:
                g = codes.gemeente_from_slug(naam)
            except ValueError as err:
                fouten.append(str(err))
                continue
        else:
            pad = w
        from lerenwerkt import sjabloon

        try:  # checked as it will be filled: in the template process, only the documented placeholders
            sjabloon.controleer(Path(pad))
        except sjabloon.SjabloonFout as err:
            fouten.append(str(err))
            continue
        out[g] = Path(pad)
    if fouten:
        raise ValueError("; ".join(fouten))
    return out


# ------------------------------------------------------------------ making the parts (in a worker)
def cells_csv(cells, *, openbaar: bool) -> str:
    """``cells.csv`` as ``lerenwerkt tables`` writes it (``onderdrukt`` only for openbaar)."""
    from lerenwerkt import tables

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["tabel", "rij", "kolom", "waarde", *(["onderdrukt"] if openbaar else [])])
    for r in cells.itertuples(index=False):
        waarde = "" if r.onderdrukt else tables.format_waarde(r.waarde)
        w.writerow([r.tabel, r.rij, r.kolom, waarde, *(["true" if r.onderdrukt else "false"] if openbaar else [])])
    return buf.getvalue()


@dataclass(frozen=True)
class DeelTask:
    """One part of one gemeente's package: plain data, so any executor runs it (as a draft)."""

    gemeente: str
    deel: str
    schooljaar: str
    data_dir: str | None
    sjabloon: str | None = None
    teksten_dir: str | None = None


@dataclass(frozen=True)
class DeelOutcome:
    task: DeelTask
    files: dict  # file name -> bytes
    seconds: float
    error: str | None = None
    datum: str | None = None  # the date in the files (ISO, UTC): :func:`lerenwerkt.reproducible.datum`


def render_deel(task: DeelTask) -> DeelOutcome:
    """Make one part (the files' bytes; the build writes them). Runs in a worker of the build,
    beside the drafts; the openbare publication comes from the cache the build filled."""
    t0 = time.perf_counter()
    try:
        from lerenwerkt import reproducible
        from lerenwerkt.pipeline import prepare

        reg = prepare(task.data_dir)
        datum = reproducible.datum(reproducible.leveringsdatum(reg))
        files = _maak(reg, task, datum)
    except Exception as err:  # isolated: reported, the other parts go on
        from lerenwerkt.cli import scrub

        return DeelOutcome(task, {}, time.perf_counter() - t0, error=scrub(f"{type(err).__name__}: {err}")[:300])
    return DeelOutcome(task, files, time.perf_counter() - t0, datum=reproducible.iso(datum))


def _maak(reg, t: DeelTask, datum) -> dict[str, bytes]:
    g, sj = t.gemeente, t.schooljaar
    if t.deel == "memo":
        from lerenwerkt import memo_docx

        return {memo_docx.bestandsnaam(g): memo_docx.maak(reg, schooljaar=sj, gemeente=g, sjabloon=t.sjabloon, teksten_dir=t.teksten_dir)}
    if t.deel == "katern":
        from lerenwerkt import boek

        b = boek.maak(reg, schooljaar=sj, gemeente=g, publicatie=OPENBAAR, teksten_dir=t.teksten_dir)
        return {f"{boek.bestandsnaam(g)}.html": b.html.encode("utf-8")}
    from lerenwerkt import excel, tables

    scope = excel.scope_tables(reg, schooljaar=sj, gemeente=g, publicatie=OPENBAAR)
    return {f"{codes.slug(g)}.xlsx": excel.workbook(scope, datum=datum), "cells.csv": cells_csv(tables.cells(scope), openbaar=True).encode("utf-8")}


# ------------------------------------------------------------------ the build step
@dataclass
class Pakketten:
    """The packages of one build: plan (keys, what to do), the parts' files, PDFs, zips."""

    out_dir: Path
    schooljaar: str
    gemeenten: list[str]
    data_dir: Path | None
    data_hash: str
    force: bool = False
    sjablonen: dict[str | None, Path] = field(default_factory=dict)
    teksten_dir: Path | None = None
    log: Callable[[str], None] | None = print
    geschreven: list[str] = field(default_factory=list)  # "aalten/memo"
    overgeslagen: list[str] = field(default_factory=list)
    fouten: list[str] = field(default_factory=list)
    seconden: float = 0.0  # time in the parts (workers) and the PDFs
    todo: list[tuple[str, str]] = field(default_factory=list)
    keys: dict[tuple[str, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.out_dir = Path(self.out_dir)
        versions = buildstate.versions()
        teksten = teksten_fingerprint(self.schooljaar, self.teksten_dir)
        code = {d: code_fingerprint(mods) for d, mods in DELEN.items()}
        manifest = self._manifest()
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        self._printer: _Printer | None = None
        for g in self.gemeenten:
            sjabloon = self._sjabloon(g) or STANDAARD_SJABLOON
            for deel in DELEN:
                inputs = {
                    "deel": deel,
                    "data": self.data_hash,
                    "code": code[deel],
                    "gemeente": g,
                    "schooljaar": self.schooljaar,
                    "versions": versions,
                    **({"teksten": teksten} if deel != "tabellen" else {}),
                    **({"sjabloon": _sha(Path(sjabloon).read_bytes())} if deel == "memo" else {}),
                    **({"datum": epoch} if epoch else {}),  # SOURCE_DATE_EPOCH: the date in the files
                }
                key = buildstate.draft_key(inputs)
                self.keys[(g, deel)] = key
                entry = manifest.get(codes.slug(g), {}).get(deel, {})
                folder = map_van(self.out_dir, self.schooljaar, g)
                on_disk = all((folder / f).is_file() for f in entry.get("bestanden", ["-"]))
                pdf_later = deel == "katern" and entry.get("pdf") is False and _chromium_bekend()
                if not self.force and entry.get("key") == key and "bezig" not in entry and on_disk and not pdf_later:
                    self.overgeslagen.append(f"{codes.slug(g)}/{deel}")
                else:
                    self.todo.append((g, deel))

    def _sjabloon(self, gemeente: str) -> Path | None:
        return self.sjablonen.get(gemeente) or self.sjablonen.get(None)

    def tasks(self) -> list[DeelTask]:
        """The parts to make, katernen (the heaviest, and printed after) first."""
        order = {"katern": 0, "memo": 1, "tabellen": 2}
        todo = sorted(self.todo, key=lambda gd: order[gd[1]])
        data = str(self.data_dir) if self.data_dir else None
        return [
            DeelTask(g, d, self.schooljaar, data, str(self._sjabloon(g)) if self._sjabloon(g) else None, str(self.teksten_dir) if self.teksten_dir else None)
            for g, d in todo
        ]

    # -- manifest (the openbare edition's, section "pakket"; read and written under the lock)
    def _manifest(self) -> dict:
        path = self.out_dir / OPENBAAR / self.schooljaar / "manifest.json"
        return buildstate.read_manifest(path).get("pakket", {})

    def _record(self, gemeente: str, deel: str, entry: dict, files: dict | None = None, weg: Sequence[str] = ()) -> None:
        """Under the lock: say what is about to happen (``bezig``), write the files (and remove
        ``weg``), record them, and refresh the indexes (they link only what is on disk)."""
        from lerenwerkt import report
        from lerenwerkt.io import atomic_write_bytes

        with report.locked(self.out_dir):
            m = report._read(self.out_dir, self.schooljaar, OPENBAAR)
            parts = m.setdefault("pakket", {}).setdefault(codes.slug(gemeente), {})
            if files:
                parts[deel] = {**parts.get(deel, {}), "bezig": {"key": self.keys[(gemeente, deel)]}}
                report._write(self.out_dir, self.schooljaar, OPENBAAR, m)
                folder = map_van(self.out_dir, self.schooljaar, gemeente)
                for name, data in files.items():
                    atomic_write_bytes(folder / name, data)
                for name in weg:
                    (folder / name).unlink(missing_ok=True)
            parts[deel] = entry
            report._write(self.out_dir, self.schooljaar, OPENBAAR, m)
            report.write_indexes(self.out_dir)

    def store(self, o: DeelOutcome) -> None:
        """Write one made part (or record its failure); a katern goes on to its PDF."""
        g, deel = o.task.gemeente, o.task.deel
        self.seconden += o.seconds
        if o.error is not None:
            self.fouten.append(f"{g}, {deel}: {o.error}")
            self._record(g, deel, {"fout": o.error})
            return
        if deel == "katern":
            from lerenwerkt import boek

            if self._printer is None:
                self._printer = _Printer(self)
            name = f"{boek.bestandsnaam(g)}.pdf"
            # no old PDF beside a new HTML: removed in the same step (under the lock) that writes
            # the HTML and the indexes, so no index links a PDF that is gone
            self._record(g, deel, {"bezig": {"key": self.keys[(g, deel)]}, "bestanden": [*o.files], "datum": o.datum}, files=o.files, weg=[name])
            self._printer.put(g, o.datum)
            return
        self._record(g, deel, {"key": self.keys[(g, deel)], "bestanden": [*o.files], "datum": o.datum}, files=o.files)
        self.geschreven.append(f"{codes.slug(g)}/{deel}")

    def finish(self) -> None:
        """Wait for the katern PDFs."""
        if self._printer is not None:
            self._printer.finish()
            self._printer = None

    def cancel(self) -> None:
        if self._printer is not None:
            self._printer.cancel()
            self._printer = None

    # -- the zips
    def zips(self) -> list[Path]:
        """``<gemeente>.zip`` beside each folder: the files the openbare manifest lists for the
        gemeente (its openbare drafts and the package's parts), each a regular file (a link is
        never followed), whatever else is in the folder. Made again only when one of them
        changed (names, sizes and times are its key)."""
        from lerenwerkt import report
        from lerenwerkt.io import atomic_write_bytes

        written = []
        for g in self.gemeenten:
            folder = map_van(self.out_dir, self.schooljaar, g)
            if not folder.is_dir():
                continue
            target = zip_van(self.out_dir, self.schooljaar, g)
            slug = codes.slug(g)
            with report.locked(self.out_dir):  # no draft replaced while the folder is read
                m = report._read(self.out_dir, self.schooljaar, OPENBAAR)
                names = [n for n in genoemd(m, slug) if _regulier(folder / n)]
                datum = _zip_datum(m.get("pakket", {}).get(slug, {}))
                signature = _sha(json.dumps([datum, *[(n, (folder / n).lstat().st_size, (folder / n).lstat().st_mtime_ns) for n in names]]).encode())
                entry = m.setdefault("pakket", {}).setdefault(slug, {})
                if target.is_file() and entry.get("zip", {}).get("map") == signature:
                    continue
                atomic_write_bytes(target, maak_zip(folder, names, datum=datum))
                entry["zip"] = {"map": signature, "bestanden": names}
                report._write(self.out_dir, self.schooljaar, OPENBAAR, m)
            written.append(target)
        return written


def _zip_datum(parts: dict) -> str | None:
    """The package's date: the newest of its parts' (they are one delivery's)."""
    dates = [e["datum"] for d, e in parts.items() if d in DELEN and isinstance(e, dict) and e.get("datum")]
    return max(dates) if dates else None


def genoemd(manifest: dict, slug: str) -> list[str]:
    """The files of a gemeente's package as the openbare manifest records them: the openbare
    drafts in its folder and the files of its parts (not those being written or failed)."""
    names = set()
    for e in manifest.get("drafts", {}).values():
        folder, _, name = str(e.get("path", "")).partition("/")
        if folder == slug and name and "/" not in name and "bezig" not in e:
            names.add(name)
    for deel, e in manifest.get("pakket", {}).get(slug, {}).items():
        if deel in DELEN and "bezig" not in e and "fout" not in e:
            names.update(n for n in e.get("bestanden", []) if "/" not in n and not n.startswith("."))
    return sorted(names)


def _regulier(path: Path) -> bool:
    """A regular file, not a link (to one) nor anything else."""
    import stat

    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _lees_regulier(path: Path) -> bytes:
    """A regular file's bytes, never through a link (``O_NOFOLLOW``, checked on the open file)."""
    import os
    import stat

    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise OSError(f"{path.name}: geen gewoon bestand")
        return f.read()


#: This process's Chromium (in the printer process): started at the first katern, reused for all.
_PRINTER = None


def print_katern(html_path: str, titel: str, datum: str | None = None) -> tuple[str, float, str | None]:
    """Print one katern to PDF beside its HTML (runs in the build's printer process; the HTML
    gets its page numbers; the PDF's dates are ``datum``, the package's). Returns ("pdf" |
    "geen" (no Chromium) | "fout", seconds, error)."""
    global _PRINTER
    from lerenwerkt import boek, reproducible

    reproducible.gebruik(datum)

    t0 = time.perf_counter()
    if _PRINTER is None:
        try:
            _PRINTER = boek.Printer().__enter__()
        except (boek.GeenChromium, ImportError):
            _PRINTER = False
        except boek.ChromiumFout as err:  # there is a Chromium, but it does not start: the real cause, a failure
            return "fout", time.perf_counter() - t0, str(err)
    if _PRINTER is False:
        return "geen", 0.0, None
    try:
        html = Path(html_path)
        _PRINTER.pdf(html, html.with_suffix(".pdf"), titel=titel, openbaar=True)
    except boek.ChromiumFout as err:  # Chromium died while printing: the next katern gets a new one
        close_printer()
        return "fout", time.perf_counter() - t0, str(err)
    except Exception as err:
        from lerenwerkt.cli import scrub

        return "fout", time.perf_counter() - t0, scrub(f"{type(err).__name__}: {err}")[:300]
    return "pdf", time.perf_counter() - t0, None


def close_printer() -> None:
    global _PRINTER
    if _PRINTER:
        _PRINTER.__exit__(None, None, None)
    _PRINTER = None


#: A katern whose printer process died (e.g. killed) before its PDF was made.
PRINTPROCES_GESTOPT = "het printproces is onverwacht gestopt (gedood of gecrasht); de PDF is niet gemaakt, de volgende bouw maakt hem"


class _Printer:
    """One process of the build prints every katern, with one Chromium, while the workers
    build the drafts (Chromium does the work in processes of its own). The process dies with
    the build, as the workers do (:func:`lerenwerkt.engine.worker_init`), and Chromium with it."""

    def __init__(self, pk: Pakketten) -> None:
        import multiprocessing as mp
        import os
        from concurrent.futures import ProcessPoolExecutor

        from lerenwerkt import engine

        self.pk = pk
        self.pool = ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn"), initializer=engine.worker_init, initargs=(os.getpid(),))
        self.jobs: list[tuple[str, object]] = []
        self.datums: dict[str, str | None] = {}

    def put(self, gemeente: str, datum: str | None = None) -> None:
        from lerenwerkt import boek

        html_path = map_van(self.pk.out_dir, self.pk.schooljaar, gemeente) / f"{boek.bestandsnaam(gemeente)}.html"
        titel = f"Jaarverslag LerenWerkt {self.pk.schooljaar} · lokaal katern {gemeente} · openbaar"
        self.datums[gemeente] = datum
        self.jobs.append((gemeente, self.pool.submit(print_katern, str(html_path), titel, datum)))

    def finish(self) -> None:
        """Record each katern once its PDF is written (or without one: no Chromium)."""
        from lerenwerkt import boek

        pk, geen = self.pk, False
        try:
            for g, future in self.jobs:
                try:
                    status, seconds, error = future.result()
                except Exception:  # the printer process died (killed): this katern has no PDF, the build goes on
                    status, seconds, error = "fout", 0.0, PRINTPROCES_GESTOPT
                pk.seconden += seconds
                if status == "fout":
                    pk.fouten.append(f"{g}, katern (PDF): {error}")
                    pk._record(g, "katern", {"fout": error})
                    continue
                geen |= status == "geen"
                pdf = status == "pdf"
                entry = {"key": pk.keys[(g, "katern")], "bestanden": bestanden(g, "katern", pdf=pdf), "pdf": pdf, "datum": self.datums.get(g)}
                pk._record(g, "katern", entry)
                pk.geschreven.append(f"{codes.slug(g)}/katern")
            if geen and pk.log:
                pk.log(f"Lokaal katern zonder PDF. {boek.GEEN_CHROMIUM}")
            with contextlib.suppress(Exception):  # a printer process that died has no Chromium left to close
                self.pool.submit(close_printer).result()
        finally:
            self.pool.shutdown(wait=True)

    def cancel(self) -> None:
        """Stop now: the printer process is ended (Chromium follows), queued katernen dropped."""
        from lerenwerkt.report import _stop_pool

        _stop_pool(self.pool)


def maak_zip(folder: Path, names: Sequence[str], *, datum: str | None = None) -> bytes:
    """The named files of the folder as a zip (entries ``<gemeente>/<file>``), byte for byte
    the same for the same files: one time for every entry (the package's date, see
    :mod:`lerenwerkt.reproducible`), fixed order and permissions."""
    from datetime import datetime

    from lerenwerkt import reproducible

    tijd = reproducible.zip_tijd(datetime.fromisoformat(datum) if datum else reproducible.datum())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for name in sorted(names):
            info = zipfile.ZipInfo(f"{folder.name}/{name}", date_time=tijd)
            info.compress_type = zipfile.ZIP_STORED if Path(name).suffix in (".docx", ".xlsx", ".zip") else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            z.writestr(info, _lees_regulier(folder / name))
    return buf.getvalue()


def _chromium_bekend() -> bool:
    """As :func:`lerenwerkt.boek.chromium_pad` (without importing the book)."""
    import os
    import shutil

    return bool(os.environ.get("LERENWERKT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser"))
