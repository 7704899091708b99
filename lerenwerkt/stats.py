"""Small-number statistics: exact intervals for counts and rates, funnel-plot limits."""

from __future__ import annotations

import numpy as np
from scipy import stats


def poisson_ci(k: int | np.ndarray, *, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) confidence interval for a Poisson count — R's ``poisson.test``.

    >>> [round(float(x), 4) for x in poisson_ci(10)]
    [4.7954, 18.3904]
    """
    k = np.asarray(k, dtype=float)
    a = 1 - level
    low = np.where(k > 0, stats.chi2.ppf(a / 2, 2 * k) / 2, 0.0)
    high = stats.chi2.ppf(1 - a / 2, 2 * k + 2) / 2
    return low, high


def rate_ci(k, n, *, per: float = 1000.0, level: float = 0.95):
    """Rate ``k / n × per`` with its exact Poisson interval."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    low, high = poisson_ci(k, level=level)
    with np.errstate(divide="ignore", invalid="ignore"):
        return k / n * per, low / n * per, high / n * per


def funnel_limits(rate: float, n: np.ndarray, *, per: float = 1000.0, levels=(0.95, 0.998)) -> dict[float, tuple[np.ndarray, np.ndarray]]:
    """Control limits of a funnel plot: for populations ``n`` and the overall ``rate``
    (per ``per``), the Poisson quantiles of the expected count, as rates."""
    n = np.asarray(n, dtype=float)
    mu = rate / per * n
    out = {}
    for lv in levels:
        a = 1 - lv
        lo = stats.poisson.ppf(a / 2, mu)
        hi = stats.poisson.ppf(1 - a / 2, mu)
        out[lv] = (lo / n * per, hi / n * per)
    return out
