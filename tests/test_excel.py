"""Excel workbooks for the gemeenten open with the right numbers."""

from __future__ import annotations

from openpyxl import load_workbook

from lerenwerkt import codes
from lerenwerkt.cli import main


def test_one_workbook_per_scope_with_the_right_numbers(tmp_path):
    assert main(["tables", "--format", "xlsx", "--out", str(tmp_path)]) == 0
    assert sorted(p.stem for p in tmp_path.glob("*.xlsx")) == sorted(codes.slug(g) for g in (None, *codes.GEMEENTEN))

    region = load_workbook(tmp_path / "lerenwerkt.xlsx")
    t3 = region["tabel3_verzuim_18plus"]
    header = [c.value for c in t3[3]]
    assert header == [None, "Meldingen", "Actie gewenst", "% actie gewenst"]
    row = next(r for r in t3.iter_rows(min_row=4, values_only=False) if r[0].value == "2024-2025")
    assert row[1].value == 1209 and row[1].number_format == "#,##0"
    assert round(row[3].value, 2) == 0.31 and row[3].number_format == "0%"
    assert t3.cell(row=8, column=1).value == "Bron: JVS"

    aalten = load_workbook(tmp_path / "aalten.xlsx")
    a1 = aalten["bijlage1_tabel1a"]
    rows = {r[0]: r[1:] for r in a1.iter_rows(min_row=4, max_row=5, values_only=True)}
    assert set(rows) == {"Aalten", "Totaal"}
    assert rows["Aalten"][0] == 5 and rows["Totaal"][0] == 44  # Absoluut verzuim, published Bijlage 1 Tabel 1A
    memo = aalten["memo_aalten_verzuim"]
    assert [c.value for c in memo[3]][1:] == ["2023-2024", "2024-2025"]
    lpt = region["leerplichttelling"]
    assert lpt.cell(row=4, column=3).number_format == "0.00%"
