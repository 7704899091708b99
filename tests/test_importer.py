"""Importing a real export: the shipped example round-trips to the register exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lerenwerkt import config
from lerenwerkt.cli import main
from lerenwerkt.importer import load_mapping, make_example_export, run_import
from lerenwerkt.schemas import SPECS

EXAMPLE = config.PROJECT_DIR / "examples" / "export"
MAPPING = EXAMPLE / "mapping.yml"


def test_example_export_imports_to_the_register_exactly(tmp_path):
    out = tmp_path / "levering"
    assert main(["import", "--mapping", str(MAPPING), str(EXAMPLE), "--out", str(out)]) == 0
    for spec in SPECS.values():
        assert (out / spec.path).read_bytes() == (config.RAW_DIR / spec.path).read_bytes(), spec.path
    assert main(["validate", "--data", str(out)]) == 0


def test_shipped_example_is_the_export_of_the_shipped_register(tmp_path):
    made = tmp_path / "export"
    make_example_export(config.RAW_DIR, MAPPING, made)
    for p in sorted(made.iterdir()):
        shipped = EXAMPLE / p.name
        if p.suffix == ".xlsx":  # workbooks carry timestamps: compare the cells
            a, b = load_workbook(p, read_only=True), load_workbook(shipped, read_only=True)
            assert a.sheetnames == b.sheetnames
            for name in a.sheetnames:
                assert list(a[name].iter_rows(values_only=True)) == list(b[name].iter_rows(values_only=True))
        else:
            assert p.read_bytes() == shipped.read_bytes(), p.name


def test_example_looks_like_a_real_export():
    raw = (EXAMPLE / "Verzuimmeldingen.csv").read_bytes().decode("cp1252")
    header = raw.splitlines()[0]
    assert header.startswith("Meldingsnummer;Leerlingnummer;Woongemeente;Soort onderwijs;Soort verzuim")
    assert "Wettelijk verzuim" in raw and "Oude-IJsselstreek" in raw and "(V)SO" in raw
    assert any(line.split(";")[5].count("-") == 2 and len(line.split(";")[5].split("-")[2]) == 4 for line in raw.splitlines()[1:50])
    assert (EXAMPLE / "Export JVS.xlsx").exists()


def test_unmapped_values_are_all_listed_and_nothing_is_written(tmp_path):
    src = tmp_path / "export"
    shutil.copytree(EXAMPLE, src)
    p = src / "Verzuimmeldingen.csv"
    text = p.read_bytes().decode("cp1252")
    text = text.replace("Luxe verzuim", "Vakantie zonder verlof", 3).replace("Winterswijk", "Winterswijk-Kotten", 1)
    p.write_bytes(text.encode("cp1252"))
    result = run_import(load_mapping(MAPPING), [src])
    found = {(u.column, u.value) for u in result.unmapped}
    assert ("verzuimsoort", "Vakantie zonder verlof") in found and ("gemeente", "Winterswijk-Kotten") in found
    out = tmp_path / "levering"
    assert main(["import", "--mapping", str(MAPPING), str(src), "--out", str(out)]) == 1
    assert not out.exists()
    assert main(["import", "--mapping", str(MAPPING), str(src), "--out", str(out), "--dry-run"]) == 1
    assert not out.exists()


def test_mapping_errors_are_clear(tmp_path):
    bad = tmp_path / "m.yml"
    bad.write_text("bestanden:\n  registratie/leerlingen.csv: {bron: x.csv}\n")
    with pytest.raises(ValueError, match="onbekend doelbestand registratie/leerlingen.csv"):
        load_mapping(bad)
    assert isinstance(Path(MAPPING), Path)
