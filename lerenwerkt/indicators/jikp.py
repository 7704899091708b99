"""Jongeren in een kwetsbare positie (JIKP-dashboard, extern/jikp.csv)."""

from __future__ import annotations

import pandas as pd

from lerenwerkt import codes
from lerenwerkt import schooljaar as sj
from lerenwerkt.indicators.common import in_scope

ONDERWIJS = ("mbo_1", "mbo_2_plus", "onderwijs_overig")


_DAGINVULLING: dict[tuple, pd.DataFrame] = {}


def daginvulling(jikp: pd.DataFrame, *, schooljaar: str, gemeente: str | None = None) -> pd.DataFrame:
    """See :func:`_daginvulling`; computed once per figures and scope (a draft shows it three
    times: Grafiek 7, the table and the text). Callers get a copy."""
    key = (len(jikp), int(pd.util.hash_pandas_object(jikp, index=True).to_numpy().sum()), tuple(jikp.columns), schooljaar, gemeente)
    if key not in _DAGINVULLING:
        if len(_DAGINVULLING) > 64:
            _DAGINVULLING.clear()
        _DAGINVULLING[key] = _daginvulling(jikp, schooljaar=schooljaar, gemeente=gemeente)
    return _DAGINVULLING[key].copy()


def _daginvulling(jikp: pd.DataFrame, *, schooljaar: str, gemeente: str | None = None) -> pd.DataFrame:
    """Where jongeren with a kwetsbare overstap are, per startpositie and meetmoment, as the
    dashboard (and the report's Grafiek 7) shows it: for meetmoment m the most recent cohort
    measured m years after its overstap, up to the reported schooljaar.

    Columns: startpositie, meetmoment, cohort, daginvulling, aantal, aandeel (percent of the
    startpositie × meetmoment group).
    """
    start = sj.parse(schooljaar)
    df = in_scope(jikp, gemeente)
    # one pass over the rows: aantal per startpositie × meetmoment × cohort × daginvulling
    summed = df.groupby([df.startpositie, df.meetmoment.astype(str), df.cohort, df.daginvulling], observed=True).aantal.sum()
    aantal = {key: int(v) for key, v in summed.items()}
    totals: dict[tuple, int] = {}
    for (pos, m, cohort, _), n in aantal.items():
        totals[pos, m, cohort] = totals.get((pos, m, cohort), 0) + n
    all_cohorts = sorted(df.cohort.unique())
    rows = []
    for pos in codes.JIKP_STARTPOSITIE:
        for m in codes.JIKP_MEETMOMENT:
            cohorts = [c for c in all_cohorts if sj.parse(c) + m <= start]
            if not cohorts:
                continue
            cohort = cohorts[-1]
            total = totals.get((pos, str(m), cohort), 0)
            for dag in codes.JIKP_DAGINVULLING:
                n = aantal.get((pos, str(m), cohort, dag), 0)
                rows.append(
                    {
                        "startpositie": pos,
                        "meetmoment": m,
                        "cohort": cohort,
                        "daginvulling": dag,
                        "aantal": n,
                        "aandeel": 100.0 * n / total if total else float("nan"),
                    }
                )
    # the columns named: a jikp.csv with only its header (the contract allows it) gives no rows
    return pd.DataFrame(rows, columns=["startpositie", "meetmoment", "cohort", "daginvulling", "aantal", "aandeel"])


def samenvatting(jikp: pd.DataFrame, *, schooljaar: str, gemeente: str | None = None) -> pd.DataFrame:
    """Per startpositie and meetmoment: share in onderwijs, share at mbo niveau 2 or higher,
    and of those who left onderwijs the share that works (werk or werk en uitkering), has an
    uitkering only, or is not in beeld."""
    d = daginvulling(jikp, schooljaar=schooljaar, gemeente=gemeente)
    rows = []
    for (pos, m), g in d.groupby(["startpositie", "meetmoment"], sort=False):
        a = g.set_index("daginvulling").aantal
        total = a.sum()
        onderwijs = a[list(ONDERWIJS)].sum()
        uit = total - onderwijs

        def pct(x, of):
            return 100.0 * x / of if of else float("nan")

        rows.append(
            {
                "startpositie": pos,
                "meetmoment": m,
                "jongeren": int(total),
                "onderwijs_pct": pct(onderwijs, total),
                "mbo_2_plus_pct": pct(a["mbo_2_plus"], total),
                "uitstroom_werk_pct": pct(a["werk"] + a["werk_en_uitkering"], uit),
                "uitstroom_uitkering_pct": pct(a["uitkering"], uit),
                "uitstroom_niet_in_beeld_pct": pct(a["geen_van_beide"], uit),
            }
        )
    return pd.DataFrame(rows)
