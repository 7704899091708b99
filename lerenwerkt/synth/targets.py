"""Calibration targets of the synthetic register — the only place outside the backtest
reference where published figures enter the project.

``published(tabel, rij, kolom)`` reads the report's transcription shipped with the package;
``ASSUMED`` holds the values the generator had to invent where the report is silent (they
are plausible, add up, and are marked ``synthetisch`` wherever they surface in extern/).
"""

from __future__ import annotations

import csv
from functools import lru_cache

from lerenwerkt.config import SYNTH_TARGETS


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


def rows(tabel: str) -> list[tuple[str, str, str]]:
    """All (rij, kolom, waarde) of one published table, in published order."""
    return [(r, k, v) for (t, r, k), v in _cells().items() if t == tabel]


#: Invented figures for years and breakdowns the report does not give. Each is a plausible
#: value in line with the report's words ("net als voorgaande jaren gestegen", the
#: Leerplichttelling percentages times the number of leerplichtigen, ...).
ASSUMED = {
    # verzuimmeldingen per verzuimsoort, region, per schooljaar (2023-2024: only what the
    # report does not print; the rest comes from published()).
    "verzuim": {
        "2020-2021": {"absoluut": 55, "wettelijk": 540, "langdurig_relatief": 30, "luxe": 60, "overig": 480, "informatie_advies": 160},
        "2021-2022": {"absoluut": 60, "wettelijk": 586, "langdurig_relatief": 33, "luxe": 90, "overig": 520, "informatie_advies": 170},
        "2022-2023": {"absoluut": 240, "wettelijk": 639, "langdurig_relatief": 31, "luxe": 85, "overig": 600, "informatie_advies": 190},
        "2023-2024": {"langdurig_relatief": 15, "informatie_advies": 210},
    },
    # absoluut verzuim 'geen onderwijs' per schooljaar where the report is silent
    "absoluut_geen_onderwijs": {"2020-2021": 12, "2021-2022": 15, "2022-2023": 110},
    "meldingen_18plus": {"2020-2021": (1010, 410), "2021-2022": (1080, 430)},
    "vrijstellingen": {
        "2020-2021": {"3a": 1, "3b": 0, "5a": 48, "5b": 55, "5c": 15, "15": 20},
        "2021-2022": {"3a": 0, "3b": 0, "5a": 50, "5b": 59, "5c": 17, "15": 17},
    },
    "handhaving": {
        "2020-2021": {"halt": 18, "pv_luxe": 20, "pv_verzuim": 9},
        "2021-2022": {"halt": 21, "pv_luxe": 28, "pv_verzuim": 11},
        "2022-2023": {"halt": 23, "pv_luxe": 33, "pv_verzuim": 12},
        "2023-2024": {"pv_luxe": 31},  # only "gedaald" to 23 in the report
    },
    "halt_negatief": {"2020-2021": 3, "2021-2022": 3, "2022-2023": 4, "2023-2024": 4, "2024-2025": 9},
    # nieuwe vsv'ers per cohort; 2023-2024 follows from "acht procent minder" (1.241 / 0,92)
    "vsv_cohort": {"2020-2021": 1250, "2021-2022": 1300, "2022-2023": 1323, "2023-2024": 1349},
    # status at the end of 2023-2024 of the 2023-2024 cohort (region); Aalten is published
    "vsv_2324_eind": {"in_behandeling": 130, "monitoring": 760, "afgerond": 459},
    # oud-vsv'ers still in beeld at the end of 2024-2025, per cohort (sum = 38 + 1.329)
    "vsv_oud_in_beeld": {"2020-2021": 60, "2021-2022": 250, "2022-2023": 430, "2023-2024": 627},
    "zorg_preventie": {"2020-2021": 85, "2021-2022": 90, "2022-2023": 95, "2023-2024": 110},
    # of the 138 zorg-en-preventietrajecten of 2024-2025: closed by 31 July, and how
    "zorg_preventie_afgesloten": {"schooluitval": 80, "terug_naar_school": 36, "overig": 4},
    # kerncijfers of Hoofdstuk 3 kept by hand (no case record holds them)
    "kerncijfers": {"2024-2025": {"testen_afgenomen": 30, "beroepen_opleidingsdatabase_gebruikt": 27}},
}
