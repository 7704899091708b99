"""Small-number statistics: exact intervals for counts and rates, funnel-plot limits."""

from __future__ import annotations

import numpy as np
import pandas as pd
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


def significant(p: float, *, alpha: float = ALPHA) -> bool:
    return bool(p < alpha)


# --- Change tests that hold for clustered meldingen -------------------------------------


def dispersion(table) -> tuple[float, int]:
    """Pearson χ²/df of a log-linear Poisson model with row and column main effects (e.g.
    gemeente + schooljaar) on a table of counts: how much more the counts vary than Poisson
    (φ = 1). Rows without any count carry no information and are dropped. Vectorised over a
    leading axis: ``table`` of shape (..., rows, cols) gives arrays of φ.

    Main effects only, so the fit is the independence model (expected = row × column / total);
    tests/test_significance.py checks it against a statsmodels Poisson GLM.

    >>> phi, df = dispersion([[10, 12, 9], [30, 35, 28], [5, 4, 6]]); (round(float(phi), 3), df)
    (0.232, 4)
    """
    t = np.asarray(table, dtype=float)
    if t.ndim == 2:
        t = t[t.sum(axis=1) > 0]
    df = (t.shape[-2] - 1) * (t.shape[-1] - 1)
    if df <= 0:
        return (np.ones(t.shape[:-2]) if t.ndim > 2 else 1.0), 0
    total = t.sum(axis=(-2, -1), keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = t.sum(axis=-1, keepdims=True) * t.sum(axis=-2, keepdims=True) / total
        chi2 = np.where(expected > 0, (t - expected) ** 2 / expected, 0.0).sum(axis=(-2, -1))
    phi = chi2 / df
    return (float(phi) if np.ndim(phi) == 0 else phi), df


def change_p(old, new, *, phi=1.0, df: float | None = None, exposure_old=1.0, exposure_new=1.0):
    """Two-sided p-value for a change between two counts that may be overdispersed.

    Under "no change" (equal rates per exposure), ``new`` given ``old + new`` is binomial with
    p = e_new / (e_old + e_new). Meldingen cluster (by child, school, registration effort), so
    the binomial variance is multiplied by the dispersion φ (quasi-Poisson), estimated across
    gemeenten and schooljaren (:func:`dispersion`); with its degrees of freedom ``df`` the
    reference distribution is Student's t. The p-value is the larger of that quasi-Poisson p
    and the exact conditional Poisson p (:func:`poisson_change_p`): never more eager than the
    exact test, and calibrated when counts vary more than Poisson. φ below 1 counts as 1.
    Vectorised over ``old``/``new``/``phi``.

    >>> round(float(change_p(362, 434)), 4) == round(poisson_change_p(362, 434), 4)
    True
    >>> float(change_p(362, 434, phi=3.0, df=16)) > 0.05
    True
    """
    old, new = np.asarray(old, dtype=float), np.asarray(new, dtype=float)
    e_old, e_new = np.asarray(exposure_old, dtype=float), np.asarray(exposure_new, dtype=float)
    old, new, e_old, e_new, phi = np.broadcast_arrays(old, new, e_old, e_new, np.maximum(np.asarray(phi, dtype=float), 1.0))
    n = old + new
    pi = e_new / (e_old + e_new)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (new - n * pi) / np.sqrt(phi * n * pi * (1 - pi))
    ref = stats.norm if df is None or not np.isfinite(df) or df <= 0 else stats.t(df)
    p_quasi = np.where(n > 0, 2 * ref.sf(np.abs(np.nan_to_num(z))), 1.0)
    # the exact test once per distinct (old, new, p) — a simulation repeats pairs a lot
    keys = np.stack([old.ravel(), new.ravel(), pi.ravel()], axis=1)
    uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    exact = np.array([poisson_change_p(int(o), int(w), exposure_old=1 - q, exposure_new=q) for o, w, q in uniq])
    p = np.maximum(p_quasi, exact[inverse.ravel()].reshape(old.shape))
    return float(p) if p.ndim == 0 else p


# --- Funnel plots with overdispersion (Spiegelhalter 2005) ---------------------------------


def funnel_dispersion(k, n, *, rate: float | None = None, per: float = 1000.0, winsor: float = 0.1) -> float:
    """Multiplicative overdispersion φ of rates around the overall rate (Spiegelhalter 2005,
    'Funnel plots for comparing institutional performance', §3): z-scores under Poisson,
    winsorised at the ``winsor`` and 1 − ``winsor`` quantiles, φ = mean of z²."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    theta = (k.sum() / n.sum()) if rate is None else rate / per
    z = (k / n - theta) / np.sqrt(theta / n)
    lo, hi = np.quantile(z, [winsor, 1 - winsor])
    z = np.clip(z, lo, hi)
    return float(np.mean(z**2))


def funnel_limits_od(rate: float, n, *, phi: float = 1.0, per: float = 1000.0, levels=(0.95, 0.998)) -> dict[float, tuple[np.ndarray, np.ndarray]]:
    """Funnel limits that allow for overdispersion. With φ ≤ 1 the exact Poisson limits
    (:func:`funnel_limits`); with φ > 1 Spiegelhalter's multiplicative model: the overall rate
    ± z·√(φ·θ/n) (normal approximation, θ the rate per person), not below 0."""
    if phi <= 1:
        return funnel_limits(rate, n, per=per, levels=levels)
    n = np.asarray(n, dtype=float)
    sd = np.sqrt(phi * (rate / per) / n) * per
    out = {}
    for lv in levels:
        z = stats.norm.ppf(0.5 + lv / 2)
        out[lv] = (np.maximum(rate - z * sd, 0.0), rate + z * sd)
    return out


# --- Competing risks ----------------------------------------------------------------------


def cumulative_incidence(time, cause, *, level: float = 0.95) -> pd.DataFrame:
    """Aalen–Johansen cumulative incidence of each cause, with competing causes.

    ``cause`` is 0 for censored, 1, 2, … for the ends. Deterministic: tied times are handled
    exactly as ties (no jitter). Standard errors by the delta method (the formula of
    statsmodels' ``CumIncidenceRight``); pointwise intervals on the complementary log–log
    scale, so they stay within 0 and 1. Returns one row per cause and distinct event time:
    ``oorzaak, tijd, cif, se, laag, hoog`` (times where the cause's estimate changes).
    """
    time = np.asarray(time, dtype=float)
    cause = np.asarray(cause, dtype=int)
    utime, inv = np.unique(time, return_inverse=True)
    n_at = len(time) - np.r_[0, np.cumsum(np.bincount(inv, minlength=len(utime)))[:-1]]
    causes = sorted(c for c in np.unique(cause) if c > 0)
    d = {c: np.bincount(inv, weights=(cause == c).astype(float), minlength=len(utime)) for c in causes}
    da = sum(d.values()) if causes else np.zeros(len(utime))
    with np.errstate(divide="ignore", invalid="ignore"):
        surv = np.cumprod(1 - da / n_at)
        sp0 = np.r_[1, surv[:-1]] / n_at
        ra_all = np.where(n_at > da, da / (n_at * (n_at - da)), 0.0)
    z = stats.norm.ppf(0.5 + level / 2)
    rows = []
    for c in causes:
        ip = np.cumsum(sp0 * d[c])
        v = ip**2 * np.cumsum(ra_all) - 2 * ip * np.cumsum(ip * ra_all) + np.cumsum(ip**2 * ra_all)
        v += np.cumsum(sp0**2 * (n_at - d[c]) * d[c] / n_at)
        ra = sp0 * d[c] / n_at
        v += -2 * ip * np.cumsum(ra) + 2 * np.cumsum(ip * ra)
        se = np.sqrt(np.maximum(v, 0.0))
        with np.errstate(divide="ignore", invalid="ignore"):
            w = se / (ip * np.log(ip))
            low = np.where((ip > 0) & (ip < 1), ip ** np.exp(-z * w), np.where(ip >= 1, 1.0, 0.0))
            high = np.where((ip > 0) & (ip < 1), ip ** np.exp(z * w), np.where(ip >= 1, 1.0, 0.0))
        at = d[c] > 0
        rows.append(pd.DataFrame({"oorzaak": c, "tijd": utime[at], "cif": ip[at], "se": se[at], "laag": low[at], "hoog": high[at]}))
    cols = ["oorzaak", "tijd", "cif", "se", "laag", "hoog"]
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=cols)


def cif_at(curve: pd.DataFrame, t: float, column: str = "cif") -> float:
    """Value of a step function (rows ``tijd``, ``column``) at time ``t`` (0 before the first step)."""
    c = curve[curve.tijd <= t]
    return float(c[column].iloc[-1]) if len(c) else 0.0


def logrank_k(time, event, group) -> dict:
    """K-sample log-rank test (χ² with K − 1 df) — for two groups equal to
    ``scipy.stats.logrank``. Returns statistiek, df and p."""
    time, event = np.asarray(time, dtype=float), np.asarray(event, dtype=bool)
    labels, g = np.unique(np.asarray(group).astype(str), return_inverse=True)
    k = len(labels)
    if k < 2 or not event.any():
        return {"statistiek": float("nan"), "df": max(k - 1, 0), "p": float("nan")}
    utime, inv = np.unique(time, return_inverse=True)
    m = len(utime)
    # at risk per group at each distinct time, and events per group
    count = np.zeros((m, k))
    np.add.at(count, (inv, g), 1.0)
    at_risk = count[::-1].cumsum(axis=0)[::-1]
    ev = np.zeros((m, k))
    np.add.at(ev, (inv[event], g[event]), 1.0)
    n, d = at_risk.sum(axis=1), ev.sum(axis=1)
    use = (d > 0) & (n > 1)
    n, d, at_risk, ev = n[use], d[use], at_risk[use], ev[use]
    e = at_risk * (d / n)[:, None]
    u = (ev - e).sum(axis=0)
    f = (d * (n - d) / (n - 1) / n**2)[:, None, None]
    cov = (f * (n[:, None, None] * np.einsum("ij,jk->ijk", at_risk, np.eye(k)) - at_risk[:, :, None] * at_risk[:, None, :])).sum(axis=0)
    u, cov = u[:-1], cov[:-1, :-1]
    stat = float(u @ np.linalg.pinv(cov) @ u)
    return {"statistiek": stat, "df": k - 1, "p": float(stats.chi2.sf(stat, k - 1))}


def gray_test(time, cause, group, *, censor_time, of: int = 1) -> dict:
    """Test of equal cumulative incidence of cause ``of`` between groups, for data whose
    censoring is administrative (every unit's potential follow-up ``censor_time`` is known,
    here: days until 31 July). Fine & Gray (1999, §3.1, 'censoring complete data'): a unit
    with a competing end stays in the risk set of the subdistribution hazard until its own
    censoring time; the log-rank test on those times is then the score test of equal
    subdistribution hazards — Gray's test without estimated censoring weights.
    """
    time, cause = np.asarray(time, dtype=float), np.asarray(cause, dtype=int)
    censor_time = np.asarray(censor_time, dtype=float)
    competing = (cause > 0) & (cause != of)
    t_star = np.where(competing, np.maximum(censor_time, time), time)
    return logrank_k(t_star, cause == of, group)
