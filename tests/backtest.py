"""Cell-by-cell comparison of computed tables with the published reference."""

from __future__ import annotations

import pandas as pd


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def matches(computed: float, published: str) -> bool:
    """A computed value matches a published one when, rounded to the published number of
    decimals, it equals it (percentages are printed rounded)."""
    if pd.isna(computed):
        return False
    d = _decimals(published)
    return round(float(computed) + 1e-9, d) == round(float(published), d)


def compare(computed: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """Every in-scope reference cell with its computed value and whether it matches.

    ``determined`` cells must match their value; ``ambiguous`` cells one of their
    ``kandidaten``; ``label_onbekend`` cells (headers lost in the PDF) are out of scope.
    """
    ref = reference[reference.status != "label_onbekend"]
    merged = ref.merge(computed, on=["tabel", "rij", "kolom"], how="left", suffixes=("_ref", ""))
    ok = []
    for r in merged.itertuples(index=False):
        cands = r.kandidaten.split("|") if r.status == "ambiguous" else [r.waarde_ref]
        ok.append(any(matches(r.waarde, c) for c in cands))
    return merged.assign(ok=ok)
