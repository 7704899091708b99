"""The one gate between computed tables and everything that renders them.

``publish(builder, reg, publicatie=..., **kwargs)`` returns the table as it may be shown:
for ``intern`` unchanged; for ``openbaar`` with suppressed cells set to NaN and listed in
``Tabel.onderdrukt``. Suppression is decided per *family*: a table that exists per scope is
protected for the region and all nine gemeenten at once (their figures add up), so a cell
hidden in one draft cannot be recovered from another. Chapters, charts, text, the cell
export and the Excel workbooks all take their tables from here.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from lerenwerkt import codes, disclosure
from lerenwerkt import tables as tb
from lerenwerkt.disclosure import Structure

TOTAAL = codes.TOTAAL
A_DELEN = tuple(codes.VERZUIMSOORT[s] for s in ("absoluut", "wettelijk", "langdurig_relatief", "luxe", "overig"))
_REG_ROWS = {"totaal_rij": TOTAAL}

#: The linear structure of each register table (extern tables are public: not suppressed).
STRUCTURES: dict[str, Structure] = {
    **{f"bijlage1_tabel{n}a": Structure(TOTAAL, TOTAAL, A_DELEN) for n in range(1, 6)},
    **{f"bijlage1_tabel{n}b": Structure(TOTAAL, TOTAAL) for n in range(1, 6)},
    "bijlage2_tabel1_vrijstellingen": Structure(TOTAAL, TOTAAL),
    "bijlage2_tabel2_handhaving": Structure(TOTAAL),
    "tabel4_status_nieuwe_vsv": Structure(TOTAAL, TOTAAL),
    "tabel7_status_oud_vsv": Structure(TOTAAL, TOTAAL),
    "diagram1_resultaten": Structure(
        TOTAAL, groepen={"Overig": (codes.RESULTAAT_VERZUIM["verhuisd"], codes.NOG_IN_BEHANDELING_LABEL, codes.RESULTAAT_VERZUIM["overig"])}
    ),
    "tabel5_monitoring": Structure(
        TOTAAL,
        groepen={g: tuple(codes.VSV_RESULTAAT_MONITORING[k] for k in members) for g, members in tb.TABEL5_GROEPEN.items()},
    ),
    "tabel6_afgerond": Structure(TOTAAL),
    "bijlage3_tabel2_leeftijd": Structure(TOTAAL),
    "memo_vsv": Structure(TOTAAL),
    "grafiek2_absoluut_verzuim": Structure(),
    "grafiek3_relatief_verzuim": Structure(),
    "grafiek4_informatie_advies": Structure(),
    "tabel2_vrijstellingen": Structure(),
    "grafiek5_handhaving": Structure(),
    "tabel3_verzuim_18plus": Structure(),
    "memo_verzuim": Structure(),
}
#: Builders with a ``gemeente`` argument: one family over the region and nine gemeenten.
SCOPED = {"diagram1", "grafiek2", "grafiek3", "grafiek4", "tabel3", "tabel2", "grafiek5", "tabel5", "tabel6", "bijlage3_tabel2"}
#: Builders per gemeente only (raadsmededeling): a family over the nine gemeenten.
PER_GEMEENTE = {"memo_verzuim", "memo_vsv"}

_FAMILIES: dict = {}


def drempel(publicatie: str, k: int | None = None) -> int | None:
    """The threshold for text in this publication (None: nothing suppressed)."""
    return disclosure.rules(k).drempel if disclosure.check_publicatie(publicatie) == "openbaar" else None


def _structure(t: tb.Tabel) -> Structure | None:
    key = t.id
    if t.id.startswith("memo_"):
        key = "memo_vsv" if t.id.endswith("_vsv") else "memo_verzuim"
    return STRUCTURES.get(key)


def publish(builder, reg, *, publicatie: str = "intern", drempel_k: int | None = None, **kwargs) -> tb.Tabel:
    """The table ``builder(reg, **kwargs)`` as it may be published."""
    t = builder(reg, **kwargs)
    if disclosure.check_publicatie(publicatie) == "intern" or _structure(t) is None:
        return t
    rules = disclosure.rules(drempel_k)
    name = builder.__name__
    scope = kwargs.get("gemeente")
    if name in SCOPED or name in PER_GEMEENTE:
        family_key = (name, tb._fingerprint(reg) or id(reg), tuple(sorted((k, v) for k, v in kwargs.items() if k != "gemeente")), rules.drempel)
        if family_key not in _FAMILIES:
            scopes = list(codes.GEMEENTEN) if name in PER_GEMEENTE else [None, *codes.GEMEENTEN]
            frames = {g: builder(reg, **{**kwargs, "gemeente": g}) for g in scopes}
            _FAMILIES[family_key] = _protect_family(frames, cross=name in SCOPED, k=rules.drempel)
        masks = _FAMILIES[family_key]
        return _apply(t, masks[scope])
    mask = _protect_family({None: t}, cross=False, k=rules.drempel)[None]
    return _apply(t, mask)


def _count_columns(t: tb.Tabel) -> list:
    return [c for c in t.frame.columns if c not in set(t.pct_columns)]


def _protect_family(tables: dict, *, cross: bool, k: int) -> dict:
    """Suppression masks for a family of same-shaped tables (scope -> Tabel)."""
    values: dict = {}
    eqs: list = []
    for scope, t in tables.items():
        counts = t.frame[_count_columns(t)]
        for r in counts.index:
            for c in counts.columns:
                v = counts.at[r, c]
                values[(scope, r, c)] = 0.0 if pd.isna(v) else float(v)
        eqs += disclosure.equalities(counts, _structure(t), scope)
    if cross and None in tables:
        region = tables[None].frame[_count_columns(tables[None])]
        for r in region.index:
            for c in region.columns:
                parts = tuple((g, r, c) for g in tables if g is not None and (g, r, c) in values)
                if parts:
                    eqs.append(((None, r, c), parts))
    hidden = disclosure.protect(values, eqs, drempel=k)
    masks = {}
    for scope, t in tables.items():
        m = pd.DataFrame(False, index=t.frame.index, columns=t.frame.columns)
        for _, r, c in (x for x in hidden if x[0] == scope):
            m.at[r, c] = True
        masks[scope] = _derived(t, m)
    return masks


def _derived(t: tb.Tabel, mask: pd.DataFrame) -> pd.DataFrame:
    """Percentages computed from suppressed counts are suppressed with them."""
    if t.id == "tabel3_verzuim_18plus" and "actie_gewenst_pct" in mask.columns:
        mask["actie_gewenst_pct"] = mask["actie_gewenst"] | mask["meldingen"]
    return mask


def _apply(t: tb.Tabel, mask: pd.DataFrame) -> tb.Tabel:
    frame = t.frame.astype(float).mask(mask.reindex(index=t.frame.index, columns=t.frame.columns, fill_value=False).to_numpy())
    return replace(t, frame=frame, onderdrukt=mask)


def all_published(reg, *, schooljaar: str, publicatie: str, drempel_k: int | None = None) -> list[tb.Tabel]:
    """Every table of the cell export as it may be published (``tables.all_tables`` through
    the gate). Counts in the running text below the threshold are withheld too."""
    out = []
    for t in tb.all_tables(reg, schooljaar=schooljaar):
        builder = _builder_for(t.id)
        if builder is None or disclosure.check_publicatie(publicatie) == "intern":
            if t.id == "tekst" and publicatie == "openbaar":
                t = _tekst(t, disclosure.rules(drempel_k).drempel)
            out.append(t)
            continue
        kwargs = {"schooljaar": schooljaar}
        if t.id.startswith("bijlage1_"):
            n = int(t.id[len("bijlage1_tabel")])
            kwargs["onderwijssoort"] = next(o for o, k in codes.BIJLAGE1_NUMMER.items() if k == n)
        elif t.id.startswith("memo_"):
            kwargs["gemeente"] = next(g for g in codes.GEMEENTEN if codes.slug(g).replace("-", "_") in t.id)
        elif builder.__name__ in SCOPED:
            kwargs["gemeente"] = None
        out.append(publish(builder, reg, publicatie=publicatie, drempel_k=drempel_k, **kwargs))
    return out


def _builder_for(table_id: str):
    if table_id.startswith("bijlage1_tabel"):
        return tb.bijlage1_a if table_id.endswith("a") else tb.bijlage1_b
    if table_id.startswith("memo_"):
        return tb.memo_vsv if table_id.endswith("_vsv") else tb.memo_verzuim
    by_id = {
        "diagram1_resultaten": tb.diagram1, "grafiek2_absoluut_verzuim": tb.grafiek2, "grafiek3_relatief_verzuim": tb.grafiek3,
        "grafiek4_informatie_advies": tb.grafiek4, "tabel3_verzuim_18plus": tb.tabel3, "tabel2_vrijstellingen": tb.tabel2,
        "bijlage2_tabel1_vrijstellingen": tb.bijlage2_tabel1, "grafiek5_handhaving": tb.grafiek5, "bijlage2_tabel2_handhaving": tb.bijlage2_tabel2,
        "tabel4_status_nieuwe_vsv": tb.tabel4, "tabel5_monitoring": tb.tabel5, "tabel6_afgerond": tb.tabel6, "tabel7_status_oud_vsv": tb.tabel7,
        "bijlage3_tabel2_leeftijd": tb.bijlage3_tabel2,
    }  # fmt: skip
    return by_id.get(table_id)


def _tekst(t: tb.Tabel, k: int) -> tb.Tabel:
    f = t.frame.copy()
    hide = [(r not in tb.TEKST_PERCENTAGES) and 0 < v < k for r, v in zip(f.rij, f.waarde)]
    f = f.assign(onderdrukt=hide)
    f.loc[f.onderdrukt, "waarde"] = np.nan
    return replace(t, frame=f)
