"""The definitions of the verzuimsoorten and the vrijstelling articles, worded once: the verzuim
chapter, the book and the raadsmededeling (HTML and Word) print these texts, so one label never
has two definitions.

Keys of :data:`VERZUIM` are the codes of :data:`lerenwerkt.codes.VERZUIMSOORT`, plus ``relatief``
(the group of :data:`lerenwerkt.codes.RELATIEF`); keys of :data:`VRIJSTELLING` the articles of
:data:`lerenwerkt.codes.ARTIKEL` (Leerplichtwet). Each text completes "<label>: …".
"""

from __future__ import annotations

import html

from lerenwerkt import codes, render

VERZUIM = {
    "absoluut": "een leer- of kwalificatieplichtige jongere staat niet bij een school of onderwijsinstelling ingeschreven.",
    "relatief": "een ingeschreven leerling is ongeoorloofd afwezig.",
    "wettelijk": "een ingeschreven leerling is in 4 aaneengesloten weken 16 les- of praktijkuren afwezig zonder geldige reden.",
    "langdurig_relatief": "een ingeschreven leerling is meer dan 4 weken aaneengesloten afwezig zonder geldige reden.",
    "luxe": "een leerling gaat zonder toestemming buiten de schoolvakanties op vakantie.",
    "overig": (
        "een leerling is vaak te laat, spijbelt of is enkele uren of dagen met onbekende reden afwezig, minder dan de wettelijke grens van 16 uur in 4 weken."
    ),
    "informatie_advies": (
        "contacten met scholen, ouders, jongeren en andere partijen, zoals vragen over opleidingen of bemiddeling; "
        "deze vragen tellen niet mee in de totalen van het verzuim."
    ),
}

#: The grounds for a vrijstelling of the Leerplichtwet, per article (the report's wording).
VRIJSTELLING = {
    "3a": (
        "vervangende leerplicht voor 14- en 15-jarigen: de jongere volgt naast algemeen vormend en beroepsgericht onderwijs "
        "praktijktijd, arbeid van lichte aard."
    ),
    "3b": (
        "vervangende leerplicht in het laatste volledige leerplichtjaar: de inschrijving bij het voortgezet onderwijs wordt vervangen "
        "door een inschrijving bij het mbo."
    ),
    "5a": "het kind of de jongere kan om lichamelijke of psychische redenen niet naar school of wordt op school niet toegelaten.",
    "5b": "de ouders hebben bedenkingen tegen de richting van het onderwijs op alle scholen binnen redelijke afstand van de woning.",
    "5c": "het kind of de jongere staat ingeschreven bij een school buiten Nederland en bezoekt die school geregeld.",
    "15": "een kwalificatieplichtige jongere krijgt op een andere manier voldoende onderwijs, bijvoorbeeld in een interne bedrijfsopleiding.",
}

#: The label of a definition when no other label is given.
LABEL = {**codes.VERZUIMSOORT, "relatief": "Relatief verzuim"}


def zin(soort: str, label: str | None = None) -> str:
    """'Absoluut verzuim: een leer- of kwalificatieplichtige jongere …' (plain text)."""
    return f"{label or LABEL[soort]}: {VERZUIM[soort]}"


def blok(soort: str) -> render.Block:
    """A definition as a chapter shows it under its heading: the term in italics; relatief
    verzuim with the definitions of its parts as a list."""
    out = render.Block(f"<p><em>{html.escape(LABEL[soort])}</em>: {html.escape(VERZUIM[soort])}</p>")
    if soort == "relatief":
        out += render.paragraph("Het omvat:") + render.bullets([zin(s, LABEL[s].lower()) for s in codes.RELATIEF])
    return out


def vrijstellingen() -> render.Block:
    """The grounds for a vrijstelling as the report lists them, one article a line, before the
    figures per article ('artikel 5 onder b' is never printed without its meaning)."""
    items = "".join(f"<li><em>{html.escape(codes.ARTIKEL[a])}</em>: {html.escape(VRIJSTELLING[a])}</li>" for a in codes.ARTIKEL)
    return render.paragraph("Volgens de Leerplichtwet kan een kind of jongere op deze gronden worden vrijgesteld van de leerplicht:") + render.Block(
        f'<ul class="lw-definities">{items}</ul>'
    )


def verzuimsoorten() -> render.Block:
    """Every verzuimsoort with its definition, in the chapter's order: absoluut, relatief with its
    parts, informatie en advies."""
    return blok("absoluut") + blok("relatief") + blok("informatie_advies")
