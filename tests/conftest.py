"""Shared fixtures: the shipped register (cleaned once per session) and small helpers."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from lerenwerkt import config
from lerenwerkt.pipeline import prepare

REFERENCE = Path(__file__).parent / "reference" / "cells.csv"


def pytest_configure(config):
    """Tests keep the cleaned-register cache in a temporary folder of their own (inherited by
    the CLI and the notebook kernels they start), not in the user's cache folder."""
    if "LERENWERKT_CACHE" not in os.environ:
        config._lerenwerkt_cache = tempfile.mkdtemp(prefix="lerenwerkt-test-cache-")
        os.environ["LERENWERKT_CACHE"] = config._lerenwerkt_cache


def pytest_unconfigure(config):
    path = getattr(config, "_lerenwerkt_cache", None)
    if path:
        shutil.rmtree(path, ignore_errors=True)
        os.environ.pop("LERENWERKT_CACHE", None)


@pytest.fixture(scope="session")
def shipped(tmp_path_factory):
    """The cleaned shipped register (cache in a temporary folder, not data/processed)."""
    return prepare(config.RAW_DIR, processed_dir=tmp_path_factory.mktemp("processed"))


@pytest.fixture
def raw_copy(tmp_path) -> Path:
    """A writable copy of the shipped delivery."""
    dst = tmp_path / "levering"
    shutil.copytree(config.RAW_DIR / "registratie", dst / "registratie")
    shutil.copytree(config.RAW_DIR / "extern", dst / "extern")
    return dst


@pytest.fixture(scope="session")
def reference() -> pd.DataFrame:
    return pd.read_csv(REFERENCE, dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def full_build(tmp_path_factory):
    """Every draft — all chapters and the research notebook, region and nine gemeenten —
    built once per session (used by the privacy scan and the browser test)."""
    from lerenwerkt.chapters import CHAPTERS, RESEARCH
    from lerenwerkt.report import build

    out = tmp_path_factory.mktemp("full-build")
    result = build(chapters=[*CHAPTERS, *RESEARCH], out_dir=out, progress=False, log=None)
    assert result.ok, [d.error for d in result.drafts if not d.ok]
    return out, result


# ------------------------------------------------------------------ no personal value in any message
#: The tests of bad and hostile input (issue 21): every message they capture (stdout, stderr,
#: logging) is scanned for an identifier or a birth date of the shipped register, whatever the
#: test itself asserts. A leak fails the test that printed it.
SCANNED_MODULES = {
    "test_bad_deliveries",
    "test_importer",
    "test_load",
    "test_cli",
    "test_hostile_build",
    "test_cache",
    "test_chaos",
    "test_memo_docx",
    "test_pakket",
    "test_boek",
    "test_teksten",
    "test_quality",
    "test_disclosure",
    "test_report",
}
_PERSONAL: set[str] | None = None
_TOKENS = None


def shipped_personal_values() -> set[str]:
    """Identifiers and birth dates (as written in the contract and the two Dutch ways) of the
    shipped register."""
    global _PERSONAL
    if _PERSONAL is None:
        import csv

        values: set[str] = set()
        for path in (config.RAW_DIR / "registratie").glob("*.csv"):
            with path.open(encoding="utf-8", newline="") as f:
                for row in csv.DictReader(f):
                    for col, v in row.items():
                        if v and (col.endswith("_id") or col == "jongere_id"):
                            values.add(v)
                    if row.get("geboortedatum"):
                        y, m, d = row["geboortedatum"].split("-")
                        if d != "01" and f"{m}-{d}" not in ("07-31", "12-31"):  # peildata and schooljaar bounds, not a person's
                            values |= {row["geboortedatum"], f"{d}-{m}-{y}", f"{d}/{m}/{y}"}
        _PERSONAL = values
    return _PERSONAL


def leaked_values(text: str) -> list[str]:
    """The shipped register's personal values that occur in ``text`` as a token."""
    import re

    global _TOKENS
    if _TOKENS is None:
        _TOKENS = re.compile(r"[A-Za-z]{0,3}\d{5,7}|\d{4}-\d{2}-\d{2}|\d{2}[-/]\d{2}[-/]\d{4}")
    return sorted(set(_TOKENS.findall(text)) & shipped_personal_values())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    module = getattr(getattr(item, "module", None), "__name__", "")
    if report.when != "call" or report.outcome != "passed" or module.rsplit(".", 1)[-1] not in SCANNED_MODULES:
        return
    text = "\n".join(content for _name, content in report.sections)
    leaks = leaked_values(text)
    if leaks:
        report.outcome = "failed"
        report.longrepr = f"{len(leaks)} identificatie(s) of geboortedatum(s) van het register in de meldingen van deze test"
