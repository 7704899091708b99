"""Jongeren in een kwetsbare positie: the most recent JIKP cohort at its overstap, counted
from ``extern/jikp.csv`` (the JIKP-dashboard figures of the delivery).

The report's Grafiek 7 ("JIKP in de Achterhoek: startpositie") shows the most recent group of
jongeren with a kwetsbare overstap and where they went. The cohort table counts that group:
per startpositie (pro, vso, vmbo-basis, Entree) the jongeren of the cohort by their
daginvulling in the year of the overstap (meetmoment 0), in four groups — onderwijs (mbo
niveau 1, mbo niveau 2 of hoger, overig onderwijs), werk (werk, also with an uitkering),
uitkering only, and neither (niet in beeld).
"""

from __future__ import annotations

import pandas as pd

from lerenwerkt import codes
from lerenwerkt import schooljaar as sj
from lerenwerkt.indicators.common import in_scope
from lerenwerkt.tables.base import TOTAAL, Tabel, _with_totaal, memoized

#: The cohort table's columns: a daginvulling group and the JIKP codes it counts.
JIKP_GROEP = {
    "Onderwijs": ("mbo_1", "mbo_2_plus", "onderwijs_overig"),
    "Werk": ("werk", "werk_en_uitkering"),
    "Uitkering": ("uitkering",),
    "Geen van beide / niet in beeld": ("geen_van_beide",),
}
GROEP_VAN = {code: groep for groep, members in JIKP_GROEP.items() for code in members}
JIKP_BRON = "JIKP-dashboard"


def cohort(jikp: pd.DataFrame, schooljaar: str) -> str | None:
    """The most recent cohort measured at its overstap (meetmoment 0) by the schooljaar: the
    same cohort for every scope, so that the region is the sum of its gemeenten."""
    at0 = jikp[jikp.meetmoment.astype(int) == 0]
    eligible = sorted(c for c in at0.cohort.dropna().unique() if sj.parse(c) <= sj.parse(schooljaar))
    return eligible[-1] if eligible else None


def cohort_rows(jikp: pd.DataFrame, *, schooljaar: str, gemeente: str | None = None) -> pd.DataFrame:
    """The delivered rows behind the cohort table (meetmoment 0 of :func:`cohort`), for the scope."""
    c = cohort(jikp, schooljaar)
    d = in_scope(jikp, gemeente)
    return d[(d.cohort == c) & (d.meetmoment.astype(int) == 0) & d.startpositie.isin(list(codes.JIKP_STARTPOSITIE))]


@memoized
def jikp_cohort(reg, *, schooljaar: str, gemeente: str | None = None) -> Tabel:
    """Jongeren of the most recent JIKP cohort by startpositie and daginvulling at the overstap."""
    jikp = reg["jikp"]
    c = cohort(jikp, schooljaar)
    d = cohort_rows(jikp, schooljaar=schooljaar, gemeente=gemeente)
    d = d.assign(groep=d.daginvulling.map(GROEP_VAN), positie=d.startpositie.map(codes.JIKP_STARTPOSITIE))
    f = (
        d.groupby(["positie", "groep"])
        .aantal.sum()
        .unstack("groep")
        .reindex(index=list(codes.JIKP_STARTPOSITIE.values()), columns=list(JIKP_GROEP))
        .fillna(0)
        .astype(int)
    )
    f.index.name, f.columns.name = None, None
    f = _with_totaal(f.assign(**{TOTAAL: f.sum(axis=1)}))
    titel = f"JIKP-cohort {c}: daginvulling in het jaar van de overstap, naar startpositie" if c else "JIKP-cohort: geen cijfers aangeleverd"
    bron = ", ".join(sorted(set(d.bron.dropna()))) if len(d) else JIKP_BRON
    return Tabel("jikp_cohort", titel, f, bron=bron, hoofdstuk="jikp")
