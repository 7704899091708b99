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
