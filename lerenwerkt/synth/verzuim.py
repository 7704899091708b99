"""Synthetic verzuimmeldingen (leerplicht), calibrated on Bijlage 1, Diagram 1, the
Grafieken 2-4, the outcome shares of absoluut verzuim and the Aalten memo."""

from __future__ import annotations

import datetime as dt

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from lerenwerkt import codes
from lerenwerkt import schooljaar as sj
from lerenwerkt.synth import common
from lerenwerkt.synth.allocate import allocate_keys, largest_remainder
from lerenwerkt.synth.targets import count, supplement_count, supplement_group, text_share

SOORTEN = tuple(codes.VERZUIMSOORT)
# The report's outcome shares of absoluut verzuim (Hoofdstuk 2): text figures N021-N025.
UITSTROOM_ABSOLUUT_TEKST = {"ingeschreven": "N021", "verhuisd": "N022", "nog_verzuimer": "N023", "overdracht_dsp": "N024", "overig": "N025"}
BASE_RESULTS = tuple(k for k in codes.RESULTAAT_KOLOM if k != "overig_totaal")  # 7 columns
DETAIL_RESULTS = BASE_RESULTS + codes.RESULTAAT_OVERIG_DELEN  # 10 outcomes of a melding
AGE_RANGE = {"sbo": (5, 12), "vso": (6, 17), "vo": (12, 17), "mbo": (16, 17), "geen": (5, 17)}
CELLS = [(os_, g) for os_ in codes.ONDERWIJSSOORT for g in codes.GEMEENTEN]


def _published_a(os_: str, g: str) -> dict[str, int]:
    t = f"bijlage1_tabel{codes.BIJLAGE1_NUMMER[os_]}a"
    return {s: count(t, g, codes.VERZUIMSOORT[s], 0) for s in SOORTEN}


def _published_b(os_: str, g: str) -> dict[str, int]:
    t = f"bijlage1_tabel{codes.BIJLAGE1_NUMMER[os_]}b"
    return {k: count(t, g, label, 0) for k, label in codes.RESULTAAT_KOLOM.items()}


def _share_bounds(total: int, pct: float) -> tuple[int, int]:
    """Whole counts whose share of ``total``, rounded to a whole percent, is ``pct``."""
    ok = [n for n in range(total + 1) if round(100 * n / total + 1e-9) == pct or int(100 * n / total + 0.5) == pct]
    return min(ok), max(ok)


def solve_results_2024(A: dict, B: dict) -> dict:
    """Split Bijlage 1 'Overig' into verhuisd / nog in behandeling / andere reden per cell,
    and decide which results belong to absoluut verzuim, as one integer program.

    Constraints: Diagram 1's split of 'Overig'; the report's outcome shares of absoluut
    verzuim (weer ingeschreven, verhuisd, nog verzuimer, DSP, overig: N021-N025).
    """
    n_cells = len(CELLS)
    nv = 3 + len(DETAIL_RESULTS)  # split (verhuisd, open, overig) + absoluut per outcome
    N = n_cells * nv
    idx = lambda i, k: i * nv + k
    rows, lo, hi = [], [], []

    def add(coefs: dict[int, float], lb: float, ub: float) -> None:
        r = np.zeros(N)
        for j, c in coefs.items():
            r[j] += c
        rows.append(r)
        lo.append(lb)
        hi.append(ub)

    ub = np.zeros(N)
    for i, cell in enumerate(CELLS):
        a, b = A[cell], B[cell]
        overig = b["overig_totaal"]
        for k in range(3):
            ub[idx(i, k)] = overig
        add({idx(i, 0): 1, idx(i, 1): 1, idx(i, 2): 1}, overig, overig)
        for k, res in enumerate(DETAIL_RESULTS):
            j = idx(i, 3 + k)
            if res in BASE_RESULTS:
                ub[j] = min(b[res], a["absoluut"])
            else:
                split = codes.RESULTAAT_OVERIG_DELEN.index(res)
                ub[j] = min(overig, a["absoluut"])
                add({j: 1, idx(i, split): -1}, -np.inf, 0)  # absoluut part <= split
        add({idx(i, 3 + k): 1 for k in range(len(DETAIL_RESULTS))}, a["absoluut"], a["absoluut"])
        # relatief meldingen (total minus absoluut) need a result each too: automatically
        # satisfied because the B row total equals the A row total.
    for split, target in zip(range(3), ("verhuisd naar een andere regio", "nog in behandeling", "andere afrondingsreden")):
        v = count("diagram1_resultaten", target, "2024-2025")
        add({idx(i, split): 1 for i in range(n_cells)}, v, v)
    total_abs = sum(A[c]["absoluut"] for c in CELLS)
    for key, nummer in UITSTROOM_ABSOLUUT_TEKST.items():
        pct = count("tekst", nummer, "2024-2025")
        members = codes.UITSTROOM_ABSOLUUT[key][1]
        lb, ubb = _share_bounds(total_abs, pct)
        add({idx(i, 3 + DETAIL_RESULTS.index(m)): 1 for i in range(n_cells) for m in members}, lb, ubb)
    c = np.zeros(N)
    for i in range(n_cells):  # prefer: open meldingen are absoluut verzuimers
        c[idx(i, 3 + DETAIL_RESULTS.index(codes.NOG_IN_BEHANDELING))] = -1
    res = milp(c, integrality=np.ones(N), bounds=Bounds(np.zeros(N), ub), constraints=LinearConstraint(np.array(rows), lo, hi))
    if not res.success:
        raise RuntimeError(f"verzuim calibration infeasible: {res.message}")
    x = np.round(res.x).astype(int)
    out = {}
    for i, cell in enumerate(CELLS):
        split = dict(zip(codes.RESULTAAT_OVERIG_DELEN, x[idx(i, 0) : idx(i, 3)]))
        absoluut = dict(zip(DETAIL_RESULTS, x[idx(i, 3) : idx(i, 3 + len(DETAIL_RESULTS))]))
        all_results = {r: B[cell][r] for r in BASE_RESULTS} | split
        relatief = {r: all_results[r] - absoluut[r] for r in DETAIL_RESULTS}
        out[cell] = (absoluut, relatief)
    return out


def _counts_for_year(rng, year: str, A24: dict) -> dict:
    """Meldingen per (onderwijssoort, gemeente, verzuimsoort) for a year before 2024-2025."""
    region = supplement_group(f"verzuim.{year}")
    fixed_aalten: dict[tuple[str, str], int] = {}
    if year == "2023-2024":
        region |= {
            "absoluut": count("grafiek2_absoluut_verzuim", "Absoluut verzuim", year),
            "wettelijk": count("grafiek3_relatief_verzuim", "Wettelijk verzuim", year),
            "luxe": count("grafiek3_relatief_verzuim", "Luxe verzuim", year),
            "overig": count("grafiek3_relatief_verzuim", "Overig verzuim", year),
        }
        memo_soort = {
            "absoluut": "Absoluut verzuim",
            "wettelijk": "Relatief (wettelijk) verzuim",
            "luxe": "Luxe verzuim",
            "overig": "Overig verzuim",
            "informatie_advies": "Informatie en advies",
        }
        for s, label in memo_soort.items():
            for niveau, nlabel in codes.ONDERWIJSNIVEAU.items():
                fixed_aalten[(s, niveau)] = count("memo_aalten_verzuim", f"{label} | {nlabel}", year)
    geen = count("tekst", "N018", year) if year == "2023-2024" else supplement_count(f"absoluut_geen_onderwijs.{year}")
    enrolled = [o for o in codes.ONDERWIJSSOORT if o != "geen"]
    out = {cell: dict.fromkeys(SOORTEN, 0) for cell in CELLS}
    for s in SOORTEN:
        weights24 = {o: sum(A24[(o, g)][s] for g in codes.GEMEENTEN) + 0.5 for o in enrolled}
        total = region[s]
        if s == "absoluut":
            per_os = {"geen": geen}
            rest = total - geen
            if year == "2023-2024":
                # "in het voortgezet onderwijs juist sprake van een daling van ..%" (N017): the
                # memo's grouping, vo + (v)so, fell by that share from 2023-2024 to 2024-2025.
                vo_group = round(sum(A24[(o, g)][s] for o in ("vso", "vo") for g in codes.GEMEENTEN) / (1 - text_share("N017")))
                per_os |= allocate_keys(vo_group, {o: weights24[o] for o in ("vso", "vo")})
                per_os |= allocate_keys(rest - vo_group, {o: weights24[o] for o in ("sbo", "mbo")})
            else:
                per_os |= allocate_keys(rest, weights24)
        else:
            per_os = allocate_keys(total, weights24) | {"geen": 0}
        for o, n_os in per_os.items():
            gem = list(codes.GEMEENTEN)
            fixed = {}
            niveau = codes.ONDERWIJSSOORT_NAAR_NIVEAU.get(o)
            if niveau and (s, niveau) in fixed_aalten:
                group = [x for x in enrolled if codes.ONDERWIJSSOORT_NAAR_NIVEAU[x] == niveau]
                split = allocate_keys(fixed_aalten[(s, niveau)], {x: per_os[x] + 0.01 for x in group})
                fixed["Aalten"] = split[o]
            w = {g: A24[(o, g)][s] + 1.0 for g in gem if g not in fixed}
            alloc = allocate_keys(n_os - sum(fixed.values()), w, rng, jitter=0.25) | fixed
            for g in gem:
                out[(o, g)][s] = alloc[g]
    return out


def _results_for_cell(rng, n: int, dist: dict[str, float]) -> list[str]:
    keys = [k for k, w in dist.items() if w > 0] or ["naar_school"]
    dist = {k: dist.get(k, 1.0) for k in keys}
    counts = largest_remainder(n, [dist[k] for k in keys], rng, jitter=0.3)
    out = [k for k, c in zip(keys, counts) for _ in range(c)]
    rng.shuffle(out)
    return out


def _age_for(rng, os_: str) -> int:
    lo, hi = AGE_RANGE[os_]
    if os_ == "vso":
        return int(rng.choice(np.arange(lo, hi + 1), p=_tilt(lo, hi)))
    return int(rng.integers(lo, hi + 1))


def _tilt(lo: int, hi: int) -> np.ndarray:
    w = np.linspace(1, 3, hi - lo + 1)
    return w / w.sum()


def _melding_records(rng, ids: common.Ids, year: str, cell, soorten: list[str], results: list[str], last_year: bool) -> list[dict]:
    os_, g = cell
    end = sj.end(year).date()
    out = []
    dates = common.dates_in_year(rng, year, len(soorten))
    children: list[tuple[str, dt.date, bool]] = []
    for soort, datum, res in zip(soorten, dates, results):
        nieuwkomer_p = {"geen": 0.9}.get(os_, 0.3 if soort == "absoluut" else 0.03)
        reuse = soort in codes.RELATIEF and children and rng.random() < 0.2
        if reuse:
            jid, birth, nieuw = children[int(rng.integers(len(children)))]
            age = common.age_on(birth, datum)
            lo, hi = AGE_RANGE[os_]
            if not lo <= age <= hi:
                reuse = False
        if not reuse:
            age = 17 if res == "overdracht_dsp" else _age_for(rng, os_)
            birth = common.birthdate_for_age(rng, datum, age)
            if res == "overdracht_dsp":  # turns 18 before the end of the schooljaar
                eighteen = common.birthdate_between(rng, datum + dt.timedelta(days=1), end - dt.timedelta(days=3))
                birth = common.add_years(eighteen, -18)
                if common.age_on(birth, datum) != 17:
                    birth = common.add_years(datum, -18) + dt.timedelta(days=1)
            jid, nieuw = ids.new("J"), bool(rng.random() < nieuwkomer_p)
            if soort != "informatie_advies":
                children.append((jid, birth, nieuw))
        afgerond, resultaat = _closure(rng, soort, datum, res, birth, end, last_year, wacht_isk=os_ == "geen" or (nieuw and soort == "absoluut"))
        out.append(
            {
                "jongere_id": jid,
                "gemeente": g,
                "onderwijssoort": os_,
                "verzuimsoort": soort,
                "datum_melding": datum,
                "geboortedatum": birth,
                "nieuwkomer": nieuw,
                "datum_afgerond": afgerond,
                "resultaat": resultaat,
            }
        )
    return out


def _closure(rng, soort, datum, res, birth, end, last_year, *, wacht_isk: bool = False):
    """datum_afgerond and resultaat of one melding given its end-of-year outcome.

    Newcomers without a school place wait longer (ISK wachtlijst, Hoofdstuk 2)."""
    if soort == "informatie_advies":
        return min(datum + dt.timedelta(days=int(rng.integers(0, 21))), end), None
    if res == codes.NOG_IN_BEHANDELING:
        if last_year and rng.random() < 0.7:
            return None, None  # still open in the export
        later = end + dt.timedelta(days=int(rng.integers(1, 120)))
        return later, str(rng.choice(["naar_school", "naar_school", "verhuisd", "overig"]))
    mean = {"absoluut": 110 if wacht_isk else 35, "wettelijk": 45, "langdurig_relatief": 90}.get(soort, 30)
    duration = int(rng.gamma(2.0, mean / 2.0)) + 1
    closed = datum + dt.timedelta(days=duration)
    if res == "overdracht_dsp":
        closed = max(closed, common.add_years(birth, 18))
    if closed > end:
        closed = datum + dt.timedelta(days=int(rng.integers(0, max((end - datum).days, 0) + 1)))
        if res == "overdracht_dsp":
            closed = max(closed, common.add_years(birth, 18))
    return min(closed, end), res


def generate(rng, ids: common.Ids, years: list[str]) -> list[dict]:
    A24 = {cell: _published_a(*cell) for cell in CELLS}
    B24 = {cell: _published_b(*cell) for cell in CELLS}
    solved = solve_results_2024(A24, B24)
    # Outcome distributions of 2024-2025, used for the years before it.
    # (results that did not occur for an onderwijssoort, e.g. overdracht DSP in the
    # basisonderwijs, keep weight zero)
    dist_abs = {o: {r: sum(solved[(o, g)][0][r] for g in codes.GEMEENTEN) for r in DETAIL_RESULTS} for o in codes.ONDERWIJSSOORT}
    dist_rel = {o: {r: sum(solved[(o, g)][1][r] for g in codes.GEMEENTEN) for r in DETAIL_RESULTS} for o in codes.ONDERWIJSSOORT}
    records = []
    last = years[-1]
    for year in years:
        counts = A24 if year == "2024-2025" else _counts_for_year(rng, year, A24)
        for cell in CELLS:
            a = counts[cell]
            soorten = [s for s in SOORTEN for _ in range(a[s])]
            n_abs = a["absoluut"]
            n_rel = sum(a[s] for s in codes.RELATIEF)
            if year == "2024-2025":
                absoluut, relatief = solved[cell]
                res_abs = [r for r in DETAIL_RESULTS for _ in range(absoluut[r])]
                res_rel = [r for r in DETAIL_RESULTS for _ in range(relatief[r])]
                rng.shuffle(res_abs)
                rng.shuffle(res_rel)
            else:
                res_abs = _results_for_cell(rng, n_abs, dist_abs[cell[0]])
                res_rel = _results_for_cell(rng, n_rel, dist_rel[cell[0]])
            results = res_abs + res_rel + [None] * a["informatie_advies"]
            if len(results) != len(soorten):
                raise RuntimeError(f"{year} {cell}: {len(results)} results for {len(soorten)} meldingen")
            records += _melding_records(rng, ids, year, cell, soorten, results, year == last)
    records.sort(key=lambda r: (r["datum_melding"], r["gemeente"], r["jongere_id"]))
    for n, r in enumerate(records, start=1):
        r["melding_id"] = f"VM{n:06d}"
    return records
