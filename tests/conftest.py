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
