"""Hoofdstuk 3 Voortijdig schoolverlaten — cijfers en resultaten, region or gemeente."""

from __future__ import annotations

import pandas as pd

from lerenwerkt import claims, codes, fmt, gate, plots, render, text
from lerenwerkt import schooljaar as sj
from lerenwerkt import tables as tb
from lerenwerkt.chapters.base import cell_text, methode_blok, scope_naam, scope_rows, titel_blok
from lerenwerkt.indicators import vsv as ind

VSVERS, NIEUWE_VSVERS, OUD_VSVERS = "vsv'ers", "nieuwe vsv'ers", "oud-vsv'ers"


def _wordt(t: tb.Tabel, row, col, enkel: str = "wordt", meer: str = "worden") -> str:
    """The verb for a table cell's count (plural when the cell is withheld or not 1)."""
    v = t.frame.at[row, col]
    hidden = t.onderdrukt is not None and bool(t.onderdrukt.at[row, col])
    return text.werkwoord(1 if not hidden and not pd.isna(v) and int(v) == 1 else 2, enkel, meer)


def titel(*, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    return titel_blok("Voortijdig schoolverlaten: cijfers en resultaten", schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie)


@claims.draft
def samenvatting(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    tr, se = reg["vsv_trajecten"], reg["vsv_status_eind"]
    vorig = sj.shift(schooljaar, -1)
    k = gate.drempel(publicatie)
    row = gemeente or codes.TOTAAL
    t4 = gate.publish(tb.tabel4, reg, publicatie=publicatie, schooljaar=schooljaar)
    t7 = gate.publish(tb.tabel7, reg, publicatie=publicatie, schooljaar=schooljaar)
    n = ind.nieuwe_vsvers(tr, schooljaar=schooljaar, vorig=vorig, gemeente=gemeente).iloc[0]
    route = ind.route_terug_naar_school(tr, se, schooljaar=schooljaar, gemeente=gemeente).iloc[0]
    route_v = ind.route_terug_naar_school(tr, se, schooljaar=vorig, gemeente=gemeente).iloc[0]
    reden = ind.reden_uitval(tr, schooljaar=schooljaar, gemeente=gemeente).set_index("reden_uitval")
    afg_old = ind.resultaten(tr, se, schooljaar=schooljaar, groep="oud", status="afgerond", gemeente=gemeente).aantal.sum()
    t5 = gate.publish(tb.tabel5, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=gemeente)
    t6 = gate.publish(tb.tabel6, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=gemeente)
    # the route back to school adds up Tabel 5 and 6 cells: only when none of them is withheld
    route_cells = [(t5, codes.VSV_RESULTAAT_MONITORING[k]) for k in ("school", "wacht_op_inschrijving")]
    route_cells += [(t6, tb.TABEL6_RIJ[k]) for k in ("school", "startkwalificatie")]
    route_open = all(t.onderdrukt is None or not bool(t.onderdrukt.at[r, tb.NIEUW]) for t, r in route_cells)
    route_open = route_open and text.deelbaar(int(route.aantal), int(route.nieuwe_vsvers), drempel=k)
    route_open = route_open and text.deelbaar(int(route_v.aantal), int(route_v.nieuwe_vsvers), drempel=k)
    redenen = text.aandelen(
        [
            ("wil werken", int(reden.aantal.get("werken", 0))),
            ("maakte een verkeerde opleidingskeuze", int(reden.aantal.get("verkeerde_opleidingskeuze", 0))),
            ("ervaart (medische) problematiek", int(reden.aantal.get("medische_problematiek", 0))),
        ],
        int(n.huidig),
        drempel=k,
    )
    afg_hidden = t6.onderdrukt is not None and bool(t6.onderdrukt.at[codes.TOTAAL, tb.OUD])
    ib, mon = codes.VSV_STATUS["in_behandeling"], codes.VSV_STATUS["monitoring"]
    zinnen = [
        text.verandering(
            "Het aantal nieuwe vsv'ers (meldingen van schooluitschrijving)",
            nieuw=int(n.huidig),
            oud=int(n.vorig),
            eenheid="jongeren",
            drempel=k,
            spreiding=claims.spreiding_records(tr, schooljaar=schooljaar),
        ),
        f"{text.aantal_eenheid(int(route.aantal), NIEUWE_VSVERS, drempel=k)} ({fmt.procent(route.aandeel)}) {text.werkwoord(int(route.aantal))} weer op een route terug naar school begeleid; vorig schooljaar was dat {fmt.procent(route_v.aandeel)}."
        if route_open
        else "Hoeveel nieuwe vsv'ers weer op een route terug naar school zijn begeleid: te kleine aantallen om te publiceren.",
        f"Redenen van uitval: {redenen}." if redenen else "Redenen van uitval: te kleine aantallen om te publiceren.",
        f"Aan het eind van het schooljaar is de consulent nog betrokken bij {cell_text(t4, row, ib, drempel=k, eenheid=NIEUWE_VSVERS)}; {cell_text(t4, row, mon, drempel=k)} {_wordt(t4, row, mon)} gemonitord en van {cell_text(t4, row, codes.VSV_STATUS['afgerond'], drempel=k)} is de begeleiding gestart én afgesloten.",
        f"Van de {cell_text(t7, row, 'Totaal', drempel=k, eenheid=OUD_VSVERS)} {_wordt(t7, row, codes.VSV_STATUS['afgerond'], 'is', 'zijn')} in totaal {cell_text(t7, row, codes.VSV_STATUS['afgerond'], drempel=k, eenheid='casussen')} afgerond, waarvan {cell_text(t6, codes.TOTAAL, tb.OUD, drempel=k) if afg_hidden else text.aantal(int(afg_old), drempel=k)} in het afgelopen schooljaar.",
    ]
    if k is None or int(n.huidig) >= 50:  # shares of small groups are left out of openbare tekst
        pass
    else:
        zinnen = [zinnen[0], zinnen[3], zinnen[4]]
    if publicatie != "openbaar" or not any(t.onderdrukt is not None and bool(t.onderdrukt.at[row, c]) for t in (t4, t7) for c in (ib, mon)):
        in_beeld = sum(int(t.frame.at[row, c]) for t in (t4, t7) for c in (ib, mon))
        zinnen.append(
            f"In totaal {text.werkwoord(in_beeld)} aan het einde van het schooljaar {text.aantal_eenheid(in_beeld, VSVERS, drempel=k)} in beeld bij het Doorstroompunt."
        )
    return render.heading("Samenvatting", 2) + render.bullets(zinnen)


def landelijk(reg, *, schooljaar: str, publicatie: str = "intern") -> render.Block:
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


def status_nieuw(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    t = gate.publish(tb.tabel4, reg, publicatie=publicatie, schooljaar=schooljaar)
    frame = scope_rows(t.frame, gemeente)
    mask = scope_rows(t.onderdrukt, gemeente) if t.onderdrukt is not None else None
    long = frame.drop(columns="Totaal").rename_axis(index="gemeente", columns="status").stack(future_stack=True).rename("aantal").reset_index()
    fig, ax = render.new_figure(height=3.0)
    plots.bars_per_jaar(long, x="gemeente", hue="status", ax=ax, ylabel="Nieuwe vsv'ers")
    chart = render.figure(fig, titel=f"{t.titel} — {scope_naam(gemeente)}", bron=t.bron) if gemeente else render.Block("")
    return chart + render.table(frame, titel=t.titel, bron=t.bron, uid=t.id, highlight_rows=[gemeente] if gemeente else (), onderdrukt=mask)


def monitoring(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    t = gate.publish(tb.tabel5, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=gemeente)
    groups = set(tb.TABEL5_GROEPEN)
    names = {k: f"– {k}" for k in t.frame.index if k not in groups and k not in _top_level() and k != "Totaal"}
    frame = t.frame.rename(index=names)
    mask = t.onderdrukt.rename(index=names) if t.onderdrukt is not None else None
    return render.table(frame, titel=f"{t.titel} — {scope_naam(gemeente)}", bron=t.bron, uid=t.id, totaal_rows=("Totaal", *groups), onderdrukt=mask)


def _top_level() -> set[str]:
    return {codes.VSV_RESULTAAT_MONITORING[k] for k in tb.TABEL5_ORDER if k in codes.VSV_RESULTAAT_MONITORING}


def afgerond(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    t = gate.publish(tb.tabel6, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=gemeente)
    afg = t.frame.loc["School (gerelateerd)", tb.OUD]
    tot = t.frame.loc["Totaal", tb.OUD]
    zin = render.Block("")
    if not (pd.isna(afg) or pd.isna(tot)) and text.deelbaar(int(afg), int(tot), drempel=gate.drempel(publicatie)):
        zin = render.paragraph(
            f"Van de {fmt.getal(tot)} in het afgelopen schooljaar afgeronde trajecten van oud-vsv'ers is {fmt.procent(100.0 * afg / tot if tot else float('nan'))} afgesloten omdat de jongere weer naar school gaat."
        )
    return render.table(t.frame, titel=f"{t.titel} — {scope_naam(gemeente)}", bron=t.bron, uid=t.id, onderdrukt=t.onderdrukt) + zin


def status_oud(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    t = gate.publish(tb.tabel7, reg, publicatie=publicatie, schooljaar=schooljaar)
    mask = scope_rows(t.onderdrukt, gemeente) if t.onderdrukt is not None else None
    return render.table(scope_rows(t.frame, gemeente), titel=t.titel, bron=t.bron, uid=t.id, highlight_rows=[gemeente] if gemeente else (), onderdrukt=mask)


def leeftijd(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    t = gate.publish(tb.bijlage3_tabel2, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=gemeente)
    n = ind.kort_na_18(reg["vsv_trajecten"], reg["vsv_status_eind"], schooljaar=schooljaar, gemeente=gemeente)
    note = render.paragraph(
        f"Van de vsv'ers die bij de melding 18 waren, zijn er {text.aantal(n, drempel=gate.drempel(publicatie))} binnen één maand nadat zij 18 jaar werden uitgeschreven."
    )
    return render.table(t.frame, titel=f"{t.titel} — vsv'ers in beeld, {scope_naam(gemeente)}", bron=t.bron, uid=t.id, onderdrukt=t.onderdrukt) + note


@claims.draft
def zorg_preventie(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    zp = reg["zorg_preventie"]
    vorig = sj.shift(schooljaar, -1)
    k = gate.drempel(publicatie)
    now = ind.zorg_preventie(zp, schooljaar=schooljaar, gemeente=gemeente)
    prev = ind.zorg_preventie(zp, schooljaar=vorig, gemeente=gemeente)
    n_now = int(now[now.soort == "aanleiding"].aantal.sum())
    n_prev = int(prev[prev.soort == "aanleiding"].aantal.sum())
    t = gate.publish(tb.zorg_preventie, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=gemeente)
    frame, mask = t.frame, t.onderdrukt
    spreiding = claims.spreiding_records(reg["zorg_preventie"], schooljaar=schooljaar)
    zin = render.paragraph(
        text.verandering(
            "Het aantal opgestarte zorg-en-preventietrajecten",
            nieuw=n_now,
            oud=n_prev,
            eenheid="trajecten",
            drempel=k,
            spreiding=spreiding,
            verborgen=(k is not None and 0 < n_prev < k, mask is not None and bool(mask.at[tb.ZP_GESTART, "Aantal"])),
        )
    )
    tab = render.table(
        frame,
        titel=f"{t.titel} — {scope_naam(gemeente)}",
        bron="JVS",
        uid="zorg-preventie",
        pct_columns=["Aandeel"],
        totaal_rows=(),
        onderdrukt=mask,
    )
    return zin + tab


@claims.draft
def methode(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """The method note: what 'steeg' means and how many comparisons this draft makes."""
    return methode_blok()
