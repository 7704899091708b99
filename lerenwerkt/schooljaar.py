"""The schooljaar: 1 August – 31 July, written ``2024-2025`` (data contract)."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

_PATTERN = re.compile(r"^(\d{4})-(\d{4})$")


def parse(schooljaar: str) -> int:
    """Start year of a schooljaar; raises ``ValueError`` naming the value if malformed.

    >>> parse("2024-2025")
    2024
    """
    m = _PATTERN.match(str(schooljaar))
    if not m or int(m.group(2)) != int(m.group(1)) + 1:
        raise ValueError(f"schooljaar: {schooljaar!r} is geen schooljaar; verwacht bijvoorbeeld '2024-2025'")
    return int(m.group(1))


def label(start_year: int) -> str:
    """``2024`` -> ``'2024-2025'``."""
    return f"{start_year}-{start_year + 1}"


def shift(schooljaar: str, years: int) -> str:
    """The schooljaar ``years`` later (negative: earlier).

    >>> shift("2024-2025", -1)
    '2023-2024'
    """
    return label(parse(schooljaar) + years)


def start(schooljaar: str) -> pd.Timestamp:
    """1 August that opens the schooljaar."""
    return pd.Timestamp(dt.date(parse(schooljaar), 8, 1))


def end(schooljaar: str) -> pd.Timestamp:
    """31 July that closes the schooljaar (the reference date for end-of-year status)."""
    return pd.Timestamp(dt.date(parse(schooljaar) + 1, 7, 31))


def of_dates(dates: pd.Series) -> pd.Series:
    """Schooljaar label of each date (missing stays missing)."""
    d = pd.to_datetime(dates)
    start_year = d.dt.year - (d.dt.month < 8).astype("Int64")
    out = start_year.astype("Int64").astype("string")
    nxt = (start_year + 1).astype("Int64").astype("string")
    return (out + "-" + nxt).where(d.notna(), pd.NA)


def age_at(geboortedatum: pd.Series, on: pd.Series | pd.Timestamp) -> pd.Series:
    """Age in whole years on a date (birthday counts from the day itself)."""
    b = pd.to_datetime(geboortedatum)
    if isinstance(on, pd.Timestamp):
        on = pd.Series(on, index=b.index)
    d = pd.to_datetime(on)
    before_birthday = (d.dt.month < b.dt.month) | ((d.dt.month == b.dt.month) & (d.dt.day < b.dt.day))
    age = d.dt.year - b.dt.year - before_birthday.astype(int)
    return age.where(b.notna() & d.notna()).astype("Int64")


def years(first: str, last: str) -> list[str]:
    """Every schooljaar from ``first`` to ``last`` inclusive."""
    return [label(y) for y in np.arange(parse(first), parse(last) + 1)]
