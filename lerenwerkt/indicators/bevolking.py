"""Population denominators from extern/bevolking.csv."""

from __future__ import annotations

import pandas as pd

from lerenwerkt import schooljaar as sj
from lerenwerkt.indicators.common import in_scope


def peildatum(bev: pd.DataFrame, *, schooljaar: str, gemeente: str | None = None) -> pd.Timestamp:
    """The peildatum :func:`leerplichtigen` counts on: the latest on or before the schooljaar's
    start (else the earliest delivered), so a label can name it."""
    b = in_scope(bev, gemeente)
    peil = b.peildatum[b.peildatum <= sj.start(schooljaar)].max()
    return b.peildatum.min() if pd.isna(peil) else peil


def leerplichtigen(bev: pd.DataFrame, *, schooljaar: str, gemeente: str | None = None) -> int:
    """Leer- en kwalificatieplichtigen (5 tot 18 jaar: bands 5-15 and 16-17) on the latest
    peildatum on or before the schooljaar's start (data contract)."""
    b = in_scope(bev, gemeente)
    peil = peildatum(bev, schooljaar=schooljaar, gemeente=gemeente)
    return int(b[(b.peildatum == peil) & b.leeftijd.isin(["5-15", "16-17"])].aantal.sum())
