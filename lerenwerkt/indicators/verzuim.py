"""Leerplicht: verzuimmeldingen and their results (Hoofdstuk 2, Bijlage 1, memo)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lerenwerkt import codes
from lerenwerkt.indicators.common import count_by, in_scope, pct_change, share

_KOLOM = {**{k: k for k in codes.RESULTAAT_KOLOM if k != "overig_totaal"}, **dict.fromkeys(codes.RESULTAAT_OVERIG_DELEN, "overig_totaal")}


def _year(vm: pd.DataFrame, schooljaar: str, gemeente: str | None) -> pd.DataFrame:
    return in_scope(vm[vm.schooljaar == schooljaar], gemeente)


def meldingen(vm: pd.DataFrame, *, schooljaar: str, gemeente: str | None = None, by: Sequence[str] = ("verzuimsoort",)) -> pd.DataFrame:
    """Number of verzuimmeldingen (incl. informatie en advies) of a schooljaar.

    A melding belongs to the schooljaar of its ``datum_melding`` (data contract). The
    report counts meldingen, not pupils (Bijlage 1; "Leerplichttelling" counts pupils).
    """
    return count_by(_year(vm, schooljaar, gemeente), by)


def totaal_meldingen(vm: pd.DataFrame, *, schooljaar: str, gemeente: str | None = None, by: Sequence[str] = ()) -> pd.DataFrame:
    """Bijlage 1 'Totaal': all meldingen except informatie en advies.

    The total is absoluut + wettelijk + langdurig relatief + luxe + overig verzuim
    (published README § 3.1: the only subset that reproduces the printed totals).
    """
    df = _year(vm, schooljaar, gemeente)
    return count_by(df[df.verzuimsoort != "informatie_advies"], by)


def resultaten(vm: pd.DataFrame, *, schooljaar: str, gemeente: str | None = None, by: Sequence[str] = (), detail: bool = False) -> pd.DataFrame:
    """Results of the meldingen of a schooljaar as they stood on 31 July (Diagram 1, Bijlage 1 B).

    One result per melding, informatie en advies excluded. A melding still open on 31 July
    counts as "nog in behandeling"; the report's column "Overig" = verhuisd + nog in
    behandeling + andere afrondingsreden (Diagram 1 callout; data contract). With
    ``detail=True`` the three parts of Overig are counted separately (``resultaat_eind``),
    else per published column (``resultaat_kolom``).
    """
    df = _year(vm, schooljaar, gemeente)
    df = df[df.verzuimsoort != "informatie_advies"]
    if detail:
        return count_by(df, [*by, "resultaat_eind"])
    return count_by(df.assign(resultaat_kolom=df.resultaat_eind.map(_KOLOM)), [*by, "resultaat_kolom"])


def per_jaar(vm: pd.DataFrame, *, schooljaren: Sequence[str], gemeente: str | None = None, verzuimsoorten: Sequence[str]) -> pd.DataFrame:
    """Meldingen per verzuimsoort and schooljaar (Grafiek 2, 3 and 4)."""
    df = in_scope(vm[vm.schooljaar.isin(list(schooljaren)) & vm.verzuimsoort.isin(list(verzuimsoorten))], gemeente)
    out = count_by(df, ["verzuimsoort", "schooljaar"], categories={"verzuimsoort": list(verzuimsoorten), "schooljaar": list(schooljaren)})
    return out[out.verzuimsoort.isin(list(verzuimsoorten))].reset_index(drop=True)


def uitstroom_absoluut(vm: pd.DataFrame, *, schooljaar: str, gemeente: str | None = None) -> pd.DataFrame:
    """Where absoluut verzuimers stand at the end of the schooljaar, in shares of all
    absoluut-verzuimmeldingen of that year (Hoofdstuk 2: "65% weer ingeschreven, 14%
    verhuisd, 9% nog absoluut verzuimer, 8% 18 jaar en overgedragen aan het
    Doorstroompunt, 4% vrijstelling, hulpverlening of werk").

    Groups are defined in :data:`lerenwerkt.codes.UITSTROOM_ABSOLUUT`: dagbesteding *met
    schoolinschrijving* and time-out keep an enrolment and count as weer ingeschreven.
    """
    df = _year(vm, schooljaar, gemeente)
    df = df[df.verzuimsoort == "absoluut"]
    rows = []
    for key, (label, members) in codes.UITSTROOM_ABSOLUUT.items():
        n = int(df.resultaat_eind.isin(members).sum())
        rows.append({"groep": key, "label": label, "aantal": n, "aandeel": share(n, len(df))})
    return pd.DataFrame(rows)


def verandering(
    vm: pd.DataFrame, *, schooljaar: str, vorig: str, gemeente: str | None = None, verzuimsoort: str, onderwijssoorten: Sequence[str] | None = None
) -> pd.DataFrame:
    """Meldingen of one verzuimsoort in two schooljaren and the change in percent.

    E.g. absoluut verzuim 362 -> 434, "bijna 20% meer"; in the voortgezet onderwijs
    (vo + (v)so, the memo's grouping) a fall of 44%.
    """
    df = in_scope(vm[vm.verzuimsoort == verzuimsoort], gemeente)
    if onderwijssoorten is not None:
        df = df[df.onderwijssoort.isin(list(onderwijssoorten))]
    old, new = int((df.schooljaar == vorig).sum()), int((df.schooljaar == schooljaar).sum())
    return pd.DataFrame([{"vorig": old, "huidig": new, "verandering_pct": pct_change(new, old)}])


def memo_lokaal(vm: pd.DataFrame, *, gemeente: str | None, schooljaren: Sequence[str]) -> pd.DataFrame:
    """The raadsmededeling's "Lokale ontwikkelingen verzuim": meldingen per verzuimsoort ×
    onderwijsniveau (primair = (s)bo; voortgezet = vo + (v)so; mbo) × schooljaar.

    The memo's "Relatief (wettelijk) verzuim" is wettelijk verzuim only (equals Bijlage 1
    column Wettelijk verzuim for Aalten); langdurig relatief verzuim and 'geen onderwijs'
    are not in the memo.
    """
    df = in_scope(vm[vm.schooljaar.isin(list(schooljaren)) & vm.onderwijsniveau.notna()], gemeente)
    soorten = ("absoluut", "wettelijk", "luxe", "overig", "informatie_advies")
    out = count_by(
        df[df.verzuimsoort.isin(soorten)],
        ["verzuimsoort", "onderwijsniveau", "schooljaar"],
        categories={"verzuimsoort": soorten, "schooljaar": list(schooljaren)},
    )
    return out[out.verzuimsoort.isin(soorten)].reset_index(drop=True)
