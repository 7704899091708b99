"""Population denominators from extern/bevolking.csv."""

from __future__ import annotations

import pandas as pd

from lerenwerkt import schooljaar as sj
from lerenwerkt.indicators.common import in_scope


def leerplichtigen(bev: pd.DataFrame, *, schooljaar: str, gemeente: str | None = None) -> int:
    """Leer- en kwalificatieplichtigen (5 tot 18 jaar: bands 5-15 and 16-17) on the latest
    peildatum on or before the schooljaar's start (data contract)."""
    b = in_scope(bev, gemeente)
    peil = b.peildatum[b.peildatum <= sj.start(schooljaar)].max()
    if pd.isna(peil):
        peil = b.peildatum.min()
    return int(b[(b.peildatum == peil) & b.leeftijd.isin(["5-15", "16-17"])].aantal.sum())
