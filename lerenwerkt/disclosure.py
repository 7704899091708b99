"""Stage 4: statistical disclosure control for publications ("openbaar").

Rules are data (``disclosure_rules.csv``): counts from 1 to drempel−1 are suppressed
(*primary*); then *secondary* suppression makes sure no suppressed cell can be recomputed
— or pinned below the threshold — from the row, column and group totals of its table, nor
from the same table of another scope (a gemeente's figures sum to the region's). An LP audit
(``scipy.optimize.linprog``) checks the result: for every suppressed cell the largest value
consistent with everything published must reach the threshold.

Tables are described by their linear structure (:class:`Structure`): which cells are totals of
which. Public figures that enter through extern/ (CBS, DUO, Leerplichttelling) are not
suppressed.
"""

from __future__ import annotations

import csv
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import numpy as np
from scipy.optimize import linprog

from lerenwerkt import config

Publicatie = Literal["intern", "openbaar"]
Cell = tuple[Hashable, Hashable, Hashable]  # (scope, row, column)
Equality = tuple[Cell, tuple[Cell, ...]]  # total = sum of parts

RULES_FILE = config.PACKAGE_DIR / "disclosure_rules.csv"


@dataclass(frozen=True)
class Rules:
    drempel: int
    symbool: str
    tekst: str
    tekst_onderdrukt: str


@lru_cache(maxsize=4)
def rules(drempel: int | None = None) -> Rules:
    """The publication rules; ``drempel`` overrides the threshold k."""
    with open(RULES_FILE, encoding="utf-8", newline="") as fh:
        data = {r["regel"]: r["waarde"] for r in csv.DictReader(fh)}
    k = int(drempel if drempel is not None else data["drempel"])
    if k < 2:
        raise ValueError(f"drempel: {k} is te klein; verwacht een geheel getal ≥ 2")
    tekst = data["tekst"].replace(data["drempel"], str(k))
    return Rules(k, data["symbool"], tekst, data["tekst_onderdrukt"])


def check_publicatie(publicatie: str) -> Publicatie:
    if publicatie not in ("intern", "openbaar"):
        raise ValueError(f"publicatie: {publicatie!r}; verwacht 'intern' of 'openbaar'")
    return publicatie  # type: ignore[return-value]


@dataclass(frozen=True)
class Structure:
    """How the cells of one table relate: a 'Totaal' row (column sums), a total column (sum
    of ``kolom_delen``), and row groups (a row that is the sum of other rows)."""

    totaal_rij: str | None = None
    totaal_kolom: str | None = None
    kolom_delen: tuple[str, ...] | None = None  # None: every other column
    groepen: dict[str, tuple[str, ...]] = field(default_factory=dict)


def equalities(frame, structure: Structure, scope: Hashable) -> list[Equality]:
    """The linear relations among the cells of one scope's table."""
    rows, cols = list(frame.index), list(frame.columns)
    out: list[Equality] = []
    if structure.totaal_rij in rows:
        # the total row sums the top-level rows (group members are inside their group's row)
        top = [r for r in rows if r != structure.totaal_rij and r not in _grouped(structure)]
        for c in cols:
            out.append(((scope, structure.totaal_rij, c), tuple((scope, r, c) for r in top)))
    for total, members in structure.groepen.items():
        for c in cols:
            out.append(((scope, total, c), tuple((scope, m, c) for m in members)))
    if structure.totaal_kolom in cols:
        parts_c = structure.kolom_delen or tuple(c for c in cols if c != structure.totaal_kolom)
        for r in rows:
            out.append(((scope, r, structure.totaal_kolom), tuple((scope, r, c) for c in parts_c)))
    return out


def _grouped(s: Structure) -> set:
    return {m for members in s.groepen.values() for m in members}


def protect(values: dict[Cell, float], eqs: Sequence[Equality], *, drempel: int) -> set[Cell]:
    """Cells to suppress: primary (1 ≤ value < drempel) plus secondary until the LP audit
    finds nothing to recompute."""
    suppressed = {c for c, v in values.items() if 0 < v < drempel}
    for _ in range(2000):
        changed = _secondary(values, eqs, suppressed, drempel)
        if changed:
            continue
        bad = audit(values, suppressed, eqs, drempel=drempel)
        if not bad:
            return suppressed
        if not _widen(values, eqs, suppressed, [c for c, _, _ in bad]):
            raise RuntimeError(f"disclosure: {len(bad)} cells stay recomputable; suppress the table whole")
    return suppressed


def _secondary(values, eqs, suppressed: set, drempel: int) -> bool:
    changed = False
    for lhs, parts in eqs:
        cells = (lhs, *parts)
        sup = [c for c in cells if c in suppressed]
        if not sup:
            continue
        sup_parts = [c for c in parts if c in suppressed]
        exposed = len(sup) == 1 or (lhs not in suppressed and sum(values[c] for c in sup_parts) < drempel)
        if not exposed:
            continue
        pick = _candidate(values, parts, suppressed) or (lhs if lhs not in suppressed and values[lhs] > 0 else None)
        if pick is not None:
            suppressed.add(pick)
            changed = True
    return changed


def _candidate(values, cells, suppressed) -> Cell | None:
    """The smallest positive published cell; zeros are never suppressed (a zero sits at its
    bound and hides nothing)."""
    positive = sorted((c for c in cells if c not in suppressed and values[c] > 0), key=lambda c: (values[c], str(c)))
    return positive[0] if positive else None


def _widen(values, eqs, suppressed: set, cells: list[Cell]) -> bool:
    """More protection for cells the audit found pinned: a partner in their own relations,
    else in the relations of their suppressed neighbours (the cells whose bounds pin them);
    always the smallest positive published cell."""
    grew = False
    for cell in cells:
        own = [e for e in eqs if cell == e[0] or cell in e[1]]
        pick = None
        for lhs, parts in own:
            pick = _candidate(values, parts, suppressed) or (lhs if lhs not in suppressed and values[lhs] > 0 else None)
            if pick is not None:
                break
        if pick is None:
            neighbours = {c for lhs, parts in own for c in (lhs, *parts) if c in suppressed and c != cell}
            pool = {c for lhs, parts in eqs if lhs in neighbours or neighbours.intersection(parts) for c in (lhs, *parts)}
            pick = _candidate(values, sorted(pool, key=str), suppressed)
        if pick is not None:
            suppressed.add(pick)
            grew = True
    return grew


def audit(values: dict[Cell, float], suppressed: set[Cell], eqs: Sequence[Equality], *, drempel: int) -> list[tuple[Cell, float, float]]:
    """For each suppressed cell, its smallest and largest value consistent with the published
    cells and the table's relations (non-negative); returns the cells pinned below the
    threshold (largest feasible value < drempel), with their interval."""
    unknown = sorted(suppressed, key=str)
    if not unknown:
        return []
    idx = {c: i for i, c in enumerate(unknown)}
    a_eq, b_eq = [], []
    for lhs, parts in eqs:
        cells = [(lhs, 1.0), *((p, -1.0) for p in parts)]
        if not any(c in idx for c, _ in cells):
            continue
        row = np.zeros(len(unknown))
        rhs = 0.0
        for c, sign in cells:
            if c in idx:
                row[idx[c]] += sign
            else:
                rhs -= sign * values[c]
        a_eq.append(row)
        b_eq.append(rhs)
    bad = []
    for c in unknown:
        obj = np.zeros(len(unknown))
        obj[idx[c]] = 1.0
        kw = dict(A_eq=np.array(a_eq), b_eq=np.array(b_eq)) if a_eq else {}
        lo = linprog(obj, bounds=(0, None), method="highs", **kw)
        hi = linprog(-obj, bounds=(0, None), method="highs", **kw)
        low = lo.fun if lo.status == 0 else 0.0
        high = float("inf") if hi.status == 3 else (-hi.fun if hi.status == 0 else float("inf"))
        if high < drempel - 1e-9:
            bad.append((c, float(low), float(high)))
    return bad
