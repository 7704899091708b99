"""The one place that defines paths and run-wide defaults.

Everything is derived from this file's location, so nothing depends on the working
directory (a notebook in ``notebooks/`` and a scheduled run from ``/`` see the same paths).
Nothing is done at import time beyond computing these constants.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent

DATA_DIR = PROJECT_DIR / "data"
RAW_DIR = DATA_DIR / "raw"
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


def publication_cache_dir() -> Path:
    """Where the protected publication's suppression pattern is kept between runs (labels
    of withheld cells, no values): ``$LERENWERKT_CACHE/publicatie`` or beside the cleaned
    register."""
    import os

    base = os.environ.get("LERENWERKT_CACHE")
    return (Path(base) if base else PROCESSED_DIR) / "publicatie"
