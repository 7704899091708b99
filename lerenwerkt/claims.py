"""Claims a draft makes about change, and the one rule that keeps them honest.

A draft (one chapter for one scope) says "steeg" / "daalde" in its text and puts ``*`` in its
*Verschil* columns. Each of those is a test; a raadsmededeling makes a dozen or more. Two
rules keep the false-positive rate where it is promised:

1. **Clustered counts.** Meldingen cluster by child, school and registration effort, so counts
   vary more than Poisson. Each count's test (:func:`lerenwerkt.stats.change_p`) is
   quasi-Poisson with the dispersion φ of that indicator estimated across the nine gemeenten
   and three schooljaren (Pearson χ²/df of gemeente + schooljaar), and never more eager than
   the exact conditional Poisson test.
2. **Multiple testing.** All tests of one draft form one family; a change is called real
   only when its p-value is below α = 5% *and* Benjamini–Hochberg at :data:`Q` = 10% over the
   family rejects it. The first part keeps each single test at 5%; the second bounds the
   chance that a draft with no real change claims *any* change by 10% (under the global null
   the false discovery rate equals the family-wise error rate).

How a draft collects its family: chapter sections that make claims are decorated with
:func:`draft`. On the first such call for a scope, every decorated section of the chapter is
run once in *collect* mode (p-values recorded); the Benjamini–Hochberg cut-off of the
family is computed and then applies to every direction word of the draft. A section whose
collect-pass output the cut-off leaves unchanged (every change it called real is real under
the family's rule, and it did not read the family) is not run a second time: the draft shows
that output (most sections of most drafts; the method note always runs again).
The method note (:func:`methode_noot`) states the rule and the number of comparisons.
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

#: False discovery rate of a draft's family of change tests (Benjamini–Hochberg); a change
#: must also have p < :data:`lerenwerkt.stats.ALPHA` on its own.
Q = 0.10
#: Schooljaren over which the dispersion φ of an indicator is estimated.
JAREN_SPREIDING = 3


@dataclass(frozen=True)
class Spreiding:
    """Dispersion φ of an indicator's counts and its degrees of freedom (φ = 1: Poisson)."""

    phi: float = 1.0
    df: int = 0


POISSON = Spreiding()


@dataclass
class Family:
    """The change tests of one draft and the Benjamini–Hochberg cut-off over them."""

    pvalues: dict[tuple, float] = field(default_factory=dict)
    cutoff: float = -1.0
    #: Outputs of the collect pass that the draft's rule leaves unchanged, per call (used once).
    outputs: dict[tuple, object] = field(default_factory=dict, repr=False)

    @property
    def m(self) -> int:
        return len(self.pvalues)

    @property
    def reported(self) -> int:
        return sum(p <= self.cutoff and stats.significant(p) for p in self.pvalues.values())

    def close(self) -> Family:
        if self.pvalues:
            from statsmodels.stats.multitest import multipletests

            p = np.array(list(self.pvalues.values()))
            reject = multipletests(p, alpha=Q, method="fdr_bh")[0]
            self.cutoff = float(p[reject].max()) if reject.any() else -1.0
        return self


_collecting: Family | None = None
_active: Family | None = None
_cache: dict[tuple, tuple[object, Family]] = {}


def significant(p: float, *, key: tuple = ()) -> bool:
    """Is a change with two-sided p-value ``p`` called real? Inside a draft: when
    Benjamini–Hochberg over the draft's family rejects it; outside a draft (a single test):
    ``p < α``. ``key`` identifies the comparison so that a test shown twice (text and table)
    counts once."""
    if _collecting is not None:
        _collecting.pvalues.setdefault((*key, round(float(p), 12)), float(p))
        called = stats.significant(p)
        if called and _section is not None:
            _section.called.append(float(p))
        return called
    if _active is not None:
        return bool(p <= _active.cutoff and stats.significant(p))
    return stats.significant(p)


def decide(pvalues) -> np.ndarray:
    """A draft's rule over the last axis (vectorised over runs): True where a change is
    called real — p < α and rejected by Benjamini–Hochberg at :data:`Q`."""
    p = np.asarray(pvalues, dtype=float)
    return bh_significant(p) & (p < stats.ALPHA)


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
    # A section's collect-pass output is its final output when every change it called real
    # (p < α) is also real under the family's rule, and it did not ask for the family: then
    # the render pass returns that output instead of running the section a second time.
    for run in runs:
        if run.key is not None and run.reusable and all(p <= family.cutoff for p in run.called):
            family.outputs[run.key] = run.output
    if len(_cache) > 16:
        _cache.clear()
    _cache[key] = (reg, family)
    return family


_MISSING = object()


@dataclass
class _SectionRun:
    """One section's call in the collect pass: the p-values it called real, and whether it
    read the family (the method note does: it must be rendered again)."""

    key: tuple | None
    called: list[float] = field(default_factory=list)
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
    """The draft's method note in Dutch: what 'steeg' means and how many comparisons."""
    fam = active()
    if fam is None:
        return ""
    if fam.m == 0:
        return "Dit concept vergelijkt geen aantallen tussen schooljaren."
    wel = {0: "geen daarvan geldt", 1: "één daarvan geldt"}.get(fam.reported, f"{fam.reported} daarvan gelden")
    return (
        "Over ‘steeg’ en ‘daalde’. Een verschil tussen twee schooljaren heet alleen gestegen of gedaald (en krijgt een * in de kolom "
        "Verschil) als het groter is dan toeval kan verklaren. Aantallen meldingen schommelen meer dan bij puur toeval, omdat meldingen "
        "samenhangen (hetzelfde kind, dezelfde school, de aandacht voor registratie); de toets rekent daarom met de spreiding die over de "
        "negen gemeenten en drie schooljaren werkelijk optreedt (quasi-Poisson) en is nooit soepeler dan de exacte toets voor twee tellingen. "
        "Bij verzuimmeldingen en vrijstellingen vergelijkt de toets het aantal per leerplichtige, want dat aantal verandert ook. "
        + (
            f"Dit concept maakt {fam.m} zulke vergelijkingen. Zodat er bij zoveel vergelijkingen niet toevallig een ‘steeg’ tussen zit, "
            f"geldt één regel voor alle {fam.m} samen: een verschil telt als de toets het met minder dan 5% kans aan toeval toeschrijft "
            f"én de Benjamini–Hochberg-regel over alle {fam.m} vergelijkingen (10%) het aanwijst; {wel} als een echte verandering. "
            if fam.m > 1
            else "Dit concept maakt één zo’n vergelijking: een verschil telt als de toets het met minder dan 5% kans aan toeval toeschrijft; "
            f"{wel} als een echte verandering. "
        )
        + "Zonder echte veranderingen noemt één toets zo in hooguit 5% van de jaren iets ten onrechte gestegen of gedaald, "
        "en een heel concept in hooguit 10%."
    )


# --- Dispersion of an indicator ---------------------------------------------------------


def _years(schooljaar: str) -> list[str]:
    from lerenwerkt import schooljaar as sj

    return [sj.shift(schooljaar, -i) for i in range(JAREN_SPREIDING - 1, -1, -1)]


def spreiding_records(records: pd.DataFrame, *, schooljaar: str) -> Spreiding:
    """φ of the counts of these records (one indicator, all gemeenten) per gemeente and
    schooljaar, over the last :data:`JAREN_SPREIDING` schooljaren (:func:`stats.dispersion`)."""
    from lerenwerkt import codes

    years = _years(schooljaar)
    # gemeente × schooljaar counts (the crosstab of the records in the region's gemeenten
    # and these years), counted with codes instead of pd.crosstab: same table, a tenth of the time
    g = pd.Categorical(records.gemeente, categories=codes.GEMEENTEN).codes.astype(np.int64)
    y = pd.Categorical(records.schooljaar, categories=years).codes.astype(np.int64)
    keep = (g >= 0) & (y >= 0)
    table = np.bincount(g[keep] * len(years) + y[keep], minlength=len(codes.GEMEENTEN) * len(years)).reshape(len(codes.GEMEENTEN), len(years))
    phi, df = stats.dispersion(table)
    return Spreiding(float(phi), int(df))


_table_cache: dict[tuple, tuple[object, dict]] = {}


def spreiding_tabel(build: Callable, reg, *, schooljaar: str) -> dict:
    """φ per row of a per-schooljaar table (Grafiek 2–5, Tabel 2): the table built for each
    gemeente gives that row's gemeente × schooljaar counts."""
    from lerenwerkt import codes

    key = (getattr(build, "__name__", str(build)), schooljaar)
    hit = _table_cache.get(key)
    if hit is not None and hit[0] is reg:
        return hit[1]
    frames = {g: build(reg, schooljaar=schooljaar, gemeente=g).frame for g in codes.GEMEENTEN}
    years = [c for c in next(iter(frames.values())).columns if isinstance(c, str) and len(c) == 9 and c[4] == "-"]
    out = {}
    for row in next(iter(frames.values())).index:
        table = np.array([[float(frames[g].at[row, y]) if row in frames[g].index else 0.0 for y in years] for g in codes.GEMEENTEN])
        table = np.nan_to_num(table)
        phi, df = stats.dispersion(table)
        out[row] = Spreiding(float(phi), int(df))
    if len(_table_cache) > 32:
        _table_cache.clear()
    _table_cache[key] = (reg, out)
    return out


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
    """The p-value of a change between two counts under the indicator's dispersion."""
    s = spreiding or POISSON
    args = (old, new, s.phi, s.df or None, exposure_old, exposure_new)
    if all(np.ndim(a) == 0 for a in args):
        return _change_p(float(old), float(new), float(s.phi), s.df or None, float(exposure_old), float(exposure_new))
    return float(stats.change_p(old, new, phi=s.phi, df=s.df or None, exposure_old=exposure_old, exposure_new=exposure_new))


@functools.lru_cache(maxsize=4096)
def _change_p(old: float, new: float, phi: float, df: int | None, exposure_old: float, exposure_new: float) -> float:
    """A pure function of numbers: a draft's collect pass and its render pass ask the same."""
    return float(stats.change_p(old, new, phi=phi, df=df, exposure_old=exposure_old, exposure_new=exposure_new))
