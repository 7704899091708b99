"""Hoofdstuk 3 Voortijdig schoolverlaten — cijfers en resultaten, region or gemeente."""

from __future__ import annotations

import pandas as pd

from lerenwerkt import claims, codes, gate, plots, render, tekstcijfers, text
from lerenwerkt import schooljaar as sj
from lerenwerkt import tables as tb
from lerenwerkt.chapters.base import methode_blok, scope_naam, scope_rows, titel_blok
from lerenwerkt.indicators import vsv as ind


def titel(*, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    return titel_blok("Voortijdig schoolverlaten: cijfers en resultaten", schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie)


@claims.draft
def samenvatting(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    tr = reg["vsv_trajecten"]
    vorig = sj.shift(schooljaar, -1)
    k = gate.drempel(publicatie)
    n = ind.nieuwe_vsvers(tr, schooljaar=schooljaar, vorig=vorig, gemeente=gemeente).iloc[0]
    # the other sentences are text figures (lerenwerkt.tekstcijfers), each protected as its entry says
    scope = {"schooljaar": schooljaar, "gemeente": gemeente, "publicatie": publicatie}
    zinnen = [
        text.verandering(
            "Het aantal nieuwe vsv'ers (meldingen van schooluitschrijving)",
            nieuw=int(n.huidig),
            oud=int(n.vorig),
            jaren=(vorig, schooljaar),
            eenheid="jongeren",
            drempel=k,
            verborgen=(_nieuw_verborgen(reg, vorig, gemeente, publicatie), _nieuw_verborgen(reg, schooljaar, gemeente, publicatie)),
            spreiding=claims.spreiding_records(tr, schooljaar=schooljaar),
        ),
    ]
    if k is None or int(n.huidig) >= 50:  # shares of small groups are left out of openbare tekst
        zinnen += [tekstcijfers.zin("vsv_route", reg, **scope), tekstcijfers.zin("vsv_redenen", reg, **scope)]
    zinnen += [tekstcijfers.zin("vsv_status_nieuw", reg, **scope), tekstcijfers.zin("vsv_oud", reg, **scope)]
    if not tekstcijfers.evalueer("N091", reg, **scope).onderdrukt:
        zinnen.append(tekstcijfers.zin("N091", reg, **scope))
    return render.heading("Samenvatting", 2) + render.bullets(zinnen)


def _nieuw_verborgen(reg, jaar: str, gemeente: str | None, publicatie: str) -> bool:
    """Is the number of nieuwe vsv'ers of ``jaar`` withheld in that year's edition? It is
    text figure N082, withheld with Tabel 4's Totaal (the same jongeren): a sentence printed
    it beside a Tabel 4 total that its own edition, or last year's, withheld."""
    from lerenwerkt import publication

    if publicatie != "openbaar" or not publication._has_year(reg, jaar):
        return False
    return tekstcijfers.evalueer("N082", reg, schooljaar=jaar, gemeente=gemeente, publicatie=publicatie).onderdrukt


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
    scope = {"schooljaar": schooljaar, "gemeente": gemeente, "publicatie": publicatie}
    zin = render.Block("")
    if not tekstcijfers.evalueer("N101", reg, **scope).onderdrukt:  # text figure N101: a share of Tabel 6 cells
        zin = render.paragraph(tekstcijfers.zin("N101", reg, **scope))
    return render.table(t.frame, titel=f"{t.titel} — {scope_naam(gemeente)}", bron=t.bron, uid=t.id, onderdrukt=t.onderdrukt) + zin


def status_oud(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    t = gate.publish(tb.tabel7, reg, publicatie=publicatie, schooljaar=schooljaar)
    mask = scope_rows(t.onderdrukt, gemeente) if t.onderdrukt is not None else None
    return render.table(scope_rows(t.frame, gemeente), titel=t.titel, bron=t.bron, uid=t.id, highlight_rows=[gemeente] if gemeente else (), onderdrukt=mask)


def leeftijd(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    t = gate.publish(tb.bijlage3_tabel2, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=gemeente)
    note = render.paragraph(tekstcijfers.zin("N120", reg, schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie))
    return render.table(t.frame, titel=f"{t.titel} — vsv'ers in beeld, {scope_naam(gemeente)}", bron=t.bron, uid=t.id, onderdrukt=t.onderdrukt) + note


def _gestart_hidden(reg, schooljaar: str, gemeente: str | None, publicatie: str) -> bool:
    """Is the number of started trajecten withheld in that schooljaar's edition?"""
    if gate.drempel(publicatie) is None or schooljaar not in set(reg["zorg_preventie"].schooljaar.astype(str)):
        return False
    t = gate.publish(tb.zorg_preventie, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=gemeente)
    return t.onderdrukt is not None and bool(t.onderdrukt.at[tb.ZP_GESTART, "Aantal"])


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
            jaren=(vorig, schooljaar),
            eenheid="trajecten",
            drempel=k,
            spreiding=spreiding,
            verborgen=(_gestart_hidden(reg, vorig, gemeente, publicatie), mask is not None and bool(mask.at[tb.ZP_GESTART, "Aantal"])),
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
