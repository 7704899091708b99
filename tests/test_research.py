"""Research functions for absoluut verzuim, checked against hand computations and R."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from lerenwerkt import stats
from lerenwerkt.research import absoluut_verzuim as av
from tests import fixtures


def test_poisson_ci_matches_r_poisson_test():
    # R: poisson.test(10)$conf.int -> 4.795389 18.390356; poisson.test(0) -> 0 3.688879
    lo, hi = stats.poisson_ci(np.array([10, 0, 434]))
    assert lo[0] == pytest.approx(4.795389, abs=1e-6) and hi[0] == pytest.approx(18.390356, abs=1e-6)
    assert lo[1] == 0 and hi[1] == pytest.approx(3.688879, abs=1e-6)
    # the exact interval's definition: P(X >= k | lower) = P(X <= k | upper) = 2.5%
    from scipy.stats import poisson

    assert poisson.sf(433, lo[2]) == pytest.approx(0.025, abs=1e-9)
    assert poisson.cdf(434, hi[2]) == pytest.approx(0.025, abs=1e-9)
    rate, rlo, rhi = stats.rate_ci(10, 2000)
    assert (rate, rlo) == (pytest.approx(5.0), pytest.approx(4.795389 / 2))


def test_funnel_limits_contain_the_expected_rate():
    lim = stats.funnel_limits(10.0, np.array([1000, 10000]))
    lo, hi = lim[0.95]
    assert (lo < 10).all() and (hi > 10).all()
    assert hi[0] - lo[0] > hi[1] - lo[1], "smaller populations get wider limits"


def test_kaplan_meier_hand_computed_with_rs_median_rule():
    """Six meldingen: ended after 1, 2, 3 and 5 days; open (censored) at 4 and 6.
    S(1)=5/6, S(2)=4/6, S(3)=3/6, S(5)=3/6*1/2=1/4. S is exactly 50% on [3, 5): R's survfit
    takes the midpoint, median = 4 days."""
    d = pd.DataFrame({"dagen": [1, 2, 3, 4, 5, 6], "afgerond": [True, True, True, False, True, False], "g": "x"})
    curves, med = av.kaplan_meier(d)
    s = dict(zip(curves.dagen, curves.nog_open))
    assert s[1] == pytest.approx(5 / 6) and s[2] == pytest.approx(4 / 6) and s[3] == pytest.approx(0.5) and s[5] == pytest.approx(0.25)
    m = med.iloc[0]
    assert (m.n, m.gebeurtenissen, m.mediaan) == (6, 4, 4.0)
    assert m.ci_laag <= 4.0 and (math.isnan(m.ci_hoog) or m.ci_hoog >= 4.0)


def test_cumulative_incidence_hand_computed_with_ties():
    """Eight meldingen; times (cause): 2(1) 2(2) 3(1) 3(1) 3(0) 5(2) 6(1) 8(0).
    t=2: at risk 8, one of each cause: F1 = 1/8, F2 = 1/8, S = 6/8.
    t=3: at risk 6, two cause 1 (the censored one at 3 stays at risk at 3): F1 = 1/8 + 6/8*2/6 = 3/8, S = 6/8*4/6 = 1/2.
    t=5: at risk 3, one cause 2: F2 = 1/8 + 1/2*1/3 = 7/24, S = 1/3.
    t=6: at risk 2, one cause 1: F1 = 3/8 + 1/3*1/2 = 13/24."""
    t = [2, 2, 3, 3, 3, 5, 6, 8]
    c = [1, 2, 1, 1, 0, 2, 1, 0]
    r = stats.cumulative_incidence(t, c)
    f1 = r[r.oorzaak == 1].set_index("tijd").cif
    f2 = r[r.oorzaak == 2].set_index("tijd").cif
    assert f1.to_dict() == {2: pytest.approx(1 / 8), 3: pytest.approx(3 / 8), 6: pytest.approx(13 / 24)}
    assert f2.to_dict() == {2: pytest.approx(1 / 8), 5: pytest.approx(7 / 24)}
    assert (r.laag <= r.cif).all() and (r.cif <= r.hoog).all() and (r.laag >= 0).all() and (r.hoog <= 1).all()
    # deterministic: the same input gives the same bytes
    assert r.equals(stats.cumulative_incidence(t, c))


def test_cumulative_incidence_matches_statsmodels_on_the_register(shipped):
    from statsmodels.duration.survfunc import CumIncidenceRight

    d = av.duur(shipped["verzuimmeldingen"], schooljaar="2024-2025")
    ours = stats.cumulative_incidence(d.dagen, d.oorzaak)
    ref = CumIncidenceRight(d.dagen.to_numpy(), d.oorzaak.to_numpy())
    for k in range(1, 5):
        o = ours[ours.oorzaak == k]
        i = np.searchsorted(ref.times, o.tijd.to_numpy())
        np.testing.assert_allclose(o.cif, ref.cinc[k - 1][i], rtol=1e-10)
        finite = np.isfinite(ref.cinc_se[k - 1][i])
        np.testing.assert_allclose(o.se.to_numpy()[finite], ref.cinc_se[k - 1][i][finite], rtol=1e-8)
    # the reviewer figures: 1 - KM overstates re-enrolment; the CIF levels off at 69%
    h = ours[ours.oorzaak == 1]
    # (the reviewer counted same-day ends as half a day; whole days shift the curve by at most a point)
    cif = np.array([100 * stats.cif_at(h, t) for t in (90, 180, 300)])
    assert np.abs(cif - [45, 63, 68]).max() <= 1.0
    curves, _ = av.kaplan_meier(d, event="heringeschreven")
    one_minus_km = np.array([100 * (1 - curves[curves.dagen <= t].nog_open.iloc[-1]) for t in (90, 180, 300)])
    assert (one_minus_km > cif + 5).all()
    assert round(100 * h.cif.max()) == 69


def test_logrank_k_equals_scipy_for_two_groups_and_a_hand_example():
    from scipy.stats import CensoredData, logrank

    rng = np.random.default_rng(5)
    t, e, g = rng.integers(1, 40, 120).astype(float), rng.uniform(size=120) < 0.7, rng.integers(0, 2, 120)
    cd = lambda m: CensoredData(uncensored=t[m & e], right=t[m & ~e])
    assert stats.logrank_k(t, e, g)["p"] == pytest.approx(logrank(cd(g == 0), cd(g == 1)).pvalue, rel=1e-8)
    # hand: A = {1, 3}, B = {2, 4}, all events. t=1: n=4 (2 A), O-E = 1 - 1/2, V = 1/4;
    # t=2: n=3 (1 A), O-E = 0 - 1/3, V = 2/9; t=3: n=2 (1 A), O-E = 1 - 1/2, V = 1/4.
    # U = 2/3, V = 13/18, chi2 = (4/9) / (13/18) = 8/13
    r = stats.logrank_k([1, 3, 2, 4], [True] * 4, ["A", "A", "B", "B"])
    assert r["statistiek"] == pytest.approx(8 / 13) and r["df"] == 1


def test_gray_test_keeps_competing_ends_at_risk_until_31_july():
    """Group A: re-enrolled at 1 and 3; group B: moved away at 2 (follow-up to 10) and re-enrolled at 4.
    Subdistribution risk sets: the moved child stays at risk until day 10, so the test is the
    log-rank on A = {1, 3}, B = {4, censored 10}."""
    r = stats.gray_test([1, 3, 2, 4], [1, 1, 2, 1], ["A", "A", "B", "B"], censor_time=[20, 20, 10, 20])
    ref = stats.logrank_k([1, 3, 10, 4], [True, True, False, True], ["A", "A", "B", "B"])
    assert r == ref and np.isfinite(r["p"])


def test_duur_codes_the_ends():
    vm = fixtures.verzuimmeldingen(
        [
            ("Aalten", "geen", "absoluut", "2024-09-01", "2024-10-01", "naar_school"),  # re-enrolled after 30 days
            ("Aalten", "geen", "absoluut", "2025-07-01", None, None),  # open: censored at 31 July
            ("Aalten", "vo", "absoluut", "2024-09-01", "2024-09-11", "verhuisd"),  # competing end after 10 days
            ("Aalten", "vo", "wettelijk", "2024-09-01", "2024-09-11", "naar_school"),  # not absoluut
        ]
    )
    d = av.duur(vm, schooljaar="2024-2025").sort_values("dagen")
    assert d.dagen.tolist() == [10, 30, 30]
    assert d.oorzaak.tolist() == [2, 1, 0]
    assert d.tot_31_juli.tolist() == [333, 333, 30]


def test_research_command_writes_cif_csv(tmp_path):
    from lerenwerkt.cli import main

    assert main(["research", "absoluut-verzuim", "--out", str(tmp_path)]) == 0
    c = pd.read_csv(tmp_path / "cif.csv")
    assert list(c.columns) == ["groep", "gebeurtenis", "dag", "cif", "laag", "hoog"]
    assert set(c.gebeurtenis) == {"heringeschreven", "verhuisd", "overdracht_18", "overig"}
    alle = c[c.groep == "alle"]
    for _, g in alle.groupby("gebeurtenis"):  # a step function: one row per change, rising
        assert g.dag.is_unique and g.dag.is_monotonic_increasing and g.cif.is_monotonic_increasing
    last = alle.groupby("gebeurtenis").cif.max()
    assert last.sum() <= 1 and round(100 * last["heringeschreven"]) == 69
    assert {"nieuwkomer", "geen nieuwkomer", "Aalten"} <= set(c.groep)
    for name in ("aandeel_heringeschreven.csv", "gray.csv", "tarieven.csv", "uitkomsten.csv"):
        assert len(pd.read_csv(tmp_path / name)) > 0


def test_funnel_overdispersion_widens_the_limits(shipped):
    from lerenwerkt import plots
    from lerenwerkt.indicators import rates

    vm = shipped["verzuimmeldingen"]
    r = rates.per_1000(vm[vm.verzuimsoort != "informatie_advies"], shipped["bevolking"], schooljaar="2024-2025")
    phi = plots.funnel_phi(r)
    assert phi > 1
    n = np.array([1000.0, 5000.0])
    plain, wide = stats.funnel_limits(10, n)[0.95], stats.funnel_limits_od(10, n, phi=phi)[0.95]
    np.testing.assert_allclose(wide[1] - 10, 1.959963984540054 * np.sqrt(phi * 0.01 / n) * 1000)
    assert (wide[1] - 10 > plain[1] - 10).all() and (wide[0] >= 0).all()
    assert stats.funnel_limits_od(10, n, phi=0.5)[0.95][1] == pytest.approx(plain[1])
    # hand: z = (-2, -1, 0, 1, 2, 3) / 1 around theta; winsorised at 10/90% quantiles
    z = np.array([-2.0, -1, 0, 1, 2, 3])
    lo, hi = np.quantile(z, [0.1, 0.9])
    n = np.full(6, 1000.0)
    k = 10 + z * np.sqrt(10)  # rate per 1000 = k; V = theta / n per person
    assert stats.funnel_dispersion(k, n, rate=10) == pytest.approx(np.mean(np.clip(z, lo, hi) ** 2))


def test_outcome_shares_backtest_the_report(shipped):
    """Hoofdstuk 2: 65% weer ingeschreven, 14% verhuisd, 9% nog absoluut verzuimer, 8% naar
    het Doorstroompunt, 4% vrijstelling / hulpverlening / werk."""
    from lerenwerkt.indicators.verzuim import uitstroom_absoluut

    u = uitstroom_absoluut(shipped["verzuimmeldingen"], schooljaar="2024-2025").set_index("groep").aandeel.round()
    assert u.to_dict() == {"ingeschreven": 65, "verhuisd": 14, "nog_verzuimer": 9, "overdracht_dsp": 8, "overig": 4}


def test_rates_and_geen_onderwijs_on_shipped_register(shipped):
    r = av.rates(shipped["verzuimmeldingen"], shipped["bevolking"], schooljaar="2024-2025").set_index("gemeente")
    assert r.loc["LerenWerkt", "meldingen"] == 434 == r.meldingen.drop("LerenWerkt").sum()
    assert (r.ci_laag <= r.per_1000).all() and (r.per_1000 <= r.ci_hoog).all()
    g = av.geen_onderwijs(shipped["verzuimmeldingen"], schooljaar="2024-2025")
    assert g.meldingen.sum() == 289


def test_the_research_chapter_shows_the_numbers_of_the_csv(shipped, tmp_path):
    from lerenwerkt import fmt
    from lerenwerkt.chapters import absoluut_verzuim as chapter

    av.write_results(shipped, schooljaar="2024-2025", out=tmp_path)
    a = pd.read_csv(tmp_path / "aandeel_heringeschreven.csv")
    html = chapter.duur(shipped, schooljaar="2024-2025", gemeente=None, publicatie="intern").markup
    for r in a[a.indeling.isin(["alle", "nieuwkomer"])].itertuples():
        assert f"{fmt.procent(r.na_90)} ({fmt.procent(r.na_90_laag)}–{fmt.procent(r.na_90_hoog)})" in html
    g = pd.read_csv(tmp_path / "gray.csv").set_index("indeling")
    assert f"χ² = {fmt.getal(g.loc['onderwijssoort', 'statistiek'], decimalen=1)}" in html


def test_funnel_random_effects_match_statsmodels():
    """τ² of the additive random-effects funnel is DerSimonian–Laird: statsmodels'
    ``combine_effects`` with the Poisson variances θ/n gives the same τ²."""
    from statsmodels.stats.meta_analysis import combine_effects

    k = np.array([30.0, 45, 12, 80, 25, 60, 18, 40, 33])
    n = np.array([3000.0, 3500, 1500, 9000, 2000, 5000, 2500, 4500, 2800])
    theta, tau2 = stats.funnel_tau2(k, n)
    ref = combine_effects(k / n, theta / n, method_re="dl")
    assert theta == pytest.approx(k.sum() / n.sum())
    assert tau2 == pytest.approx(ref.tau2, rel=1e-9) and tau2 > 0
    lim = stats.funnel_limits_re(10.0, np.array([1000.0]), tau2=tau2)[0.95]
    assert lim[1][0] - 10 == pytest.approx(1.959963984540054 * np.sqrt(0.01 / 1000 + tau2) * 1000)


def test_an_outlier_cannot_hide_itself_in_the_funnel(shipped):
    """Absoluut verzuim per 1.000 leerplichtigen, 2024-2025: under the multiplicative model the
    gemeenten's own spread (φ from all nine, outliers included) widens the 99,8% limits until
    no gemeente lies outside; with each gemeente left out of its own limits (leave-one-out,
    additive random effects) the outlier is flagged."""
    from lerenwerkt import codes, plots
    from lerenwerkt.indicators import rates

    vm = shipped["verzuimmeldingen"]
    r = rates.per_1000(vm[vm.verzuimsoort == "absoluut"], shipped["bevolking"], schooljaar="2024-2025")
    g, region = r[r.gemeente != codes.REGIO], r[r.gemeente == codes.REGIO].iloc[0]
    lo, hi = stats.funnel_limits_od(region.per_1000, g.leerplichtigen.to_numpy(), phi=plots.funnel_phi(r))[0.998]
    assert not ((g.per_1000 < lo) | (g.per_1000 > hi)).any()  # the old funnel: every outlier hidden by φ
    loo = plots.funnel_buiten(r)
    flagged = loo[loo["buiten_0.998"]]
    assert 1 <= len(flagged) <= 2, loo.to_string()
    assert (flagged.z.abs() > 3.09).all() and flagged.gemeente.isin(codes.GEMEENTEN).all()


def test_funnel_captions_say_which_limits_and_never_claim_chance(shipped):
    from lerenwerkt.chapters import absoluut_verzuim, verzuim, vrijstellingen

    for fn in (verzuim.per_gemeente, vrijstellingen.vrijstellingen_per_gemeente, absoluut_verzuim.per_gemeente):
        for gemeente, publicatie in ((None, "intern"), ("Aalten", "openbaar")):
            markup = fn(shipped, schooljaar="2024-2025", gemeente=gemeente, publicatie=publicatie).markup
            caption = [p for p in re.findall(r"<p>(.*?)</p>", markup, flags=re.S) if "Grenzen:" in p]
            assert len(caption) == 1, (fn.__module__, gemeente)
            for c in caption:
                assert "toeval" not in c and "random-effectsmodel" in c and "zonder die gemeente zelf" in c, c
