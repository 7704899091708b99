"""The code passes the same linter and formatter as the pre-commit hooks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lerenwerkt import config

RUFF = Path(sys.executable).parent / "ruff"


def test_ruff_check_and_format():
    paths = ["lerenwerkt", "tests", "notebooks"]
    check = subprocess.run([str(RUFF), "check", *paths], cwd=config.PROJECT_DIR, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout[-3000:]
    fmt = subprocess.run([str(RUFF), "format", "--check", "lerenwerkt", "tests"], cwd=config.PROJECT_DIR, capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout[-3000:]
