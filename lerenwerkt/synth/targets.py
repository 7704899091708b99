"""Calibration targets of the synthetic register — the only place outside the backtest
reference where published figures enter the project. No figure is typed into the generator:
it reads every number it calibrates to from two files under ``targets/``.

``published(tabel, rij, kolom)`` reads ``published_cells.csv``, the report's transcription
(tables, charts, memo and the text figures ``tekst`` / ``N0xx``).
``supplement(sleutel)`` reads ``aanvullend.csv`` (sleutel, waarde, bron, omschrijving, soort):
figures the transcription does not hold. ``soort`` is ``gepubliceerd`` for a figure from the
report (``bron`` cites where) or ``verzonnen`` for a value the generator had to invent where
the report is silent (``bron`` says why and what it is in line with; such values are plausible,
add up, and are marked ``synthetisch`` wherever they surface in extern/).
"""

from __future__ import annotations

import csv
from functools import lru_cache

from lerenwerkt.config import SYNTH_TARGETS

SUPPLEMENT = SYNTH_TARGETS.parent / "aanvullend.csv"
SUPPLEMENT_COLUMNS = ("sleutel", "waarde", "bron", "omschrijving", "soort")
SOORTEN = ("gepubliceerd", "verzonnen")

#: Every sleutel of aanvullend.csv the generator has asked for (tests check none is unused).
used_keys: set[str] = set()


@lru_cache(maxsize=1)
def _cells() -> dict[tuple[str, str, str], str]:
    with open(SYNTH_TARGETS, encoding="utf-8", newline="") as fh:
        return {(r["tabel"], r["rij"], r["kolom"]): r["waarde"] for r in csv.DictReader(fh)}


def published(tabel: str, rij: str, kolom: str, default: float | None = None) -> float:
    """A published cell (the canonical value for ambiguous cells). Missing -> ``default``."""
    value = _cells().get((tabel, rij, kolom))
    if value is None or value == "":
        if default is None:
            raise KeyError(f"no published cell {tabel!r} / {rij!r} / {kolom!r}")
        return default
    return float(value)


def count(tabel: str, rij: str, kolom: str, default: int | None = None) -> int:
    return int(round(published(tabel, rij, kolom, default)))


def text_share(nummer: str, schooljaar: str = "2024-2025") -> float:
    """A percentage of the report's text (``tekst`` / ``N0xx``) as a fraction (percent / 100)."""
    return published("tekst", nummer, schooljaar) / 100


def rows(tabel: str) -> list[tuple[str, str, str]]:
    """All (rij, kolom, waarde) of one published table, in published order."""
    return [(r, k, v) for (t, r, k), v in _cells().items() if t == tabel]


@lru_cache(maxsize=1)
def supplement_rows() -> dict[str, dict[str, str]]:
    """aanvullend.csv by sleutel, in file order; a malformed file is reported all at once."""
    with open(SUPPLEMENT, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != SUPPLEMENT_COLUMNS:
            raise ValueError(f"{SUPPLEMENT.name}: kolommen {reader.fieldnames}, verwacht {list(SUPPLEMENT_COLUMNS)}")
        out: dict[str, dict[str, str]] = {}
        problems = []
        for line, r in enumerate(reader, start=2):
            if r["sleutel"] in out:
                problems.append(f"regel {line}: sleutel {r['sleutel']!r} komt twee keer voor")
            if r["soort"] not in SOORTEN:
                problems.append(f"regel {line}, kolom soort: {r['soort']!r}, verwacht een van {list(SOORTEN)}")
            try:
                float(r["waarde"])
            except ValueError:
                problems.append(f"regel {line}, kolom waarde: {r['waarde']!r}, verwacht een getal")
            out[r["sleutel"]] = r
    if problems:
        raise ValueError(f"{SUPPLEMENT.name}: " + "; ".join(problems))
    return out


def supplement(sleutel: str) -> float:
    """A figure of aanvullend.csv (published elsewhere in the report, or invented)."""
    row = supplement_rows().get(sleutel)
    if row is None:
        raise KeyError(f"{SUPPLEMENT.name}: geen sleutel {sleutel!r}")
    used_keys.add(sleutel)
    return float(row["waarde"])


def supplement_count(sleutel: str) -> int:
    return int(round(supplement(sleutel)))


def supplement_group(prefix: str, *, whole: bool = True) -> dict[str, float]:
    """Every figure whose sleutel is ``prefix.<naam>`` (one level), keyed by naam, in file order."""
    start = prefix + "."
    names = [k[len(start) :] for k in supplement_rows() if k.startswith(start) and "." not in k[len(start) :]]
    if not names:
        raise KeyError(f"{SUPPLEMENT.name}: geen sleutels {start}*")
    return {n: (supplement_count if whole else supplement)(start + n) for n in names}
