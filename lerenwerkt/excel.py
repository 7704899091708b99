"""Excel workbooks for the gemeenten: one per scope, a sheet per table, Dutch headers,
Excel number formats (shown as 1.209 and 31% in a Dutch Excel)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from lerenwerkt import codes
from lerenwerkt import tables as tb
from lerenwerkt.io import atomic_write_bytes

PCT_DECIMALS = {"leerplichttelling": 2, "bijlage3_tabel1_duo_vsv": 2, "bijlage4_schoollocatie": 1}


def scope_tables(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern", drempel_k: int | None = None) -> list[tb.Tabel]:
    """The tables of one scope, in the catalogue's order, through the disclosure gate:
    tables with a row per gemeente cut to the gemeente and the total, the others computed
    for the scope, and the raadsmededeling tables for a gemeente."""
    from lerenwerkt import catalogue
    from lerenwerkt.gate import publish

    out: list[tb.Tabel] = []
    for e in catalogue.ENTRIES:
        if not e.export or (e.scopes == "gemeenten" and gemeente is None):
            continue
        t = publish(e.builder, reg, publicatie=publicatie, drempel_k=drempel_k, **e.kwargs(schooljaar=schooljaar, gemeente=gemeente))
        if e.scopes == "regio" and gemeente is not None and gemeente in t.frame.index:
            t = _cut(t, gemeente)
        out.append(t)
    return out


def _cut(t: tb.Tabel, gemeente: str) -> tb.Tabel:
    from dataclasses import replace

    rows = [r for r in (gemeente, codes.TOTAAL) if r in t.frame.index]
    return replace(t, frame=t.frame.loc[rows], onderdrukt=t.onderdrukt.loc[rows] if t.onderdrukt is not None else None)


#: Display headers for the few tables whose published column labels are codes.
KOPPEN = {"meldingen": "Meldingen", "actie_gewenst": "Actie gewenst", "actie_gewenst_pct": "% actie gewenst", **codes.LPT_INDICATOR}


def _label(value) -> str:
    return " | ".join(str(v) for v in value) if isinstance(value, tuple) else str(value)


def workbook(tables: list[tb.Tabel]) -> bytes:
    from lerenwerkt.disclosure import rules

    symbool = rules().symbool
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for t in tables:
        ws = wb.create_sheet(t.id[:31])
        ws["A1"] = t.titel
        ws["A1"].font = Font(bold=True, size=12)
        frame = t.frame
        ws.cell(row=3, column=1, value="")
        for j, col in enumerate(frame.columns, start=2):
            c = ws.cell(row=3, column=j, value=KOPPEN.get(col, _label(col)) if isinstance(col, str) else _label(col))
            c.font = bold
        pct_cols = set(t.pct_columns)
        decimals = PCT_DECIMALS.get(t.id, 0)
        for i, (idx, row) in enumerate(frame.iterrows(), start=4):
            ws.cell(row=i, column=1, value=_label(idx)).font = bold
            for j, (col, v) in enumerate(row.items(), start=2):
                if t.onderdrukt is not None and col in t.onderdrukt.columns and bool(t.onderdrukt.at[idx, col]):
                    ws.cell(row=i, column=j, value=symbool)
                    continue
                if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
                    continue
                if isinstance(v, str):
                    ws.cell(row=i, column=j, value=v)
                    continue
                cell = ws.cell(row=i, column=j)
                if col in pct_cols:
                    cell.value = float(v) / 100.0
                    cell.number_format = "0%" if decimals == 0 else "0." + "0" * decimals + "%"
                else:
                    cell.value = int(v) if float(v).is_integer() else float(v)
                    cell.number_format = "#,##0" if float(v).is_integer() else "#,##0.0"
        ws.cell(row=4 + len(frame) + 1, column=1, value=f"Bron: {t.bron}")
        ws.column_dimensions["A"].width = max(12, min(45, max((len(_label(i)) for i in frame.index), default=10) + 2))
        for j in range(2, len(frame.columns) + 2):
            ws.column_dimensions[ws.cell(row=3, column=j).column_letter].width = 16
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_workbooks(reg, *, schooljaar: str, out_dir: Path | str, publicatie: str = "intern", drempel_k: int | None = None) -> list[Path]:
    """One workbook per scope: ``<out_dir>/<scope>.xlsx`` (``lerenwerkt.xlsx`` for the region)."""
    paths = []
    for g in (None, *codes.GEMEENTEN):
        path = Path(out_dir) / f"{codes.slug(g)}.xlsx"
        atomic_write_bytes(path, workbook(scope_tables(reg, schooljaar=schooljaar, gemeente=g, publicatie=publicatie, drempel_k=drempel_k)))
        paths.append(path)
    return paths
