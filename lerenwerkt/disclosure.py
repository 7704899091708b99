"""Stage 4: statistical disclosure control for publications ("openbaar").

Rules are data (``disclosure_rules.csv``): the threshold k (counts from 1 to k−1 are
withheld), the symbol and the wording in text. Tables are described by their linear
structure (:class:`Structure`): which cells are totals of which; :func:`equalities` turns
it into relations and :func:`audit` checks a set of withheld cells against them by linear
programming. The protection itself works on the whole publication at once:
:mod:`lerenwerkt.publication`. Public figures that enter through extern/ (CBS, DUO,
Leerplichttelling) are not suppressed.
"""

from __future__ import annotations

import csv
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import numpy as np

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
    indeling: str = "fijn"  # the openbare layout: fijn (the report's) or grof (openbare_indeling.csv)
    methode: str = "onderdrukking"  # onderdrukking (suppression) or afronding (random rounding, consistent per cell)
    basis: int = 5  # afronding: the rounding base
    sleutel: str = field(default="", repr=False)  # afronding: the secret key of the record keys (never published)


METHODEN = ("onderdrukking", "afronding")


def check_methode(methode: str) -> str:
    if methode not in METHODEN:
        raise ValueError(f"{RULES_FILE.name}, regel methode: {methode!r}; verwacht 'onderdrukking' of 'afronding'")
    return methode


@lru_cache(maxsize=8)
def rules(drempel: int | None = None, methode: str | None = None) -> Rules:
    """The publication rules; ``drempel`` overrides the threshold k, ``methode`` the method."""
    with open(RULES_FILE, encoding="utf-8", newline="") as fh:
        data = {r["regel"]: r["waarde"] for r in csv.DictReader(fh)}
    k = int(drempel if drempel is not None else data["drempel"])
    if k < 2:
        raise ValueError(f"drempel: {k} is te klein; verwacht een geheel getal ≥ 2")
    tekst = data["tekst"].replace(data["drempel"], str(k))
    indeling = data.get("indeling", "fijn")
    if indeling not in ("fijn", "grof"):
        raise ValueError(f"{RULES_FILE.name}, regel indeling: {indeling!r}; verwacht 'fijn' of 'grof'")
    m = check_methode(methode or data.get("methode", "onderdrukking"))
    try:
        basis = int(data.get("afronding_basis", "5"))
    except ValueError:
        basis = 0
    if basis < 2:
        raise ValueError(f"{RULES_FILE.name}, regel afronding_basis: {data.get('afronding_basis')!r}; verwacht een geheel getal ≥ 2")
    sleutel = data.get("sleutel", "")
    if m == "afronding" and len(sleutel) < 16:
        raise ValueError(f"{RULES_FILE.name}, regel sleutel: te kort of leeg; verwacht een geheime tekst van minstens 16 tekens")
    return Rules(k, data["symbool"], tekst, data["tekst_onderdrukt"], indeling, m, basis, sleutel)


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
    from scipy.optimize import linprog  # here: a build that reads its protection from the cache needs no solver (1 s of imports)

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
