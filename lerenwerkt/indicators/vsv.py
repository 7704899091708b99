"""Voortijdig schoolverlaten and zorg en preventie (Hoofdstuk 3, Bijlage 3, memo)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

import pandas as pd

from lerenwerkt import codes
from lerenwerkt import schooljaar as sj
from lerenwerkt.indicators.common import count_by, in_scope, pct_change, share

Groep = Literal["nieuw", "oud"]


def _cohort(tr: pd.DataFrame, *, schooljaar: str, groep: Groep, eerste: str) -> pd.DataFrame:
    """Nieuwe vsv'ers left school in the schooljaar; oud-vsv'ers in an earlier one, from
    ``eerste`` on (report: "2020-2021 t/m 2023-2024")."""
    if groep == "nieuw":
        return tr[tr.schooljaar == schooljaar]
    return tr[(tr.schooljaar >= eerste) & (tr.schooljaar < schooljaar)]


def status_eind(
    tr: pd.DataFrame,
    status_eind: pd.DataFrame,
    *,
    schooljaar: str,
    groep: Groep,
    gemeente: str | None = None,
    eerste: str = "2020-2021",
) -> pd.DataFrame:
    """Trajecten with their status and resultaat at the end of the schooljaar: the last
    change dated on or before 31 July (data contract). One row per traject."""
    c = in_scope(_cohort(tr, schooljaar=schooljaar, groep=groep, eerste=eerste), gemeente)
    st = status_eind[status_eind.schooljaar == schooljaar].drop(columns="schooljaar")
    return c.merge(st, on="traject_id", how="left", validate="one_to_one")


def status(
    tr, status_eind_df, *, schooljaar: str, groep: Groep, gemeente: str | None = None, by: Sequence[str] = ("gemeente",), eerste: str = "2020-2021"
) -> pd.DataFrame:
    """Tabel 4 (nieuw) / Tabel 7 (oud): trajecten per status at the end of the schooljaar."""
    df = status_eind(tr, status_eind_df, schooljaar=schooljaar, groep=groep, gemeente=gemeente, eerste=eerste)
    return count_by(df, [*by, "status"])


def resultaten(
    tr, status_eind_df, *, schooljaar: str, groep: Groep, status: Literal["monitoring", "afgerond"], gemeente: str | None = None, eerste: str = "2020-2021"
) -> pd.DataFrame:
    """Tabel 5 (status monitoring) and Tabel 6 (afgerond): trajecten per resultaat at the end
    of the schooljaar. For oud-vsv'ers Tabel 6 counts only trajecten afgerond *during* the
    schooljaar ("en in schooljaar 2024-2025 afgerond")."""
    df = status_eind(tr, status_eind_df, schooljaar=schooljaar, groep=groep, gemeente=gemeente, eerste=eerste)
    df = df[df.status == status]
    if status == "afgerond" and groep == "oud":
        df = df[df.datum >= sj.start(schooljaar)]
    cats = codes.VSV_RESULTAAT_MONITORING if status == "monitoring" else codes.VSV_RESULTAAT_AFGEROND
    return count_by(df, ["resultaat"], categories={"resultaat": tuple(cats)})


#: "Weer op een route terug naar school": at the end of the schooljaar afgerond with
#: school (gerelateerd) or a startkwalificatie, or monitored with school (gerelateerd) or
#: waiting for an enrolment. This reading reproduces the report's 272 (= 185 + 9 + 71 + 7
#: from Tabel 6 and 5; published README § 3.8).
ROUTE_TERUG = {("afgerond", "school"), ("afgerond", "startkwalificatie"), ("monitoring", "school"), ("monitoring", "wacht_op_inschrijving")}


def route_terug_naar_school(tr, status_eind_df, *, schooljaar: str, gemeente: str | None = None) -> pd.DataFrame:
    """Nieuwe vsv'ers on a route back to school at the end of the schooljaar (272, 22%)."""
    df = status_eind(tr, status_eind_df, schooljaar=schooljaar, groep="nieuw", gemeente=gemeente)
    n = int(sum((s, r) in ROUTE_TERUG for s, r in zip(df.status, df.resultaat)))
    return pd.DataFrame([{"aantal": n, "nieuwe_vsvers": len(df), "aandeel": share(n, len(df))}])


def nieuwe_vsvers(tr: pd.DataFrame, *, schooljaar: str, vorig: str, gemeente: str | None = None) -> pd.DataFrame:
    """Nieuwe vsv'ers (meldingen van schooluitschrijving) and the change on last year
    ("1.241 ... acht procent minder")."""
    t = in_scope(tr, gemeente)
    new, old = int((t.schooljaar == schooljaar).sum()), int((t.schooljaar == vorig).sum())
    return pd.DataFrame([{"huidig": new, "vorig": old, "verandering_pct": pct_change(new, old)}])


def reden_uitval(tr: pd.DataFrame, *, schooljaar: str, gemeente: str | None = None) -> pd.DataFrame:
    """Reasons nieuwe vsv'ers give for leaving (23% werken, 12% verkeerde opleidingskeuze,
    10% medische problematiek), as shares of all nieuwe vsv'ers."""
    df = in_scope(tr[tr.schooljaar == schooljaar], gemeente)
    out = count_by(df, ["reden_uitval"])
    return out.assign(aandeel=100.0 * out.aantal / max(len(df), 1))


LEEFTIJD_RIJ = "<18 (pro/vso)"


def in_beeld_leeftijd(tr, status_eind_df, *, schooljaar: str, gemeente: str | None = None, eerste: str = "2020-2021") -> pd.DataFrame:
    """Bijlage 3 Tabel 2: vsv'ers in beeld at the end of the schooljaar (nieuw and oud, status
    in behandeling or monitoring; 2.248) by age at the vsv-melding and on 18 September after
    the schooljaar. Ages under 18 are pro/vso pupils; 22 includes those who just turned 23
    (the report's footnote)."""
    frames = [status_eind(tr, status_eind_df, schooljaar=schooljaar, groep=g, gemeente=gemeente, eerste=eerste) for g in ("nieuw", "oud")]
    df = pd.concat(frames, ignore_index=True)
    df = df[df.status.isin(["in_behandeling", "monitoring"])]
    peildatum = pd.Timestamp(dt.date(sj.parse(schooljaar) + 1, 9, 18))
    at_s = sj.age_at(df.geboortedatum, peildatum)
    labels = [LEEFTIJD_RIJ, "18", "19", "20", "21", "22"]

    def band(age: pd.Series) -> pd.Series:
        return age.clip(upper=22).map(lambda a: LEEFTIJD_RIJ if a < 18 else str(int(a)))

    m = band(df.leeftijd_uitschrijving).value_counts().reindex(labels, fill_value=0)
    s = band(at_s).value_counts().reindex(labels, fill_value=0)
    return pd.DataFrame({"leeftijd": labels, "bij_melding": m.to_numpy(), "op_18_september": s.to_numpy()})


def kort_na_18(tr, status_eind_df, *, schooljaar: str, gemeente: str | None = None, eerste: str = "2020-2021") -> int:
    """In-beeld vsv'ers who were 18 at the vsv-melding and left school within one calendar
    month after their 18th birthday (Bijlage 3 Tabel 2 footnote: 450)."""
    frames = [status_eind(tr, status_eind_df, schooljaar=schooljaar, groep=g, gemeente=gemeente, eerste=eerste) for g in ("nieuw", "oud")]
    df = pd.concat(frames, ignore_index=True)
    df = df[df.status.isin(["in_behandeling", "monitoring"]) & (df.leeftijd_uitschrijving == 18)]
    b18 = df.geboortedatum + pd.DateOffset(years=18)
    return int((df.datum_uitschrijving < b18 + pd.DateOffset(months=1)).sum())


def zorg_preventie(zp: pd.DataFrame, *, schooljaar: str, gemeente: str | None = None) -> pd.DataFrame:
    """Zorg-en-preventietrajecten started in the schooljaar, per aanleiding (shares of all
    started) and, for those closed by 31 July, per uitkomst (shares of the closed)."""
    y = in_scope(zp[zp.schooljaar == schooljaar], gemeente)
    a = count_by(y, ["aanleiding"]).rename(columns={"aanleiding": "categorie"})
    a = a.assign(soort="aanleiding", aandeel=100.0 * a.aantal / max(len(y), 1))
    closed = y[y.datum_einde.notna() & (y.datum_einde <= sj.end(schooljaar)) & y.uitkomst.notna()]
    u = count_by(closed, ["uitkomst"], categories={"uitkomst": tuple(codes.ZP_UITKOMST)}).rename(columns={"uitkomst": "categorie"})
    u = u.assign(soort="uitkomst", aandeel=100.0 * u.aantal / max(len(closed), 1))
    return pd.concat([a, u], ignore_index=True)[["soort", "categorie", "aantal", "aandeel"]]
