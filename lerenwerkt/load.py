"""Stage 1: read a delivery and validate it against the data contract.

``load_register(data_dir)`` returns typed DataFrames, one per contract file, or raises
:class:`DeliveryError` listing *every* problem of the delivery at once — structure, schema
and the rules across columns and files in one report (file, row, column, what was expected).
Nothing downstream runs on an invalid delivery.

Privacy: a problem shows the value found only for columns that cannot identify a person
(codes, gemeente, schooljaar, the public extern figures); for identifiers and dates of the
case records it names the row, never the value (:meth:`FileSpec.personal`).

Scale: files are streamed — read line by line, checked and typed in chunks of
:data:`CHUNK_ROWS` rows, kept as compact typed columns (pyarrow strings, datetime64) — so a
delivery of millions of rows is validated in bounded memory; uniqueness is checked once over
the whole file.
"""

from __future__ import annotations

import codecs
import csv
import functools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_
import pyarrow.compute as pc

from lerenwerkt import codes
from lerenwerkt.schemas import COUNT_RE, SPECS, FileSpec, parse_dates, parse_numbers, raw_schema

Register = dict[str, pd.DataFrame]

#: Rows checked and typed at a time by the line-by-line reader (bounds its Python objects).
CHUNK_ROWS = 25_000
#: Bytes per chunk of the fast reader (pyarrow): about 80.000 rows of a register file.
ARROW_BLOCK = 8 << 20
#: At most this many problems of one kind (file, column, expectation) are listed one by one;
#: the rest is counted in one line.
MAX_PER_KIND = 50
#: A field larger than this is refused (Python's csv default; a real cell is far smaller).
FIELD_LIMIT = 128 * 1024

HIDDEN = "(waarde niet getoond: privacy)"
#: The CBS codes of the nine gemeenten ('0197', 'GM0197'): a code, not a person, though digits.
GEMEENTECODES = ("0197", "1859", "1876", "0221", "0222", "1955", "1586", "1509", "0294")
#: Words that are plainly a yes or no (shown in a bool column of registratie/, whatever the case).
_BOOL_WORDS = frozenset({"true", "false", "ja", "nee", "j", "n", "yes", "no", "y", "waar", "onwaar", "0", "1", "x", "-"})
_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default "str" dtype


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # line number in the CSV (header = 1); None = the file or a column
    column: str | None
    value: str | None  # only for non-personal columns; None otherwise
    expected: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", rij {self.row}"
        if self.column:
            where += f", kolom {self.column}"
        found = "" if self.value is None else f": gevonden {self.value!r}"
        return f"{where}{found}; verwacht {self.expected}"


@functools.lru_cache(maxsize=256)
def _allowed(file: str, column: str, known: tuple[str, ...]) -> frozenset[str]:
    """What a message may show of a cell of ``column`` of a ``registratie/`` file, casefolded."""
    col = next(s for s in SPECS.values() if s.path == file).col(column)
    allowed = {*col.values, *known}
    if col.kind == "bool":
        allowed |= _BOOL_WORDS
    if col.name == "gemeente":
        allowed |= {*GEMEENTECODES, *("GM" + c for c in GEMEENTECODES)}
    return frozenset(str(a).strip().casefold() for a in allowed)


def shown(spec: FileSpec, column: str | None, value, *, known: tuple[str, ...] = ()) -> str | None:
    """The value as a message may show it; at most 40 characters.

    ``None`` for personal columns (identifiers, dates). In ``registratie/`` any other cell is
    treated as personal too — a swapped column puts ids, pseudonyms of any shape or birth dates
    in a code column — unless it is one of the column's allowed codes (or ``known`` labels, such
    as a mapping's), a gemeente code of the region, or a plain yes/no, but for spaces and
    capitals: :data:`HIDDEN` otherwise."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value)
    if spec.personal(column):
        return None
    if spec.folder == "registratie" and text.strip().casefold() not in _allowed(spec.path, column, tuple(known)):
        return HIDDEN
    return text if len(text) <= 40 else text[:40] + "…"


class Problems:
    """Collects problems, listing at most :data:`MAX_PER_KIND` of one kind one by one."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self._seen: Counter = Counter()
        self.headers: dict[str, list[str]] = {}  # file -> its header as written (for hints)
        self.empty: set[str] = set()  # files without any header (0 bytes, or only a byte-order mark)

    def add(self, p: Problem) -> None:
        key = (p.file, p.column, p.expected)
        self._seen[key] += 1
        if self._seen[key] <= MAX_PER_KIND:
            self.items.append(p)

    def __bool__(self) -> bool:
        return bool(self.items)

    def result(self) -> list[Problem]:
        """Every problem in file order (the contract's), then row order; a file's own
        problems first, the counted rest of a kind after its rows."""
        order = {spec.path: i for i, spec in enumerate(SPECS.values())}
        keyed = [((order.get(p.file, -1), 0 if p.row is None else 1, p.row or 0), p) for p in self.items]
        for key, n in self._seen.items():
            if n > MAX_PER_KIND:
                file, column, expected = key
                rest = Problem(file, None, column, None, f"{expected} — en nog {n - MAX_PER_KIND} rijen met hetzelfde probleem")
                keyed.append(((order.get(file, -1), 2, 0), rest))
        return [p for _, p in sorted(keyed, key=lambda kp: kp[0])]  # stable: equal keys keep their order


class DeliveryError(ValueError):
    """A delivery that does not follow the contract; ``problems`` lists every defect."""

    def __init__(self, data_dir: Path, problems: list[Problem]):
        self.data_dir = Path(data_dir)
        self.problems = problems
        super().__init__(self.report())

    def report(self) -> str:
        from lerenwerkt.fmt import getal

        n = len(self.problems)
        head = f"Levering {self.data_dir} volgt het datacontract niet: {getal(n)} {'probleem' if n == 1 else 'problemen'}."
        return "\n".join([head, *(f"- {p}" for p in self.problems)])

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([p.__dict__ for p in self.problems])


# ------------------------------------------------------------------------- reading
UTF8 = "tekst in UTF-8 (sla het bestand op als UTF-8)"


class _BadEncoding(Exception):
    def __init__(self, line: int, expected: str = UTF8):
        self.line = line
        self.expected = expected


def _lines(fh) -> Iterator[str]:
    """Decoded lines of a binary file (UTF-8, a byte-order mark tolerated), one at a time."""
    for n, raw in enumerate(fh, start=1):
        if n == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        if b"\x00" in raw:
            raise _BadEncoding(n, "tekst zonder NUL-tekens (is dit wel een CSV-bestand in UTF-8?)")
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _BadEncoding(n) from exc


def _csv_error(exc: csv.Error) -> str:
    msg = str(exc)
    if "field larger than field limit" in msg:
        return f"velden van hoogstens {FIELD_LIMIT // 1024} KB (een veld is groter; staat er een aanhalingsteken te veel?)"
    if "NUL" in msg:
        return "tekst zonder NUL-tekens (is dit wel een CSV-bestand?)"
    return "geldige CSV (aanhalingstekens kloppen niet)"


def _chunks(path: Path, spec: FileSpec, problems: Problems) -> Iterator[pd.DataFrame] | None:
    """Raw text of the contract columns of one CSV, in chunks; index = line number.

    Structural problems (missing file, encoding, ragged rows, duplicate or missing header)
    go to ``problems``; returns ``None`` when the file cannot be read at all."""
    if not path.is_file():
        what = "het bestand (ontbreekt)" if not path.exists() else "een bestand (dit is een map)"
        problems.add(Problem(spec.path, None, None, None, what))
        return None
    csv.field_size_limit(FIELD_LIMIT)
    fh = open(path, "rb")  # noqa: SIM115 - closed by the generator below
    reader = csv.reader(_lines(fh))
    try:
        header = next(reader, None)
    except _BadEncoding as e:
        fh.close()
        problems.add(Problem(spec.path, e.line, None, None, e.expected))
        return None
    except csv.Error as e:
        fh.close()
        problems.add(Problem(spec.path, 1, None, None, _csv_error(e)))
        return None
    if not header or not any(cell.strip() for cell in header):
        fh.close()
        problems.add(Problem(spec.path, None, None, None, "een kopregel met kolomnamen (bestand is leeg)"))
        problems.empty.add(spec.path)
        return None
    problems.headers[spec.path] = list(header)
    header = [h.strip() for h in header]
    # Never a header cell in a message unless it is one of the contract's column names: a
    # file without a header has a row of ids and dates in its place.
    if len(header) == 1 and any(sep in header[0] for sep in (";", "\t")):
        fh.close()
        sep = "puntkomma's" if ";" in header[0] else "tabs"
        problems.add(Problem(spec.path, 1, None, None, f"komma's als scheidingsteken (de eerste regel is gescheiden door {sep})"))
        return None
    doubles = sorted({h for h in header if header.count(h) > 1}, key=header.index)
    if doubles:
        fh.close()
        names = {c.name for c in spec.columns}
        for h in doubles:
            if h in names:
                problems.add(Problem(spec.path, 1, h, None, "elke kolomnaam één keer (deze staat er vaker in)"))
            else:
                where = " en ".join(str(i + 1) for i, x in enumerate(header) if x == h)
                problems.add(
                    Problem(spec.path, 1, None, None, f"elke kolomnaam één keer (kolom {where} hebben dezelfde naam; is de eerste regel wel een kopregel?)")
                )
        return None
    wanted = [(c.name, header.index(c.name)) for c in spec.columns if c.name in header]
    width = len(header)
    if reader.line_num == 1:  # a one-line header: the fast reader can take over after it
        fast = _arrow_chunks(path, width, wanted)
        if fast is not None:
            fh.close()
            return fast

    def frame(cols: dict[str, list], rows: list[int]) -> pd.DataFrame:
        return pd.DataFrame({name: _text_column(cols[name]) for name, _ in wanted}, index=pd.Index(rows, dtype="int64"), columns=[n for n, _ in wanted])

    def gen() -> Iterator[pd.DataFrame]:
        cols: dict[str, list] = {name: [] for name, _ in wanted}
        rows: list[int] = []
        line = 1
        try:
            for row in reader:
                line += 1
                if not row or (len(row) == 1 and row[0] == ""):
                    continue
                if len(row) != width:
                    problems.add(Problem(spec.path, line, None, f"{len(row)} velden", f"{width} velden zoals de kopregel"))
                    continue
                for name, k in wanted:
                    cols[name].append(row[k])
                rows.append(line)
                if len(rows) >= CHUNK_ROWS:
                    yield frame(cols, rows)
                    cols = {name: [] for name, _ in wanted}
                    rows = []
        except _BadEncoding as e:
            problems.add(Problem(spec.path, e.line, None, None, e.expected))
        except csv.Error as e:
            problems.add(Problem(spec.path, line + 1, None, None, _csv_error(e)))
        finally:
            fh.close()
        yield frame(cols, rows)

    return gen()


def _text_column(values: list[str]):
    """A list of cells as a compact pyarrow-backed text column; an empty cell is missing."""
    return _text_array(pa_.array(values, type=pa_.large_string()))


def _arrow_options(width: int, columns: list[int]):
    import pyarrow.csv as pcsv

    names = [f"c{i}" for i in range(width)]
    return dict(
        read_options=pcsv.ReadOptions(column_names=names, skip_rows=1, block_size=ARROW_BLOCK, use_threads=False),
        parse_options=pcsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
        convert_options=pcsv.ConvertOptions(
            column_types={n: pa_.large_string() for n in names},
            include_columns=[names[k] for k in columns],
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def _arrow_chunks(path: Path, width: int, wanted: list[tuple[str, int]]) -> Iterator[pd.DataFrame] | None:
    """The fast reader (pyarrow, in C++, streaming) for a well-formed file, or ``None``.

    A first pass checks what the line-by-line reader would report — a ragged row, invalid
    UTF-8, a blank line, NUL bytes, a field over 128 KB — without keeping anything; only if
    the file is clean does a second pass yield chunks, so row numbers (header = 1) are
    exactly those of the line-by-line reader. Otherwise that reader takes the file and
    reports its problems precisely."""
    import pyarrow.csv as pcsv

    try:
        with pcsv.open_csv(path, **_arrow_options(width, list(range(width)))) as batches:
            for batch in batches:
                cols = batch.columns
                if not cols or batch.num_rows == 0:
                    continue
                blank = pc.equal(cols[0], "")
                for col in cols:
                    if pc.max(pc.binary_length(col)).as_py() > FIELD_LIMIT or pc.any(pc.match_substring(col, "\x00")).as_py():
                        return None
                    blank = pc.and_(blank, pc.equal(col, ""))
                if pc.any(blank).as_py():
                    return None
    except (pa_.ArrowException, OSError):
        return None

    def gen() -> Iterator[pd.DataFrame]:
        row = 2
        names = [n for n, _ in wanted]
        with pcsv.open_csv(path, **_arrow_options(width, [k for _, k in wanted])) as batches:
            for batch in batches:
                data = {name: _text_array(batch.column(f"c{k}")) for name, k in wanted}
                yield pd.DataFrame(data, index=pd.RangeIndex(row, row + batch.num_rows), columns=names)
                row += batch.num_rows
        if row == 2:
            yield pd.DataFrame({name: pd.array([], dtype=_TEXT) for name in names}, index=pd.RangeIndex(2, 2), columns=names)

    return gen()


def _text_array(arr):
    """A pyarrow text column as pandas' ``str``; an empty cell is missing."""
    arr = pc.if_else(pc.equal(arr, ""), pa_.scalar(None, pa_.large_string()), arr)
    return arr.to_pandas(types_mapper=lambda _t: _TEXT).array


# ------------------------------------------------------------------------- checking
def _near(problems: Problems, spec: FileSpec, missing: str) -> str:
    """A hint for a missing column that the header has with other spaces or capitals."""
    for h in problems.headers.get(spec.path, []):
        if h != missing and h.strip().lower() == missing.lower():
            return f"; kolom {h!r} lijkt op {missing!r}: spatie of hoofdletter?"
    return ""


def _schema_problems(df: pd.DataFrame, spec: FileSpec, problems: Problems, *, first_chunk: bool) -> None:
    try:
        raw_schema(spec, unique=False).validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        for fc in err.failure_cases.itertuples(index=False):
            col, check = fc.column, str(fc.check)
            if check == "column_in_dataframe":
                if first_chunk:
                    problems.add(Problem(spec.path, 1, str(fc.failure_case), None, "deze kolom (ontbreekt)" + _near(problems, spec, str(fc.failure_case))))
                continue
            if check.startswith("dtype("):
                continue  # every raw column is text; an empty chunk may carry no dtype
            row = None if pd.isna(fc.index) else int(fc.index)
            value = None if pd.isna(fc.failure_case) else str(fc.failure_case)
            if check == "not_nullable":
                expected = "een waarde (verplicht veld is leeg)"
            elif col and col in {c.name for c in spec.columns}:
                expected = spec.col(col).expected
            else:
                expected = check
            if value is not None and value != value.strip():
                expected += " (let op: spatie of regeleinde in de waarde)"
            problems.add(Problem(spec.path, row, col, shown(spec, col, value), expected))


def _typed(df: pd.DataFrame, spec: FileSpec) -> pd.DataFrame:
    """Contract dtypes; cells that do not parse become missing (they are reported already)."""
    out = {}
    for c in spec.columns:
        s = df[c.name] if c.name in df else pd.Series(None, index=df.index, dtype="str")
        s = s.astype("str")
        if c.kind == "date":
            out[c.name] = parse_dates(s).astype("datetime64[us]")
        elif c.kind == "bool":
            out[c.name] = s.map({"true": True, "false": False}).astype("boolean")
        elif c.kind == "count":
            x = parse_numbers(s, COUNT_RE)
            out[c.name] = x.where(x < 2**62).astype("Int64")
        elif c.kind == "number":
            out[c.name] = parse_numbers(s).astype("Float64")
        else:
            out[c.name] = s.astype("string")
    return pd.DataFrame(out, index=df.index)


def _read_file(path: Path, spec: FileSpec, problems: Problems) -> pd.DataFrame | None:
    chunks = _chunks(path, spec, problems)
    if chunks is None:
        return None
    before = len(problems.items)
    typed = []
    for i, chunk in enumerate(chunks):
        _schema_problems(chunk, spec, problems, first_chunk=i == 0)
        typed.append(_typed(chunk, spec))
    df = pd.concat(typed) if len(typed) > 1 else typed[0]
    if df.empty and not spec.may_be_empty and len(problems.items) == before:
        problems.add(Problem(spec.path, None, None, None, "minstens één rij (bestand bevat alleen een kopregel)"))
    _unique_problems(df, spec, problems)
    return df


def _unique_problems(df: pd.DataFrame, spec: FileSpec, problems: Problems) -> None:
    if not spec.unique or df.empty:
        return
    key = list(spec.unique)
    if len(key) == 1:  # sorted by pyarrow: no Python objects, no hash table per row
        arr = pa_.chunked_array(pa_.array(df[key[0]].array)).combine_chunks()  # zero-copy view, one buffer
        order = pc.array_sort_indices(arr, null_placement="at_end")
        ranked = arr.take(order)
        same = pc.equal(ranked.slice(1), ranked.slice(0, len(ranked) - 1)).fill_null(False).to_numpy(zero_copy_only=False)
        if not same.any():
            return
        hit = np.zeros(len(arr), dtype=bool)
        hit[1:] |= same
        hit[:-1] |= same
        dup = np.zeros(len(arr), dtype=bool)
        dup[order.to_numpy()] = hit
        dup = pd.Series(dup, index=df.index)
    else:
        dup = df.duplicated(subset=key, keep=False) & df[key].notna().all(axis=1)
    column = key[0] if len(key) == 1 else ",".join(key)
    for row in df.index[dup.to_numpy()]:
        value = shown(spec, key[0], df.at[row, key[0]]) if len(key) == 1 else None
        problems.add(Problem(spec.path, int(row), column, value, "een unieke waarde (komt vaker voor)"))


def _rule(problems: Problems, spec: FileSpec, frame: pd.DataFrame, mask: pd.Series, column: str, expected: str) -> None:
    for row in frame.index[mask.fillna(False).to_numpy(dtype=bool)]:
        problems.add(Problem(spec.path, int(row), column, shown(spec, column, frame.at[row, column]), expected))


def _cross_checks(reg: Register, problems: Problems) -> None:
    """Rules that span columns or files (run on whatever could be read, alongside the
    schema checks, so that one report holds every problem)."""
    vm = reg.get("verzuimmeldingen")
    if vm is not None:
        p = SPECS["verzuimmeldingen"]
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
        _rule(problems, SPECS["vrijstellingen"], vr, vr.datum_einde < vr.datum_ingang, "datum_einde", "een datum op of na datum_ingang")
    hh = reg.get("handhaving")
    if hh is not None:
        _rule(problems, SPECS["handhaving"], hh, (hh.soort != "halt") & hh.afloop.notna(), "afloop", "leeg (afloop alleen bij halt)")
    m18 = reg.get("meldingen_18plus")
    if m18 is not None:
        p = SPECS["meldingen_18plus"]
        _rule(problems, p, m18, m18.geboortedatum >= m18.datum_melding, "geboortedatum", "een geboortedatum vóór datum_melding")
    tr = reg.get("vsv_trajecten")
    if tr is not None:
        p = SPECS["vsv_trajecten"]
        _rule(problems, p, tr, tr.geboortedatum >= tr.datum_uitschrijving, "geboortedatum", "een geboortedatum vóór datum_uitschrijving")
    st = reg.get("vsv_status")
    if st is not None:
        p = SPECS["vsv_status"]
        if tr is not None:
            known = st.traject_id.isin(tr.traject_id.dropna())
            _rule(problems, p, st, st.traject_id.notna() & ~known, "traject_id", "een traject_id uit vsv_trajecten.csv")
            first = tr.dropna(subset=["traject_id"]).drop_duplicates("traject_id").set_index("traject_id").datum_uitschrijving
            # reindex, not map: mapping onto an empty series (a header-only vsv_trajecten.csv) loses the dtype
            start = pd.Series(first.reindex(st.traject_id).to_numpy(), index=st.index, dtype="datetime64[us]")
            _rule(problems, p, st, st.datum < start, "datum", "een datum op of na datum_uitschrijving van het traject")
        mon, afg = list(codes.VSV_RESULTAAT_MONITORING), list(codes.VSV_RESULTAAT_AFGEROND)
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
        _rule(problems, SPECS["zorg_preventie"], zp, zp.datum_einde < zp.datum_start, "datum_einde", "een datum op of na datum_start")
    lpt = reg.get("leerplichttelling")
    if lpt is not None:
        p = SPECS["leerplichttelling"]
        pct = lpt.indicator.str.endswith("_pct").fillna(False)
        _rule(problems, p, lpt, pct & (lpt.waarde > 100), "waarde", "bij een _pct-indicator een percentage van 0 tot en met 100")
        whole = lpt.waarde.notna() & (lpt.waarde % 1 != 0)
        _rule(problems, p, lpt, ~pct & whole, "waarde", "bij een aantal (n_…) een geheel getal ≥ 0")


def validate_delivery(data_dir: Path | str) -> tuple[Register, list[Problem]]:
    """Read and check every file; return what could be typed and all problems found.

    Cells that do not follow the contract are missing in the returned frames; the rules
    across columns and files run on what could be read, so one report holds everything."""
    data_dir = Path(data_dir)
    problems = Problems()
    reg: Register = {}
    if not data_dir.is_dir():
        what = "bestaat niet" if not data_dir.exists() else "is een bestand"
        return reg, [Problem(str(data_dir), None, None, None, f"een map met registratie/ en extern/ (deze {what})")]
    for name, spec in SPECS.items():
        df = _read_file(data_dir / spec.path, spec, problems)
        if df is not None:
            reg[name] = df
    # A file without even a header (0 bytes, or only a byte-order mark) holds no rows: the
    # rules across files see it as empty, so a status of an unknown traject is reported too.
    empty = {name: _typed(pd.DataFrame(index=pd.RangeIndex(2, 2)), spec) for name, spec in SPECS.items() if spec.path in problems.empty}
    _cross_checks({**reg, **empty}, problems)
    if problems:
        reg = {name: _without_unknown_codes(df, SPECS[name]) for name, df in reg.items()}
    return reg, problems.result()


def _without_unknown_codes(df: pd.DataFrame, spec: FileSpec) -> pd.DataFrame:
    """An invalid delivery's frame with every cell that is no code of its column missing, as
    an unparsable date already is: it is reported, it may be personal (a swapped column puts
    pseudonyms and birth dates in a code column), and the data-quality page must not show it."""
    out = df.copy(deep=False)
    for c in spec.columns:
        if c.kind == "code" and c.name in out:
            out[c.name] = out[c.name].where(out[c.name].isin(list(c.values)))
    return out


def load_register(data_dir: Path | str) -> Register:
    """The validated, typed register of ``data_dir``; raises :class:`DeliveryError` if invalid."""
    reg, problems = validate_delivery(data_dir)
    if problems:
        raise DeliveryError(Path(data_dir), problems)
    return {k: v.reset_index(drop=True) for k, v in reg.items()}
