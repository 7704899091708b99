"""Nothing personal out: a full build and the cell export contain no identifier and no
birth date of the input; outputs are written atomically."""

from __future__ import annotations

import csv
import os
import re

import pytest

from lerenwerkt import config, io
from lerenwerkt.cli import main

ID_COLUMNS = ("jongere_id", "melding_id", "traject_id", "vrijstelling_id", "handhaving_id")


def _personal_values() -> set[str]:
    values: set[str] = set()
    for path in (config.RAW_DIR / "registratie").glob("*.csv"):
        for row in csv.DictReader(path.read_text(encoding="utf-8").splitlines()):
            for col in ID_COLUMNS:
                if row.get(col):
                    values.add(row[col])
            if row.get("geboortedatum"):
                y, m, d = row["geboortedatum"].split("-")
                values |= {row["geboortedatum"], f"{d}-{m}-{y}", f"{d}/{m}/{y}"}
    return values


TOKENS = re.compile(r"[A-Z]{1,3}\d{5,7}|\d{4}-\d{2}-\d{2}|\d{2}[-/]\d{2}[-/]\d{4}")


@pytest.mark.slow
def test_full_build_leaks_no_identifier_or_birth_date(full_build, tmp_path):
    out, _ = full_build
    assert main(["tables", "--out", str(tmp_path / "tabellen")]) == 0
    assert main(["tables", "--format", "xlsx", "--out", str(tmp_path / "werkboeken")]) == 0
    personal = _personal_values()
    assert len(personal) > 40_000
    scanned = 0
    files = [*out.rglob("*"), *tmp_path.rglob("*"), *(config.BUILD_DIR.rglob("*") if config.BUILD_DIR.exists() else [])]
    for path in files:
        if not path.is_file():
            continue
        if path.suffix == ".xlsx":
            from openpyxl import load_workbook

            wb = load_workbook(path, read_only=True)
            text = " ".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None)
        else:
            text = path.read_text(encoding="utf-8", errors="replace")
        text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", text)  # pictures hold no text
        leaked = set(TOKENS.findall(text)) & personal
        assert not leaked, f"{path}: {sorted(leaked)[:5]}"
        scanned += 1
    assert scanned >= 80  # 69 drafts, index, manifest, datakwaliteit, cells.csv, 10 workbooks


def test_atomic_write_leaves_nothing_half_written(tmp_path, monkeypatch):
    target = tmp_path / "reports" / "cells.csv"
    io.atomic_write_text(target, "oud\n")

    def boom(src, dst):
        raise OSError("schijf vol")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        io.atomic_write_text(target, "nieuw, maar onderbroken\n")
    assert target.read_text() == "oud\n"
    assert [p.name for p in target.parent.iterdir()] == ["cells.csv"], "no temporary file left behind"
