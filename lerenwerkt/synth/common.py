"""Shared helpers of the generator: dates, ages, identifiers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from lerenwerkt import schooljaar as sj

# Relative number of meldingen per month Aug..Jul: few in the summer holidays.
MONTH_WEIGHTS = np.array([0.2, 1.1, 1.2, 1.1, 1.1, 0.8, 1.1, 1.1, 1.0, 1.0, 1.0, 0.3])


def dates_in_year(rng: np.random.Generator, schooljaar: str, n: int, *, flat: bool = False) -> list[dt.date]:
    """``n`` dates within the schooljaar, seasonal unless ``flat``."""
    start = sj.start(schooljaar).date()
    days = (sj.end(schooljaar).date() - start).days + 1
    if flat:
        offs = rng.integers(0, days, size=n)
    else:
        day_month = np.array([(start + dt.timedelta(days=int(d))).month for d in range(days)])
        month_index = (day_month - 8) % 12
        p = MONTH_WEIGHTS[month_index]
        offs = rng.choice(days, size=n, p=p / p.sum())
    return [start + dt.timedelta(days=int(o)) for o in offs]


def birthdate_for_age(rng: np.random.Generator, on: dt.date, age: int) -> dt.date:
    """A birth date such that the person is exactly ``age`` on ``on``."""
    latest = _minus_years(on, age)  # birthday on `on` itself
    earliest = _minus_years(on, age + 1) + dt.timedelta(days=1)
    span = (latest - earliest).days
    return earliest + dt.timedelta(days=int(rng.integers(0, span + 1)))


def birthdate_between(rng: np.random.Generator, earliest: dt.date, latest: dt.date) -> dt.date:
    span = max((latest - earliest).days, 0)
    return earliest + dt.timedelta(days=int(rng.integers(0, span + 1)))


def _minus_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def add_years(d: dt.date, years: int) -> dt.date:
    return _minus_years(d, -years)


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


class Ids:
    """Pseudonymous identifiers: unique per prefix, not guessable from the order of rows."""

    def __init__(self, rng: np.random.Generator):
        self._rng = rng
        self._used: dict[str, set[int]] = {}

    def new(self, prefix: str, digits: int = 7) -> str:
        used = self._used.setdefault(prefix, set())
        while True:
            n = int(self._rng.integers(10 ** (digits - 1), 10**digits))
            if n not in used:
                used.add(n)
                return f"{prefix}{n}"


def frame(records: list[dict], columns: list[str], sort: list[str]) -> pd.DataFrame:
    df = pd.DataFrame.from_records(records, columns=columns)
    return df.sort_values(sort, kind="stable").reset_index(drop=True)
