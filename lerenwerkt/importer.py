"""``lerenwerkt import``: turn a real export of the case system into the data contract.

A mapping file (YAML, Dutch keys, see ``examples/export/mapping.yml``) says per contract
file where its rows come from (a CSV file or a sheet of an ``.xlsx`` workbook), which source
column becomes which contract column, how labels translate to codes ("Wettelijk verzuim" →
``wettelijk``, "Oude-IJsselstreek" → ``Oude IJsselstreek``), and how dates, booleans, numbers,
delimiter and encoding are written (``31-12-2024``, ``Ja``/``Nee``, ``1,84``, ``;``,
Windows-1252). Values that cannot be mapped are all listed — with the export's own file and
column names and its row numbers — and nothing is written then.

Messages never show an identifier or a date of a person: for those columns they give the
rows, not the values. A value in any other column of a ``registratie/`` file is shown only if it
is one of the column's codes or the mapping's labels (but for spaces and capitals): two columns
swapped in an export put ids, pseudonyms or birth dates in a code column (the same rule as
:func:`lerenwerkt.load.shown`). A header cell is named only if the mapping or the contract
knows it. At most :data:`VALUES_SHOWN` values are listed per column and reason; the rest is
counted in one line. What the import normalises (spaces around a value, a two-digit year
``1-8-24``) is listed as a warning.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from lerenwerkt.io import atomic_write_text
from lerenwerkt.schemas import SPECS, FileSpec

DEFAULTS = {
    "scheidingsteken": ",",
    "codering": "utf-8-sig",
    "datumformaat": "%Y-%m-%d",
    "decimaalteken": ".",
    "waar": ["true"],
    "onwaar": ["false"],
}

#: Spreadsheets above these limits are refused: a workbook is read whole and slowly (a
#: 6.6 MB xlsx can hold 2 million rows); export a large table as CSV, which is streamed.
XLSX_MAX_BYTES = 20 * 1024 * 1024
XLSX_MAX_ROWS = 250_000
#: A workbook is a zip: checked before openpyxl parses it (a zip bomb of 0,8 MB can hold 340 MB
#: of XML and 20 million shared strings, which openpyxl keeps in memory all at once). A real
#: workbook of 250.000 rows has a few dozen parts, some 100 MB of XML and fewer than
#: 2 million different texts.
XLSX_MAX_PARTS = 1000
XLSX_MAX_UNZIPPED = 400 * 1024 * 1024
XLSX_MAX_STRINGS = 2_000_000
#: A CSV field larger than this is refused (usually a quote that is never closed).
FIELD_LIMIT = 128 * 1024
#: Row numbers listed per finding; the rest is counted.
ROWS_SHOWN = 5
#: Values listed one by one per export column and reason; the rest is counted in one line.
VALUES_SHOWN = 20


@dataclass
class Unmapped:
    """Values of one export column that could not be translated (or were normalised)."""

    file: str  # contract file
    column: str  # contract column
    value: str | None  # None when not shown: identifiers, dates, anything personal (see module)
    count: int
    source: str = ""  # export file (and sheet)
    source_column: str = ""  # the export's own column name
    rows: list[int] = field(default_factory=list)  # export row numbers (header = 1)
    reason: str = "geen vertaling in de mapping"
    hidden: bool = False  # values of a non-personal column kept back: they look personal
    distinct: int = 1  # different values in this finding (when not shown, or counted together)
    values: set = field(default_factory=set, repr=False, compare=False)  # kept to count them; never shown

    def __str__(self) -> str:
        from lerenwerkt.fmt import getal

        col = f"kolom '{self.source_column}'" + (f" (→ {self.column})" if self.source_column != self.column else "")
        rows = ", ".join(str(r) for r in self.rows[:ROWS_SHOWN])
        more = f" en nog {getal(self.count - ROWS_SHOWN)}" if self.count > ROWS_SHOWN else ""
        found = f": {self.value!r}" if self.value is not None else ""
        if self.hidden:
            n = "1 waarde" if self.distinct == 1 else f"{getal(self.distinct)} verschillende waarden"
            found = f": {n}, niet getoond (privacy: geen code uit de mapping; bekijk de rijen in de export)"
        elif self.value is None and self.distinct > 1:
            found = f": nog {getal(self.distinct)} andere waarden"
        return f"{self.source or self.file}, {col}, rij {rows}{more}{found} ({getal(self.count)}×) — {self.reason}"


@dataclass
class ImportResult:
    files: dict[str, str] = field(default_factory=dict)  # contract path -> CSV text
    rows: dict[str, int] = field(default_factory=dict)
    unmapped: list[Unmapped] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # a source that cannot be read as a whole
    warnings: list[Unmapped] = field(default_factory=list)  # normalised, written anyway

    @property
    def ok(self) -> bool:
        return not self.unmapped and not self.missing and not self.problems

    def report(self) -> str:
        lines = [f"- {path}: {self.rows[path]} rijen" for path in self.files]
        lines += [f"- ontbreekt: {m}" for m in self.missing]
        lines += [f"- {p}" for p in self.problems]
        lines += [f"- {u}" for u in self.unmapped]
        lines += [f"- let op: {w}" for w in self.warnings]
        return "\n".join(lines)


def load_mapping(path: Path | str) -> dict:
    """The mapping file, checked: plain YAML (no tags), a section ``bestanden`` with known
    contract files. Any defect is a ``ValueError`` naming the place."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"mapping {path}: bestand bestaat niet") from None
    except UnicodeDecodeError:
        raise ValueError(f"mapping {path}: verwacht tekst in UTF-8") from None
    except OSError as err:
        raise ValueError(f"mapping {path}: niet te lezen ({err.strerror})") from None
    try:
        mapping = yaml.safe_load(text) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f", regel {mark.line + 1}" if mark is not None else ""
        what = getattr(err, "problem", None) or "ongeldige YAML"
        raise ValueError(f"mapping {path}{where}: geen geldige mapping ({what}); gebruik gewone YAML zonder !-tags") from None
    if not isinstance(mapping, dict) or not isinstance(mapping.get("bestanden"), dict):
        raise ValueError(f"mapping {path}: verwacht een sectie 'bestanden'")
    unknown = [str(k) for k in mapping["bestanden"] if k not in {s.path for s in SPECS.values()}]
    if unknown:
        raise ValueError(f"mapping {path}: onbekend doelbestand {', '.join(unknown)}; verwacht bijvoorbeeld registratie/verzuimmeldingen.csv")
    for section in ("standaard",):
        if mapping.get(section) is not None and not isinstance(mapping[section], dict):
            raise ValueError(f"mapping {path}: '{section}' moet sleutels en waarden bevatten")
    for target, fmap in mapping["bestanden"].items():
        if not isinstance(fmap, dict):
            raise ValueError(f"mapping {path}: bij {target} verwacht sleutels zoals bron en kolommen")
        for key in ("kolommen", "codes"):
            if fmap.get(key) is not None and not isinstance(fmap[key], dict):
                raise ValueError(f"mapping {path}: {target}.{key} moet sleutels en waarden bevatten")
        for col, table in (fmap.get("codes") or {}).items():
            if not isinstance(table, dict):
                raise ValueError(f"mapping {path}: {target}.codes.{col} moet labels en codes bevatten")
    return mapping


def _find(sources: list[Path], name: str) -> Path | None:
    for s in sources:
        if s.is_dir() and (s / name).exists():
            return s / name
        if s.is_file() and s.name == name:
            return s
    return None


class _SourceError(Exception):
    """A source that cannot be read as a whole (message in Dutch, no cell values)."""


def _read_rows(path: Path, opts: dict, sheet: str | None, known: frozenset[str] = frozenset()) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and rows of a source, each row with its number in the export (header = 1);
    ``known``: the column names a message may show (the mapping's and the contract's)."""
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, opts, sheet, known)
    try:
        text = path.read_bytes().decode(opts["codering"])
    except LookupError:
        raise _SourceError(f"{path.name}: onbekende codering {opts['codering']!r} in de mapping") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise _SourceError(f"{path.name}, rij {line}: niet te lezen als {opts['codering']}; zet de juiste 'codering' in de mapping") from None
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=opts["scheidingsteken"])
    try:
        header = [h.strip() for h in next(reader, [])]
        rows = []
        raw_rows = []
        for row in reader:
            raw_rows.append((reader.line_num, row))
    except csv.Error as err:
        what = "een veld is groter dan 128 KB" if "field limit" in str(err) else "ongeldige CSV"
        raise _SourceError(f"{path.name}, rij {reader.line_num}: {what} (staat er een aanhalingsteken te veel?)") from None
    _check_header(path.name, header, known)
    for n, (_line, row) in enumerate(raw_rows, start=2):
        if not row or (len(row) == 1 and row[0] == ""):
            continue
        if len(row) != len(header):
            raise _SourceError(f"{path.name}, rij {n}: {len(row)} velden, de kopregel heeft er {len(header)}")
        rows.append((n, dict(zip(header, row))))
    return header, rows


def _check_header(name: str, header: list[str], known: frozenset[str] = frozenset()) -> None:
    """A header cell is named only if it is ``known``: a file without a header has a row of
    ids and dates in its place."""
    if not any(header):
        raise _SourceError(f"{name}: geen kopregel met kolomnamen")
    doubles = sorted({h for h in header if h and header.count(h) > 1}, key=header.index)
    if doubles:
        parts = [
            f"kolomnaam {d!r} staat er meer dan eens in"
            if d in known
            else f"kolom {' en '.join(str(i + 1) for i, x in enumerate(header) if x == d)} hebben dezelfde naam"
            for d in doubles
        ]
        raise _SourceError(f"{name}: {'; '.join(parts)}; elke kolom moet een eigen naam hebben (is de eerste regel wel een kopregel?)")


def _read_xlsx(path: Path, opts: dict, sheet: str | None, known: frozenset[str] = frozenset()):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    size = path.stat().st_size
    if size > XLSX_MAX_BYTES:
        raise _SourceError(
            f"{path.name}: werkboek van {size / 1024 / 1024:.1f} MB is te groot (grens {XLSX_MAX_BYTES // 1024 // 1024} MB); exporteer dit blad als CSV"
        )
    _check_zip(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise _SourceError(f"{path.name}: geen leesbaar Excel-werkboek (.xlsx)") from None
    try:
        if sheet and sheet not in wb.sheetnames:
            raise _SourceError(f"{path.name}: blad {sheet!r} bestaat niet; wel: {', '.join(wb.sheetnames)}")
        ws = wb[sheet] if sheet else wb.worksheets[0]
        label = f"{path.name} [{ws.title}]"
        if (ws.max_row or 0) > XLSX_MAX_ROWS + 1:
            raise _SourceError(f"{label}: {ws.max_row - 1} rijen is te veel voor een werkboek (grens {XLSX_MAX_ROWS}); exporteer dit blad als CSV")
        it = ws.iter_rows(values_only=True)
        first = next(it, None)
        header = [("" if h is None else str(h).strip()) for h in (first or ())]
        _check_header(label, header, known)
        rows = []
        for n, values in enumerate(it, start=2):
            if n > XLSX_MAX_ROWS + 1:
                raise _SourceError(f"{label}: meer dan {XLSX_MAX_ROWS} rijen is te veel voor een werkboek; exporteer dit blad als CSV")
            if values is None or all(v is None for v in values):
                continue
            rows.append((n, {h: _cell_text(v, opts) for h, v in zip(header, values)}))
        return header, rows
    finally:
        wb.close()


def _check_zip(path: Path) -> None:
    """Refuse a workbook whose parts would take more memory or time than a real export:
    too many parts, too much XML once unzipped (the sizes the zip declares; zipfile never
    returns more than that), or too many shared strings — counted while streaming, stopped
    at the limit, before openpyxl reads them all into memory."""
    try:
        with zipfile.ZipFile(path) as z:
            parts = z.infolist()
            if len(parts) > XLSX_MAX_PARTS:
                raise _SourceError(
                    f"{path.name}: werkboek met {len(parts)} onderdelen is geen gewone export (grens {XLSX_MAX_PARTS}); exporteer dit blad als CSV"
                )
            unzipped = sum(p.file_size for p in parts)
            if unzipped > XLSX_MAX_UNZIPPED:
                raise _SourceError(
                    f"{path.name}: werkboek is uitgepakt {unzipped // 1024 // 1024} MB, te groot (grens {XLSX_MAX_UNZIPPED // 1024 // 1024} MB); exporteer dit blad als CSV"
                )
            for p in parts:
                if p.filename.lower().endswith("sharedstrings.xml"):
                    with z.open(p) as fh:
                        if _count_strings(fh, XLSX_MAX_STRINGS) > XLSX_MAX_STRINGS:
                            from lerenwerkt.fmt import getal

                            raise _SourceError(
                                f"{path.name}: werkboek met meer dan {getal(XLSX_MAX_STRINGS)} verschillende teksten is geen gewone export; exporteer dit blad als CSV"
                            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError, ValueError):
        raise _SourceError(f"{path.name}: geen leesbaar Excel-werkboek (.xlsx)") from None


_SI = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


def _count_strings(fh, limit: int) -> int:
    """The shared strings (``<si>`` elements) of a stream, counted up to just past ``limit``
    in 1 MB steps: bounded memory, stopped early."""
    n, carry = 0, b""
    while chunk := fh.read(1 << 20):
        buf = carry + chunk
        cut = buf.rfind(b"<")  # a tag is never split between two steps
        cut = len(buf) if cut <= 0 else cut
        n += len(_SI.findall(buf, 0, cut))
        carry = buf[cut:]
        if n > limit:
            return n
    return n + len(_SI.findall(carry))


def _cell_text(v, opts) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime | dt.date):
        return v.strftime(opts["datumformaat"])
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _convert(value: str, col, opts: dict, codes_map: dict) -> tuple[str, str | None, str | None]:
    """``(contract text, error, warning)`` of one (stripped) source value."""
    if value == "":
        return "", None, None
    if col.kind == "code" or codes_map:
        if value in codes_map:
            return str(codes_map[value]), None, None
        if (not col.values) or value in col.values:
            return value, None, None
        return value, "geen vertaling in de mapping (voeg het label toe onder codes)", None
    if col.kind == "date":
        example = dt.date(2024, 12, 31).strftime(opts["datumformaat"])
        if value.isascii():
            for fmt_ in (opts["datumformaat"], "%Y-%m-%d"):
                try:
                    return dt.datetime.strptime(value, fmt_).date().isoformat(), None, None
                except ValueError:
                    continue
            short = opts["datumformaat"].replace("%Y", "%y")
            if short != opts["datumformaat"]:
                try:
                    d = dt.datetime.strptime(value, short).date()
                except ValueError:
                    pass
                else:
                    return d.isoformat(), None, "jaartal met twee cijfers gelezen als 00-68 → 20.., 69-99 → 19..; controleer deze datums"
        return value, f"een datum zoals {example} (datumformaat {opts['datumformaat']!r}, cijfers 0-9)", None
    if col.kind == "bool":
        if value in opts["waar"] or value == "true":
            return "true", None, None
        if value in opts["onwaar"] or value == "false":
            return "false", None, None
        return value, f"ja of nee: een van {', '.join(map(str, [*opts['waar'], *opts['onwaar']]))} (zet het onder waar/onwaar in de mapping)", None
    if col.kind in ("count", "number"):
        if not value.isascii():
            return value, "een getal in cijfers 0-9", None
        if opts["decimaalteken"] == ",":
            return value.replace(".", "").replace(" ", "").replace(",", "."), None, None
    return value, None, None


def run_import(mapping: dict, sources: list[Path]) -> ImportResult:
    """Convert the sources; nothing is written here (see :func:`write`)."""
    defaults = {**DEFAULTS, **(mapping.get("standaard") or {})}
    shared_codes = (mapping.get("standaard") or {}).get("codes") or {}
    result = ImportResult()
    for target, fmap in mapping["bestanden"].items():
        spec: FileSpec = next(s for s in SPECS.values() if s.path == target)
        opts = {**defaults, **{k: v for k, v in fmap.items() if k in DEFAULTS}}
        bron = str(fmap.get("bron", Path(target).name))
        src = _find(sources, bron)
        if src is None:
            result.missing.append(f"{target} (bron {bron})")
            continue
        renames = {str(k): str(v) for k, v in (fmap.get("kolommen") or {}).items()}
        try:
            header, rows = _read_rows(src, opts, fmap.get("blad"), frozenset(renames) | {c.name for c in spec.columns})
        except _SourceError as err:
            result.problems.append(str(err))
            continue
        label = src.name + (f" [{fmap['blad']}]" if fmap.get("blad") else "")
        source_of = {renames.get(h, h): h for h in header}
        absent = [c for c in spec.columns if c.required and c.name not in source_of]
        for c in absent:
            wanted = next((k for k, v in renames.items() if v == c.name), c.name)
            result.problems.append(f"{label}: kolom '{wanted}' (→ {c.name}) ontbreekt in de export")
        if absent:
            continue
        codes_by_col = {**shared_codes, **(fmap.get("codes") or {})}
        code_maps = {c.name: {str(k): v for k, v in (codes_by_col.get(c.name) or {}).items()} for c in spec.columns}
        text, found = _convert_rows(spec, label, rows, source_of, code_maps, opts)
        result.files[target] = text
        result.rows[target] = len(rows)
        result.unmapped += _capped([u for (kind, *_), u in found.items() if kind == "error"])
        result.warnings += _capped([u for (kind, *_), u in found.items() if kind == "warn"])
    return result


def _capped(found: list[Unmapped]) -> list[Unmapped]:
    """At most :data:`VALUES_SHOWN` shown values per export column and reason; the others
    counted together in one finding (a swapped extern column would list every figure)."""
    out: list[Unmapped] = []
    per: dict[tuple, list[Unmapped]] = {}
    for u in found:
        per.setdefault((u.column, u.reason, u.hidden or u.value is None), []).append(u)
    for group in per.values():
        out += group[:VALUES_SHOWN]
        rest = group[VALUES_SHOWN:]
        if rest:
            first = rest[0]
            rows = sorted(r for u in rest for r in u.rows)[:ROWS_SHOWN]
            out.append(
                Unmapped(first.file, first.column, None, sum(u.count for u in rest), first.source, first.source_column, rows, first.reason, distinct=len(rest))
            )
    return out


def _convert_rows(spec: FileSpec, label: str, rows, source_of: dict, code_maps: dict, opts: dict) -> tuple[str, dict[tuple, Unmapped]]:
    """Contract CSV text of one source, and what could not be translated or was normalised
    (grouped per column, value and reason; values of personal columns never kept)."""
    found: dict[tuple, Unmapped] = {}

    from lerenwerkt.load import HIDDEN, shown

    def known(c) -> tuple[str, ...]:
        words = tuple(code_maps[c.name])
        return words + tuple(str(w) for w in (*opts["waar"], *opts["onwaar"])) if c.kind == "bool" else words

    def note(kind: str, c, raw: str, row: int, reason: str) -> None:
        value = shown(spec, c.name, raw, known=known(c))
        hidden = value == HIDDEN
        value = None if hidden else raw if value is not None else None
        key = (kind, c.name, value, reason)
        u = found.get(key)
        if u is None:
            u = found[key] = Unmapped(spec.path, c.name, value, 0, label, source_of.get(c.name, c.name), [], reason, hidden=hidden)
        u.count += 1
        if hidden:
            u.values.add(raw)
            u.distinct = len(u.values)
        if len(u.rows) < ROWS_SHOWN:
            u.rows.append(row)

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([c.name for c in spec.columns])
    for n, row in rows:
        out = []
        for c in spec.columns:
            raw = row.get(source_of.get(c.name, c.name), "")
            value = raw.strip()
            if value != raw and value:
                note("warn", c, raw, n, "spaties of regeleinde rond de waarde verwijderd")
            text, error, warning = _convert(value, c, opts, code_maps[c.name])
            if error:
                note("error", c, value, n, error)
            elif warning:
                note("warn", c, value, n, warning)
            out.append(text)
        w.writerow(out)
    return buf.getvalue(), found


def write(result: ImportResult, out_dir: Path | str) -> list[Path]:
    if not result.ok:
        raise ValueError("import: niet alle waarden konden worden vertaald; er is niets geschreven")
    paths = []
    for target, text in result.files.items():
        p = Path(out_dir) / target
        atomic_write_text(p, text, private=True)
        paths.append(p)
    return paths


# ---------------------------------------------------------------- the shipped example export
# ---------------------------------------------------------------- the shipped example export
def make_example_export(register_dir: Path | str, mapping_path: Path | str, out_dir: Path | str) -> list[Path]:
    """Write a realistic export (Dutch column names and labels, ``;``, Windows-1252, Dutch
    dates and numbers, an ``.xlsx`` sheet) of a contract register, as the inverse of the
    mapping — so that importing it with that mapping gives the register back exactly."""
    mapping = load_mapping(mapping_path)
    defaults = {**DEFAULTS, **(mapping.get("standaard") or {})}
    shared_codes = (mapping.get("standaard") or {}).get("codes") or {}
    out_dir = Path(out_dir)
    written, sheets = [], {}
    for target, fmap in mapping["bestanden"].items():
        spec = next(s for s in SPECS.values() if s.path == target)
        opts = {**defaults, **{k: v for k, v in fmap.items() if k in DEFAULTS}}
        back = {v: k for k, v in (fmap.get("kolommen") or {}).items()}
        codes_by_col = {**shared_codes, **(fmap.get("codes") or {})}
        with open(Path(register_dir) / target, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        header = [back.get(c.name, c.name) for c in spec.columns]
        body = []
        for row in rows:
            out = []
            for c in spec.columns:
                v = row.get(c.name, "")
                inv = {str(code): label for label, code in (codes_by_col.get(c.name) or {}).items()}
                if v and v in inv:
                    v = inv[v]
                elif v and c.kind == "date":
                    v = dt.date.fromisoformat(v).strftime(opts["datumformaat"])
                elif v and c.kind == "bool":
                    v = opts["waar"][0] if v == "true" else opts["onwaar"][0]
                elif v and c.kind == "count" and opts["decimaalteken"] == ",":
                    v = f"{int(v):,}".replace(",", ".")
                elif v and c.kind == "number" and opts["decimaalteken"] == ",":
                    v = v.replace(".", ",")
                out.append(v)
            body.append(out)
        src = fmap.get("bron", Path(target).name)
        if src.lower().endswith(".xlsx"):
            sheets.setdefault(src, []).append((fmap.get("blad") or "Blad1", header, body, opts))
            continue
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=opts["scheidingsteken"], lineterminator="\r\n")
        w.writerow(header)
        w.writerows(body)
        path = out_dir / src
        from lerenwerkt.io import atomic_write_bytes

        atomic_write_bytes(path, buf.getvalue().encode(opts["codering"]), private=True)
        written.append(path)
    for src, parts in sheets.items():
        from openpyxl import Workbook

        wb = Workbook()
        wb.remove(wb.active)
        for name, header, body, _opts in parts:
            ws = wb.create_sheet(name)
            ws.append(header)
            for r in body:
                ws.append(r)
        path = out_dir / src
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
        written.append(path)
    return written
