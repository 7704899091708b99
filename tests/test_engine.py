"""The build engine: warm kernels equal cold runs byte for byte, incremental decisions by
content hash, failure isolation, and a pluggable (dask) executor."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat

import pytest

from lerenwerkt import config, engine
from lerenwerkt.report import build

pytestmark = pytest.mark.slow
S = "2024-2025"


def _task(chapter="verzuim", gemeente="Doesburg", cold=False):
    return engine.DraftTask(chapter, S, gemeente, None, "titel", cold)


def test_warm_kernel_html_equals_cold_run():
    cold = engine.render_draft(_task(cold=True))
    warm_first = engine.render_draft(_task("bijlagen"))  # leave state behind in the kernel
    warm = engine.render_draft(_task())
    assert cold.error is None and warm.error is None and warm_first.error is None
    assert warm.html == cold.html


@pytest.fixture
def notebooks(tmp_path, monkeypatch):
    """A private copy of notebooks/ that a test may edit."""
    nbdir = tmp_path / "notebooks"
    shutil.copytree(config.NOTEBOOKS_DIR, nbdir)
    monkeypatch.setattr(config, "NOTEBOOKS_DIR", nbdir)
    return nbdir


def _statuses(result):
    return {(d.gemeente, d.chapter): d.status for d in result.drafts}


def test_incremental_rebuilds_only_what_changed(tmp_path, notebooks, raw_copy):
    out = tmp_path / "reports"
    kw = dict(gemeenten=["Aalten"], chapters=["verzuim", "bijlagen"], out_dir=out, data_dir=raw_copy, jobs=1, progress=False, log=None)
    first = build(**kw)
    assert set(_statuses(first).values()) == {"gebouwd"}
    page = out / S / "aalten/verzuim.html"
    before = page.read_bytes()

    again = build(**kw)
    assert set(_statuses(again).values()) == {"overgeslagen"}
    assert page.read_bytes() == before

    # a change to one notebook rebuilds that chapter only
    nb = json.loads((notebooks / "bijlagen.ipynb").read_text())
    nb["cells"].append({"cell_type": "markdown", "id": "extra", "metadata": {}, "source": "Extra toelichting."})
    (notebooks / "bijlagen.ipynb").write_text(json.dumps(nb))
    assert _statuses(build(**kw)) == {("Aalten", "verzuim"): "overgeslagen", ("Aalten", "bijlagen"): "gebouwd"}

    # a change to the data rebuilds everything; so does --force
    with open(raw_copy / "extern/kerncijfers.csv", "a", encoding="utf-8") as fh:
        fh.write("2024-2025,extra_indicator,1,synthetisch\n")
    assert set(_statuses(build(**kw)).values()) == {"gebouwd"}
    assert set(_statuses(build(**kw, force=True)).values()) == {"gebouwd"}

    manifest = json.loads((out / S / "manifest.json").read_text())
    entry = manifest["drafts"]["aalten/verzuim"]
    assert set(entry["inputs"]) == {"data", "notebook", "code", "parameters", "versions"}
    assert 'name="lerenwerkt-invoer-sha256"' in page.read_text()


def test_one_failing_draft_does_not_stop_the_others(tmp_path, notebooks):
    nb = json.loads((notebooks / "jikp.ipynb").read_text())
    nb["cells"].append(
        {"cell_type": "code", "id": "boom", "metadata": {}, "outputs": [], "execution_count": None, "source": "raise RuntimeError('hoofdstuk kapot')"}
    )
    (notebooks / "jikp.ipynb").write_text(json.dumps(nb))
    out = tmp_path / "reports"
    result = build(gemeenten=["Winterswijk"], chapters=["jikp", "verzuim"], out_dir=out, jobs=1, progress=False, log=None)
    status = _statuses(result)
    assert status == {("Winterswijk", "jikp"): "mislukt", ("Winterswijk", "verzuim"): "gebouwd"}
    assert not result.ok
    failed = next(d for d in result.drafts if d.status == "mislukt")
    assert "hoofdstuk kapot" in failed.error
    assert failed.failed_notebook.exists()
    assert "RuntimeError" in failed.failed_notebook.read_text()
    # beside the output, readable by the owner only; never in the repository's build/
    assert out / ".mislukt" in failed.failed_notebook.parents
    assert stat.S_IMODE(failed.failed_notebook.stat().st_mode) == 0o600
    assert stat.S_IMODE((out / ".mislukt").stat().st_mode) == 0o700
    assert stat.S_IMODE(failed.failed_notebook.parent.stat().st_mode) == 0o700
    index = (out / S / "index.html").read_text()
    assert "mislukt" in index and "notebook" in index
    link = next(h for h in re.findall(r'href="([^"]+)"', index) if h.endswith(".ipynb"))
    assert (out / S / link).resolve() == failed.failed_notebook.resolve()
    assert not (out / S / "winterswijk/jikp.html").exists()
    # a normal draft gets the umask's permissions
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((out / S / "winterswijk/verzuim.html").stat().st_mode) == 0o666 & ~umask

    # once the chapter works again, the failure, its notebook and its link are gone
    nb["cells"].pop()
    (notebooks / "jikp.ipynb").write_text(json.dumps(nb))
    again = build(gemeenten=["Winterswijk"], chapters=["jikp", "verzuim"], out_dir=out, jobs=1, progress=False, log=None)
    assert again.ok and not failed.failed_notebook.exists()
    index = (out / S / "index.html").read_text()
    assert ".ipynb" not in index and "mislukt:" not in index


def test_a_killed_kernel_is_replaced_and_the_draft_retried():
    import signal

    first = engine.render_draft(_task("jikp"))
    kernel = engine._kernel()
    os.kill(kernel.pid, signal.SIGKILL)
    again = engine.render_draft(_task("jikp"))  # the kernel is dead before the draft starts
    assert first.error is None and again.error is None, again.error
    assert again.html == first.html
    assert engine._kernel() is not kernel and engine._kernel().alive()


def _code_keys(chapters):
    from lerenwerkt import buildstate

    return {c: buildstate.code_fingerprint(c) for c in chapters}


def test_a_draft_depends_on_the_modules_it_imports_only(tmp_path, monkeypatch):
    """The key holds the chapter's own module and what it imports (statically, transitively):
    an edit in chapters/vsv.py changes the vsv key only; an edit in a module every chapter
    uses changes them all."""
    from lerenwerkt import buildstate
    from lerenwerkt.chapters import CHAPTERS

    pkg = tmp_path / "lerenwerkt"
    shutil.copytree(config.PACKAGE_DIR, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(config, "PACKAGE_DIR", pkg)
    deps = buildstate.code_dependencies("vsv")
    assert "chapters/vsv.py" in deps and "chapters/verzuim.py" not in deps
    assert {"tables/__init__.py", "tables/vsv.py", "engine.py", "report.py", "disclosure_rules.csv", "templates/lerenwerkt/index.html.j2"} <= set(deps)
    assert "chapters/verzuim.py" in buildstate.code_dependencies("bijlagen")  # bijlagen imports the verzuim chapter
    before = _code_keys(CHAPTERS)
    with open(pkg / "chapters/vsv.py", "a", encoding="utf-8") as fh:
        fh.write("\n# een kleine wijziging\n")
    after = _code_keys(CHAPTERS)
    assert [c for c in CHAPTERS if before[c] != after[c]] == ["vsv"]
    with open(pkg / "fmt.py", "a", encoding="utf-8") as fh:
        fh.write("\n# een wijziging die ieder hoofdstuk raakt\n")
    assert all(_code_keys(CHAPTERS)[c] != after[c] for c in CHAPTERS)


def test_an_edit_in_the_vsv_chapter_rebuilds_the_vsv_drafts_only(tmp_path, monkeypatch, raw_copy):
    """End to end: the build's decisions follow the package files the keys are computed from."""
    pkg = tmp_path / "lerenwerkt"
    shutil.copytree(config.PACKAGE_DIR, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(config, "PACKAGE_DIR", pkg)
    kw = dict(gemeenten=["Doesburg"], chapters=["verzuim", "vsv", "jikp"], out_dir=tmp_path / "uit", data_dir=raw_copy, jobs=1, progress=False, log=None)
    assert set(_statuses(build(**kw)).values()) == {"gebouwd"}
    with open(pkg / "chapters/vsv.py", "a", encoding="utf-8") as fh:
        fh.write("\n# een kleine wijziging\n")
    assert _statuses(build(**kw)) == {("Doesburg", "verzuim"): "overgeslagen", ("Doesburg", "vsv"): "gebouwd", ("Doesburg", "jikp"): "overgeslagen"}


def test_dask_executor_builds_the_same_bytes(tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        result = build(gemeenten=["Doesburg"], chapters=["verzuim"], out_dir=tmp_path / "dask", executor=client.get_executor(), progress=False, log=None)
    assert result.ok, [d.error for d in result.drafts]
    local = build(gemeenten=["Doesburg"], chapters=["verzuim"], out_dir=tmp_path / "local", jobs=1, progress=False, log=None)
    assert (tmp_path / "dask" / S / "doesburg/verzuim.html").read_bytes() == (tmp_path / "local" / S / "doesburg/verzuim.html").read_bytes()
    assert local.ok


@pytest.mark.parametrize(("chapter", "gemeente", "publicatie"), [("verzuim", None, "intern"), ("raadsmededeling", "Aalten", "openbaar")])
def test_a_section_shown_from_the_collect_pass_equals_its_second_run(shipped, chapter, gemeente, publicatie):
    """A draft runs its claim-making sections once to collect their tests; a section whose
    output the draft's rule leaves unchanged is shown from that run. Running each of those
    sections again under the draft's rule gives the same bytes, and the method note (which
    reads the family) is always run again."""
    import importlib
    import inspect

    from lerenwerkt import claims

    module = importlib.import_module(f"lerenwerkt.chapters.{chapter}")
    scope = {"schooljaar": S, "gemeente": gemeente, "publicatie": publicatie}
    claims._cache.clear()
    family = claims._family(module, (shipped,), scope, module.methode)
    reused = dict(family.outputs)
    assert reused and all(name != "methode" for _, name, *_ in reused)

    def call(name):
        params = inspect.signature(getattr(module, name)).parameters
        return {k: v for k, v in scope.items() if k in params}

    for (_, name, *_), output in reused.items():
        section = getattr(module, name).__wrapped__
        claims._active = family
        try:
            again = section(shipped, **call(name))
        finally:
            claims._active = None
        assert again.markup == output.markup, name
    # in a draft, the first call of a reused section returns the collect pass's output
    first = next(iter(reused))
    assert getattr(module, first[1])(shipped, **call(first[1])) is reused[first]
    claims._cache.clear()


def test_the_longest_drafts_are_started_first():
    tasks = [_task(c, g) for g in (None, "Aalten") for c in ("bijlagen", "raadsmededeling", "vsv", "verzuim", "jikp", "vrijstellingen")]
    order = [(t.chapter, t.gemeente) for t in engine.schedule(tasks)]
    assert order[:2] == [("verzuim", None), ("verzuim", "Aalten")]
    assert [c for c, _ in order[-2:]] == ["bijlagen", "bijlagen"]
    assert sorted(order, key=str) == sorted(((t.chapter, t.gemeente) for t in tasks), key=str)  # nothing lost


def test_the_draft_exporter_equals_nbconvert_without_its_soup_pass():
    """The exporter skips nbconvert's BeautifulSoup pass (80% of an export); the page it
    writes is the same document: parsed and written out as nbconvert does, it is nbconvert's
    page, byte for byte (alt texts, focusable cells and outputs included)."""
    import nbformat
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("## Kop\n\nTekst met *nadruk* en een lijst:\n\n- één\n- twee"),
        nbformat.v4.new_code_cell(
            "x",
            outputs=[
                nbformat.v4.new_output(
                    "execute_result",
                    data={
                        "text/html": '<figure class="lw-figure"><img alt="Grafiek" src="data:image/png;base64,AAAA"/></figure><table><tr><td>1&nbsp;2</td></tr></table>'
                    },
                    execution_count=1,
                )
            ],
        ),
        nbformat.v4.new_code_cell("y", outputs=[nbformat.v4.new_output("display_data", data={"text/html": "<p>zonder&amp;met</p>"})]),
    ]
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb = engine.clean_for_export(nb, title="Proef")
    ours, _ = engine.exporter().from_notebook_node(nb)
    reference = HTMLExporter(template_name="lerenwerkt", extra_template_basedirs=[str(config.PACKAGE_DIR / "templates")])
    reference.exclude_input = reference.exclude_input_prompt = reference.exclude_output_prompt = True
    theirs, _ = reference.from_notebook_node(nb)
    assert ours.count('tabindex="0"') == theirs.count('tabindex="0"') == 3  # the markdown cell and the two outputs
    assert str(BeautifulSoup(ours, features="html.parser")) == theirs
