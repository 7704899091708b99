"""Helpers shared by chapters: scope names and 'gemeente beside the region' tables."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from lerenwerkt import codes, render
from lerenwerkt.tables import Tabel


def titel_blok(naam: str, *, schooljaar: str, gemeente: str | None, soort: str = "concept", publicatie: str = "intern") -> render.Block:
    """The draft's title with scope, schooljaar and publication level."""
    niveau = "openbaar (kleine aantallen onderdrukt)" if publicatie == "openbaar" else "intern"
    return render.Block(f'<h1>{naam}</h1><p class="lw-scope">{scope_naam(gemeente)} · schooljaar {schooljaar} · {soort} · {niveau}</p>')


def scope_naam(gemeente: str | None) -> str:
    """Display name of a scope: the gemeente, or the region's name."""
    return gemeente or codes.REGIO


def beside_region(
    build: Callable[..., Tabel], reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern"
) -> tuple[Tabel, pd.DataFrame, pd.DataFrame | None]:
    """The table for the scope (through the disclosure gate); for a gemeente with the
    region's columns beside it. Returns the scope's table, the frame to show and its
    suppression mask."""
    from lerenwerkt.gate import publish

    region = publish(build, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=None)
    if gemeente is None:
        return region, region.frame, region.onderdrukt
    own = publish(build, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=gemeente)
    frame = pd.concat({gemeente: own.frame, codes.REGIO: region.frame}, axis=1)
    mask = None
    if own.onderdrukt is not None:
        mask = pd.concat({gemeente: own.onderdrukt, codes.REGIO: region.onderdrukt}, axis=1)
    return own, frame, mask


def with_change(frame: pd.DataFrame, *, mask: pd.DataFrame | None = None, spreiding=None, exposure=None) -> pd.DataFrame:
    """Add 'Verschil' (last schooljaar against the one before) to a per-year table, with '*'
    where the change test calls the change real: quasi-Poisson with the row's dispersion
    (``spreiding``: one :class:`lerenwerkt.claims.Spreiding` or a dict per row, default
    Poisson), never more eager than the exact conditional Poisson test, under the publication's
    one rule (:mod:`lerenwerkt.claims`); equal counts are not tested. ``exposure``: the
    (previous, last) number of leerplichtigen — one pair, or a dict per block of a
    gemeente-beside-region frame — so that the test compares rates.
    Works per block for a gemeente-beside-region frame."""
    from lerenwerkt import claims, fmt

    def block(f: pd.DataFrame, m: pd.DataFrame | None, e=None) -> pd.Series:
        e = e or (1.0, 1.0)
        years = [c for c in f.columns if isinstance(c, str) and len(c) == 9 and c[4] == "-"]
        if len(years) < 2:
            return pd.Series("", index=f.index)
        old, new = years[-2], years[-1]
        out = []
        for r in f.index:
            a, b = f.at[r, old], f.at[r, new]
            hidden = m is not None and (bool(m.at[r, old]) or bool(m.at[r, new]))
            if hidden or pd.isna(a) or pd.isna(b):
                out.append("")
                continue
            pct = fmt.verschil_procent(100.0 * (b - a) / a) if a else ""
            s = spreiding.get(r) if isinstance(spreiding, dict) else spreiding
            p = claims.change_p(int(a), int(b), spreiding=s, exposure_old=e[0], exposure_new=e[1])
            detect = (lambda n=float(a or b), s=s: (n, claims.detecteerbaar(n, s))) if a != b else None
            star = " *" if a != b and claims.significant(p, key=(int(a), int(b)), detect=detect) else ""
            out.append(f"{pct}{star}")
        return pd.Series(out, index=f.index)

    if isinstance(frame.columns, pd.MultiIndex):
        parts = {}
        for top in dict.fromkeys(frame.columns.get_level_values(0)):
            f = frame[top]
            m = mask[top] if mask is not None else None
            parts[top] = f.assign(Verschil=block(f, m, exposure.get(top) if isinstance(exposure, dict) else exposure))
        return pd.concat(parts, axis=1)
    return frame.assign(Verschil=block(frame, mask, exposure))


def exposure_blocks(reg, *, schooljaar: str, gemeente: str | None):
    """Leerplichtigen (previous, this schooljaar) for :func:`with_change`: one pair for the
    region, one per block when a gemeente stands beside the region."""
    from lerenwerkt import claims

    region = claims.leerplichtigen(reg, schooljaar=schooljaar, gemeente=None)
    if gemeente is None:
        return region
    return {gemeente: claims.leerplichtigen(reg, schooljaar=schooljaar, gemeente=gemeente), codes.REGIO: region}


#: Footnote for tables with a 'Verschil' column.
NOOT_VERSCHIL = (
    "Verschil: laatste schooljaar tegen het jaar ervoor; * = groter dan toeval kan verklaren (toets met de spreiding over gemeenten en jaren, "
    "met één strenge grens voor de hele publicatie; zie de methodenoot)."
)


def methode_blok() -> render.Block:
    """The draft's method note on 'steeg' / 'daalde' (see :mod:`lerenwerkt.claims`)."""
    from lerenwerkt import claims

    noot = claims.methode_noot()
    return render.heading("Methode: wanneer heet iets gestegen of gedaald?", 3) + render.paragraph(noot) if noot else render.Block("")


def leerplichtigen_label(reg, *, schooljaar: str) -> str:
    """The label of the denominator of a rate per 1.000 leerplichtigen: what it counts, its
    source and its peildatum (:func:`lerenwerkt.indicators.bevolking.peildatum`), so it never
    shares a label with Tabel 1's figures of another peildatum."""
    from lerenwerkt import fmt
    from lerenwerkt.indicators.bevolking import peildatum

    bev = reg["bevolking"]
    peil = sorted({peildatum(bev, schooljaar=schooljaar, gemeente=g) for g in (None, *codes.GEMEENTEN) if g is None or (bev.gemeente == g).any()})
    return f"Leerplichtigen 5 tot 18 jaar (CBS, peildatum {fmt.lijst([fmt.datum(p) for p in peil])})"


def scope_rows(frame: pd.DataFrame, gemeente: str | None) -> pd.DataFrame:
    """Rows of a per-gemeente table for the scope: all rows for the region, else the
    gemeente and the regional total (renamed to the region's name)."""
    if gemeente is None:
        return frame
    out = frame.loc[[gemeente, codes.TOTAAL]]
    return out.rename(index={codes.TOTAAL: f"{codes.REGIO} (totaal)"})


def cell_text(t: Tabel, row, col, *, drempel: int | None = None, eenheid: str | None = None) -> str:
    """A published table cell in running text: the number, or — when disclosure control
    withheld it — the rules' wording, so text and tables never disagree. With ``eenheid``
    (a plural) the count carries its unit: 'geen meldingen', '1 melding'
    (:func:`lerenwerkt.text.aantal_eenheid`)."""
    from lerenwerkt import text
    from lerenwerkt.disclosure import rules

    v = t.frame.at[row, col]
    hidden = (t.onderdrukt is not None and bool(t.onderdrukt.at[row, col])) or pd.isna(v)
    if eenheid:
        return text.aantal_eenheid(0 if hidden else int(v), eenheid, drempel=drempel, verborgen=hidden)
    return rules().tekst_onderdrukt if hidden else text.aantal(int(v), drempel=drempel)
