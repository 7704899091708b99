"""Hoofdstuk 3 Voortijdig schoolverlaten — cijfers en resultaten, region or gemeente."""

from __future__ import annotations

import pandas as pd

from lerenwerkt import codes, fmt, plots, render, text
from lerenwerkt import schooljaar as sj
from lerenwerkt import tables as tb
from lerenwerkt.chapters.base import scope_naam, scope_rows, titel_blok
from lerenwerkt.indicators import vsv as ind


def titel(*, schooljaar: str, gemeente: str | None) -> render.Block:
    return titel_blok("Voortijdig schoolverlaten: cijfers en resultaten", schooljaar=schooljaar, gemeente=gemeente)


def samenvatting(reg, *, schooljaar: str, gemeente: str | None) -> render.Block:
    tr, se = reg["vsv_trajecten"], reg["vsv_status_eind"]
    vorig = sj.shift(schooljaar, -1)
    n = ind.nieuwe_vsvers(tr, schooljaar=schooljaar, vorig=vorig, gemeente=gemeente).iloc[0]
    route = ind.route_terug_naar_school(tr, se, schooljaar=schooljaar, gemeente=gemeente).iloc[0]
    route_v = ind.route_terug_naar_school(tr, se, schooljaar=vorig, gemeente=gemeente).iloc[0]
    reden = ind.reden_uitval(tr, schooljaar=schooljaar, gemeente=gemeente).set_index("reden_uitval").aandeel
    st_new = ind.status(tr, se, schooljaar=schooljaar, groep="nieuw", gemeente=gemeente, by=()).set_index("status").aantal
    st_old = ind.status(tr, se, schooljaar=schooljaar, groep="oud", gemeente=gemeente, by=()).set_index("status").aantal
    afg_old = ind.resultaten(tr, se, schooljaar=schooljaar, groep="oud", status="afgerond", gemeente=gemeente).aantal.sum()
    in_beeld = int(st_new.get("in_behandeling", 0) + st_new.get("monitoring", 0) + st_old.get("in_behandeling", 0) + st_old.get("monitoring", 0))
    zinnen = [
        text.verandering("Het aantal nieuwe vsv'ers (meldingen van schooluitschrijving)", nieuw=int(n.huidig), oud=int(n.vorig), eenheid="jongeren"),
        f"{fmt.getal(route.aantal)} nieuwe vsv'ers ({fmt.procent(route.aandeel)}) zijn weer op een route terug naar school begeleid; vorig schooljaar was dat {fmt.procent(route_v.aandeel)}.",
        f"Redenen van uitval: {fmt.procent(reden['werken'])} wil werken, {fmt.procent(reden['verkeerde_opleidingskeuze'])} maakte een verkeerde opleidingskeuze en {fmt.procent(reden['medische_problematiek'])} ervaart (medische) problematiek.",
        f"Aan het eind van het schooljaar is de consulent nog betrokken bij {fmt.getal(st_new.get('in_behandeling', 0))} nieuwe vsv'ers; {fmt.getal(st_new.get('monitoring', 0))} worden gemonitord en van {fmt.getal(st_new.get('afgerond', 0))} is de begeleiding gestart én afgesloten.",
        f"In totaal zijn aan het einde van het schooljaar {fmt.getal(in_beeld)} vsv'ers in beeld bij het Doorstroompunt.",
        f"Van de {fmt.getal(int(st_old.sum()))} oud-vsv'ers zijn in totaal {fmt.getal(st_old.get('afgerond', 0))} casussen afgerond, waarvan {fmt.getal(int(afg_old))} in het afgelopen schooljaar.",
    ]
    return render.heading("Samenvatting", 2) + render.bullets(zinnen)


def landelijk(reg, *, schooljaar: str) -> render.Block:
    """Grafiek 6 / Bijlage 3 Tabel 1: DUO nieuwe vsv'ers, Landelijk vs RMC Achterhoek."""
    t = tb.bijlage3_tabel1(reg, schooljaar=schooljaar)
    f = t.frame
    ach = f[[i.startswith("RMC Achterhoek") and not i.endswith("totaal") for i in f.index]]
    years = [c.split(" ")[0] for c in f.columns if c.endswith("aantal")]
    long = pd.DataFrame([{"soort": i.split(" | ")[1], "schooljaar": y, "aantal": ach.loc[i, f"{y} aantal"]} for i in ach.index for y in years])
    fig, ax = render.new_figure()
    plots.bars_per_jaar(long, hue="soort", ax=ax, ylabel="Nieuwe vsv'ers")
    chart = render.figure(fig, titel="Grafiek 6 Nieuwe vsv'ers naar soort onderwijs — RMC Achterhoek", bron=t.bron)
    return chart + render.table(f, titel=t.titel, bron=t.bron, uid=t.id, pct_columns=t.pct_columns, pct_decimalen=2, totaal_rows=())


def status_nieuw(reg, *, schooljaar: str, gemeente: str | None) -> render.Block:
    t = tb.tabel4(reg, schooljaar=schooljaar)
    frame = scope_rows(t.frame, gemeente)
    long = frame.drop(columns="Totaal").rename_axis(index="gemeente", columns="status").stack().rename("aantal").reset_index()
    fig, ax = render.new_figure(height=3.0)
    plots.bars_per_jaar(long, x="gemeente", hue="status", ax=ax, ylabel="Nieuwe vsv'ers")
    chart = render.figure(fig, titel=f"{t.titel} — {scope_naam(gemeente)}", bron=t.bron) if gemeente else render.Block("")
    return chart + render.table(frame, titel=t.titel, bron=t.bron, uid=t.id, highlight_rows=[gemeente] if gemeente else ())


def monitoring(reg, *, schooljaar: str, gemeente: str | None) -> render.Block:
    t = tb.tabel5(reg, schooljaar=schooljaar, gemeente=gemeente)
    groups = set(tb.TABEL5_GROEPEN)
    frame = t.frame.rename(index={k: f"– {k}" for k in t.frame.index if k not in groups and k not in _top_level() and k != "Totaal"})
    return render.table(frame, titel=f"{t.titel} — {scope_naam(gemeente)}", bron=t.bron, uid=t.id, totaal_rows=("Totaal", *groups))


def _top_level() -> set[str]:
    return {codes.VSV_RESULTAAT_MONITORING[k] for k in tb.TABEL5_ORDER if k in codes.VSV_RESULTAAT_MONITORING}


def afgerond(reg, *, schooljaar: str, gemeente: str | None) -> render.Block:
    t = tb.tabel6(reg, schooljaar=schooljaar, gemeente=gemeente)
    afg = t.frame.loc["School (gerelateerd)", tb.OUD]
    tot = t.frame.loc["Totaal", tb.OUD]
    zin = render.paragraph(
        f"Van de {fmt.getal(tot)} in het afgelopen schooljaar afgeronde trajecten van oud-vsv'ers is {fmt.procent(100.0 * afg / tot if tot else float('nan'))} afgesloten omdat de jongere weer naar school gaat."
    )
    return render.table(t.frame, titel=f"{t.titel} — {scope_naam(gemeente)}", bron=t.bron, uid=t.id) + zin


def status_oud(reg, *, schooljaar: str, gemeente: str | None) -> render.Block:
    t = tb.tabel7(reg, schooljaar=schooljaar)
    return render.table(scope_rows(t.frame, gemeente), titel=t.titel, bron=t.bron, uid=t.id, highlight_rows=[gemeente] if gemeente else ())


def leeftijd(reg, *, schooljaar: str, gemeente: str | None) -> render.Block:
    t = tb.bijlage3_tabel2(reg, schooljaar=schooljaar, gemeente=gemeente)
    n = ind.kort_na_18(reg["vsv_trajecten"], reg["vsv_status_eind"], schooljaar=schooljaar, gemeente=gemeente)
    note = render.paragraph(f"Van de vsv'ers die bij de melding 18 waren, zijn er {fmt.getal(n)} binnen één maand nadat zij 18 jaar werden uitgeschreven.")
    return render.table(t.frame, titel=f"{t.titel} — vsv'ers in beeld, {scope_naam(gemeente)}", bron=t.bron, uid=t.id) + note


def zorg_preventie(reg, *, schooljaar: str, gemeente: str | None) -> render.Block:
    zp = reg["zorg_preventie"]
    vorig = sj.shift(schooljaar, -1)
    now = ind.zorg_preventie(zp, schooljaar=schooljaar, gemeente=gemeente)
    prev = ind.zorg_preventie(zp, schooljaar=vorig, gemeente=gemeente)
    n_now = int(now[now.soort == "aanleiding"].aantal.sum())
    n_prev = int(prev[prev.soort == "aanleiding"].aantal.sum())
    a = now[now.soort == "aanleiding"]
    u = now[now.soort == "uitkomst"]
    frame = pd.DataFrame(
        {
            "Aantal": list(a.aantal) + list(u.aantal),
            "Aandeel": list(a.aandeel) + list(u.aandeel),
        },
        index=[f"Aanleiding: {codes.ZP_AANLEIDING[c]}" for c in a.categorie] + [f"Afgesloten: {codes.ZP_UITKOMST[c]}" for c in u.categorie],
    )
    zin = render.paragraph(text.verandering("Het aantal opgestarte zorg-en-preventietrajecten", nieuw=n_now, oud=n_prev, eenheid="trajecten"))
    tab = render.table(
        frame, titel=f"Zorg en preventie 18+ {schooljaar} — {scope_naam(gemeente)}", bron="JVS", uid="zorg-preventie", pct_columns=["Aandeel"], totaal_rows=()
    )
    return zin + tab
