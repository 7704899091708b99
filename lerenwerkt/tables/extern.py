"""Public figures from extern/ passed through: Leerplichttelling, CBS, DUO, schoollocatie."""

from __future__ import annotations

import pandas as pd

from lerenwerkt import codes
from lerenwerkt import schooljaar as sj
from lerenwerkt.tables.base import TOTAAL, Register, Tabel, _num, _with_totaal, _years, memoized

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


# ---------------------------------------------------------------- extern pass-through
def _require(f: pd.DataFrame, peildatum: pd.Timestamp, schooljaar: str, leeftijden: str) -> None:
    """A clear message when extern/bevolking.csv lacks a peildatum the table needs (the
    contract asks only for the report's three years; an earlier edition may lack it)."""
    if f.isna().to_numpy().any():
        missing = [str(g) for g in f.index[f.isna().any(axis=1)]]
        raise ValueError(
            f"extern/bevolking.csv, kolommen peildatum/leeftijd: geen volledige aantallen voor peildatum 1 januari {peildatum.year} "
            f"(schooljaar {schooljaar}) bij {len(missing)} gemeente(n), bv. {missing[0]}; verwacht per gemeente de leeftijden {leeftijden}"
        )


@memoized
def tabel1_bevolking(reg, *, schooljaar: str) -> Tabel:
    """Tabel 1: kinderen/jongeren per gemeente by age band, peildatum 1 January within the
    schooljaar (the report's "peildatum 1 januari 2025" for 2024-2025), CBS."""
    bev = reg["bevolking"]
    peildatum = pd.Timestamp(f"{sj.parse(schooljaar) + 1}-01-01")
    b = bev[bev.peildatum == peildatum]
    bands = {"4": "4-jarigen", "5-15": "5 tot 16-jarigen", "16-17": "16 tot 18-jarigen", "18-22": "18 tot 23-jarigen"}
    f = b[b.leeftijd.isin(bands)].pivot(index="gemeente", columns="leeftijd", values="aantal").reindex(index=list(codes.GEMEENTEN), columns=list(bands))
    _require(f, peildatum, schooljaar, "4, 5-15, 16-17 en 18-22")
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
    b = b.reindex(columns=[*b.columns, *(c for c in ("23", "24", "25", "26", "5-15", "16-17", "18-22") if c not in b.columns)])
    _require(b[["23", "24", "25", "26", "5-15", "16-17", "18-22"]], peildatum, schooljaar, "5-15, 16-17, 18-22, 23, 24, 25 en 26")
    f = pd.DataFrame({f"{a} jaar": b[str(a)] for a in (23, 24, 25, 26)}, index=b.index)
    f["23 t/m 26 jaar"] = f.sum(axis=1)
    f["5 t/m 26 jaar"] = f["23 t/m 26 jaar"] + b[["5-15", "16-17", "18-22"]].sum(axis=1)
    f = f.astype("int64")
    f.index.name = None
    return Tabel(
        "bijlage3_tabel3_jongeren_23_26",
        f"Bijlage 3 Tabel 3 Aantal jongeren per gemeente van 23 t/m 26 jaar (peildatum 1 januari {peildatum.year})",
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
        "Bijlage 3 Tabel 1 Nieuwe vsv'ers naar soort onderwijs",
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
