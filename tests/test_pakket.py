"""The public package per gemeente, built by ``build``: what a gemeente receives holds nothing
intern — no register count below the threshold in any file (HTML, Word, Excel, CSV), no intern
banner, only openbare drafts — and its zip is the folder, file for file. A gemeente's Word
template passes through ``build --sjabloon``; an unchanged package is skipped."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from lerenwerkt import excel
from lerenwerkt import tables as tb
from lerenwerkt.cli import main
from lerenwerkt.disclosure import rules
from lerenwerkt.report import build
from tests.test_memo_docx import _docx_tables, _expected_tables, _huisstijl

pytestmark = pytest.mark.slow

S = "2024-2025"
G = "Doesburg"  # a small gemeente: its memo and tables have withheld cells
#: Sources of register counts (the rest are public figures from extern/, never suppressed).
REGISTER_SOURCES = ("JVS", "levering")


@pytest.fixture(scope="module")
def pakket(tmp_path_factory):
    out = tmp_path_factory.mktemp("pakket")
    result = build(gemeenten=[G], chapters=["verzuim", "raadsmededeling"], out_dir=out, publicatie="openbaar", progress=False, log=None)
    assert result.ok, ([d.error for d in result.drafts if not d.ok], result.pakket.fouten)
    return out, result


def _folder(out: Path) -> Path:
    return out / "openbaar" / S / "doesburg"


def _small(values, k: int) -> list[str]:
    return [v for v in values if re.fullmatch(r"\d+", v) and 0 < int(v) < k]


def test_package_holds_every_part_and_the_zip_is_the_folder(pakket):
    out, result = pakket
    folder = _folder(out)
    names = {p.name for p in folder.iterdir()}
    expected = {"verzuim.html", "raadsmededeling.html", "raadsmededeling-doesburg.docx", "lokaal-katern-doesburg.html", "doesburg.xlsx", "cells.csv"}
    assert expected <= names and names - expected <= {"lokaal-katern-doesburg.pdf"}, names
    m = json.loads((out / "openbaar" / S / "manifest.json").read_text())
    assert m["publicatie"] == "openbaar"
    if m["pakket"]["doesburg"]["katern"]["pdf"]:  # printed where Chromium is found
        assert (folder / "lokaal-katern-doesburg.pdf").read_bytes()[:5] == b"%PDF-"
    with zipfile.ZipFile(out / "openbaar" / S / "doesburg.zip") as z:
        assert z.testzip() is None
        assert sorted(z.namelist()) == sorted(f"doesburg/{p.name}" for p in folder.iterdir())
        for p in folder.iterdir():
            assert z.read(f"doesburg/{p.name}") == p.read_bytes(), p.name
    # the public index lists the package, and links nowhere outside openbaar/
    index = (out / "openbaar" / S / "index.html").read_text()
    assert "Pakket per gemeente (openbaar)" in index and 'href="doesburg.zip"' in index and 'href="doesburg/raadsmededeling-doesburg.docx"' in index
    for href in re.findall(r'href="([^"]+)"', index):
        assert (out / "openbaar" / S / href).resolve().is_relative_to((out / "openbaar").resolve()), href
        assert (out / "openbaar" / S / href).exists(), href


def test_package_holds_nothing_intern(shipped, pakket):
    out, _ = pakket
    folder = _folder(out)
    k = rules().drempel
    checked = {"html": 0, "docx": 0, "xlsx": 0, "csv": 0}

    # HTML (drafts, memo, katern): only openbare drafts, no banner, no register count below k
    for page in folder.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert 'class="lw-intern"' not in text and "niet verspreiden" not in text and "datakwaliteit" not in text, page.name
        params = re.search(r'<meta name="lerenwerkt-parameters" content="([^"]+)"', text)
        if params:  # a draft: built openbaar
            assert "&quot;publicatie&quot;: &quot;openbaar&quot;" in params.group(1), page.name
        for fig in re.findall(r'<figure class="lw-table[^"]*"[^>]*>(.*?)</figure>', text, flags=re.S):
            bron = re.search(r"Bron: ([^<]*)", fig)
            if bron and any(s in bron.group(1) for s in REGISTER_SOURCES):
                checked["html"] += 1
                cells = [re.sub(r"<[^>]+>|\s", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", fig, flags=re.S)]
                assert not _small(cells, k), f"{page.name}: {bron.group(0)} {_small(cells, k)}"

    # the katern PDF (printed from the HTML checked above): no intern banner or header
    if (folder / "lokaal-katern-doesburg.pdf").exists():
        from pypdf import PdfReader

        pdf = "\n".join(p.extract_text() for p in PdfReader(folder / "lokaal-katern-doesburg.pdf").pages)
        assert "Lokaal katern" in pdf and "niet verspreiden" not in pdf.lower()

    # Word: every table from the register (its source line follows it), and all text
    doc = Document(str(folder / "raadsmededeling-doesburg.docx"))
    body = list(doc.element.body.iterchildren())
    assert "NIET VERSPREIDEN" not in "\n".join(p.text for p in doc.paragraphs).upper()
    for t in doc.tables:
        after = body[body.index(t._tbl) + 1 :]
        bron = next((e for e in after if e.tag.endswith("}p") and "Bron:" in "".join(e.itertext())), None)
        cells = [c.text.strip() for row in t.rows for c in row.cells[1:]]
        if bron is not None and any(s in "".join(bron.itertext()) for s in REGISTER_SOURCES):
            checked["docx"] += 1
            assert not _small(cells, k), f"Word: {_small(cells, k)}"
    assert [r for t in _docx_tables(folder / "raadsmededeling-doesburg.docx") for r in t if rules().symbool in r], "Doesburg's memo withholds cells"

    # Excel and cells.csv: the gemeente's tables as published; register counts 0 or ≥ k
    published = excel.scope_tables(shipped, schooljaar=S, gemeente=G, publicatie="openbaar")
    intern = excel.scope_tables(shipped, schooljaar=S, gemeente=G, publicatie="intern")
    wb = load_workbook(folder / "doesburg.xlsx")
    assert len(wb.worksheets) == len(published)
    for ws, t in zip(wb.worksheets, published):
        for row in ws.iter_rows():
            for c in row:
                assert not (isinstance(c.value, str) and "niet verspreiden" in c.value.lower())
        if t.onderdrukt is None:  # a public figure from extern/
            continue
        checked["xlsx"] += 1
        counts = [c.value for row in ws.iter_rows(min_row=4) for c in row if isinstance(c.value, int) and not c.number_format.endswith("%")]
        assert not [v for v in counts if 0 < v < k], f"{ws.title}: {[v for v in counts if 0 < v < k]}"
    rows = list(csv.DictReader(io.StringIO((folder / "cells.csv").read_text(encoding="utf-8"))))
    assert rows and set(rows[0]) == {"tabel", "rij", "kolom", "waarde", "onderdrukt"}
    protected = {t.id: set(t.pct_columns) for t in published if t.onderdrukt is not None}
    for r in rows:
        if r["tabel"] in protected and r["kolom"] not in protected[r["tabel"]] and r["waarde"]:
            checked["csv"] += 1
            v = float(r["waarde"])
            assert not (v.is_integer() and 0 < v < k), r
    # not vacuous: the intern tables of this gemeente do hold such counts, and the package withholds them
    small = tb.cells([t for t in intern if t.id in protected])
    small = small[(small.waarde > 0) & (small.waarde < k) & (small.waarde % 1 == 0)]
    small = small[[c not in protected[t] for t, c in zip(small.tabel, small.kolom)]]
    assert len(small) > 0
    withheld = {(r["tabel"], r["rij"], r["kolom"]) for r in rows if r["onderdrukt"] == "true"}
    assert {(r.tabel, r.rij, r.kolom) for r in small.itertuples()} <= withheld
    assert min(checked.values()) > 0, checked


def test_unchanged_package_is_skipped_and_a_template_passes_through(shipped, pakket, tmp_path, capsys):
    """``build --sjabloon`` in a copy of the output: only the Word memo is made again (the
    drafts, katern and tables are unchanged), from the gemeente's template, and the zip follows."""
    out, _ = pakket
    copy = tmp_path / "reports"
    shutil.copytree(out, copy)
    args = ["build", "--gemeente", "doesburg", "--chapter", "verzuim", "raadsmededeling", "--publicatie", "openbaar", "--out", str(copy), "--quiet"]
    assert main(args) == 0
    said = capsys.readouterr().out
    assert "0 concepten gebouwd, 2 ongewijzigd" in said and "0 delen geschreven, 3 ongewijzigd" in said, said
    before = (copy / "openbaar" / S / "doesburg.zip").read_bytes()

    sjabloon = _huisstijl(tmp_path / "huisstijl.docx")
    assert main([*args, "--sjabloon", f"doesburg={sjabloon}"]) == 0
    said = capsys.readouterr().out
    assert "1 deel geschreven, 2 ongewijzigd" in said, said
    path = _folder(copy) / "raadsmededeling-doesburg.docx"
    doc = Document(str(path))
    assert doc.paragraphs[0].text == "GEMEENTE TESTSTAD — huisstijl"
    assert doc.paragraphs[1].text == f"Raadsinformatiebrief {G}, {S}"
    expected = _expected_tables(shipped, G)
    assert _docx_tables(path) == [expected[-1], *expected[:-1]]  # this template puts the vsv block first
    after = (copy / "openbaar" / S / "doesburg.zip").read_bytes()
    assert after != before
    with zipfile.ZipFile(io.BytesIO(after)) as z:
        assert z.read("doesburg/raadsmededeling-doesburg.docx") == path.read_bytes()
    # the default template again (nothing passed): the memo follows
    assert main(args) == 0
    assert "1 deel geschreven" in capsys.readouterr().out
    assert Document(str(path)).paragraphs[0].text != "GEMEENTE TESTSTAD — huisstijl"


def test_bad_template_is_refused_before_anything_is_built(tmp_path, capsys):
    assert main(["build", "--gemeente", "doesburg", "--sjabloon", str(tmp_path / "bestaat-niet.docx"), "--out", str(tmp_path / "uit")]) == 1
    assert "sjabloon" in capsys.readouterr().err
    assert not (tmp_path / "uit").exists()


def test_package_names_no_person(pakket):
    """No identifier or birth date of the register in any file of the package, read as a
    reader would: the Word memo's text and tables, the workbook's cells, the PDF's text."""
    from pypdf import PdfReader

    from tests.test_privacy import TOKENS, _personal_values

    out, _ = pakket
    personal = _personal_values()
    for path in _folder(out).iterdir():
        if path.suffix == ".docx":
            doc = Document(str(path))
            text = " ".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for row in t.rows for c in row.cells])
        elif path.suffix == ".xlsx":
            wb = load_workbook(path, read_only=True)
            text = " ".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None)
        elif path.suffix == ".pdf":
            text = " ".join(p.extract_text() for p in PdfReader(path).pages)
        else:
            text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", path.read_text(encoding="utf-8"))
        assert text.strip(), path.name
        leaked = set(TOKENS.findall(text)) & personal
        assert not leaked, f"{path.name}: {len(leaked)} values"


def test_zip_holds_only_the_files_the_manifest_lists_and_follows_no_link(pakket, tmp_path, capsys):
    """A link to the delivery and a stray intern page in the folder stay out of the zip, on a
    no-op build and when the zip is made again: it holds the files the openbare manifest lists
    (the openbare drafts and the package's parts), each read as a regular file, never through a link."""
    from lerenwerkt import config
    from lerenwerkt import pakket as pk

    out, _ = pakket
    copy = tmp_path / "reports"
    shutil.copytree(out, copy, symlinks=True)
    folder = _folder(copy)
    m = json.loads((copy / "openbaar" / S / "manifest.json").read_text())
    listed = pk.genoemd(m, "doesburg")
    assert {"raadsmededeling.html", "raadsmededeling-doesburg.docx", "doesburg.xlsx", "cells.csv"} <= set(listed)
    delivery = sorted((config.RAW_DIR / "registratie").glob("*.csv"))[0]
    (folder / "levering.csv").symlink_to(delivery)
    (folder / "registratie").symlink_to(config.RAW_DIR / "registratie", target_is_directory=True)
    (folder / "datakwaliteit.html").write_text('<div class="lw-intern">INTERN — niet verspreiden</div>', encoding="utf-8")
    target = copy / "openbaar" / S / "doesburg.zip"
    args = ["build", "--gemeente", "doesburg", "--chapter", "verzuim", "raadsmededeling", "--publicatie", "openbaar", "--out", str(copy), "--quiet"]
    for remade in (False, True):
        if remade:
            target.unlink()
        assert main(args) == 0
        assert "0 concepten gebouwd" in capsys.readouterr().out
        with zipfile.ZipFile(target) as z:
            assert sorted(z.namelist()) == sorted(f"doesburg/{n}" for n in listed), remade
            for n in listed:
                assert z.read(f"doesburg/{n}") == (folder / n).read_bytes()
        assert delivery.read_bytes()[:40] not in target.read_bytes()
    # a listed file replaced by a link is not followed either
    (folder / "cells.csv").unlink()
    (folder / "cells.csv").symlink_to(delivery)
    data = pk.maak_zip(folder, [n for n in listed if pk._regulier(folder / n)])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "doesburg/cells.csv" not in z.namelist()
    with pytest.raises(OSError):
        pk.maak_zip(folder, ["cells.csv"])


def test_two_builds_of_the_same_inputs_give_the_same_bytes(shipped, pakket, tmp_path):
    """Every file a build writes is a function of its inputs: a second build of the same
    delivery, at another time, into another folder, writes the same bytes — Word memo, katern
    HTML and PDF, workbook, cells.csv, drafts and the zip — except the manifests and indexes
    (build ids and durations). Their dates are the delivery's newest date."""
    import time

    from lerenwerkt import pakket as pk
    from lerenwerkt import reproducible

    out, _ = pakket
    time.sleep(2.1)  # at least one tick of the coarsest clock in these files (zip: two seconds)
    second = tmp_path / "tweede"
    result = build(gemeenten=[G], chapters=["verzuim", "raadsmededeling"], out_dir=second, publicatie="openbaar", progress=False, log=None)
    assert result.ok, result.pakket.fouten

    def files(root: Path) -> dict[str, Path]:
        found = {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}
        return {k: p for k, p in found.items() if p.name not in ("manifest.json", "index.html") and not any(s.startswith(".") for s in k.split("/"))}

    one, two = files(out), files(second)
    assert sorted(one) == sorted(two)
    assert {Path(k).suffix for k in one} >= {".docx", ".xlsx", ".zip", ".html", ".csv"}
    different = [k for k in one if one[k].read_bytes() != two[k].read_bytes()]
    assert not different, different

    datum = reproducible.datum(reproducible.leveringsdatum(shipped))
    doc = Document(str(_folder(second) / "raadsmededeling-doesburg.docx"))
    naive = datum.replace(tzinfo=None)
    assert doc.core_properties.created.replace(tzinfo=None) == naive
    assert doc.core_properties.modified is None or doc.core_properties.modified.replace(tzinfo=None) == naive
    assert load_workbook(_folder(second) / "doesburg.xlsx").properties.modified == naive
    with zipfile.ZipFile(second / "openbaar" / S / "doesburg.zip") as z:
        assert {i.date_time for i in z.infolist()} == {reproducible.zip_tijd(datum)}
    pdf = _folder(second) / "lokaal-katern-doesburg.pdf"
    assert pdf.exists() or not pk._chromium_bekend()  # where Chromium is found, the PDF was compared too
    if pdf.exists():
        from pypdf import PdfReader

        assert PdfReader(pdf).metadata.creation_date.replace(tzinfo=None) == naive
