"""Hoofdstuk 2 Schoolverzuim — cijfers en resultaten, for the region or one gemeente."""

from __future__ import annotations

import pandas as pd

from lerenwerkt import codes, fmt, plots, render, text
from lerenwerkt import schooljaar as sj
from lerenwerkt import tables as tb
from lerenwerkt.chapters.base import beside_region, scope_naam, scope_rows, titel_blok
from lerenwerkt.indicators import achttienplus, verzuim


def titel(*, schooljaar: str, gemeente: str | None) -> render.Block:
    return titel_blok("Schoolverzuim: cijfers en resultaten", schooljaar=schooljaar, gemeente=gemeente)


def samenvatting(reg, *, schooljaar: str, gemeente: str | None) -> render.Block:
    """Opening text: the year's main changes in the scope."""
    vm = reg["verzuimmeldingen"]
    vorig = sj.shift(schooljaar, -1)
    zinnen = []
    onderwerpen = {
        "absoluut": "Het absoluut verzuim",
        "wettelijk": "Het wettelijk verzuim",
        "luxe": "Het luxe verzuim",
        "overig": "Het overig verzuim",
    }
    has_prev = (vm.schooljaar == vorig).any()
    for soort, onderwerp in onderwerpen.items():
        v = verzuim.verandering(vm, schooljaar=schooljaar, vorig=vorig, gemeente=gemeente, verzuimsoort=soort).iloc[0]
        if has_prev:
            zinnen.append(text.verandering(onderwerp, nieuw=int(v.huidig), oud=int(v.vorig)))
        else:
            zinnen.append(f"{onderwerp}: {fmt.getal(int(v.huidig))} meldingen.")
    return render.heading("Samenvatting", 2) + render.bullets(zinnen)


def _per_jaar_chart(frame: pd.DataFrame, *, titel_: str, hue: bool) -> render.Block:
    long = frame.rename_axis(index="soort", columns="schooljaar").stack().rename("aantal").reset_index()
    fig, ax = render.new_figure()
    plots.bars_per_jaar(long, hue="soort" if hue else None, ax=ax)
    return render.figure(fig, titel=titel_, bron="JVS")


def absoluut(reg, *, schooljaar: str, gemeente: str | None) -> render.Block:
    """Grafiek 2 (absoluut verzuim, three schooljaren) and the 'geen onderwijs' group."""
    own, frame = beside_region(tb.grafiek2, reg, schooljaar=schooljaar, gemeente=gemeente)
    chart = _per_jaar_chart(own.frame, titel_=f"{own.titel} — {scope_naam(gemeente)}", hue=False)
    tab = render.table(frame, titel=own.titel, bron=own.bron, uid="grafiek2")
    vm = reg["verzuimmeldingen"]
    vorig = sj.shift(schooljaar, -1)
    geen = verzuim.verandering(vm, schooljaar=schooljaar, vorig=vorig, gemeente=gemeente, verzuimsoort="absoluut", onderwijssoorten=("geen",)).iloc[0]
    vo = verzuim.verandering(vm, schooljaar=schooljaar, vorig=vorig, gemeente=gemeente, verzuimsoort="absoluut", onderwijssoorten=("vso", "vo")).iloc[0]
    zinnen = [
        text.verandering("Het absoluut verzuim in het voortgezet (speciaal) onderwijs", nieuw=int(vo.huidig), oud=int(vo.vorig)),
        text.verandering(
            "Het absoluut verzuim binnen de groep ‘geen onderwijs’ (jongeren die in Nederland nog geen onderwijs hebben gevolgd)",
            nieuw=int(geen.huidig),
            oud=int(geen.vorig),
        ),
    ]
    return chart + tab + render.bullets(zinnen)


def relatief(reg, *, schooljaar: str, gemeente: str | None) -> render.Block:
    """Grafiek 3: relatief verzuim per soort, three schooljaren."""
    own, frame = beside_region(tb.grafiek3, reg, schooljaar=schooljaar, gemeente=gemeente)
    chart = _per_jaar_chart(own.frame, titel_=f"{own.titel} — {scope_naam(gemeente)}", hue=True)
    return chart + render.table(frame, titel=own.titel, bron=own.bron, uid="grafiek3")


def informatie_advies(reg, *, schooljaar: str, gemeente: str | None) -> render.Block:
    """Grafiek 4: vragen om informatie en advies (not counted in the verzuim totals)."""
    own, frame = beside_region(tb.grafiek4, reg, schooljaar=schooljaar, gemeente=gemeente)
    chart = _per_jaar_chart(own.frame, titel_=f"{own.titel} — {scope_naam(gemeente)}", hue=False)
    return chart + render.table(frame, titel=own.titel, bron=own.bron, uid="grafiek4")


def resultaten(reg, *, schooljaar: str, gemeente: str | None) -> render.Block:
    """Diagram 1 (results as on 31 July) and where absoluut verzuimers ended up."""
    own, frame = beside_region(tb.diagram1, reg, schooljaar=schooljaar, gemeente=gemeente)
    d = own.frame.iloc[:, 0]
    cats = list(codes.RESULTAAT_KOLOM.values())
    data = pd.DataFrame({"categorie": cats, "aantal": [d[c] for c in cats]})
    fig, ax = render.new_figure(height=3.2)
    plots.bars_horizontal(data, ax=ax)
    chart = render.figure(fig, titel=f"{own.titel} — {scope_naam(gemeente)} (totaal {fmt.getal(d[codes.TOTAAL])})", bron="JVS")
    if gemeente is not None:
        frame.columns = [gemeente, codes.REGIO]
    tab = render.table(frame, titel=own.titel, bron="JVS", uid="diagram1")
    overig = (
        f"Van de categorie Overig zijn {fmt.getal(d[codes.RESULTAAT_VERZUIM['verhuisd']])} jongeren verhuisd naar een andere regio, "
        f"zijn er {fmt.getal(d[codes.NOG_IN_BEHANDELING_LABEL])} nog in behandeling en is bij {fmt.getal(d[codes.RESULTAAT_VERZUIM['overig']])} "
        "sprake van een andere afrondingsreden."
    )
    u = verzuim.uitstroom_absoluut(reg["verzuimmeldingen"], schooljaar=schooljaar, gemeente=gemeente)
    totaal = int(u.aantal.sum())
    if totaal:
        items = [f"{fmt.procent(r.aandeel)} {r.label} ({fmt.getal(r.aantal)})" for r in u.itertuples()]
        uitstroom = render.paragraph(f"Aan het eind van het schooljaar, van alle {fmt.getal(totaal)} meldingen absoluut verzuim:") + render.bullets(items)
    else:
        uitstroom = render.paragraph("Er waren dit schooljaar geen meldingen van absoluut verzuim.")
    return chart + tab + render.paragraph(overig) + uitstroom


def achttien_plus(reg, *, schooljaar: str, gemeente: str | None) -> render.Block:
    """Tabel 3 (verzuimmeldingen 18+) and the figures about the jongeren behind them."""
    own, frame = beside_region(tb.tabel3, reg, schooljaar=schooljaar, gemeente=gemeente)
    frame = frame.rename(columns={"meldingen": "Meldingen", "actie_gewenst": "Actie gewenst", "actie_gewenst_pct": "% actie gewenst"})
    pct = [c for c in frame.columns if (c[-1] if isinstance(c, tuple) else c) == "% actie gewenst"]
    tab = render.table(frame, titel=own.titel, bron="JVS", uid="tabel3", pct_columns=pct)
    m = reg["meldingen_18plus"]
    j = achttienplus.jongeren(m, schooljaar=schooljaar, gemeente=gemeente).iloc[0]
    uk = achttienplus.uitkomst(m, schooljaar=schooljaar, gemeente=gemeente)
    t3 = own.frame
    zinnen = []
    if schooljaar in t3.index:
        n, actie = int(t3.loc[schooljaar, "meldingen"]), int(t3.loc[schooljaar, "actie_gewenst"])
        vorig = sj.shift(schooljaar, -1)
        if vorig in t3.index:
            zinnen.append(text.verandering("Het aantal verzuimmeldingen 18+", nieuw=n, oud=int(t3.loc[vorig, "meldingen"])))
        zinnen.append(f"Bij {text.aandeel(actie, n)} van de meldingen gaf de school aan dat actie van het Doorstroompunt gewenst was.")
    zinnen.append(
        f"Het ging om {fmt.getal(j.unieke_jongeren)} unieke jongeren; bij {fmt.getal(j.recidive)} van hen was sprake van herhaald of "
        f"doorlopend verzuim, bij {fmt.procent(j.een_melding_pct)} ({fmt.getal(j.een_melding)}) bleef het bij één melding."
    )
    zinnen.append(f"Bij {fmt.getal(j.twee_keer_geen_actie)} jongeren gaf de school minstens twee keer aan dat geen actie gewenst was.")
    if uk.aantal.sum():
        parts = [f"{fmt.procent(r.aandeel)} {r.label}" for r in uk.itertuples()]
        zinnen.append("Na inzet van de consulent: " + fmt.lijst(parts) + ".")
    return tab + render.bullets(zinnen)


def leerplichttelling(reg, *, schooljaar: str) -> render.Block:
    """The Leerplichttelling benchmark (regional figures, the same for every scope)."""
    t = tb.leerplichttelling(reg, schooljaar=schooljaar)
    frame = t.frame.rename(columns=codes.LPT_INDICATOR)
    pct = [codes.LPT_INDICATOR[c] for c in t.pct_columns]
    return render.table(frame, titel=t.titel, bron=t.bron, uid="leerplichttelling", pct_columns=pct, pct_decimalen=2, totaal_rows=())


def bijlage1(reg, *, schooljaar: str, gemeente: str | None) -> render.Block:
    """Bijlage 1 Tabel 1A–5B: meldingen and results per onderwijssoort, for the scope."""
    out = render.Block("")
    for os_ in codes.ONDERWIJSSOORT:
        for build in (tb.bijlage1_a, tb.bijlage1_b):
            t = build(reg, schooljaar=schooljaar, onderwijssoort=os_)
            frame = scope_rows(t.frame, gemeente)
            out += render.table(
                frame,
                titel=t.titel,
                bron=t.bron,
                uid=t.id,
                highlight_rows=[gemeente] if gemeente else (),
                totaal_rows=(codes.TOTAAL, f"{codes.REGIO} (totaal)"),
            )
    return out
