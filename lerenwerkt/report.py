"""Stage 7: execute chapter notebooks with papermill and export them to HTML.

``build()`` validates the delivery first (an invalid delivery writes nothing), then for
every scope × chapter executes the notebook, exports it without code with one reused
nbconvert ``HTMLExporter`` and writes ``reports/<schooljaar>/<scope>/<chapter>.html``
atomically, plus ``reports/<schooljaar>/index.html``. A failing draft does not stop the
others; it is listed on the index and the build ends with a non-zero status.
"""

from __future__ import annotations

import html
import os
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import papermill as pm
from nbconvert import HTMLExporter

from lerenwerkt import codes, config
from lerenwerkt import schooljaar as sj
from lerenwerkt.io import atomic_write_text
from lerenwerkt.pipeline import prepare

CHAPTER_TITLES = {
    "verzuim": "Schoolverzuim",
    "vrijstellingen": "Vrijstellingen en handhaving",
    "vsv": "Voortijdig schoolverlaten",
    "jikp": "Jongeren in een kwetsbare positie",
    "bijlagen": "Bijlagen",
    "raadsmededeling": "Raadsmededeling",
}
#: Chapters that exist per gemeente only (a council memo has no regional version).
GEMEENTE_ONLY = {"raadsmededeling"}

CSS = """
<style>
body { font-family: "Segoe UI", Arial, sans-serif; color: #1a1a1a; }
.jp-Notebook, body > main { max-width: 60rem; margin: 0 auto; }
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
@media print { body { font-size: 10pt; } figure, table { page-break-inside: avoid; } a { color: inherit; } }
</style>
"""


def available_chapters() -> list[str]:
    """Chapters with a notebook, in report order."""
    return [c for c in CHAPTER_TITLES if (config.NOTEBOOKS_DIR / f"{c}.ipynb").exists()]


@dataclass
class DraftResult:
    schooljaar: str
    gemeente: str | None
    chapter: str
    path: Path | None
    seconds: float
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class BuildResult:
    drafts: list[DraftResult] = field(default_factory=list)
    index: Path | None = None

    @property
    def ok(self) -> bool:
        return all(d.ok for d in self.drafts)


def _exporter() -> HTMLExporter:
    ex = HTMLExporter(template_name="lab")
    ex.exclude_input = True
    ex.exclude_input_prompt = True
    ex.exclude_output_prompt = True
    return ex


def _clean_for_export(nb: nbformat.NotebookNode, *, title: str) -> nbformat.NotebookNode:
    """Drop what makes output non-deterministic or is not for readers: papermill's
    random cell id and timing metadata, stderr streams (logged elsewhere)."""
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:02d}"
        cell.metadata = {k: v for k, v in cell.metadata.items() if k == "tags"}
        if cell.cell_type == "code":
            cell.execution_count = None
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.get("name") == "stderr")]
            for o in cell.outputs:
                if o.output_type == "execute_result":
                    o.execution_count = None
                if "metadata" in o:
                    o.metadata = {}
    nb.metadata = {"title": title, "kernelspec": nb.metadata.get("kernelspec", {}), "language_info": {"name": "python"}}
    return nb


def execute(chapter: str, *, schooljaar: str, gemeente: str | None, data_dir: Path | None) -> nbformat.NotebookNode:
    """Run one chapter notebook for one scope; returns the executed notebook."""
    params = {"schooljaar": schooljaar, "gemeente": gemeente, "data_dir": str(data_dir) if data_dir else None}
    os.environ.setdefault("PYTHONHASHSEED", "0")  # kernels inherit it: stable set order
    os.environ.setdefault("MPLBACKEND", "Agg")
    return pm.execute_notebook(
        str(config.NOTEBOOKS_DIR / f"{chapter}.ipynb"),
        None,
        parameters=params,
        kernel_name="python3",
        cwd=str(config.NOTEBOOKS_DIR),
        progress_bar=False,
        log_output=False,
        extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no TCP-transport warning on stderr
    )


def draft_path(out_dir: Path, schooljaar: str, gemeente: str | None, chapter: str) -> Path:
    return out_dir / schooljaar / codes.slug(gemeente) / f"{chapter}.html"


def build(
    *,
    schooljaar: str = config.DEFAULT_SCHOOLJAAR,
    gemeenten: Sequence[str | None] | None = None,
    chapters: Sequence[str] | None = None,
    data_dir: Path | str | None = None,
    out_dir: Path | str | None = None,
    progress: bool = True,
) -> BuildResult:
    """Build the drafts; see the module docstring."""
    sj.parse(schooljaar)
    data_dir = Path(data_dir).resolve() if data_dir else None
    out_dir = Path(out_dir) if out_dir else config.REPORTS_DIR
    gemeenten = [None, *codes.GEMEENTEN] if gemeenten is None else list(gemeenten)
    known = available_chapters()
    chapters = known if chapters is None else list(chapters)
    unknown = [c for c in chapters if c not in known]
    if unknown:
        raise ValueError(f"chapter: onbekend hoofdstuk {', '.join(unknown)}; beschikbaar: {', '.join(known)}")
    reg = prepare(data_dir)  # raises DeliveryError before anything is written
    if not (reg["verzuimmeldingen"].schooljaar == schooljaar).any():
        raise ValueError(f"schooljaar: de levering bevat geen meldingen in {schooljaar}")
    exporter = _exporter()
    result = BuildResult()
    jobs = [(g, c) for g in gemeenten for c in chapters if not (g is None and c in GEMEENTE_ONLY)]
    bar = _progress(len(jobs), progress)
    for g, chapter in jobs:
        t0 = time.perf_counter()
        path = draft_path(out_dir, schooljaar, g, chapter)
        title = f"{CHAPTER_TITLES[chapter]} — {g or codes.REGIO} — {schooljaar}"
        try:
            nb = execute(chapter, schooljaar=schooljaar, gemeente=g, data_dir=data_dir)
            body, _ = exporter.from_notebook_node(_clean_for_export(nb, title=title))
            atomic_write_text(path, body.replace("</head>", CSS + "</head>", 1))
            result.drafts.append(DraftResult(schooljaar, g, chapter, path, time.perf_counter() - t0))
        except Exception as exc:  # one failing draft must not stop the others
            failed = config.BUILD_DIR / "failed" / schooljaar / f"{codes.slug(g)}-{chapter}.txt"
            atomic_write_text(failed, "".join(traceback.format_exception(exc)))
            result.drafts.append(DraftResult(schooljaar, g, chapter, None, time.perf_counter() - t0, error=f"{type(exc).__name__} (zie {failed})"))
        bar.update(1)
    bar.close()
    result.index = write_index(out_dir, schooljaar, result)
    return result


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, disable=not enabled, unit="concept", desc="Bouwen")


def write_index(out_dir: Path, schooljaar: str, result: BuildResult) -> Path:
    """``reports/<schooljaar>/index.html``: scope × chapter matrix linking every draft on
    disk, with the status of this build."""
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
                cells.append(f'<td class="fout">mislukt: {html.escape(d.error or "")}</td>')
            elif path.exists():
                rel = path.relative_to(year_dir).as_posix()
                cells.append(f'<td><a href="{rel}">{html.escape(CHAPTER_TITLES[c])}</a></td>')
            else:
                cells.append("<td>—</td>")
        rows.append(f"<tr><th>{html.escape(g or codes.REGIO + ' (regio)')}</th>{''.join(cells)}</tr>")
    head = "".join(f"<th>{html.escape(CHAPTER_TITLES[c])}</th>" for c in chapters)
    page = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Jaarverslag LerenWerkt {schooljaar} — concepten</title>
<style>body{{font-family:Arial,sans-serif;margin:2rem}}table{{border-collapse:collapse}}th,td{{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}}td.fout{{background:#fde2e2}}</style>
</head><body>
<h1>Jaarverslag LerenWerkt {schooljaar}</h1>
<p>Concepthoofdstukken per gemeente en voor de regio.</p>
<table><thead><tr><th>Gemeente</th>{head}</tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table>
</body></html>
"""
    path = year_dir / "index.html"
    atomic_write_text(path, page)
    return path
