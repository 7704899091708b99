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


#: Significance level for calling a change real ("steeg" / "daalde").
ALPHA = 0.05


def poisson_change_p(old: int, new: int, *, exposure_old: float = 1.0, exposure_new: float = 1.0) -> float:
    """Two-sided p-value of the exact conditional test for two Poisson counts: given
    ``old + new`` events, ``new`` is binomial with p = exposure_new / (exposure_old +
    exposure_new) under equal rates (R: ``poisson.test(c(new, old), c(e_new, e_old))``).

    >>> round(poisson_change_p(13, 7), 4)  # = binom.test(7, 20): 0.2632
    0.2632
    """
    n = int(old) + int(new)
    if n == 0:
        return 1.0
    return float(stats.binomtest(int(new), n, exposure_new / (exposure_old + exposure_new)).pvalue)


def share_change_p(k_old: int, n_old: int, k_new: int, n_new: int) -> float:
    """Two-sided p-value of Fisher's exact test for two shares (e.g. % actie gewenst)."""
    if n_old == 0 or n_new == 0:
        return 1.0
    table = [[int(k_new), int(n_new - k_new)], [int(k_old), int(n_old - k_old)]]
    return float(stats.fisher_exact(table).pvalue)


def wilson_ci(k: int, n: int, *, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a share, in percent."""
    if n == 0:
        return float("nan"), float("nan")
    ci = stats.binomtest(int(k), int(n)).proportion_ci(confidence_level=level, method="wilson")
    return 100 * ci.low, 100 * ci.high


def significant(p: float, *, alpha: float = ALPHA) -> bool:
    return bool(p < alpha)
