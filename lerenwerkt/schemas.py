"""The data contract as pandera schemas, one per file (see docs/DATA_CONTRACT.md).

Each file is described as data — column, whether it is required, its kind, for codes the
code list from :mod:`lerenwerkt.codes`, for numbers their range — and the pandera schema is
built from that description. Schemas check the *raw text* of a delivery (every cell read as
a string), so that a problem is reported with the value exactly as the user's file holds it.
Every check is vectorised (whole columns, no per-cell Python): a delivery of millions of rows
is checked in chunks (see :mod:`lerenwerkt.load`).

Patterns accept ASCII digits only (``[0-9]``, not ``\\d``: Arabic-Indic or full-width digits
are rejected) and match the whole cell (``fullmatch``): a stray space or newline in a code,
``"2023-2024\\n"``, is a problem, never silently accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd
import pandera.pandas as pa

from lerenwerkt import codes

Kind = Literal["id", "code", "key", "date", "bool", "count", "number", "text", "schooljaar", "leeftijd"]

DATE_RE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
BOOL_VALUES = ("true", "false")
COUNT_RE = r"[0-9]+"
NUMBER_RE = r"-?[0-9]+(\.[0-9]+)?"
SCHOOLJAAR_RE = r"[0-9]{4}-[0-9]{4}"
LEEFTIJD_RE = r"[0-9]{1,2}(-[0-9]{1,2})?"
#: A code the delivery chooses itself (``kerncijfers.indicator``): snake_case, ASCII, at most 60
#: characters — it becomes a row label of a table, never markup.
KEY_RE = r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*"
KEY_MAX = 60
#: Ages in bevolking.csv: a single age or an inclusive band within these bounds.
LEEFTIJD_RANGE = (0, 27)
#: Every count is a whole number in this range unless its column says otherwise.
COUNT_RANGE = (0, None)
PERCENTAGE = (0, 100)

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
    #: inclusive range of a count or number (None = unbounded on that side)
    lo: float | None = None
    hi: float | None = None

    @property
    def range(self) -> tuple[float | None, float | None]:
        if self.kind == "count" and self.lo is None and self.hi is None:
            return COUNT_RANGE
        return (self.lo, self.hi)

    @property
    def expected(self) -> str:
        """What a cell should hold, in words a user can act on."""
        if self.kind == "code":
            return "een van: " + ", ".join(self.values)
        if self.kind == "date":
            lo, hi = BIRTH_DATE_RANGE if self.birth else EVENT_DATE_RANGE
            return f"een bestaande datum JJJJ-MM-DD tussen {lo} en {hi}"
        if self.kind in ("count", "number"):
            what = "een geheel getal" if self.kind == "count" else "een getal met . als decimaalteken"
            return what + _range_words(*self.range)
        return {
            "id": "een niet-lege, unieke code zonder spaties of regeleinden eromheen",
            "key": f"een code in snake_case: kleine letters a-z, cijfers 0-9 en _ tussen woorden, beginnend met een letter, hoogstens {KEY_MAX} tekens (zoals testen_afgenomen)",
            "bool": "true of false",
            "text": "tekst (niet leeg, niet alleen spaties)",
            "schooljaar": "een schooljaar zoals 2024-2025",
            "leeftijd": f"een leeftijd of band zoals 5-15 (leeftijden {LEEFTIJD_RANGE[0]} tot en met {LEEFTIJD_RANGE[1]})",
        }[self.kind]


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _range_words(lo, hi) -> str:
    if lo is not None and hi is not None:
        return f" van {_num(lo)} tot en met {_num(hi)}"
    if lo is not None:
        return f" ≥ {_num(lo)}"
    if hi is not None:
        return f" ≤ {_num(hi)}"
    return ""


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

    def personal(self, column: str | None) -> bool:
        """Whether a cell of ``column`` may identify a person: identifiers and dates of the
        case records. Their values never appear in a message, log or page; codes, gemeente,
        schooljaar and the public extern figures may be shown."""
        if self.folder != "registratie":
            return False
        if column is None or column not in {c.name for c in self.columns}:
            return True
        return self.col(column).kind in ("id", "date", "text")


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
                # a count for n_*, a percentage for *_pct: checked per indicator in load.py
                Col("waarde", "number", lo=0),
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
                Col("percentage", "number", required=False, lo=PERCENTAGE[0], hi=PERCENTAGE[1]),
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
                Col("percentage", "number", lo=PERCENTAGE[0], hi=PERCENTAGE[1]),
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
                Col("indicator", "key"),
                Col("waarde", "number", lo=0),
                Col("bron", "text"),
            ),
            unique=("schooljaar", "indicator"),
            may_be_empty=True,
        ),
    )
}


def _fullmatch(pattern: str):
    return lambda s: s.str.fullmatch(pattern).fillna(False).astype(bool)


def _checks(col: Col) -> list[pa.Check]:
    """Vectorised checks of one raw-text column (each a whole-column operation)."""
    kind = col.kind
    name = col.expected
    if kind == "code":
        return [pa.Check.isin(list(col.values), error=name)]
    if kind == "date":
        lo, hi = BIRTH_DATE_RANGE if col.birth else EVENT_DATE_RANGE
        return [pa.Check(_valid_dates(lo, hi), error=name)]
    if kind == "bool":
        return [pa.Check.isin(list(BOOL_VALUES), error=name)]
    if kind in ("count", "number"):
        return [pa.Check(_valid_numbers(COUNT_RE if kind == "count" else NUMBER_RE, *col.range), error=name)]
    if kind == "schooljaar":
        return [pa.Check(valid_schooljaren, error=name)]
    if kind == "leeftijd":
        return [pa.Check(_valid_leeftijd, error=name)]
    if kind == "id":
        return [pa.Check(lambda s: (s.str.len() > 0) & (s.str.strip() == s), error=name)]
    if kind == "key":
        return [pa.Check(lambda s: s.str.fullmatch(KEY_RE).fillna(False).astype(bool) & (s.str.len() <= KEY_MAX), error=name)]
    if kind == "text":
        return [pa.Check(lambda s: s.str.strip().str.len() > 0, error=name)]
    return []


def parse_dates(s: pd.Series) -> pd.Series:
    """Raw text -> datetime64[us]; anything that is not an existing JJJJ-MM-DD date -> NaT.

    Parsed by pyarrow (C++, millions of cells a second); a date that does not exist
    (``2023-02-29``) would be rolled over by the parser to another day of the month, so the
    parsed day must equal the written one."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.chunked_array([pa.array(s.astype("string").array)]) if len(s) else pa.chunked_array([], pa.large_string())
    arr = arr.cast(pa.large_string())
    ok = pc.fill_null(pc.match_substring_regex(arr, f"^{DATE_RE}$"), False)
    text = pc.if_else(ok, arr, "2000-01-01")
    d = pc.strptime(text, format="%Y-%m-%d", unit="us", error_is_null=True)
    same = pc.equal(pc.day(d), pc.cast(pc.utf8_slice_codeunits(text, 8, 10), pa.int64()))
    d = pc.if_else(pc.fill_null(pc.and_(ok, same), False), d, pa.scalar(None, pa.timestamp("us")))
    return pd.Series(d.to_numpy(), index=s.index, dtype="datetime64[us]")


def parse_numbers(s: pd.Series, pattern: str = NUMBER_RE) -> pd.Series:
    """Raw text -> float; anything that does not match ``pattern`` in full -> NaN."""
    ok = s.str.fullmatch(pattern).fillna(False).astype(bool)
    return pd.to_numeric(s.where(ok), errors="coerce")


def _valid_dates(lo: str, hi: str):
    def check(s: pd.Series) -> pd.Series:
        d = parse_dates(s)
        return d.notna() & (d >= pd.Timestamp(lo)) & (d <= pd.Timestamp(hi))

    return check


def _valid_numbers(pattern: str, lo, hi):
    def check(s: pd.Series) -> pd.Series:
        x = parse_numbers(s, pattern)
        ok = x.notna()
        if lo is not None:
            ok &= x >= lo
        if hi is not None:
            ok &= x <= hi
        return ok.fillna(False).astype(bool)

    return check


def valid_schooljaren(s: pd.Series) -> pd.Series:
    """``2024-2025``: two ASCII years, the second the first plus one."""
    ok = s.str.fullmatch(SCHOOLJAAR_RE).fillna(False).astype(bool)
    t = s.where(ok)
    first = pd.to_numeric(t.str.slice(0, 4), errors="coerce")
    second = pd.to_numeric(t.str.slice(5, 9), errors="coerce")
    return (ok & (second == first + 1)).fillna(False).astype(bool)


def _valid_leeftijd(s: pd.Series) -> pd.Series:
    ok = s.str.fullmatch(LEEFTIJD_RE).fillna(False).astype(bool)
    t = s.where(ok)
    parts = t.str.split("-", n=1, expand=True).reindex(columns=[0, 1])
    a = pd.to_numeric(parts[0], errors="coerce")
    b = pd.to_numeric(parts[1], errors="coerce").fillna(a)
    lo, hi = LEEFTIJD_RANGE
    return (ok & (a >= lo) & (b <= hi) & (a <= b)).fillna(False).astype(bool)


def raw_schema(spec: FileSpec, *, unique: bool = True) -> pa.DataFrameSchema:
    """Schema for the raw text of one file (missing cells are ``None``).

    ``unique=False`` leaves out the uniqueness checks: :mod:`lerenwerkt.load` checks a large
    file in chunks and tests uniqueness once over the whole file."""
    return pa.DataFrameSchema(
        {
            c.name: pa.Column(
                str,
                checks=_checks(c),
                nullable=not c.required,
                unique=unique and c.name in spec.unique and len(spec.unique) == 1,
                # An optional column may be left out of the file altogether.
                required=c.required,
            )
            for c in spec.columns
        },
        unique=list(spec.unique) if unique and len(spec.unique) > 1 else None,
        strict=False,
        name=spec.path,
    )
