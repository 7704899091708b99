"""Calibration by simulation: with no real change, do the drafts' direction words keep their
promise? Synthetic registers with realistic clustering — meldingen per jongere drawn from
the shipped synthetic register, per verzuimsoort — and no change between schooljaren."""

from __future__ import annotations

import numpy as np
import pytest

from lerenwerkt import claims, codes, stats
from lerenwerkt.research import kalibratie

RUNS = 400
YEARS = 3
SCHOOLJAAR = "2024-2025"


def _indicators(reg) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per indicator: the mean number of children per gemeente and the distribution of
    meldingen per child (as in the synthetic register)."""
    out = {}
    vm = reg["verzuimmeldingen"]
    sources = {s: vm[vm.verzuimsoort == s] for s in codes.VERZUIMSOORT if (vm.verzuimsoort == s).any()}
    sources["18plus"] = reg["meldingen_18plus"]
    for name, df in sources.items():
        year = df[df.schooljaar == SCHOOLJAAR]
        per_child = year.groupby("jongere_id").size()
        pm = np.bincount(per_child.to_numpy(), minlength=2)[1:] / len(per_child)
        children = year.groupby("gemeente").jongere_id.nunique().reindex(codes.GEMEENTEN, fill_value=0).to_numpy(dtype=float)
        out[name] = (np.maximum(children, 0.5), pm)
    return out


def _simulate(rng, children: np.ndarray, pm: np.ndarray) -> np.ndarray:
    """Counts of meldingen, shape (runs, gemeenten, years): children arrive Poisson and each
    has m meldingen with probability pm[m-1] (thinning: children with m meldingen are
    Poisson(λ·pm) and independent), the same mean in every year."""
    lam = children[None, :, None, None] * pm[None, None, None, :]
    n = rng.poisson(np.broadcast_to(lam, (RUNS, len(children), YEARS, len(pm))))
    return (n * np.arange(1, len(pm) + 1)).sum(axis=-1)


@pytest.fixture(scope="module")
def simulation(shipped):
    rng = np.random.default_rng(20251201)
    p_quasi, p_exact, names = [], [], []
    for name, (children, pm) in _indicators(shipped).items():
        counts = _simulate(rng, children, pm)
        phi, df = stats.dispersion(counts)
        for label, old, new in (
            ("regio", counts[:, :, -2].sum(axis=1), counts[:, :, -1].sum(axis=1)),
            ("gemeente", counts[:, 0, -2], counts[:, 0, -1]),
        ):
            p_quasi.append(stats.change_p(old, new, phi=phi, df=df))
            p_exact.append(np.array([stats.poisson_change_p(int(a), int(b)) for a, b in zip(old, new)]))
            names.append(f"{name} {label}")
    return names, np.stack(p_quasi, axis=1), np.stack(p_exact, axis=1)


def _limit(rate: float) -> float:
    return rate + 2 * np.sqrt(rate * (1 - rate) / RUNS)


def test_each_change_test_calls_a_change_in_at_most_5_percent_of_runs(simulation):
    names, p, _ = simulation
    rates = (p < stats.ALPHA).mean(axis=0)
    bad = {n: float(r) for n, r in zip(names, rates) if r > _limit(0.05)}
    assert not bad, f"false-positive rate above 5% (+2 SE): {bad}"


def test_a_draft_claims_any_change_in_at_most_10_percent_of_runs(simulation):
    """All the tests of one simulated draft (region and gemeente for every verzuimsoort and
    18+: 14 comparisons, like a raadsmededeling) under the draft's Benjamini–Hochberg rule."""
    names, p, _ = simulation
    assert p.shape[1] == 14
    called = claims.decide(p)
    any_claim = called.any(axis=1).mean()
    assert any_claim <= _limit(0.10)
    # without the rule, 14 separate tests at 5% would claim something far more often
    assert (p < stats.ALPHA).any(axis=1).mean() > 2 * any_claim


def test_the_quasi_test_is_never_more_eager_than_the_exact_one(simulation):
    _, p, exact = simulation
    assert (p >= exact - 1e-12).all()


# ------------------------------------------------ clustering by child, school and gemeente-year

RUNS_CLUSTER = 400


def _se(rate: float, runs: int = RUNS_CLUSTER) -> float:
    return float(np.sqrt(rate * (1 - rate) / runs))


@pytest.fixture(scope="module")
def clustered(shipped):
    """School-year CV 0,12 / gemeente-year CV 0,05 (matig) and 0,5 / 0,2 (sterk): per test
    (p < 5%) for the region and every gemeente, per memo-like draft (per indicator the region
    and the gemeente) under the publication's rule."""
    return kalibratie.foutkansen(shipped, runs=RUNS_CLUSTER, scenarios=kalibratie.SCENARIOS[:2])


def test_each_change_test_holds_5_percent_with_schools_and_gemeente_years(clustered):
    per_test = clustered.dropna(subset=["per_toets"])
    assert set(per_test.scenario) == {"matig", "sterk"} and len(per_test) == 2 * 5 * 10
    for scenario, d in per_test.groupby("scenario"):
        # on average over the region and the nine gemeenten: at most 5% (± simulation error)
        assert d.per_toets.mean() <= 0.05 + 2 * _se(0.05) / np.sqrt(len(d)), (scenario, d.per_toets.mean())
        # every gemeente and the region: within the simulation error of 5% (3 SE: 50 cells)
        bad = d[d.per_toets > 0.05 + 3 * _se(0.05)]
        assert bad.empty, bad.to_string()


def test_a_draft_claims_any_change_in_at_most_10_percent_with_clustering(clustered):
    per_draft = clustered.dropna(subset=["per_concept"])
    assert (per_draft.m == 10).all() and len(per_draft) == 2 * 9
    assert (per_draft.per_concept <= claims.Q + 2 * _se(claims.Q)).all(), per_draft.to_string()


def test_yesterdays_test_failed_this_simulation(shipped):
    """The simulation has teeth: yesterday's test (φ of the last three years, the tested one
    in it) calls a change in more than 5% of runs in the strong scenario, for the region."""
    rng = np.random.default_rng(11)
    children, pm = kalibratie.indicators(shipped)["wettelijk"]
    counts = kalibratie.simulate(rng, children, pm, kalibratie.SCENARIOS[1], RUNS_CLUSTER)
    old = (kalibratie.p_oud(counts, None) < stats.ALPHA).mean()
    new = (kalibratie.p_nieuw(counts, None) < stats.ALPHA).mean()
    assert old > 0.05 + 2 * _se(0.05) and new <= 0.05 + 2 * _se(0.05), (old, new)


def test_the_publications_rule_detects_more_than_yesterdays(shipped):
    """Power: a real +50% in a mid-size or large gemeente is called real more often than under
    yesterday's rule (per-draft Benjamini–Hochberg with φ of three years), at lower error rates."""
    power = kalibratie.onderscheidend(shipped, runs=300, effecten=(1.5,))
    assert (power.nu >= power.toen).all(), power.to_string()
    assert (power.nu[1:] > power.toen[1:] + 0.05).all(), power.to_string()


def test_the_share_test_holds_5_percent_when_meldingen_cluster_by_child(shipped):
    """% actie gewenst of the 18+ meldingen: a child's meldingen share the school's view, so the
    meldingen are not independent. Children with the register's meldingen per child, each with
    a propensity from a beta distribution whose intra-child correlation gives design effect 2,7,
    the same in both years: the cluster-robust test calls a change in at most 5% of runs
    (± 2 SE), Fisher's test on the meldingen in far more."""
    m = shipped["meldingen_18plus"]
    year = m[m.schooljaar == "2024-2025"]
    sizes = year.groupby("jongere_id").size().to_numpy()
    share = float(year.actie_gewenst.fillna(False).mean())
    mw = (sizes**2).sum() / sizes.sum()  # the meldingen-weighted mean cluster size
    icc = (2.7 - 1) / (mw - 1)
    a, b = share * (1 / icc - 1), (1 - share) * (1 / icc - 1)
    rng = np.random.default_rng(5)
    clustered, fisher = [], []
    for _ in range(RUNS_CLUSTER):
        k, n = [], []
        for _year in range(2):
            size = rng.choice(sizes, size=len(sizes))
            k.append(rng.binomial(size, rng.beta(a, b, size=len(size))))
            n.append(size)
        clustered.append(stats.share_change_p_clustered(k[0], n[0], k[1], n[1]))
        fisher.append(stats.share_change_p(int(k[0].sum()), int(n[0].sum()), int(k[1].sum()), int(n[1].sum())))
    rate, rate_fisher = (np.array(clustered) < 0.05).mean(), (np.array(fisher) < 0.05).mean()
    assert rate <= 0.05 + 2 * _se(0.05), rate
    assert rate_fisher > 0.15, rate_fisher  # the design effect of 2,7 is real: Fisher's test fails


def test_bh_rule_matches_statsmodels():
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(3)
    p = rng.uniform(size=(200, 14)) ** 3
    ours = claims.bh_significant(p)
    ref = np.array([multipletests(row, alpha=claims.Q, method="fdr_bh")[0] for row in p])
    assert (ours == ref).all() and ours.any() and not ours.all()
    # the publication's rule is one threshold, the same for every figure: Bonferroni over a draft
    assert (claims.decide(p) == (p < claims.Q / claims.MAX_VERGELIJKINGEN)).all()


def test_dispersion_matches_a_statsmodels_poisson_glm():
    import pandas as pd
    import statsmodels.api as sm

    table = np.array([[30, 41, 25], [12, 9, 20], [55, 60, 48], [3, 7, 2]])
    long = pd.DataFrame([(i, j, table[i, j]) for i in range(4) for j in range(3)], columns=["r", "c", "n"])
    x = pd.get_dummies(long[["r", "c"]].astype(str), drop_first=True).astype(float)
    fit = sm.GLM(long.n, sm.add_constant(x), family=sm.families.Poisson()).fit()
    phi, df = stats.dispersion(table)
    assert df == fit.df_resid == 6
    assert phi == pytest.approx(fit.pearson_chi2 / fit.df_resid, rel=1e-6)
