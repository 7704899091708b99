"""A large delivery for the scale test: the shipped register with its verzuimmeldingen
repeated (fresh melding ids, same people and dates) up to the requested number of rows."""

from __future__ import annotations

import shutil
from pathlib import Path

from lerenwerkt import config


def large_delivery(root: Path, rows: int) -> Path:
    shutil.copytree(config.RAW_DIR / "extern", root / "extern")
    shutil.copytree(config.RAW_DIR / "registratie", root / "registratie")
    lines = (config.RAW_DIR / "registratie" / "verzuimmeldingen.csv").read_text(encoding="utf-8").splitlines()
    header, body = lines[0], [line.split(",", 1)[1] for line in lines[1:]]
    n = 0
    with open(root / "registratie" / "verzuimmeldingen.csv", "w", encoding="utf-8", newline="") as fh:
        fh.write(header + "\n")
        while n < rows:
            part = body[: rows - n]
            fh.write("".join(f"M{n + i:09d},{rest}\n" for i, rest in enumerate(part)))
            n += len(part)
    return root
