"""The figures of the running text, declared as data: one :class:`Tekstcijfer` per figure.

A text figure is not code but an entry:

- ``id``: the figure's number in the published report (``N015``), or a name for figures that
  only the editorial texts use (``informatie_advies``); ``naam``: the name an editorial text
  uses for it (``{{ absoluut_verzuim }}``, :mod:`lerenwerkt.teksten`);
- ``sjabloon``: the Dutch sentence it stands in, with ``{waarde}`` for the figure (and
  ``{aantal}`` for the count behind a share, ``{N0xx}`` for another figure, ``{schooljaar}``,
  ``{vorig_schooljaar}``, ``{voorvorig_schooljaar}``, ``{gebied}``, ``{gebied_hoofdletter}``);
- ``cellen`` (and ``basis``): what it is computed from — cells of catalogue tables
  (:class:`CelRef`), or, for the few figures that no table shows, a named indicator count
  (:class:`Maat`);
- ``bewerking``: one of a small set of named operations on those sources (:data:`BEWERKINGEN`:
  ``cel``, ``som``, ``aandeel``, ``verandering``, ``daling``);
- ``scopes`` and a one-sentence ``definitie``; ``groep`` and ``ook`` for protection (below).

A template states a figure, never a direction: whether a change is called 'steeg' or
'daalde' is decided by the tested sentences of :mod:`lerenwerkt.text` and :mod:`lerenwerkt.claims`.

:func:`evalueer` computes one figure for a scope and publication, with disclosure control:
in ``openbaar`` a figure is withheld when one of its cells is withheld in the protected
publication (:mod:`lerenwerkt.publication`), a count below the threshold is never printed, a
share needs a publishable part *and* rest, a change needs two publishable counts, and the
figures of one ``groep`` (counts of one unlinked total, e.g. the jongeren behind the 18+
meldingen) are withheld together; a :class:`Maat` also goes with the table cells that count
(nearly) the same records (``ook``). :func:`zin` renders a sentence from those entries;
``tables.tekst`` and ``gate`` loop over :data:`TEKSTCIJFERS` for ``cells.csv``.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from lerenwerkt import codes, fmt
from lerenwerkt import schooljaar as sj
from lerenwerkt.indicators import achttienplus
from lerenwerkt.indicators import vsv as ind_vsv
from lerenwerkt.indicators.common import pct_change, share

Bewerking = Literal["cel", "som", "aandeel", "verandering", "daling"]
Scopes = Literal["regio", "regio+gemeenten", "gemeenten"]

#: The operations a text figure may use, with what they mean (``deel`` = the sum of
#: ``cellen``, ``basis`` = the sum of ``basis``).
BEWERKINGEN: dict[str, str] = {
    "cel": "de waarde van één cel",
    "som": "de som van de cellen",
    "aandeel": "100 × deel / basis (procent)",
    "verandering": "100 × (deel − basis) / basis: de verandering in procent (basis = het eerdere jaar)",
    "daling": "100 × (basis − deel) / basis: de daling in procent",
}
PERCENTAGES = frozenset({"aandeel", "verandering", "daling"})


# ---------------------------------------------------------------- sources
@dataclass(frozen=True)
class CelRef:
    """A cell of a catalogue table that a text figure shows or is computed from.

    In ``rij`` and ``kolom``, ``S`` / ``V`` / ``VV`` stand for the edition's schooljaar, the one
    before and the one before that, and ``G`` for the scope's row of a per-gemeente table (the
    gemeente, or Totaal for the region). ``editie``: the edition the table belongs to (``V`` =
    last year's, e.g. last year's Bijlage 1)."""

    entry: str
    rij: str
    kolom: str = "S"
    scope: str | None = None  # kept for compatibility: the scope is the figure's scope
    editie: str = "S"

    def jaar(self, schooljaar: str) -> str:
        return _jaar(self.editie, schooljaar)

    def labels(self, schooljaar: str, gemeente: str | None = None) -> tuple[str, str]:
        """The (rij, kolom) labels in the table of this edition's schooljaar."""

        def resolve(x: str) -> str:
            if x == "G":
                return gemeente or codes.TOTAAL
            return _jaar(x, schooljaar) if x in ("S", "V", "VV") else x

        return resolve(self.rij), resolve(self.kolom)


@dataclass(frozen=True)
class Maat:
    """A count that no published table shows, from a named indicator function
    (:data:`MATEN`): e.g. the unique jongeren behind the 18+ meldingen. In openbaar it is
    protected on its own (threshold), with its figure's ``groep``, and with the table cells
    that count (nearly) the same records (the figure's ``ook``: nieuwe vsv'ers = Tabel 4
    Totaal); it is not a cell of the linked tables."""

    naam: str
    sleutel: str = ""
    editie: str = "S"


Bron = CelRef | Maat


def _jaar(code: str, schooljaar: str) -> str:
    return {"S": schooljaar, "V": sj.shift(schooljaar, -1), "VV": sj.shift(schooljaar, -2)}[code]


def jongeren_18plus(reg, *, schooljaar: str, gemeente: str | None, sleutel: str) -> int:
    """Unique jongeren behind the 18+ meldingen (``unieke_jongeren``, ``recidive``,
    ``een_melding``, ``twee_keer_geen_actie``)."""
    return int(achttienplus.jongeren(reg["meldingen_18plus"], schooljaar=schooljaar, gemeente=gemeente).iloc[0][sleutel])


def uitkomst_18plus(reg, *, schooljaar: str, gemeente: str | None, sleutel: str) -> int:
    """18+ meldingen with inzet van de consulent and a recorded uitkomst: of one uitkomst, or all ('')."""
    u = achttienplus.uitkomst(reg["meldingen_18plus"], schooljaar=schooljaar, gemeente=gemeente).set_index("uitkomst").aantal
    return int(u.sum() if not sleutel else u.get(sleutel, 0))


def reden_uitval(reg, *, schooljaar: str, gemeente: str | None, sleutel: str) -> int:
    """Nieuwe vsv'ers of the schooljaar who gave this reason for leaving."""
    r = ind_vsv.reden_uitval(reg["vsv_trajecten"], schooljaar=schooljaar, gemeente=gemeente).set_index("reden_uitval").aantal
    return int(r.get(sleutel, 0))


def nieuwe_vsvers(reg, *, schooljaar: str, gemeente: str | None, sleutel: str = "") -> int:
    """Nieuwe vsv'ers: meldingen van schooluitschrijving in the schooljaar."""
    return int(ind_vsv.nieuwe_vsvers(reg["vsv_trajecten"], schooljaar=schooljaar, vorig=sj.shift(schooljaar, -1), gemeente=gemeente).iloc[0].huidig)


def kort_na_18(reg, *, schooljaar: str, gemeente: str | None, sleutel: str = "") -> int:
    """Vsv'ers in beeld, 18 at the melding, uitgeschreven within a month of turning 18."""
    return int(ind_vsv.kort_na_18(reg["vsv_trajecten"], reg["vsv_status_eind"], schooljaar=schooljaar, gemeente=gemeente))


#: The named indicator counts a :class:`Maat` may use.
MATEN: dict[str, Callable[..., int]] = {f.__name__: f for f in (jongeren_18plus, uitkomst_18plus, reden_uitval, nieuwe_vsvers, kort_na_18)}


# ---------------------------------------------------------------- the entry
@dataclass(frozen=True)
class Tekstcijfer:
    """One figure of the running text: declared once, computed by :func:`evalueer`."""

    id: str
    sjabloon: str
    cellen: tuple[Bron, ...]
    definitie: str
    bewerking: Bewerking = "cel"
    basis: tuple[Bron, ...] = ()
    jaar: str = "S"  # the schooljaar the figure is about (its cells.csv column): S or V
    scopes: Scopes = "regio+gemeenten"
    naam: str | None = None  # the name an editorial text uses: {{ naam }}
    groep: str | None = None  # figures withheld together (counts of one total that no table links)
    anders: str | None = None  # the sentence when the figure is withheld (default: the rules' wording in place)
    ook: tuple[CelRef, ...] = ()  # table cells that count (nearly) the same records as a Maat: withheld with them

    @property
    def percentage(self) -> bool:
        return self.bewerking in PERCENTAGES

    @property
    def bronnen(self) -> tuple[Bron, ...]:
        return self.cellen + self.basis + self.ook

    @property
    def rapport(self) -> bool:
        """A figure of the published report (an N-number), exported to cells.csv."""
        return bool(re.fullmatch(r"N\d{3}", self.id))


# ---------------------------------------------------------------- the declarations
_ABS, _WET, _OV, _LUX, _LR, _IA = (codes.VERZUIMSOORT[k] for k in ("absoluut", "wettelijk", "overig", "luxe", "langdurig_relatief", "informatie_advies"))
_NIEUW, _OUD = "Nieuwe vsv'ers", "Oud vsv'ers"  # tables.vsv.NIEUW / OUD (checked in tests)
_T6_SCHOOL, _T6_START = "School (gerelateerd)", "Startkwalificatie behaald"  # tables.vsv.TABEL6_RIJ
_ZP_GESTART, _ZP_AFGESLOTEN = "Gestart", "Afgesloten"  # tables.vsv.ZP_GESTART / ZP_AFGESLOTEN


def _per_jaar(rij: str, jaar: str = "S") -> CelRef:
    entry = {_ABS: "grafiek2_absoluut_verzuim", _IA: "grafiek4_informatie_advies"}.get(rij, "grafiek3_relatief_verzuim")
    return CelRef(entry, rij, jaar)


def _b1(onderwijssoort: str, editie: str = "S") -> CelRef:
    """Absoluut verzuim of one onderwijssoort in Bijlage 1 (the scope's row)."""
    return CelRef(f"bijlage1_tabel{codes.BIJLAGE1_NUMMER[onderwijssoort]}a", "G", _ABS, editie=editie)


def _uit(k: str) -> CelRef:
    return CelRef("uitstroom_absoluut", codes.UITSTROOM_ABSOLUUT[k][0], "aantal")


def _d1(k: str) -> CelRef:
    label = codes.NOG_IN_BEHANDELING_LABEL if k == codes.NOG_IN_BEHANDELING else codes.RESULTAAT_VERZUIM[k]
    return CelRef("diagram1_resultaten", label)


def _t2(artikel: str, jaar: str = "S") -> CelRef:
    return CelRef("tabel2_vrijstellingen", codes.ARTIKEL[artikel], jaar)


def _g5(soort: str, jaar: str = "S") -> CelRef:
    return CelRef("grafiek5_handhaving", codes.HANDHAVING_SOORT[soort], jaar)


def _t3(kolom: str, jaar: str = "S") -> CelRef:
    return CelRef("tabel3_verzuim_18plus", jaar, kolom)


def _t4(status: str | None = None, editie: str = "S") -> CelRef:
    return CelRef("tabel4_status_nieuwe_vsv", "G", codes.VSV_STATUS[status] if status else codes.TOTAAL, editie=editie)


def _t7(status: str | None = None) -> CelRef:
    return CelRef("tabel7_status_oud_vsv", "G", codes.VSV_STATUS[status] if status else codes.TOTAAL)


def _zp(rij: str) -> CelRef:
    return CelRef("zorg_preventie", rij, "Aantal")


def _route(editie: str = "S") -> tuple[CelRef, ...]:
    """Nieuwe vsv'ers on a route back to school (indicators.vsv.ROUTE_TERUG): Tabel 5 and 6 cells."""
    return (
        CelRef("tabel5_monitoring", codes.VSV_RESULTAAT_MONITORING["school"], _NIEUW, editie=editie),
        CelRef("tabel5_monitoring", codes.VSV_RESULTAAT_MONITORING["wacht_op_inschrijving"], _NIEUW, editie=editie),
        CelRef("tabel6_afgerond", _T6_SCHOOL, _NIEUW, editie=editie),
        CelRef("tabel6_afgerond", _T6_START, _NIEUW, editie=editie),
    )


_JONG = {k: Maat("jongeren_18plus", k) for k in ("unieke_jongeren", "recidive", "een_melding", "twee_keer_geen_actie")}
_VO = (_b1("vso"), _b1("vo"))
_VO_V = (_b1("vso", "V"), _b1("vo", "V"))

_VERZUIM = {  # key -> (N-id this year, N-id last year, the name in texts, label)
    "absoluut": ("N015", "N014", "absoluut_verzuim", _ABS, "meldingen absoluut verzuim"),
    "wettelijk": ("N027", "N026", "wettelijk_verzuim", _WET, "meldingen wettelijk verzuim"),
    "overig": ("N029", "N028", "overig_verzuim", _OV, "meldingen overig verzuim"),
    "luxe": ("N031", "N030", "luxe_verzuim", _LUX, "meldingen luxe verzuim"),
    "langdurig_relatief": (None, None, "langdurig_relatief_verzuim", _LR, "meldingen langdurig relatief verzuim"),
    "informatie_advies": (None, None, "informatie_advies", _IA, "vragen om informatie en advies"),
}
_VRIJSTELLING = {"3a": ("N035", None), "3b": ("N036", None), "5a": ("N038", "N037"), "5b": ("N040", "N039"), "5c": ("N042", "N041"), "15": ("N044", "N043")}
_HANDHAVING = {"halt": (None, None, "Halt-interventies"), "pv_luxe": (None, None, "processen-verbaal luxe verzuim"), "pv_verzuim": ("N046", "N045", None)}


def _per_jaar_figuren() -> list[Tekstcijfer]:
    """Counts per schooljaar shown in Grafiek 2–5 and Tabel 2 (this year and last year)."""
    out = []
    for _k, (n_s, n_v, naam, rij, label) in _VERZUIM.items():
        for nid, jaar, sfx in ((n_s, "S", ""), (n_v, "V", "_vorig")):
            wanneer = "in {schooljaar}" if jaar == "S" else "in {vorig_schooljaar}"
            out.append(
                Tekstcijfer(
                    nid or f"{naam}{sfx}",
                    f"In {{gebied}} waren er {wanneer} {{waarde}} {label}.",
                    (_per_jaar(rij, jaar),),
                    f"Aantal {label} met datum melding in het schooljaar, alle onderwijssoorten.",
                    jaar=jaar,
                    naam=f"{naam}{sfx}",
                )
            )
    for artikel, (n_s, n_v) in _VRIJSTELLING.items():
        label = f"vrijstellingen op grond van {codes.ARTIKEL[artikel].lower()}"
        naam = f"vrijstellingen_{artikel}" if artikel != "3b" else None
        for nid, jaar, sfx in ((n_s, "S", ""), (n_v, "V", "_vorig")):
            if nid is None and naam is None:
                continue
            wanneer = "in {schooljaar}" if jaar == "S" else "in {vorig_schooljaar}"
            out.append(
                Tekstcijfer(
                    nid or f"{naam}{sfx}",
                    f"{{gebied_hoofdletter}} kende {wanneer} {{waarde}} {label}.",
                    (_t2(artikel, jaar),),
                    f"Toegekende {label} met datum ingang in het schooljaar.",
                    jaar=jaar,
                    naam=f"{naam}{sfx}" if naam else None,
                )
            )
    for soort, (n_s, n_v, label) in _HANDHAVING.items():
        label = label or codes.HANDHAVING_SOORT[soort][0].lower() + codes.HANDHAVING_SOORT[soort][1:]
        naam = {"halt": "halt_interventies", "pv_luxe": "processen_verbaal_luxe", "pv_verzuim": "processen_verbaal_verzuim"}[soort]
        for nid, jaar, sfx in ((n_s, "S", ""), (n_v, "V", "_vorig")):
            wanneer = "in {schooljaar}" if jaar == "S" else "in {vorig_schooljaar}"
            out.append(
                Tekstcijfer(
                    nid or f"{naam}{sfx}",
                    f"In {{gebied}} waren er {wanneer} {{waarde}} {label}.",
                    (_g5(soort, jaar),),
                    f"Aantal {label} in het schooljaar.",
                    jaar=jaar,
                    naam=f"{naam}{sfx}",
                )
            )
    return out


def _verzuim_figuren() -> list[Tekstcijfer]:
    T = Tekstcijfer
    abs_s, abs_v = _per_jaar(_ABS), _per_jaar(_ABS, "V")
    out = [
        T(
            "N016",
            "Het absoluut verzuim: {waarde} ten opzichte van {vorig_schooljaar}.",
            (abs_s,),
            "Verandering van het aantal meldingen absoluut verzuim ten opzichte van het vorige schooljaar, in procent.",
            bewerking="verandering",
            basis=(abs_v,),
        ),
        T(
            "N017",
            "Afname van het absoluut verzuim in het voortgezet (speciaal) onderwijs ten opzichte van {vorig_schooljaar}: {waarde}.",
            _VO,
            "Daling van het aantal meldingen absoluut verzuim in vo en vso (Bijlage 1 Tabel 2A en 3A) ten opzichte van het vorige schooljaar, in procent.",
            bewerking="daling",
            basis=_VO_V,
        ),
        T(
            "N018",
            "In {vorig_schooljaar} {waarde?was|waren} er {waarde|melding|meldingen} absoluut verzuim van jongeren die nog geen onderwijs volgden.",
            (_b1("geen", "V"),),
            "Meldingen absoluut verzuim in de groep ‘geen onderwijs’ (Bijlage 1 Tabel 5A) van het vorige schooljaar.",
            jaar="V",
        ),
        T(
            "N019",
            "In {schooljaar} {waarde?was|waren} er {waarde|melding|meldingen} absoluut verzuim van jongeren die nog geen onderwijs volgden.",
            (_b1("geen"),),
            "Meldingen absoluut verzuim in de groep ‘geen onderwijs’ (Bijlage 1 Tabel 5A).",
        ),
    ]
    for nid, k in (("N021", "ingeschreven"), ("N022", "verhuisd"), ("N023", "nog_verzuimer"), ("N024", "overdracht_dsp"), ("N025", "overig")):
        label = codes.UITSTROOM_ABSOLUUT[k][0]
        out.append(
            T(
                nid,
                f"Van alle meldingen absoluut verzuim is aan het eind van het schooljaar {{waarde}} {label}.",
                (_uit(k),),
                f"Aandeel van de meldingen absoluut verzuim van het schooljaar dat op 31 juli ‘{label}’ is.",
                bewerking="aandeel",
                basis=(abs_s,),
            )
        )
    for nid, k, zin in (
        ("N032", "verhuisd", "Van de categorie Overig {waarde?is|zijn} {waarde|jongere|jongeren} verhuisd naar een andere regio."),
        ("N033", codes.NOG_IN_BEHANDELING, "Van de categorie Overig zijn er {waarde} nog in behandeling."),
        ("N034", "overig", "Van de categorie Overig is bij {waarde} sprake van een andere afrondingsreden."),
    ):
        out.append(T(nid, zin, (_d1(k),), "Verzuimmeldingen van het schooljaar met dit resultaat op 31 juli (Diagram 1, categorie Overig)."))
    meld_s, meld_v, meld_vv, actie_s = _t3("meldingen"), _t3("meldingen", "V"), _t3("meldingen", "VV"), _t3("actie_gewenst")
    jong = "jongeren_18plus"
    out += [
        T(
            "N050",
            "Er waren {waarde} verzuimmeldingen van jongeren van 18 jaar en ouder.",
            (meld_s,),
            "Verzuimmeldingen 18+ in het schooljaar (Tabel 3).",
            naam="verzuim_18plus",
        ),
        T(
            "verzuim_18plus_vorig",
            "In {vorig_schooljaar} waren er {waarde} verzuimmeldingen 18+.",
            (meld_v,),
            "Verzuimmeldingen 18+ in het vorige schooljaar.",
            jaar="V",
            naam="verzuim_18plus_vorig",
        ),
        T(
            "N051",
            "Het aantal verzuimmeldingen 18+: {waarde} ten opzichte van {vorig_schooljaar}.",
            (meld_s,),
            "Verandering van het aantal verzuimmeldingen 18+ ten opzichte van het vorige schooljaar, in procent.",
            bewerking="verandering",
            basis=(meld_v,),
        ),
        T(
            "N052",
            "Het aantal verzuimmeldingen 18+: {waarde} ten opzichte van {voorvorig_schooljaar}.",
            (meld_s,),
            "Verandering van het aantal verzuimmeldingen 18+ ten opzichte van twee schooljaren eerder, in procent.",
            bewerking="verandering",
            basis=(meld_vv,),
        ),
        T(
            "N053",
            "Het ging om {waarde} unieke jongeren.",
            (_JONG["unieke_jongeren"],),
            "Unieke jongeren met een verzuimmelding 18+ in het schooljaar.",
            groep=jong,
        ),
        T(
            "N054",
            "Bij {waarde|jongere|jongeren} was sprake van herhaald of doorlopend verzuim.",
            (_JONG["recidive"],),
            "Jongeren met meer dan één verzuimmelding 18+ in het schooljaar.",
            groep=jong,
        ),
        T(
            "N055",
            "Bij {waarde} ({aantal}) van de jongeren bleef het bij één melding.",
            (_JONG["een_melding"],),
            "Aandeel van de unieke jongeren 18+ met precies één melding.",
            bewerking="aandeel",
            basis=(_JONG["unieke_jongeren"],),
            groep=jong,
        ),
        T(
            "N056",
            "Bij {waarde|jongere|jongeren} bleef het bij één melding.",
            (_JONG["een_melding"],),
            "Unieke jongeren 18+ met precies één melding.",
            groep=jong,
        ),
        T(
            "N057",
            "Bij {waarde} ({aantal}) van de meldingen gaf de school aan dat actie van het Doorstroompunt gewenst was.",
            (actie_s,),
            "Aandeel van de verzuimmeldingen 18+ waarbij de school actie van het Doorstroompunt gewenst vond (Tabel 3).",
            bewerking="aandeel",
            basis=(meld_s,),
        ),
        T(
            "N058",
            "Bij {waarde|melding|meldingen} gaf de school aan dat actie van het Doorstroompunt gewenst was.",
            (actie_s,),
            "Verzuimmeldingen 18+ waarbij de school actie gewenst vond (Tabel 3).",
            naam="verzuim_18plus_actie",
        ),
        T(
            "verzuim_18plus_actie_vorig",
            "In {vorig_schooljaar} gaf de school bij {waarde|melding|meldingen} aan dat actie gewenst was.",
            (_t3("actie_gewenst", "V"),),
            "Verzuimmeldingen 18+ van het vorige schooljaar waarbij de school actie gewenst vond.",
            jaar="V",
            naam="verzuim_18plus_actie_vorig",
        ),
        T(
            "N059",
            "Bij {waarde|jongere|jongeren} gaf de school minstens twee keer aan dat geen actie gewenst was.",
            (_JONG["twee_keer_geen_actie"],),
            "Unieke jongeren 18+ met minstens twee meldingen ‘geen actie gewenst’.",
            groep=jong,
        ),
    ]
    for nid, k in (("N060", "voortgezet"), ("N061", "gestopt"), ("N062", "overstap")):
        label = codes.UITKOMST_18PLUS[k]
        out.append(
            T(
                nid,
                f"Na inzet van de consulent: {{waarde}} {label}.",
                (Maat("uitkomst_18plus", k),),
                f"Aandeel ‘{label}’ van de meldingen 18+ met inzet van de consulent en een vastgelegde uitkomst.",
                bewerking="aandeel",
                basis=(Maat("uitkomst_18plus"),),
                groep="uitkomst_18plus",
            )
        )
    return out


def _vsv_figuren() -> list[Tekstcijfer]:
    T = Tekstcijfer
    nieuw, nieuw_v = Maat("nieuwe_vsvers"), Maat("nieuwe_vsvers", editie="V")
    out = [
        T(
            "N079",
            "{waarde|nieuwe vsv'er|nieuwe vsv'ers} {waarde?is|zijn} weer op een route terug naar school begeleid.",
            _route(),
            "Nieuwe vsv'ers die op 31 juli afgerond zijn met school of een startkwalificatie, of gemonitord worden met school of wachtend op inschrijving (Tabel 5 en 6).",
            bewerking="som",
        ),
        T(
            "N080",
            "{waarde} van de nieuwe vsv'ers is weer op een route terug naar school begeleid.",
            _route(),
            "Aandeel van de nieuwe vsv'ers op een route terug naar school.",
            bewerking="aandeel",
            basis=(nieuw,),
            ook=(_t4(),),
            anders="Hoeveel nieuwe vsv'ers weer op een route terug naar school zijn begeleid: te kleine aantallen om te publiceren.",
        ),
        T(
            "N081",
            "Vorig schooljaar was dat {waarde}.",
            _route("V"),
            "Aandeel van de nieuwe vsv'ers van het vorige schooljaar op een route terug naar school.",
            bewerking="aandeel",
            basis=(nieuw_v,),
            ook=(_t4(editie="V"),),
            jaar="V",
        ),
        T(
            "N082",
            "Er {waarde?was|waren} {waarde|nieuwe vsv'er|nieuwe vsv'ers} (meldingen van schooluitschrijving).",
            (nieuw,),
            "Nieuwe vsv'ers: meldingen van schooluitschrijving in het schooljaar.",
            ook=(_t4(),),
        ),
        T(
            "N083",
            "Afname van het aantal nieuwe vsv'ers ten opzichte van {vorig_schooljaar}: {waarde}.",
            (nieuw,),
            "Daling van het aantal nieuwe vsv'ers ten opzichte van het vorige schooljaar, in procent.",
            bewerking="daling",
            basis=(nieuw_v,),
            ook=(_t4(), _t4(editie="V")),
        ),
    ]
    for nid, k, label in (
        ("N084", "werken", "wil werken"),
        ("N085", "verkeerde_opleidingskeuze", "maakte een verkeerde opleidingskeuze"),
        ("N086", "medische_problematiek", "ervaart (medische) problematiek"),
    ):
        out.append(
            T(
                nid,
                f"Van de nieuwe vsv'ers {label}: {{waarde}}.",
                (Maat("reden_uitval", k),),
                f"Aandeel van de nieuwe vsv'ers met reden van uitval ‘{label}’.",
                bewerking="aandeel",
                basis=(nieuw,),
                ook=(_t4(),),
                groep="reden_uitval",
            )
        )
    out += [
        T(
            "nieuwe_vsvers",
            "Er {waarde?was|waren} {waarde|nieuwe vsv'er|nieuwe vsv'ers} met een status op 31 juli.",
            (_t4(),),
            "Nieuwe vsv'ers met een status op 31 juli (Tabel 4).",
            naam="nieuwe_vsvers",
        ),
        T(
            "N087",
            "Aan het eind van het schooljaar is de consulent nog betrokken bij {waarde|nieuwe vsv'er|nieuwe vsv'ers}.",
            (_t4("in_behandeling"),),
            "Nieuwe vsv'ers in behandeling op 31 juli (Tabel 4).",
            naam="nieuwe_vsvers_in_behandeling",
        ),
        T(
            "N088",
            "{waarde|nieuwe vsv'er|nieuwe vsv'ers} {waarde?wordt|worden} gemonitord.",
            (_t4("monitoring"),),
            "Nieuwe vsv'ers met status monitoring op 31 juli (Tabel 4).",
            naam="nieuwe_vsvers_monitoring",
        ),
        T(
            "N089",
            "Van {waarde|nieuwe vsv'er|nieuwe vsv'ers} is de begeleiding gestart én afgesloten.",
            (_t4("afgerond"),),
            "Nieuwe vsv'ers met status afgerond op 31 juli (Tabel 4).",
            naam="nieuwe_vsvers_afgerond",
        ),
        T(
            "N091",
            "In totaal zijn aan het einde van het schooljaar {waarde|vsv'er|vsv'ers} in beeld bij het Doorstroompunt.",
            (_t4("in_behandeling"), _t4("monitoring"), _t7("in_behandeling"), _t7("monitoring")),
            "Nieuwe en oud-vsv'ers in behandeling of in monitoring op 31 juli (Tabel 4 en 7).",
            bewerking="som",
        ),
        T(
            "N096",
            "Er {waarde?is|zijn} {waarde|oud-vsv'er|oud-vsv'ers}.",
            (_t7(),),
            "Oud-vsv'ers (uitgeschreven vanaf 2020-2021 tot het schooljaar) met een status op 31 juli (Tabel 7).",
            naam="oud_vsvers",
        ),
        T(
            "N097",
            "{waarde|oud-vsv'er|oud-vsv'ers} {waarde?wordt|worden} nog begeleid door een consulent.",
            (_t7("in_behandeling"),),
            "Oud-vsv'ers in behandeling op 31 juli (Tabel 7).",
            naam="oud_vsvers_in_behandeling",
        ),
        T(
            "N098",
            "{waarde|oud-vsv'er|oud-vsv'ers} {waarde?wordt|worden} gemonitord.",
            (_t7("monitoring"),),
            "Oud-vsv'ers met status monitoring op 31 juli (Tabel 7).",
            naam="oud_vsvers_monitoring",
        ),
        T(
            "N099",
            "Van de oud-vsv'ers {waarde?is|zijn} in totaal {waarde|casus|casussen} afgerond.",
            (_t7("afgerond"),),
            "Oud-vsv'ers met status afgerond op 31 juli (Tabel 7).",
            naam="oud_vsvers_afgerond",
        ),
        T(
            "N100",
            "{waarde|casus|casussen} van oud-vsv'ers {waarde?is|zijn} in het afgelopen schooljaar afgerond.",
            (CelRef("tabel6_afgerond", codes.TOTAAL, _OUD),),
            "Oud-vsv'ers afgerond in het schooljaar (Tabel 6).",
        ),
        T(
            "N101",
            "Van de {N100} in het afgelopen schooljaar afgeronde trajecten van oud-vsv'ers is {waarde} afgesloten omdat de jongere weer naar school gaat.",
            (CelRef("tabel6_afgerond", _T6_SCHOOL, _OUD),),
            "Aandeel ‘school (gerelateerd)’ van de in het schooljaar afgeronde trajecten van oud-vsv'ers (Tabel 6).",
            bewerking="aandeel",
            basis=(CelRef("tabel6_afgerond", codes.TOTAAL, _OUD),),
        ),
        T(
            "N102",
            "Er zijn {waarde} zorg-en-preventietrajecten opgestart.",
            (_zp(_ZP_GESTART),),
            "Zorg-en-preventietrajecten 18+ gestart in het schooljaar.",
        ),
    ]
    for nid, k in (
        ("N104", "kans_op_uitval"),
        ("N106", "negatief_studieadvies"),
        ("N107", "verkeerde_studiekeuze"),
        ("N108", "geen_stage"),
        ("N109", "geen_bbl_leerbaan"),
        ("N110", "advies"),
    ):
        label = codes.ZP_AANLEIDING[k]
        out.append(
            T(
                nid,
                f"Bij {{waarde}} van de zorg-en-preventietrajecten was de aanleiding: {label}.",
                (_zp(f"{_ZP_GESTART}: {label}"),),
                f"Aandeel van de gestarte zorg-en-preventietrajecten met aanleiding ‘{label}’.",
                bewerking="aandeel",
                basis=(_zp(_ZP_GESTART),),
            )
        )
    out += [
        T(
            "N112",
            "{waarde} van de afgesloten zorg-en-preventietrajecten is afgesloten omdat de jongere weer naar school gaat.",
            (_zp(f"{_ZP_AFGESLOTEN}: {codes.ZP_UITKOMST['terug_naar_school']}"),),
            "Aandeel ‘terug naar school’ van de op 31 juli afgesloten zorg-en-preventietrajecten.",
            bewerking="aandeel",
            basis=(_zp(_ZP_AFGESLOTEN),),
        ),
        T(
            "N120",
            "Van de vsv'ers die bij de melding 18 waren, zijn er {waarde} binnen één maand nadat zij 18 jaar werden uitgeschreven.",
            (Maat("kort_na_18"),),
            "Vsv'ers in beeld, 18 jaar bij de vsv-melding, uitgeschreven binnen één maand na hun 18e verjaardag.",
        ),
    ]
    return out


def _extern_figuren() -> list[Tekstcijfer]:
    """Public CBS figures for the editorial texts (never suppressed)."""
    bands = {
        "kinderen_4": "4-jarigen",
        "kinderen_5_15": "5 tot 16-jarigen",
        "jongeren_16_17": "16 tot 18-jarigen",
        "jongeren_18_22": "18 tot 23-jarigen",
        "kinderen_jongeren": "totaal",
    }
    return [
        Tekstcijfer(
            naam,
            f"{{gebied_hoofdletter}} telde op 1 januari {{waarde}} {kol} (CBS).",
            (CelRef("tabel1_bevolking", "G", kol),),
            f"{kol} op 1 januari (CBS).",
            naam=naam,
        )
        for naam, kol in bands.items()
    ]


def _sorted(figs: list[Tekstcijfer]) -> list[Tekstcijfer]:
    return sorted(figs, key=lambda c: (not c.rapport, c.id))


#: Every figure of the running text, the report's N-numbers first.
TEKSTCIJFERS: list[Tekstcijfer] = _sorted([*_per_jaar_figuren(), *_verzuim_figuren(), *_vsv_figuren(), *_extern_figuren()])
BY_ID: dict[str, Tekstcijfer] = {c.id: c for c in TEKSTCIJFERS}
BY_NAAM: dict[str, Tekstcijfer] = {c.naam: c for c in TEKSTCIJFERS if c.naam}


@dataclass(frozen=True)
class Zin:
    """A sentence that combines several figures (``{N0xx}``), as the drafts print it;
    ``anders``: the sentence when one of them is withheld (default: the rules' wording in place)."""

    sjabloon: str
    anders: str | None = None


#: Sentences of the drafts that combine several figures.
ZINNEN: dict[str, Zin] = {
    "diagram1_overig": Zin(
        "Van de categorie Overig {N032?is|zijn} {N032|jongere|jongeren} verhuisd naar een andere regio, {N033?is|zijn} er {N033} nog in behandeling "
        "en is bij {N034} sprake van een andere afrondingsreden."
    ),
    "jongeren_18plus": Zin(
        "Het ging om {N053|unieke jongere|unieke jongeren}; bij {N054} van hen was sprake van herhaald of doorlopend verzuim, bij {N055} ({N056}) bleef het bij één melding.",
        "Over de jongeren achter deze meldingen zijn de aantallen te klein om te publiceren.",
    ),
    "vsv_route": Zin(
        "{N079|nieuwe vsv'er|nieuwe vsv'ers} ({N080}) {N079?is|zijn} in {schooljaar} weer op een route terug naar school begeleid; in {vorig_schooljaar} was dat {N081}.",
        "Hoeveel nieuwe vsv'ers weer op een route terug naar school zijn begeleid: te kleine aantallen om te publiceren.",
    ),
    "vsv_redenen": Zin(
        "Redenen van uitval: {N084} wil werken, {N085} maakte een verkeerde opleidingskeuze en {N086} ervaart (medische) problematiek.",
        "Redenen van uitval: te kleine aantallen om te publiceren.",
    ),
    "vsv_status_nieuw": Zin(
        "Aan het eind van het schooljaar is de consulent nog betrokken bij {N087|nieuwe vsv'er|nieuwe vsv'ers}; {N088} {N088?wordt|worden} gemonitord "
        "en van {N089} is de begeleiding gestart én afgesloten."
    ),
    "vsv_oud": Zin("Van de {N096|oud-vsv'er|oud-vsv'ers} {N099?is|zijn} in totaal {N099|casus|casussen} afgerond, waarvan {N100} in het afgelopen schooljaar."),
}


# ---------------------------------------------------------------- computing a figure
@dataclass(frozen=True)
class Waarde:
    """A figure as it may be published: its value (None when withheld), whether disclosure
    control withheld it, whether it is a count of register records (the threshold applies),
    and for a share the count behind it (``aantal``)."""

    waarde: float | None
    onderdrukt: bool = False
    telling: bool = True
    aantal: float | None = None


def _bron(b: Bron, reg, *, schooljaar: str, gemeente: str | None, openbaar: bool, drempel_k: int | None) -> tuple[float, bool, bool]:
    """(value, withheld in openbaar, a protected register count) of one source."""
    import math

    from lerenwerkt import catalogue, disclosure, publication

    jaar = _jaar(b.editie, schooljaar)
    afronding = openbaar and disclosure.rules(drempel_k).methode == "afronding"
    if isinstance(b, Maat):
        # a named count no table shows has no cell to round consistently: withheld when rounding
        return float(_maat(b.naam, reg, schooljaar=jaar, gemeente=gemeente, sleutel=b.sleutel)), afronding, True
    e = catalogue.BY_ID[b.entry]
    scope = gemeente if e.scopes != "regio" else None
    rij, kolom = b.labels(jaar, gemeente)
    f = e.build(reg, schooljaar=jaar, gemeente=scope).frame
    if kolom not in f.columns:
        v = math.nan  # a schooljaar the delivery does not have
    else:
        v = float(f.at[rij, kolom]) if rij in f.index else 0.0  # a row the table leaves out counts nothing
    hidden = False
    if openbaar and e.beschermd:
        ed = publication.edition(reg, schooljaar=jaar, publicatie="openbaar", drempel_k=drempel_k)
        hidden = ed.hidden(e.id, scope, rij, kolom)
        if afronding and v == v:
            v = float(ed.value(e.id, scope, rij, kolom, v))  # the published (rounded) value drives the text
    return v, hidden, e.beschermd


_MATEN_MEMO: dict[tuple, int] = {}


def _maat(naam: str, reg, *, schooljaar: str, gemeente: str | None, sleutel: str) -> int:
    """A named count (:data:`MATEN`), remembered per delivery (content hash) as the tables
    are (:func:`lerenwerkt.tables.base.memoized`): a draft reads several keys of one count
    and a warm kernel makes many drafts. Registers without a fingerprint are not cached."""
    from lerenwerkt.tables.base import _fingerprint

    fp = _fingerprint(reg)
    if fp is None:
        return MATEN[naam](reg, schooljaar=schooljaar, gemeente=gemeente, sleutel=sleutel)
    key = (naam, fp, schooljaar, gemeente, sleutel)
    if key not in _MATEN_MEMO:
        if len(_MATEN_MEMO) >= 4096:
            _MATEN_MEMO.clear()
        _MATEN_MEMO[key] = MATEN[naam](reg, schooljaar=schooljaar, gemeente=gemeente, sleutel=sleutel)
    return _MATEN_MEMO[key]


def bereken(bewerking: str, deel: float, basis: float) -> float:
    """Apply a named operation (:data:`BEWERKINGEN`) to the summed sources."""
    if bewerking in ("cel", "som"):
        return deel
    if bewerking == "aandeel":
        return share(deel, basis)
    if bewerking == "verandering":
        return pct_change(deel, basis)
    if bewerking == "daling":
        return -pct_change(deel, basis)
    raise ValueError(f"onbekende bewerking {bewerking!r}")


def _eigen(c: Tekstcijfer, reg, *, schooljaar: str, gemeente: str | None, publicatie: str, drempel_k: int | None) -> tuple[float, float | None, bool, bool]:
    """(value, count behind it, withheld, is a count) for one figure, without its group."""
    from lerenwerkt import disclosure, text

    openbaar = disclosure.check_publicatie(publicatie) == "openbaar"
    k = disclosure.rules(drempel_k).drempel if openbaar else None
    kw = {"schooljaar": schooljaar, "gemeente": gemeente, "openbaar": openbaar, "drempel_k": drempel_k}
    deel = [_bron(b, reg, **kw) for b in c.cellen]
    basis = [_bron(b, reg, **kw) for b in c.basis]
    d, b = sum(v for v, _, _ in deel), sum(v for v, _, _ in basis)
    value = bereken(c.bewerking, d, b)
    telling = not c.percentage and all(p for _, _, p in deel)
    ook = [_bron(b, reg, **kw) for b in c.ook]
    hidden = any(h for _, h, _ in deel + basis + ook)
    if k is not None and disclosure.rules(drempel_k).methode == "afronding":
        pass  # rounded counts are published as they are; shares and changes follow from them
    elif k is not None and not hidden:
        if c.bewerking in ("cel", "som"):  # no count below the threshold
            hidden = telling and 0 < d < k
        elif c.bewerking == "aandeel":  # a share needs a publishable part and rest
            hidden = d == d and b == b and not text.deelbaar(int(d), int(b), drempel=k)
        else:  # a change needs two publishable counts
            hidden = any(0 < v < k for v in (d, b))
    return value, (d if c.bewerking == "aandeel" else None), hidden, telling


def evalueer(c: Tekstcijfer | str, reg, *, schooljaar: str, gemeente: str | None = None, publicatie: str = "intern", drempel_k: int | None = None) -> Waarde:
    """One text figure for a scope, as it may be published."""
    c = BY_ID[c] if isinstance(c, str) else c
    kw = {"schooljaar": schooljaar, "gemeente": gemeente, "publicatie": publicatie, "drempel_k": drempel_k}
    value, aantal, hidden, telling = _eigen(c, reg, **kw)
    if not hidden and c.groep and publicatie == "openbaar":
        hidden = any(_eigen(o, reg, **kw)[2] for o in TEKSTCIJFERS if o.groep == c.groep and o is not c)
    if hidden:
        return Waarde(None, onderdrukt=True, telling=telling)
    return Waarde(None if value != value else value, telling=telling, aantal=aantal)


def opgemaakt(c: Tekstcijfer, w: Waarde) -> str:
    """A figure in running text, Dutch: 1.209, 31%, +20%; withheld: the rules' wording."""
    from lerenwerkt.disclosure import rules

    if w.onderdrukt:
        return rules().tekst_onderdrukt
    if w.waarde is None or w.waarde != w.waarde:
        return fmt.ONBEKEND
    if c.bewerking == "verandering":
        return fmt.verschil_procent(w.waarde)
    if c.percentage:
        return fmt.procent(w.waarde)
    return fmt.getal(w.waarde, decimalen=0 if float(w.waarde).is_integer() else 1)


def _velden(sjabloon: str, *, namen: bool = False) -> list[str]:
    """The fields of a template; ``namen``: only the figure or word each field names."""
    velden = [f for _, f, _, _ in string.Formatter().parse(sjabloon) if f]
    return [_vorm(v)[0] for v in velden] if namen else velden


def _vorm(veld: str) -> tuple[str, tuple[str, str, str] | None]:
    """Split a template field into the figure and its Dutch number agreement:
    ``{N032|jongere|jongeren}`` (the count with its unit, 'geen jongeren', '1 jongere') and
    ``{N032?is|zijn}`` (the verb agreeing with the count) — ('N032', (kind, singular, plural))."""
    for teken, soort in (("?", "werkwoord"), ("|", "eenheid")):
        if teken in veld:
            naam, _, rest = veld.partition(teken)
            enkel, sep, meer = rest.partition("|")
            if not sep or not enkel or not meer:
                raise ValueError(f"sjabloonveld {{{veld}}}: verwacht {{N0xx|enkelvoud|meervoud}} of {{N0xx?is|zijn}}")
            return naam, (soort, enkel, meer)
    return veld, None


def _verbogen(vorm: tuple[str, str, str], w: Waarde, getal: str) -> str:
    """A figure with its unit, or the verb agreeing with it; a withheld or unknown figure
    takes the plural (and keeps the rules' wording)."""
    from lerenwerkt import text

    soort, enkel, meer = vorm
    n = w.waarde if not w.onderdrukt and w.waarde is not None and w.waarde == w.waarde else None
    if soort == "werkwoord":
        return text.werkwoord(n if n is not None else 2, enkel, meer)
    if n == 0:
        return f"geen {meer}"
    return f"{getal} {enkel if n == 1 else meer}"


def _woorden(schooljaar: str, gemeente: str | None) -> dict[str, str]:
    gebied = "de regio" if gemeente is None else f"de gemeente {gemeente}"
    return {
        "schooljaar": schooljaar,
        "vorig_schooljaar": sj.shift(schooljaar, -1),
        "voorvorig_schooljaar": sj.shift(schooljaar, -2),
        "gebied": gebied,
        "gebied_hoofdletter": gebied[0].upper() + gebied[1:],
    }


def zin(sleutel: str, reg, *, schooljaar: str, gemeente: str | None = None, publicatie: str = "intern", drempel_k: int | None = None) -> str:
    """A sentence rendered from the entries: a figure's id (its own ``sjabloon``) or a key
    of :data:`ZINNEN`. Every figure in it goes through :func:`evalueer`; when one is
    withheld, the sentence's (or the figure's) ``anders`` replaces the whole sentence, else
    the rules' wording stands in its place."""
    eigen = BY_ID.get(sleutel)
    if eigen is not None:
        sjabloon, anders = eigen.sjabloon, eigen.anders
    elif sleutel in ZINNEN:
        sjabloon, anders = ZINNEN[sleutel].sjabloon, ZINNEN[sleutel].anders
    else:
        raise ValueError(f"onbekende zin of onbekend cijfer {sleutel!r}")
    kw = {"schooljaar": schooljaar, "gemeente": gemeente, "publicatie": publicatie, "drempel_k": drempel_k}
    waarden = _woorden(schooljaar, gemeente)
    for veld in _velden(sjabloon):
        if veld in waarden:
            continue
        naam, vorm = _vorm(veld)
        c = eigen if naam in ("waarde", "aantal") else BY_ID.get(naam)
        if c is None:
            raise ValueError(f"onbekend cijfer {{{veld}}} in {sjabloon!r}")
        w = evalueer(c, reg, **kw)
        if w.onderdrukt and (anders or c.anders):
            return anders or c.anders
        waarden[veld] = fmt.getal(w.aantal) if naam == "aantal" and w.aantal is not None else opgemaakt(c, w)
        if vorm is not None:
            waarden[veld] = _verbogen(vorm, w, waarden[veld])
    out = sjabloon.format_map(waarden)
    return out[0].upper() + out[1:]
