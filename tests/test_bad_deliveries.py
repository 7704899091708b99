"""A corpus of malformed deliveries, one defect each, generated from the shipped register.

Each must be rejected with one report that names file, row, column, value and what was
expected; ``validate`` exits 1; ``tables`` and ``build`` write nothing."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from lerenwerkt import config
from lerenwerkt.cli import main
from lerenwerkt.load import validate_delivery

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


def test_corpus_is_large_enough():
    assert len(CASES) >= 40


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
    # the CLI: validate exits 1 with the report; tables writes nothing
    assert main(["validate", "--data", str(root)]) == 1
    assert case.file in capsys.readouterr().out
    out = tmp_path / "uitvoer"
    assert main(["tables", "--data", str(root), "--out", str(out)]) == 1
    assert main(["build", "--data", str(root), "--out", str(out), "--gemeente", "aalten", "--chapter", "verzuim", "--jobs", "1", "--quiet"]) == 1
    assert not out.exists()


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
    assert "rij 3, kolom onderwijssoort: gevonden 'hbo'" in out
    assert not [v for v in other_values if v in out]
