"""The one place that defines paths and run-wide defaults.

Everything is derived from this file's location, so nothing depends on the working
directory (a notebook in ``notebooks/`` and a scheduled run from ``/`` see the same paths).
Nothing is done at import time beyond computing these constants.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent

DATA_DIR = PROJECT_DIR / "data"
RAW_DIR = DATA_DIR / "raw"
#: Not used for personal data any more (see :func:`cache_dir`); kept git-ignored.
PROCESSED_DIR = DATA_DIR / "processed"
REPORTS_DIR = PROJECT_DIR / "reports"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"

SYNTH_TARGETS = PACKAGE_DIR / "synth" / "targets" / "published_cells.csv"

#: The schooljaar the shipped register and ``make reports`` are about.
DEFAULT_SCHOOLJAAR = "2024-2025"
#: Oud-vsv'ers are counted from this schooljaar on (report: "2020-2021 t/m 2023-2024").
VSV_EERSTE_SCHOOLJAAR = "2020-2021"

#: Scratch output of tests and tools (test artefacts). Notebooks of failed drafts are kept
#: beside their output instead, in ``<out>/.mislukt/`` (see ``lerenwerkt.report``).
BUILD_DIR = PROJECT_DIR / "build"

#: Environment variable that moves the cleaned-register cache (``--cache DIR`` sets it).
CACHE_ENV = "LERENWERKT_CACHE"


def cache_dir() -> Path:
    """Where the cleaned register of a delivery is cached as Parquet: ``$LERENWERKT_CACHE``,
    else the user's cache folder (``~/.cache/lerenwerkt`` on Linux) — never inside the clone,
    because the cache holds the same personal data as the delivery."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("lerenwerkt", appauthor=False))


def publication_cache_dir() -> Path:
    """Where the protected publication's suppression pattern is kept between runs (labels
    of withheld cells, no values), beside the cleaned register."""
    return cache_dir() / "publicatie"
