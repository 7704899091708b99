"""Is a change real? Exact tests against hand-computed references, and text that only
says 'steeg'/'daalde' when the test says so — with every number parseable back."""

from __future__ import annotations

import math
import re

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


def test_share_change_fisher_and_wilson():
    # Fisher: identical shares give p = 1; 43% of 1.157 vs 31% of 1.209 is far from chance
    assert stats.share_change_p(10, 20, 10, 20) == pytest.approx(1.0)
    assert stats.share_change_p(498, 1157, 380, 1209) < 1e-6
    lo, hi = stats.wilson_ci(380, 1209)
    p, n, z = 380 / 1209, 1209, 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert (lo, hi) == (pytest.approx(100 * (centre - half)), pytest.approx(100 * (centre + half)))


def test_direction_words_follow_the_test():
    assert text.verandering("X", nieuw=434, oud=362).startswith("X steeg")
    assert "bleef vergelijkbaar" in text.verandering("X", nieuw=731, oud=760)
    assert text.verandering("X", nieuw=4, oud=1, drempel=5) == "X bleef vergelijkbaar: minder dan 5 en minder dan 5 meldingen."


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
    sentences = _sentences(raadsmededeling.regionaal(shipped, schooljaar="2024-2025"))
    assert sentences[0].startswith("Het absoluut verzuim in de regio steeg van 362 naar 434")
    assert sentences[3].startswith("Het overig verzuim in de regio steeg van 738 naar 967")
    assert "bleef vergelijkbaar: 760 en 731" in sentences[1] and "bleef vergelijkbaar: 76 en 55" in sentences[2]
