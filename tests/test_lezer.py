"""What the readers receive: the analyst's numbers behind every block, and the reader nits of
issue 23 (the table of contents, stacked row labels, chapter titles, the public index, the
count of books written)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from lxml import html as lh

from lerenwerkt import render
from lerenwerkt.disclosure import rules

S = "2024-2025"


def _secties():
    from lerenwerkt.chapters import verzuim, vrijstellingen

    return {
        "verzuim.absoluut": verzuim.absoluut,
        "verzuim.resultaten": verzuim.resultaten,
        "vrijstellingen.vrijstellingen_per_jaar": vrijstellingen.vrijstellingen_per_jaar,
        "vrijstellingen.vrijstellingen_per_gemeente": vrijstellingen.vrijstellingen_per_gemeente,
    }


@pytest.mark.parametrize("naam", list(_secties()))
def test_every_block_carries_the_numbers_of_its_tables_and_charts(shipped, naam):
    """A notebook cell showed HTML only. Every table and chart of a block now brings its
    numbers (block.frames by caption, block.frame the first) for an analyst to inspect and
    reuse; a withheld cell is NaN there, never its value."""
    block = _secties()[naam](shipped, schooljaar=S, gemeente="Aalten", publicatie="openbaar")
    doc = lh.fromstring(f"<div>{block.markup}</div>")
    tabellen, grafieken = doc.xpath("//table"), doc.xpath("//figure[contains(@class, 'lw-figure')]")
    assert tabellen and len(block.frames) == len(tabellen) + len(grafieken), (naam, list(block.frames))
    titels = [" ".join(c.text_content().split()) for c in doc.xpath("//table/caption | //figure[contains(@class, 'lw-figure')]/figcaption[@class='lw-titel']")]
    assert sorted(t.split(" (")[0] for t in block.frames) == sorted(t.split(" (")[0] for t in titels)
    assert block.frame is next(iter(block.frames.values()))
    teken = rules().symbool
    for tabel in tabellen:  # the table's frame: its shape, and NaN exactly where it shows the symbol
        titel = " ".join(tabel.xpath("string(caption)").split())
        frame = block.frames[titel]
        cellen = [" ".join(td.text_content().split()) for td in tabel.xpath(".//tbody/tr/td")]
        assert len(cellen) == frame.size, titel
        waarden = frame.to_numpy().ravel()
        for tekst, waarde in zip(cellen, waarden):
            if tekst == teken:
                assert isinstance(waarde, float) and math.isnan(waarde), (titel, waarde)
            elif isinstance(waarde, (int, float)) and not isinstance(waarde, bool):
                assert not math.isnan(waarde), titel
    for f in block.frames.values():
        assert isinstance(f, pd.DataFrame) and len(f)


def test_a_withheld_cell_is_nan_in_the_frame_never_its_value():
    frame = pd.DataFrame({"2023-2024": [12, 3], "2024-2025": [14, 20]}, index=["a", "b"])
    mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    mask.loc["b", "2023-2024"] = True
    block = render.table(frame, titel="Tabel X", bron="test", uid="x", onderdrukt=mask)
    assert math.isnan(block.frame.at["b", "2023-2024"]) and block.frame.at["a", "2024-2025"] == 14
    both = block + render.paragraph("tekst") + render.table(frame, titel="Tabel X", bron="test", uid="y")
    assert list(both.frames) == ["Tabel X", "Tabel X (2)"] and both.frame is block.frame
    assert render.paragraph("alleen tekst").frame is None


# ------------------------------------------------------------------ reader nits
def test_the_contents_of_a_draft_show_no_escaped_pilcrow():
    """nbconvert writes its heading anchor as '&#182;': 50 of 103 pages showed '&#182;' in
    their contents. Entities are read once and the pilcrow dropped; '&' stays one '&'."""
    from lerenwerkt import report

    body = (
        '<h1>Verzuim</h1><p class="lw-scope">Aalten · schooljaar 2024-2025</p>'
        '<h2 id="Samenvatting">Samenvatting<a class="anchor-link" href="#Samenvatting">&#182;</a></h2>'
        '<h2 id="Cijfers">Cijfers &amp; Resultaten<a class="anchor-link" href="#Cijfers">&#182;</a></h2>'
    )
    out = report._with_toc(body)
    nav = lh.fromstring(out[out.index("<nav") : out.index("</nav>") + 6])
    assert [a.text_content() for a in nav.xpath("//a")] == ["Samenvatting", "Cijfers & Resultaten"]
    toc = out[out.index("<nav") : out.index("</nav>")]
    assert "182" not in toc and "¶" not in toc and "&amp;amp;" not in toc


def test_two_part_row_labels_are_stacked_as_the_report_shows_them(shipped):
    """'Vmbo-basis | 1 jaar later', 'RMC Achterhoek | vo': the first part once over its rows
    (rowspan), the second beside it; no ' | ' left in a row label; withheld cells stay in place."""
    from lerenwerkt.chapters import bijlagen, jikp

    frame = pd.DataFrame({"Onderwijs": [10, 20, 3], "Werk": [1, 2, 3]}, index=["Vmbo-basis | overstap", "Vmbo-basis | 1 jaar later", "Entree | overstap"])
    mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    mask.iloc[2, 0] = True
    doc = lh.fromstring(render.table(frame, titel="T", bron="b", uid="u", onderdrukt=mask).markup)
    rows = doc.xpath("//tbody/tr")
    first = rows[0].xpath("th")
    assert [th.text_content() for th in first] == ["Vmbo-basis", "overstap"] and first[0].get("rowspan") == "2"
    assert [th.text_content() for th in rows[1].xpath("th")] == ["1 jaar later"]
    assert [td.text_content() for td in rows[2].xpath("td")] == [rules().symbool, "3"]
    for block in (jikp.tabel(shipped, schooljaar=S, gemeente=None), bijlagen.bijlage3(shipped, schooljaar=S, gemeente=None)):
        ths = lh.fromstring(f"<div>{block.markup}</div>").xpath("//tbody//th")
        labels = [" ".join(th.text_content().split()) for th in ths]
        assert labels and not [x for x in labels if " | " in x], labels
    assert "1 jaar later" in [
        " ".join(th.text_content().split())
        for th in lh.fromstring(f"<div>{jikp.tabel(shipped, schooljaar=S, gemeente=None).markup}</div>").xpath("//tbody//th")
    ]


def _manifest(path, schooljaar, publicatie):
    import json

    path.mkdir(parents=True, exist_ok=True)
    (path / "manifest.json").write_text(json.dumps({"schooljaar": schooljaar, "publicatie": publicatie, "drafts": {}, "mislukt": {}}), encoding="utf-8")


def test_the_public_book_is_linked_from_the_public_index_at_once(shipped, tmp_path):
    """The public book was not linked from the public index, and the intern index linked the
    book only after a later build. Writing a book refreshes the indexes; the public index links
    the public book (and nothing intern), the intern year page both."""
    from lerenwerkt import boek

    out = tmp_path / "reports"
    _manifest(out / S, S, "intern")
    _manifest(out / "openbaar" / S, S, "openbaar")
    boek.bouw(shipped, schooljaar=S, gemeenten=[None], publicatie="openbaar", out=out / "openbaar" / S / "boek", pdf=False, melding=lambda _m: None)
    public = (out / "openbaar" / S / "index.html").read_text(encoding="utf-8")
    assert 'href="boek/jaarverslag.html"' in public and "(openbaar)" in public and "intern" not in public.lower()
    intern = (out / S / "index.html").read_text(encoding="utf-8")
    assert 'href="../openbaar/2024-2025/boek/jaarverslag.html"' in intern
    assert 'href="boek/jaarverslag.html"' not in intern  # no intern book yet
    boek.bouw(shipped, schooljaar=S, gemeenten=["Aalten"], out=out / S / "boek", pdf=False, melding=lambda _m: None)
    boek_dir = out / S / "boek"
    (boek_dir / "jaarverslag.html").write_text("<html></html>", encoding="utf-8")  # the intern book, as a later run leaves it
    boek.bouw(shipped, schooljaar=S, gemeenten=["Aalten"], out=boek_dir, pdf=False, melding=lambda _m: None)
    intern = (out / S / "index.html").read_text(encoding="utf-8")
    assert 'href="boek/jaarverslag.html"' in intern and "1 lokaal katern" in intern


def test_what_a_run_wrote_says_jaarverslag_and_katernen_not_boeken():
    """'10 boeken geschreven' for 1 book and 9 katernen."""
    from pathlib import Path

    from lerenwerkt import boek, codes

    boeken = [boek.Boek("", [], [], pad=Path(f"/x/{boek.bestandsnaam(g)}.html")) for g in (None, *codes.GEMEENTEN)]
    assert boek.samenvatting(boeken) == "1 jaarverslag en 9 lokale katernen"
    assert boek.samenvatting(boeken[:1]) == "1 jaarverslag"
    assert boek.samenvatting(boeken[1:2]) == "1 lokaal katern"
