"""Bad deliveries: one report listing every problem (file, row, column, value, expected)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from lerenwerkt.cli import main
from lerenwerkt.load import HIDDEN, DeliveryError, load_register, validate_delivery

VM = "registratie/verzuimmeldingen.csv"


def _edit(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell (row = CSV line number, header = 1)."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[row - 1][rows[0].index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _problems(root: Path):
    _, problems = validate_delivery(root)
    return problems


def test_shipped_delivery_is_valid(raw_copy):
    assert _problems(raw_copy) == []


def test_all_problems_reported_at_once(raw_copy):
    _edit(raw_copy / VM, 2, "verzuimsoort", "spijbelen")
    _edit(raw_copy / VM, 5, "datum_melding", "31-12-2024")
    (raw_copy / "extern/kerncijfers.csv").unlink()
    problems = _problems(raw_copy)
    found = {(p.file, p.row, p.column) for p in problems}
    assert (VM, 2, "verzuimsoort") in found
    assert (VM, 5, "datum_melding") in found
    assert any(p.file == "extern/kerncijfers.csv" for p in problems)
    with pytest.raises(DeliveryError) as err:
        load_register(raw_copy)
    report = str(err.value)
    # an unknown value in a code column of registratie/ may be personal (a swapped column): not shown
    assert f"rij 2, kolom verzuimsoort: gevonden '{HIDDEN}'" in report and "spijbelen" not in report and "een van: absoluut" in report
    assert "rij 5, kolom datum_melding" in report


SAME = object()  # the value is shown as written


@pytest.mark.parametrize(
    ("file", "column", "value", "expected", "shown"),
    [
        (VM, "gemeente", "Oude-IJsselstreek", "een van", HIDDEN),  # registratie/: only a code is shown
        (VM, "gemeente", "aalten", "een van", SAME),  # a code but for capitals
        (VM, "geboortedatum", "2030-02-30", "bestaande datum", None),
        (VM, "datum_melding", "1999-01-01", "bestaande datum", None),
        (VM, "nieuwkomer", "ja", "true of false", SAME),
        ("registratie/vsv_status.csv", "status", "klaar", "een van", HIDDEN),
        ("registratie/vsv_status.csv", "status", "Afgerond ", "een van", SAME),
        ("registratie/vrijstellingen.csv", "artikel", "5d", "een van", HIDDEN),
        ("extern/bevolking.csv", "aantal", "-3", "geheel getal", SAME),
        ("extern/bevolking.csv", "aantal", "2.5", "geheel getal", SAME),
        ("extern/leerplichttelling.csv", "schooljaar", "2023/2024", "schooljaar", SAME),
    ],
)
def test_cell_defects_name_file_row_column_value(raw_copy, file, column, value, expected, shown):
    _edit(raw_copy / file, 3, column, value)
    problems = _problems(raw_copy)
    assert len(problems) >= 1
    p = next(p for p in problems if p.column == column)
    assert (p.file, p.row, p.value) == (file, 3, value if shown is SAME else shown)
    assert expected in p.expected


def test_duplicate_id(raw_copy):
    with open(raw_copy / VM, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    second_id = lines[2].split(",")[0]
    _edit(raw_copy / VM, 4, "melding_id", second_id)
    problems = _problems(raw_copy)
    assert {p.row for p in problems if p.column == "melding_id"} == {3, 4}


def test_missing_column_and_file(raw_copy):
    path = raw_copy / "registratie/handhaving.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    idx = rows[0].index("soort")
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([r[:idx] + r[idx + 1 :] for r in rows])
    (raw_copy / "registratie/vrijstellingen.csv").unlink()
    problems = _problems(raw_copy)
    assert any(p.file == "registratie/handhaving.csv" and p.column == "soort" and "ontbreekt" in p.expected for p in problems)
    assert any(p.file == "registratie/vrijstellingen.csv" and "ontbreekt" in p.expected for p in problems)


def test_structure_defects(raw_copy):
    (raw_copy / "registratie/zorg_preventie.csv").write_bytes(b"traject_id;jongere_id\nZP1;J1\n")
    with open(raw_copy / VM, "a", encoding="utf-8") as fh:
        fh.write("VM999999,J1,Aalten\n")
    (raw_copy / "extern/duo_vsv.csv").write_bytes(b"gebied,schooljaar\n\xff\xfe,2020-2021\n")
    problems = _problems(raw_copy)
    assert any(p.file == "registratie/zorg_preventie.csv" and "komma" in p.expected for p in problems)
    assert any(p.file == VM and p.value == "3 velden" for p in problems)
    assert any(p.file == "extern/duo_vsv.csv" and "UTF-8" in p.expected and p.row == 2 for p in problems)


def test_cross_file_rules(raw_copy):
    _edit(raw_copy / "registratie/vsv_status.csv", 2, "traject_id", "VSV-ONBEKEND")
    _edit(raw_copy / "registratie/vsv_status.csv", 3, "resultaat", "werk_kortdurend")
    problems = _problems(raw_copy)
    assert any(p.column == "traject_id" and p.row == 2 and p.value is None and "vsv_trajecten" in p.expected for p in problems)


def test_resultaat_on_informatie_advies_and_birth_after_melding(raw_copy):
    with open(raw_copy / VM, encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    info = next(i for i, r in enumerate(rows) if r[rows[0].index("verzuimsoort")] == "informatie_advies") + 1
    _edit(raw_copy / VM, info, "resultaat", "naar_school")
    _edit(raw_copy / VM, 2, "geboortedatum", "2024-12-31")
    problems = _problems(raw_copy)
    assert any(p.row == info and p.column == "resultaat" and "informatie_advies" in p.expected for p in problems)
    assert any(p.row == 2 and p.column == "geboortedatum" and "vóór" in p.expected for p in problems)


def test_validate_cli_exit_status(raw_copy, capsys):
    assert main(["validate", "--data", str(raw_copy)]) == 0
    _edit(raw_copy / VM, 2, "onderwijssoort", "VO")
    assert main(["validate", "--data", str(raw_copy)]) == 1
    out = capsys.readouterr().out
    assert "registratie/verzuimmeldingen.csv, rij 2, kolom onderwijssoort: gevonden 'VO'" in out


def test_fast_and_line_by_line_readers_agree(raw_copy, monkeypatch):
    """pyarrow reads a well-formed file; the line-by-line reader gives the same frames."""
    import lerenwerkt.load as load

    fast, fast_problems = validate_delivery(raw_copy)
    monkeypatch.setattr(load, "_arrow_chunks", lambda *a: None)
    slow, slow_problems = validate_delivery(raw_copy)
    assert fast_problems == slow_problems == []
    for name in fast:
        pd.testing.assert_frame_equal(fast[name], slow[name], check_index_type=False)


def test_irregular_files_keep_exact_row_numbers(raw_copy):
    """A blank line and a quoted line break: the fast reader steps aside, rows stay exact."""
    path = raw_copy / VM
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(3, "")  # a blank line after data row 3
    path.write_text("\n".join(lines), encoding="utf-8")
    _edit(raw_copy / VM, 7, "verzuimsoort", "spijbelen")
    problems = _problems(raw_copy)
    assert [(p.row, p.column) for p in problems] == [(7, "verzuimsoort")]


def test_large_counts_and_chunks(raw_copy, monkeypatch):
    """Chunked reading: a problem in a later chunk keeps its row; uniqueness spans chunks."""
    import lerenwerkt.load as load

    monkeypatch.setattr(load, "CHUNK_ROWS", 1000)
    monkeypatch.setattr(load, "_arrow_chunks", lambda *a: None)
    with open(raw_copy / VM, encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    _edit(raw_copy / VM, 5001, "melding_id", rows[1][0])  # same id as row 2, 5 chunks later
    _edit(raw_copy / VM, 8000, "gemeente", "Lochem")
    problems = _problems(raw_copy)
    assert {(p.row, p.column) for p in problems} == {(2, "melding_id"), (5001, "melding_id"), (8000, "gemeente")}


def test_report_counts_in_dutch_and_lists_problems_in_file_then_row_order(raw_copy):
    _edit(raw_copy / "registratie/handhaving.csv", 4, "gemeente", "Nergenshuizen")
    _edit(raw_copy / VM, 7, "verzuimsoort", "spijbelen")
    _edit(raw_copy / VM, 3, "onderwijssoort", "hbo")
    problems = _problems(raw_copy)
    report = DeliveryError(raw_copy, problems).report()
    assert report.splitlines()[0].endswith(": 3 problemen.") and "probleem/problemen" not in report
    assert [(p.file, p.row) for p in problems] == [(VM, 3), (VM, 7), ("registratie/handhaving.csv", 4)]
    assert DeliveryError(raw_copy, problems[:1]).report().splitlines()[0].endswith(": 1 probleem.")


def test_a_gemeente_code_is_shown_but_ids_and_dates_stay_hidden(raw_copy):
    _edit(raw_copy / VM, 2, "gemeente", "0197")
    _edit(raw_copy / VM, 3, "datum_melding", "2024-13-01")
    _edit(raw_copy / VM, 4, "onderwijssoort", "VM123456")
    by_row = {p.row: p for p in _problems(raw_copy)}
    assert by_row[2].value == "0197"
    assert by_row[3].value is None
    assert by_row[4].value == HIDDEN


def test_a_header_with_a_stray_space_or_capital_gets_a_hint(raw_copy):
    path = raw_copy / "registratie/handhaving.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("soort", "Soort ", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    p = next(p for p in _problems(raw_copy) if p.column == "soort")
    assert "ontbreekt" in p.expected and "kolom 'Soort ' lijkt op 'soort': spatie of hoofdletter?" in p.expected


# ------------------------------------------------ issue 21.2: kerncijfers.indicator is a snake_case code
KC = "extern/kerncijfers.csv"


GOOD_KEYS = ["testen_afgenomen", "opstartbonussen", "begeleid_regionaal_programma_vsv", "n_2024_extra", "a" * 60]
BAD_KEYS = [
    '<img src=x onerror="alert(1)">',
    "<script>alert(1)</script>",
    "Testen afgenomen",
    "testen-afgenomen",
    "Testen_afgenomen",
    "_testen",
    "testen_",
    "testen__afgenomen",
    "1e_testen",
    "tëst",
    "ｔｅｓｔ",
    "testen_afgenomen ",
    "a" * 61,
]


@pytest.mark.parametrize(("indicator", "good"), [(bad, GOOD_KEYS[i % len(GOOD_KEYS)]) for i, bad in enumerate(BAD_KEYS)])
def test_a_kerncijfer_indicator_must_be_a_snake_case_code(raw_copy, indicator, good):
    """The indicator becomes a table's row label: only the code the contract describes is
    accepted, so no markup or free text reaches a page through it; a snake_case code of the
    delivery's choosing (row 3) is."""
    _edit(raw_copy / KC, 2, "indicator", indicator)
    _edit(raw_copy / KC, 3, "indicator", good)
    problems = _problems(raw_copy)
    (p,) = [p for p in problems if p.file == KC]
    assert (p.row, p.column) == (2, "indicator")
    assert "snake_case" in p.expected and "testen_afgenomen" in p.expected
