"""Excel workbooks for the gemeenten: one per scope, a sheet per table named by its caption,
Dutch headers, Excel number formats (shown as 1.209 and 31% in a Dutch Excel), and the
legend of the signs under a table that shows one.

A gemeente's workbook holds the gemeente's own tables (its own totals) where the report has
them per gemeente; a table of all gemeenten is cut to the gemeente's row beside the region's
total, labelled as the region's ("LerenWerkt (totaal)"), never as the gemeente's."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from lerenwerkt import codes, fmt
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
        elif e.scopes == "regio":
            t = replace(t, titel=f"{t.titel} — {codes.REGIO}")
        else:
            t = replace(t, titel=f"{t.titel} — {gemeente or codes.REGIO}")
        out.append(t)
    return out


#: The region's total row in a gemeente's workbook: never read as the gemeente's own total.
REGIO_TOTAAL = f"{codes.REGIO} (totaal)"


def _cut(t: tb.Tabel, gemeente: str) -> tb.Tabel:
    rows = [r for r in (gemeente, codes.TOTAAL) if r in t.frame.index]
    frame = t.frame.loc[rows].rename(index={codes.TOTAAL: REGIO_TOTAAL})
    mask = t.onderdrukt.loc[rows].rename(index={codes.TOTAAL: REGIO_TOTAAL}) if t.onderdrukt is not None else None
    return replace(t, titel=f"{t.titel} — {gemeente} en {codes.REGIO}", frame=frame, onderdrukt=mask)


_VERBODEN = re.compile(r"[\[\]:*?/\\]")


def sheet_names(titels: list[str]) -> list[str]:
    """Excel sheet names from captions: at most 31 characters, cut at a word, without the
    characters Excel forbids, unique in the workbook (case-insensitive, as Excel compares).

    The caption is shortened first: "Bijlage" to "Bijl.", without a leading "Aantal", the
    schooljaren and a "(peildatum …)" remark (the sheet's first row holds the full caption).

    >>> sheet_names(["Tabel 3 Verzuimmeldingen 18+", "Grafiek 4 Aantal vragen om informatie/advies"])
    ['Tabel 3 Verzuimmeldingen 18+', 'Grafiek 4 vragen om informatie']
    >>> sheet_names(["Bijlage 2 Tabel 1 Aantal toegekende vrijstellingen", "Tabel 7 Status meldingen oud-vsv'ers 2020-2021 t/m 2023-2024"])
    ['Bijl. 2 Tabel 1 toegekende', 'Tabel 7 Status meldingen']
    """
    out: list[str] = []
    seen: set[str] = set()
    for titel in titels:
        kort = titel.split(" — ")[0]
        kort = re.sub(r"\(peildatum[^)]*\)|\d{4}-\d{4}(?: t/m \d{4}-\d{4})?", " ", kort)
        kort = re.sub(r"^((?:Bijlage \d+ )?(?:Tabel|Grafiek|Diagram) \w+) Aantal ", r"\1 ", kort).replace("Bijlage ", "Bijl. ")
        base = " ".join(_VERBODEN.sub(" ", kort).split()).strip("'")
        if len(base) > 31:
            cut = base[:32].rsplit(" ", 1)[0] if " " in base[:32] else base[:31]
            base = cut.rstrip(" ,;.-'(")
        name, n = base or "Tabel", 1
        while name.lower() in seen:
            n += 1
            suffix = f" ({n})"
            name = base[: 31 - len(suffix)].rstrip() + suffix
        seen.add(name.lower())
        out.append(name)
    return out


#: Display headers for the few tables whose published column labels are codes.
KOPPEN = {"meldingen": "Meldingen", "actie_gewenst": "Actie gewenst", "actie_gewenst_pct": "% actie gewenst", **codes.LPT_INDICATOR}


def _label(value) -> str:
    return " | ".join(str(v) for v in value) if isinstance(value, tuple) else str(value)


def workbook(tables: list[tb.Tabel], *, datum=None) -> bytes:
    """The workbook's bytes: a function of the tables and ``datum`` (the delivery's date, see
    :func:`lerenwerkt.reproducible.datum`; it is the workbook's created and modified date, and
    every zip entry's)."""
    from lerenwerkt import reproducible
    from lerenwerkt.disclosure import rules

    symbool = rules().symbool
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for t, name in zip(tables, sheet_names([t.titel for t in tables])):
        ws = wb.create_sheet(name)
        withheld = onbekend = False
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
                    withheld = True
                    continue
                if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
                    ws.cell(row=i, column=j, value=fmt.ONBEKEND)
                    onbekend = True
                    continue
                if isinstance(v, str):
                    ws.cell(row=i, column=j, value=v)
                    continue
                cell = ws.cell(row=i, column=j)
                if col in pct_cols:
                    cell.value = round(float(v), decimals) / 100.0  # the shown precision, no more
                    cell.number_format = "0%" if decimals == 0 else "0." + "0" * decimals + "%"
                else:
                    cell.value = int(v) if float(v).is_integer() else round(float(v), 1)
                    cell.number_format = "#,##0" if float(v).is_integer() else "#,##0.0"
        ws.cell(row=4 + len(frame) + 1, column=1, value=f"Bron: {t.bron}")
        if withheld or onbekend:
            ws.cell(row=4 + len(frame) + 2, column=1, value=fmt.tekens_uitleg(onderdrukt=withheld, onbekend=onbekend))
        ws.column_dimensions["A"].width = max(12, min(45, max((len(_label(i)) for i in frame.index), default=10) + 2))
        for j in range(2, len(frame.columns) + 2):
            ws.column_dimensions[ws.cell(row=3, column=j).column_letter].width = 16
    moment = reproducible.datum(datum)
    wb.properties.created = wb.properties.modified = moment.replace(tzinfo=None)
    buf = io.BytesIO()
    wb.save(buf)
    return reproducible.ooxml(buf.getvalue(), moment)


def write_workbooks(reg, *, schooljaar: str, out_dir: Path | str, publicatie: str = "intern", drempel_k: int | None = None) -> list[Path]:
    """One workbook per scope: ``<out_dir>/<scope>.xlsx`` (``lerenwerkt.xlsx`` for the region)."""
    from lerenwerkt import reproducible

    datum = reproducible.leveringsdatum(reg)
    paths = []
    for g in (None, *codes.GEMEENTEN):
        path = Path(out_dir) / f"{codes.slug(g)}.xlsx"
        atomic_write_bytes(path, workbook(scope_tables(reg, schooljaar=schooljaar, gemeente=g, publicatie=publicatie, drempel_k=drempel_k), datum=datum))
        paths.append(path)
    return paths
