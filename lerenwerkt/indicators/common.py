"""Shared counting helpers: scope filtering and zero-filled counts over code lists."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lerenwerkt import codes

#: The categories of each dimension, in display order, so that counts are zero-filled.
DIMENSIONS: dict[str, Sequence[str]] = {
    "gemeente": codes.GEMEENTEN,
    "onderwijssoort": tuple(codes.ONDERWIJSSOORT),
    "onderwijsniveau": tuple(codes.ONDERWIJSNIVEAU),
    "verzuimsoort": tuple(codes.VERZUIMSOORT),
    "resultaat_kolom": tuple(codes.RESULTAAT_KOLOM),
    "resultaat_eind": (*codes.RESULTAAT_VERZUIM, codes.NOG_IN_BEHANDELING),
    "artikel": tuple(codes.ARTIKEL),
    "soort": tuple(codes.HANDHAVING_SOORT),
    "status": tuple(codes.VSV_STATUS),
    "reden_uitval": tuple(codes.REDEN_UITVAL),
    "aanleiding": tuple(codes.ZP_AANLEIDING),
    "uitkomst": tuple(codes.UITKOMST_18PLUS),
}


def in_scope(df: pd.DataFrame, gemeente: str | None) -> pd.DataFrame:
    """Rows of one gemeente, or all rows for the region (``gemeente=None``)."""
    if gemeente is None:
        return df
    if gemeente not in codes.GEMEENTEN:
        raise ValueError(f"gemeente: {gemeente!r} is geen gemeente van LerenWerkt; verwacht een van {', '.join(codes.GEMEENTEN)}")
    return df[df.gemeente == gemeente]


def count_by(df: pd.DataFrame, by: Sequence[str], *, categories: dict[str, Sequence] | None = None) -> pd.DataFrame:
    """Counts per combination of ``by``, with every known category present (zero if none)."""
    by = list(by)
    cats = {**DIMENSIONS, **(categories or {})}
    if not by:
        return pd.DataFrame({"aantal": [len(df)]})
    counts = df.groupby(by, dropna=False, observed=True).size()
    levels = []
    for col in by:
        known = list(cats.get(col, ()))
        seen = [v for v in pd.unique(df[col].dropna()) if v not in known]
        levels.append(known + sorted(seen, key=str))
    full = pd.MultiIndex.from_product(levels, names=by)
    counts = counts.reindex(full, fill_value=0) if len(by) > 1 else counts.reindex(levels[0], fill_value=0)
    out = counts.rename("aantal").reset_index()
    if len(by) == 1:
        out.columns = [by[0], "aantal"]
    return out.astype({"aantal": "int64"})


def share(part: float, whole: float) -> float:
    """Percentage, NaN when the whole is zero."""
    return float("nan") if not whole else 100.0 * part / whole


def pct_change(new: float, old: float) -> float:
    """Relative change in percent ((new - old) / old)."""
    return float("nan") if not old else 100.0 * (new - old) / old
