"""Hoofdstuk 2 (vervolg): vrijstellingen en handhaving, for the region or one gemeente."""

from __future__ import annotations

import pandas as pd

from lerenwerkt import codes, fmt, plots, render, text
from lerenwerkt import schooljaar as sj
from lerenwerkt import tables as tb
from lerenwerkt.chapters.base import beside_region, scope_naam, scope_rows, titel_blok
from lerenwerkt.indicators import vrijstellingen as ind


def titel(*, schooljaar: str, gemeente: str | None) -> render.Block:
    return titel_blok("Vrijstellingen en handhaving", schooljaar=schooljaar, gemeente=gemeente)


def _chart(frame: pd.DataFrame, titel_: str, ylabel: str) -> render.Block:
    long = frame.rename_axis(index="soort", columns="schooljaar").stack().rename("aantal").reset_index()
    fig, ax = render.new_figure()
    plots.bars_per_jaar(long, hue="soort", ax=ax, ylabel=ylabel)
    return render.figure(fig, titel=titel_, bron="JVS")


def samenvatting(reg, *, schooljaar: str, gemeente: str | None) -> render.Block:
    vorig = sj.shift(schooljaar, -1)
    c = ind.vrijstellingen(reg["vrijstellingen"], schooljaren=[vorig, schooljaar], gemeente=gemeente).set_index(["artikel", "schooljaar"]).aantal
    zinnen = []
    for art, label in codes.ARTIKEL.items():
        oud, nieuw = int(c.get((art, vorig), 0)), int(c.get((art, schooljaar), 0))
        if oud or nieuw:
            zinnen.append(
                text.verandering(
                    f"Het aantal vrijstellingen {label.lower().replace('artikel', 'op grond van artikel')}", nieuw=nieuw, oud=oud, eenheid="vrijstellingen"
                )
            )
        else:
            zinnen.append(f"Er zijn geen vrijstellingen op grond van {label.lower()} geregistreerd.")
    h = ind.handhaving(reg["handhaving"], schooljaren=[vorig, schooljaar], gemeente=gemeente).set_index(["soort", "schooljaar"]).aantal
    for soort, label in codes.HANDHAVING_SOORT.items():
        naam = label if soort == "halt" else label[0].lower() + label[1:]
        zinnen.append(text.verandering(f"Het aantal {naam}", nieuw=int(h.get((soort, schooljaar), 0)), oud=int(h.get((soort, vorig), 0)), eenheid=""))
    zinnen = [z.replace("  ", " ").replace(" .", ".") for z in zinnen]
    return render.heading("Samenvatting", 2) + render.bullets(zinnen)


def vrijstellingen_per_jaar(reg, *, schooljaar: str, gemeente: str | None) -> render.Block:
    """Tabel 2: toegekende vrijstellingen per artikel, three schooljaren."""
    own, frame = beside_region(tb.tabel2, reg, schooljaar=schooljaar, gemeente=gemeente)
    chart = _chart(own.frame, f"{own.titel} — {scope_naam(gemeente)}", "Aantal vrijstellingen")
    return chart + render.table(frame, titel=own.titel, bron=own.bron, uid="tabel2", totaal_rows=())


def vrijstellingen_per_gemeente(reg, *, schooljaar: str, gemeente: str | None) -> render.Block:
    """Bijlage 2 Tabel 1 for the scope, and vrijstellingen per 1.000 leerplichtigen."""
    t = tb.bijlage2_tabel1(reg, schooljaar=schooljaar)
    tab = render.table(scope_rows(t.frame, gemeente), titel=t.titel, bron=t.bron, uid=t.id, highlight_rows=[gemeente] if gemeente else ())
    rate = ind.per_1000(reg["vrijstellingen"], reg["bevolking"], schooljaar=schooljaar)
    frame = rate.set_index("gemeente").rename(
        columns={"vrijstellingen": "Vrijstellingen", "leerplichtigen": "Leerplichtigen (5-17 jaar)", "per_1000": "Per 1.000 leerplichtigen"}
    )
    frame.index.name = None
    styled = frame.assign(**{"Per 1.000 leerplichtigen": frame["Per 1.000 leerplichtigen"].map(lambda v: fmt.getal(v, decimalen=1))})
    rate_tab = render.table(
        styled,
        titel="Vrijstellingen per 1.000 leerplichtigen",
        bron="JVS; CBS StatLine (leerplichtigen)",
        uid="vrijstellingen-per-1000",
        highlight_rows=[gemeente] if gemeente else (),
        totaal_rows=(codes.REGIO,),
    )
    data = rate.rename(columns={"gemeente": "categorie", "per_1000": "aantal"})
    fig, ax = render.new_figure(height=3.0)
    plots.bars_horizontal(data, ax=ax, xlabel="Vrijstellingen per 1.000 leerplichtigen")
    chart = render.figure(fig, titel=f"Vrijstellingen per 1.000 leerplichtigen {schooljaar}", bron="JVS; CBS StatLine")
    return tab + chart + rate_tab


def benchmark(reg, *, schooljaar: str) -> render.Block:
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


def handhaving(reg, *, schooljaar: str, gemeente: str | None) -> render.Block:
    """Grafiek 5 and Bijlage 2 Tabel 2: Halt-interventies and processen-verbaal."""
    own, frame = beside_region(tb.grafiek5, reg, schooljaar=schooljaar, gemeente=gemeente)
    chart = _chart(own.frame, f"{own.titel} — {scope_naam(gemeente)}", "Aantal")
    tab = render.table(frame, titel=own.titel, bron=own.bron, uid="grafiek5", totaal_rows=())
    t = tb.bijlage2_tabel2(reg, schooljaar=schooljaar)
    per_g = render.table(scope_rows(t.frame, gemeente), titel=t.titel, bron=t.bron, uid=t.id, highlight_rows=[gemeente] if gemeente else ())
    hh = reg["handhaving"]
    halt = hh[(hh.schooljaar == schooljaar) & (hh.soort == "halt")]
    if gemeente:
        halt = halt[halt.gemeente == gemeente]
    neg = int((halt.afloop == "negatief").sum())
    zin = render.paragraph(
        f"Van de {fmt.getal(len(halt))} Halt-interventies in {schooljaar} zijn er {fmt.getal(neg)} negatief afgesloten; daarna kan een proces-verbaal volgen."
    )
    return chart + tab + zin + per_g
