"""One label, one definition: a label says what it counts, from which source and on which
peildatum, so two different figures never share a label; a table has one caption in drafts,
book and workbook; a definition has one text in the chapter and the raadsmededeling."""

from __future__ import annotations

import re

from lerenwerkt import fmt
from lerenwerkt import tables as tb
from lerenwerkt.chapters import absoluut_verzuim, base, verzuim, vrijstellingen
from lerenwerkt.indicators.bevolking import leerplichtigen, peildatum

S = "2024-2025"


def test_leerplichtigen_label_names_source_and_peildatum(shipped):
    """The rates' denominator counts on another peildatum than Tabel 1 (its caption names its
    own): the label names its peildatum, read from the code that counts, not typed in."""
    bev = shipped["bevolking"]
    peil = peildatum(bev, schooljaar=S)
    label = base.leerplichtigen_label(shipped, schooljaar=S)
    assert label == f"Leerplichtigen 5 tot 18 jaar (CBS, peildatum {fmt.datum(peil)})"
    t1 = tb.tabel1_bevolking(shipped, schooljaar=S)
    tabel1_peil = re.search(r"peildatum (1 januari \d{4})", t1.titel).group(1)
    tabel1_5_17 = int(t1.frame.loc["Totaal", ["5 tot 16-jarigen", "16 tot 18-jarigen"]].sum())
    if tabel1_5_17 != leerplichtigen(bev, schooljaar=S):  # two figures: two labels
        assert tabel1_peil not in label and fmt.datum(peil) not in t1.titel
    for block in (
        verzuim.per_gemeente(shipped, schooljaar=S, gemeente=None),
        vrijstellingen.vrijstellingen_per_gemeente(shipped, schooljaar=S, gemeente="Aalten"),
        absoluut_verzuim.per_gemeente(shipped, schooljaar=S, gemeente=None),
    ):
        assert "<th" in block.markup and label in block.markup
        assert "Leerplichtigen (5-17 jaar)" not in block.markup and ">Leerplichtigen<" not in block.markup
