"""The CLI counts any delivery that follows the contract; bad input writes nothing."""

from __future__ import annotations

import csv

import pandas as pd

from lerenwerkt.cli import main


def _cells(path):
    return pd.read_csv(path / "cells.csv", dtype={"waarde": float}).set_index(["tabel", "rij", "kolom"]).waarde


def test_tables_writes_cells_csv(tmp_path, raw_copy):
    assert main(["tables", "--data", str(raw_copy), "--out", str(tmp_path)]) == 0
    header = (tmp_path / "cells.csv").read_text().splitlines()[0]
    assert header == "tabel,rij,kolom,waarde"
    cells = _cells(tmp_path)
    assert cells[("grafiek2_absoluut_verzuim", "Absoluut verzuim", "2024-2025")] == 434


def test_tables_counts_what_is_in_the_delivery(tmp_path, raw_copy):
    """Remove the Aalten 'geen onderwijs' absoluut meldingen of 2024-2025: every table that
    shows them changes by exactly that many."""
    path = raw_copy / "registratie/verzuimmeldingen.csv"
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    drop = [
        r
        for r in rows
        if r["gemeente"] == "Aalten"
        and r["onderwijssoort"] == "geen"
        and r["verzuimsoort"] == "absoluut"
        and "2024-08-01" <= r["datum_melding"] <= "2025-07-31"
    ]
    keep = [r for r in rows if r not in drop]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(keep)
    assert main(["tables", "--data", str(raw_copy), "--out", str(tmp_path)]) == 0
    cells = _cells(tmp_path)
    n = len(drop)
    assert n > 0
    assert cells[("bijlage1_tabel5a", "Aalten", "Absoluut verzuim")] == 0
    assert cells[("bijlage1_tabel5a", "Totaal", "Absoluut verzuim")] == 289 - n
    assert cells[("grafiek2_absoluut_verzuim", "Absoluut verzuim", "2024-2025")] == 434 - n
    assert cells[("tekst", "N019", "2024-2025")] == 289 - n
    assert cells[("diagram1_resultaten", "Totaal", "2024-2025")] == 2205 - n


def test_invalid_delivery_writes_nothing(tmp_path, raw_copy, capsys):
    (raw_copy / "registratie/vsv_status.csv").write_text("traject_id,datum,status,resultaat\nX,2024-01-01,klaar,\n")
    out = tmp_path / "out"
    assert main(["tables", "--data", str(raw_copy), "--out", str(out)]) == 1
    assert main(["build", "--data", str(raw_copy), "--out", str(out), "--gemeente", "aalten", "--quiet"]) == 1
    assert not out.exists()
    err = capsys.readouterr().err
    assert "registratie/vsv_status.csv, rij 2, kolom status: gevonden '(waarde niet getoond: privacy)'" in err  # not a code: may be personal


def test_validate_report_is_an_intern_page_with_the_banner_also_in_print(tmp_path, raw_copy, capsys):
    import re

    out = tmp_path / "dq.html"
    assert main(["validate", "--data", str(raw_copy), "--report", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    body = page.split("<body", 1)[1].split(">", 1)[1]
    assert body.startswith('<div class="lw-intern" role="note">INTERN — niet verspreiden</div>')
    assert page.count("INTERN — niet verspreiden") == 1
    assert re.search(r"@media print \{ div\.lw-intern \{ position: fixed", page), "the banner shows on every printed page"
    said = capsys.readouterr().out
    assert re.search(r"geldig: \d+ bestanden, [\d.]+ rijen in \d+,\d s", said), said  # Dutch number format


def test_protection_warning_is_one_dutch_line_without_a_code_path():
    from lerenwerkt.report import protection_message

    line = protection_message("disclosure: 3 cel(len) liggen vast door eerdere edities", "2024-2025")
    assert line == "let op: editie 2024-2025: 3 cellen liggen vast door wat eerdere edities publiceerden en zijn hier niet verder te beschermen"
    one = protection_message("disclosure: 1 cel(len) liggen vast door eerdere edities", "2023-2024")
    assert "1 cel ligt vast" in one and " is hier" in one and "(len)" not in one and ".py" not in one


# ------------------------------------------- issue 21.10: validate --report overwrites only its own page
def test_validate_report_refuses_a_path_inside_the_delivery(tmp_path, raw_copy, capsys):
    csv_file = raw_copy / "registratie/verzuimmeldingen.csv"
    before = csv_file.read_bytes()
    link = tmp_path / "rapport.html"
    link.symlink_to(csv_file)
    for target in (csv_file, raw_copy / "extern" / "datakwaliteit.html", link):
        assert main(["validate", "--data", str(raw_copy), "--report", str(target)]) == 1
        err = capsys.readouterr().err
        assert f"--report {target}: dit ligt in de levering {raw_copy}; kies een bestand buiten de levering" in err
    assert csv_file.read_bytes() == before
    assert not (raw_copy / "extern" / "datakwaliteit.html").exists()
    assert link.is_symlink()


def test_validate_report_refuses_an_existing_file_that_is_not_its_own_page(tmp_path, raw_copy, capsys):
    other = tmp_path / "notities.html"
    other.write_text("<!DOCTYPE html><title>Mijn aantekeningen</title>\n", encoding="utf-8")
    assert main(["validate", "--data", str(raw_copy), "--report", str(other)]) == 1
    assert "dit bestand bestaat al en is geen datakwaliteitspagina van lerenwerkt" in capsys.readouterr().err
    assert other.read_text(encoding="utf-8") == "<!DOCTYPE html><title>Mijn aantekeningen</title>\n"
    # its own page (as validate or the build writes it) is replaced, again and again
    own = tmp_path / "dq.html"
    assert main(["validate", "--data", str(raw_copy), "--report", str(own)]) == 0
    first = own.read_text(encoding="utf-8")
    (raw_copy / "extern/kerncijfers.csv").write_text("schooljaar,indicator,waarde,bron\n", encoding="utf-8")
    assert main(["validate", "--data", str(raw_copy), "--report", str(own)]) == 0
    assert own.read_text(encoding="utf-8") != first and "Datakwaliteit van de levering" in own.read_text(encoding="utf-8")
