"""Code lists of the data contract and their Dutch display labels.

The single source for every closed list: schemas validate against these, indicators
order by them, tables and text label with them. Order of each mapping = display order.
"""

from __future__ import annotations

import re
import unicodedata

GEMEENTEN: tuple[str, ...] = (
    "Aalten",
    "Berkelland",
    "Bronckhorst",
    "Doesburg",
    "Doetinchem",
    "Montferland",
    "Oost Gelre",
    "Oude IJsselstreek",
    "Winterswijk",
)
#: The region's name in reports (all nine gemeenten).
REGIO = "LerenWerkt"
#: Row label of a regional total in the published tables.
TOTAAL = "Totaal"

ONDERWIJSSOORT = {
    "sbo": "(speciaal) basisonderwijs",
    "vso": "(voortgezet) speciaal onderwijs",
    "vo": "voortgezet onderwijs",
    "mbo": "middelbaar beroepsonderwijs",
    "geen": "geen onderwijs",
}
#: The memo's three levels. "Voortgezet onderwijs" = vo + (v)so: the Aalten memo's
#: vo figures equal Bijlage 1 Tabel 2A + 3A (published README § 3.1).
ONDERWIJSNIVEAU = {
    "po": "Primair onderwijs",
    "vo": "Voortgezet onderwijs",
    "mbo": "Middelbaar beroepsonderwijs",
}
ONDERWIJSSOORT_NAAR_NIVEAU = {"sbo": "po", "vso": "vo", "vo": "vo", "mbo": "mbo"}

VERZUIMSOORT = {
    "absoluut": "Absoluut verzuim",
    "wettelijk": "Wettelijk verzuim",
    "langdurig_relatief": "Langdurig relatief verzuim",
    "luxe": "Luxe verzuim",
    "overig": "Overig verzuim",
    "informatie_advies": "Informatie en advies",
}
#: Relatief verzuim per the report's definitions (Hoofdstuk 2).
RELATIEF = ("wettelijk", "langdurig_relatief", "luxe", "overig")

RESULTAAT_VERZUIM = {
    "naar_school": "(Terug) naar school",
    "dagbesteding": "Dagbesteding met schoolinschrijving",
    "langdurige_hulpverlening": "Langdurige hulpverlening",
    "time_out": "Time-out voorziening",
    "vrijstelling": "Vrijstelling",
    "werk": "(Tijdelijk) werk",
    "overdracht_dsp": "Overdracht naar DSP",
    "verhuisd": "verhuisd naar een andere regio",
    "overig": "andere afrondingsreden",
}
#: Not a code in the data: a melding still open on 31 July of the schooljaar.
NOG_IN_BEHANDELING = "nog_in_behandeling"
NOG_IN_BEHANDELING_LABEL = "nog in behandeling"
#: Diagram 1 / Bijlage 1 B result columns; "Overig" = verhuisd + nog in behandeling +
#: andere afrondingsreden (data contract, reporting rules; Diagram 1 callout).
RESULTAAT_KOLOM = {
    "naar_school": "(Terug) naar school",
    "dagbesteding": "Dagbesteding met schoolinschrijving",
    "langdurige_hulpverlening": "Langdurige hulpverlening",
    "time_out": "Time-out voorziening",
    "vrijstelling": "Vrijstelling",
    "werk": "(Tijdelijk) werk",
    "overdracht_dsp": "Overdracht naar DSP",
    "overig_totaal": "Overig",
}
RESULTAAT_OVERIG_DELEN = ("verhuisd", NOG_IN_BEHANDELING, "overig")

#: Where absoluut verzuimers are at the end of the schooljaar (Hoofdstuk 2: "65% weer
#: ingeschreven bij een school, 14% verhuisd, 9% nog absoluut verzuimer, 8% 18 jaar
#: geworden en overgedragen aan het Doorstroompunt, 4% vrijstelling, hulpverlening of werk").
#: Dagbesteding *met schoolinschrijving* and a time-out voorziening keep a school
#: enrolment, so they count as "weer ingeschreven".
UITSTROOM_ABSOLUUT = {
    "ingeschreven": ("weer ingeschreven bij een school", ("naar_school", "dagbesteding", "time_out")),
    "verhuisd": ("verhuisd naar een andere regio", ("verhuisd",)),
    "nog_verzuimer": ("nog absoluut verzuimer", (NOG_IN_BEHANDELING,)),
    "overdracht_dsp": ("18 jaar en overgedragen aan het Doorstroompunt", ("overdracht_dsp",)),
    "overig": (
        "vrijstelling, hulpverlening, werk of anders",
        ("vrijstelling", "langdurige_hulpverlening", "werk", "overig"),
    ),
}

ARTIKEL = {
    "3a": "Artikel 3a",
    "3b": "Artikel 3b",
    "5a": "Artikel 5 onder a",
    "5b": "Artikel 5 onder b",
    "5c": "Artikel 5 onder c",
    "15": "Artikel 15",
}
HANDHAVING_SOORT = {
    "halt": "Halt-interventies",
    "pv_luxe": "Processen-verbaal luxe verzuim",
    "pv_verzuim": "Processen-verbaal absoluut en relatief verzuim",
}
HALT_AFLOOP = ("positief", "negatief")

ONDERWIJSSOORT_18PLUS = {"vo": "vo", "vso": "vso", "mbo": "mbo", "vavo": "vavo"}
UITKOMST_18PLUS = {
    "voortgezet": "opleiding gecontinueerd",
    "gestopt": "gestopt met de opleiding",
    "overstap": "andere opleiding of school",
    "uit_beeld": "uit beeld",
}

ONDERWIJSSOORT_VSV = {"vo": "vo", "vavo": "vavo", "mbo": "mbo", "pro": "pro", "vso": "vso"}
REDEN_UITVAL = {
    "werken": "wil werken",
    "verkeerde_opleidingskeuze": "verkeerde opleidingskeuze",
    "medische_problematiek": "(medische) problematiek",
    "overig": "overig",
    "onbekend": "onbekend",
}
VSV_STATUS = {"in_behandeling": "In behandeling", "monitoring": "Monitoring", "afgerond": "Afgerond"}
VSV_RESULTAAT_MONITORING = {
    "werk_kortdurend": "Werk - kortdurend",
    "werk_6mnd": "Werk - langdurig - 6 mnd+",
    "werk_12mnd": "Werk - langdurig - 12 mnd+",
    "werk_interne_opleiding": "Werk + interne opleiding",
    "werk_loonkostensubsidie": "Werk + Loonkostensubsidie",
    "zzp": "ZZP/Zelfstandig ondernemer",
    "wacht_op_inkomen": "Wacht op inkomen",
    "wacht_op_inschrijving": "Wacht op inschrijving",
    "school": "School (gerelateerd)",
    "participatiewet": "Participatiewet",
    "wajong": "Wajong",
    "dagbesteding": "Dagbesteding",
    "hulpverlening": "Hulpverlening",
    "niet_bereikbaar": "Niet bereikbaar/ongemotiveerd",
    "overig": "Overig",
}
VSV_RESULTAAT_AFGEROND = {
    "school": "School (gerelateerd)",
    "geen_doelgroep": "Geen doelgroep meer",
    "startkwalificatie": "Startkwalificatie behaald",
    "overig": "Overig",
}
ZP_AANLEIDING = {
    "kans_op_uitval": "kans op uitval",
    "negatief_studieadvies": "negatief studieadvies",
    "verkeerde_studiekeuze": "verkeerde studiekeuze",
    "geen_stage": "geen stage",
    "geen_bbl_leerbaan": "geen BBL-leerbaan",
    "advies": "adviserende rol",
}
ZP_UITKOMST = {"schooluitval": "schooluitval", "terug_naar_school": "terug naar school", "overig": "overig"}

# extern/
LPT_REGIO = ("Achterhoek", "IJssel-Vecht", "Kop van Noord-Holland", "Noord- en Midden-Drenthe", "Landelijk")
LPT_INDICATOR = {
    "n_leer_kwalificatieplichtigen": "Leer- en kwalificatieplichtigen",
    "absoluut_verzuim_pct": "Absoluut verzuim",
    "relatief_verzuim_pct": "Relatief verzuim",
    "langdurig_relatief_verzuim_pct": "Langdurig relatief verzuim",
    "vrijstelling_art15_pct": "Vrijstelling art. 15",
    "vrijstelling_5a_pct": "Vrijstelling 5 onder a",
    "vrijstelling_5b_pct": "Vrijstelling 5 onder b",
    "vrijstelling_5c_pct": "Vrijstelling 5 onder c",
}
DUO_GEBIED = ("Achterhoek", "Landelijk")
DUO_ONDERWIJSSOORT = ("vo", "vavo", "mbo", "totaal")
JIKP_STARTPOSITIE = {"pro": "Praktijkonderwijs", "vso": "Vso", "vmbo_bb": "Vmbo-basis", "entree": "Entree"}
JIKP_MEETMOMENT = (0, 1, 3, 5)
JIKP_DAGINVULLING = {
    "mbo_1": "mbo niveau 1",
    "mbo_2_plus": "mbo niveau 2 of hoger",
    "onderwijs_overig": "overig onderwijs",
    "werk": "werk",
    "uitkering": "uitkering",
    "werk_en_uitkering": "werk en uitkering",
    "geen_van_beide": "geen van beide / niet in beeld",
}
SCHOOLLOCATIE_ONDERWIJSSOORT = ("sbo", "vso", "vo", "mbo")
SCHOOLLOCATIE_LOCATIE = ("binnen_gemeente", "binnen_regio", "buiten_regio")


def slug(name: str | None) -> str:
    """File-system name of a scope: ``None`` (the region) -> ``lerenwerkt``.

    >>> slug("Oude IJsselstreek")
    'oude-ijsselstreek'
    >>> slug(None)
    'lerenwerkt'
    """
    if name is None or name == REGIO:
        return REGIO.lower()
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def gemeente_from_slug(value: str) -> str | None:
    """Inverse of :func:`slug`; accepts a slug or the exact name. Region -> ``None``."""
    for g in GEMEENTEN:
        if value in (g, slug(g)):
            return g
    if value.lower() in (REGIO.lower(), "regio", "all"):
        return None
    raise ValueError(f"gemeente: onbekende waarde {value!r}; verwacht een van {', '.join(GEMEENTEN)} of {REGIO}")


#: Bijlage 1 numbers its tables per onderwijssoort: Tabel 1A/1B (speciaal) basisonderwijs,
#: 2A/2B (voortgezet) speciaal onderwijs, 3 voortgezet onderwijs, 4 mbo, 5 'geen onderwijs'.
BIJLAGE1_NUMMER = {"sbo": 1, "vso": 2, "vo": 3, "mbo": 4, "geen": 5}
