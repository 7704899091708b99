"""The definitions of the verzuimsoorten, worded once: the verzuim chapter and the
raadsmededeling (HTML and Word) print these texts, so one label never has two definitions.

Keys are the codes of :data:`lerenwerkt.codes.VERZUIMSOORT`, plus ``relatief`` (the group of
:data:`lerenwerkt.codes.RELATIEF`). Each text completes "<label>: …".
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
