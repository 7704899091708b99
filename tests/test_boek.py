"""The jaarverslag as a book: report order and numbering, contents and cross-references,
placeholders, and the PDF printed by headless Chromium (page count, captions in order, key
figures, landscape bijlage, no table wider than its page)."""

from __future__ import annotations

import re

import pytest
from lxml import html as lh

from lerenwerkt import boek, codes, fmt, gate, teksten
from lerenwerkt import tables as tb

S = "2024-2025"
#: The published report's numbering, in its order (structure, not figures).
REPORT_ORDER = [
    "Tabel 1", "Grafiek 1", "Grafiek 2", "Grafiek 3", "Grafiek 4", "Diagram 1", "Tabel 2", "Grafiek 5", "Tabel 3",
    "Grafiek 6", "Tabel 4", "Tabel 5", "Tabel 6", "Tabel 7", "Grafiek 7",
    *[f"Bijlage 1 Tabel {n}{ab}" for n in range(1, 6) for ab in "AB"],
    "Bijlage 2 Tabel 1", "Bijlage 2 Tabel 2", "Bijlage 3 Tabel 1", "Bijlage 3 Tabel 2", "Bijlage 3 Tabel 3",
]  # fmt: skip
CHAPTERS = ["Voorwoord", "1 LerenWerkt", "2 Leerplicht", "3 Doorstroompunt", "4 Ontwikkelingen", "Bijlage 1.", "Bijlage 2.", "Bijlage 3.", "Bijlage 4."]
#: The regional book prints on about this many A4 pages (measured: 25).
EXPECTED_PAGES, MARGIN = 25, 5


def _chromium_or_skip():
    pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')")
    if not boek.chromium_pad():
        pytest.skip("Chromium is not installed on this machine (Debian: apt-get install chromium); the PDF tests need it")


@pytest.fixture(scope="module")
def boeken(shipped, tmp_path_factory):
    """The regional book (intern) and one lokaal katern (openbaar), HTML only."""
    out = tmp_path_factory.mktemp("boek")
    regio = boek.bouw(shipped, schooljaar=S, gemeenten=[None], out=out / "intern", pdf=False)[0]
    katern = boek.bouw(shipped, schooljaar=S, gemeenten=["Aalten"], publicatie="openbaar", out=out / "openbaar", pdf=False)[0]
    return regio, katern


@pytest.mark.parametrize("which", [0, 1])
def test_book_follows_the_report_order_and_numbering(boeken, which):
    b = boeken[which]
    assert [n.label for n in b.nummers] == REPORT_ORDER
    doc = lh.fromstring(b.html)
    kop = [" ".join(h.text_content().split()) for h in doc.xpath("//main//h1")]
    expected = CHAPTERS if which == 0 else ["Lokale toelichting Aalten", *CHAPTERS[1:]]
    assert [k for k in kop if any(k.startswith(c) for c in expected)] == kop
    assert len(kop) == len(expected)
    # every caption appears once: a chart and its numbers are never both 'Grafiek 2'
    captions = [" ".join(c.text_content().split()) for c in doc.xpath("//main//caption | //main//figcaption[@class='lw-titel']")]
    for label in REPORT_ORDER:
        assert sum(bool(re.match(rf"{re.escape(label)}\b(?![AB])", c)) for c in captions) == 1, label
    # the numbers of a chart are labelled as such
    assert any(c.startswith("Cijfers bij Grafiek 2:") for c in captions)


def test_contents_and_cross_references_resolve(boeken):
    doc = lh.fromstring(boeken[0].html)
    ids = set(doc.xpath("//@id"))
    links = [a.get("href")[1:] for a in doc.xpath("//a[starts-with(@href, '#')]")]
    assert len(links) >= len(REPORT_ORDER) + len(CHAPTERS)
    assert not [x for x in links if x not in ids]
    refs = [" ".join(p.text_content().split()) for p in doc.xpath("//p[@class='lw-verwijzing']")]
    assert any("Bijlage 3 Tabel 1" in r for r in refs) and any("Bijlage 2 Tabel 2" in r for r in refs)


def test_katern_shows_the_gemeente_and_the_public_edition(shipped, boeken):
    regio, katern = boeken
    assert "INTERN — niet verspreiden" in regio.html
    assert "INTERN" not in katern.html
    assert 'content="openbaar"' in katern.html
    # the local explanation of Aalten, with its figure as published (openbaar)
    ctx = teksten.Context(shipped, S, "Aalten", "openbaar")
    assert f"{teksten.opgemaakt(teksten.figuur('absoluut_verzuim', ctx), 'openbaar')} meldingen van absoluut" in katern.html
    # Tabel 4 in the katern: the gemeente and the regional total only
    doc = lh.fromstring(katern.html)
    t4 = doc.xpath("//figure[@id='tabel-4']//tbody/tr/th")
    assert [" ".join(th.text_content().split()) for th in t4] == ["Aalten", f"{codes.REGIO} (totaal)"]
    assert not katern.ontbrekend and not regio.ontbrekend


def test_placeholders_when_texts_are_missing(shipped, tmp_path):
    b = boek.maak(shipped, schooljaar=S, teksten_dir=tmp_path)
    for label in ("Voorwoord", "Inleiding LerenWerkt", "Ontwikkelingen", "Verhalen"):
        assert f"[{label}: nog te schrijven]" in b.html
    assert set(b.ontbrekend) == {"Voorwoord", "Inleiding LerenWerkt", "Ontwikkelingen", "Verhalen"}
    assert "Concept: nog te schrijven" in b.html
    katern = boek.maak(shipped, schooljaar=S, gemeente="Doesburg", teksten_dir=tmp_path)
    assert "[Lokale toelichting Doesburg: nog te schrijven]" in katern.html


def test_without_chromium_the_html_is_written_and_the_command_says_how(shipped, tmp_path, monkeypatch):
    pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("LERENWERKT_CHROMIUM", str(tmp_path / "geen-chromium"))
    said = []
    b = boek.bouw(shipped, schooljaar=S, gemeenten=["Winterswijk"], out=tmp_path, melding=said.append)[0]
    assert b.pad.is_file() and b.pdf is None
    assert said == [boek.GEEN_CHROMIUM] and "apt-get install chromium" in said[0]


@pytest.mark.slow
def test_pdf_pages_captions_figures_and_widths(shipped, boeken, tmp_path):
    _chromium_or_skip()
    from pypdf import PdfReader

    regio, katern = boeken
    with boek.Printer() as printer:
        for b in (regio, katern):
            assert printer.te_breed(b.pad) == [], "a table is wider than its printed page"
        pdf = printer.pdf(regio.pad, tmp_path / "jaarverslag.pdf", titel=f"Jaarverslag LerenWerkt {S}", openbaar=False)
    reader = PdfReader(str(pdf))
    pages = [p.extract_text() for p in reader.pages]
    assert abs(len(pages) - EXPECTED_PAGES) <= MARGIN, len(pages)
    text = " ".join(" ".join(pages).split())
    pos = 0
    for n in regio.nummers:  # every caption, in order
        i = text.find(f"{n.label} ", pos)
        assert i >= 0, n.label
        pos = i
    # page numbers and the running header (intern)
    assert f"pagina 1 van {len(pages)}" in " ".join(pages[0].split())
    assert "INTERN — niet verspreiden" in pages[-1]
    # key figures as published
    g2 = gate.publish(tb.grafiek2, shipped, publicatie="intern", schooljaar=S, gemeente=None).frame
    t1 = tb.tabel1_bevolking(shipped, schooljaar=S).frame
    assert f"Absoluut verzuim {' '.join(fmt.getal(v) for v in g2.loc['Absoluut verzuim'])}" in text
    assert fmt.getal(t1.at[codes.TOTAAL, "totaal"]) in text
    # the wide Bijlage 4 on a landscape page; the rest portrait
    wide = [i for i, p in enumerate(reader.pages) if p.mediabox.width > p.mediabox.height]
    assert wide and all("Bijlage 4" in pages[i] for i in wide[:1])
    assert len(wide) < len(pages) // 4
    # the contents give the page numbers (second pass from the PDF's destinations)
    inhoud = " ".join(pages[1].split())
    assert f"Bijlage 4. Waar gaan kinderen naar school? {wide[0] + 1}" in inhoud
    assert re.search(r"Voorwoord 3 1 LerenWerkt \d+ 2 Leerplicht \d+", inhoud)
    # images embedded: the charts are in the PDF, no external resources in the HTML
    assert sum(len(p.images) for p in reader.pages) >= 8
    assert not re.search(r'src="(?!data:)', regio.html)


def test_public_katern_shows_no_register_count_below_the_threshold(boeken):
    from lerenwerkt.disclosure import rules

    k = rules().drempel
    doc = lh.fromstring(boeken[1].html)
    checked = 0
    for fig in doc.xpath("//figure[contains(@class, 'lw-table')]"):
        if "JVS" not in " ".join(fig.xpath(".//figcaption[@class='lw-bron']//text()")):
            continue  # public extern figures (CBS, DUO, Leerplichttelling) are not suppressed
        cells = [td.text_content().strip() for td in fig.xpath(".//td")]
        small = [c for c in cells if c.isdigit() and 0 < int(c) < k]
        assert not small, " ".join(fig.xpath(".//caption//text()"))
        checked += 1
    assert checked >= 20
    assert rules().symbool in [td.text_content().strip() for td in doc.xpath("//td")]


def test_boek_command_writes_the_html_and_lists_the_names(tmp_path, capsys):
    from lerenwerkt.cli import main

    assert main(["boek", "--gemeente", "doesburg", "--publicatie", "openbaar", "--geen-pdf", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "lokaal-katern-doesburg.html").is_file() and not (tmp_path / "lokaal-katern-doesburg.pdf").exists()
    assert "nog te schrijven: Lokale toelichting Doesburg" in out and "(openbaar)" in out
    assert main(["boek", "--namen"]) == 0
    names = capsys.readouterr().out
    assert "{{ absoluut_verzuim }}" in names and "{{ nieuwe_vsvers }}" in names
