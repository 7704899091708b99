"""Calibration and power of the change claims, by simulation (tests/test_calibration.py and
``python -m lerenwerkt.research.kalibratie``, which prints the README's tables).

A simulated register has the clustering of the real one: children arrive at schools, each
child brings m meldingen with the register's distribution per indicator (child clustering);
every school-year and every gemeente-year has its own registration effort, a gamma
multiplier with mean 1 (coefficient of variation ``cv_school``, ``cv_gemeente``); the region
variant adds a region-year multiplier (``cv_regio``). Five schooljaren like the delivery;
the last is tested against the one before, with the variance model estimated on the four
others (:func:`lerenwerkt.claims.model_van`), as the build does. Everything is vectorised
over runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lerenwerkt import claims, codes, stats

JAREN = 5
#: Schools per gemeente and their shares of the gemeente's children (a few large, many small).
SCHOLEN = np.array([0.35, 0.2, 0.15, 0.1, 0.08, 0.06, 0.04, 0.02])


@dataclass(frozen=True)
class Scenario:
    naam: str
    cv_school: float
    cv_gemeente: float
    cv_regio: float = 0.0


SCENARIOS = [
    Scenario("matig", 0.12, 0.05),
    Scenario("sterk", 0.5, 0.2),
    Scenario("regiojaar", 0.12, 0.05, 0.1),
]


def indicators(reg, schooljaar: str = "2024-2025") -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per indicator: the number of children per gemeente in ``schooljaar`` and the distribution
    of meldingen per child (the register's)."""
    out = {}
    vm = reg["verzuimmeldingen"]
    sources = {s: vm[vm.verzuimsoort == s] for s in ("absoluut", "wettelijk", "luxe", "overig") if (vm.verzuimsoort == s).any()}
    sources["18plus"] = reg["meldingen_18plus"]
    for name, df in sources.items():
        year = df[df.schooljaar == schooljaar]
        per_child = year.groupby("jongere_id").size()
        pm = np.bincount(per_child.to_numpy(), minlength=2)[1:] / len(per_child)
        children = year.groupby("gemeente").jongere_id.nunique().reindex(codes.GEMEENTEN, fill_value=0).to_numpy(dtype=float)
        out[name] = (np.maximum(children, 0.5), pm)
    return out


def _gamma(rng, cv: float, shape: tuple) -> np.ndarray:
    if cv <= 0:
        return np.ones(shape)
    k = 1 / cv**2
    return rng.gamma(k, 1 / k, size=shape)


def simulate(rng, children: np.ndarray, pm: np.ndarray, sc: Scenario, runs: int, *, effect: np.ndarray | None = None) -> np.ndarray:
    """Counts of meldingen, shape (runs, gemeenten, years). ``effect``: a real change, the
    multiplier of each gemeente's mean in the last year (default none)."""
    g, s, y = len(children), len(SCHOLEN), JAREN
    lam = children[None, :, None, None] * SCHOLEN[None, None, :, None] * np.ones((runs, g, s, y))
    lam = lam * _gamma(rng, sc.cv_school, (runs, g, s, y)) * _gamma(rng, sc.cv_gemeente, (runs, g, 1, y)) * _gamma(rng, sc.cv_regio, (runs, 1, 1, y))
    if effect is not None:
        lam[..., -1] = lam[..., -1] * np.asarray(effect, dtype=float)[None, :, None]
    kids = lam.sum(axis=2)  # children per gemeente-year (schools summed: the register does not know them)
    # children with m meldingen are Poisson(λ·pm[m]) and independent (thinning)
    n = rng.poisson(kids[..., None] * pm[None, None, None, :])
    return (n * np.arange(1, len(pm) + 1)).sum(axis=-1)


def p_nieuw(counts: np.ndarray, gemeente: int | None) -> np.ndarray:
    """The publication's test of the last year against the one before (None: the region),
    with the variance model of the four other years."""
    m = stats.variance_model(counts[:, :, :-1])
    old = counts[:, :, -2].sum(axis=1) if gemeente is None else counts[:, gemeente, -2]
    new = counts[:, :, -1].sum(axis=1) if gemeente is None else counts[:, gemeente, -1]
    return stats.change_p(old, new, phi=m["c"], kappa=m["kappa"], cap=m["cap"], df=m["df"], exact_below=stats.ALPHA)


def p_oud(counts: np.ndarray, gemeente: int | None) -> np.ndarray:
    """Yesterday's test: quasi-Poisson with φ of the last three years (the tested one in it)."""
    phi, df = stats.dispersion(counts[:, :, -3:])
    old = counts[:, :, -2].sum(axis=1) if gemeente is None else counts[:, gemeente, -2]
    new = counts[:, :, -1].sum(axis=1) if gemeente is None else counts[:, gemeente, -1]
    return stats.change_p(old, new, phi=phi, df=df, exact_below=stats.ALPHA)


def foutkansen(reg, *, runs: int = 400, seed: int = 20251201, scenarios=SCENARIOS) -> pd.DataFrame:
    """Per scenario, indicator and scope (region, each gemeente): the share of runs without a
    real change where the test gives p < 5% (per test) — and per scenario the share of
    simulated memos (per indicator the region and one gemeente: 10 comparisons) where the
    publication's rule calls any change 'duidelijk' (per draft), for every gemeente."""
    rng = np.random.default_rng(seed)
    rows = []
    for sc in scenarios:
        per_draft = {g: [] for g in codes.GEMEENTEN}
        for name, (children, pm) in indicators(reg).items():
            counts = simulate(rng, children, pm, sc, runs)
            p_regio = p_nieuw(counts, None)
            rows.append({"scenario": sc.naam, "indicator": name, "scope": codes.REGIO, "per_toets": float((p_regio < stats.ALPHA).mean())})
            for i, g in enumerate(codes.GEMEENTEN):
                p = p_nieuw(counts, i)
                rows.append({"scenario": sc.naam, "indicator": name, "scope": g, "per_toets": float((p < stats.ALPHA).mean())})
                per_draft[g].append(np.stack([p_regio, p], axis=1))
        for g, parts in per_draft.items():
            p = np.concatenate(parts, axis=1)
            rows.append({"scenario": sc.naam, "indicator": "concept", "scope": g, "per_concept": float(claims.decide(p).any(axis=1).mean()), "m": p.shape[1]})
    return pd.DataFrame(rows)


#: Small, mid-size and large gemeente (by wettelijk verzuim in 2024-2025: about 35, 70 and 190 meldingen).
GROOTTES = {"klein": "Doesburg", "middel": "Montferland", "groot": "Doetinchem"}


def onderscheidend(reg, *, runs: int = 400, seed: int = 7, indicator: str = "wettelijk", effecten=(1.3, 1.5), sc: Scenario = SCENARIOS[0]) -> pd.DataFrame:
    """Power: the share of runs in which a real rise of +30% / +50% in one gemeente's
    ``indicator`` is called real, by the publication's rule (p < Q/16 with the variance model
    of the other years) and by yesterday's (quasi-Poisson φ of the last three years,
    Benjamini–Hochberg at 10% over a memo of 10 comparisons with p < 5%)."""
    rng = np.random.default_rng(seed)
    ind = indicators(reg)
    rows = []
    for grootte, gemeente in GROOTTES.items():
        i = codes.GEMEENTEN.index(gemeente)
        for effect in effecten:
            mult = np.ones(len(codes.GEMEENTEN))
            mult[i] = effect
            p_new, p_old = [], []
            for name, (children, pm) in ind.items():
                counts = simulate(rng, children, pm, sc, runs, effect=mult if name == indicator else None)
                p_new += [p_nieuw(counts, None), p_nieuw(counts, i)]
                p_old += [p_oud(counts, None), p_oud(counts, i)]
            k = list(ind).index(indicator) * 2 + 1  # the gemeente's test of the indicator
            nu = claims.decide(np.stack(p_new, axis=1))[:, k]
            old = np.stack(p_old, axis=1)
            toen = (claims.bh_significant(old) & (old < stats.ALPHA))[:, k]
            mean = float(ind[indicator][0][i] * (ind[indicator][1] * np.arange(1, len(ind[indicator][1]) + 1)).sum())
            rows.append(
                {
                    "gemeente": f"{grootte} ({gemeente}, ~{mean:.0f})",
                    "effect": f"+{round(100 * (effect - 1))}%",
                    "nu": float(nu.mean()),
                    "toen": float(toen.mean()),
                }
            )
    return pd.DataFrame(rows)


def main() -> None:  # pragma: no cover - prints the README's tables
    import tempfile
    import time

    from lerenwerkt import config
    from lerenwerkt.pipeline import prepare

    reg = prepare(config.RAW_DIR, processed_dir=tempfile.mkdtemp())
    t = time.perf_counter()
    f = foutkansen(reg, runs=1000)
    per_test = f.dropna(subset=["per_toets"]).groupby(["scenario"]).per_toets.agg(["mean", "max"])
    worst = f.dropna(subset=["per_toets"]).sort_values("per_toets").groupby("scenario").tail(1)
    draft = f.dropna(subset=["per_concept"]).groupby("scenario").per_concept.agg(["mean", "max"])
    print(
        "Per toets (p < 5%), 1.000 runs:\n",
        per_test.round(3).to_string(),
        "\nhoogste:\n",
        worst[["scenario", "indicator", "scope", "per_toets"]].to_string(index=False),
    )
    print("Per concept (regel van de publicatie):\n", draft.round(3).to_string())
    for sc in SCENARIOS[:2]:
        print(f"Onderscheidend vermogen, wettelijk verzuim, scenario {sc.naam}:")
        print(onderscheidend(reg, runs=1000, sc=sc).round(3).to_string(index=False))
    print(f"{time.perf_counter() - t:.0f} s")


if __name__ == "__main__":  # pragma: no cover
    main()
