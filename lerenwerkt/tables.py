"""Stage 5: the report's tables in their published layout, and the cell export.

Each builder returns a :class:`Tabel` whose frame has the published row and column labels
(the same ids and labels as the backtest reference ``cells.csv``). ``cells()`` flattens any
set of tables to ``tabel,rij,kolom,waarde`` so a register can be compared with the
publication cell by cell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import wraps

import pandas as pd

from lerenwerkt import codes
from lerenwerkt import schooljaar as sj
from lerenwerkt.indicators import achttienplus, verzuim, vrijstellingen, vsv
from lerenwerkt.load import Register

TOTAAL = codes.TOTAAL
ROWS_G = [*codes.GEMEENTEN, TOTAAL]
A_KOLOMMEN = {s: codes.VERZUIMSOORT[s] for s in codes.VERZUIMSOORT}
B_KOLOMMEN = codes.RESULTAAT_KOLOM


FINGERPRINT_ATTR = "lerenwerkt_sha256"
_MEMO: dict = {}
_MEMO_MAX = 1024


def _fingerprint(reg: Register) -> str | None:
    df = reg.get("verzuimmeldingen")
    return None if df is None else df.attrs.get(FINGERPRINT_ATTR)


def memoized(builder: Callable[..., Tabel]) -> Callable[..., Tabel]:
    """Cache a table builder per delivery (content hash) and arguments.

    A warm kernel builds many drafts of one delivery; the regional tables that every
    gemeente draft shows beside its own are then computed once. Registers without a
    fingerprint (e.g. hand-made test frames) are never cached. Callers get a copy.
    """

    @wraps(builder)
    def wrapper(reg: Register, **kwargs) -> Tabel:
        fp = _fingerprint(reg)
        if fp is None:
            return builder(reg, **kwargs)
        key = (builder.__name__, fp, tuple(sorted(kwargs.items())))
        if key not in _MEMO:
            if len(_MEMO) >= _MEMO_MAX:
                _MEMO.clear()
            _MEMO[key] = builder(reg, **kwargs)
        t = _MEMO[key]
        return replace(t, frame=t.frame.copy())

    return wrapper


@dataclass(frozen=True)
class Tabel:
    id: str
    titel: str
    frame: pd.DataFrame  # index = rij labels, columns = kolom labels
    bron: str = "JVS"
    pct_columns: tuple[str, ...] = ()  # columns holding percentages
    hoofdstuk: str = "verzuim"
    onderdrukt: pd.DataFrame | None = None  # True where a cell is suppressed (openbaar)


def _years(schooljaar: str, n: int = 3) -> list[str]:
    return [sj.shift(schooljaar, -k) for k in range(n - 1, -1, -1)]


def _with_totaal(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([frame, frame.sum().to_frame(TOTAAL).T])


# ---------------------------------------------------------------- Bijlage 1
@memoized
def bijlage1_a(reg: Register, *, schooljaar: str, onderwijssoort: str) -> Tabel:
    vm = reg["verzuimmeldingen"]
    vm = vm[vm.onderwijssoort == onderwijssoort]
    c = verzuim.meldingen(vm, schooljaar=schooljaar, by=("gemeente", "verzuimsoort"))
    f = c.pivot(index="gemeente", columns="verzuimsoort", values="aantal").reindex(index=list(codes.GEMEENTEN), columns=list(A_KOLOMMEN))
    t = verzuim.totaal_meldingen(vm, schooljaar=schooljaar, by=("gemeente",)).set_index("gemeente").aantal
    f = f.rename(columns=A_KOLOMMEN).assign(Totaal=t.reindex(f.index).to_numpy())
    n = codes.BIJLAGE1_NUMMER[onderwijssoort]
    return Tabel(
        f"bijlage1_tabel{n}a",
        f"Tabel {n}A Aantal verzuimmeldingen {codes.ONDERWIJSSOORT[onderwijssoort]}",
        _with_totaal(f),
        hoofdstuk="bijlagen",
    )


@memoized
def bijlage1_b(reg: Register, *, schooljaar: str, onderwijssoort: str) -> Tabel:
    vm = reg["verzuimmeldingen"]
    vm = vm[vm.onderwijssoort == onderwijssoort]
    c = verzuim.resultaten(vm, schooljaar=schooljaar, by=("gemeente",))
    f = c.pivot(index="gemeente", columns="resultaat_kolom", values="aantal").reindex(index=list(codes.GEMEENTEN), columns=list(B_KOLOMMEN))
    f = f.rename(columns=B_KOLOMMEN)
    f = f.assign(Totaal=f.sum(axis=1))
    n = codes.BIJLAGE1_NUMMER[onderwijssoort]
    return Tabel(
        f"bijlage1_tabel{n}b",
        f"Tabel {n}B Resultaten verzuimmeldingen {codes.ONDERWIJSSOORT[onderwijssoort]}",
        _with_totaal(f),
        hoofdstuk="bijlagen",
    )


# ---------------------------------------------------------------- Hoofdstuk 2
@memoized
def diagram1(reg: Register, *, schooljaar: str, gemeente: str | None = None) -> Tabel:
    vm = reg["verzuimmeldingen"]
    kol = verzuim.resultaten(vm, schooljaar=schooljaar, gemeente=gemeente).set_index("resultaat_kolom").aantal
    det = verzuim.resultaten(vm, schooljaar=schooljaar, gemeente=gemeente, detail=True).set_index("resultaat_eind").aantal
    rows = {B_KOLOMMEN[k]: kol[k] for k in B_KOLOMMEN}
    for part in codes.RESULTAAT_OVERIG_DELEN:
        label = codes.NOG_IN_BEHANDELING_LABEL if part == codes.NOG_IN_BEHANDELING else codes.RESULTAAT_VERZUIM[part]
        rows[label] = det[part]
    rows[TOTAAL] = kol.sum()
    f = pd.DataFrame({schooljaar: rows})
    return Tabel("diagram1_resultaten", f"Diagram 1 Resultaten absoluut en relatief verzuim {schooljaar}", f)


def _per_jaar(reg, schooljaar, gemeente, soorten, n_years=3) -> pd.DataFrame:
    years = [y for y in _years(schooljaar, n_years)]
    c = verzuim.per_jaar(reg["verzuimmeldingen"], schooljaren=years, gemeente=gemeente, verzuimsoorten=soorten)
    f = c.pivot(index="verzuimsoort", columns="schooljaar", values="aantal").reindex(index=list(soorten), columns=years)
    return f.rename(index=codes.VERZUIMSOORT)


def _years_with_data(df: pd.DataFrame, years: Sequence[str]) -> list[str]:
    present = set(df.schooljaar.dropna())
    return [y for y in years if y in present]


@memoized
def grafiek2(reg: Register, *, schooljaar: str, gemeente: str | None = None) -> Tabel:
    f = _per_jaar(reg, schooljaar, gemeente, ["absoluut"])
    f = f[_years_with_data(reg["verzuimmeldingen"], f.columns)]
    return Tabel("grafiek2_absoluut_verzuim", "Grafiek 2 Aantal meldingen absoluut verzuim", f)


@memoized
def grafiek3(reg: Register, *, schooljaar: str, gemeente: str | None = None) -> Tabel:
    f = _per_jaar(reg, schooljaar, gemeente, list(codes.RELATIEF))
    f = f[_years_with_data(reg["verzuimmeldingen"], f.columns)]
    return Tabel("grafiek3_relatief_verzuim", "Grafiek 3 Aantal meldingen relatief verzuim", f)


@memoized
def grafiek4(reg: Register, *, schooljaar: str, gemeente: str | None = None) -> Tabel:
    f = _per_jaar(reg, schooljaar, gemeente, ["informatie_advies"])
    f = f[_years_with_data(reg["verzuimmeldingen"], f.columns)]
    return Tabel("grafiek4_informatie_advies", "Grafiek 4 Aantal vragen om informatie/advies", f)


@memoized
def tabel3(reg: Register, *, schooljaar: str, gemeente: str | None = None) -> Tabel:
    m = reg["meldingen_18plus"]
    years = _years_with_data(m, _years(schooljaar))
    f = achttienplus.per_jaar(m, schooljaren=years, gemeente=gemeente).set_index("schooljaar")
    f.index.name = None
    return Tabel("tabel3_verzuim_18plus", "Tabel 3 Verzuimmeldingen 18+", f, pct_columns=("actie_gewenst_pct",))


@memoized
def uitstroom_absoluut(reg: Register, *, schooljaar: str, gemeente: str | None = None) -> Tabel:
    """Where the absoluut verzuimers of the schooljaar stand on 31 July (counts; the text
    shows them as shares of all meldingen absoluut verzuim)."""
    u = verzuim.uitstroom_absoluut(reg["verzuimmeldingen"], schooljaar=schooljaar, gemeente=gemeente)
    f = pd.DataFrame({"aantal": u.aantal.to_numpy(dtype=float)}, index=u.label.to_numpy())
    return Tabel("uitstroom_absoluut", "Absoluut verzuimers naar situatie op 31 juli", f)


LPT_ORDER = ("Achterhoek", "Noord- en Midden-Drenthe", "IJssel-Vecht", "Kop van Noord-Holland", "Landelijk")


@memoized
def leerplichttelling(reg: Register, *, schooljaar: str) -> Tabel:
    """The Leerplichttelling benchmark: the three schooljaren before the reported one
    (figures come out with a year's delay), passed through from extern/."""
    lpt = reg["leerplichttelling"]
    years = [y for y in reversed(_years(sj.shift(schooljaar, -1))) if y in set(lpt.schooljaar)]
    sub = lpt[lpt.schooljaar.isin(years)]
    f = sub.pivot(index=["regio", "schooljaar"], columns="indicator", values="waarde")
    order = [(r, y) for r in LPT_ORDER for y in years if (r, y) in f.index]
    f = f.reindex(index=order, columns=[c for c in codes.LPT_INDICATOR if c in f.columns]).astype(float)
    f.index = [f"{r} | {y}" for r, y in f.index]
    pct = tuple(c for c in f.columns if c.endswith("_pct"))
    return Tabel(
        "leerplichttelling",
        "Percentages absoluut verzuim, (langdurig) relatief verzuim en vrijstellingen t.o.v. aantal leer- en kwalificatieplichtige leerlingen",
        f,
        bron="Leerplichttelling",
        pct_columns=pct,
    )


MEMO_SOORT = {
    "absoluut": "Absoluut verzuim",
    "wettelijk": "Relatief (wettelijk) verzuim",
    "luxe": "Luxe verzuim",
    "overig": "Overig verzuim",
    "informatie_advies": "Informatie en advies",
}


@memoized
def memo_verzuim(reg: Register, *, schooljaar: str, gemeente: str) -> Tabel:
    years = _years(schooljaar, 2)
    c = verzuim.memo_lokaal(reg["verzuimmeldingen"], gemeente=gemeente, schooljaren=years)
    c = c.assign(rij=c.verzuimsoort.map(MEMO_SOORT) + " | " + c.onderwijsniveau.map(codes.ONDERWIJSNIVEAU))
    order = [f"{MEMO_SOORT[s]} | {codes.ONDERWIJSNIVEAU[n]}" for s in MEMO_SOORT for n in codes.ONDERWIJSNIVEAU]
    f = c.pivot(index="rij", columns="schooljaar", values="aantal").reindex(index=order, columns=years)
    f.index.name = None
    return Tabel(f"memo_{codes.slug(gemeente).replace('-', '_')}_verzuim", "Lokale ontwikkelingen verzuim", f, hoofdstuk="raadsmededeling")


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
    return Tabel("bijlage3_tabel2_leeftijd", f"Tabel 2 Aantal vsv'ers naar leeftijd {schooljaar}", f, hoofdstuk="bijlagen")


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


# ---------------------------------------------------------------- extern pass-through
@memoized
def tabel1_bevolking(reg, *, schooljaar: str) -> Tabel:
    """Tabel 1: kinderen/jongeren per gemeente by age band, peildatum 1 January within the
    schooljaar (the report's "peildatum 1 januari 2025" for 2024-2025), CBS."""
    bev = reg["bevolking"]
    peildatum = pd.Timestamp(f"{sj.parse(schooljaar) + 1}-01-01")
    b = bev[bev.peildatum == peildatum]
    bands = {"4": "4-jarigen", "5-15": "5 tot 16-jarigen", "16-17": "16 tot 18-jarigen", "18-22": "18 tot 23-jarigen"}
    f = b[b.leeftijd.isin(bands)].pivot(index="gemeente", columns="leeftijd", values="aantal").reindex(index=list(codes.GEMEENTEN), columns=list(bands))
    f = f.rename(columns=bands).astype("int64")
    f = f.assign(totaal=f.sum(axis=1))
    bron = ", ".join(sorted(set(b.bron))) or "CBS StatLine"
    return Tabel(
        "tabel1_bevolking", f"Tabel 1 Aantal kinderen/jongeren (peildatum 1 januari {peildatum.year})", _with_totaal(f), bron=bron, hoofdstuk="bijlagen"
    )


@memoized
def bijlage3_tabel3(reg, *, schooljaar: str) -> Tabel:
    bev = reg["bevolking"]
    peildatum = pd.Timestamp(f"{sj.parse(schooljaar) + 1}-01-01")
    b = bev[bev.peildatum == peildatum].pivot(index="gemeente", columns="leeftijd", values="aantal").reindex(index=list(codes.GEMEENTEN))
    f = pd.DataFrame({f"{a} jaar": b[str(a)] for a in (23, 24, 25, 26)}, index=b.index)
    f["23 t/m 26 jaar"] = f.sum(axis=1)
    f["5 t/m 26 jaar"] = f["23 t/m 26 jaar"] + b[["5-15", "16-17", "18-22"]].sum(axis=1)
    f = f.astype("int64")
    f.index.name = None
    return Tabel(
        "bijlage3_tabel3_jongeren_23_26",
        f"Tabel 3 Aantal jongeren per gemeente van 23 t/m 26 jaar (peildatum 1 januari {peildatum.year})",
        _with_totaal(f),
        bron="CBS StatLine",
        hoofdstuk="bijlagen",
    )


@memoized
def bijlage3_tabel1(reg, *, schooljaar: str) -> Tabel:
    """DUO nieuwe vsv'ers per onderwijssoort, Landelijk vs RMC Achterhoek, for the three
    schooljaren before the reported one (DUO's figures have a year's delay)."""
    duo = reg["duo_vsv"]
    years = [y for y in _years(sj.shift(schooljaar, -1)) if y in set(duo.schooljaar)]
    rows = {}
    for soort in codes.DUO_ONDERWIJSSOORT:
        for gebied, label in (("Landelijk", "Landelijk"), ("Achterhoek", "RMC Achterhoek")):
            sub = duo[(duo.gebied == gebied) & (duo.onderwijssoort == soort)].set_index("schooljaar")
            row = {}
            for y in years:
                row[f"{y} aantal"] = _num(sub.aantal.get(y))
                row[f"{y} percentage"] = _num(sub.percentage.get(y))
            rows[f"{label} | {soort}"] = row
    f = pd.DataFrame(rows).T.astype(float)
    return Tabel(
        "bijlage3_tabel1_duo_vsv",
        "Tabel 1 Nieuwe vsv'ers naar soort onderwijs",
        f,
        bron="VSV dashboard (DUO)",
        pct_columns=tuple(c for c in f.columns if c.endswith("percentage")),
        hoofdstuk="vsv",
    )


B4_OS = {"sbo": "(s)bo", "vso": "(v)so", "vo": "vo", "mbo": "mbo"}
B4_LOC = {
    "binnen_gemeente": "naar school binnen gemeente",
    "binnen_regio": "naar school binnen regio (buiten gemeente)",
    "buiten_regio": "naar school buiten regio",
}


@memoized
def bijlage4(reg, *, schooljaar: str) -> Tabel:
    """Waar gaan kinderen naar school (JVS): percentages per locatie and pupils per
    onderwijssoort, latest peildatum in or before the schooljaar; the region's own row."""
    sl = reg["schoollocatie"]
    peil = sl.peildatum[sl.peildatum <= sj.end(schooljaar)].max()
    sub = sl[sl.peildatum == peil]
    rows = {}
    for g in (*codes.GEMEENTEN, codes.REGIO):
        s = sub[sub.gemeente == g]
        row = {}
        tot = 0
        for os_, osl in B4_OS.items():
            so = s[s.onderwijssoort == os_].set_index("locatie")
            for loc, locl in B4_LOC.items():
                row[f"{osl} | {locl}"] = _num(so.percentage.get(loc))
            n = int(so.totaal.iloc[0]) if len(so) else 0
            row[f"{osl} | totaal"] = n
            tot += n
        row["Totaal | totaal"] = tot
        rows[TOTAAL if g == codes.REGIO else g] = row
    f = pd.DataFrame(rows).T
    pct = tuple(c for c in f.columns if not c.endswith("totaal"))
    return Tabel("bijlage4_schoollocatie", "Bijlage 4 Waar gaan kinderen naar school?", f, bron="JVS", pct_columns=pct, hoofdstuk="bijlagen")


# ---------------------------------------------------------------- running text
@memoized
def tekst(reg: Register, *, schooljaar: str) -> Tabel:
    """The figures of the running text, ``rij`` = figure id, ``kolom`` = schooljaar."""
    S, V, VV = schooljaar, sj.shift(schooljaar, -1), sj.shift(schooljaar, -2)
    vm, m18 = reg["verzuimmeldingen"], reg["meldingen_18plus"]
    tr, se, zp = reg["vsv_trajecten"], reg["vsv_status_eind"], reg["zorg_preventie"]

    def n_vm(year, soort, os_=None):
        d = vm[(vm.schooljaar == year) & (vm.verzuimsoort == soort)]
        return len(d if os_ is None else d[d.onderwijssoort.isin(os_)])

    uit = verzuim.uitstroom_absoluut(vm, schooljaar=S).set_index("groep").aandeel
    det = verzuim.resultaten(vm, schooljaar=S, detail=True).set_index("resultaat_eind").aantal
    vr = vrijstellingen.vrijstellingen(reg["vrijstellingen"], schooljaren=[V, S]).set_index(["artikel", "schooljaar"]).aantal
    hh = vrijstellingen.handhaving(reg["handhaving"], schooljaren=[V, S]).set_index(["soort", "schooljaar"]).aantal
    t3 = achttienplus.per_jaar(m18, schooljaren=[VV, V, S]).set_index("schooljaar")
    jong = achttienplus.jongeren(m18, schooljaar=S).iloc[0]
    uk = achttienplus.uitkomst(m18, schooljaar=S).set_index("uitkomst").aandeel
    route, route_v = vsv.route_terug_naar_school(tr, se, schooljaar=S).iloc[0], vsv.route_terug_naar_school(tr, se, schooljaar=V).iloc[0]
    nieuw = vsv.nieuwe_vsvers(tr, schooljaar=S, vorig=V).iloc[0]
    reden = vsv.reden_uitval(tr, schooljaar=S).set_index("reden_uitval").aandeel
    st_new = vsv.status(tr, se, schooljaar=S, groep="nieuw", by=()).set_index("status").aantal
    st_old = vsv.status(tr, se, schooljaar=S, groep="oud", by=()).set_index("status").aantal
    afg_old = vsv.resultaten(tr, se, schooljaar=S, groep="oud", status="afgerond").set_index("resultaat").aantal
    zpi = vsv.zorg_preventie(zp, schooljaar=S).set_index(["soort", "categorie"])
    in_beeld = int(st_new.get("in_behandeling", 0) + st_new.get("monitoring", 0) + st_old.get("in_behandeling", 0) + st_old.get("monitoring", 0))
    vo_group = ("vso", "vo")
    figures: dict[str, tuple[str, float]] = {
        "N014": (V, n_vm(V, "absoluut")),
        "N015": (S, n_vm(S, "absoluut")),
        "N016": (S, _change(n_vm(S, "absoluut"), n_vm(V, "absoluut"))),
        "N017": (S, -_change(n_vm(S, "absoluut", vo_group), n_vm(V, "absoluut", vo_group))),
        "N018": (V, n_vm(V, "absoluut", ("geen",))),
        "N019": (S, n_vm(S, "absoluut", ("geen",))),
        "N021": (S, uit["ingeschreven"]),
        "N022": (S, uit["verhuisd"]),
        "N023": (S, uit["nog_verzuimer"]),
        "N024": (S, uit["overdracht_dsp"]),
        "N025": (S, uit["overig"]),
        "N026": (V, n_vm(V, "wettelijk")),
        "N027": (S, n_vm(S, "wettelijk")),
        "N028": (V, n_vm(V, "overig")),
        "N029": (S, n_vm(S, "overig")),
        "N030": (V, n_vm(V, "luxe")),
        "N031": (S, n_vm(S, "luxe")),
        "N032": (S, det.get("verhuisd", 0)),
        "N033": (S, det.get(codes.NOG_IN_BEHANDELING, 0)),
        "N034": (S, det.get("overig", 0)),
        "N035": (S, vr.get(("3a", S), 0)),
        "N036": (S, vr.get(("3b", S), 0)),
        "N037": (V, vr.get(("5a", V), 0)),
        "N038": (S, vr.get(("5a", S), 0)),
        "N039": (V, vr.get(("5b", V), 0)),
        "N040": (S, vr.get(("5b", S), 0)),
        "N041": (V, vr.get(("5c", V), 0)),
        "N042": (S, vr.get(("5c", S), 0)),
        "N043": (V, vr.get(("15", V), 0)),
        "N044": (S, vr.get(("15", S), 0)),
        "N045": (V, hh.get(("pv_verzuim", V), 0)),
        "N046": (S, hh.get(("pv_verzuim", S), 0)),
        "N050": (S, t3.meldingen[S]),
        "N051": (S, _change(t3.meldingen[S], t3.meldingen[V])),
        "N052": (S, _change(t3.meldingen[S], t3.meldingen[VV])),
        "N053": (S, jong.unieke_jongeren),
        "N054": (S, jong.recidive),
        "N055": (S, jong.een_melding_pct),
        "N056": (S, jong.een_melding),
        "N057": (S, t3.actie_gewenst_pct[S]),
        "N058": (S, t3.actie_gewenst[S]),
        "N059": (S, jong.twee_keer_geen_actie),
        "N060": (S, uk["voortgezet"]),
        "N061": (S, uk["gestopt"]),
        "N062": (S, uk["overstap"]),
        "N079": (S, route.aantal),
        "N080": (S, route.aandeel),
        "N081": (V, route_v.aandeel),
        "N082": (S, nieuw.huidig),
        "N083": (S, -nieuw.verandering_pct),
        "N084": (S, reden["werken"]),
        "N085": (S, reden["verkeerde_opleidingskeuze"]),
        "N086": (S, reden["medische_problematiek"]),
        "N087": (S, st_new.get("in_behandeling", 0)),
        "N088": (S, st_new.get("monitoring", 0)),
        "N089": (S, st_new.get("afgerond", 0)),
        "N091": (S, in_beeld),
        "N096": (S, int(st_old.sum())),
        "N097": (S, st_old.get("in_behandeling", 0)),
        "N098": (S, st_old.get("monitoring", 0)),
        "N099": (S, st_old.get("afgerond", 0)),
        "N100": (S, int(afg_old.sum())),
        "N101": (S, 100.0 * afg_old.get("school", 0) / max(int(afg_old.sum()), 1)),
        "N102": (S, int(zpi.loc["aanleiding"].aantal.sum())),
        "N104": (S, zpi.loc[("aanleiding", "kans_op_uitval")].aandeel),
        "N106": (S, zpi.loc[("aanleiding", "negatief_studieadvies")].aandeel),
        "N107": (S, zpi.loc[("aanleiding", "verkeerde_studiekeuze")].aandeel),
        "N108": (S, zpi.loc[("aanleiding", "geen_stage")].aandeel),
        "N109": (S, zpi.loc[("aanleiding", "geen_bbl_leerbaan")].aandeel),
        "N110": (S, zpi.loc[("aanleiding", "advies")].aandeel),
        "N112": (S, zpi.loc[("uitkomst", "terug_naar_school")].aandeel),
        "N120": (S, vsv.kort_na_18(tr, se, schooljaar=S)),
    }
    rows = [{"rij": k, "kolom": y, "waarde": float(v)} for k, (y, v) in figures.items()]
    f = pd.DataFrame(rows)
    return Tabel("tekst", "Cijfers in de lopende tekst", f, hoofdstuk="tekst")


def _num(value) -> float:
    return float("nan") if value is None or pd.isna(value) else float(value)


#: Figures of the running text that are percentages (the rest are counts).
TEKST_PERCENTAGES = frozenset(
    [
        "N016",
        "N017",
        "N021",
        "N022",
        "N023",
        "N024",
        "N025",
        "N051",
        "N052",
        "N055",
        "N057",
        "N060",
        "N061",
        "N062",
        "N080",
        "N081",
        "N083",
        "N084",
        "N085",
        "N086",
        "N101",
        "N104",
        "N106",
        "N107",
        "N108",
        "N109",
        "N110",
        "N112",
    ]
)


def _change(new: float, old: float) -> float:
    return float("nan") if not old else 100.0 * (new - old) / old


# ---------------------------------------------------------------- all tables, cells
def all_tables(reg: Register, *, schooljaar: str) -> list[Tabel]:
    """Every published table of the cell export, intern (the catalogue's order; see
    :func:`lerenwerkt.gate.all_published`)."""
    from lerenwerkt.gate import all_published

    return all_published(reg, schooljaar=schooljaar, publicatie="intern")


def cells(tables: Sequence[Tabel]) -> pd.DataFrame:
    """Long format ``tabel,rij,kolom,waarde,onderdrukt`` of the given tables. Cells without a
    value are left out, except suppressed ones (``onderdrukt`` True, ``waarde`` empty)."""
    frames = []
    for t in tables:
        if t.id == "tekst":
            f = t.frame if "onderdrukt" in t.frame else t.frame.assign(onderdrukt=False)
            frames.append(f.assign(tabel="tekst"))
            continue
        f = t.frame.copy()
        f.index.name, f.columns.name = "rij", "kolom"
        long = f.stack(future_stack=True).rename("waarde").reset_index()
        if t.onderdrukt is not None:
            m = t.onderdrukt.reindex(index=t.frame.index, columns=t.frame.columns, fill_value=False).copy()
            m.index.name, m.columns.name = "rij", "kolom"
            long["onderdrukt"] = m.stack(future_stack=True).to_numpy(dtype=bool)
        else:
            long["onderdrukt"] = False
        frames.append(long.assign(tabel=t.id))
    out = pd.concat(frames, ignore_index=True)[["tabel", "rij", "kolom", "waarde", "onderdrukt"]]
    out = out[out.waarde.notna() | out.onderdrukt]
    return out.astype({"rij": "string", "kolom": "string", "waarde": "float64", "onderdrukt": "bool"}).reset_index(drop=True)


def format_waarde(v: float) -> str:
    """Cell value as written to cells.csv: whole numbers without decimals, else 4 decimals."""
    return str(int(round(v))) if float(v).is_integer() else f"{v:.4f}"
