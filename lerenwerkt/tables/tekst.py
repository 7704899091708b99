"""The figures of the running text (``tabel`` = tekst, ``rij`` = figure id)."""

from __future__ import annotations

import pandas as pd

from lerenwerkt import codes
from lerenwerkt import schooljaar as sj
from lerenwerkt.indicators import achttienplus, verzuim, vrijstellingen, vsv
from lerenwerkt.tables.base import Register, Tabel, memoized


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
