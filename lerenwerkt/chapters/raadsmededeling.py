"""The raadsmededeling a gemeente sends its council under art. 25 Leerplichtwet, after the
Aalten memo: regional context plus the gemeente's own figures, two schooljaren.

A raadsmededeling is sent out, so it is published ``openbaar`` by default: small numbers are
suppressed in its tables and text alike, and a change is called a rise or fall only when it
is significant.
"""

from __future__ import annotations

from lerenwerkt import claims, codes, definities, fmt, gate, render, text
from lerenwerkt import schooljaar as sj
from lerenwerkt import tables as tb
from lerenwerkt.chapters.base import cell_text, methode_blok, titel_blok
from lerenwerkt.indicators import achttienplus, vrijstellingen

#: The memo's definitions: the verzuim chapter's texts (lerenwerkt.definities) under the memo's labels.
DEFINITIES = [definities.zin(soort, label) for soort, label in tb.MEMO_SOORT.items()]


def titel(*, schooljaar: str, gemeente: str, publicatie: str = "openbaar") -> render.Block:
    return titel_blok(
        f"Raadsmededeling jaarverslag LerenWerkt {schooljaar}", schooljaar=schooljaar, gemeente=gemeente, soort="concept raadsmededeling", publicatie=publicatie
    )


def aanleiding(*, schooljaar: str, gemeente: str, publicatie: str = "openbaar") -> render.Block:
    return render.heading("Aanleiding", 2) + render.paragraph(
        "Op grond van artikel 25 lid 1 van de Leerplichtwet informeert het college jaarlijks de gemeenteraad over het gevoerde beleid "
        "inzake de handhaving van de leer- en kwalificatieplicht en de resultaten daarvan.",
        f"Bijgevoegd is het jaarverslag van LerenWerkt over schooljaar {schooljaar}. LerenWerkt voert voor negen Achterhoekse gemeenten, "
        f"waaronder {gemeente}, de taken van het Doorstroompunt en gedeeltelijk de leer- en kwalificatieplichttaken uit.",
    )


@claims.draft
def regionaal(reg, *, schooljaar: str, gemeente: str | None = None, publicatie: str = "openbaar") -> render.Block:
    """Regional developments in a few sentences, all numbers from the register, directions tested."""
    vr, m18 = reg["vrijstellingen"], reg["meldingen_18plus"]
    vorig = sj.shift(schooljaar, -1)
    k = gate.drempel(publicatie)
    zinnen = []
    for build in (tb.grafiek2, tb.grafiek3):
        t = gate.publish(build, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=None)
        raw = build(reg, schooljaar=schooljaar, gemeente=None).frame
        if vorig not in raw.columns:
            continue
        for row in raw.index:
            if row == codes.VERZUIMSOORT["langdurig_relatief"]:
                continue
            hidden = (False, False) if t.onderdrukt is None else (bool(t.onderdrukt.at[row, vorig]), bool(t.onderdrukt.at[row, schooljaar]))
            zinnen.append(
                text.verandering(
                    f"Het {row[0].lower() + row[1:]} in de regio",
                    nieuw=int(raw.at[row, schooljaar]),
                    oud=int(raw.at[row, vorig]),
                    jaren=(vorig, schooljaar),
                    drempel=k,
                    verborgen=hidden,
                    spreiding=claims.spreiding_tabel(build, reg, schooljaar=schooljaar).get(row),
                    exposure=claims.leerplichtigen(reg, schooljaar=schooljaar, gemeente=None),
                )
            )
    t = achttienplus.per_jaar(m18, schooljaren=[vorig, schooljaar]).set_index("schooljaar")
    t3 = gate.publish(tb.tabel3, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=None)  # the region's Tabel 3, as published
    m3 = t3.onderdrukt
    zinnen.append(
        text.verandering(
            "Het aantal verzuimmeldingen 18+",
            nieuw=int(t.loc[schooljaar, "meldingen"]),
            oud=int(t.loc[vorig, "meldingen"]),
            jaren=(vorig, schooljaar),
            eenheid="meldingen",
            drempel=k,
            verborgen=tuple(m3 is not None and j in m3.index and bool(m3.at[j, "meldingen"]) for j in (vorig, schooljaar)),
            spreiding=claims.spreiding_records(m18, schooljaar=schooljaar),
        )
    )
    c = vrijstellingen.vrijstellingen(vr, schooljaren=[vorig, schooljaar]).set_index(["artikel", "schooljaar"]).aantal
    t2 = gate.publish(tb.tabel2, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=None)
    for art in ("5a", "5b", "15"):
        m, rij = t2.onderdrukt, codes.ARTIKEL[art]
        hidden = tuple(bool(m.at[rij, j]) if m is not None and rij in m.index and j in m.columns else False for j in (vorig, schooljaar))
        zinnen.append(
            text.verandering(
                f"Het aantal vrijstellingen op grond van {codes.ARTIKEL[art].lower()}",
                nieuw=int(c.get((art, schooljaar), 0)),
                oud=int(c.get((art, vorig), 0)),
                jaren=(vorig, schooljaar),
                eenheid="vrijstellingen",
                drempel=k,
                verborgen=hidden,
                spreiding=claims.spreiding_records(vr[vr.artikel == art], schooljaar=schooljaar),
                exposure=claims.leerplichtigen(reg, schooljaar=schooljaar, gemeente=None),
            )
        )
    return render.heading("Ontwikkelingen in de regio", 2) + render.bullets(zinnen)


@claims.draft
def lokaal_verzuim(reg, *, schooljaar: str, gemeente: str, publicatie: str = "openbaar") -> render.Block:
    """The memo's five small tables (verzuimsoort × onderwijsniveau × two schooljaren)."""
    t = gate.publish(tb.memo_verzuim, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=gemeente)
    raw = tb.memo_verzuim(reg, schooljaar=schooljaar, gemeente=gemeente).frame
    k = gate.drempel(publicatie)
    vm = reg["verzuimmeldingen"]
    out = render.heading("Lokale ontwikkelingen verzuim", 2)
    zinnen = []
    years = list(t.frame.columns)
    for soort, label in tb.MEMO_SOORT.items():
        rows = [f"{label} | {n}" for n in codes.ONDERWIJSNIVEAU.values()]
        frame = t.frame.loc[rows]
        mask = t.onderdrukt.loc[rows] if t.onderdrukt is not None else None
        frame.index = list(codes.ONDERWIJSNIVEAU.values())
        if mask is not None:
            mask.index = frame.index
        noot = _noot_definitie(reg, soort=soort, schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie)
        # flat row labels: the Word memo (memo_docx) copies this HTML table cell by cell, without rowspans
        out += render.table(frame, titel=f"{label} — {gemeente}", bron="JVS", uid=f"memo-{soort}", totaal_rows=(), onderdrukt=mask, noot=noot, stapel=False)
        if len(years) == 2:
            # a sum over niveaus would reveal a withheld cell: no total in text then
            hidden = (bool(mask[years[0]].any()), bool(mask[years[1]].any())) if mask is not None else (False, False)
            zinnen.append(
                text.verandering(
                    f"{label} in {gemeente}",
                    nieuw=int(raw.loc[rows, years[1]].sum()),
                    oud=int(raw.loc[rows, years[0]].sum()),
                    jaren=(years[0], years[1]),
                    drempel=k,
                    verborgen=hidden,
                    spreiding=claims.spreiding_records(vm[(vm.verzuimsoort == soort) & vm.onderwijsniveau.notna()], schooljaar=schooljaar),
                    exposure=claims.leerplichtigen(reg, schooljaar=schooljaar, gemeente=gemeente),
                )
            )
    out += render.bullets(zinnen)
    out += render.paragraph(
        "Een (lokale) toe- of afname van het aantal verzuimmeldingen zegt niet altijd iets over een stijging of daling van verzuim, "
        "maar hangt vaak samen met de aandacht voor verzuimregistratie. Het gaat bovendien om kleine aantallen die van jaar tot jaar schommelen: "
        "‘steeg’ of ‘daalde’ beschrijft alleen de getallen, en of het verschil groter is dan toeval kan verklaren staat er steeds apart bij."
    )
    return out + render.bullets(DEFINITIES)


#: Where the memo's count of a verzuimsoort sits in the chapters (Grafiek 2, 3, 4 of the gemeente).
GRAFIEK_VAN = {"absoluut": tb.grafiek2, "wettelijk": tb.grafiek3, "luxe": tb.grafiek3, "overig": tb.grafiek3, "informatie_advies": tb.grafiek4}


def _noot_definitie(reg, *, soort: str, schooljaar: str, gemeente: str, publicatie: str = "openbaar") -> str:
    """One label, one definition: when the memo's figure differs from the chapter's figure
    with the same label (the memo leaves out jongeren who did not yet follow education), say
    so and by how much — the number only when both figures it follows from are published."""
    build = GRAFIEK_VAN[soort]
    rij = codes.VERZUIMSOORT[soort]
    memo = gate.publish(tb.memo_verzuim, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=gemeente)
    raw_memo = tb.memo_verzuim(reg, schooljaar=schooljaar, gemeente=gemeente).frame
    graf = gate.publish(build, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=gemeente)
    raw_graf = build(reg, schooljaar=schooljaar, gemeente=gemeente).frame
    rows = [f"{tb.MEMO_SOORT[soort]} | {n}" for n in codes.ONDERWIJSNIVEAU.values()]
    delen = []
    for y in raw_memo.columns:
        if y not in raw_graf.columns:
            continue
        verschil = int(raw_graf.at[rij, y]) - int(raw_memo.loc[rows, y].sum())
        hidden = (memo.onderdrukt is not None and bool(memo.onderdrukt.loc[rows, y].any())) or (
            graf.onderdrukt is not None and bool(graf.onderdrukt.at[rij, y])
        )
        if gate.drempel(publicatie) is not None:
            # openbaar: whether the note appears follows the published figures only; "0 or not 0"
            # of a withheld difference would pin withheld cells to 1 … k−1 (issue 20, item 3)
            verschil = float(graf.frame.at[rij, y]) - float(memo.frame.loc[rows, y].sum()) if not hidden else float("nan")
            hidden = hidden or not verschil > 0  # after rounding the published difference can be ≤ 0
            if verschil == 0:
                continue
        elif verschil == 0:
            continue
        delen.append(f"{y}: {'een niet gepubliceerd aantal' if hidden else fmt.getal(verschil)}")
    if not delen:
        return ""
    return (
        f"Exclusief meldingen van jongeren die nog geen onderwijs volgden ({'; '.join(delen)}); in Hoofdstuk 2 (Grafiek "
        f"{'2' if soort == 'absoluut' else '4' if soort == 'informatie_advies' else '3'}) en Bijlage 1 zijn die wel meegeteld."
    )


@claims.draft
def lokaal_vsv(reg, *, schooljaar: str, gemeente: str, publicatie: str = "openbaar") -> render.Block:
    t = gate.publish(tb.memo_vsv, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=gemeente)
    raw = tb.memo_vsv(reg, schooljaar=schooljaar, gemeente=gemeente).frame
    k = gate.drempel(publicatie)
    years = list(t.frame.columns)
    tab = render.table(t.frame, titel=f"Voortijdig schoolverlaters — {gemeente}", bron="JVS", uid="memo-vsv", onderdrukt=t.onderdrukt)
    zin = ""
    if len(years) == 2:
        hidden = (False, False) if t.onderdrukt is None else (bool(t.onderdrukt.at["Totaal", years[0]]), bool(t.onderdrukt.at["Totaal", years[1]]))
        zin = text.verandering(
            f"Het aantal nieuwe vsv'ers in {gemeente}",
            nieuw=int(raw.loc["Totaal", years[1]]),
            oud=int(raw.loc["Totaal", years[0]]),
            jaren=(years[0], years[1]),
            eenheid="jongeren",
            drempel=k,
            verborgen=hidden,
            spreiding=claims.spreiding_records(reg["vsv_trajecten"], schooljaar=schooljaar),
        )
    last = years[-1]
    return (
        render.heading("Lokale ontwikkelingen voortijdig schoolverlaten", 2)
        + tab
        + render.paragraph(
            zin,
            f"Aan het eind van schooljaar {schooljaar} is de consulent nog betrokken bij {cell_text(t, 'In behandeling', last, drempel=k)} van hen "
            f"en worden er {cell_text(t, 'Monitoring', last, drempel=k)} gemonitord.",
        )
    )


@claims.draft
def methode(reg, *, schooljaar: str, gemeente: str, publicatie: str = "openbaar") -> render.Block:
    """The method note: what 'steeg' means and how many comparisons this memo makes."""
    return methode_blok()
