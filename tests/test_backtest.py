"""Backtests: the shipped register, counted by the pipeline, reproduces the published
jaarverslag 2024-2025 cell by cell (tests/reference/cells.csv)."""

from __future__ import annotations

import pytest

from lerenwerkt import tables
from tests.backtest import compare

SCHOOLJAAR = "2024-2025"
REGISTER_TABLES = [
    *(f"bijlage1_tabel{n}{k}" for n in range(1, 6) for k in "ab"),
    "diagram1_resultaten",
    "grafiek2_absoluut_verzuim",
    "grafiek3_relatief_verzuim",
    "grafiek4_informatie_advies",
    "tabel3_verzuim_18plus",
    "memo_aalten_verzuim",
    "tabel2_vrijstellingen",
    "bijlage2_tabel1_vrijstellingen",
    "grafiek5_handhaving",
    "bijlage2_tabel2_handhaving",
    "tabel4_status_nieuwe_vsv",
    "tabel5_monitoring",
    "tabel6_afgerond",
    "tabel7_status_oud_vsv",
    "bijlage3_tabel2_leeftijd",
    "memo_aalten_vsv",
    "tekst",
]
EXTERN_TABLES = ["leerplichttelling", "tabel1_bevolking", "bijlage3_tabel1_duo_vsv", "bijlage3_tabel3_jongeren_23_26", "bijlage4_schoollocatie"]


@pytest.fixture(scope="module")
def comparison(shipped, reference):
    computed = tables.cells(tables.all_tables(shipped, schooljaar=SCHOOLJAAR))
    return compare(computed, reference)


@pytest.mark.parametrize("tabel", REGISTER_TABLES + EXTERN_TABLES)
def test_table_reproduces_publication(comparison, tabel):
    rows = comparison[comparison.tabel == tabel]
    assert len(rows) > 0, f"no reference cells for {tabel}"
    wrong = rows[~rows.ok][["rij", "kolom", "waarde_ref", "kandidaten", "waarde"]]
    assert wrong.empty, f"{tabel}: {len(wrong)} cells differ from the report:\n{wrong.to_string()}"


def test_every_in_scope_cell_is_checked(comparison, reference):
    """All 1.611 published cells outside label_onbekend are compared, none skipped."""
    in_scope = reference[reference.status != "label_onbekend"]
    assert len(comparison) == len(in_scope)
    assert set(comparison.tabel) == set(REGISTER_TABLES + EXTERN_TABLES)
    assert comparison.ok.all(), f"{(~comparison.ok).sum()} of {len(comparison)} cells differ"
