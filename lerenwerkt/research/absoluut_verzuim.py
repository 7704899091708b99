"""Absoluut verzuim: who, where, how long until re-enrolment, and how it ends.

Absoluut verzuim = a child of leerplichtige age not enrolled at any school (Leerplichtwet).
The trainee's questions: how many meldingen and children, per gemeente (rates per 1.000
leerplichtigen with exact intervals), onderwijssoort, age and nieuwkomer status; how long it
takes to be enrolled again (competing risks: the Aalen–Johansen cumulative incidence of
re-enrolment and of each competing end; Kaplan–Meier only for the time until a melding ends,
whatever the end); how the year ends for them; and the 'geen onderwijs' group waiting for an ISK place.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as st

from lerenwerkt import codes
from lerenwerkt import schooljaar as sj
from lerenwerkt.indicators.common import in_scope
from lerenwerkt.indicators.rates import per_1000

LEEFTIJDSBANDEN = {"5-11": (5, 11), "12-15": (12, 15), "16-17": (16, 17)}
HERINGESCHREVEN = codes.UITSTROOM_ABSOLUUT["ingeschreven"][1]


def absoluut(vm: pd.DataFrame, *, schooljaren: Sequence[str], gemeente: str | None = None) -> pd.DataFrame:
    """The absoluut-verzuimmeldingen of the schooljaren, with an age band."""
    df = in_scope(vm[(vm.verzuimsoort == "absoluut") & vm.schooljaar.isin(list(schooljaren))], gemeente)
    band = pd.Series(pd.NA, index=df.index, dtype="string")
    for label, (lo, hi) in LEEFTIJDSBANDEN.items():
        band = band.mask(df.leeftijd.between(lo, hi), label)
    return df.assign(leeftijdsband=band.fillna("overig"), nieuwkomer=df.nieuwkomer.fillna(False).map({True: "nieuwkomer", False: "geen nieuwkomer"}))


def overzicht(vm: pd.DataFrame, *, schooljaren: Sequence[str], by: str, gemeente: str | None = None) -> pd.DataFrame:
    """Meldingen and unique children per category of ``by`` (gemeente, onderwijssoort,
    leeftijdsband or nieuwkomer) and schooljaar."""
    df = absoluut(vm, schooljaren=schooljaren, gemeente=gemeente)
    g = df.groupby([by, "schooljaar"], observed=True).agg(meldingen=("melding_id", "size"), kinderen=("jongere_id", "nunique"))
    full = pd.MultiIndex.from_product([sorted(df[by].dropna().unique(), key=str), list(schooljaren)], names=[by, "schooljaar"])
    return g.reindex(full, fill_value=0).reset_index()


def rates(vm: pd.DataFrame, bev: pd.DataFrame, *, schooljaar: str, level: float = 0.95) -> pd.DataFrame:
    """Meldingen absoluut verzuim per 1.000 leerplichtigen per gemeente and for the region,
    with exact Poisson confidence intervals."""
    r = per_1000(absoluut(vm, schooljaren=[schooljaar]), bev, schooljaar=schooljaar, level=level)
    return r.rename(columns={"aantal": "meldingen"})


#: The ends of an absoluut-verzuimmelding: re-enrolment and the competing ends
#: (:data:`lerenwerkt.codes.UITSTROOM_ABSOLUUT`), each with its Dutch label.
GEBEURTENISSEN = {
    "heringeschreven": ("weer ingeschreven", HERINGESCHREVEN),
    "verhuisd": ("verhuisd", codes.UITSTROOM_ABSOLUUT["verhuisd"][1]),
    "overdracht_18": ("18 jaar, overgedragen aan het Doorstroompunt", codes.UITSTROOM_ABSOLUUT["overdracht_dsp"][1]),
    "overig": ("vrijstelling, hulpverlening, werk of anders", codes.UITSTROOM_ABSOLUUT["overig"][1]),
}
#: Smallest group for which a cumulative incidence or a share is shown.
MIN_GROEP = 20


def duur(vm: pd.DataFrame, *, schooljaar: str, gemeente: str | None = None) -> pd.DataFrame:
    """Time to the end of each absoluut-verzuimmelding, one row per melding.

    Definitions (issue 12, so that others can check the numbers):

    - unit: one absoluut-verzuimmelding with ``datum_melding`` in the schooljaar;
    - time (``dagen``): days from ``datum_melding`` to ``datum_afgerond``;
    - re-enrolled: ``resultaat`` naar_school, dagbesteding or time_out;
    - competing: any other ``resultaat`` (verhuisd; overdracht DSP at 18; other ends);
    - censored: still open on 31 July, at 31 July.

    ``oorzaak`` codes the end (0 open, 1 heringeschreven, 2 verhuisd, 3 overdracht_18,
    4 overig); ``tot_31_juli`` is each melding's potential follow-up (days until 31 July: the
    censoring is administrative, so it is known for every melding).

    Meldingen of the same child are not independent. A child has at most one
    absoluut-verzuimmelding with a start in a schooljaar in the shipped register; should a
    delivery hold more, only the child's first melding of the year is kept
    (``attrs['weggelaten']`` counts the others), so every row is a different child.
    """
    df = absoluut(vm, schooljaren=[schooljaar], gemeente=gemeente)
    first = df.sort_values(["datum_melding", "melding_id"]).drop_duplicates("jongere_id")
    dropped = len(df) - len(first)
    df = first.sort_index()
    end = sj.end(schooljaar)
    open_ = df.open_eind.fillna(False).astype(bool) | df.datum_afgerond.isna() | (df.datum_afgerond > end)
    stop = df.datum_afgerond.where(~open_, end)
    days = (stop - df.datum_melding).dt.days.clip(lower=0)
    cause = pd.Series(0, index=df.index)
    for i, (_, members) in enumerate(GEBEURTENISSEN.values(), start=1):
        cause = cause.mask(~open_ & df.resultaat_eind.isin(members), i)
    out = pd.DataFrame(
        {
            "dagen": days.to_numpy(dtype=float),
            "oorzaak": cause.to_numpy(dtype=int),
            "heringeschreven": (cause == 1).to_numpy(dtype=bool),
            "afgerond": (cause > 0).to_numpy(dtype=bool),
            "tot_31_juli": (end - df.datum_melding).dt.days.to_numpy(dtype=float),
            "nieuwkomer": df.nieuwkomer.to_numpy(),
            "onderwijssoort": df.onderwijssoort.map(codes.ONDERWIJSSOORT).to_numpy(),
            "gemeente": df.gemeente.to_numpy(),
        }
    )
    out.attrs["weggelaten"] = dropped
    return out


def _groups(d: pd.DataFrame, by: str | None, *, minimum: int = 0) -> list[tuple[str, pd.DataFrame]]:
    if by is None:
        return [("alle", d)]
    return [(str(k), g) for k, g in d.groupby(by, sort=True) if len(g) >= minimum]


def cif(d: pd.DataFrame, *, by: str | None = None, level: float = 0.95, minimum: int = MIN_GROEP) -> pd.DataFrame:
    """Aalen–Johansen cumulative incidence of re-enrolment and of each competing end, per
    group of ``by`` (groups of at least ``minimum`` meldingen), with pointwise intervals.

    Columns ``groep, gebeurtenis, dag, cif, laag, hoog``: one row per day at which the
    estimate changes — a step function of ``dag``. Deterministic (no jitter of ties)."""
    from lerenwerkt.stats import cumulative_incidence

    names = list(GEBEURTENISSEN)
    parts = []
    for name, g in _groups(d, by, minimum=minimum if by else 0):
        c = cumulative_incidence(g.dagen, g.oorzaak, level=level)
        parts.append(
            pd.DataFrame(
                {"groep": name, "gebeurtenis": [names[i - 1] for i in c.oorzaak], "dag": c.tijd.astype(int), "cif": c.cif, "laag": c.laag, "hoog": c.hoog}
            )
        )
    cols = ["groep", "gebeurtenis", "dag", "cif", "laag", "hoog"]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)


def aandeel_heringeschreven(d: pd.DataFrame, *, by: str | None = None, dagen=(30, 90, 180), minimum: int = MIN_GROEP) -> pd.DataFrame:
    """Share re-enrolled after 30, 90 and 180 days (cumulative incidence, competing ends
    accounted for) per group, with 95% intervals; groups under ``minimum`` meldingen left out."""
    c = cif(d, by=by, minimum=minimum)
    rows = []
    for name, g in _groups(d, by, minimum=minimum if by else 0):
        h = c[(c.groep == name) & (c.gebeurtenis == "heringeschreven")].rename(columns={"dag": "tijd"})
        row = {"groep": name, "meldingen": len(g)}
        for t in dagen:
            row[f"na_{t}"] = 100 * _step(h, t, "cif")
            row[f"na_{t}_laag"] = 100 * _step(h, t, "laag")
            row[f"na_{t}_hoog"] = 100 * _step(h, t, "hoog")
        rows.append(row)
    return pd.DataFrame(rows)


def _step(curve: pd.DataFrame, t: float, column: str) -> float:
    from lerenwerkt.stats import cif_at

    return cif_at(curve, t, column)


def gray(d: pd.DataFrame, *, by: str, minimum: int = MIN_GROEP) -> dict:
    """Do groups differ in the share re-enrolled over time? Gray-type test of equal
    cumulative incidence of re-enrolment (:func:`lerenwerkt.stats.gray_test`), over the
    groups of ``by`` with at least ``minimum`` meldingen."""
    from lerenwerkt.stats import gray_test

    keep = d.groupby(by)[by].transform("size") >= minimum
    g = d[keep]
    r = gray_test(g.dagen, g.oorzaak, g[by].astype(str), censor_time=g.tot_31_juli)
    return {**r, "groepen": int(g[by].nunique()), "meldingen": len(g)}


def _censored(d: pd.DataFrame, event: str = "heringeschreven") -> st.CensoredData:
    return st.CensoredData(uncensored=d.dagen[d[event]].to_numpy(), right=d.dagen[~d[event]].to_numpy())


def kaplan_meier(d: pd.DataFrame, *, by: str | None = None, level: float = 0.95, event: str = "afgerond") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Kaplan–Meier estimate of the share of meldingen still open after t days — the time
    until the melding ends, *whatever the end* (``scipy.stats.ecdf`` on right-censored data;
    censored: open on 31 July). Not for the share re-enrolled: with competing ends that is
    :func:`cif`.

    Returns the step curves (groep, dagen, nog_open, ci_laag, ci_hoog) and per group n, ends
    and the median duration with its interval (where the pointwise log-log band crosses 50%;
    R's rule: where the curve is exactly 50% on an interval, the midpoint; NaN if the curve
    does not get there).
    """
    curves, medians = [], []
    for name, g in _groups(d, by):
        n_event = int(g[event].sum())
        if n_event == 0:
            medians.append({"groep": name, "n": len(g), "gebeurtenissen": 0, "mediaan": np.nan, "ci_laag": np.nan, "ci_hoog": np.nan})
            continue
        res = st.ecdf(_censored(g, event))
        sf = res.sf
        with warnings.catch_warnings():  # the log-log band is undefined where S(t) is 0 or 1
            warnings.simplefilter("ignore", RuntimeWarning)
            ci = sf.confidence_interval(confidence_level=level, method="log-log")
        t = sf.quantiles
        curves.append(
            pd.DataFrame({"groep": name, "dagen": t, "nog_open": sf.probabilities, "ci_laag": ci.low.probabilities, "ci_hoog": ci.high.probabilities})
        )
        medians.append(
            {
                "groep": name,
                "n": len(g),
                "gebeurtenissen": n_event,
                "mediaan": median_time(t, sf.probabilities),
                # the lower band reaches 50% first: it gives the lower limit of the median
                "ci_laag": median_time(t, ci.low.probabilities),
                "ci_hoog": median_time(t, ci.high.probabilities),
            }
        )
    return (pd.concat(curves, ignore_index=True) if curves else pd.DataFrame()), pd.DataFrame(medians)


def median_time(t: np.ndarray, p: np.ndarray, level: float = 0.5) -> float:
    """First time a decreasing step curve ``p`` (values after each time ``t``) is at or
    below ``level``; where it equals ``level`` exactly up to the next step, the midpoint of
    the two times (R's ``survfit`` median).

    >>> median_time(np.array([1.0, 2, 3, 5]), np.array([0.8, 0.6, 0.5, 0.25]))
    4.0
    >>> median_time(np.array([1.0, 2]), np.array([0.8, 0.6]))
    nan
    """
    p = np.asarray(p, dtype=float)
    hit = np.flatnonzero(p <= level + 1e-12)
    if not hit.size:
        return float("nan")
    i = hit[0]
    below = np.flatnonzero(p < level - 1e-12)
    if abs(p[i] - level) <= 1e-12 and below.size:  # flat at exactly 50% until the next drop
        return float((t[i] + t[below[0]]) / 2)
    return float(t[i])


def cif_mediaan(d: pd.DataFrame, *, by: str | None = None, minimum: int = 0) -> pd.DataFrame:
    """Day on which the cumulative incidence of re-enrolment reaches 50% (with where its
    95% band does), per group: the median time to re-enrolment with competing ends."""
    c = cif(d, by=by, minimum=minimum)
    rows = []
    for name, g in _groups(d, by, minimum=minimum):
        h = c[(c.groep == name) & (c.gebeurtenis == "heringeschreven")]
        row = {"groep": name, "n": len(g), "heringeschreven": int(g.heringeschreven.sum())}
        for col, key in (("cif", "mediaan"), ("hoog", "ci_laag"), ("laag", "ci_hoog")):
            row[key] = median_time(h.dag.to_numpy(dtype=float), 1 - h[col].to_numpy())
        rows.append(row)
    return pd.DataFrame(rows, columns=["groep", "n", "heringeschreven", "mediaan", "ci_laag", "ci_hoog"])


def geen_onderwijs(vm: pd.DataFrame, *, schooljaar: str, gemeente: str | None = None) -> pd.DataFrame:
    """The 'geen onderwijs' group (never at school in the Netherlands, mostly waiting for an
    ISK place): meldingen per gemeente and the median wait until enrolment (the day the
    cumulative incidence of re-enrolment reaches 50%, competing ends accounted for)."""
    d = duur(vm, schooljaar=schooljaar, gemeente=gemeente)
    d = d[d.onderwijssoort == codes.ONDERWIJSSOORT["geen"]]
    med = cif_mediaan(d, by="gemeente")
    counts = d.groupby("gemeente").agg(meldingen=("dagen", "size"), nog_wachtend_31_juli=("oorzaak", lambda s: int((s == 0).sum())))
    return counts.join(med.set_index("groep")[["mediaan", "ci_laag", "ci_hoog"]]).reset_index()


def write_results(reg, *, schooljaar: str, out) -> list:
    """The research results as tidy CSV files in ``out`` (``lerenwerkt research
    absoluut-verzuim``): ``cif.csv`` (region ``alle`` and the groups by nieuwkomer status,
    onderwijssoort and gemeente with at least :data:`MIN_GROEP` meldingen),
    ``aandeel_heringeschreven.csv`` (30/90/180 days), ``gray.csv`` (tests between groups),
    ``tarieven.csv`` (rates per 1.000 with exact intervals and the overdispersion φ) and
    ``uitkomsten.csv`` (how the year ends). Written atomically."""
    from pathlib import Path

    from lerenwerkt.indicators.verzuim import uitstroom_absoluut
    from lerenwerkt.io import atomic_write_text

    vm = reg["verzuimmeldingen"]
    d = duur(vm, schooljaar=schooljaar)
    dims = ("nieuwkomer", "onderwijssoort", "gemeente")
    c = pd.concat([cif(d), *(cif(d, by=b) for b in dims)], ignore_index=True)
    a = pd.concat([aandeel_heringeschreven(d).assign(indeling="alle"), *(aandeel_heringeschreven(d, by=b).assign(indeling=b) for b in dims)])
    g = pd.DataFrame([{"indeling": b, **gray(d, by=b)} for b in dims])
    r = rates(vm, reg["bevolking"], schooljaar=schooljaar)
    from lerenwerkt.stats import funnel_dispersion

    gem = r[r.gemeente != codes.REGIO]
    r = r.assign(phi=funnel_dispersion(gem.meldingen, gem.leerplichtigen))
    u = uitstroom_absoluut(vm, schooljaar=schooljaar)
    files = {
        "cif.csv": c,
        "aandeel_heringeschreven.csv": a[["indeling", *[k for k in a.columns if k != "indeling"]]],
        "gray.csv": g,
        "tarieven.csv": r,
        "uitkomsten.csv": u,
    }
    out = Path(out)
    paths = []
    for name, frame in files.items():
        path = out / name
        atomic_write_text(path, frame.to_csv(index=False, float_format="%.6g", lineterminator="\n"))
        paths.append(path)
    return paths
