"""Bijlagen 1–4 and the report's Tabel 1, in the published layout, for the scope."""

from __future__ import annotations

import pandas as pd

from lerenwerkt import codes, gate, render
from lerenwerkt import tables as tb
from lerenwerkt.chapters.base import scope_naam, scope_rows, titel_blok
from lerenwerkt.chapters.verzuim import bijlage1  # noqa: F401  (re-exported: Bijlage 1)


def titel(*, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    return titel_blok("Bijlagen", schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie)


def _per_gemeente(t: tb.Tabel, gemeente: str | None, **kw) -> render.Block:
    return render.table(
        scope_rows(t.frame, gemeente),
        onderdrukt=scope_rows(t.onderdrukt, gemeente) if t.onderdrukt is not None else None,
        titel=t.titel,
        bron=t.bron,
        uid=t.id,
        highlight_rows=[gemeente] if gemeente else (),
        totaal_rows=(codes.TOTAAL, f"{codes.REGIO} (totaal)"),
        **kw,
    )


def bevolking(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    return _per_gemeente(tb.tabel1_bevolking(reg, schooljaar=schooljaar), gemeente)


def bijlage2(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    return _per_gemeente(gate.publish(tb.bijlage2_tabel1, reg, publicatie=publicatie, schooljaar=schooljaar), gemeente) + _per_gemeente(
        gate.publish(tb.bijlage2_tabel2, reg, publicatie=publicatie, schooljaar=schooljaar), gemeente
    )


def bijlage3(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    duo = tb.bijlage3_tabel1(reg, schooljaar=schooljaar)
    leeftijd = gate.publish(tb.bijlage3_tabel2, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=gemeente)
    return (
        render.table(duo.frame, titel=duo.titel, bron=duo.bron, uid=duo.id, pct_columns=duo.pct_columns, pct_decimalen=2, totaal_rows=())
        + render.table(leeftijd.frame, titel=f"{leeftijd.titel} — {scope_naam(gemeente)}", bron=leeftijd.bron, uid=leeftijd.id, onderdrukt=leeftijd.onderdrukt)
        + _per_gemeente(tb.bijlage3_tabel3(reg, schooljaar=schooljaar), gemeente)
    )


def bijlage4(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    t = tb.bijlage4(reg, schooljaar=schooljaar)
    frame = scope_rows(t.frame, gemeente)
    frame.columns = pd.MultiIndex.from_tuples([tuple(c.split(" | ")) for c in frame.columns])
    pct = [tuple(c.split(" | ")) for c in t.pct_columns]
    return render.table(
        frame,
        titel=t.titel,
        bron=t.bron,
        uid=t.id,
        pct_columns=pct,
        pct_decimalen=1,
        highlight_rows=[gemeente] if gemeente else (),
        totaal_rows=(codes.TOTAAL, f"{codes.REGIO} (totaal)"),
    )
