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
