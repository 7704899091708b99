"""Vrijstellingen and handhaving: Tabel 2, Grafiek 5, Bijlage 2."""

from __future__ import annotations

import pandas as pd

from lerenwerkt import codes
from lerenwerkt.indicators import vrijstellingen
from lerenwerkt.tables.base import Register, Tabel, _with_totaal, _years, _years_with_data, memoized


# ---------------------------------------------------------------- vrijstellingen, handhaving
def _artikelen(vr: pd.DataFrame) -> list[str]:
    """Artikel 3b is shown only when it occurs (the report leaves it out: "geen")."""
    return [a for a in codes.ARTIKEL if a != "3b" or (vr.artikel == "3b").any()]


@memoized
def tabel2(reg: Register, *, schooljaar: str, gemeente: str | None = None) -> Tabel:
    vr = reg["vrijstellingen"]
    years = _years_with_data(vr, _years(schooljaar))
    c = vrijstellingen.vrijstellingen(vr, schooljaren=years, gemeente=gemeente)
    arts = _artikelen(vr)
    f = c.pivot(index="artikel", columns="schooljaar", values="aantal").reindex(index=arts, columns=years).rename(index=codes.ARTIKEL)
    f.index.name = None
    return Tabel("tabel2_vrijstellingen", "Tabel 2 Aantal toegekende vrijstellingen", f, hoofdstuk="vrijstellingen")


@memoized
def bijlage2_tabel1(reg: Register, *, schooljaar: str) -> Tabel:
    vr = reg["vrijstellingen"]
    c = vrijstellingen.vrijstellingen(vr, schooljaren=[schooljaar], by=("gemeente", "artikel"))
    arts = _artikelen(vr)
    f = c.pivot(index="gemeente", columns="artikel", values="aantal").reindex(index=list(codes.GEMEENTEN), columns=arts)
    f = f.rename(columns=codes.ARTIKEL)
    f = f.assign(Totaal=f.sum(axis=1))
    return Tabel("bijlage2_tabel1_vrijstellingen", "Bijlage 2 Tabel 1 Aantal toegekende vrijstellingen", _with_totaal(f), hoofdstuk="bijlagen")


@memoized
def grafiek5(reg: Register, *, schooljaar: str, gemeente: str | None = None) -> Tabel:
    hh = reg["handhaving"]
    years = _years_with_data(hh, _years(schooljaar, 2))
    c = vrijstellingen.handhaving(hh, schooljaren=years, gemeente=gemeente)
    f = c.pivot(index="soort", columns="schooljaar", values="aantal").reindex(index=list(codes.HANDHAVING_SOORT), columns=years)
    f = f.rename(index=codes.HANDHAVING_SOORT)
    f.index.name = None
    return Tabel("grafiek5_handhaving", "Grafiek 5 Aantal Halt-interventies en processen-verbaal", f, hoofdstuk="vrijstellingen")


@memoized
def bijlage2_tabel2(reg: Register, *, schooljaar: str) -> Tabel:
    c = vrijstellingen.handhaving(reg["handhaving"], schooljaren=[schooljaar], by=("gemeente", "soort"))
    f = c.pivot(index="gemeente", columns="soort", values="aantal").reindex(index=list(codes.GEMEENTEN), columns=list(codes.HANDHAVING_SOORT))
    f = f.rename(columns=codes.HANDHAVING_SOORT)
    return Tabel("bijlage2_tabel2_handhaving", "Bijlage 2 Tabel 2 Aantal Halt-interventies en processen-verbaal", _with_totaal(f), hoofdstuk="bijlagen")
