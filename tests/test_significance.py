"""Is a change real? Exact tests against hand-computed references, and text that only
says 'steeg'/'daalde' when the test says so — with every number parseable back."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from lerenwerkt import stats, text
from lerenwerkt.chapters import raadsmededeling, verzuim
from lerenwerkt.indicators import verzuim as ind


def _binom_two_sided(k: int, n: int) -> float:
    """Exact two-sided binomial p (p=1/2), by enumeration: sum of outcomes as likely or less."""
    pmf = [math.comb(n, i) / 2**n for i in range(n + 1)]
    return min(1.0, sum(p for p in pmf if p <= pmf[k] * (1 + 1e-7)))


@pytest.mark.parametrize(("old", "new"), [(13, 7), (362, 434), (760, 731), (76, 55), (0, 3), (5, 5)])
def test_poisson_change_equals_the_exact_binomial(old, new):
    assert stats.poisson_change_p(old, new) == pytest.approx(_binom_two_sided(new, old + new), rel=1e-6)


def test_textbook_value():
    # binom.test(7, 20): P(X <= 7) = 137980 / 2^20 = 0.13159, two-sided 0.2632
    assert stats.poisson_change_p(13, 7) == pytest.approx(0.2632, abs=5e-5)


def test_share_change_fisher():
    # Fisher: identical shares give p = 1; 43% of 1.157 vs 31% of 1.209 is far from chance
    assert stats.share_change_p(10, 20, 10, 20) == pytest.approx(1.0)
    assert stats.share_change_p(498, 1157, 380, 1209) < 1e-6


def test_direction_words_follow_the_test():
    j = ("2023-2024", "2024-2025")
    assert text.verandering("X", nieuw=434, oud=362, jaren=j).startswith("X steeg")
    assert "bleef vergelijkbaar" in text.verandering("X", nieuw=731, oud=760, jaren=j)
    # in openbaar no direction from a count below the threshold, in the words of any withheld count
    assert (
        text.verandering("X", nieuw=4, oud=1, drempel=5, jaren=j)
        == text.verandering("X", nieuw=40, oud=10, drempel=5, jaren=j, verborgen=(True, True))
        == "X: in 2023-2024 niet gepubliceerd, in 2024-2025 niet gepubliceerd (geen vergelijking: niet gepubliceerd ter bescherming van kleine aantallen)."
    )


def _sentences(block) -> list[str]:
    return [re.sub(r"<[^>]+>", "", li) for li in re.findall(r"<li>(.*?)</li>", block.markup)]


def _numbers(sentence: str) -> list[int]:
    return [int(x.replace(".", "")) for x in re.findall(r"(?<![\d,])\d{1,3}(?:\.\d{3})*(?![\d,%])", sentence)]


def test_every_number_in_the_summary_is_the_indicator_it_names(shipped):
    vm = shipped["verzuimmeldingen"]
    sentences = _sentences(verzuim.samenvatting(shipped, schooljaar="2024-2025", gemeente=None))
    for soort, sentence in zip(("absoluut", "wettelijk", "luxe", "overig"), sentences):
        v = ind.verandering(vm, schooljaar="2024-2025", vorig="2023-2024", verzuimsoort=soort).iloc[0]
        assert _numbers(sentence)[:2] == [v.vorig, v.huidig], sentence


def test_memo_directions_come_out_of_the_register(shipped):
    """The Aalten memo: absoluut verzuim gestegen, wettelijk en luxe verzuim gedaald, overig
    verzuim gestegen (regional). The register gives those directions; the generated text
    only calls a change a rise or fall when it is significant."""
    vm = shipped["verzuimmeldingen"]
    sign = {s: ind.verandering(vm, schooljaar="2024-2025", vorig="2023-2024", verzuimsoort=s).iloc[0] for s in ("absoluut", "wettelijk", "luxe", "overig")}
    assert sign["absoluut"].huidig > sign["absoluut"].vorig
    assert sign["wettelijk"].huidig < sign["wettelijk"].vorig
    assert sign["luxe"].huidig < sign["luxe"].vorig
    assert sign["overig"].huidig > sign["overig"].vorig
    sentences = _sentences(raadsmededeling.regionaal(shipped, schooljaar="2024-2025", publicatie="intern"))
    assert sentences[0].startswith("Het absoluut verzuim in de regio steeg van 362 meldingen in 2023-2024 naar 434 in 2024-2025")
    assert sentences[3].startswith("Het overig verzuim in de regio steeg van 738 meldingen in 2023-2024 naar 967 in 2024-2025")
    assert "bleef vergelijkbaar: 760 meldingen in 2023-2024 en 731 in 2024-2025" in sentences[1]
    assert "bleef vergelijkbaar: 76 meldingen in 2023-2024 en 55 in 2024-2025" in sentences[2]
    # the memo as sent (openbaar): a figure the publication withholds carries no direction word
    for zin in _sentences(raadsmededeling.regionaal(shipped, schooljaar="2024-2025")):
        if "niet gepubliceerd" in zin:  # below k or withheld to protect others: the same words
            assert text.GEEN_VERGELIJKING in zin and not re.search(r"\b(steeg|daalde)\b", zin), zin


def test_overdispersion_makes_the_change_test_wider_but_never_more_eager():
    # 362 -> 434: the exact test says p = 0.013; with φ = 3 (16 df) it is within chance
    exact = stats.poisson_change_p(362, 434)
    assert stats.change_p(362, 434) == pytest.approx(exact)
    assert stats.change_p(362, 434, phi=3.0, df=16) > 0.05 > exact
    assert stats.change_p(362, 434, phi=0.5, df=16) >= exact  # φ < 1 counts as Poisson
    # quasi-Poisson z by hand: (434 - 796/2) / sqrt(3 * 796/4) = 36 / 24.43..., t with 16 df
    from scipy.stats import t

    z = 36 / math.sqrt(3 * 796 / 4)
    assert stats.change_p(362, 434, phi=3.0, df=16) == pytest.approx(2 * t(16).sf(z))
    # exposures: 10% more leerplichtigen explain a 10% rise
    assert stats.change_p(1000, 1100, exposure_old=1.0, exposure_new=1.1) == pytest.approx(1.0, abs=0.02)


def _memo_family(shipped, gemeente):
    from lerenwerkt import claims

    scope = {"schooljaar": "2024-2025", "gemeente": gemeente, "publicatie": "openbaar"}
    return claims._family(raadsmededeling, (shipped,), scope, raadsmededeling.methode)


def test_every_claim_in_a_draft_follows_the_drafts_rule(shipped):
    """The Aalten memo: every 'steeg'/'daalde' sentence is a comparison the draft's rule
    (p < 5% and Benjamini–Hochberg at 10% over all the memo's tests) calls real, and the
    method note gives the number of comparisons."""
    from lerenwerkt import claims

    fam = _memo_family(shipped, "Aalten")
    assert fam.m >= 5  # the memo's comparisons the publication shows (a withheld one is not tested)
    decided = dict(zip(fam.pvalues, claims.decide(np.array(list(fam.pvalues.values())))))
    scope = {"schooljaar": "2024-2025", "gemeente": "Aalten", "publicatie": "openbaar"}
    sentences = _sentences(raadsmededeling.regionaal(shipped, **scope)) + _sentences(raadsmededeling.lokaal_verzuim(shipped, **scope))
    claimed = [s for s in sentences if " steeg van " in s or " daalde van " in s]
    assert claimed and sum(decided.values()) >= len({tuple(_numbers(s)[:2]) for s in claimed})
    for s in claimed:
        old, new = _numbers(s)[:2]
        assert any(k[:2] == (old, new) and ok for k, ok in decided.items()), s
    note = re.sub(r"<[^>]+>", "", raadsmededeling.methode(shipped, **scope).markup)
    assert f"Dit concept maakt {fam.m} zulke vergelijkingen" in note and "Benjamini–Hochberg" in note


@pytest.mark.parametrize("module", ["verzuim", "vrijstellingen", "vsv", "absoluut_verzuim"])
def test_each_draft_carries_its_method_note(shipped, module):
    import importlib

    mod = importlib.import_module(f"lerenwerkt.chapters.{module}")
    note = re.sub(r"<[^>]+>", "", mod.methode(shipped, schooljaar="2024-2025", gemeente="Aalten", publicatie="intern").markup)
    assert "vergelijkingen" in note and "‘steeg’" in note
    assert "methode(reg, **scope)" in _notebook_source(module)


def _notebook_source(chapter: str) -> str:
    from lerenwerkt.chapters import notebook_path

    return notebook_path(chapter).read_text(encoding="utf-8")
