"""Absoluut verzuim: who, where, how long until re-enrolment, and how it ends.

Absoluut verzuim = a child of leerplichtige age not enrolled at any school (Leerplichtwet).
The trainee's questions: how many meldingen and children, per gemeente (rates per 1.000
leerplichtigen with exact intervals), onderwijssoort, age and nieuwkomer status; how long it
takes to be enrolled again (Kaplan–Meier, meldingen still open on 31 July censored); how the
year ends for them; and the 'geen onderwijs' group waiting for an ISK place.
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


def duur(vm: pd.DataFrame, *, schooljaar: str, gemeente: str | None = None) -> pd.DataFrame:
    """Time from melding to re-enrolment, one row per absoluut-verzuimmelding.

    Event: enrolled again (naar school, dagbesteding met schoolinschrijving, time-out) on
    ``datum_afgerond``. Censored: still open on 31 July (at 31 July), or ended otherwise —
    verhuisd, overdracht DSP, vrijstelling, ... (at ``datum_afgerond``: after that the child
    is no longer at risk of re-enrolment here).
    """
    df = absoluut(vm, schooljaren=[schooljaar], gemeente=gemeente)
    end = sj.end(schooljaar)
    event = df.resultaat_eind.isin(HERINGESCHREVEN)
    stop = df.datum_afgerond.where(~df.open_eind.fillna(False).astype(bool), end).fillna(end)
    days = (stop - df.datum_melding).dt.days.clip(lower=0) + 0.5  # same-day = half a day
    return pd.DataFrame(
        {
            "dagen": days.to_numpy(dtype=float),
            "heringeschreven": event.to_numpy(dtype=bool),
            "nieuwkomer": df.nieuwkomer.to_numpy(),
            "onderwijssoort": df.onderwijssoort.map(codes.ONDERWIJSSOORT).to_numpy(),
            "gemeente": df.gemeente.to_numpy(),
        }
    )


def _censored(d: pd.DataFrame) -> st.CensoredData:
    return st.CensoredData(uncensored=d.dagen[d.heringeschreven].to_numpy(), right=d.dagen[~d.heringeschreven].to_numpy())


def kaplan_meier(d: pd.DataFrame, *, by: str | None = None, level: float = 0.95) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Kaplan–Meier estimate of the share still not re-enrolled after t days
    (``scipy.stats.ecdf`` on right-censored data), per group of ``by``.

    Returns the step curves (groep, dagen, nog_niet_ingeschreven, ci_laag, ci_hoog) and per
    group n, events and the median duration with its interval (where the pointwise log-log
    confidence band crosses 50%; NaN if the curve does not get there).
    """
    groups = [("alle", d)] if by is None else [(str(k), g) for k, g in d.groupby(by, sort=True)]
    curves, medians = [], []
    for name, g in groups:
        if g.heringeschreven.sum() == 0:
            medians.append({"groep": name, "n": len(g), "heringeschreven": 0, "mediaan": np.nan, "ci_laag": np.nan, "ci_hoog": np.nan})
            continue
        res = st.ecdf(_censored(g))
        sf = res.sf
        with warnings.catch_warnings():  # the log-log band is undefined where S(t) is 0 or 1
            warnings.simplefilter("ignore", RuntimeWarning)
            ci = sf.confidence_interval(confidence_level=level, method="log-log")
        t = sf.quantiles
        curves.append(
            pd.DataFrame(
                {"groep": name, "dagen": t, "nog_niet_ingeschreven": sf.probabilities, "ci_laag": ci.low.probabilities, "ci_hoog": ci.high.probabilities}
            )
        )
        medians.append(
            {
                "groep": name,
                "n": len(g),
                "heringeschreven": int(g.heringeschreven.sum()),
                "mediaan": _first_below(t, sf.probabilities),
                # the lower band reaches 50% first: it gives the lower limit of the median
                "ci_laag": _first_below(t, ci.low.probabilities),
                "ci_hoog": _first_below(t, ci.high.probabilities),
            }
        )
    return (pd.concat(curves, ignore_index=True) if curves else pd.DataFrame()), pd.DataFrame(medians)


def _first_below(t: np.ndarray, p: np.ndarray, level: float = 0.5) -> float:
    hit = np.flatnonzero(np.asarray(p) <= level)
    return float(t[hit[0]]) if hit.size else float("nan")


def vergelijk(d: pd.DataFrame, *, by: str, a: str, b: str) -> dict:
    """Log-rank test (``scipy.stats.logrank``) of the time to re-enrolment, group a vs b."""
    x, y = d[d[by] == a], d[d[by] == b]
    if len(x) == 0 or len(y) == 0 or (x.heringeschreven.sum() + y.heringeschreven.sum()) == 0:
        return {"statistiek": float("nan"), "p": float("nan"), "n_a": len(x), "n_b": len(y)}
    r = st.logrank(_censored(x), _censored(y))
    return {"statistiek": float(r.statistic), "p": float(r.pvalue), "n_a": len(x), "n_b": len(y)}


def geen_onderwijs(vm: pd.DataFrame, *, schooljaar: str, gemeente: str | None = None) -> pd.DataFrame:
    """The 'geen onderwijs' group (never at school in the Netherlands, mostly waiting for an
    ISK place): meldingen per gemeente and the median wait until enrolment (Kaplan–Meier)."""
    d = duur(vm, schooljaar=schooljaar, gemeente=gemeente)
    d = d[d.onderwijssoort == codes.ONDERWIJSSOORT["geen"]]
    _, med = kaplan_meier(d, by="gemeente")
    counts = d.groupby("gemeente").agg(meldingen=("dagen", "size"), nog_wachtend_31_juli=("heringeschreven", lambda s: int((~s).sum())))
    return counts.join(med.set_index("groep")[["mediaan", "ci_laag", "ci_hoog"]]).reset_index()
