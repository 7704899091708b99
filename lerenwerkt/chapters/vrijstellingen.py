"""Hoofdstuk 2 (vervolg): vrijstellingen en handhaving, for the region or one gemeente."""

from __future__ import annotations

import pandas as pd

from lerenwerkt import claims, codes, gate, plots, render, text
from lerenwerkt import schooljaar as sj
from lerenwerkt import tables as tb
from lerenwerkt.chapters.base import NOOT_VERSCHIL, beside_region, exposure_blocks, methode_blok, scope_naam, scope_rows, titel_blok, with_change
from lerenwerkt.indicators import rates


def titel(*, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    return titel_blok("Vrijstellingen en handhaving", schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie)


def _chart(frame: pd.DataFrame, titel_: str, ylabel: str) -> render.Block:
    long = frame.rename_axis(index="soort", columns="schooljaar").stack(future_stack=True).rename("aantal").reset_index()
    fig, ax = render.new_figure()
    plots.bars_per_jaar(long, hue="soort", ax=ax, ylabel=ylabel)
    return render.figure(fig, titel=titel_, bron="JVS")


@claims.draft
def samenvatting(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """Changes per artikel and in handhaving, from Tabel 2 and Grafiek 5 as published."""
    vorig = sj.shift(schooljaar, -1)
    k = gate.drempel(publicatie)
    zinnen = []
    for build, naam in (
        (tb.tabel2, lambda r: f"Het aantal vrijstellingen op grond van {r.lower()}"),
        (tb.grafiek5, lambda r: f"Het aantal {r if r.startswith('Halt') else r[0].lower() + r[1:]}"),
    ):
        raw = build(reg, schooljaar=schooljaar, gemeente=gemeente).frame
        t = gate.publish(build, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=gemeente)
        if schooljaar not in raw.columns or vorig not in raw.columns:
            continue
        for row in raw.index:
            oud, nieuw = int(raw.at[row, vorig]), int(raw.at[row, schooljaar])
            hidden = (False, False) if t.onderdrukt is None else (bool(t.onderdrukt.at[row, vorig]), bool(t.onderdrukt.at[row, schooljaar]))
            eenheid = "vrijstellingen" if build is tb.tabel2 else "Halt-interventies" if row.startswith("Halt") else "processen-verbaal"
            spreiding = claims.spreiding_tabel(build, reg, schooljaar=schooljaar).get(row)
            exposure = claims.leerplichtigen(reg, schooljaar=schooljaar, gemeente=gemeente) if build is tb.tabel2 else (1.0, 1.0)
            zinnen.append(
                text.verandering(
                    naam(row),
                    nieuw=nieuw,
                    oud=oud,
                    jaren=(vorig, schooljaar),
                    eenheid=eenheid,
                    drempel=k,
                    verborgen=hidden,
                    spreiding=spreiding,
                    exposure=exposure,
                )
            )
    return render.heading("Samenvatting", 2) + render.bullets(zinnen)


@claims.draft
def vrijstellingen_per_jaar(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """Tabel 2: toegekende vrijstellingen per artikel, three schooljaren."""
    own, frame, mask = beside_region(tb.tabel2, reg, schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie)
    chart = _chart(own.frame, f"{own.titel} — {scope_naam(gemeente)}", "Aantal vrijstellingen")
    return chart + render.table(
        with_change(
            frame,
            mask=mask,
            spreiding=claims.spreiding_tabel(tb.tabel2, reg, schooljaar=schooljaar),
            exposure=exposure_blocks(reg, schooljaar=schooljaar, gemeente=gemeente),
        ),
        titel=own.titel,
        bron=own.bron,
        uid="tabel2",
        totaal_rows=(),
        onderdrukt=mask,
        noot=NOOT_VERSCHIL,
    )


def vrijstellingen_per_gemeente(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """Bijlage 2 Tabel 1 for the scope, and vrijstellingen per 1.000 leerplichtigen with exact
    intervals and a funnel plot."""
    from lerenwerkt.chapters.base import leerplichtigen_label
    from lerenwerkt.chapters.verzuim import rate_table

    t = gate.publish(tb.bijlage2_tabel1, reg, publicatie=publicatie, schooljaar=schooljaar)
    mask = scope_rows(t.onderdrukt, gemeente) if t.onderdrukt is not None else None
    tab = render.table(scope_rows(t.frame, gemeente), titel=t.titel, bron=t.bron, uid=t.id, highlight_rows=[gemeente] if gemeente else (), onderdrukt=mask)
    r = rates.per_1000(reg["vrijstellingen"], reg["bevolking"], schooljaar=schooljaar)
    # a withheld total must not come back as a rate beside the public number of leerplichtigen
    verborgen = [g for g in codes.GEMEENTEN if t.onderdrukt is not None and bool(t.onderdrukt.at[g, codes.TOTAAL])]
    r = r.assign(**{c: r[c].where(~r.gemeente.isin(verborgen)) for c in ("aantal", "per_1000", "ci_laag", "ci_hoog")})
    fig, ax = render.new_figure(height=3.6)
    plots.funnel(r, highlight=gemeente, ax=ax, ylabel="Vrijstellingen per 1.000 leerplichtigen", verborgen=verborgen)
    noemer = leerplichtigen_label(reg, schooljaar=schooljaar)
    ax.set_xlabel(noemer)
    chart = render.figure(fig, titel=f"Vrijstellingen per 1.000 leerplichtigen {schooljaar} (funnelplot)", bron="JVS; CBS StatLine")
    chart += render.paragraph(plots.funnel_bijschrift(r))
    return tab + chart + rate_table(r, titel="Vrijstellingen per 1.000 leerplichtigen", uid="vrijstellingen-per-1000", gemeente=gemeente, noemer=noemer)


def benchmark(reg, *, schooljaar: str, publicatie: str = "intern") -> render.Block:
    """The Leerplichttelling benchmark for vrijstellingen (regional figures)."""
    t = tb.leerplichttelling(reg, schooljaar=schooljaar)
    cols = [c for c in t.frame.columns if c.startswith("vrijstelling") or c == "n_leer_kwalificatieplichtigen"]
    frame = t.frame[cols].rename(columns=codes.LPT_INDICATOR)
    pct = [codes.LPT_INDICATOR[c] for c in cols if c.endswith("_pct")]
    return render.table(
        frame,
        titel="Vrijstellingen t.o.v. het aantal leer- en kwalificatieplichtige leerlingen",
        bron=t.bron,
        uid="lpt-vrijstellingen",
        pct_columns=pct,
        pct_decimalen=2,
        totaal_rows=(),
    )


@claims.draft
def handhaving(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """Grafiek 5 and Bijlage 2 Tabel 2: Halt-interventies and processen-verbaal."""
    own, frame, mask = beside_region(tb.grafiek5, reg, schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie)
    chart = _chart(own.frame, f"{own.titel} — {scope_naam(gemeente)}", "Aantal")
    spreiding = claims.spreiding_tabel(tb.grafiek5, reg, schooljaar=schooljaar)
    tab = render.table(
        with_change(frame, mask=mask, spreiding=spreiding), titel=own.titel, bron=own.bron, uid="grafiek5", totaal_rows=(), onderdrukt=mask, noot=NOOT_VERSCHIL
    )
    t = gate.publish(tb.bijlage2_tabel2, reg, publicatie=publicatie, schooljaar=schooljaar)
    m2 = scope_rows(t.onderdrukt, gemeente) if t.onderdrukt is not None else None
    per_g = render.table(scope_rows(t.frame, gemeente), titel=t.titel, bron=t.bron, uid=t.id, highlight_rows=[gemeente] if gemeente else (), onderdrukt=m2)
    hh = reg["handhaving"]
    halt = hh[(hh.schooljaar == schooljaar) & (hh.soort == "halt")]
    if gemeente:
        halt = halt[halt.gemeente == gemeente]
    neg = int((halt.afloop == "negatief").sum())
    k = gate.drempel(publicatie)
    if k is None or len(halt) >= k:
        zin = render.paragraph(
            f"Van de {text.aantal_eenheid(len(halt), 'Halt-interventies', drempel=k)} in {schooljaar} {text.werkwoord(2 if k and 0 < neg < k else neg)} er {text.aantal(neg, drempel=k) if neg else 'geen'} negatief afgesloten; daarna kan een proces-verbaal volgen."
        )
    else:
        zin = render.Block("")
    return chart + tab + zin + per_g


@claims.draft
def methode(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """The method note: what 'steeg' means and how many comparisons this draft makes."""
    return methode_blok()
