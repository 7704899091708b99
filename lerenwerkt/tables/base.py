"""Shared pieces of the table builders: the Tabel, the per-delivery cache, years, totals, the cell export."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import wraps

import pandas as pd

from lerenwerkt import codes
from lerenwerkt import schooljaar as sj
from lerenwerkt.load import Register

TOTAAL = codes.TOTAAL
ROWS_G = [*codes.GEMEENTEN, TOTAAL]
A_KOLOMMEN = {s: codes.VERZUIMSOORT[s] for s in codes.VERZUIMSOORT}
B_KOLOMMEN = codes.RESULTAAT_KOLOM


FINGERPRINT_ATTR = "lerenwerkt_sha256"
_MEMO: dict = {}
_MEMO_MAX = 1024


def _fingerprint(reg: Register) -> str | None:
    df = reg.get("verzuimmeldingen")
    return None if df is None else df.attrs.get(FINGERPRINT_ATTR)


def memoized(builder: Callable[..., Tabel]) -> Callable[..., Tabel]:
    """Cache a table builder per delivery (content hash) and arguments.

    A warm kernel builds many drafts of one delivery; the regional tables that every
    gemeente draft shows beside its own are then computed once. Registers without a
    fingerprint (e.g. hand-made test frames) are never cached. Callers get a copy.
    """

    @wraps(builder)
    def wrapper(reg: Register, **kwargs) -> Tabel:
        fp = _fingerprint(reg)
        if fp is None:
            return builder(reg, **kwargs)
        key = (builder.__name__, fp, tuple(sorted(kwargs.items())))
        if key not in _MEMO:
            if len(_MEMO) >= _MEMO_MAX:
                _MEMO.clear()
            _MEMO[key] = builder(reg, **kwargs)
        t = _MEMO[key]
        return replace(t, frame=t.frame.copy())

    return wrapper


@dataclass(frozen=True)
class Tabel:
    id: str
    titel: str
    frame: pd.DataFrame  # index = rij labels, columns = kolom labels
    bron: str = "JVS"
    pct_columns: tuple[str, ...] = ()  # columns holding percentages
    hoofdstuk: str = "verzuim"
    onderdrukt: pd.DataFrame | None = None  # True where a cell is suppressed (openbaar)


def _years(schooljaar: str, n: int = 3) -> list[str]:
    return [sj.shift(schooljaar, -k) for k in range(n - 1, -1, -1)]


def _with_totaal(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([frame, frame.sum().to_frame(TOTAAL).T])


def _years_with_data(df: pd.DataFrame, years: Sequence[str]) -> list[str]:
    present = set(df.schooljaar.dropna())
    return [y for y in years if y in present]


def _num(value) -> float:
    return float("nan") if value is None or pd.isna(value) else float(value)


def all_tables(reg: Register, *, schooljaar: str) -> list[Tabel]:
    """Every published table of the cell export, intern (the catalogue's order; see
    :func:`lerenwerkt.gate.all_published`)."""
    from lerenwerkt.gate import all_published

    return all_published(reg, schooljaar=schooljaar, publicatie="intern")


def cells(tables: Sequence[Tabel]) -> pd.DataFrame:
    """Long format ``tabel,rij,kolom,waarde,onderdrukt`` of the given tables. Cells without a
    value are left out, except suppressed ones (``onderdrukt`` True, ``waarde`` empty)."""
    frames = []
    for t in tables:
        if t.id == "tekst":
            f = t.frame if "onderdrukt" in t.frame else t.frame.assign(onderdrukt=False)
            frames.append(f.assign(tabel="tekst"))
            continue
        f = t.frame.copy()
        f.index.name, f.columns.name = "rij", "kolom"
        long = f.stack(future_stack=True).rename("waarde").reset_index()
        if t.onderdrukt is not None:
            m = t.onderdrukt.reindex(index=t.frame.index, columns=t.frame.columns, fill_value=False).copy()
            m.index.name, m.columns.name = "rij", "kolom"
            long["onderdrukt"] = m.stack(future_stack=True).to_numpy(dtype=bool)
        else:
            long["onderdrukt"] = False
        frames.append(long.assign(tabel=t.id))
    out = pd.concat(frames, ignore_index=True)[["tabel", "rij", "kolom", "waarde", "onderdrukt"]]
    out = out[out.waarde.notna() | out.onderdrukt]
    return out.astype({"rij": "string", "kolom": "string", "waarde": "float64", "onderdrukt": "bool"}).reset_index(drop=True)


def format_waarde(v: float) -> str:
    """Cell value as written to cells.csv: whole numbers without decimals, else 4 decimals."""
    return str(int(round(v))) if float(v).is_integer() else f"{v:.4f}"
