"""Nothing personal out: a full build and the cell export contain no identifier and no
birth date of the input; outputs are written atomically."""

from __future__ import annotations

import csv
import os
import re

import pytest

from lerenwerkt import config, io
from lerenwerkt.chapters import CHAPTERS, RESEARCH
from lerenwerkt.cli import main
from lerenwerkt.report import build

ID_COLUMNS = ("jongere_id", "melding_id", "traject_id", "vrijstelling_id", "handhaving_id")


def _personal_values() -> set[str]:
    values: set[str] = set()
    for path in (config.RAW_DIR / "registratie").glob("*.csv"):
        for row in csv.DictReader(open(path, encoding="utf-8")):
            for col in ID_COLUMNS:
                if row.get(col):
                    values.add(row[col])
            if row.get("geboortedatum"):
                y, m, d = row["geboortedatum"].split("-")
                values |= {row["geboortedatum"], f"{d}-{m}-{y}", f"{d}/{m}/{y}"}
    return values


TOKENS = re.compile(r"[A-Z]{1,3}\d{5,7}|\d{4}-\d{2}-\d{2}|\d{2}[-/]\d{2}[-/]\d{4}")


@pytest.mark.slow
def test_full_build_leaks_no_identifier_or_birth_date(tmp_path):
    out = tmp_path / "reports"
    result = build(chapters=[*CHAPTERS, *RESEARCH], out_dir=out, progress=False, log=None)
    assert result.ok, [d.error for d in result.drafts if not d.ok]
    assert main(["tables", "--out", str(out / "tabellen")]) == 0
    personal = _personal_values()
    assert len(personal) > 40_000
    scanned = 0
    for path in [*out.rglob("*"), *(config.BUILD_DIR.rglob("*") if config.BUILD_DIR.exists() else [])]:
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", text)  # pictures hold no text
        leaked = set(TOKENS.findall(text)) & personal
        assert not leaked, f"{path}: {sorted(leaked)[:5]}"
        scanned += 1
    assert scanned >= 70  # 69 drafts, index, manifest, datakwaliteit, cells.csv


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
