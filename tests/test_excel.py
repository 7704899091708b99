"""Excel workbooks for the gemeenten open with the right numbers, sheets named by caption,
a gemeente's own totals, and the legend of every sign shown."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook

from lerenwerkt import codes, excel, fmt
from lerenwerkt import tables as tb
from lerenwerkt.cli import main
from lerenwerkt.disclosure import rules


def _sheet(wb, caption_start: str):
    """The sheet whose first row (the full caption) starts with ``caption_start``."""
    hits = [ws for ws in wb.worksheets if str(ws["A1"].value).startswith(caption_start)]
    assert len(hits) == 1, (caption_start, [ws["A1"].value for ws in wb.worksheets])
    return hits[0]


def test_one_workbook_per_scope_with_the_right_numbers(tmp_path, shipped):
    assert main(["tables", "--format", "xlsx", "--out", str(tmp_path)]) == 0
    assert sorted(p.stem for p in tmp_path.glob("*.xlsx")) == sorted(codes.slug(g) for g in (None, *codes.GEMEENTEN))

    region = load_workbook(tmp_path / "lerenwerkt.xlsx")
    t3 = region["Tabel 3 Verzuimmeldingen 18+"]  # named by its caption, not by its code
    header = [c.value for c in t3[3]]
    assert header == [None, "Meldingen", "Actie gewenst", "% actie gewenst"]
    row = next(r for r in t3.iter_rows(min_row=4, values_only=False) if r[0].value == "2024-2025")
    assert row[1].value == 1209 and row[1].number_format == "#,##0"
    assert round(row[3].value, 2) == 0.31 and row[3].number_format == "0%"
    assert t3.cell(row=8, column=1).value == "Bron: JVS"

    aalten = load_workbook(tmp_path / "aalten.xlsx")
    a1 = _sheet(aalten, "Bijlage 1 Tabel 1A")
    assert a1.title.startswith("Bijl. 1 Tabel 1A")
    rows = {r[0]: r[1:] for r in a1.iter_rows(min_row=4, max_row=5, values_only=True)}
    # the region's total is labelled as the region's, never as Aalten's
    assert set(rows) == {"Aalten", excel.REGIO_TOTAAL}
    assert rows["Aalten"][0] == 5 and rows[excel.REGIO_TOTAAL][0] == 44  # Absoluut verzuim, published Bijlage 1 Tabel 1A
    assert "Aalten en LerenWerkt" in a1["A1"].value
    memo = _sheet(aalten, "Lokale ontwikkelingen verzuim")
    assert [c.value for c in memo[3]][1:] == ["2023-2024", "2024-2025"]
    lpt = _sheet(region, "Percentages absoluut verzuim")
    assert lpt.cell(row=4, column=3).number_format == "0.00%"

    # a table the report has per gemeente: the gemeente's own totals
    d1 = _sheet(aalten, "Diagram 1")
    own = tb.diagram1(shipped, schooljaar="2024-2025", gemeente="Aalten").frame
    totaal = next(r for r in d1.iter_rows(min_row=4, values_only=True) if r[0] == codes.TOTAAL)
    assert totaal[1] == int(own.at[codes.TOTAAL, "2024-2025"]) < 44 * 10
    assert d1["A1"].value.endswith("— Aalten")

    for wb in (region, aalten):
        names = [ws.title for ws in wb.worksheets]
        assert len(names) == len({n.lower() for n in names}) and all(len(n) <= 31 for n in names)
        assert not any(ch in n for n in names for ch in "[]:*?/\\")


def test_sheet_names_short_unique_and_legal():
    names = excel.sheet_names(["Tabel 1 A/B: iets?", "Tabel 1 A/B: iets?", "x" * 40, "'Quote'"])
    assert names[0] == "Tabel 1 A B iets" and names[1] == "Tabel 1 A B iets (2)"
    assert len(names[2]) == 31 and names[3] == "Quote"


def test_signs_in_a_workbook_carry_their_legend():
    frame = pd.DataFrame({"Aantal": [3.0, float("nan")], "Percentage": [50.0, float("nan")]}, index=["a", "b"])
    mask = pd.DataFrame({"Aantal": [True, False], "Percentage": [False, False]}, index=frame.index)
    t = tb.Tabel("x", "Tabel 9 Proef", frame, pct_columns=("Percentage",), onderdrukt=mask)
    wb = load_workbook(io.BytesIO(excel.workbook([t])))
    ws = wb.worksheets[0]
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert rules().symbool in values and fmt.ONBEKEND in values
    assert fmt.tekens_uitleg(onderdrukt=True, onbekend=True) in values


def test_shares_in_a_workbook_carry_only_the_shown_precision():
    """75,362...% is not written at full float precision (it would give the count back)."""
    frame = pd.DataFrame({"Aantal": [138.0, 4.0], "Aandeel": [100.0, 100.0 * 4 / 138], "Per 1.000": [2.0, 1 / 3]}, index=["Totaal", "a"])
    t = tb.Tabel("x", "Tabel 9 Proef", frame, pct_columns=("Aandeel",))
    ws = load_workbook(io.BytesIO(excel.workbook([t]))).worksheets[0]
    values = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, float)]
    assert 0.03 in values and 100.0 * 4 / 138 / 100.0 not in values
    assert 0.3 in values and 1 / 3 not in values


def test_a_share_is_withheld_with_its_count_or_its_denominator():
    """Zorg en preventie: 'Afgesloten: schooluitval 6 | 75%' beside a withheld 'Afgesloten'
    gives 8 back; the share goes with the denominator, and with a withheld part."""
    from lerenwerkt import gate

    idx = ["Gestart", "Gestart: a", "Gestart: b", "Afgesloten", "Afgesloten: x", "Afgesloten: y"]
    frame = pd.DataFrame({"Aantal": [20.0, 12.0, 8.0, 8.0, 6.0, 2.0], "Aandeel": [100.0, 60.0, 40.0, 100.0, 75.0, 25.0]}, index=idx)
    mask = pd.DataFrame({"Aantal": [False, False, False, True, False, True], "Aandeel": [False] * 6}, index=idx)
    t = gate.shares_follow_counts(tb.Tabel("zorg_preventie", "Zorg", frame, pct_columns=("Aandeel",), onderdrukt=mask))
    assert t.onderdrukt["Aandeel"].tolist() == [False, False, False, True, True, True]
    assert t.frame["Aandeel"].isna().tolist() == [False, False, False, True, True, True]
    assert t.frame.at["Gestart: a", "Aandeel"] == 60.0
    assert gate.shares_follow_counts(tb.Tabel("x", "x", frame, pct_columns=("Aandeel",))).onderdrukt is None


def test_workbook_bytes_are_a_function_of_the_tables_and_the_date(shipped, monkeypatch):
    """openpyxl writes the time of writing (``dcterms:created``, ``modified``, every zip
    entry): two workbooks of the same tables differed. Now their date is the delivery's (or
    ``SOURCE_DATE_EPOCH``), and the bytes are the same, whenever they are written."""
    import time
    import zipfile
    from datetime import UTC, datetime

    from lerenwerkt import reproducible

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    scope = excel.scope_tables(shipped, schooljaar="2024-2025", gemeente="Aalten", publicatie="openbaar")[:3]
    datum = reproducible.leveringsdatum(shipped)
    assert datum is not None and datum <= datetime.now(UTC).date()
    first = excel.workbook(scope, datum=datum)
    time.sleep(2.1)  # zip times have a resolution of two seconds
    assert excel.workbook(scope, datum=datum) == first
    wb = load_workbook(io.BytesIO(first))
    assert wb.properties.created.date() == wb.properties.modified.date() == datum
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time[:3] for i in z.infolist()} == {(datum.year, datum.month, datum.day)}

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the reproducible-builds convention wins
    wb = load_workbook(io.BytesIO(excel.workbook(scope, datum=datum)))
    assert wb.properties.created == datetime(2023, 11, 14, 22, 13, 20)
