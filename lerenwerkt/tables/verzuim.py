"""Leerplicht: Bijlage 1, Hoofdstuk 2 (Diagram 1, Grafiek 2–4, Tabel 3, the uitstroom of absoluut verzuim) and the memo's verzuim table."""

from __future__ import annotations

import pandas as pd

from lerenwerkt import codes
from lerenwerkt.indicators import achttienplus, verzuim
from lerenwerkt.tables.base import TOTAAL, Register, Tabel, _with_totaal, _years, _years_with_data, memoized

A_KOLOMMEN = {s: codes.VERZUIMSOORT[s] for s in codes.VERZUIMSOORT}
B_KOLOMMEN = codes.RESULTAAT_KOLOM


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
        f"Bijlage 1 Tabel {n}A Aantal verzuimmeldingen {codes.ONDERWIJSSOORT[onderwijssoort]}",
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
        f"Bijlage 1 Tabel {n}B Resultaten verzuimmeldingen {codes.ONDERWIJSSOORT[onderwijssoort]}",
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
