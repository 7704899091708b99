"""Claims a publication makes about change, and the one rule that keeps them honest.

A sentence first describes a change — the direction word follows the printed numbers
("steeg van 6 naar 21") — and then qualifies it: "een duidelijke stijging" when the change is
larger than chance can explain, else that it may be chance (:mod:`lerenwerkt.text`); a table
puts ``*`` in its *Verschil* column for the same decision. Each qualifier is a test; a
raadsmededeling makes a dozen. Two rules keep the false-positive rate where it is promised:

1. **Clustered counts.** Meldingen cluster by child, school and registration effort, so counts
   vary more than Poisson. Each count's test (:func:`lerenwerkt.stats.change_p`) allows for
   the indicator's dispersion, estimated across the nine gemeenten and the schooljaren, and
   is never more eager than the exact conditional Poisson test.
2. **One decision per figure per publication.** A figure is called 'duidelijk' gestegen or
   gedaald when its p-value is below :data:`ALPHA_CLAIM` = :data:`Q` / :data:`MAX_VERGELIJKINGEN`
   — one threshold for the whole publication, so a figure's words depend on the figure alone:
   a regional figure reads the same in all nine memos, intern and openbaar agree, the Word
   memo is the HTML memo. A draft makes at most :data:`MAX_VERGELIJKINGEN` comparisons
   (tests/test_claims_consistency.py counts them in the shipped build), so by Bonferroni a
   draft with no real change calls *any* change 'duidelijk' in at most :data:`Q` = 10% of
   years, whatever the dependence between its tests; each single test stays far below 5%.
   (Benjamini–Hochberg per draft, the earlier rule, made a regional figure's words depend on
   the memo it stood in: 362 → 434 was 'steeg' in 7 of the 20 drafts that showed it.)

How a draft counts its comparisons: chapter sections that make claims are decorated with
:func:`draft`. On the first such call for a scope, every decorated section of the chapter is
run once in *collect* mode (p-values recorded, equal counts are not tested); the method note
(:func:`methode_noot`) states the rule and the number of comparisons. Because the decision
does not depend on the family, every section's collect-pass output is its final output; only
a section that reads the family (the method note) runs a second time.
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lerenwerkt import stats

#: The chance that a draft with no real change calls any change 'duidelijk' is at most Q.
Q = 0.10
#: The most comparisons one draft makes (the intern verzuim and vrijstellingen chapters of a
#: gemeente, up to 16 in 2024-2025); tests/test_claims_consistency.py checks the shipped build.
MAX_VERGELIJKINGEN = 16
#: A change is called 'duidelijk' (and starred) when p < ALPHA_CLAIM: Bonferroni over a draft.
ALPHA_CLAIM = Q / MAX_VERGELIJKINGEN


@dataclass(frozen=True)
class Spreiding:
    """The variance model of an indicator's counts (:func:`lerenwerkt.stats.variance_model`):
    Var = μ·(φ + κ·min(μ, cap)), never below Poisson, with its degrees of freedom (φ = 1,
    κ = 0: Poisson). κ > 0 when the register shows overdispersion growing with the count
    (``p_slope``: the test of the variance function)."""

    phi: float = 1.0
    df: int = 0
    kappa: float = 0.0
    cap: float = float("inf")
    p_slope: float = 1.0

    @property
    def model(self) -> str:
        return "negatief-binomiaal" if self.kappa > 0 else "quasi-Poisson" if self.df else "Poisson"


POISSON = Spreiding()


@dataclass
class Family:
    """The change tests of one draft (for its method note: how many, and how many are called real)."""

    pvalues: dict[tuple, float] = field(default_factory=dict)
    #: Per count comparison: (count, the relative change it needs to be called real).
    detect: dict[tuple, tuple[float, float]] = field(default_factory=dict)
    cutoff: float = -1.0
    #: Outputs of the collect pass that the draft's rule leaves unchanged, per call (used once).
    outputs: dict[tuple, object] = field(default_factory=dict, repr=False)

    @property
    def m(self) -> int:
        return len(self.pvalues)

    @property
    def reported(self) -> int:
        return int(decide(list(self.pvalues.values())).sum()) if self.pvalues else 0

    def close(self) -> Family:
        self.cutoff = ALPHA_CLAIM
        return self


_collecting: Family | None = None
_active: Family | None = None
_cache: dict[tuple, tuple[object, Family]] = {}


def significant(p: float, *, key: tuple = (), detect: Callable[[], tuple[float, float]] | None = None) -> bool:
    """Is a change with two-sided p-value ``p`` called real ('duidelijk', starred)? One rule
    everywhere: ``p <`` :data:`ALPHA_CLAIM`, in every draft and edition and outside a draft,
    so a figure is worded the same wherever it is shown. In a draft's collect pass the test
    is recorded; ``key`` identifies the comparison so that a test shown twice (text and
    table) counts once; ``detect`` gives (count, relative change needed) for the method note."""
    if _collecting is not None:
        k = (*key, round(float(p), 12))
        _collecting.pvalues.setdefault(k, float(p))
        if detect is not None and k not in _collecting.detect:
            _collecting.detect[k] = detect()
    return bool(decide(p))


def decide(pvalues) -> np.ndarray:
    """The publication's rule, elementwise (vectorised over runs and tests): True where a
    change is called real — p < :data:`ALPHA_CLAIM`."""
    return np.asarray(pvalues, dtype=float) < ALPHA_CLAIM


def bh_significant(pvalues, *, q: float = Q) -> np.ndarray:
    """Benjamini–Hochberg decisions over the last axis (vectorised over runs): True where
    the hypothesis is rejected (tested against statsmodels' ``multipletests``)."""
    p = np.asarray(pvalues, dtype=float)
    m = p.shape[-1]
    order = np.sort(p, axis=-1)
    ok = order <= q * np.arange(1, m + 1) / m
    k = np.where(ok.any(axis=-1), m - 1 - np.argmax(ok[..., ::-1], axis=-1), -1)
    cutoff = np.where(k >= 0, np.take_along_axis(order, np.maximum(k, 0)[..., None], axis=-1)[..., 0], -1.0)
    return p <= cutoff[..., None]


def draft(fn: Callable) -> Callable:
    """Mark a chapter section that makes claims about change (see the module docstring)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        global _active
        if _collecting is not None or _active is not None:
            return fn(*args, **kwargs)
        family = _family(sys.modules[fn.__module__], args, kwargs, fn)
        done = family.outputs.pop(_call_key(fn, args, kwargs), _MISSING) if family.outputs else _MISSING
        if done is not _MISSING:
            return done  # the collect pass made exactly this output (see _family)
        _active = family
        try:
            return fn(*args, **kwargs)
        finally:
            _active = None

    wrapper._claims_section = True
    return wrapper


def _family(module, args, kwargs, fn) -> Family:
    global _collecting
    bound = inspect.signature(fn).bind_partial(*args, **kwargs)
    reg = bound.arguments.get("reg")
    scope = {k: bound.arguments.get(k) for k in ("schooljaar", "gemeente", "publicatie")}
    key = (module.__name__, tuple(sorted(scope.items(), key=lambda kv: kv[0])))
    hit = _cache.get(key)
    if hit is not None and hit[0] is reg:
        return hit[1]
    family = Family()
    _collecting = family
    runs = []
    try:
        for _, section in inspect.getmembers(module, inspect.isfunction):
            if not getattr(section, "_claims_section", False):
                continue
            params = inspect.signature(section).parameters
            if "gemeente" in params and scope["gemeente"] is None and str(params["gemeente"].annotation) == "str":
                continue  # a section for one gemeente (raadsmededeling) is no part of a regional draft
            call = {k: v for k, v in scope.items() if k in params and (v is not None or k == "gemeente")}
            run = _SectionRun(_call_key(section, (reg,) if "reg" in params else (), call))
            _set_section(run)
            try:
                run.output = section(*((reg,) if "reg" in params else ()), **call)
            finally:
                _set_section(None)
            runs.append(run)
    finally:
        _collecting = None
        import matplotlib.pyplot as plt

        plt.close("all")
    family.close()
    # A section's collect-pass output is its final output (the rule does not depend on the
    # family) unless it asked for the family: then the render pass returns that output
    # instead of running the section a second time.
    for run in runs:
        if run.key is not None and run.reusable:
            family.outputs[run.key] = run.output
    if len(_cache) > 16:
        _cache.clear()
    _cache[key] = (reg, family)
    return family


_MISSING = object()


@dataclass
class _SectionRun:
    """One section's call in the collect pass, and whether it read the family (the method
    note does: it must be rendered again)."""

    key: tuple | None
    reusable: bool = True
    output: object = None


_section: _SectionRun | None = None


def _set_section(run: _SectionRun | None) -> None:
    global _section
    _section = run


def _call_key(fn: Callable, args: tuple, kwargs: dict) -> tuple | None:
    """A section call's identity: its name and arguments (defaults applied; the register by
    identity). None when an argument cannot be compared."""
    try:
        bound = inspect.signature(fn).bind(*args, **kwargs)
        bound.apply_defaults()
        key = (fn.__module__, fn.__qualname__, *((k, id(v) if k == "reg" else v) for k, v in bound.arguments.items()))
        hash(key)
        return key
    except TypeError:
        return None


def collecting() -> bool:
    """Is a draft's first (collect) pass running?"""
    return _collecting is not None


def active() -> Family | None:
    """The family of the draft being rendered (None outside a draft)."""
    if _section is not None:
        _section.reusable = False  # its output depends on the family: render it again
    return _active


def methode_noot() -> str:
    """The draft's method note in Dutch, for a council member: what 'steeg' and 'duidelijk'
    mean, what the threshold promises (and what a p-value is not), how many comparisons the
    draft makes and how large a change must be at its counts to be told from chance."""
    fam = active()
    if fam is None:
        return ""
    if fam.m == 0:
        return "Dit concept vergelijkt geen aantallen tussen schooljaren."
    wel = {0: "geen daarvan is", 1: "één daarvan is"}.get(fam.reported, f"{fam.reported} daarvan zijn")
    aantal = "één vergelijking" if fam.m == 1 else f"{fam.m} vergelijkingen"
    nodig = ""
    if fam.detect:
        n, r = (float(np.median(x)) for x in zip(*fam.detect.values()))
        nodig = (
            f"Bij aantallen als deze (meestal rond {_rond(n)}) is een verschil van ongeveer {_rond(100 * r)}% nodig om het van toeval "
            "te onderscheiden; een kleiner verschil kan echt zijn, maar is met deze aantallen niet aan te tonen. "
        )
    return (
        "Over ‘steeg’ en ‘daalde’. ‘Steeg’ en ‘daalde’ beschrijven alleen de getallen: dit schooljaar is het aantal hoger of lager dan het "
        "schooljaar ervoor. Daarachter staat apart of het verschil groter is dan toeval kan verklaren. Aantallen meldingen schommelen ook "
        "zonder echte verandering van jaar tot jaar, en meer dan bij puur toeval, omdat meldingen samenhangen (hetzelfde kind, dezelfde "
        "school, de aandacht voor registratie); de toets rekent met de schommeling die over de negen gemeenten en de schooljaren "
        "werkelijk optreedt, in de andere schooljaren dan het getoetste. Bij verzuimmeldingen en vrijstellingen vergelijkt de toets het "
        "aantal per leerplichtige, want dat aantal verandert ook. Een verandering die in de hele regio tegelijk optreedt, bijvoorbeeld "
        "doordat scholen anders gaan melden, telt als verandering: de toets kan die niet van een echte verandering onderscheiden. "
        f"‘Een duidelijke stijging’ of ‘daling’ (en een * in de kolom Verschil) staat er alleen als een verschil van die omvang, als er "
        f"niets veranderd was, in minder dan {fmt_procent(100 * ALPHA_CLAIM)} van de jaren zou voorkomen. Dat is iets anders dan de kans "
        "dat het verschil toeval is: die kans kan geen toets geven. "
        f"Dit concept maakt {aantal}; {wel} duidelijk. Omdat de grens zo streng is, noemt een concept zonder echte veranderingen in "
        f"hooguit {fmt_procent(100 * Q)} van de jaren toch iets duidelijk gestegen of gedaald, en een cijfer krijgt overal in deze "
        "publicatie dezelfde woorden. " + nodig
    )


def _rond(x: float) -> str:
    """A number rounded for a reader: to 10 above 100, to 5 above 20, else whole."""
    from lerenwerkt import fmt

    step = 10 if x >= 100 else 5 if x >= 20 else 1
    return fmt.getal(int(step * round(x / step)))


def fmt_procent(x: float) -> str:
    from lerenwerkt import fmt

    return fmt.procent(x, decimalen=1 if x < 1 else 0)


def detecteerbaar(n: float, spreiding: Spreiding | None = None) -> float:
    """The relative change (0.6 = 60%) a count of about ``n`` must make to be called
    'duidelijk' (p < :data:`ALPHA_CLAIM`) under the indicator's dispersion: from n to n·(1 + r)
    the test's z = r·√n / √(φ·(2 + r)) reaches the critical value z* when
    n·r² − z*²φ·r − 2z*²φ = 0 (the positive root).

    >>> round(detecteerbaar(70), 2), round(detecteerbaar(70, Spreiding(3.0, 16)), 2)
    (0.52, 1.16)
    """
    from scipy import stats as st

    s = spreiding or POISSON
    phi = max(float(s.phi) + float(s.kappa) * min(float(n), float(s.cap)), 1.0)
    z = float(st.t(s.df).isf(ALPHA_CLAIM / 2) if s.df else st.norm.isf(ALPHA_CLAIM / 2))
    n = max(float(n), 1.0)
    a = z * z * phi
    return float((a + np.sqrt(a * a + 8 * n * a)) / (2 * n))


# --- Dispersion of an indicator ---------------------------------------------------------


def model_van(table: np.ndarray) -> Spreiding:
    """The variance model of a gemeente × schooljaar table of counts (the tested year left out)."""
    m = stats.variance_model(table)
    return Spreiding(float(m["c"]), int(m["df"]), float(m["kappa"]), float(m["cap"]), float(m["p_slope"]))


def spreiding_records(records: pd.DataFrame, *, schooljaar: str) -> Spreiding:
    """The variance model of the counts of these records (one indicator, all gemeenten) per
    gemeente and schooljaar, over every schooljaar the delivery holds except the one under
    test (its change must not widen its own yardstick; :func:`stats.variance_model`)."""
    from lerenwerkt import codes

    years = sorted(y for y in pd.unique(records.schooljaar.dropna()) if y != schooljaar)
    # gemeente × schooljaar counts (the crosstab of the records in the region's gemeenten
    # and these years), counted with codes instead of pd.crosstab: same table, a tenth of the time
    g = pd.Categorical(records.gemeente, categories=codes.GEMEENTEN).codes.astype(np.int64)
    y = pd.Categorical(records.schooljaar.where(records.schooljaar.isin(years)), categories=years).codes.astype(np.int64)
    keep = (g >= 0) & (y >= 0)
    table = np.bincount(g[keep] * len(years) + y[keep], minlength=len(codes.GEMEENTEN) * len(years)).reshape(len(codes.GEMEENTEN), len(years))
    return model_van(table)


_table_cache: dict[tuple, tuple[object, dict]] = {}


def spreiding_tabel(build: Callable, reg, *, schooljaar: str) -> dict:
    """The variance model per row of a per-schooljaar table (Grafiek 2–5, Tabel 2): the table
    built for each gemeente, for this schooljaar and three years earlier (so that the earlier
    schooljaren of the delivery count too), gives that row's gemeente × schooljaar counts;
    the schooljaar under test is left out."""
    from lerenwerkt import codes
    from lerenwerkt import schooljaar as sj

    key = (getattr(build, "__name__", str(build)), schooljaar)
    hit = _table_cache.get(key)
    if hit is not None and hit[0] is reg:
        return hit[1]

    def is_year(c) -> bool:
        return isinstance(c, str) and len(c) == 9 and c[4] == "-"

    frames = {}
    for g in codes.GEMEENTEN:
        now = build(reg, schooljaar=schooljaar, gemeente=g).frame
        before = build(reg, schooljaar=sj.shift(schooljaar, -3), gemeente=g).frame
        extra = [c for c in before.columns if is_year(c) and c not in now.columns]
        frames[g] = pd.concat([before[extra], now[[c for c in now.columns if is_year(c)]]], axis=1)
    years = sorted({c for f in frames.values() for c in f.columns if c != schooljaar})
    out = {}
    for row in next(iter(frames.values())).index:
        table = np.array([[float(frames[g].at[row, y]) if row in frames[g].index and y in frames[g].columns else 0.0 for y in years] for g in codes.GEMEENTEN])
        table = np.nan_to_num(table)
        table = table[:, table.sum(axis=0) > 0]  # a year the table does not count
        out[row] = model_van(table)
    if len(_table_cache) > 32:
        _table_cache.clear()
    _table_cache[key] = (reg, out)
    return out


def aandeel_p(records: pd.DataFrame, *, kolom: str, jaren: tuple[str, str], cluster: str = "jongere_id") -> float:
    """The p-value of a change in the share of ``records`` with ``kolom`` true between the
    schooljaren ``jaren`` (old, new), clustered by ``cluster`` (a child's meldingen are not
    independent): :func:`lerenwerkt.stats.share_change_p_clustered`."""

    def per_cluster(year: str):
        y = records[records.schooljaar == year]
        g = y[kolom].fillna(False).astype(bool).groupby(y[cluster]).agg(["sum", "size"])
        return g["sum"].to_numpy(), g["size"].to_numpy()

    (k0, n0), (k1, n1) = per_cluster(jaren[0]), per_cluster(jaren[1])
    return stats.share_change_p_clustered(k0, n0, k1, n1)


def leerplichtigen(reg, *, schooljaar: str, gemeente: str | None) -> tuple[float, float]:
    """Leerplichtigen in the scope in the previous and this schooljaar: the exposures of a
    change test for counts that scale with the number of children (a shrinking population
    makes an unchanged count a rising rate)."""
    from lerenwerkt import schooljaar as sj
    from lerenwerkt.indicators.bevolking import leerplichtigen as lp

    bev = reg["bevolking"]
    fp = bev.attrs.get("lerenwerkt_sha256")  # the delivery's hash (pipeline.prepare); None: not cached
    key = (fp, schooljaar, gemeente)
    if fp is not None and key in _exposure_cache:
        return _exposure_cache[key]
    out = float(lp(bev, schooljaar=sj.shift(schooljaar, -1), gemeente=gemeente)), float(lp(bev, schooljaar=schooljaar, gemeente=gemeente))
    if fp is not None:
        if len(_exposure_cache) > 256:
            _exposure_cache.clear()
        _exposure_cache[key] = out
    return out


_exposure_cache: dict[tuple, tuple[float, float]] = {}


def change_p(old: int, new: int, *, spreiding: Spreiding | None = None, exposure_old: float = 1.0, exposure_new: float = 1.0) -> float:
    """The p-value of a change between two counts under the indicator's variance model."""
    s = spreiding or POISSON
    args = (old, new, exposure_old, exposure_new)
    if all(np.ndim(a) == 0 for a in args):
        return _change_p(float(old), float(new), float(s.phi), s.df or None, float(exposure_old), float(exposure_new), float(s.kappa), float(s.cap))
    return float(stats.change_p(old, new, phi=s.phi, df=s.df or None, exposure_old=exposure_old, exposure_new=exposure_new, kappa=s.kappa, cap=s.cap))


@functools.lru_cache(maxsize=4096)
def _change_p(old: float, new: float, phi: float, df: int | None, exposure_old: float, exposure_new: float, kappa: float, cap: float) -> float:
    """A pure function of numbers: a draft's collect pass and its render pass ask the same."""
    return float(stats.change_p(old, new, phi=phi, df=df, exposure_old=exposure_old, exposure_new=exposure_new, kappa=kappa, cap=cap))
