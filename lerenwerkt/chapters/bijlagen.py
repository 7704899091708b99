"""Bijlagen 1–4 and the report's Tabel 1, in the published layout, for the scope, with the
report's legend of the onderwijssoorten and the footnotes of Bijlage 3 Tabel 2."""

from __future__ import annotations

import html

import pandas as pd

from lerenwerkt import codes, gate, render, text
from lerenwerkt import schooljaar as sj
from lerenwerkt import tables as tb
from lerenwerkt.chapters.base import scope_naam, scope_rows, titel_blok
from lerenwerkt.chapters.verzuim import bijlage1  # noqa: F401  (re-exported: Bijlage 1)
from lerenwerkt.indicators import vsv as ind_vsv

#: The onderwijssoorten of Bijlage 3 and 4 as the report explains them (definitions, no figures).
ONDERWIJSSOORT_LEGENDA = {
    "(s)bo": "basisonderwijs en speciaal basisonderwijs",
    "(v)so": "speciaal onderwijs en voortgezet speciaal onderwijs (alle cluster 1 t/m 4 scholen)",
    "vo": "voortgezet onderwijs (inclusief praktijkonderwijs)",
    "vavo": "voortgezet algemeen volwassenenonderwijs",
    "mbo": "middelbaar beroepsonderwijs",
}


def legenda(soorten) -> render.Block:
    """The legend of the onderwijssoorten a table uses."""
    items = "; ".join(f"<strong>{html.escape(s)}</strong> = {html.escape(ONDERWIJSSOORT_LEGENDA[s])}" for s in soorten)
    return render.Block(f'<p class="lw-bron lw-legenda">{items}.</p>')


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
        + legenda(("vo", "vavo", "mbo"))
        + render.table(
            leeftijd.frame,
            titel=f"{leeftijd.titel} — {scope_naam(gemeente)}",
            bron=leeftijd.bron,
            uid=leeftijd.id,
            onderdrukt=leeftijd.onderdrukt,
            noot=_leeftijd_noten(reg, leeftijd, schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie),
        )
        + _per_gemeente(tb.bijlage3_tabel3(reg, schooljaar=schooljaar), gemeente)
    )


def _leeftijd_noten(reg, t: tb.Tabel, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> str:
    """The two footnotes of Bijlage 3 Tabel 2, from the records: of those 18 at the melding,
    how many left school within a month of turning 18; of the '22' on 18 September, how many
    just turned 23. In openbaar a footnote count is given only when it and the rest of its
    cell may be published (:func:`lerenwerkt.text.deelbaar`), never beside a withheld cell."""
    k = gate.drempel(publicatie)
    col_melding, col_sept = t.frame.columns[:2]
    tr, se = reg["vsv_trajecten"], reg["vsv_status_eind"]
    n18 = ind_vsv.kort_na_18(tr, se, schooljaar=schooljaar, gemeente=gemeente)
    d = pd.concat([ind_vsv.status_eind(tr, se, schooljaar=schooljaar, groep=g, gemeente=gemeente) for g in ("nieuw", "oud")], ignore_index=True)
    d = d[d.status.isin(["in_behandeling", "monitoring"])]
    n23 = int((sj.age_at(d.geboortedatum, pd.Timestamp(sj.parse(schooljaar) + 1, 9, 18)) >= 23).sum())

    def noot(n: int, rij: str, kol: str, zin: str) -> str:
        cel = t.frame.at[rij, kol]
        hidden = (t.onderdrukt is not None and bool(t.onderdrukt.at[rij, kol])) or pd.isna(cel)
        if hidden or not text.deelbaar(n, int(cel), drempel=k):
            return f"{rij} jaar ({kol.lower()}): het aantal van hen {zin} wordt niet gepubliceerd (ter bescherming van kleine aantallen)."
        return f"{rij} jaar ({kol.lower()}): waarvan {text.aantal_eenheid(n, 'jongeren', drempel=k)} {zin}."

    return " ".join(
        [
            noot(n18, "18", col_melding, "uitgeschreven binnen één maand nadat zij 18 jaar werden"),
            noot(n23, "22", col_sept, "nét 23 geworden in het nieuwe schooljaar"),
        ]
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
    ) + legenda(("(s)bo", "(v)so", "vo", "mbo"))
