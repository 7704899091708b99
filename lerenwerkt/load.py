"""Stage 1: read a delivery and validate it against the data contract.

``load_register(data_dir)`` returns typed DataFrames, one per contract file, or raises
:class:`DeliveryError` listing *every* problem of the delivery at once (file, row, column,
value found, value expected). Nothing downstream runs on an invalid delivery.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from lerenwerkt import codes
from lerenwerkt.schemas import SPECS, FileSpec, raw_schema

Register = dict[str, pd.DataFrame]


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # line number in the CSV (header = 1); None = the file or a column
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", rij {self.row}"
        if self.column:
            where += f", kolom {self.column}"
        found = "" if self.value is None else f": gevonden {self.value!r}"
        return f"{where}{found}; verwacht {self.expected}"


class DeliveryError(ValueError):
    """A delivery that does not follow the contract; ``problems`` lists every defect."""

    def __init__(self, data_dir: Path, problems: list[Problem]):
        self.data_dir = Path(data_dir)
        self.problems = problems
        super().__init__(self.report())

    def report(self) -> str:
        head = f"Levering {self.data_dir} volgt het datacontract niet: {len(self.problems)} probleem/problemen."
        return "\n".join([head, *(f"- {p}" for p in self.problems)])

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([p.__dict__ for p in self.problems])


def _read_csv(path: Path, spec: FileSpec, problems: list[Problem]) -> pd.DataFrame | None:
    """Read one CSV as text; structural problems (encoding, ragged rows) go to ``problems``."""
    if not path.exists():
        problems.append(Problem(spec.path, None, None, None, "het bestand (ontbreekt)"))
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(spec.path, line, None, repr(raw[exc.start : exc.start + 4]), "tekst in UTF-8"))
        return None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or not any(cell.strip() for cell in rows[0]):
        problems.append(Problem(spec.path, None, None, None, "een kopregel met kolomnamen (bestand is leeg)"))
        return None
    header = [h.strip() for h in rows[0]]
    if len(header) == 1 and any(sep in header[0] for sep in (";", "\t")):
        problems.append(Problem(spec.path, 1, None, header[0][:60], "komma's als scheidingsteken"))
        return None
    body: list[list[str]] = []
    for i, row in enumerate(rows[1:], start=2):
        if not row or (len(row) == 1 and row[0] == ""):
            continue
        if len(row) != len(header):
            problems.append(Problem(spec.path, i, None, f"{len(row)} velden", f"{len(header)} velden zoals de kopregel"))
            continue
        body.append(row)
    df = pd.DataFrame(body, columns=header, dtype=object)
    df.index = pd.RangeIndex(2, 2 + len(df))  # index = CSV line number, for reports
    return df.where(df != "", None)


def _schema_problems(df: pd.DataFrame, spec: FileSpec) -> list[Problem]:
    try:
        raw_schema(spec).validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        out = []
        for fc in err.failure_cases.itertuples(index=False):
            col, check = fc.column, str(fc.check)
            if check == "column_in_dataframe":
                out.append(Problem(spec.path, 1, str(fc.failure_case), None, "deze kolom (ontbreekt)"))
                continue
            row = None if pd.isna(fc.index) else int(fc.index)
            value = None if pd.isna(fc.failure_case) else str(fc.failure_case)
            if check == "not_nullable":
                expected = "een waarde (verplicht veld is leeg)"
            elif check in ("field_uniqueness", "multiple_fields_uniqueness"):
                expected = "een unieke waarde (komt vaker voor)"
                col = col if col else ",".join(spec.unique)
            elif col and col in {c.name for c in spec.columns} and check.startswith(("isin", "str_", "<lambda>")):
                expected = spec.col(col).expected
            else:
                expected = check
            out.append(Problem(spec.path, row, col, value, expected))
        return out
    return []


def _typed(df: pd.DataFrame, spec: FileSpec) -> pd.DataFrame:
    out = {}
    for c in spec.columns:
        s = df[c.name] if c.name in df else pd.Series(None, index=df.index, dtype=object)
        if c.kind == "date":
            out[c.name] = pd.to_datetime(s, format="%Y-%m-%d")
        elif c.kind == "bool":
            out[c.name] = s.map({"true": True, "false": False}).astype("boolean")
        elif c.kind == "count":
            out[c.name] = pd.to_numeric(s).astype("Int64")
        elif c.kind == "number":
            out[c.name] = pd.to_numeric(s).astype("Float64")
        else:
            out[c.name] = s.astype("string")
    return pd.DataFrame(out, index=df.index)


def _rule(problems, spec, frame, mask, column, expected):
    for row in frame.index[mask.fillna(False).to_numpy(dtype=bool)]:
        value = frame.at[row, column]
        problems.append(Problem(spec, int(row), column, None if pd.isna(value) else str(value)[:40], expected))


def _cross_checks(reg: Register, problems: list[Problem]) -> None:
    """Rules that span columns or files."""
    vm = reg.get("verzuimmeldingen")
    if vm is not None:
        p = SPECS["verzuimmeldingen"].path
        _rule(problems, p, vm, vm.geboortedatum >= vm.datum_melding, "geboortedatum", "een geboortedatum vóór datum_melding")
        _rule(problems, p, vm, vm.datum_afgerond < vm.datum_melding, "datum_afgerond", "een datum op of na datum_melding")
        info = vm.verzuimsoort == "informatie_advies"
        _rule(problems, p, vm, info & vm.resultaat.notna(), "resultaat", "leeg bij informatie_advies")
        _rule(
            problems,
            p,
            vm,
            ~info & vm.datum_afgerond.notna() & vm.resultaat.isna(),
            "resultaat",
            "een resultaat bij een afgeronde melding",
        )
    vr = reg.get("vrijstellingen")
    if vr is not None:
        _rule(problems, SPECS["vrijstellingen"].path, vr, vr.datum_einde < vr.datum_ingang, "datum_einde", "een datum op of na datum_ingang")
    hh = reg.get("handhaving")
    if hh is not None:
        _rule(problems, SPECS["handhaving"].path, hh, (hh.soort != "halt") & hh.afloop.notna(), "afloop", "leeg (afloop alleen bij halt)")
    m18 = reg.get("meldingen_18plus")
    if m18 is not None:
        p = SPECS["meldingen_18plus"].path
        _rule(problems, p, m18, m18.geboortedatum >= m18.datum_melding, "geboortedatum", "een geboortedatum vóór datum_melding")
    tr = reg.get("vsv_trajecten")
    if tr is not None:
        p = SPECS["vsv_trajecten"].path
        _rule(problems, p, tr, tr.geboortedatum >= tr.datum_uitschrijving, "geboortedatum", "een geboortedatum vóór datum_uitschrijving")
    st = reg.get("vsv_status")
    if st is not None:
        p = SPECS["vsv_status"].path
        if tr is not None:
            _rule(problems, p, st, ~st.traject_id.isin(tr.traject_id), "traject_id", "een traject_id uit vsv_trajecten.csv")
            start = st.traject_id.map(tr.set_index("traject_id").datum_uitschrijving) if tr.traject_id.is_unique else None
            if start is not None:
                _rule(problems, p, st, st.datum < start, "datum", "een datum op of na datum_uitschrijving van het traject")
        mon, afg = set(codes.VSV_RESULTAAT_MONITORING), set(codes.VSV_RESULTAAT_AFGEROND)
        _rule(problems, p, st, (st.status == "in_behandeling") & st.resultaat.notna(), "resultaat", "leeg bij status in_behandeling")
        _rule(
            problems,
            p,
            st,
            (st.status == "monitoring") & ~st.resultaat.isin(mon),
            "resultaat",
            "bij monitoring een van: " + ", ".join(mon),
        )
        _rule(
            problems,
            p,
            st,
            (st.status == "afgerond") & ~st.resultaat.isin(afg),
            "resultaat",
            "bij afgerond een van: " + ", ".join(afg),
        )
    zp = reg.get("zorg_preventie")
    if zp is not None:
        _rule(problems, SPECS["zorg_preventie"].path, zp, zp.datum_einde < zp.datum_start, "datum_einde", "een datum op of na datum_start")


def validate_delivery(data_dir: Path | str) -> tuple[Register, list[Problem]]:
    """Read and check every file; return what could be typed and all problems found."""
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    reg: Register = {}
    for name, spec in SPECS.items():
        df = _read_csv(data_dir / spec.path, spec, problems)
        if df is None:
            continue
        if df.empty and not spec.may_be_empty:
            problems.append(Problem(spec.path, None, None, None, "minstens één rij (bestand bevat alleen een kopregel)"))
        found = _schema_problems(df, spec)
        problems.extend(found)
        if not found:
            reg[name] = _typed(df, spec)
    if not problems or reg:
        _cross_checks(reg, problems)
    return reg, problems


def load_register(data_dir: Path | str) -> Register:
    """The validated, typed register of ``data_dir``; raises :class:`DeliveryError` if invalid."""
    reg, problems = validate_delivery(data_dir)
    if problems:
        raise DeliveryError(Path(data_dir), problems)
    return {k: v.reset_index(drop=True) for k, v in reg.items()}
