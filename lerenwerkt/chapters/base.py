"""Helpers shared by chapters: scope names and 'gemeente beside the region' tables."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from lerenwerkt import codes, render
from lerenwerkt.tables import Tabel


def titel_blok(naam: str, *, schooljaar: str, gemeente: str | None, soort: str = "concept") -> render.Block:
    """The draft's title with scope and schooljaar."""
    return render.Block(f'<h1>{naam}</h1><p class="lw-scope">{scope_naam(gemeente)} · schooljaar {schooljaar} · {soort}</p>')


def scope_naam(gemeente: str | None) -> str:
    """Display name of a scope: the gemeente, or the region's name."""
    return gemeente or codes.REGIO


def beside_region(build: Callable[..., Tabel], reg, *, schooljaar: str, gemeente: str | None) -> tuple[Tabel, pd.DataFrame]:
    """The table for the scope; for a gemeente with the region's columns beside it."""
    region = build(reg, schooljaar=schooljaar, gemeente=None)
    if gemeente is None:
        return region, region.frame
    own = build(reg, schooljaar=schooljaar, gemeente=gemeente)
    frame = pd.concat({gemeente: own.frame, codes.REGIO: region.frame}, axis=1)
    return own, frame


def scope_rows(frame: pd.DataFrame, gemeente: str | None) -> pd.DataFrame:
    """Rows of a per-gemeente table for the scope: all rows for the region, else the
    gemeente and the regional total (renamed to the region's name)."""
    if gemeente is None:
        return frame
    out = frame.loc[[gemeente, codes.TOTAAL]]
    return out.rename(index={codes.TOTAAL: f"{codes.REGIO} (totaal)"})
