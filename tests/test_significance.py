"""Is a change real? Exact tests against hand-computed references, and text that only
says 'steeg'/'daalde' when the test says so — with every number parseable back."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from lerenwerkt import claims, stats, text
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
    assert text.verandering("X", nieuw=480, oud=362, jaren=j).startswith("X steeg van 362")
    assert text.verandering("X", nieuw=480, oud=362, jaren=j).endswith(": een duidelijke stijging.")
    assert text.verandering("X", nieuw=731, oud=760, jaren=j).endswith(
        "daalde van 760 meldingen in 2023-2024 naar 731 in 2024-2025 (-4%); dit verschil kan toeval zijn."
    )
    # in openbaar no direction from a count below the threshold, in the words of any withheld count
    assert (
        text.verandering("X", nieuw=4, oud=1, drempel=5, jaren=j)
        == text.verandering("X", nieuw=40, oud=10, drempel=5, jaren=j, verborgen=(True, True))
        == "X: in 2023-2024 niet gepubliceerd, in 2024-2025 niet gepubliceerd (geen vergelijking: niet gepubliceerd ter bescherming van kleine aantallen)."
    )


#: A described change: direction word, both numbers (the first with its unit), the qualifier.
BESCHREVEN = re.compile(
    r"\b(?P<woord>steeg|daalde) van (?P<oud>geen|[\d.]+(?:,\d+)?%?)\D.*? in \d{4}-\d{4} naar (?P<nieuw>geen|[\d.]+(?:,\d+)?%?) in \d{4}-\d{4}"
    r"(?: \([+-]?[\d.]+%\))?(?P<sep>[:;]) (?P<oordeel>[^.]*)\."
)
GELIJK = re.compile(r"\bbleef gelijk: (?P<n>[\d.]+(?:,\d+)?%?)\D.*? in \d{4}-\d{4} en in \d{4}-\d{4}")


def _getal(s: str) -> float:
    return 0.0 if s == "geen" else float(s.rstrip("%").replace(".", "").replace(",", "."))


def _check_describe_then_qualify(zin: str, p: float | None = None) -> str | None:
    """The rules of a comparison sentence; returns its qualifier (None: no described change)."""
    assert "bleef vergelijkbaar" not in zin and "binnen de toevalsmarge" not in zin, zin
    m = BESCHREVEN.search(zin)
    if m is None:
        assert not re.search(r"\b(steeg|daalde)\b(?!’)", zin.replace("‘steeg’", "")), zin  # no direction word outside the pattern
        return None
    oud, nieuw = _getal(m["oud"]), _getal(m["nieuw"])
    assert (nieuw > oud) if m["woord"] == "steeg" else (nieuw < oud), zin  # the word follows the printed numbers
    assert m["oordeel"] in {text.DUIDELIJK[m["woord"]], text.TOEVAL, text.TOEVAL_KLEIN}, zin
    assert (m["sep"] == ":") == (m["oordeel"] == text.DUIDELIJK[m["woord"]]), zin
    if p is not None:
        assert (m["oordeel"] == text.DUIDELIJK[m["woord"]]) == bool(claims.decide(p)), (zin, p)
    return m["oordeel"]


SPREIDINGEN = [claims.POISSON, claims.Spreiding(2.5, 16), claims.Spreiding(7.0, 16)]


@pytest.mark.parametrize("spreiding", SPREIDINGEN, ids=["poisson", "phi2.5", "phi7"])
def test_direction_word_follows_the_numbers_and_the_qualifier_the_test_over_a_grid(spreiding):
    """Over a grid of count pairs (0–40 each, and pairs around 362, 760 and 1.157): 'steeg' only
    when the new count is higher, 'daalde' only when lower, 'bleef gelijk' only when equal, never
    'bleef vergelijkbaar'; 'een duidelijke stijging/daling' exactly when the publication's rule
    calls the change real, else 'kan toeval zijn' ('bij zulke kleine aantallen' below 30)."""
    j = ("2023-2024", "2024-2025")
    pairs = [(a, b) for a in range(41) for b in range(41)] + [(a, round(a * f)) for a in (362, 760, 1157) for f in (0.6, 0.8, 0.95, 1, 1.04, 1.2, 1.5)]
    seen = {"duidelijk": 0, "toeval": 0, "gelijk": 0}
    oud_, nieuw_ = np.array(pairs).T
    ps = stats.change_p(oud_, nieuw_, phi=spreiding.phi, df=spreiding.df or None)  # vectorised: the sentences get the same p
    for (oud, nieuw), p in zip(pairs, ps):
        zin = text.verandering("X", nieuw=nieuw, oud=oud, jaren=j, spreiding=spreiding, p=None if (oud + nieuw) % 50 == 7 else p)
        oordeel = _check_describe_then_qualify(zin, p)
        if oud == nieuw:
            assert oordeel is None and (zin == "X: geen meldingen in 2023-2024 en in 2024-2025." if oud == 0 else GELIJK.search(zin)), zin
            seen["gelijk"] += 1
            continue
        assert oordeel is not None, zin
        if oordeel in text.DUIDELIJK.values():
            seen["duidelijk"] += 1
        else:
            assert (oordeel == text.TOEVAL_KLEIN) == (min(oud, nieuw) < text.KLEIN), zin
            seen["toeval"] += 1
    assert min(seen.values()) > 0, seen


def test_shares_describe_then_qualify():
    j = ("2023-2024", "2024-2025")
    for k_oud, n_oud, k_nieuw, n_nieuw in [(498, 1157, 380, 1209), (10, 20, 11, 20), (11, 20, 11, 20), (11, 20, 110, 200), (40, 100, 41, 100), (3, 40, 30, 40)]:
        zin = text.aandeel_verandering("Het aandeel", k_nieuw=k_nieuw, n_nieuw=n_nieuw, k_oud=k_oud, n_oud=n_oud, jaren=j)
        oordeel = _check_describe_then_qualify(zin, stats.share_change_p(k_oud, n_oud, k_nieuw, n_nieuw))
        if round(100 * k_oud / n_oud) == round(100 * k_nieuw / n_nieuw):
            assert oordeel is None and GELIJK.search(zin), zin
        else:
            assert oordeel is not None, zin


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
    verzuim gestegen (regional). The register gives those directions, and the generated text
    says them (describe); whether a change is larger than chance is said apart (qualify)."""
    vm = shipped["verzuimmeldingen"]
    sign = {s: ind.verandering(vm, schooljaar="2024-2025", vorig="2023-2024", verzuimsoort=s).iloc[0] for s in ("absoluut", "wettelijk", "luxe", "overig")}
    assert sign["absoluut"].huidig > sign["absoluut"].vorig
    assert sign["wettelijk"].huidig < sign["wettelijk"].vorig
    assert sign["luxe"].huidig < sign["luxe"].vorig
    assert sign["overig"].huidig > sign["overig"].vorig
    sentences = _sentences(raadsmededeling.regionaal(shipped, schooljaar="2024-2025", publicatie="intern"))
    assert sentences[0].startswith("Het absoluut verzuim in de regio steeg van 362 meldingen in 2023-2024 naar 434 in 2024-2025")
    assert sentences[3].startswith("Het overig verzuim in de regio steeg van 738 meldingen in 2023-2024 naar 967 in 2024-2025")
    assert "daalde van 760 meldingen in 2023-2024 naar 731 in 2024-2025" in sentences[1]
    assert "daalde van 76 meldingen in 2023-2024 naar 55 in 2024-2025" in sentences[2]
    for zin in sentences:
        _check_describe_then_qualify(zin)
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


def test_every_claim_in_a_draft_follows_the_publications_rule(shipped):
    """The Aalten memo: every 'duidelijke stijging/daling' is a comparison the publication's
    rule (p < Q / MAX_VERGELIJKINGEN) calls real, every comparison the rule calls real is
    said to be 'duidelijk', and the method note gives the number of comparisons and the
    change needed at these counts."""
    from lerenwerkt import claims

    fam = _memo_family(shipped, "Aalten")
    assert 5 <= fam.m <= claims.MAX_VERGELIJKINGEN  # the memo's comparisons the publication shows (a withheld one is not tested)
    decided = dict(zip(fam.pvalues, claims.decide(np.array(list(fam.pvalues.values())))))
    scope = {"schooljaar": "2024-2025", "gemeente": "Aalten", "publicatie": "openbaar"}
    sentences = _sentences(raadsmededeling.regionaal(shipped, **scope)) + _sentences(raadsmededeling.lokaal_verzuim(shipped, **scope))
    described = [s for s in sentences if BESCHREVEN.search(s)]
    assert described
    for s in described:
        m = BESCHREVEN.search(s)
        old, new = _getal(m["oud"]), _getal(m["nieuw"])
        called = [ok for k, ok in decided.items() if k[:2] == (old, new)]
        assert called, s
        assert ("een duidelijke" in s) == any(called), s
    assert sum(decided.values()) == sum("een duidelijke" in s for s in described)
    note = re.sub(r"<[^>]+>", "", raadsmededeling.methode(shipped, **scope).markup)
    assert f"Dit concept maakt {fam.m} vergelijkingen" in note and "Benjamini" not in note
    assert re.search(r"is een verschil van ongeveer \d+% nodig om het van toeval te onderscheiden", note), note
    assert "kans dat het verschil toeval is" in note  # what a p-value is not
    assert "in de hele regio tegelijk" in note and "telt als verandering" in note  # a region-wide change in registration


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


# ---------------------------------------------------------------- the variance model


def test_variance_model_matches_statsmodels():
    """φ (no trend in r²) is a statsmodels Poisson GLM's Pearson χ²/df; the test of the variance
    function is statsmodels' OLS t-test of the scaled squared Pearson residuals on μ."""
    import pandas as pd
    import statsmodels.api as sm

    rng = np.random.default_rng(3)
    mu = np.outer([5, 20, 60, 150, 40, 10, 90, 30, 200], [1.0, 1.1, 1.2, 1.3])
    table = rng.negative_binomial(1 / 0.1, 1 / (1 + 0.1 * mu))  # Var = μ(1 + 0,1μ): grows with μ
    long = pd.DataFrame([(i, j, table[i, j]) for i in range(9) for j in range(4)], columns=["r", "c", "n"])
    x = pd.get_dummies(long[["r", "c"]].astype(str), drop_first=True).astype(float)
    fit = sm.GLM(long.n, sm.add_constant(x), family=sm.families.Poisson()).fit()
    r2 = fit.resid_pearson**2 * len(long) / fit.df_resid
    ols = sm.OLS(r2.to_numpy(), sm.add_constant(fit.mu)).fit()
    m = stats.variance_model(table)
    assert m["p_slope"] == pytest.approx(ols.pvalues[1], rel=1e-6)
    assert m["p_slope"] < 0.05 and m["kappa"] == pytest.approx(ols.params[1], rel=1e-6) and m["kappa"] > 0
    assert m["c"] == pytest.approx(max(ols.params[0], 0.0), rel=1e-6, abs=1e-9)
    flat = np.array([[30, 41, 25, 33], [12, 9, 20, 14], [55, 60, 48, 52], [3, 7, 2, 4]])
    m = stats.variance_model(flat)
    assert m["kappa"] == 0 and m["c"] == pytest.approx(stats.dispersion(flat)[0])


def test_the_register_chooses_the_variance_function(shipped):
    """Overig verzuim: r² rises with μ in the register (2020-2021 to 2023-2024, p < 5%), so its
    variance grows with the count (κ > 0); luxe verzuim: r² falls with μ, quasi-Poisson (κ = 0)."""
    from lerenwerkt import claims

    vm = shipped["verzuimmeldingen"]
    overig = claims.spreiding_records(vm[vm.verzuimsoort == "overig"], schooljaar="2024-2025")
    luxe = claims.spreiding_records(vm[vm.verzuimsoort == "luxe"], schooljaar="2024-2025")
    assert overig.model == "negatief-binomiaal" and overig.p_slope < 0.05 and overig.kappa > 0
    assert luxe.model == "quasi-Poisson" and luxe.kappa == 0
    assert overig.df == 8 * 3 - 1 and luxe.df == 8 * 3  # nine gemeenten, the four other schooljaren


def test_the_year_under_test_does_not_widen_its_own_yardstick(shipped):
    """The variance model leaves the schooljaar under test out: tripling one gemeente's count
    in that year changes neither φ nor κ (it did: the tested change inflated φ)."""
    import pandas as pd

    from lerenwerkt import claims

    vr = shipped["vrijstellingen"]
    art = vr[vr.artikel == "5b"] if (vr.artikel == "5b").any() else vr
    extra = art[(art.schooljaar == "2024-2025") & (art.gemeente == "Winterswijk")]
    more = pd.concat([art, extra, extra], ignore_index=True)
    assert len(extra) > 0
    assert claims.spreiding_records(more, schooljaar="2024-2025") == claims.spreiding_records(art, schooljaar="2024-2025")
    assert claims.spreiding_records(more, schooljaar="2023-2024") != claims.spreiding_records(art, schooljaar="2023-2024")


def test_change_test_with_a_variance_growing_with_the_count():
    """z = D / √(Var(μ_new) + Var(μ_old)), Var = μ·(c + κ·min(μ, cap)), by hand."""
    from scipy.stats import t

    old, new, c, kappa = 61, 87, 0.5, 0.04
    mu = (old + new) / 2
    z = (new - old) / math.sqrt(2 * mu * (c + kappa * mu))
    assert stats.change_p(old, new, phi=c, kappa=kappa, df=23) == pytest.approx(max(2 * t(23).sf(z), stats.poisson_change_p(old, new)))
    # a regional sum: its overdispersion grows no further than the largest gemeente's count
    assert stats.change_p(738, 967, phi=c, kappa=kappa, df=23, cap=120) < stats.change_p(738, 967, phi=c, kappa=kappa, df=23)


def test_editorial_texts_say_a_change_in_the_chapters_words(shipped):
    """'{{ overig_verzuim_ontwikkeling }}' and the other verzuim soorten: the change described
    and qualified as the verzuim chapter's Samenvatting says it (same numbers, same words), so
    an editorial text need not type 'vaker' — the Aalten text said so for a fall of one."""
    from lerenwerkt import tables as tb
    from lerenwerkt import teksten
    from lerenwerkt.config import PROJECT_DIR

    for gemeente in (None, "Aalten", "Doetinchem"):
        ctx = teksten.Context(shipped, "2024-2025", gemeente, "intern")
        chapter = _sentences(verzuim.samenvatting(shipped, schooljaar="2024-2025", gemeente=gemeente, publicatie="intern"))
        for naam, (builder, row) in teksten.ONTWIKKELING.items():
            zin = teksten.invullen(f"Het {naam.removesuffix('_verzuim_ontwikkeling')} verzuim {{{{ {naam} }}}}.", ctx)
            _check_describe_then_qualify(zin)
            raw = getattr(tb, builder)(shipped, schooljaar="2024-2025", gemeente=gemeente).frame
            m = BESCHREVEN.search(zin)
            if m is not None:
                assert (_getal(m["oud"]), _getal(m["nieuw"])) == (raw.at[row, "2023-2024"], raw.at[row, "2024-2025"]), zin
                assert zin in chapter, (zin, chapter)  # the chapter's sentence, word for word
    aalten = (PROJECT_DIR / "teksten" / "2024-2025" / "gemeenten" / "aalten.md").read_text(encoding="utf-8")
    assert "vaker" not in aalten and "{{ overig_verzuim_ontwikkeling }}" in aalten
