"""The data contract as pandera schemas, one per file (see docs/DATA_CONTRACT.md).

Each file is described as data — column, whether it is required, its kind and, for codes,
the code list from :mod:`lerenwerkt.codes` — and the pandera schema is built from that
description. Schemas check the *raw text* of a delivery (every cell read as a string), so
that a problem is reported with the value exactly as the user's file holds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandera.pandas as pa

from lerenwerkt import codes

Kind = Literal["id", "code", "date", "bool", "count", "number", "text", "schooljaar", "leeftijd"]

DATE_RE = r"^\d{4}-\d{2}-\d{2}$"
BOOL_VALUES = ("true", "false")
COUNT_RE = r"^\d+$"
NUMBER_RE = r"^-?\d+(\.\d+)?$"
SCHOOLJAAR_RE = r"^\d{4}-\d{4}$"
LEEFTIJD_RE = r"^\d{1,2}(-\d{1,2})?$"

#: Dates outside these bounds are not plausible for a register of this service.
EVENT_DATE_RANGE = ("2010-01-01", "2035-12-31")
BIRTH_DATE_RANGE = ("1985-01-01", "2030-12-31")


@dataclass(frozen=True)
class Col:
    name: str
    kind: Kind
    required: bool = True
    values: tuple[str, ...] = ()
    birth: bool = False  # a geboortedatum: other plausible range

    @property
    def expected(self) -> str:
        """What a cell should hold, in words a user can act on."""
        if self.kind == "code":
            return "een van: " + ", ".join(self.values)
        return {
            "id": "een niet-lege, unieke code",
            "date": "een datum JJJJ-MM-DD",
            "bool": "true of false",
            "count": "een geheel getal ≥ 0",
            "number": "een getal met . als decimaalteken",
            "text": "tekst",
            "schooljaar": "een schooljaar zoals 2024-2025",
            "leeftijd": "een leeftijd of band zoals 5-15",
        }[self.kind]


@dataclass(frozen=True)
class FileSpec:
    folder: Literal["registratie", "extern"]
    name: str
    columns: tuple[Col, ...]
    unique: tuple[str, ...] = ()
    may_be_empty: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.name}.csv"

    def col(self, name: str) -> Col:
        return next(c for c in self.columns if c.name == name)


def _codes(mapping) -> tuple[str, ...]:
    return tuple(str(k) for k in mapping)


G = _codes(codes.GEMEENTEN)

SPECS: dict[str, FileSpec] = {
    s.name: s
    for s in (
        FileSpec(
            "registratie",
            "verzuimmeldingen",
            (
                Col("melding_id", "id"),
                Col("jongere_id", "id"),
                Col("gemeente", "code", values=G),
                Col("onderwijssoort", "code", values=_codes(codes.ONDERWIJSSOORT)),
                Col("verzuimsoort", "code", values=_codes(codes.VERZUIMSOORT)),
                Col("datum_melding", "date"),
                Col("geboortedatum", "date", birth=True),
                Col("nieuwkomer", "bool", required=False),
                Col("datum_afgerond", "date", required=False),
                Col("resultaat", "code", required=False, values=_codes(codes.RESULTAAT_VERZUIM)),
            ),
            unique=("melding_id",),
        ),
        FileSpec(
            "registratie",
            "vrijstellingen",
            (
                Col("vrijstelling_id", "id"),
                Col("jongere_id", "id"),
                Col("gemeente", "code", values=G),
                Col("artikel", "code", values=_codes(codes.ARTIKEL)),
                Col("datum_ingang", "date"),
                Col("datum_einde", "date", required=False),
            ),
            unique=("vrijstelling_id",),
        ),
        FileSpec(
            "registratie",
            "handhaving",
            (
                Col("handhaving_id", "id"),
                Col("jongere_id", "id"),
                Col("gemeente", "code", values=G),
                Col("soort", "code", values=_codes(codes.HANDHAVING_SOORT)),
                Col("datum", "date"),
                Col("afloop", "code", required=False, values=codes.HALT_AFLOOP),
            ),
            unique=("handhaving_id",),
            may_be_empty=True,
        ),
        FileSpec(
            "registratie",
            "meldingen_18plus",
            (
                Col("melding_id", "id"),
                Col("jongere_id", "id"),
                Col("gemeente", "code", values=G),
                Col("onderwijssoort", "code", values=_codes(codes.ONDERWIJSSOORT_18PLUS)),
                Col("datum_melding", "date"),
                Col("geboortedatum", "date", birth=True),
                Col("actie_gewenst", "bool"),
                Col("inzet_consulent", "bool"),
                Col("uitkomst", "code", required=False, values=_codes(codes.UITKOMST_18PLUS)),
            ),
            unique=("melding_id",),
        ),
        FileSpec(
            "registratie",
            "vsv_trajecten",
            (
                Col("traject_id", "id"),
                Col("jongere_id", "id"),
                Col("gemeente", "code", values=G),
                Col("datum_uitschrijving", "date"),
                Col("geboortedatum", "date", birth=True),
                Col("onderwijssoort", "code", values=_codes(codes.ONDERWIJSSOORT_VSV)),
                Col("reden_uitval", "code", values=_codes(codes.REDEN_UITVAL)),
            ),
            unique=("traject_id",),
        ),
        FileSpec(
            "registratie",
            "vsv_status",
            (
                Col("traject_id", "id"),
                Col("datum", "date"),
                Col("status", "code", values=_codes(codes.VSV_STATUS)),
                Col(
                    "resultaat",
                    "code",
                    required=False,
                    values=tuple(dict.fromkeys(_codes(codes.VSV_RESULTAAT_MONITORING) + _codes(codes.VSV_RESULTAAT_AFGEROND))),
                ),
            ),
        ),
        FileSpec(
            "registratie",
            "zorg_preventie",
            (
                Col("traject_id", "id"),
                Col("jongere_id", "id"),
                Col("gemeente", "code", values=G),
                Col("datum_start", "date"),
                Col("aanleiding", "code", values=_codes(codes.ZP_AANLEIDING)),
                Col("datum_einde", "date", required=False),
                Col("uitkomst", "code", required=False, values=_codes(codes.ZP_UITKOMST)),
            ),
            unique=("traject_id",),
            may_be_empty=True,
        ),
        FileSpec(
            "extern",
            "bevolking",
            (
                Col("gemeente", "code", values=G),
                Col("peildatum", "date"),
                Col("leeftijd", "leeftijd"),
                Col("aantal", "count"),
                Col("bron", "text"),
            ),
            unique=("gemeente", "peildatum", "leeftijd"),
        ),
        FileSpec(
            "extern",
            "leerplichttelling",
            (
                Col("regio", "code", values=codes.LPT_REGIO),
                Col("schooljaar", "schooljaar"),
                Col("indicator", "code", values=_codes(codes.LPT_INDICATOR)),
                Col("waarde", "number"),
                Col("bron", "text"),
            ),
            unique=("regio", "schooljaar", "indicator"),
        ),
        FileSpec(
            "extern",
            "duo_vsv",
            (
                Col("gebied", "code", values=codes.DUO_GEBIED),
                Col("schooljaar", "schooljaar"),
                Col("onderwijssoort", "code", values=codes.DUO_ONDERWIJSSOORT),
                Col("aantal", "count"),
                Col("percentage", "number", required=False),
                Col("bron", "text"),
            ),
            unique=("gebied", "schooljaar", "onderwijssoort"),
        ),
        FileSpec(
            "extern",
            "jikp",
            (
                Col("cohort", "schooljaar"),
                Col("gemeente", "code", values=G),
                Col("startpositie", "code", values=_codes(codes.JIKP_STARTPOSITIE)),
                Col("meetmoment", "code", values=tuple(str(m) for m in codes.JIKP_MEETMOMENT)),
                Col("daginvulling", "code", values=_codes(codes.JIKP_DAGINVULLING)),
                Col("aantal", "count"),
                Col("bron", "text"),
            ),
            unique=("cohort", "gemeente", "startpositie", "meetmoment", "daginvulling"),
            may_be_empty=True,
        ),
        FileSpec(
            "extern",
            "schoollocatie",
            (
                Col("gemeente", "code", values=G + (codes.REGIO,)),
                Col("onderwijssoort", "code", values=codes.SCHOOLLOCATIE_ONDERWIJSSOORT),
                Col("locatie", "code", values=codes.SCHOOLLOCATIE_LOCATIE),
                Col("percentage", "number"),
                Col("totaal", "count"),
                Col("peildatum", "date"),
                Col("bron", "text"),
            ),
            unique=("gemeente", "onderwijssoort", "locatie", "peildatum"),
        ),
        FileSpec(
            "extern",
            "kerncijfers",
            (
                Col("schooljaar", "schooljaar"),
                Col("indicator", "text"),
                Col("waarde", "number"),
                Col("bron", "text"),
            ),
            unique=("schooljaar", "indicator"),
            may_be_empty=True,
        ),
    )
}


def _checks(col: Col) -> list[pa.Check]:
    kind = col.kind
    name = col.expected
    if kind == "code":
        return [pa.Check.isin(list(col.values), error=name)]
    if kind == "date":
        lo, hi = BIRTH_DATE_RANGE if col.birth else EVENT_DATE_RANGE
        return [
            pa.Check.str_matches(DATE_RE, error=name),
            pa.Check(_valid_date(lo, hi), element_wise=True, error=f"een bestaande datum tussen {lo} en {hi}"),
        ]
    if kind == "bool":
        return [pa.Check.isin(list(BOOL_VALUES), error=name)]
    if kind == "count":
        return [pa.Check.str_matches(COUNT_RE, error=name)]
    if kind == "number":
        return [pa.Check.str_matches(NUMBER_RE, error=name)]
    if kind == "schooljaar":
        return [pa.Check(_valid_schooljaar, element_wise=True, error=name)]
    if kind == "leeftijd":
        return [pa.Check.str_matches(LEEFTIJD_RE, error=name)]
    if kind == "id":
        return [pa.Check.str_length(min_value=1, error=name)]
    return []


def _valid_date(lo: str, hi: str):
    import datetime as dt

    def check(value: str) -> bool:
        try:
            d = dt.date.fromisoformat(value)
        except ValueError:
            return False
        return lo <= d.isoformat() <= hi

    return check


def _valid_schooljaar(value: str) -> bool:
    import re

    m = re.match(SCHOOLJAAR_RE, value)
    return bool(m) and int(value[5:]) == int(value[:4]) + 1


def raw_schema(spec: FileSpec) -> pa.DataFrameSchema:
    """Schema for the raw text of one file (missing cells are ``None``)."""
    return pa.DataFrameSchema(
        {
            c.name: pa.Column(
                str,
                checks=_checks(c),
                nullable=not c.required,
                unique=c.name in spec.unique and len(spec.unique) == 1,
                # An optional column may be left out of the file altogether.
                required=c.required,
            )
            for c in spec.columns
        },
        unique=list(spec.unique) if len(spec.unique) > 1 else None,
        strict=False,
        name=spec.path,
    )
