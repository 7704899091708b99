"""The figures of the running text as one table (``tabel`` = tekst, ``rij`` = figure id).

What each figure is — its cells, its operation, its sentence — is declared once in
:mod:`lerenwerkt.tekstcijfers`; this table is a loop over those entries (the report's
N-numbers), for the cell export and the backtests.
"""

from __future__ import annotations

import pandas as pd

from lerenwerkt import schooljaar as sj
from lerenwerkt.tables.base import Register, Tabel, memoized


@memoized
def tekst(reg: Register, *, schooljaar: str, gemeente: str | None = None) -> Tabel:
    """The figures of the running text, ``rij`` = figure id, ``kolom`` = the schooljaar it is about."""
    from lerenwerkt import tekstcijfers as tc

    rows = []
    for c in tc.TEKSTCIJFERS:
        if not c.rapport:
            continue
        w = tc.evalueer(c, reg, schooljaar=schooljaar, gemeente=gemeente)
        kolom = schooljaar if c.jaar == "S" else sj.shift(schooljaar, -1)
        rows.append({"rij": c.id, "kolom": kolom, "waarde": float("nan") if w.waarde is None else float(w.waarde)})
    return Tabel("tekst", "Cijfers in de lopende tekst", pd.DataFrame(rows), hoofdstuk="tekst")
