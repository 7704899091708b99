"""The publication as one model: every catalogue table of every scope, computed once and
protected once — across all tables, and against last year's edition.

A reader holds the whole edition (the jaarverslag, the gemeente drafts, the nine
raadsmededelingen) and last year's. Protecting each table on its own is not enough: the
memo's 'voortgezet onderwijs' minus a Bijlage 1 cell gives back a cell that Bijlage 1
suppressed. So disclosure control works on *records*, not on tables (the τ-Argus /
sdcTable 'linked tables' idea, here with the records themselves as base cells):

1. every count cell of every table and scope is the set of records it counts
   (:mod:`lerenwerkt.catalogue` ``members``; totals and groups follow from the structure);
2. records that sit in exactly the same published cells form one *atom*; every published
   cell is the sum of its atoms — every relation between tables, scopes and years is in that;
3. primary suppression: counts 1 … drempel−1;
4. an LP audit over all published cells of both editions at once: for each suppressed cell
   the smallest and largest value consistent with everything published (atoms ≥ 0). A cell
   whose largest value stays below the threshold, or whose value is exactly known, is
   exposed; the published cell that pins it (a binding constraint of the LP, read from the
   duals) is suppressed too, smallest first; repeat until nothing is exposed.

Last year's edition is protected first, on its own; its pattern is then fixed (it has been
published) and this year's suppression must keep its hidden cells hidden too.

Percentages are derived: a percentage is suppressed with its numerator or denominator.
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from lerenwerkt import catalogue, codes, config, disclosure
from lerenwerkt import schooljaar as sj
from lerenwerkt import tables as tb
from lerenwerkt.io import atomic_write_bytes

Cell = tuple[str, str, str | None, str, str]  # (schooljaar, entry id, scope, rij, kolom)


@dataclass
class Edition:
    """One schooljaar's publication: which cells are withheld, per (entry id, scope); the
    tables themselves are built on demand (memoized builders) and masked from that."""

    schooljaar: str
    drempel: int | None
    reg: object = field(default=None, repr=False)
    withheld: dict = field(default_factory=dict)  # (entry id, scope) -> {(rij, kolom)} as strings
    verlies: pd.DataFrame | None = None  # suppressed cells per scope (information loss)
    _tables: dict = field(default_factory=dict, repr=False)

    def raw(self, entry_id: str, scope: str | None) -> tb.Tabel:
        """The table with intern values."""
        key = (entry_id, scope)
        if key not in self._tables:
            self._tables[key] = catalogue.BY_ID[entry_id].build(self.reg, schooljaar=self.schooljaar, gemeente=scope)
        return self._tables[key]

    def hidden(self, entry_id: str, scope: str | None, rij, kolom) -> bool:
        """Is this cell withheld? (False for a cell the table does not have.)"""
        return (str(rij), str(kolom)) in self.withheld.get((entry_id, scope), ())

    def mask(self, entry_id: str, scope: str | None) -> pd.DataFrame | None:
        """True where a cell is withheld; a percentage goes with the counts of its row."""
        if self.drempel is None or not catalogue.BY_ID[entry_id].beschermd:
            return None
        t = self.raw(entry_id, scope)
        cells = self.withheld.get((entry_id, scope), set())
        m = pd.DataFrame([[(str(r), str(c)) in cells for c in t.frame.columns] for r in t.frame.index], index=t.frame.index, columns=t.frame.columns)
        counts = [c for c in m.columns if c not in set(t.pct_columns)]
        for pc in t.pct_columns:
            m[pc] = m[counts].any(axis=1)
        return m.astype(bool)

    def table(self, entry_id: str, scope: str | None) -> tb.Tabel:
        """The table as published: suppressed cells NaN and listed in ``onderdrukt``."""
        t = self.raw(entry_id, scope)
        m = self.mask(entry_id, scope)
        if m is None:
            return t
        return replace(t, frame=t.frame.astype(float).mask(m.to_numpy()), onderdrukt=m)


# ---------------------------------------------------------------- the linked model
@dataclass
class Model:
    cells: list[Cell]
    values: np.ndarray  # the true value of each cell
    matrix: sparse.csr_matrix  # cells × atoms, 1 where the atom is in the cell

    def index(self) -> dict[Cell, int]:
        return {c: i for i, c in enumerate(self.cells)}


def _count_columns(t: tb.Tabel) -> list:
    return [c for c in t.frame.columns if c not in set(t.pct_columns)]


def _cell_members(entry: catalogue.Entry, t: tb.Tabel, members: pd.DataFrame, scope) -> dict[tuple, frozenset]:
    """Records behind each count cell of one table: base cells from ``members``, totals and
    groups as the union of their parts (the structure's equalities)."""
    counts = t.frame[_count_columns(t)]
    base = {(r, c): frozenset(g) for (r, c), g in members.groupby(["rij", "kolom"], sort=False).key} if len(members) else {}
    eqs = disclosure.equalities(counts, entry.structure, scope)
    derived = {(lhs[1], lhs[2]): [(p[1], p[2]) for p in parts] for lhs, parts in eqs}
    out: dict[tuple, frozenset] = {}

    def resolve(cell, depth=0):
        if cell in out:
            return out[cell]
        if cell in derived and depth < 10:
            s = frozenset().union(*(resolve(p, depth + 1) for p in derived[cell])) if derived[cell] else frozenset()
        else:
            s = base.get(cell, frozenset())
        out[cell] = s
        return s

    for r in counts.index:
        for c in counts.columns:
            resolve((r, c))
    return out


def check_members(entry: catalogue.Entry, t: tb.Tabel, cells: dict[tuple, frozenset]) -> list[tuple]:
    """Cells whose value is not the number of records behind them (should be none)."""
    bad = []
    for (r, c), keys in cells.items():
        v = t.frame.at[r, c]
        v = 0.0 if pd.isna(v) else float(v)
        if len(keys) != v:
            bad.append((entry.id, r, c, v, len(keys)))
    return bad


def _tables(reg, schooljaar: str) -> tuple[dict, dict]:
    """Every protected table of an edition (intern values) and the records behind its cells."""
    tables, members = {}, {}
    for e in catalogue.ENTRIES:
        for scope in e.scope_list:
            t = e.build(reg, schooljaar=schooljaar, gemeente=scope)
            tables[(e.id, scope)] = t
            if e.beschermd:
                cm = _cell_members(e, t, e.base_members(reg, schooljaar=schooljaar, gemeente=scope), scope)
                bad = check_members(e, t, cm)
                if bad:
                    raise RuntimeError(f"catalogue: {e.id} ({scope or codes.REGIO}): {len(bad)} cellen tellen niet hun records, bv. {bad[0][1:3]}")
                members[(e.id, scope)] = cm
    return tables, members


def build_model(editions: dict[str, dict]) -> Model:
    """The linked model over the cells of one or more editions (schooljaar -> members)."""
    cells: list[Cell] = []
    values: list[float] = []
    record_cells: dict[str, list[int]] = {}
    for year, members in editions.items():
        for (eid, scope), cm in members.items():
            for (r, c), keys in cm.items():
                i = len(cells)
                cells.append((year, eid, scope, r, c))
                values.append(float(len(keys)))
                for k in sorted(keys):  # a fixed order: the same atoms, so the same pattern, in every process
                    record_cells.setdefault(k, []).append(i)
    atoms: dict[tuple, int] = {}
    rows, cols = [], []
    for cl in record_cells.values():
        sig = tuple(sorted(set(cl)))
        if sig not in atoms:
            a = atoms[sig] = len(atoms)
            rows += sig
            cols += [a] * len(sig)
    m = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(cells), max(len(atoms), 1)))
    # duplicate (cell, atom) pairs cannot occur: a signature lists each cell once
    return Model(cells, np.array(values), m)


@dataclass(frozen=True)
class Bound:
    cell: Cell
    laag: float
    hoog: float

    def exposed(self, drempel: int) -> bool:
        """Pinned below the threshold, or known exactly (integers between the bounds)."""
        return self.hoog < drempel - 1e-6 or math.floor(self.hoog + 1e-6) <= math.ceil(self.laag - 1e-6)


class _Solver:
    """One LP over the published cells of a component (atoms ≥ 0, each published cell =
    its value), solved for many objectives with HiGHS hot starts."""

    def __init__(self, model: Model, rows: np.ndarray, atoms: np.ndarray):
        import highspy

        self.hs, self.model, self.rows, self.atoms = highspy, model, rows, atoms
        a = sparse.csc_matrix(model.matrix[rows][:, atoms])
        self.h = _quiet_highs(highspy)
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("presolve", "off")
        self.h.setOptionValue("simplex_strategy", 4)  # primal: a new objective keeps the basis feasible
        lp = highspy.HighsLp()
        n = len(atoms)
        b = model.values[rows].astype(float)
        lp.num_col_, lp.num_row_ = n, len(rows)
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_ = np.zeros(n)
        lp.col_upper_ = np.full(n, highspy.kHighsInf)
        lp.row_lower_, lp.row_upper_ = b, b
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = a.indptr
        lp.a_matrix_.index_ = a.indices
        lp.a_matrix_.value_ = a.data
        self.h.passModel(lp)
        self.pos = {int(x): j for j, x in enumerate(atoms)}

    def solve(self, i: int, sense: str) -> tuple[str, float, np.ndarray]:
        """Maximise or minimise cell ``i``: status, value and the row duals."""
        hs = self.hs
        n = len(self.atoms)
        cost = np.zeros(n)
        for a in self.model.matrix[i].indices:
            j = self.pos.get(int(a))
            if j is not None:
                cost[j] = 1.0
        self.h.changeObjectiveSense(hs.ObjSense.kMaximize if sense == "max" else hs.ObjSense.kMinimize)
        self.h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
        self.h.run()
        st = self.h.getModelStatus()
        if st == hs.HighsModelStatus.kUnbounded:
            return "unbounded", math.inf, np.zeros(0)
        if st != hs.HighsModelStatus.kOptimal:
            raise RuntimeError(f"disclosure: LP {self.h.modelStatusToString(st)}")
        return "optimal", float(self.h.getInfo().objective_function_value), np.asarray(self.h.getSolution().row_dual)


def _quiet_highs(highspy):
    """A HiGHS instance; its banner (printed once per process, at construction) must not
    reach a notebook's or the command line's output."""
    import os
    import sys

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _components(model: Model, suppressed: set[int]):
    """Split the published constraints into independent LPs: atoms fixed at zero by a
    published zero are dropped; atoms linked through a published cell share an LP."""
    from scipy.sparse.csgraph import connected_components

    pub = np.array(sorted(set(range(len(model.cells))) - suppressed), dtype=int)
    a_pub, b_pub = model.matrix[pub], model.values[pub]
    zero = b_pub == 0
    dead = np.asarray(a_pub[zero].sum(axis=0)).ravel() > 0
    live = ~dead
    rows = pub[~zero]
    a = model.matrix[rows].multiply(live[None, :]).tocsr()
    n_atoms = a.shape[1]
    # bipartite graph: atoms 0..n-1, published rows n..n+m-1
    g = sparse.bmat([[None, a.T], [a, None]]).tocsr()
    _, label = connected_components(g, directed=False)
    return live, rows, label[:n_atoms], label[n_atoms:]


def audit(model: Model, suppressed: set[int], *, drempel: int, only: set[int] | None = None, duals: bool = False):
    """Bounds of every suppressed cell given all published cells (LP, atoms ≥ 0).

    Returns ``[(cell index, Bound, binding)]`` for the exposed cells (``binding``: published
    cells whose constraint pins the bound, when ``duals``)."""
    targets = sorted(suppressed if only is None else (suppressed & only))
    if not targets:
        return []
    live, rows, atom_comp, row_comp = _components(model, suppressed)
    solvers: dict[int, _Solver] = {}
    out = []
    for i in targets:
        atoms = [a for a in model.matrix[i].indices if live[a]]
        if not atoms:
            bound = Bound(model.cells[i], 0.0, 0.0)  # every record of it is in a published zero
        else:
            comps = {int(atom_comp[a]) for a in atoms}
            free_atom = any(not (row_comp == c).any() for c in comps)
            if free_atom:
                continue  # an atom no published cell constrains: unbounded, safe
            key = min(comps) if len(comps) == 1 else -1 - len(solvers)
            if key not in solvers:
                sel_atoms = np.flatnonzero(live & np.isin(atom_comp, list(comps)))
                sel_rows = rows[np.isin(row_comp, list(comps))]
                solvers[key] = _Solver(model, sel_rows, sel_atoms)
            solver = solvers[key]
            status, high, dual = solver.solve(i, "max")
            if status == "unbounded":
                continue
            if high >= drempel - 1e-6 and high >= model.values[i] + 1 - 1e-6:
                continue  # the true value and the maximum are ≥ 1 apart: not exact, not pinned
            if high >= drempel - 1e-6:
                _, low, dual = solver.solve(i, "min")
                bound = Bound(model.cells[i], low, high)
            else:
                bound = Bound(model.cells[i], 0.0, high)
        if not bound.exposed(drempel) or (bound.hoog == 0 and model.values[i] == 0):
            continue
        binding = []
        if duals and atoms:
            binding = [int(solver.rows[j]) for j in np.flatnonzero(np.abs(dual) > 1e-9)]
        out.append((i, bound, binding))
    return out


def protect(model: Model, *, drempel: int, fixed_suppressed: set[int] = frozenset(), free: set[int] | None = None) -> set[int]:
    """Primary and secondary suppression over the linked model.

    ``fixed_suppressed``: cells already withheld in an earlier edition; ``free``: the cells
    this edition may still suppress (default all others). Suppressing more only widens the
    bounds of the others, so each round re-audits only the cells still exposed and the new
    ones."""
    free = set(range(len(model.cells))) if free is None else set(free)
    suppressed = set(fixed_suppressed) | {i for i in free if 0 < model.values[i] < drempel}
    determined: set[int] = set()  # known from what was published before: suppressing them hides nothing
    unprotectable: set[int] = set()
    pending = set(suppressed)
    for _ in range(500):
        bad = [b for b in audit(model, suppressed, drempel=drempel, only=pending, duals=True) if b[0] not in unprotectable]
        if not bad:
            if unprotectable:
                warnings.warn(f"disclosure: {len(unprotectable)} cel(len) liggen vast door eerdere edities", stacklevel=2)
            return suppressed
        added: set[int] = set()
        options = {}
        for i, _bound, binding in bad:
            open_ = [j for j in binding if j in free and j not in suppressed and j not in determined]
            # a positive cell first; a published zero only when nothing else pins the cell
            options[i] = [j for j in open_ if model.values[j] > 0] or _partners(model, i, suppressed | determined, free) or open_
        freq: dict[int, int] = {}
        for cands in options.values():
            for j in cands:
                freq[j] = freq.get(j, 0) + 1
        released = set()
        for i, cands in options.items():
            if not cands:
                if i in free and model.values[i] >= drempel:
                    released.add(i)  # a secondary cell that earlier figures fix: publish it
                    continue
                unprotectable.add(i)  # fixed by what earlier editions published: reported, not solvable here
                continue
            if added.intersection(cands):
                continue
            # a cell that pins several exposed cells at once is the better pick (greedy cover)
            j = min(cands, key=lambda j: (model.values[j] / freq[j], model.matrix[j].nnz, j))
            suppressed.add(j)
            added.add(j)
        suppressed -= released
        determined |= released
        if not added and not released and not unprotectable.intersection(i for i, _, _ in bad):
            raise RuntimeError(f"disclosure: {len(bad)} cellen blijven herleidbaar")
        pending = ({i for i, _, _ in bad} - released) | added
    raise RuntimeError("disclosure: geen oplossing na 500 rondes")


def _partners(model: Model, i: int, suppressed: set[int], free: set[int]) -> list[int]:
    """Published cells that share records with cell ``i``."""
    atoms = model.matrix[i].indices
    col = model.matrix.tocsc()[:, atoms]
    near = np.flatnonzero(np.asarray(col.sum(axis=1)).ravel() > 0)
    return [int(j) for j in near if j in free and j not in suppressed and model.values[j] > 0]


# ---------------------------------------------------------------- editions
_CACHE: dict = {}


def edition(reg, *, schooljaar: str, publicatie: str = "intern", drempel_k: int | None = None) -> Edition:
    """The publication of a schooljaar, protected once (cached per delivery, in memory and
    on disk: the labels of the withheld cells)."""
    k = disclosure.rules(drempel_k).drempel if disclosure.check_publicatie(publicatie) == "openbaar" else None
    fp = tb._fingerprint(reg)
    key = (fp, schooljaar, k)
    if fp is not None and key in _CACHE:
        return _CACHE[key]
    ed = Edition(schooljaar, k, reg)
    if k is not None:
        stored = _load(fp, schooljaar, k)
        if stored is not None:
            ed.withheld, ed.verlies = _withheld(stored["hidden"]), pd.DataFrame(stored["verlies"])
        else:
            tables, members = _tables(reg, schooljaar)
            ed._tables.update(tables)
            _protect_edition(reg, ed, members, k)
            _store(fp, schooljaar, k, ed)
    if fp is not None:
        if len(_CACHE) > 16:
            _CACHE.clear()
        _CACHE[key] = ed
    return ed


def _withheld(cells) -> dict:
    out: dict = {}
    for _y, eid, scope, r, c in cells:
        out.setdefault((eid, scope or None), set()).add((str(r), str(c)))
    return out


# ---------------------------------------------------------------- disk cache
#: Source files whose change changes the protection (a new key, so a new computation).
_SOURCES = ("catalogue.py", "publication.py", "tables", "disclosure.py", "codes.py", "disclosure_rules.csv", "indicators")


def _code_hash() -> str:
    import hashlib

    h = hashlib.sha256()
    for name in _SOURCES:
        p = config.PACKAGE_DIR / name
        for f in sorted(p.rglob("*.py")) if p.is_dir() else [p]:
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _cache_file(fp: str | None, schooljaar: str, k: int) -> Path | None:
    if fp is None:
        return None
    return config.publication_cache_dir() / f"{fp[:24]}-{_code_hash()}-{schooljaar}-k{k}.json"


def _load(fp, schooljaar, k):
    """The suppression pattern computed earlier for the same delivery, code and threshold."""
    f = _cache_file(fp, schooljaar, k)
    if f is None or not f.exists():
        return None
    try:
        data = json.loads(f.read_text(encoding="utf-8"))
        data["hidden"] = [(y, e, s or None, r, c) for y, e, s, r, c in data["hidden"]]
        return data
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _store(fp, schooljaar, k, ed: Edition) -> None:
    """Only which cells are withheld (labels, no values) and the loss per scope."""
    f = _cache_file(fp, schooljaar, k)
    if f is None:
        return
    hidden = [(schooljaar, e, s or "", r, c) for (e, s), cells in sorted(ed.withheld.items(), key=str) for r, c in sorted(cells)]
    payload = {"hidden": hidden, "verlies": ed.verlies.to_dict(orient="list")}
    f.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(f, json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def _has_year(reg, schooljaar: str) -> bool:
    return bool((reg["verzuimmeldingen"].schooljaar == schooljaar).any())


def _protect_edition(reg, ed: Edition, members: dict, k: int) -> None:
    vorig = sj.shift(ed.schooljaar, -1)
    editions = {ed.schooljaar: members}
    fixed: set[Cell] = set()
    if _has_year(reg, vorig):
        # last year's edition as it was published: protected the same way, against its own
        # previous edition (recursively, each cached), and fixed from then on
        prev = edition(reg, schooljaar=vorig, publicatie="openbaar", drempel_k=k)
        _, prev_members = _tables(reg, vorig)
        fixed = {(vorig, e, sc, r, c) for (e, sc), cells in prev.withheld.items() for r, c in cells}
        fixed = {_cell_of(prev_members, cell) for cell in fixed} - {None}
        editions = {vorig: prev_members, **editions}
    model = build_model(editions)
    idx = model.index()
    free = {i for i, c in enumerate(model.cells) if c[0] == ed.schooljaar}
    hidden = protect(model, drempel=k, fixed_suppressed={idx[c] for c in fixed}, free=free)
    ed.withheld = _withheld([model.cells[i] for i in hidden if model.cells[i][0] == ed.schooljaar])
    ed.verlies = _loss(ed, model, hidden)


def _cell_of(members: dict, cell) -> Cell | None:
    """The model's cell for a withheld cell stored by its labels (strings)."""
    year, eid, scope, r, c = cell
    for rr, cc in members.get((eid, scope), {}):
        if str(rr) == r and str(cc) == c:
            return (year, eid, scope, rr, cc)
    return None


def _loss(ed: Edition, model: Model, hidden: set[int]) -> pd.DataFrame:
    rows = []
    for i, (year, eid, scope, _r, _c) in enumerate(model.cells):
        if year != ed.schooljaar:
            continue
        rows.append({"scope": scope or codes.REGIO, "tabel": eid, "onderdrukt": i in hidden, "primair": 0 < model.values[i] < (ed.drempel or 0)})
    f = pd.DataFrame(rows)
    return f.groupby("scope", sort=False).agg(cellen=("tabel", "size"), primair=("primair", "sum"), onderdrukt=("onderdrukt", "sum")).reset_index()


def published_cells(reg, *, schooljaar: str, publicatie: str = "openbaar", drempel_k: int | None = None) -> pd.DataFrame:
    """Every cell of the publication, all scopes: ``tabel, scope, rij, kolom, waarde,
    onderdrukt`` (``scope`` = the gemeente, or the region's name)."""
    ed = edition(reg, schooljaar=schooljaar, publicatie=publicatie, drempel_k=drempel_k)
    frames = []
    for e in catalogue.ENTRIES:
        for scope in e.scope_list:
            c = tb.cells([ed.table(e.id, scope)])
            frames.append(c.assign(scope=scope or codes.REGIO, tabel=e.id))
    out = pd.concat(frames, ignore_index=True)
    return out[["tabel", "scope", "rij", "kolom", "waarde", "onderdrukt"]]
