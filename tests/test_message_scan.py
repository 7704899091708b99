"""The message scan of tests/conftest.py finds what it is there to find (so that a pass means
something): a melding_id and a birth date of the shipped register in a message."""

from __future__ import annotations

import csv

from lerenwerkt import config
from tests.conftest import leaked_values, shipped_personal_values


def test_the_scan_knows_the_registers_ids_and_birth_dates():
    path = config.RAW_DIR / "registratie" / "verzuimmeldingen.csv"
    with path.open(encoding="utf-8", newline="") as f:
        row = next(csv.DictReader(f))
    values = shipped_personal_values()
    assert len(values) > 40_000
    some_id = next(v for k, v in row.items() if k.endswith("_id") and v)
    assert leaked_values(f"fout in rij 3: waarde {some_id} onbekend") == [some_id]
    assert leaked_values("rij 3, kolom datum_melding: verwacht JJJJ-MM-DD") == []


def test_the_scan_finds_a_birth_date_in_dutch_notation():
    path = config.RAW_DIR / "registratie" / "verzuimmeldingen.csv"
    with path.open(encoding="utf-8", newline="") as f:
        row = next(r for r in csv.DictReader(f) if r.get("geboortedatum") and not r["geboortedatum"].endswith("-01"))
    y, m, d = row["geboortedatum"].split("-")
    assert leaked_values(f"geboren {d}-{m}-{y}") == [f"{d}-{m}-{y}"]
