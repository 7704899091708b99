"""``lerenwerkt import``: turn a real export of the case system into the data contract.

A mapping file (YAML, Dutch keys, see ``examples/export/mapping.yml``) says per contract
file where its rows come from (a CSV file or a sheet of an ``.xlsx`` workbook), which source
column becomes which contract column, how labels translate to codes ("Wettelijk verzuim" →
``wettelijk``, "Oude-IJsselstreek" → ``Oude IJsselstreek``), and how dates, booleans, numbers,
delimiter and encoding are written (``31-12-2024``, ``Ja``/``Nee``, ``1,84``, ``;``,
Windows-1252). Values that cannot be mapped are all listed; nothing is written then.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
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


@dataclass
class Unmapped:
    file: str
    column: str
    value: str
    count: int

    def __str__(self) -> str:
        return f"{self.file}, kolom {self.column}: {self.value!r} ({self.count}×) — geen vertaling in de mapping"


@dataclass
class ImportResult:
    files: dict[str, str] = field(default_factory=dict)  # contract path -> CSV text
    rows: dict[str, int] = field(default_factory=dict)
    unmapped: list[Unmapped] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unmapped and not self.missing

    def report(self) -> str:
        lines = [f"- {path}: {self.rows[path]} rijen" for path in self.files]
        lines += [f"- ontbreekt: {m}" for m in self.missing]
        lines += [f"- {u}" for u in self.unmapped]
        return "\n".join(lines)


def load_mapping(path: Path | str) -> dict:
    mapping = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if "bestanden" not in mapping:
        raise ValueError(f"mapping {path}: verwacht een sectie 'bestanden'")
    unknown = [k for k in mapping["bestanden"] if k not in {s.path for s in SPECS.values()}]
    if unknown:
        raise ValueError(f"mapping {path}: onbekend doelbestand {', '.join(unknown)}; verwacht bijvoorbeeld registratie/verzuimmeldingen.csv")
    return mapping


def _find(sources: list[Path], name: str) -> Path | None:
    for s in sources:
        if s.is_dir() and (s / name).exists():
            return s / name
        if s.is_file() and s.name == name:
            return s
    return None


def _read_rows(path: Path, opts: dict, sheet: str | None) -> list[dict[str, str]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        ws = wb[sheet] if sheet else wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = [str(h).strip() for h in next(it)]
        rows = []
        for values in it:
            if values is None or all(v is None for v in values):
                continue
            rows.append({h: _cell_text(v, opts) for h, v in zip(header, values)})
        wb.close()
        return rows
    text = path.read_bytes().decode(opts["codering"])
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=opts["scheidingsteken"])
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]


def _cell_text(v, opts) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime | dt.date):
        return v.strftime(opts["datumformaat"])
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _convert(value: str, col, opts: dict, codes_map: dict) -> tuple[str, bool]:
    """Contract text of one source value; second item False when it could not be mapped."""
    if value == "":
        return "", True
    if col.kind == "code" or codes_map:
        if value in codes_map:
            return str(codes_map[value]), True
        return value, (not col.values) or value in col.values
    if col.kind == "date":
        for fmt_ in (opts["datumformaat"], "%Y-%m-%d"):
            try:
                return dt.datetime.strptime(value, fmt_).date().isoformat(), True
            except ValueError:
                continue
        return value, False
    if col.kind == "bool":
        if value in opts["waar"] or value == "true":
            return "true", True
        if value in opts["onwaar"] or value == "false":
            return "false", True
        return value, False
    if col.kind in ("count", "number") and opts["decimaalteken"] == ",":
        return value.replace(".", "").replace(" ", "").replace(",", "."), True
    return value, True


def run_import(mapping: dict, sources: list[Path]) -> ImportResult:
    """Convert the sources; nothing is written here (see :func:`write`)."""
    defaults = {**DEFAULTS, **(mapping.get("standaard") or {})}
    shared_codes = (mapping.get("standaard") or {}).get("codes") or {}
    result = ImportResult()
    for target, fmap in mapping["bestanden"].items():
        spec: FileSpec = next(s for s in SPECS.values() if s.path == target)
        opts = {**defaults, **{k: v for k, v in fmap.items() if k in DEFAULTS}}
        src = _find(sources, fmap.get("bron", Path(target).name))
        if src is None:
            result.missing.append(f"{target} (bron {fmap.get('bron', Path(target).name)})")
            continue
        rows = _read_rows(src, opts, fmap.get("blad"))
        renames = fmap.get("kolommen") or {}
        codes_by_col = {**shared_codes, **(fmap.get("codes") or {})}
        bad: Counter = Counter()
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        cols = [c.name for c in spec.columns]
        w.writerow(cols)
        for row in rows:
            renamed = {renames.get(k, k): v for k, v in row.items()}
            out = []
            for c in spec.columns:
                raw = renamed.get(c.name, "")
                value, ok = _convert(raw, c, opts, {str(k): v for k, v in (codes_by_col.get(c.name) or {}).items()})
                if not ok:
                    bad[(c.name, raw)] += 1
                out.append(value)
            w.writerow(out)
        result.files[target] = buf.getvalue()
        result.rows[target] = len(rows)
        result.unmapped += [Unmapped(target, col, val, n) for (col, val), n in sorted(bad.items())]
    return result


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
