"""Vrijstellingen and handhaving (Hoofdstuk 2, Bijlage 2)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lerenwerkt.indicators.common import count_by, in_scope


def vrijstellingen(vr: pd.DataFrame, *, schooljaren: Sequence[str], gemeente: str | None = None, by: Sequence[str] = ("artikel",)) -> pd.DataFrame:
    """Toegekende vrijstellingen per artikel (Tabel 2, Bijlage 2 Tabel 1). A vrijstelling
    belongs to the schooljaar of its ``datum_ingang`` (data contract)."""
    df = in_scope(vr[vr.schooljaar.isin(list(schooljaren))], gemeente)
    return count_by(df, [*by, "schooljaar"], categories={"schooljaar": list(schooljaren)})


def handhaving(hh: pd.DataFrame, *, schooljaren: Sequence[str], gemeente: str | None = None, by: Sequence[str] = ("soort",)) -> pd.DataFrame:
    """Halt-verwijzingen and processen-verbaal (luxe; absoluut en relatief verzuim) per
    schooljaar of ``datum`` (Grafiek 5, Bijlage 2 Tabel 2)."""
    df = in_scope(hh[hh.schooljaar.isin(list(schooljaren))], gemeente)
    return count_by(df, [*by, "schooljaar"], categories={"schooljaar": list(schooljaren)})


def per_1000(vr: pd.DataFrame, bev: pd.DataFrame, *, schooljaar: str) -> pd.DataFrame:
    """Vrijstellingen per 1.000 leerplichtigen per gemeente and for the region (rate =
    vrijstellingen toegekend in the schooljaar / leerplichtigen × 1.000)."""
    from lerenwerkt import codes
    from lerenwerkt.indicators.bevolking import leerplichtigen

    rows = []
    for g in (*codes.GEMEENTEN, None):
        n = int(in_scope(vr[vr.schooljaar == schooljaar], g).shape[0])
        lp = leerplichtigen(bev, schooljaar=schooljaar, gemeente=g)
        rows.append({"gemeente": g or codes.REGIO, "vrijstellingen": n, "leerplichtigen": lp, "per_1000": 1000.0 * n / lp if lp else float("nan")})
    return pd.DataFrame(rows)
