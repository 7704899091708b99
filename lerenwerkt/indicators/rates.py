"""Rates per 1.000 leerplichtigen per gemeente, with exact Poisson intervals."""

from __future__ import annotations

import pandas as pd

from lerenwerkt import codes, stats
from lerenwerkt.indicators.bevolking import leerplichtigen


def per_1000(records: pd.DataFrame, bev: pd.DataFrame, *, schooljaar: str, level: float = 0.95) -> pd.DataFrame:
    """Records of the schooljaar per 1.000 leerplichtigen (5 tot 18 jaar) per gemeente and for
    the region, with exact (Garwood) Poisson confidence intervals."""
    rows = []
    year = records[records.schooljaar == schooljaar]
    for g in (*codes.GEMEENTEN, None):
        k = int(len(year) if g is None else (year.gemeente == g).sum())
        n = leerplichtigen(bev, schooljaar=schooljaar, gemeente=g)
        rate, lo, hi = stats.rate_ci(k, n, level=level)
        rows.append({"gemeente": g or codes.REGIO, "aantal": k, "leerplichtigen": n, "per_1000": float(rate), "ci_laag": float(lo), "ci_hoog": float(hi)})
    return pd.DataFrame(rows)
