"""The raadsmededeling a gemeente sends its council under art. 25 Leerplichtwet, after the
Aalten memo: regional context plus the gemeente's own figures, two schooljaren."""

from __future__ import annotations

from lerenwerkt import codes, fmt, render, text
from lerenwerkt import schooljaar as sj
from lerenwerkt import tables as tb
from lerenwerkt.chapters.base import titel_blok
from lerenwerkt.indicators import achttienplus, verzuim, vrijstellingen

DEFINITIES = [
    "Absoluut verzuim: een leer- of kwalificatieplichtige jongere staat niet bij een school of onderwijsinstelling ingeschreven.",
    "Relatief (wettelijk) verzuim: een ingeschreven leerling is in 4 weken 16 uur met onbekende reden afwezig.",
    "Luxe verzuim: zonder toestemming buiten de schoolvakantie op vakantie.",
    "Overig verzuim: enkele uren of dagen met onbekende reden afwezig (te laat of spijbelen), onder de wettelijke termijn van 16 uur in 4 weken.",
]


def titel(*, schooljaar: str, gemeente: str) -> render.Block:
    return titel_blok(f"Raadsmededeling jaarverslag LerenWerkt {schooljaar}", schooljaar=schooljaar, gemeente=gemeente, soort="concept raadsmededeling")


def aanleiding(*, schooljaar: str, gemeente: str) -> render.Block:
    return render.heading("Aanleiding", 2) + render.paragraph(
        "Op grond van artikel 25 lid 1 van de Leerplichtwet informeert het college jaarlijks de gemeenteraad over het gevoerde beleid "
        "inzake de handhaving van de leer- en kwalificatieplicht en de resultaten daarvan.",
        f"Bijgevoegd is het jaarverslag van LerenWerkt over schooljaar {schooljaar}. LerenWerkt voert voor negen Achterhoekse gemeenten, "
        f"waaronder {gemeente}, de taken van het Doorstroompunt en gedeeltelijk de leer- en kwalificatieplichttaken uit.",
    )


def regionaal(reg, *, schooljaar: str) -> render.Block:
    """Regional developments in a few sentences, all numbers from the register."""
    vm, vr, m18 = reg["verzuimmeldingen"], reg["vrijstellingen"], reg["meldingen_18plus"]
    vorig = sj.shift(schooljaar, -1)
    zinnen = []
    for soort, onderwerp in (
        ("absoluut", "Het absoluut verzuim"),
        ("wettelijk", "Het wettelijk verzuim"),
        ("luxe", "Het luxe verzuim"),
        ("overig", "Het overig verzuim"),
    ):
        v = verzuim.verandering(vm, schooljaar=schooljaar, vorig=vorig, verzuimsoort=soort).iloc[0]
        zinnen.append(text.verandering(f"{onderwerp} in de regio", nieuw=int(v.huidig), oud=int(v.vorig)))
    t = achttienplus.per_jaar(m18, schooljaren=[vorig, schooljaar]).set_index("schooljaar")
    zinnen.append(text.verandering("Het aantal verzuimmeldingen 18+", nieuw=int(t.loc[schooljaar, "meldingen"]), oud=int(t.loc[vorig, "meldingen"])))
    c = vrijstellingen.vrijstellingen(vr, schooljaren=[vorig, schooljaar]).set_index(["artikel", "schooljaar"]).aantal
    for art in ("5a", "5b", "15"):
        zinnen.append(
            text.verandering(
                f"Het aantal vrijstellingen op grond van {codes.ARTIKEL[art].lower()}",
                nieuw=int(c.get((art, schooljaar), 0)),
                oud=int(c.get((art, vorig), 0)),
                eenheid="vrijstellingen",
            )
        )
    return render.heading("Ontwikkelingen in de regio", 2) + render.bullets(zinnen)


def lokaal_verzuim(reg, *, schooljaar: str, gemeente: str) -> render.Block:
    """The memo's five small tables (verzuimsoort × onderwijsniveau × two schooljaren)."""
    t = tb.memo_verzuim(reg, schooljaar=schooljaar, gemeente=gemeente)
    out = render.heading("Lokale ontwikkelingen verzuim", 2)
    zinnen = []
    years = list(t.frame.columns)
    for soort, label in tb.MEMO_SOORT.items():
        rows = [f"{label} | {n}" for n in codes.ONDERWIJSNIVEAU.values()]
        frame = t.frame.loc[rows]
        frame.index = list(codes.ONDERWIJSNIVEAU.values())
        out += render.table(frame, titel=f"{label} — {gemeente}", bron="JVS", uid=f"memo-{soort}", totaal_rows=())
        if len(years) == 2:
            zinnen.append(text.verandering(f"{label} in {gemeente}", nieuw=int(frame[years[1]].sum()), oud=int(frame[years[0]].sum())))
    out += render.bullets(zinnen)
    out += render.paragraph(
        "Een (lokale) toe- of afname van het aantal verzuimmeldingen zegt niet altijd iets over een stijging of daling van verzuim, "
        "maar hangt vaak samen met de aandacht voor verzuimregistratie. Het gaat bovendien om kleine aantallen die van jaar tot jaar schommelen."
    )
    return out + render.bullets(DEFINITIES)


def lokaal_vsv(reg, *, schooljaar: str, gemeente: str) -> render.Block:
    t = tb.memo_vsv(reg, schooljaar=schooljaar, gemeente=gemeente)
    years = list(t.frame.columns)
    tab = render.table(t.frame, titel=f"Voortijdig schoolverlaters — {gemeente}", bron="JVS", uid="memo-vsv")
    zin = ""
    if len(years) == 2:
        zin = text.verandering(
            f"Het aantal nieuwe vsv'ers in {gemeente}", nieuw=int(t.frame.loc["Totaal", years[1]]), oud=int(t.frame.loc["Totaal", years[0]]), eenheid="jongeren"
        )
    in_beh = int(t.frame.loc["In behandeling", years[-1]])
    mon = int(t.frame.loc["Monitoring", years[-1]])
    return (
        render.heading("Lokale ontwikkelingen voortijdig schoolverlaten", 2)
        + tab
        + render.paragraph(
            zin,
            f"Aan het eind van schooljaar {schooljaar} is de consulent nog betrokken bij {fmt.getal(in_beh)} van hen en worden er {fmt.getal(mon)} gemonitord.",
        )
    )
