"""Hoofdstuk 2 Schoolverzuim — cijfers en resultaten, for the region or one gemeente.

Every table comes through the disclosure gate (``publicatie``); text follows the same
suppression and calls a change a rise or fall only when it is significant.
"""

from __future__ import annotations

import pandas as pd

from lerenwerkt import claims, codes, definities, fmt, gate, plots, render, tekstcijfers, text
from lerenwerkt import schooljaar as sj
from lerenwerkt import tables as tb
from lerenwerkt.chapters.base import NOOT_VERSCHIL, beside_region, exposure_blocks, methode_blok, scope_naam, scope_rows, titel_blok, with_change
from lerenwerkt.indicators import achttienplus, rates, verzuim


def titel(*, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    return titel_blok("Schoolverzuim: cijfers en resultaten", schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie)


def definitie(soort: str) -> render.Block:
    """The definition of a verzuimsoort, in the words the raadsmededeling uses too."""
    return definities.blok(soort)


@claims.draft
def samenvatting(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """Opening text: the year's changes in the scope, with tested direction words. The
    numbers are those of Grafiek 2 and 3 as published (the same suppression)."""
    vorig = sj.shift(schooljaar, -1)
    k = gate.drempel(publicatie)
    zinnen = []
    onderwerpen = {
        "Absoluut verzuim": "Het absoluut verzuim",
        "Wettelijk verzuim": "Het wettelijk verzuim",
        "Luxe verzuim": "Het luxe verzuim",
        "Overig verzuim": "Het overig verzuim",
    }
    for build in (tb.grafiek2, tb.grafiek3):
        t = gate.publish(build, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=gemeente)
        raw = build(reg, schooljaar=schooljaar, gemeente=gemeente).frame
        spreiding = claims.spreiding_tabel(build, reg, schooljaar=schooljaar)
        for row, onderwerp in onderwerpen.items():
            if row not in raw.index or schooljaar not in raw.columns:
                continue
            nieuw = int(raw.at[row, schooljaar])
            if vorig not in raw.columns:
                zinnen.append(f"{onderwerp}: {text.aantal_eenheid(nieuw, 'meldingen', drempel=k)}.")
                continue
            hidden = (False, False)
            if t.onderdrukt is not None:
                hidden = (bool(t.onderdrukt.at[row, vorig]), bool(t.onderdrukt.at[row, schooljaar]))
            zinnen.append(
                text.verandering(
                    onderwerp,
                    nieuw=nieuw,
                    oud=int(raw.at[row, vorig]),
                    jaren=(vorig, schooljaar),
                    drempel=k,
                    verborgen=hidden,
                    spreiding=spreiding.get(row),
                    exposure=claims.leerplichtigen(reg, schooljaar=schooljaar, gemeente=gemeente),
                )
            )
    return render.heading("Samenvatting", 2) + render.bullets(zinnen)


def _per_jaar_chart(frame: pd.DataFrame, *, titel_: str, hue: bool) -> render.Block:
    long = frame.rename_axis(index="soort", columns="schooljaar").stack(future_stack=True).rename("aantal").reset_index()
    fig, ax = render.new_figure()
    plots.bars_per_jaar(long, hue="soort" if hue else None, ax=ax, interval=not hue)
    return render.figure(fig, titel=titel_, bron="JVS" + ("; lijn: 95%-interval van een telling" if plots.heeft_interval(ax) else ""))


def _per_jaar_section(build, reg, *, schooljaar, gemeente, publicatie, uid, hue) -> tuple[render.Block, tb.Tabel]:
    own, frame, mask = beside_region(build, reg, schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie)
    chart = _per_jaar_chart(own.frame, titel_=f"{own.titel} — {scope_naam(gemeente)}", hue=hue)
    spreiding = claims.spreiding_tabel(build, reg, schooljaar=schooljaar)
    tab = render.table(
        with_change(frame, mask=mask, spreiding=spreiding, exposure=exposure_blocks(reg, schooljaar=schooljaar, gemeente=gemeente)),
        titel=own.titel,
        bron=own.bron,
        uid=uid,
        onderdrukt=mask,
        noot=NOOT_VERSCHIL,
        totaal_rows=(),
    )
    return chart + tab, own


@claims.draft
def absoluut(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """Grafiek 2 (absoluut verzuim, three schooljaren) and the 'geen onderwijs' group."""
    block, _ = _per_jaar_section(tb.grafiek2, reg, schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie, uid="grafiek2", hue=False)
    vm = reg["verzuimmeldingen"]
    vorig = sj.shift(schooljaar, -1)
    k = gate.drempel(publicatie)
    geen = verzuim.verandering(vm, schooljaar=schooljaar, vorig=vorig, gemeente=gemeente, verzuimsoort="absoluut", onderwijssoorten=("geen",)).iloc[0]
    vo = verzuim.verandering(vm, schooljaar=schooljaar, vorig=vorig, gemeente=gemeente, verzuimsoort="absoluut", onderwijssoorten=("vso", "vo")).iloc[0]
    # each year's count is checked against the edition that publishes it: last year's count
    # against last year's edition (printing a count that edition withheld gave it back)
    hide_vo = tuple(_hidden_in_bijlage1(reg, j, gemeente, publicatie, ("vso", "vo")) for j in (vorig, schooljaar))
    hide_geen = tuple(_hidden_in_bijlage1(reg, j, gemeente, publicatie, ("geen",)) for j in (vorig, schooljaar))
    zinnen = [
        text.verandering(
            "Het absoluut verzuim in het voortgezet (speciaal) onderwijs",
            nieuw=int(vo.huidig),
            oud=int(vo.vorig),
            jaren=(vorig, schooljaar),
            drempel=k,
            verborgen=hide_vo,
            spreiding=claims.spreiding_records(vm[(vm.verzuimsoort == "absoluut") & vm.onderwijssoort.isin(["vso", "vo"])], schooljaar=schooljaar),
            exposure=claims.leerplichtigen(reg, schooljaar=schooljaar, gemeente=gemeente),
        ),
        text.verandering(
            "Het absoluut verzuim binnen de groep ‘geen onderwijs’ (jongeren die in Nederland nog geen onderwijs hebben gevolgd)",
            nieuw=int(geen.huidig),
            oud=int(geen.vorig),
            jaren=(vorig, schooljaar),
            drempel=k,
            verborgen=hide_geen,
            spreiding=claims.spreiding_records(vm[(vm.verzuimsoort == "absoluut") & (vm.onderwijssoort == "geen")], schooljaar=schooljaar),
            exposure=claims.leerplichtigen(reg, schooljaar=schooljaar, gemeente=gemeente),
        ),
    ]
    if gemeente is not None:
        zinnen.append(
            "Grafiek 2 telt alle meldingen absoluut verzuim, ook die van jongeren die nog geen onderwijs volgden; "
            "de raadsmededeling laat die weg (zie de noot daar)."
        )
    return block + render.bullets(zinnen)


def _hidden_in_bijlage1(reg, schooljaar, gemeente, publicatie, soorten) -> bool:
    """Would the absoluut-verzuim figure of ``schooljaar`` reveal a Bijlage 1 cell that the
    edition of that schooljaar withholds in the scope?"""
    if publicatie != "openbaar" or not (reg["verzuimmeldingen"].schooljaar == schooljaar).any():
        return False
    row = gemeente or codes.TOTAAL
    for os_ in soorten:
        t = gate.publish(tb.bijlage1_a, reg, publicatie=publicatie, schooljaar=schooljaar, onderwijssoort=os_)
        if t.onderdrukt is not None and bool(t.onderdrukt.at[row, codes.VERZUIMSOORT["absoluut"]]):
            return True
    return False


@claims.draft
def relatief(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """Grafiek 3: relatief verzuim per soort, three schooljaren."""
    return _per_jaar_section(tb.grafiek3, reg, schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie, uid="grafiek3", hue=True)[0]


@claims.draft
def informatie_advies(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """Grafiek 4: vragen om informatie en advies (not counted in the verzuim totals)."""
    return _per_jaar_section(tb.grafiek4, reg, schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie, uid="grafiek4", hue=False)[0]


def per_gemeente(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """Verzuimmeldingen (without informatie en advies) per 1.000 leerplichtigen per gemeente,
    with exact Poisson intervals, and a funnel plot against the regional rate."""
    vm = reg["verzuimmeldingen"]
    r = rates.per_1000(vm[vm.verzuimsoort != "informatie_advies"], reg["bevolking"], schooljaar=schooljaar)
    verborgen = [g for g in codes.GEMEENTEN if _total_hidden(tb.diagram1, reg, schooljaar, g, publicatie)]
    r = r.assign(**{c: r[c].where(~r.gemeente.isin(verborgen)) for c in ("aantal", "per_1000", "ci_laag", "ci_hoog")})
    fig, ax = render.new_figure(height=3.6)
    plots.funnel(r, highlight=gemeente, ax=ax, ylabel="Meldingen per 1.000 leerplichtigen", verborgen=verborgen)
    from lerenwerkt.chapters.base import leerplichtigen_label

    noemer = leerplichtigen_label(reg, schooljaar=schooljaar)
    ax.set_xlabel(noemer)
    chart = render.figure(fig, titel=f"Verzuimmeldingen per 1.000 leerplichtigen per gemeente {schooljaar} (funnelplot)", bron="JVS; CBS StatLine")
    chart += render.paragraph(plots.funnel_bijschrift(r))
    return chart + rate_table(r, titel="Verzuimmeldingen per 1.000 leerplichtigen", uid="verzuim-per-1000", gemeente=gemeente, noemer=noemer)


def _total_hidden(builder, reg, schooljaar, gemeente, publicatie) -> bool:
    """Is the scope's total (the numerator of its rate) withheld in the publication?"""
    t = gate.publish(builder, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=gemeente)
    return t.onderdrukt is not None and bool(t.onderdrukt.loc[codes.TOTAAL].any())


def rate_table(r: pd.DataFrame, *, titel: str, uid: str, gemeente: str | None, noemer: str) -> render.Block:
    """Rates per gemeente; a withheld count (NaN) shows as the suppression symbol. ``noemer``:
    the denominator's label with its source and peildatum (:func:`leerplichtigen_label`)."""
    frame = r.set_index("gemeente")
    frame.index.name = None
    mask = frame.isna()
    frame = frame.assign(**{c: frame[c].map(lambda v: fmt.getal(v, decimalen=1)) for c in ("per_1000", "ci_laag", "ci_hoog")})
    names = {
        "aantal": "Aantal",
        "leerplichtigen": noemer,
        "per_1000": "Per 1.000",
        "ci_laag": "95%-interval laag",
        "ci_hoog": "95%-interval hoog",
    }
    frame, mask = frame.rename(columns=names), mask.rename(columns=names)
    return render.table(
        frame,
        titel=titel,
        bron="JVS; CBS StatLine",
        uid=uid,
        highlight_rows=[gemeente] if gemeente else (),
        totaal_rows=(codes.REGIO,),
        onderdrukt=mask if mask.to_numpy().any() else None,
        noot="Per 1.000 leerplichtigen; het interval is het exacte 95%-Poisson-interval: kleine gemeenten hebben brede intervallen.",
    )


def resultaten(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """Diagram 1 (results as on 31 July) and where absoluut verzuimers ended up."""
    own, frame, mask = beside_region(tb.diagram1, reg, schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie)
    d = own.frame.iloc[:, 0]
    delen = _overig_delen()
    cats = [c for k in codes.RESULTAAT_KOLOM.values() for c in (k, *(delen if k == OVERIG else ()))]
    data = pd.DataFrame({"categorie": [_waarvan(c) for c in cats], "aantal": [d[c] for c in cats]})
    fig, ax = render.new_figure(height=3.2)
    plots.bars_horizontal(data, ax=ax)
    chart = render.figure(fig, titel=f"{own.titel} — {scope_naam(gemeente)} (totaal {_n(d[codes.TOTAAL])})", bron="JVS")
    if gemeente is not None:
        frame.columns = [gemeente, codes.REGIO]
        if mask is not None:
            mask.columns = [gemeente, codes.REGIO]
    frame = frame.rename(index=_waarvan)
    mask = mask.rename(index=_waarvan) if mask is not None else None
    tab = render.table(frame, titel=own.titel, bron="JVS", uid="diagram1", onderdrukt=mask, noot=f"Waarvan: de delen van {OVERIG}.")
    overig = tekstcijfers.zin("diagram1_overig", reg, schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie)
    # shares only of counts the publication shows (catalogue entry uitstroom_absoluut)
    u = gate.publish(tb.uitstroom_absoluut, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=gemeente)
    raw = tb.uitstroom_absoluut(reg, schooljaar=schooljaar, gemeente=gemeente).frame.aantal
    totaal = int(raw.sum())
    k = gate.drempel(publicatie)
    open_ = u.onderdrukt is None or not u.onderdrukt.aantal.any()
    if totaal and open_ and (k is None or totaal >= k):
        items = [f"{fmt.procent(100.0 * n / totaal)} {label}" + ("" if k else f" ({fmt.getal(n)})") for label, n in raw.items()]
        uitstroom = render.paragraph(
            f"Aan het eind van het schooljaar, van alle {text.aantal_eenheid(totaal, 'meldingen', drempel=k)} absoluut verzuim:"
        ) + render.bullets(items)
    elif totaal:
        # the total is Grafiek 2's cell of the year: printed only when Grafiek 2 publishes it
        # (a reviewer's LP took 62 − 45 − 8 − 5 = 4 from this sentence beside a withheld cell)
        g2 = gate.publish(tb.grafiek2, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=gemeente).onderdrukt
        verborgen = g2 is not None and schooljaar in g2.columns and bool(g2[schooljaar].any())
        uitstroom = render.paragraph(
            f"Er {text.werkwoord(1 if verborgen else totaal, 'was', 'waren')} "
            f"{text.aantal_eenheid(totaal, 'meldingen', drempel=k, verborgen=verborgen)} van absoluut verzuim; te weinig om uitkomsten te tonen."
        )
    else:
        uitstroom = render.paragraph("Er waren dit schooljaar geen meldingen van absoluut verzuim.")
    return chart + tab + render.paragraph(overig) + uitstroom


def _any_hidden(t: tb.Tabel, rows, cols) -> bool:
    """Is any of these cells of a published table withheld?"""
    if t.onderdrukt is None:
        return False
    m = t.onderdrukt
    return any(bool(m.at[r, c]) for r in rows for c in cols if r in m.index and c in m.columns)


OVERIG = codes.RESULTAAT_KOLOM["overig_totaal"]


def _overig_delen() -> list[str]:
    """Diagram 1's rows that are parts of Overig (verhuisd, nog in behandeling, andere reden)."""
    return [codes.NOG_IN_BEHANDELING_LABEL if k == codes.NOG_IN_BEHANDELING else codes.RESULTAAT_VERZUIM[k] for k in codes.RESULTAAT_OVERIG_DELEN]


def _waarvan(label: str) -> str:
    """A part of Overig shown as such: 'waarvan verhuisd …', indented under Overig."""
    return f"{plots.WAARVAN}{label}" if label in _overig_delen() else label


def _n(value) -> str:
    """A table number in text; a suppressed (NaN) cell is not published."""
    from lerenwerkt.disclosure import rules

    return rules().tekst_onderdrukt if pd.isna(value) else fmt.getal(value)


@claims.draft
def achttien_plus(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """Tabel 3 (verzuimmeldingen 18+) and the figures about the jongeren behind them."""
    own, frame, mask = beside_region(tb.tabel3, reg, schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie)
    names = {"meldingen": "Meldingen", "actie_gewenst": "Actie gewenst", "actie_gewenst_pct": "% actie gewenst"}
    frame = frame.rename(columns=names)
    if mask is not None:
        mask = mask.rename(columns=names)
    pct = [c for c in frame.columns if (c[-1] if isinstance(c, tuple) else c) == "% actie gewenst"]
    tab = render.table(frame, titel=own.titel, bron="JVS", uid="tabel3", pct_columns=pct, onderdrukt=mask, totaal_rows=())
    m = reg["meldingen_18plus"]
    k = gate.drempel(publicatie)
    uk = achttienplus.uitkomst(m, schooljaar=schooljaar, gemeente=gemeente)
    per = achttienplus.per_jaar(m, schooljaren=[sj.shift(schooljaar, -1), schooljaar], gemeente=gemeente).set_index("schooljaar")
    zinnen = []
    n, actie = int(per.loc[schooljaar, "meldingen"]), int(per.loc[schooljaar, "actie_gewenst"])
    vorig = sj.shift(schooljaar, -1)
    if (m.schooljaar == vorig).any():
        zinnen.append(
            text.verandering(
                "Het aantal verzuimmeldingen 18+",
                nieuw=n,
                oud=int(per.loc[vorig, "meldingen"]),
                jaren=(vorig, schooljaar),
                eenheid="meldingen",
                drempel=k,
                verborgen=(_any_hidden(own, [vorig], ["meldingen"]), _any_hidden(own, [schooljaar], ["meldingen"])),
                spreiding=claims.spreiding_records(m, schooljaar=schooljaar),
            )
        )
        zinnen.append(
            text.aandeel_verandering(
                "Het aandeel meldingen waarbij de school actie van het Doorstroompunt gewenst vond",
                k_nieuw=actie,
                n_nieuw=n,
                k_oud=int(per.loc[vorig, "actie_gewenst"]),
                n_oud=int(per.loc[vorig, "meldingen"]),
                jaren=(vorig, schooljaar),
                drempel=k,
                p=claims.aandeel_p(m if gemeente is None else m[m.gemeente == gemeente], kolom="actie_gewenst", jaren=(vorig, schooljaar)),
            )
            if not _any_hidden(own, [schooljaar, vorig], ["meldingen", "actie_gewenst"])
            else f"Het aandeel meldingen waarbij de school actie gewenst vond in {vorig} en in {schooljaar}: geen vergelijking, een aantal is {text.BESCHERMD}."
        )
    # text figures N057 and N053–N059 (lerenwerkt.tekstcijfers): the jongeren are withheld together
    scope = {"schooljaar": schooljaar, "gemeente": gemeente, "publicatie": publicatie}
    zinnen.append(tekstcijfers.zin("N057", reg, **scope))
    zinnen.append(tekstcijfers.zin("jongeren_18plus", reg, **scope))
    if not tekstcijfers.evalueer("N059", reg, **scope).onderdrukt:
        zinnen.append(tekstcijfers.zin("N059", reg, **scope))
    parts = text.aandelen([(r.label, int(r.aantal)) for r in uk.itertuples()], int(uk.aantal.sum()), drempel=k)
    if parts:
        zinnen.append("Na inzet van de consulent: " + parts + ".")
    elif uk.aantal.sum():
        zinnen.append("Wat er na inzet van de consulent gebeurde: te kleine aantallen om te publiceren.")
    return tab + render.bullets(zinnen)


@claims.draft
def methode(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """The method note: what 'steeg' means and how many comparisons this draft makes."""
    return methode_blok()


def leerplichttelling(reg, *, schooljaar: str, publicatie: str = "intern") -> render.Block:
    """The Leerplichttelling benchmark (public regional figures, the same for every scope)."""
    t = tb.leerplichttelling(reg, schooljaar=schooljaar)
    frame = t.frame.rename(columns=codes.LPT_INDICATOR)
    pct = [codes.LPT_INDICATOR[c] for c in t.pct_columns]
    return render.table(frame, titel=t.titel, bron=t.bron, uid="leerplichttelling", pct_columns=pct, pct_decimalen=2, totaal_rows=())


def bijlage1(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """Bijlage 1 Tabel 1A–5B: meldingen and results per onderwijssoort, for the scope."""
    out = render.Block("")
    for os_ in codes.ONDERWIJSSOORT:
        for build in (tb.bijlage1_a, tb.bijlage1_b):
            t = gate.publish(build, reg, publicatie=publicatie, schooljaar=schooljaar, onderwijssoort=os_)
            frame = scope_rows(t.frame, gemeente)
            mask = scope_rows(t.onderdrukt, gemeente) if t.onderdrukt is not None else None
            out += render.table(
                frame,
                titel=t.titel,
                bron=t.bron,
                uid=t.id,
                highlight_rows=[gemeente] if gemeente else (),
                totaal_rows=(codes.TOTAAL, f"{codes.REGIO} (totaal)"),
                onderdrukt=mask,
            )
    return out
