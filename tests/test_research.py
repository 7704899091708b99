"""Research functions for absoluut verzuim, checked against hand computations and R."""

from __future__ import annotations

import math

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


def test_kaplan_meier_hand_computed():
    """Six meldingen: re-enrolled after 1, 2, 3 and 5 days; censored at 4 and 6.
    S(1)=5/6, S(2)=4/6, S(3)=3/6, S(5)=3/6*1/2=1/4; median = 3 days."""
    d = pd.DataFrame({"dagen": [1, 2, 3, 4, 5, 6], "heringeschreven": [True, True, True, False, True, False], "g": "x"})
    curves, med = av.kaplan_meier(d)
    s = dict(zip(curves.dagen, curves.nog_niet_ingeschreven))
    assert s[1] == pytest.approx(5 / 6) and s[2] == pytest.approx(4 / 6) and s[3] == pytest.approx(0.5) and s[5] == pytest.approx(0.25)
    m = med.iloc[0]
    assert (m.n, m.heringeschreven, m.mediaan) == (6, 4, 3.0)
    assert m.ci_laag <= 3.0 and (math.isnan(m.ci_hoog) or m.ci_hoog >= 3.0)


def test_logrank_detects_a_clear_difference():
    quick = pd.DataFrame({"dagen": np.arange(1, 31), "heringeschreven": True, "groep": "snel"})
    slow = pd.DataFrame({"dagen": np.arange(60, 90), "heringeschreven": True, "groep": "traag"})
    t = av.vergelijk(pd.concat([quick, slow]), by="groep", a="snel", b="traag")
    assert t["p"] < 1e-6 and (t["n_a"], t["n_b"]) == (30, 30)


def test_duur_censors_open_and_other_outcomes():
    vm = fixtures.verzuimmeldingen(
        [
            ("Aalten", "geen", "absoluut", "2024-09-01", "2024-10-01", "naar_school"),  # event after 30 days
            ("Aalten", "geen", "absoluut", "2025-07-01", None, None),  # open: censored at 31 July
            ("Aalten", "vo", "absoluut", "2024-09-01", "2024-09-11", "verhuisd"),  # censored at 10 days
            ("Aalten", "vo", "wettelijk", "2024-09-01", "2024-09-11", "naar_school"),  # not absoluut
        ]
    )
    d = av.duur(vm, schooljaar="2024-2025").sort_values("dagen")
    assert d.dagen.tolist() == [10.5, 30.5, 30.5]
    assert d.heringeschreven.tolist() == [False, True, False]


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
