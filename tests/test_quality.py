"""The data-quality page of a delivery."""

from __future__ import annotations

import csv

from lerenwerkt.cli import main
from lerenwerkt.load import validate_delivery
from lerenwerkt.quality import jumps, open_old


def test_quality_page_is_written(tmp_path, raw_copy):
    out = tmp_path / "dq.html"
    assert main(["validate", "--data", str(raw_copy), "--report", str(out)]) == 0
    page = out.read_text()
    for section in (
        "Volledigheid per kolom",
        "Dubbele registraties",
        "Registraties per maand",
        "Per gemeente tegen het vorige schooljaar",
        "langer dan een jaar",
    ):
        assert section in page


def test_jump_and_old_open_meldingen_are_flagged(raw_copy):
    path = raw_copy / "registratie/verzuimmeldingen.csv"
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    # drop two thirds of Doetinchem's 2024-2025 meldingen: an incomplete export
    keep, n = [], 0
    for r in rows:
        if r["gemeente"] == "Doetinchem" and r["datum_melding"] >= "2024-08-01":
            n += 1
            if n % 3:
                continue
        keep.append(r)
    # and leave one old melding open
    old = next(r for r in keep if r["datum_melding"] < "2022-01-01" and r["verzuimsoort"] == "wettelijk")
    old["datum_afgerond"], old["resultaat"] = "", ""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(keep)
    reg, problems = validate_delivery(raw_copy)
    assert problems == []
    j = jumps(reg, schooljaar="2024-2025").set_index(["bestand", "gemeente"])
    assert j.loc[("verzuimmeldingen", "Doetinchem"), "sprong"]
    assert not j.loc[("verzuimmeldingen", "Aalten"), "sprong"]
    o, _ = open_old(reg)
    assert o[(o.gemeente == old["gemeente"]) & (o.verzuimsoort == "Wettelijk verzuim")].meldingen.sum() >= 1
