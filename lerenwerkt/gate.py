"""The one gate between computed tables and everything that renders them.

``publish(builder, reg, publicatie=..., **kwargs)`` returns the table as it may be shown:
for ``intern`` unchanged; for ``openbaar`` the table of the protected publication
(:mod:`lerenwerkt.publication`): suppressed cells NaN and listed in ``Tabel.onderdrukt``.
The publication is computed and protected once per delivery and schooljaar, over every
table of every scope and against last year's edition; chapters, charts, text, the cell
export and the Excel workbooks all take their tables from here.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from lerenwerkt import catalogue, codes, disclosure, publication
from lerenwerkt import tables as tb


def drempel(publicatie: str, k: int | None = None) -> int | None:
    """The threshold for text in this publication (None: nothing suppressed).

    Only the running text of the drafts asks for it. With the method ``afronding`` the drafts'
    sentences that count from the register itself (not from a published table) would print
    exact counts beside the rounded tables, so openbare drafts refuse that method, with a
    Dutch message, until they read published values; tables, cells.csv and Excel do not ask."""
    if disclosure.check_publicatie(publicatie) != "openbaar":
        return None
    r = disclosure.rules(k)
    if r.methode == "afronding":
        raise ValueError(
            f"{disclosure.RULES_FILE.name}, regel methode: 'afronding' geldt voor tabellen, cells.csv en Excel; de openbare concepten en "
            "raadsmededelingen tellen in lopende tekst nog rechtstreeks uit het register en worden daarom niet gemaakt; verwacht 'onderdrukking' voor concepten"
        )
    return r.drempel


def publish(builder, reg, *, publicatie: str = "intern", drempel_k: int | None = None, **kwargs) -> tb.Tabel:
    """The table ``builder(reg, **kwargs)`` as it may be published."""
    if disclosure.check_publicatie(publicatie) == "intern":
        return builder(reg, **kwargs)
    entry = catalogue.entry_for(builder, **kwargs)
    if entry is None or not entry.beschermd:
        return builder(reg, **kwargs)
    ed = publication.edition(reg, schooljaar=kwargs["schooljaar"], publicatie=publicatie, drempel_k=drempel_k)
    scope = kwargs.get("gemeente") if entry.scopes != "regio" else None
    return shares_follow_counts(ed.table(entry.id, scope))


def shares_follow_counts(t: tb.Tabel) -> tb.Tabel:
    """A share is withheld with its count or its denominator: in a table with ``Aantal`` and
    a share column whose rows 'X: y' are parts of the row 'X', 75% beside a withheld 'X'
    gives X back (6 is 75% of 8), and a share beside a withheld part gives the part."""
    if t.onderdrukt is None or "Aantal" not in t.frame.columns or not t.pct_columns:
        return t
    mask = t.onderdrukt.copy()
    frame = t.frame.copy()
    hidden = mask["Aantal"].astype(bool) if "Aantal" in mask.columns else None
    if hidden is None or not hidden.any():
        return t
    for row in frame.index:
        totaal = str(row).split(": ", 1)[0]
        withheld = bool(hidden.get(row, False)) or (totaal in hidden.index and bool(hidden[totaal]))
        if withheld:
            for col in t.pct_columns:
                if col in frame.columns:
                    if col not in mask.columns:
                        mask[col] = False
                    mask.at[row, col] = True
                    frame.at[row, col] = np.nan
    return replace(t, frame=frame, onderdrukt=mask)


def all_published(reg, *, schooljaar: str, publicatie: str = "intern", drempel_k: int | None = None) -> list[tb.Tabel]:
    """Every table of the cell export (the region's tables and the nine memos, in the
    catalogue's order, then the running text) as it may be published."""
    out = []
    for e in catalogue.ENTRIES:
        if not e.export:
            continue
        scopes = list(codes.GEMEENTEN) if e.scopes == "gemeenten" else [None]
        for g in scopes:
            out.append(publish(e.builder, reg, publicatie=publicatie, drempel_k=drempel_k, **e.kwargs(schooljaar=schooljaar, gemeente=g)))
    t = tb.tekst(reg, schooljaar=schooljaar)
    if disclosure.check_publicatie(publicatie) == "openbaar":
        t = _tekst(t, reg, schooljaar, publicatie, drempel_k)
    out.append(t)
    return out


def _tekst(t: tb.Tabel, reg, schooljaar: str, publicatie: str, drempel_k: int | None) -> tb.Tabel:
    """Text figures in openbaar, each as its entry (:mod:`lerenwerkt.tekstcijfers`) allows:
    withheld with any of its cells, a count below the threshold never, a share only with a
    publishable part and rest, the figures of one group together."""
    from lerenwerkt import tekstcijfers as tc

    f = t.frame.copy()
    w = [tc.evalueer(r, reg, schooljaar=schooljaar, publicatie=publicatie, drempel_k=drempel_k) for r in f.rij]
    f = f.assign(onderdrukt=[x.onderdrukt for x in w])
    if disclosure.rules(drempel_k).methode == "afronding":
        # the published figure: from the rounded counts (a share or change of rounded counts)
        f["waarde"] = [np.nan if x.waarde is None else x.waarde for x in w]
    f.loc[f.onderdrukt, "waarde"] = np.nan
    return replace(t, frame=f)
