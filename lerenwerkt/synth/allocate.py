"""Integer allocation helpers for the generator: split totals exactly, plausibly."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np


def largest_remainder(total: int, weights: Sequence[float], rng: np.random.Generator | None = None, *, jitter: float = 0.0) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (Hamilton's method).

    ``jitter`` > 0 perturbs the weights multiplicatively (log-normal) for realistic noise.

    >>> largest_remainder(10, [1, 1, 2])
    [3, 2, 5]
    """
    w = np.asarray(weights, dtype=float)
    if total < 0:
        raise ValueError(f"total: {total} < 0")
    if total == 0 or len(w) == 0:
        return [0] * len(w)
    if rng is not None and jitter > 0:
        w = w * rng.lognormal(0.0, jitter, size=len(w))
    if w.sum() <= 0:
        w = np.ones_like(w)
    exact = total * w / w.sum()
    base = np.floor(exact).astype(int)
    rest = total - base.sum()
    order = np.argsort(-(exact - base), kind="stable")
    base[order[:rest]] += 1
    return base.tolist()


def allocate_keys(total: int, weights: Mapping, rng: np.random.Generator | None = None, *, jitter: float = 0.0) -> dict:
    keys = list(weights)
    return dict(zip(keys, largest_remainder(total, [weights[k] for k in keys], rng, jitter=jitter)))


def allocate_2d(
    row_totals: Sequence[int],
    col_totals: Sequence[int],
    fixed: dict[tuple[int, int], int] | None = None,
    upper: np.ndarray | None = None,
) -> np.ndarray:
    """A non-negative integer matrix with the given row and column sums, fixed cells and
    optional upper bounds, as close as possible (L1) to the proportional fill r_i c_j / N.

    Solved as a small integer program (scipy's HiGHS), so it is exact and deterministic.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    r, c = len(row_totals), len(col_totals)
    total = sum(row_totals)
    if total != sum(col_totals):
        raise ValueError(f"row totals {sum(row_totals)} != column totals {sum(col_totals)}")
    target = np.outer(row_totals, col_totals) / max(total, 1)
    n = r * c
    # variables: x (n) then deviation d (n) with d >= |x - target|
    A, lo, hi = [], [], []
    for i in range(r):
        row = np.zeros(2 * n)
        row[i * c : (i + 1) * c] = 1
        A.append(row), lo.append(row_totals[i]), hi.append(row_totals[i])
    for j in range(c):
        row = np.zeros(2 * n)
        row[j:n:c] = 1
        A.append(row), lo.append(col_totals[j]), hi.append(col_totals[j])
    for k in range(n):
        for sign in (1, -1):
            row = np.zeros(2 * n)
            row[k], row[n + k] = sign, -1
            A.append(row), lo.append(-np.inf), hi.append(sign * target.flat[k])
    ub = np.full(2 * n, np.inf)
    lb = np.zeros(2 * n)
    if upper is not None:
        ub[:n] = np.asarray(upper, dtype=float).ravel()
    for (i, j), v in (fixed or {}).items():
        lb[i * c + j] = ub[i * c + j] = v
    cost = np.concatenate([np.zeros(n), np.ones(n)])
    integrality = np.concatenate([np.ones(n), np.zeros(n)])
    res = milp(cost, integrality=integrality, bounds=Bounds(lb, ub), constraints=LinearConstraint(np.array(A), lo, hi))
    if not res.success:
        raise ValueError(f"allocate_2d: no allocation with these totals and bounds ({res.message})")
    return np.round(res.x[:n]).astype(int).reshape(r, c)


def spread(counts: Mapping, rng: np.random.Generator) -> list:
    """A shuffled list holding each key ``counts[key]`` times."""
    out = [k for k, n in counts.items() for _ in range(int(n))]
    rng.shuffle(out)
    return out
