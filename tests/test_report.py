"""A real build: papermill executes the chapter, nbconvert exports it without code."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from lerenwerkt import config
from lerenwerkt.report import build

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    result = build(gemeenten=[None, "Oude IJsselstreek"], out_dir=out, progress=False)
    return out, result


def test_drafts_and_index_are_written(built):
    out, result = built
    assert result.ok, [d.error for d in result.drafts]
    assert (out / "2024-2025/lerenwerkt/verzuim.html").exists()
    for chapter in ("verzuim", "vrijstellingen", "vsv", "jikp", "bijlagen"):
        assert (out / f"2024-2025/oude-ijsselstreek/{chapter}.html").exists()
    # the memo is always openbaar: in the public package, never beside the intern chapters
    assert (out / "openbaar/2024-2025/oude-ijsselstreek/raadsmededeling.html").exists()
    assert not (out / "2024-2025/oude-ijsselstreek/raadsmededeling.html").exists()
    assert not list(out.rglob("lerenwerkt/raadsmededeling.html")), "no memo for the region"
    assert (out / "2024-2025/datakwaliteit.html").exists(), "the data-quality page comes with every intern build"
    assert len(result.drafts) == 11
    for index in (out / "index.html", out / "2024-2025/index.html", out / "openbaar/index.html", out / "openbaar/2024-2025/index.html"):
        for href in re.findall(r'href="([^"]+)"', index.read_text()):
            assert (index.parent / href).exists(), f"{index}: {href}"
    year = (out / "2024-2025/index.html").read_text()
    assert "<h2>Intern</h2>" in year and "<h2>Openbaar (kleine aantallen onderdrukt)</h2>" in year
    assert "11 concepten" not in year and "10 concepten aanwezig, waarvan 10 actueel" in year and "1 concept aanwezig" in year


def test_intern_pages_carry_the_banner_and_openbaar_holds_only_public_pages(built):
    out, _ = built
    intern = [*out.glob("2024-2025/*/*.html"), out / "2024-2025/datakwaliteit.html", out / "2024-2025/index.html", out / "index.html"]
    for page in intern:
        body = page.read_text().split("<body", 1)[1]
        assert body.split(">", 1)[1].startswith('<div class="lw-intern" role="note">INTERN — niet verspreiden</div>'), page
    public = [p for p in (out / "openbaar").rglob("*") if p.is_file()]
    package = {"raadsmededeling-oude-ijsselstreek.docx", "lokaal-katern-oude-ijsselstreek.html", "oude-ijsselstreek.xlsx", "cells.csv", "oude-ijsselstreek.zip"}
    names = {p.name for p in public}
    assert {"raadsmededeling.html", "index.html", "manifest.json", *package} <= names  # the memo and the gemeente's package
    assert names - {"raadsmededeling.html", "index.html", "manifest.json", *package} <= {"lokaal-katern-oude-ijsselstreek.pdf"}
    for page in (p for p in public if p.suffix in (".html", ".json")):
        text = page.read_text()
        assert '<div class="lw-intern"' not in text and "datakwaliteit" not in text, page
        for href in re.findall(r'href="([^"]+)"', text):  # nothing links out of the public package
            assert (out / "openbaar") in (page.parent / href).resolve().parents, f"{page}: {href}"
    css = (out / "2024-2025/lerenwerkt/verzuim.html").read_text()
    assert re.search(r"@media print \{ div\.lw-intern \{ position: fixed", css), "the banner shows on every printed page"


def test_html_shows_no_code_and_dutch_numbers(built):
    out, _ = built
    page = (out / "2024-2025/lerenwerkt/verzuim.html").read_text()
    page = re.sub(r"<style.*?</style>|<script.*?</script>", "", page.split("<body", 1)[1], flags=re.S)
    assert "hoofdstuk." not in page and "prepare(" not in page and "import " not in page
    assert "jp-CodeMirrorEditor" not in page and 'class="highlight' not in page  # no code input
    assert "Traceback" not in page and "Warning" not in page and "&lt;Figure" not in page
    assert "1.209" in page and "2.205" in page  # 18+ meldingen, Diagram 1 total
    assert "Grafiek 2 Aantal meldingen absoluut verzuim" in page and "Bron: JVS" in page
    assert page.count("data:image/png;base64,") >= 4  # charts embedded
    full = (out / "2024-2025/lerenwerkt/verzuim.html").read_text()
    assert not re.search(r'(src|href)="https?://', full), "a draft is self-contained: nothing loaded from the internet"
    assert '<nav class="lw-toc"' in full and "<title>Schoolverzuim — LerenWerkt — 2024-2025</title>" in full


def test_no_personal_data_in_drafts(built):
    out, _ = built
    vm = pd.read_csv(config.RAW_DIR / "registratie/verzuimmeldingen.csv", dtype=str)
    text = "".join(p.read_text() for p in out.rglob("*.html"))
    sample_ids = set(vm.jongere_id.head(200)) | set(vm.melding_id.head(200))
    assert not [i for i in sample_ids if i in text]
    assert not re.search(r"\b(19|20)\d\d-\d\d-\d\d\b", text), "no dates (birth dates) in a draft"


def test_rebuild_is_byte_identical(built, tmp_path):
    out, _ = built
    again = build(gemeenten=["Oude IJsselstreek"], chapters=["verzuim"], out_dir=tmp_path, progress=False)
    assert again.ok
    first = (out / "2024-2025/oude-ijsselstreek/verzuim.html").read_bytes()
    assert (tmp_path / "2024-2025/oude-ijsselstreek/verzuim.html").read_bytes() == first


def test_earlier_schooljaar_builds(built):
    """Three-year trends shrink to what the data has, without errors; the landing page spans
    every built schooljaar."""
    out, _ = built
    result = build(schooljaar="2023-2024", gemeenten=["Aalten"], chapters=["verzuim", "raadsmededeling"], out_dir=out, progress=False)
    assert result.ok, [d.error for d in result.drafts]
    page = (out / "openbaar/2023-2024/aalten/raadsmededeling.html").read_text()
    assert "2022-2023" in page and "Lokale ontwikkelingen verzuim" in page
    landing = (out / "index.html").read_text()
    for href in ("2024-2025/index.html", "2023-2024/index.html", "openbaar/2024-2025/index.html", "openbaar/2023-2024/index.html"):
        assert f'href="{href}"' in landing


def test_research_notebook_builds_for_region_and_gemeente(tmp_path):
    result = build(gemeenten=[None, "Montferland"], chapters=["absoluut_verzuim"], out_dir=tmp_path, progress=False, log=None)
    assert result.ok, [d.error for d in result.drafts]
    page = (tmp_path / "2024-2025/montferland/absoluut_verzuim.html").read_text()
    assert "Kaplan–Meier" in page and "Funnelplot" in page


def test_openbaar_build_goes_to_its_own_folder_and_memo_is_always_openbaar(tmp_path):
    kw = dict(gemeenten=["Doesburg"], chapters=["verzuim", "raadsmededeling"], out_dir=tmp_path, progress=False, log=None, pakket=False)  # drafts only
    result = build(publicatie="openbaar", **kw)
    assert result.ok, [d.error for d in result.drafts]
    page = (tmp_path / "openbaar/2024-2025/doesburg/verzuim.html").read_text()
    assert "openbaar (kleine aantallen onderdrukt)" in page and "niet gepubliceerd" in page
    assert not (tmp_path / "2024-2025").exists(), "an openbaar build writes nothing intern (no data-quality page)"
    # intern into the same folder: beside it, never mixed
    intern = build(**kw)
    assert intern.ok
    assert "· intern" in (tmp_path / "2024-2025/doesburg/verzuim.html").read_text()
    assert "openbaar (kleine aantallen onderdrukt)" in (tmp_path / "openbaar/2024-2025/doesburg/raadsmededeling.html").read_text()
    assert [p.name for p in (tmp_path / "2024-2025/doesburg").iterdir()] == ["verzuim.html"]
    assert {p.name for p in (tmp_path / "openbaar/2024-2025/doesburg").iterdir()} == {"verzuim.html", "raadsmededeling.html"}


#: Sources of public figures (extern/: CBS, DUO, Leerplichttelling, JIKP-dashboard): not suppressed.
REGISTER_SOURCES = ("JVS", "levering")


def test_openbaar_package_shows_no_small_register_count(tmp_path):
    """Every file of an openbaar build: no table cell from the register holds a count from 1
    to 4 (the threshold), and nothing intern (data-quality page, banner) is in the package."""
    from lerenwerkt.disclosure import rules

    k = rules().drempel
    result = build(gemeenten=[None, "Doesburg"], out_dir=tmp_path, publicatie="openbaar", progress=False, log=None, pakket=False)  # the package: test_pakket
    assert result.ok, [d.error for d in result.drafts]
    files = [p for p in (tmp_path / "openbaar").rglob("*") if p.is_file()]
    assert len([p for p in files if p.suffix == ".html"]) == len(result.drafts) + 2  # drafts, two indexes
    assert not (tmp_path / "2024-2025").exists()
    tables = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "datakwaliteit" not in text and '<div class="lw-intern"' not in text, path
        for fig in re.findall(r'<figure class="lw-table">(.*?)</figure>', text, flags=re.S):
            bron = re.search(r"Bron: ([^<]*)", fig)
            if not bron or not any(s in bron.group(1) for s in REGISTER_SOURCES):
                continue
            tables += 1
            small = [c for c in re.findall(r"<td[^>]*>\s*([^<]*?)\s*</td>", fig) if c.isdigit() and 0 < int(c) < k]
            caption = re.search(r"<caption>(.*?)</caption>", fig, flags=re.S)
            assert not small, f"{path.relative_to(tmp_path)}: {caption.group(1) if caption else '?'} shows {small}"
    assert tables >= 40


def test_public_index_shows_no_build_details_and_the_intern_index_links_the_book(built, tmp_path):
    import shutil

    from lerenwerkt.report import locked, write_indexes

    out, _ = built
    public = (out / "openbaar/2024-2025/index.html").read_text() + (out / "openbaar/index.html").read_text()
    for detail in ("concept", "actueel", "laatste bouw", "mislukt", "verouderd"):
        assert detail not in public.lower(), detail
    assert not re.search(r"\d s\b", public), "no timings on the public index"
    assert "Raadsmededeling (Word)" in public and "raadsmededeling-oude-ijsselstreek.docx" in public
    copy = tmp_path / "reports"
    shutil.copytree(out, copy)
    year = copy / "2024-2025"
    assert 'href="boek/jaarverslag.html"' not in (year / "index.html").read_text()
    (year / "boek").mkdir()
    for name in ("jaarverslag.html", "lokaal-katern-aalten.html"):
        (year / "boek" / name).write_text("<html></html>", encoding="utf-8")
    with locked(copy):
        write_indexes(copy)
    index = (year / "index.html").read_text()
    assert 'href="boek/jaarverslag.html"' in index and "1 lokaal katern" in index
    assert 'href="boek/' not in (copy / "openbaar/2024-2025/index.html").read_text()


def test_a_killed_katern_printer_or_chromium_fails_the_katern_not_the_build(tmp_path):
    """The real build (CLI), issue 21.7: the katern printer process killed while it prints was
    'interne fout (AttributeError)'; a Chromium killed as it starts was 'Geen Chromium gevonden'
    with exit 0. Now each fails the katern with its cause (exit 1), the rest is built, and the
    next build prints the katern and links its PDF."""
    import os
    import signal
    import subprocess
    import sys
    import time

    import psutil

    from lerenwerkt import boek

    if not boek.chromium_pad():
        pytest.skip("Chromium is not installed on this machine (Debian: apt-get install chromium)")
    out = tmp_path / "uit"
    cmd = [sys.executable, "-m", "lerenwerkt.cli", "build", "--out", str(out), "--gemeente", "doesburg", "--chapter", "raadsmededeling", "--quiet"]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    build, killed = psutil.Process(p.pid), None
    deadline = time.monotonic() + 600
    while killed is None and p.poll() is None and time.monotonic() < deadline:
        for c in build.children(recursive=True):  # Chromium is up: kill the printer process that drives it
            try:
                if "chrom" in c.name():
                    printer = next(a for a in c.parents() if a.ppid() == build.pid)
                    os.kill(printer.pid, signal.SIGKILL)
                    killed = printer.pid
                    break
            except (psutil.Error, StopIteration):
                pass
        time.sleep(0.05)
    stdout, stderr = p.communicate(timeout=600)
    assert killed, "the printer never started Chromium"
    assert p.returncode == 1 and "interne fout" not in stderr, (p.returncode, stderr[-500:])
    assert "pakket mislukt: Doesburg, katern (PDF): het printproces is onverwacht gestopt" in stdout, stdout[-800:]
    folder = out / "openbaar" / "2024-2025" / "doesburg"
    assert (folder / "raadsmededeling-doesburg.docx").is_file() and (folder / "raadsmededeling.html").is_file()  # the rest is built

    killer = tmp_path / "chromium"
    killer.write_text("#!/bin/sh\nkill -9 $$\n")
    killer.chmod(0o755)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env={**os.environ, "LERENWERKT_CHROMIUM": str(killer)})
    assert p.returncode == 1 and "Geen Chromium" not in p.stdout + p.stderr, (p.returncode, p.stdout[-800:])
    assert "katern (PDF): Chromium is gevonden maar start niet: het proces is gestopt door signaal SIGKILL" in p.stdout, p.stdout[-800:]

    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, (p.stdout[-800:], p.stderr[-500:])
    assert (folder / "lokaal-katern-doesburg.pdf").read_bytes()[:5] == b"%PDF-"
    assert "doesburg/lokaal-katern-doesburg.pdf" in (out / "openbaar" / "2024-2025" / "index.html").read_text()
