"""Notebook hygiene: committed without outputs, thin, parameterised for papermill."""

from __future__ import annotations

import re

import nbformat
import pytest

from lerenwerkt import config
from lerenwerkt.chapters import CHAPTERS, RESEARCH

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("**/*.ipynb"))


def test_there_are_notebooks():
    assert {p.stem for p in NOTEBOOKS} == set(CHAPTERS) | set(RESEARCH)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_clean_and_thin(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert not any(c.outputs or c.execution_count for c in code), "commit notebooks without outputs"
    assert "parameters" in code[0].metadata.get("tags", []), "first code cell is the papermill parameters cell"
    for c in code:
        assert "def " not in c.source and "class " not in c.source, "logic belongs in the package"
        strings = re.findall(r"[\"']([^\"'\n]*)[\"']", c.source)
        assert not [s for s in strings if "/" in s or "\\" in s], f"no paths as strings in notebooks: {c.source!r}"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom_with_its_defaults(path):
    """As an analyst runs it in JupyterLab: the notebook as committed, no injected parameters."""
    from lerenwerkt import engine

    nb = nbformat.read(path, as_version=4)
    executed = engine._kernel().run(nb)
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    shown = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "execute_result"]
    assert len(shown) >= 3 and all("text/html" in o.data for o in shown)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_takes_its_scope_as_the_cli_does(path):
    """The setup cell passes the parameters through ``chapters.scope_van``, so a notebook
    accepts ``gemeente = "oude-ijsselstreek"`` as ``lerenwerkt build --gemeente`` does."""
    nb = nbformat.read(path, as_version=4)
    setup = [c for c in nb.cells if c.cell_type == "code"][1].source
    assert "scope = scope_van(schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie)" in setup


def test_scope_van_accepts_slug_name_and_region():
    from lerenwerkt import codes
    from lerenwerkt.chapters import scope_van

    for g in codes.GEMEENTEN:
        assert scope_van(schooljaar="2024-2025", gemeente=codes.slug(g), publicatie="intern")["gemeente"] == g
        assert scope_van(schooljaar="2024-2025", gemeente=g, publicatie="openbaar")["gemeente"] == g
    for regio in (None, codes.slug(None), codes.REGIO):
        assert scope_van(schooljaar="2024-2025", gemeente=regio, publicatie="intern")["gemeente"] is None
    with pytest.raises(ValueError, match="onbekende waarde"):
        scope_van(schooljaar="2024-2025", gemeente="atlantis", publicatie="intern")


@pytest.mark.slow
def test_notebook_runs_with_a_slug_as_gemeente():
    """As an analyst types it: ``gemeente = "aalten"`` in the parameters cell."""
    from papermill.parameterize import parameterize_notebook

    from lerenwerkt import engine
    from lerenwerkt.chapters import notebook_path

    nb = nbformat.read(notebook_path("raadsmededeling"), as_version=4)
    nb.metadata.setdefault("papermill", {})
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
    nb = parameterize_notebook(nb, {"gemeente": "aalten"})
    executed = engine._kernel().run(nb)
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, [e.get("evalue") for e in errors]
    html = "".join(o.data.get("text/html", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "execute_result")
    assert "Aalten" in html
