"""A corpus of malformed deliveries, one defect each, generated from the shipped register.

Each must be rejected with one report that names file, row, column, value and what was
expected; ``validate`` exits 1; ``tables`` and ``build`` write nothing."""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from lerenwerkt import config
from lerenwerkt.cli import main
from lerenwerkt.load import validate_delivery
from lerenwerkt.schemas import SPECS

R = "registratie/"
E = "extern/"


@pytest.fixture(scope="session")
def mini(tmp_path_factory) -> Path:
    """A small valid delivery: the first rows of every shipped file (consistent across files)."""
    root = tmp_path_factory.mktemp("mini")
    shutil.copytree(config.RAW_DIR / "extern", root / "extern")
    (root / "registratie").mkdir()
    keep_trajecten = set()
    for name in ("verzuimmeldingen", "vrijstellingen", "handhaving", "meldingen_18plus", "vsv_trajecten", "zorg_preventie"):
        rows = list(csv.reader((config.RAW_DIR / R / f"{name}.csv").read_text(encoding="utf-8").splitlines()))
        head = rows[:1] + rows[1:41]
        if name == "verzuimmeldingen" and not any(r[4] == "informatie_advies" for r in head[1:]):
            head.append(next(r for r in rows[1:] if r[4] == "informatie_advies"))
        if name == "vsv_trajecten":
            keep_trajecten = {r[0] for r in head[1:]}
        _write(root / R / f"{name}.csv", head)
    status = list(csv.reader((config.RAW_DIR / R / "vsv_status.csv").read_text(encoding="utf-8").splitlines()))
    _write(root / R / "vsv_status.csv", status[:1] + [r for r in status[1:] if r[0] in keep_trajecten])
    reg, problems = validate_delivery(root)
    assert problems == [], problems
    return root


def _write(path: Path, rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _rows(path: Path):
    return list(csv.reader(path.read_text(encoding="utf-8").splitlines()))


def set_cell(file: str, column: str, value: str, row: int = 3) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        rows = _rows(root / file)
        rows[row - 1][rows[0].index(column)] = value
        _write(root / file, rows)

    return apply


def set_where(file: str, match: Callable[[dict], bool], column: str, value: str) -> Callable[[Path], int]:
    def apply(root: Path) -> int:
        rows = _rows(root / file)
        i = next(i for i, r in enumerate(rows[1:], start=1) if match(dict(zip(rows[0], r))))
        rows[i][rows[0].index(column)] = value
        _write(root / file, rows)
        return i + 1

    return apply


def drop_column(file: str, column: str):
    def apply(root: Path) -> None:
        rows = _rows(root / file)
        k = rows[0].index(column)
        _write(root / file, [r[:k] + r[k + 1 :] for r in rows])

    return apply


def remove(file: str):
    def apply(root: Path) -> None:
        (root / file).unlink()

    return apply


def replace_bytes(file: str, data: bytes):
    def apply(root: Path) -> None:
        (root / file).write_bytes(data)

    return apply


def header_only(file: str):
    def apply(root: Path) -> None:
        _write(root / file, _rows(root / file)[:1])

    return apply


def append_line(file: str, line: str):
    def apply(root: Path) -> None:
        with open(root / file, "a", encoding="utf-8") as fh:
            fh.write(line)

    return apply


def duplicate_id(file: str, column: str):
    def apply(root: Path) -> None:
        rows = _rows(root / file)
        rows[3][rows[0].index(column)] = rows[2][rows[0].index(column)]
        _write(root / file, rows)

    return apply


def semicolons(file: str):
    def apply(root: Path) -> None:
        rows = _rows(root / file)
        with open(root / file, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, delimiter=";", lineterminator="\n").writerows(rows)

    return apply


def cp1252(file: str):
    def apply(root: Path) -> None:
        text = (root / file).read_text(encoding="utf-8")
        lines = text.splitlines()
        lines[2] = lines[2].replace(",", ",Café ", 1)
        (root / file).write_bytes("\n".join(lines).encode("cp1252"))

    return apply


def rename_header(file: str, old: str, new: str):
    def apply(root: Path) -> None:
        rows = _rows(root / file)
        rows[0][rows[0].index(old)] = new
        _write(root / file, rows)

    return apply


def tabs(file: str):
    def apply(root: Path) -> None:
        rows = _rows(root / file)
        with open(root / file, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, delimiter="\t", lineterminator="\n").writerows(rows)

    return apply


def reencode(file: str, encoding: str):
    def apply(root: Path) -> None:
        (root / file).write_bytes((root / file).read_text(encoding="utf-8").encode(encoding))

    return apply


def insert_bytes(file: str, line: int, data: bytes):
    """Put raw bytes at the start of a line (header = 1)."""

    def apply(root: Path) -> None:
        lines = (root / file).read_bytes().split(b"\n")
        lines[line - 1] = data + lines[line - 1]
        (root / file).write_bytes(b"\n".join(lines))

    return apply


def make_dir(file: str):
    def apply(root: Path) -> None:
        (root / file).unlink()
        (root / file).mkdir()

    return apply


def duplicate_row(file: str, row: int = 3):
    def apply(root: Path) -> None:
        rows = _rows(root / file)
        _write(root / file, [*rows, rows[row - 1]])

    return apply


def status_before_traject(root: Path) -> int:
    """Date the first status row of a traject one day before its uitschrijving."""
    tr = {r[0]: r[3] for r in _rows(root / R / "vsv_trajecten.csv")[1:]}
    rows = _rows(root / R / "vsv_status.csv")
    i = next(i for i, r in enumerate(rows[1:], start=1) if r[0] in tr and tr[r[0]] > "2010-01-02")
    day = __import__("datetime").date.fromisoformat(tr[rows[i][0]]) - __import__("datetime").timedelta(days=1)
    rows[i][1] = day.isoformat()
    _write(root / R / "vsv_status.csv", rows)
    return i + 1


@dataclass
class Case:
    name: str
    defect: Callable
    file: str
    column: str | None
    expected: str  # a fragment of what the report says is expected
    row: int | None = 3


CODED = [
    (R + "verzuimmeldingen.csv", "gemeente", "Oude-IJsselstreek"),
    (R + "verzuimmeldingen.csv", "onderwijssoort", "hbo"),
    (R + "verzuimmeldingen.csv", "verzuimsoort", "spijbelen"),
    (R + "vrijstellingen.csv", "gemeente", "Zutphen"),
    (R + "vrijstellingen.csv", "artikel", "5d"),
    (R + "handhaving.csv", "gemeente", "Lochem"),
    (R + "handhaving.csv", "soort", "boete"),
    (R + "meldingen_18plus.csv", "gemeente", "Arnhem"),
    (R + "meldingen_18plus.csv", "onderwijssoort", "hbo"),
    (R + "meldingen_18plus.csv", "uitkomst", "gestopt?"),
    (R + "vsv_trajecten.csv", "gemeente", "Duiven"),
    (R + "vsv_trajecten.csv", "onderwijssoort", "havo"),
    (R + "vsv_trajecten.csv", "reden_uitval", "verveling"),
    (R + "vsv_status.csv", "status", "klaar"),
    (R + "zorg_preventie.csv", "gemeente", "Ede"),
    (R + "zorg_preventie.csv", "aanleiding", "ziek"),
    (E + "bevolking.csv", "gemeente", "Zevenaar"),
    (E + "leerplichttelling.csv", "regio", "Twente"),
    (E + "leerplichttelling.csv", "indicator", "verzuim_pct"),
    (E + "duo_vsv.csv", "gebied", "Gelderland"),
    (E + "duo_vsv.csv", "onderwijssoort", "hbo"),
    (E + "jikp.csv", "startpositie", "havo"),
    (E + "jikp.csv", "meetmoment", "2"),
    (E + "jikp.csv", "daginvulling", "studie"),
    (E + "schoollocatie.csv", "onderwijssoort", "hbo"),
    (E + "schoollocatie.csv", "locatie", "buitenland"),
]

CASES = [Case(f"onbekende code {f.split('/')[-1]}:{c}", set_cell(f, c, v), f, c, "een van") for f, c, v in CODED]
CASES += [
    Case(
        "resultaat onbekend",
        set_where(R + "verzuimmeldingen.csv", lambda r: r["resultaat"], "resultaat", "geslaagd"),
        R + "verzuimmeldingen.csv",
        "resultaat",
        "een van",
        None,
    ),
    Case("afloop onbekend", set_where(R + "handhaving.csv", lambda r: r["afloop"], "afloop", "matig"), R + "handhaving.csv", "afloop", "een van", None),
    Case("ontbrekend bestand", remove(R + "verzuimmeldingen.csv"), R + "verzuimmeldingen.csv", None, "ontbreekt", None),
    Case("ontbrekend extern bestand", remove(E + "bevolking.csv"), E + "bevolking.csv", None, "ontbreekt", None),
    Case("leeg bestand", replace_bytes(R + "vrijstellingen.csv", b""), R + "vrijstellingen.csv", None, "kopregel", None),
    Case("alleen kopregel", header_only(R + "meldingen_18plus.csv"), R + "meldingen_18plus.csv", None, "minstens één rij", None),
    Case("ontbrekende kolom", drop_column(R + "verzuimmeldingen.csv", "gemeente"), R + "verzuimmeldingen.csv", "gemeente", "ontbreekt", 1),
    Case("ontbrekende kolom vsv", drop_column(R + "vsv_trajecten.csv", "geboortedatum"), R + "vsv_trajecten.csv", "geboortedatum", "ontbreekt", 1),
    Case("onleesbare datum", set_cell(R + "verzuimmeldingen.csv", "datum_melding", "31-12-2024"), R + "verzuimmeldingen.csv", "datum_melding", "JJJJ-MM-DD"),
    Case("onmogelijke datum", set_cell(R + "vrijstellingen.csv", "datum_ingang", "2024-02-30"), R + "vrijstellingen.csv", "datum_ingang", "bestaande datum"),
    Case("datum buiten bereik", set_cell(R + "handhaving.csv", "datum", "1899-01-01"), R + "handhaving.csv", "datum", "bestaande datum"),
    Case(
        "geboortedatum in de toekomst",
        set_cell(R + "vsv_trajecten.csv", "geboortedatum", "2099-01-01"),
        R + "vsv_trajecten.csv",
        "geboortedatum",
        "bestaande datum",
    ),
    Case("dubbel id", duplicate_id(R + "verzuimmeldingen.csv", "melding_id"), R + "verzuimmeldingen.csv", "melding_id", "uniek", 4),
    Case("dubbel traject", duplicate_id(R + "vsv_trajecten.csv", "traject_id"), R + "vsv_trajecten.csv", "traject_id", "uniek", 4),
    Case("status van onbekend traject", set_cell(R + "vsv_status.csv", "traject_id", "VSV999999"), R + "vsv_status.csv", "traject_id", "vsv_trajecten"),
    Case(
        "resultaat uit de verkeerde lijst",
        set_where(R + "vsv_status.csv", lambda r: r["status"] == "monitoring", "resultaat", "startkwalificatie"),
        R + "vsv_status.csv",
        "resultaat",
        "bij monitoring",
        None,
    ),
    Case(
        "resultaat bij in behandeling",
        set_where(R + "vsv_status.csv", lambda r: r["status"] == "in_behandeling", "resultaat", "school"),
        R + "vsv_status.csv",
        "resultaat",
        "leeg bij status",
        None,
    ),
    Case("ja als boolean", set_cell(R + "verzuimmeldingen.csv", "nieuwkomer", "ja"), R + "verzuimmeldingen.csv", "nieuwkomer", "true of false"),
    Case("ja als boolean 18+", set_cell(R + "meldingen_18plus.csv", "actie_gewenst", "Ja"), R + "meldingen_18plus.csv", "actie_gewenst", "true of false"),
    Case(
        "geboren na de melding",
        set_cell(R + "meldingen_18plus.csv", "geboortedatum", "2025-12-31"),
        R + "meldingen_18plus.csv",
        "geboortedatum",
        "vóór datum_melding",
    ),
    Case("rafelige rij", append_line(R + "verzuimmeldingen.csv", "VM9999999,J1,Aalten\n"), R + "verzuimmeldingen.csv", None, "velden", None),
    Case("verkeerd scheidingsteken", semicolons(R + "zorg_preventie.csv"), R + "zorg_preventie.csv", None, "komma", 1),
    Case("geen UTF-8", cp1252(R + "handhaving.csv"), R + "handhaving.csv", None, "UTF-8", 3),
    Case("negatief aantal", set_cell(E + "bevolking.csv", "aantal", "-5"), E + "bevolking.csv", "aantal", "geheel getal"),
    Case("gebroken aantal", set_cell(E + "jikp.csv", "aantal", "2.5"), E + "jikp.csv", "aantal", "geheel getal"),
    Case("percentage met komma", set_cell(E + "leerplichttelling.csv", "waarde", "0,92"), E + "leerplichttelling.csv", "waarde", "getal"),
    Case(
        "resultaat bij informatie en advies",
        set_where(R + "verzuimmeldingen.csv", lambda r: r["verzuimsoort"] == "informatie_advies", "resultaat", "naar_school"),
        R + "verzuimmeldingen.csv",
        "resultaat",
        "informatie_advies",
        None,
    ),
    Case(
        "einddatum voor begindatum",
        set_where(R + "vrijstellingen.csv", lambda r: r["datum_einde"], "datum_einde", "2015-01-01"),
        R + "vrijstellingen.csv",
        "datum_einde",
        "op of na datum_ingang",
        None,
    ),
    Case(
        "einde zorgtraject voor start",
        set_where(R + "zorg_preventie.csv", lambda r: r["datum_einde"], "datum_einde", "2015-01-01"),
        R + "zorg_preventie.csv",
        "datum_einde",
        "op of na datum_start",
        None,
    ),
    Case(
        "afgerond voor de melding",
        set_where(R + "verzuimmeldingen.csv", lambda r: r["datum_afgerond"] and r["verzuimsoort"] != "informatie_advies", "datum_afgerond", "2015-01-01"),
        R + "verzuimmeldingen.csv",
        "datum_afgerond",
        "op of na datum_melding",
        None,
    ),
    Case(
        "afgerond zonder resultaat",
        set_where(R + "verzuimmeldingen.csv", lambda r: r["resultaat"], "resultaat", ""),
        R + "verzuimmeldingen.csv",
        "resultaat",
        "een resultaat bij een afgeronde melding",
        None,
    ),
    Case("verplicht veld leeg", set_cell(R + "vsv_trajecten.csv", "jongere_id", ""), R + "vsv_trajecten.csv", "jongere_id", "verplicht veld is leeg"),
    Case("schooljaar verkeerd geschreven", set_cell(E + "duo_vsv.csv", "schooljaar", "2023/2024"), E + "duo_vsv.csv", "schooljaar", "schooljaar"),
]


# Issue 14: values the contract forbids, structure that used to crash, and more invented ones.
CASES += [
    Case("negatief percentage", set_cell(E + "duo_vsv.csv", "percentage", "-0.5"), E + "duo_vsv.csv", "percentage", "van 0 tot en met 100"),
    Case("percentage boven 100", set_cell(E + "schoollocatie.csv", "percentage", "100.5"), E + "schoollocatie.csv", "percentage", "van 0 tot en met 100"),
    Case(
        "schooljaar met regeleinde",
        set_cell(E + "duo_vsv.csv", "schooljaar", "2023-2024\n"),
        E + "duo_vsv.csv",
        "schooljaar",
        "spatie of regeleinde",
    ),
    Case("leeftijd met regeleinde", set_cell(E + "bevolking.csv", "leeftijd", "4\n"), E + "bevolking.csv", "leeftijd", "spatie of regeleinde"),
    Case("gemeente met spatie", set_cell(R + "vrijstellingen.csv", "gemeente", "Aalten "), R + "vrijstellingen.csv", "gemeente", "spatie of regeleinde"),
    Case("id met spatie", set_cell(R + "vsv_trajecten.csv", "traject_id", "VSV000002 "), R + "vsv_trajecten.csv", "traject_id", "zonder spaties"),
    Case("veld groter dan 128 KB", set_cell(E + "leerplichttelling.csv", "bron", "x" * 140_000), E + "leerplichttelling.csv", None, "128 KB"),
    Case(
        "dubbele kolomnaam",
        rename_header(R + "vrijstellingen.csv", "datum_einde", "datum_ingang"),
        R + "vrijstellingen.csv",
        "datum_ingang",
        "één keer",
        1,
    ),
    Case(
        "Arabische cijfers in een datum",
        set_cell(R + "verzuimmeldingen.csv", "datum_melding", "٢٠٢٤-٠١-١٥"),
        R + "verzuimmeldingen.csv",
        "datum_melding",
        "bestaande datum",
    ),
    Case("volbreedte cijfers in een aantal", set_cell(E + "bevolking.csv", "aantal", "１２３"), E + "bevolking.csv", "aantal", "geheel getal"),
    Case("volbreedte cijfers in een schooljaar", set_cell(E + "jikp.csv", "cohort", "２０１９-２０２０"), E + "jikp.csv", "cohort", "schooljaar"),
    Case("percentage-indicator boven 100", set_cell(E + "leerplichttelling.csv", "waarde", "250"), E + "leerplichttelling.csv", "waarde", "_pct"),
    Case("aantal-indicator gebroken", set_cell(E + "leerplichttelling.csv", "waarde", "39637.5", row=2), E + "leerplichttelling.csv", "waarde", "n_", 2),
    Case("negatieve kerncijfer", set_cell(E + "kerncijfers.csv", "waarde", "-3"), E + "kerncijfers.csv", "waarde", "≥ 0"),
    Case("leeftijdsband omgedraaid", set_cell(E + "bevolking.csv", "leeftijd", "15-5"), E + "bevolking.csv", "leeftijd", "leeftijd of band"),
    Case("leeftijd buiten bereik", set_cell(E + "bevolking.csv", "leeftijd", "99"), E + "bevolking.csv", "leeftijd", "leeftijd of band"),
    Case("schooljaar niet opeenvolgend", set_cell(E + "kerncijfers.csv", "schooljaar", "2024-2026"), E + "kerncijfers.csv", "schooljaar", "schooljaar"),
    Case(
        "TRUE in hoofdletters", set_cell(R + "meldingen_18plus.csv", "inzet_consulent", "TRUE"), R + "meldingen_18plus.csv", "inzet_consulent", "true of false"
    ),
    Case("1 als boolean", set_cell(R + "verzuimmeldingen.csv", "nieuwkomer", "1"), R + "verzuimmeldingen.csv", "nieuwkomer", "true of false"),
    Case(
        "datum met tijd",
        set_cell(R + "verzuimmeldingen.csv", "geboortedatum", "2012-03-04 00:00:00"),
        R + "verzuimmeldingen.csv",
        "geboortedatum",
        "JJJJ-MM-DD",
    ),
    Case("Excel-datumgetal", set_cell(R + "handhaving.csv", "datum", "45292"), R + "handhaving.csv", "datum", "JJJJ-MM-DD"),
    Case("NUL-teken", insert_bytes(R + "handhaving.csv", 3, b"\x00"), R + "handhaving.csv", None, "NUL", None),
    Case("tab als scheidingsteken", tabs(E + "kerncijfers.csv"), E + "kerncijfers.csv", None, "komma", 1),
    Case("UTF-16", reencode(E + "duo_vsv.csv", "utf-16"), E + "duo_vsv.csv", None, "UTF-8", 1),
    Case("bestand is een map", make_dir(R + "zorg_preventie.csv"), R + "zorg_preventie.csv", None, "dit is een map", None),
    Case("gemeente in kleine letters", set_cell(R + "meldingen_18plus.csv", "gemeente", "aalten"), R + "meldingen_18plus.csv", "gemeente", "een van"),
    Case("status voor de uitschrijving", status_before_traject, R + "vsv_status.csv", "datum", "op of na datum_uitschrijving", None),
    Case(
        "afloop bij een proces-verbaal",
        set_where(R + "handhaving.csv", lambda r: r["soort"] != "halt", "afloop", "positief"),
        R + "handhaving.csv",
        "afloop",
        "alleen bij halt",
        None,
    ),
    Case("dubbele rij in bevolking", duplicate_row(E + "bevolking.csv"), E + "bevolking.csv", "gemeente,peildatum,leeftijd", "uniek", 3),
    Case("bron leeg", set_cell(E + "schoollocatie.csv", "bron", ""), E + "schoollocatie.csv", "bron", "verplicht veld is leeg"),
    Case("bron alleen spaties", set_cell(E + "schoollocatie.csv", "bron", "   "), E + "schoollocatie.csv", "bron", "niet alleen spaties"),
    Case("NaN als percentage", set_cell(E + "duo_vsv.csv", "percentage", "NaN"), E + "duo_vsv.csv", "percentage", "getal"),
    Case("duizendtalscheiding", set_cell(E + "bevolking.csv", "aantal", "1,000"), E + "bevolking.csv", "aantal", "geheel getal"),
    Case("wetenschappelijke notatie", set_cell(E + "jikp.csv", "aantal", "1e3"), E + "jikp.csv", "aantal", "geheel getal"),
    Case("dubbel traject in zorg", duplicate_id(R + "zorg_preventie.csv", "traject_id"), R + "zorg_preventie.csv", "traject_id", "uniek", 4),
    Case("open aanhalingsteken", append_line(R + "vrijstellingen.csv", 'VR99999,"J1,Aalten,5a,2024-01-01,\n'), R + "vrijstellingen.csv", None, "velden", None),
    Case("onbekende meetmoment met spatie", set_cell(E + "jikp.csv", "meetmoment", " 1"), E + "jikp.csv", "meetmoment", "spatie of regeleinde"),
    Case("melding_id leeg", set_cell(R + "verzuimmeldingen.csv", "melding_id", ""), R + "verzuimmeldingen.csv", "melding_id", "verplicht veld is leeg"),
    Case("onbekende uitkomst zorg", set_cell(R + "zorg_preventie.csv", "uitkomst", "klaar"), R + "zorg_preventie.csv", "uitkomst", "een van"),
    Case("maand 13", set_cell(R + "verzuimmeldingen.csv", "datum_afgerond", "2024-13-01"), R + "verzuimmeldingen.csv", "datum_afgerond", "bestaande datum"),
    Case("peildatum Nederlands geschreven", set_cell(E + "bevolking.csv", "peildatum", "01-01-2025"), E + "bevolking.csv", "peildatum", "JJJJ-MM-DD"),
    Case("negatief totaal", set_cell(E + "schoollocatie.csv", "totaal", "-1"), E + "schoollocatie.csv", "totaal", "≥ 0"),
    Case("datum met schuine strepen", set_cell(R + "zorg_preventie.csv", "datum_start", "2021/09/01"), R + "zorg_preventie.csv", "datum_start", "JJJJ-MM-DD"),
]


def test_corpus_is_large_enough():
    assert len(CASES) >= 100
    assert len({c.name for c in CASES}) == len(CASES), "every case has its own name"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_defect_is_reported_precisely(case, mini, tmp_path, capsys):
    root = tmp_path / "levering"
    shutil.copytree(mini, root)
    changed_row = case.defect(root)  # set_where returns the line it changed
    case_row = changed_row if changed_row is not None else case.row
    _, problems = validate_delivery(root)
    assert problems, "the defect was not detected"
    hits = [p for p in problems if p.file == case.file and (case.column is None or p.column == case.column) and case.expected in p.expected]
    assert hits, f"no problem names {case.file} / {case.column} / '{case.expected}': {[str(p) for p in problems]}"
    if case_row is not None:
        assert any(p.row == case_row for p in hits), [str(p) for p in hits]
    # the CLI: validate exits 1 with the report (and writes the data-quality page); tables
    # and build write nothing
    page = tmp_path / "pagina" / "datakwaliteit.html"
    assert main(["validate", "--data", str(root), "--report", str(page)]) == 1
    captured = capsys.readouterr()
    assert case.file in captured.out
    out = tmp_path / "uitvoer"
    assert main(["tables", "--data", str(root), "--out", str(out)]) == 1
    if CASES.index(case) % 4 == 0:  # the same check stops every build; a sample of it
        assert main(["build", "--data", str(root), "--out", str(out), "--gemeente", "aalten", "--chapter", "verzuim", "--jobs", "1", "--quiet"]) == 1
    assert not out.exists()
    # privacy: no identifier and no date of a person in any output, printed or written
    captured_all = captured.out + captured.err + "".join(capsys.readouterr())
    written = [p.read_text(encoding="utf-8", errors="replace") for p in tmp_path.rglob("*") if p.is_file() and root not in p.parents]
    assert written, "the data-quality page was written"
    leaks = sorted(v for v in personal_values(root) if any(v in text for text in [captured_all, *written]))
    assert not leaks, f"personal values in the output: {len(leaks)}"


def test_privacy_scan_sees_ids_and_dates(mini):
    """The scan above is not empty-handed: it holds the ids and (Dutch) birth dates."""
    rows = _rows(mini / R / "verzuimmeldingen.csv")
    first = dict(zip(rows[0], rows[1]))
    y, m, d = first["geboortedatum"].split("-")
    found = personal_values(mini)
    assert {first["melding_id"], first["jongere_id"], first["geboortedatum"], f"{d}-{m}-{y}"} <= found
    assert "Aalten" not in found and "2024-2025" not in found


def personal_values(root: Path) -> set[str]:
    """Every identifier and date of a person in a delivery (read leniently: the files are
    broken on purpose), with dates also written the Dutch way."""
    values: set[str] = set()
    csv.field_size_limit(1 << 24)
    for spec in SPECS.values():
        path = root / spec.path
        if spec.folder != "registratie" or not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", errors="replace").replace("\x00", "")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        header = [h.strip() for h in rows[0]] if rows else []
        for col in spec.columns:
            if not spec.personal(col.name) or col.name not in header:
                continue
            k = header.index(col.name)
            for r in rows[1:]:
                v = r[k].strip() if k < len(r) else ""
                if len(v) < 4:
                    continue
                values.add(v)
                if len(v) == 10 and v[4] == "-" and v[7] == "-":
                    y, m, d = v.split("-")
                    values |= {f"{d}-{m}-{y}", f"{d}/{m}/{y}"}
    return values


@pytest.mark.slow
@pytest.mark.parametrize("case", [CASES[2], CASES[-5]], ids=lambda c: c.name)
def test_build_writes_nothing_on_a_bad_delivery(case, mini, tmp_path):
    root = tmp_path / "levering"
    shutil.copytree(mini, root)
    case.defect(root)
    out = tmp_path / "reports"
    assert main(["build", "--data", str(root), "--out", str(out), "--gemeente", "aalten", "--quiet"]) == 1
    assert not out.exists()


def test_report_names_the_row_not_other_personal_values(mini, tmp_path, capsys):
    root = tmp_path / "levering"
    shutil.copytree(mini, root)
    rows = _rows(root / R / "verzuimmeldingen.csv")
    other_values = {rows[2][rows[0].index(c)] for c in ("jongere_id", "melding_id", "geboortedatum")}
    set_cell(R + "verzuimmeldingen.csv", "onderwijssoort", "hbo")(root)
    assert main(["validate", "--data", str(root)]) == 1
    out = capsys.readouterr().out
    assert "rij 3, kolom onderwijssoort: gevonden '(waarde niet getoond: privacy)'" in out and "hbo" not in out
    assert not [v for v in other_values if v in out]


# ----------------------------------------------------------------- what the contract allows
HEADER_ONLY = [R + "handhaving.csv", R + "zorg_preventie.csv", E + "jikp.csv", E + "kerncijfers.csv"]


@pytest.mark.parametrize("file", HEADER_ONLY)
def test_header_only_file_is_accepted_with_the_schema_dtypes(file, mini, tmp_path):
    root = tmp_path / "levering"
    shutil.copytree(mini, root)
    header_only(file)(root)
    reg, problems = validate_delivery(root)
    assert problems == []
    name = file.split("/")[1].removesuffix(".csv")
    df = reg[name]
    assert df.empty
    expected = {"id": "string", "code": "string", "text": "string", "schooljaar": "string", "date": "datetime64[us]", "count": "Int64", "number": "Float64"}
    for col in SPECS[name].columns:
        assert str(df[col.name].dtype) == expected.get(col.kind, str(df[col.name].dtype)), (col.name, df[col.name].dtype)


def test_a_year_without_halt_pv_and_zorg_builds_its_tables(tmp_path, raw_copy):
    """An honest delivery: no Halt or proces-verbaal, no zorg-en-preventietraject, no JIKP
    figures and no kerncijfers: every file holds only its header — the tables are written."""
    for file in HEADER_ONLY:
        header_only(file)(raw_copy)
    out = tmp_path / "uitvoer"
    assert main(["tables", "--data", str(raw_copy), "--out", str(out)]) == 0
    cells = (out / "cells.csv").read_text(encoding="utf-8")
    assert "bijlage1_tabel5a" in cells


def test_schema_and_cross_file_problems_come_in_one_report(mini, tmp_path):
    root = tmp_path / "levering"
    shutil.copytree(mini, root)
    set_cell(R + "verzuimmeldingen.csv", "onderwijssoort", "hbo", row=2)(root)  # schema
    set_cell(R + "verzuimmeldingen.csv", "geboortedatum", "2025-12-31", row=4)(root)  # cross-column
    set_cell(R + "vsv_status.csv", "traject_id", "VSV999999", row=2)(root)  # cross-file
    set_cell(E + "duo_vsv.csv", "percentage", "-1")(root)  # range
    _, problems = validate_delivery(root)
    found = {(p.file, p.row, p.column) for p in problems}
    assert (R + "verzuimmeldingen.csv", 2, "onderwijssoort") in found
    assert (R + "verzuimmeldingen.csv", 4, "geboortedatum") in found
    assert (R + "vsv_status.csv", 2, "traject_id") in found
    assert (E + "duo_vsv.csv", 3, "percentage") in found


def test_many_bad_rows_are_counted_not_all_listed(mini, tmp_path):
    from lerenwerkt.load import MAX_PER_KIND

    root = tmp_path / "levering"
    shutil.copytree(mini, root)
    rows = _rows(root / E / "jikp.csv")
    k = rows[0].index("daginvulling")
    for r in rows[1:]:
        r[k] = "studie"
    _write(root / E / "jikp.csv", rows)
    _, problems = validate_delivery(root)
    listed = [p for p in problems if p.column == "daginvulling" and p.row is not None]
    assert len(listed) == MAX_PER_KIND
    summary = [p for p in problems if p.column == "daginvulling" and p.row is None]
    assert len(summary) == 1 and f"en nog {len(rows) - 1 - MAX_PER_KIND} rijen" in summary[0].expected


def test_a_code_column_holding_an_id_does_not_show_it(mini, tmp_path, capsys):
    """Columns shifted in an export: an identifier lands in a code column. The report says
    which row, not the identifier."""
    root = tmp_path / "levering"
    shutil.copytree(mini, root)
    rows = _rows(root / R / "verzuimmeldingen.csv")
    jid = rows[2][rows[0].index("jongere_id")]
    set_cell(R + "verzuimmeldingen.csv", "gemeente", jid)(root)
    assert main(["validate", "--data", str(root)]) == 1
    out = capsys.readouterr().out
    assert "rij 3, kolom gemeente: gevonden '(waarde niet getoond: privacy)'" in out
    assert jid not in out


# --------------------------------------------------------- arguments: refused before any work
def test_data_that_is_not_a_folder(tmp_path, capsys):
    f = tmp_path / "export.csv"
    f.write_text("a,b\n")
    assert main(["validate", "--data", str(f)]) == 1
    assert "een map met registratie/ en extern/ (deze is een bestand)" in capsys.readouterr().out
    assert main(["validate", "--data", str(tmp_path / "bestaat-niet")]) == 1


@pytest.mark.parametrize("command", ["tables", "build"])
def test_out_that_is_a_file_is_refused_before_any_work(command, tmp_path, capsys):
    f = tmp_path / "uitvoer"
    f.write_text("geen map\n")
    extra = ["--gemeente", "aalten", "--chapter", "verzuim", "--quiet"] if command == "build" else []
    assert main([command, "--out", str(f), *extra]) == 1
    assert f"--out {f}: dit is een bestand" in capsys.readouterr().err
    assert f.read_text() == "geen map\n"
    assert main([command, "--out", str(f / "sub"), *extra]) == 1
    assert "is een bestand, geen map" in capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere: a read-only folder cannot be simulated")
def test_read_only_out_is_refused(tmp_path, capsys):
    ro = tmp_path / "alleen-lezen"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        assert main(["tables", "--out", str(ro / "uitvoer")]) == 1
        assert "geen schrijfrechten" in capsys.readouterr().err
    finally:
        ro.chmod(0o755)


def test_report_that_is_a_folder_is_refused(tmp_path, capsys):
    assert main(["validate", "--report", str(tmp_path)]) == 1
    assert "dit is een map" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("schooljaar", "message"),
    [("2031-2032", "de levering bevat geen meldingen in dat schooljaar"), ("2024/2025", "is geen schooljaar"), ("2024-2026", "is geen schooljaar")],
)
def test_unknown_schooljaar_is_a_clear_error(schooljaar, message, tmp_path, capsys):
    out = tmp_path / "uitvoer"
    assert main(["tables", "--schooljaar", schooljaar, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()
    assert main(["build", "--schooljaar", schooljaar, "--out", str(out), "--gemeente", "aalten", "--chapter", "verzuim", "--quiet"]) == 1
    assert "schooljaar" in capsys.readouterr().err
    assert not out.exists()


def test_unexpected_errors_print_no_traceback(monkeypatch, capsys):
    """An internal error gives one line (no locals, no values) and exit status 2."""
    import lerenwerkt.load

    def boom(*_a, **_k):
        raise KeyError("J1234567")

    monkeypatch.setattr(lerenwerkt.load, "validate_delivery", boom)
    assert main(["validate"]) == 2
    err = capsys.readouterr().err
    assert "interne fout (KeyError)" in err and "J1234567" not in err and "Traceback" not in err


def test_other_value_errors_are_scrubbed_of_dates_and_ids(monkeypatch, capsys):
    import lerenwerkt.load

    def fail(*_a, **_k):
        raise ValueError("time data '2012-03-04' of J4263622 does not match")

    monkeypatch.setattr(lerenwerkt.load, "validate_delivery", fail)
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("fout: time data '…' of … does not match")


# ------------------------------------------- issue 26: a file with only a header, or nothing at all
def _no_rows(variant: str):
    """A file as an incomplete export leaves it: only its header row, 0 bytes, or only a
    byte-order mark."""

    def apply(root: Path, file: str) -> None:
        path = root / file
        data = {"kopregel": path.read_bytes().split(b"\n")[0] + b"\n", "leeg": b"", "bom": b"\xef\xbb\xbf"}[variant]
        path.write_bytes(data)

    return apply


NO_ROWS = [(spec.path, variant) for spec in SPECS.values() for variant in ("kopregel", "leeg", "bom")]


def test_no_rows_covers_every_contract_file():
    assert len(SPECS) == 13 and len(NO_ROWS) == 39
    assert {s.path for s in SPECS.values() if s.may_be_empty} == set(HEADER_ONLY)


@pytest.mark.parametrize(("file", "variant"), NO_ROWS, ids=[f"{f.split('/')[-1]}-{v}" for f, v in NO_ROWS])
def test_a_file_without_rows_is_accepted_or_named_never_an_internal_error(file, variant, mini, tmp_path, capsys):
    """Issue 26: accepted only for the four files the contract allows to hold just a header;
    otherwise `validate`, `tables` and `build` stop with the contract's message naming the
    file (exit 1, nothing written), and the rules across files still report in the same
    report (a status of a traject that is not there)."""
    root = tmp_path / "levering"
    shutil.copytree(mini, root)
    _no_rows(variant)(root, file)
    accepted = variant == "kopregel" and file in HEADER_ONLY
    expected = "minstens één rij (bestand bevat alleen een kopregel)" if variant == "kopregel" else "een kopregel met kolomnamen (bestand is leeg)"

    rc = main(["validate", "--data", str(root)])
    out, err = capsys.readouterr()
    assert "interne fout" not in out + err
    if accepted:
        assert rc == 0, out
        out_dir = tmp_path / "uit-tables"  # the mini delivery holds schooljaar 2020-2021
        assert main(["tables", "--data", str(root), "--out", str(out_dir), "--schooljaar", "2020-2021"]) == 0, capsys.readouterr()
        assert (out_dir / "cells.csv").read_text(encoding="utf-8").startswith("tabel,rij,kolom,waarde\n")
        return  # a build with such files: test_a_delivery_with_only_headers_where_allowed_builds
    assert rc == 1
    assert f"- {file}; verwacht {expected}" in out
    if file.endswith("vsv_trajecten.csv"):
        assert "- registratie/vsv_status.csv, rij 2, kolom traject_id; verwacht een traject_id uit vsv_trajecten.csv" in out
    for command, extra in (("tables", []), ("build", ["--gemeente", "aalten", "--chapter", "verzuim", "--jobs", "1", "--quiet"])):
        out_dir = tmp_path / f"uit-{command}"
        assert main([command, "--data", str(root), "--out", str(out_dir), *extra]) == 1
        out, err = capsys.readouterr()
        assert "interne fout" not in out + err
        assert f"- {file}; verwacht {expected}" in err
        assert not out_dir.exists()


def test_a_delivery_with_only_headers_where_allowed_builds(raw_copy, tmp_path, capsys):
    """The four files the contract allows to hold only a header, all at once: the chapters
    that read them build (no internal error in a draft), and say there are no figures."""
    for file in HEADER_ONLY:
        header_only(file)(raw_copy)
    out = tmp_path / "reports"
    args = ["build", "--data", str(raw_copy), "--out", str(out), "--gemeente", "lerenwerkt", "--chapter", "vrijstellingen", "vsv", "jikp"]
    assert main([*args, "--jobs", "1", "--quiet", "--geen-pakket"]) == 0, capsys.readouterr()
    jikp = (out / config.DEFAULT_SCHOOLJAAR / "lerenwerkt" / "jikp.html").read_text(encoding="utf-8")
    assert "Voor dit schooljaar zijn geen JIKP-cijfers aangeleverd." in jikp


# ------------------------------------------ issue 21.3: no personal value in a message, whatever the file
MAANDEN = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def _validate_output(root: Path, tmp_path: Path, capsys) -> str:
    """Everything `validate --report` prints and writes."""
    page = tmp_path / "pagina" / "datakwaliteit.html"
    assert main(["validate", "--data", str(root), "--report", str(page)]) == 1
    captured = capsys.readouterr()
    return captured.out + captured.err + page.read_text(encoding="utf-8")


def _without_header(root: Path, file: str, delimiter: str = ",", edit=None) -> list[str]:
    """Write ``file`` without its header row (an export that left it out); returns the ids and
    dates of its first row, which then stands where the header should."""
    rows = _rows(root / file)
    first = dict(zip(rows[0], rows[1]))
    if edit:
        edit(first)
    body = [[first[c] for c in rows[0]], *rows[2:]]
    with open(root / file, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=delimiter, lineterminator="\n").writerows(body)
    spec = next(s for s in SPECS.values() if s.path == file)
    return [first[c] for c in rows[0] if spec.personal(c) and first[c]]


def test_a_headerless_semicolon_file_is_not_echoed(mini, tmp_path, capsys):
    root = tmp_path / "levering"
    shutil.copytree(mini, root)
    first = _without_header(root, R + "verzuimmeldingen.csv", delimiter=";")
    text = _validate_output(root, tmp_path, capsys)
    assert not [v for v in first if v in text], "an id or date of the first row is in the output"
    assert "registratie/verzuimmeldingen.csv, rij 1; verwacht komma's als scheidingsteken (de eerste regel is gescheiden door puntkomma's)" in text


def test_a_date_is_never_shown_as_a_column_name(mini, tmp_path, capsys):
    """No header: the first row stands in its place, and a melding closed on its own day has
    the same date twice — which used to be reported as a column name."""
    root = tmp_path / "levering"
    shutil.copytree(mini, root)

    def same_day(row: dict) -> None:
        row["datum_afgerond"] = row["datum_melding"]
        row["resultaat"] = row["resultaat"] or "naar_school"

    first = _without_header(root, R + "verzuimmeldingen.csv", edit=same_day)
    text = _validate_output(root, tmp_path, capsys)
    assert not [v for v in first if v in text], "an id or date of the first row is in the output"
    assert not [v for v in personal_values(mini) if v in text]
    expected = "elke kolomnaam één keer (kolom 6 en 9 hebben dezelfde naam; is de eerste regel wel een kopregel?)"
    assert f"registratie/verzuimmeldingen.csv, rij 1; verwacht {expected}" in text


def test_pseudonyms_that_do_not_look_like_numbers_are_not_shown(mini, tmp_path, capsys):
    """The contract allows any pseudonym. jongere_id and gemeente swapped by the export, with
    pseudonyms made of words: not one of them in the report."""
    root = tmp_path / "levering"
    shutil.copytree(mini, root)
    rows = _rows(root / (R + "vsv_trajecten.csv"))
    j, g = rows[0].index("jongere_id"), rows[0].index("gemeente")
    pseudonyms = [f"merel-vos-{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}" for i in range(len(rows) - 1)]
    for r, p in zip(rows[1:], pseudonyms, strict=True):
        r[j] = p
    rows[0][j], rows[0][g] = "gemeente", "jongere_id"  # the swap
    _write(root / (R + "vsv_trajecten.csv"), rows)
    text = _validate_output(root, tmp_path, capsys)
    assert not [p for p in pseudonyms if p in text]
    assert "registratie/vsv_trajecten.csv, rij 2, kolom gemeente: gevonden '(waarde niet getoond: privacy)'" in text


def test_birth_dates_written_out_in_a_code_column_are_not_shown(mini, tmp_path, capsys):
    """'23 dec '03' looks like no date to a pattern; in a code column of registratie/ it is
    not shown, as no value that is not one of the column's codes."""
    root = tmp_path / "levering"
    shutil.copytree(mini, root)
    rows = _rows(root / (R + "meldingen_18plus.csv"))
    b, o = rows[0].index("geboortedatum"), rows[0].index("onderwijssoort")
    planted = []
    for r in rows[1:]:
        y, m, d = r[b].split("-")
        r[o] = f"{int(d)} {MAANDEN[int(m) - 1]} '{y[2:]}"
        planted.append(r[o])
    _write(root / (R + "meldingen_18plus.csv"), rows)
    text = _validate_output(root, tmp_path, capsys)
    assert not [p for p in planted if p in text]
    assert "registratie/meldingen_18plus.csv, rij 2, kolom onderwijssoort: gevonden '(waarde niet getoond: privacy)'" in text


def test_the_data_quality_page_shows_no_unknown_code_of_a_registratie_file(mini, tmp_path, capsys):
    """The page of an invalid delivery still shows its tables; a pseudonym or a birth date in
    a code column (a melding open for years) must not become a row label there."""
    root = tmp_path / "levering"
    shutil.copytree(mini, root)
    rows = _rows(root / (R + "verzuimmeldingen.csv"))
    h = rows[0]
    r = next(r for r in rows[1:] if r[h.index("verzuimsoort")] != "informatie_advies")
    r[h.index("datum_melding")], r[h.index("datum_afgerond")], r[h.index("resultaat")] = "2015-01-05", "", ""
    r[h.index("gemeente")], r[h.index("verzuimsoort")] = "merel-vos-zz", "23 dec '03"
    _write(root / (R + "verzuimmeldingen.csv"), rows)
    text = _validate_output(root, tmp_path, capsys)
    assert "merel-vos-zz" not in text and "23 dec &#x27;03" not in text and "23 dec '03" not in text
    assert "Meldingen die al meer dan een jaar openstaan" in text
