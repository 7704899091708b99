"""Voortijdig schoolverlaten: Tabel 4–7, Bijlage 3 Tabel 2, the memo's vsv table, zorg en preventie."""

from __future__ import annotations

import pandas as pd

from lerenwerkt import codes
from lerenwerkt import schooljaar as sj
from lerenwerkt.indicators import vsv
from lerenwerkt.tables.base import TOTAAL, Tabel, _with_totaal, _years, memoized

# ---------------------------------------------------------------- vsv
STATUS_KOL = codes.VSV_STATUS


def _vsv_status_table(reg, schooljaar, groep, tabel_id, titel) -> Tabel:
    c = vsv.status(reg["vsv_trajecten"], reg["vsv_status_eind"], schooljaar=schooljaar, groep=groep)
    f = c.pivot(index="gemeente", columns="status", values="aantal").reindex(index=list(codes.GEMEENTEN), columns=list(STATUS_KOL)).fillna(0).astype(int)
    f = f.rename(columns=STATUS_KOL)
    f = f.assign(Totaal=f.sum(axis=1))
    return Tabel(tabel_id, titel, _with_totaal(f), hoofdstuk="vsv")


@memoized
def tabel4(reg, *, schooljaar: str) -> Tabel:
    return _vsv_status_table(reg, schooljaar, "nieuw", "tabel4_status_nieuwe_vsv", f"Tabel 4 Status meldingen nieuwe vsv'ers {schooljaar}")


@memoized
def tabel7(reg, *, schooljaar: str) -> Tabel:
    first = "2020-2021"
    return _vsv_status_table(reg, schooljaar, "oud", "tabel7_status_oud_vsv", f"Tabel 7 Status meldingen oud-vsv'ers {first} t/m {sj.shift(schooljaar, -1)}")


#: Tabel 5's hierarchy (published README § 3.7): Werk and Inzet andere partijen are groups.
TABEL5_GROEPEN = {
    "Werk": ("werk_kortdurend", "werk_6mnd", "werk_12mnd", "werk_interne_opleiding", "werk_loonkostensubsidie", "zzp", "wacht_op_inkomen"),
    "Inzet andere partijen": ("participatiewet", "wajong", "dagbesteding", "hulpverlening"),
}
TABEL5_ORDER = ("Werk", "wacht_op_inschrijving", "school", "Inzet andere partijen", "niet_bereikbaar", "overig")
NIEUW, OUD = "Nieuwe vsv'ers", "Oud vsv'ers"


@memoized
def tabel5(reg, *, schooljaar: str, gemeente: str | None = None) -> Tabel:
    cols = {}
    for groep, label in (("nieuw", NIEUW), ("oud", OUD)):
        r = (
            vsv.resultaten(reg["vsv_trajecten"], reg["vsv_status_eind"], schooljaar=schooljaar, groep=groep, status="monitoring", gemeente=gemeente)
            .set_index("resultaat")
            .aantal
        )
        rows = {}
        for item in TABEL5_ORDER:
            if item in TABEL5_GROEPEN:
                rows[item] = int(sum(r.get(k, 0) for k in TABEL5_GROEPEN[item]))
                for k in TABEL5_GROEPEN[item]:
                    rows[codes.VSV_RESULTAAT_MONITORING[k]] = int(r.get(k, 0))
            else:
                rows[codes.VSV_RESULTAAT_MONITORING[item]] = int(r.get(item, 0))
        rows[TOTAAL] = int(r.sum())
        cols[label] = rows
    return Tabel("tabel5_monitoring", f"Tabel 5 Resultaten vsv-monitoring {schooljaar}", pd.DataFrame(cols), hoofdstuk="vsv")


TABEL6_RIJ = {"school": "School (gerelateerd)", "geen_doelgroep": "Geen doelgroep meer", "startkwalificatie": "Startkwalificatie behaald", "overig": "Overig"}


@memoized
def tabel6(reg, *, schooljaar: str, gemeente: str | None = None) -> Tabel:
    cols = {}
    for groep, label in (("nieuw", NIEUW), ("oud", OUD)):
        r = (
            vsv.resultaten(reg["vsv_trajecten"], reg["vsv_status_eind"], schooljaar=schooljaar, groep=groep, status="afgerond", gemeente=gemeente)
            .set_index("resultaat")
            .aantal
        )
        rows = {TABEL6_RIJ[k]: int(r.get(k, 0)) for k in TABEL6_RIJ}
        rows[TOTAAL] = int(r.sum())
        cols[label] = rows
    return Tabel("tabel6_afgerond", f"Tabel 6 Resultaten afgeronde vsv-meldingen {schooljaar}", pd.DataFrame(cols), hoofdstuk="vsv")


@memoized
def bijlage3_tabel2(reg, *, schooljaar: str, gemeente: str | None = None) -> Tabel:
    a = vsv.in_beeld_leeftijd(reg["vsv_trajecten"], reg["vsv_status_eind"], schooljaar=schooljaar, gemeente=gemeente).set_index("leeftijd")
    year2 = sj.parse(schooljaar) + 1
    f = a.rename(columns={"bij_melding": "Leeftijd t.t.v. vsv-melding", "op_18_september": f"Leeftijd op 18 september {year2}"})
    f.index.name = None
    f = _with_totaal(f)
    return Tabel("bijlage3_tabel2_leeftijd", f"Bijlage 3 Tabel 2 Aantal vsv'ers naar leeftijd {schooljaar}", f, hoofdstuk="bijlagen")


@memoized
def memo_vsv(reg, *, schooljaar: str, gemeente: str) -> Tabel:
    cols = {}
    for y in _years(schooljaar, 2):
        c = vsv.status(reg["vsv_trajecten"], reg["vsv_status_eind"], schooljaar=y, groep="nieuw", gemeente=gemeente, by=()).set_index("status").aantal
        rows = {STATUS_KOL[k]: int(c.get(k, 0)) for k in STATUS_KOL}
        rows[TOTAAL] = sum(rows.values())
        cols[y] = rows
    slug = codes.slug(gemeente).replace("-", "_")
    return Tabel(f"memo_{slug}_vsv", "Lokale ontwikkelingen voortijdig schoolverlaten", pd.DataFrame(cols), hoofdstuk="raadsmededeling")


ZP_GESTART, ZP_AFGESLOTEN = "Gestart", "Afgesloten"


@memoized
def zorg_preventie(reg, *, schooljaar: str, gemeente: str | None = None) -> Tabel:
    """Zorg-en-preventietrajecten 18+ started in the schooljaar per aanleiding, and those
    closed by 31 July per uitkomst, with shares of the started / closed."""
    z = vsv.zorg_preventie(reg["zorg_preventie"], schooljaar=schooljaar, gemeente=gemeente)
    a, u = z[z.soort == "aanleiding"], z[z.soort == "uitkomst"]
    rows = {ZP_GESTART: (a.aantal.sum(), 100.0 if a.aantal.sum() else float("nan"))}
    rows |= {f"{ZP_GESTART}: {codes.ZP_AANLEIDING[c]}": (n, p) for c, n, p in zip(a.categorie, a.aantal, a.aandeel)}
    rows[ZP_AFGESLOTEN] = (u.aantal.sum(), 100.0 if u.aantal.sum() else float("nan"))
    rows |= {f"{ZP_AFGESLOTEN}: {codes.ZP_UITKOMST[c]}": (n, p) for c, n, p in zip(u.categorie, u.aantal, u.aandeel)}
    f = pd.DataFrame.from_dict(rows, orient="index", columns=["Aantal", "Aandeel"]).astype(float)
    return Tabel("zorg_preventie", f"Zorg en preventie 18+ {schooljaar}", f, pct_columns=("Aandeel",), hoofdstuk="vsv")
