"""Synthetic vsv-trajecten and their status history, calibrated on Tabel 4-7, Bijlage 3
Tabel 2, the Aalten memo and the vsv figures of Hoofdstuk 3."""

from __future__ import annotations

import datetime as dt

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from lerenwerkt import codes
from lerenwerkt import schooljaar as sj
from lerenwerkt.synth import common
from lerenwerkt.synth.allocate import allocate_2d, allocate_keys, largest_remainder, spread
from lerenwerkt.synth.targets import count, supplement, supplement_count, supplement_group

G = codes.GEMEENTEN
S = "2024-2025"
COHORTS_OUD = ["2020-2021", "2021-2022", "2022-2023", "2023-2024"]
KOLOM_LEEFTIJD_PEILDATUM = "Leeftijd op 18 september 2025"  # Bijlage 3 Tabel 2, column label
MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december")


def _date_in_label(label: str) -> dt.date:
    """The date a label ends with, in Dutch words.

    >>> _date_in_label("Leeftijd op 18 september 2025")
    datetime.date(2025, 9, 18)
    """
    day, month, year = label.split()[-3:]
    return dt.date(int(year), MAANDEN.index(month) + 1, int(day))


PEILDATUM_LEEFTIJD = _date_in_label(KOLOM_LEEFTIJD_PEILDATUM)
STATUS_LABEL = {"in_behandeling": "In behandeling", "monitoring": "Monitoring", "afgerond": "Afgerond"}
MON_LABEL = codes.VSV_RESULTAAT_MONITORING
AFG_LABEL = codes.VSV_RESULTAAT_AFGEROND
# Age categories of Bijlage 3 Tabel 2: 17 stands for "<18 (pro/vso)"; 23 for the "nét 23"
# counted under 22 on 18 September.
AGES_M = [17, 18, 19, 20, 21, 22]
AGES_S = [17, 18, 19, 20, 21, 22, 23]
GAPS = {"2024-2025": (0, 1), "2023-2024": (1, 2), "2022-2023": (2, 3), "2021-2022": (3, 4), "2020-2021": (4, 5)}


def _table(tabel: str) -> dict[str, dict[str, int]]:
    return {g: {s: count(tabel, g, lab) for s, lab in STATUS_LABEL.items()} for g in G}


def _age_plan(in_beeld: dict[str, int]) -> dict[tuple[str, int, int], int]:
    """How many in-beeld vsv'ers per (cohort, age at uitschrijving, age on 18 September)."""
    rij = {17: "<18 (pro/vso)", 18: "18", 19: "19", 20: "20", 21: "21", 22: "22"}
    m_target = {a: count("bijlage3_tabel2_leeftijd", rij[a], "Leeftijd t.t.v. vsv-melding") for a in AGES_M}
    s_target = {a: count("bijlage3_tabel2_leeftijd", rij[min(a, 22)], KOLOM_LEEFTIJD_PEILDATUM) for a in AGES_S}
    just_23 = supplement_count("vsv.leeftijd_22_net_23")  # footnote: "*.. hiervan zijn nét 23 geworden"
    s_target[22] -= just_23
    s_target[23] = just_23
    keys = [(c, am, as_) for c in in_beeld for am in AGES_M for as_ in AGES_S if _gap_ok(c, am, as_)]
    idx = {k: i for i, k in enumerate(keys)}
    rows, b = [], []

    def eq(members, value):
        r = np.zeros(len(keys))
        for k in members:
            r[idx[k]] = 1
        rows.append(r)
        b.append(value)

    for am, v in m_target.items():
        eq([k for k in keys if k[1] == am], v)
    for as_, v in s_target.items():
        eq([k for k in keys if k[2] == as_], v)
    for c, v in in_beeld.items():
        eq([k for k in keys if k[0] == c], v)
    # spread the solution: penalise the extreme gaps a little
    cost = np.array([0.01 * (k[2] - k[1] - GAPS[k[0]][0]) + 0.001 * k[1] for k in keys])
    res = milp(cost, integrality=np.ones(len(keys)), bounds=Bounds(0, np.inf), constraints=LinearConstraint(np.array(rows), b, b))
    if not res.success:
        raise RuntimeError(f"vsv age calibration infeasible: {res.message}")
    return {k: int(round(x)) for k, x in zip(keys, res.x) if round(x) > 0}


def _gap_ok(cohort: str, am: int, as_: int) -> bool:
    """Can someone uitgeschreven in ``cohort`` at age ``am`` be ``as_`` on 18 September 2025?"""
    gaps = GAPS[cohort]
    if as_ == 23:  # born 1 Aug - 18 Sep 2002: one year older than the usual gap
        gaps = tuple(g + 1 for g in gaps)
    return as_ - am in gaps


def _dates_for_age(rng, cohort: str, am: int, as_: int | None, month: bool | None, *, latest: dt.date | None = None):
    """datum_uitschrijving and geboortedatum giving these ages; ``month`` True: within a
    month after the 18th birthday, False: not, None: don't care."""
    start, end = sj.start(cohort).date(), sj.end(cohort).date()
    if latest:
        end = min(end, latest)
    for _ in range(400):
        d = start + dt.timedelta(days=int(rng.integers(0, (end - start).days + 1)))
        real_am = am if am >= 18 or as_ is not None else int(rng.choice([16, 17], p=[0.3, 0.7]))
        lo = common.add_years(d, -(real_am + 1)) + dt.timedelta(days=1)
        hi = common.add_years(d, -real_am)
        if as_ is not None and as_ >= 18:
            lo = max(lo, common.add_years(PEILDATUM_LEEFTIJD, -(as_ + 1)) + dt.timedelta(days=1))
            hi = min(hi, common.add_years(PEILDATUM_LEEFTIJD, -as_))
        if as_ == 23:  # 23 on 18 September, still 22 on 31 July
            lo = max(lo, common.add_years(dt.date(2025, 8, 1), -23))
        if as_ == 17:  # under 18 on 18 September
            lo = max(lo, common.add_years(PEILDATUM_LEEFTIJD, -18) + dt.timedelta(days=1))
        if am == 18 and month is not None:
            one_month_before = _minus_month(d)
            if month:  # 18th birthday in (d - 1 month, d]
                lo = max(lo, common.add_years(one_month_before, -18) + dt.timedelta(days=1))
            else:
                hi = min(hi, common.add_years(one_month_before, -18))
        if lo <= hi:
            return d, common.birthdate_between(rng, lo, hi)
    return None


def _minus_month(d: dt.date) -> dt.date:
    y, m = (d.year, d.month - 1) if d.month > 1 else (d.year - 1, 12)
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(y, m, day)
        except ValueError:
            continue
    raise AssertionError


def generate(rng, ids: common.Ids) -> tuple[list[dict], list[dict]]:
    t4, t7 = _table("tabel4_status_nieuwe_vsv"), _table("tabel7_status_oud_vsv")
    mon_new = {k: count("tabel5_monitoring", lab, "Nieuwe vsv'ers", 0) for k, lab in MON_LABEL.items()}
    mon_old = {k: count("tabel5_monitoring", lab, "Oud vsv'ers", 0) for k, lab in MON_LABEL.items()}
    afg_labels = {
        "school": "School (gerelateerd)",
        "geen_doelgroep": "Geen doelgroep meer",
        "startkwalificatie": "Startkwalificatie behaald",
        "overig": "Overig",
    }
    afg_new = {k: count("tabel6_afgerond", lab, "Nieuwe vsv'ers") for k, lab in afg_labels.items()}
    afg_old = {k: count("tabel6_afgerond", lab, "Oud vsv'ers") for k, lab in afg_labels.items()}

    trajecten: list[dict] = []  # each: cohort, gemeente, final (status, resultaat), extra plan

    # --- nieuwe vsv'ers 2024-2025: status at the end of the year per Tabel 4
    mon_list, afg_list = spread(mon_new, rng), spread(afg_new, rng)
    for g in G:
        for status, n in t4[g].items():
            for _ in range(n):
                res = mon_list.pop() if status == "monitoring" else afg_list.pop() if status == "afgerond" else None
                trajecten.append({"cohort": S, "gemeente": g, "final": (status, res), "when": "2425"})

    # --- oud-vsv'ers: cohort x gemeente sizes with Tabel 7 totals
    col = [sum(t7[g].values()) for g in G]
    cohort_sizes = _cohort_sizes(sum(col))
    aalten_2324 = count("memo_aalten_vsv", "Totaal", "2023-2024")
    M = allocate_2d([cohort_sizes[c] for c in COHORTS_OUD], col, fixed={(3, 0): aalten_2324})
    # status at the end of 2023-2024 of the 2023-2024 cohort (memo: Aalten)
    eind = supplement_group("vsv_2324_eind")
    eind["afgerond"] = cohort_sizes["2023-2024"] - sum(eind.values())
    memo = {s: count("memo_aalten_vsv", lab, "2023-2024") for s, lab in STATUS_LABEL.items()}
    E = allocate_2d([eind[s] for s in STATUS_LABEL], list(M[3]), fixed={(i, 0): memo[s] for i, s in enumerate(STATUS_LABEL)})
    afg_2324 = dict(zip(G, E[2]))
    # in beeld at the end of 2024-2025 per cohort x gemeente
    in_beeld_col = [t7[g]["in_behandeling"] + t7[g]["monitoring"] for g in G]
    in_beeld_c = supplement_group("vsv_oud_in_beeld")
    in_beeld_c["2023-2024"] = sum(in_beeld_col) - sum(in_beeld_c.values())
    cap = M.copy()
    cap[3] = M[3] - E[2]  # the 2023-24 cohort's afgerond by 31 July 2024 stay afgerond
    IB = allocate_2d([in_beeld_c[c] for c in COHORTS_OUD], in_beeld_col, upper=cap)
    # afgerond in 2024-2025 per gemeente: the 2023-24 cohort's afgerond after 31 July 2024
    # first, then older cohorts.
    afg_2425_total = count("tekst", "N100", S)
    forced = {g: M[3][j] - IB[3][j] - afg_2324[g] for j, g in enumerate(G)}
    rest = allocate_keys(afg_2425_total - sum(forced.values()), {g: t7[g]["afgerond"] - M[3][j] + IB[3][j] for j, g in enumerate(G)})
    mon_old_list, afg_old_list = spread(mon_old, rng), spread(afg_old, rng)
    before_results = supplement_group("vsv.afgerond_voor_2425")
    # results at the end of 2023-2024 for the 2023-2024 cohort (N081: the share on a route back to school)
    route_2324 = round(count("tekst", "N081", "2023-2024") / 100 * cohort_sizes["2023-2024"])
    e_afg = spread(_route_split(rng, eind["afgerond"], route_2324, afgerond=True), rng)
    e_mon = spread(_route_split(rng, eind["monitoring"], route_2324, afgerond=False, other=sum(e == "school" or e == "startkwalificatie" for e in e_afg)), rng)
    for j, g in enumerate(G):
        n_ib = {c: IB[i][j] for i, c in enumerate(COHORTS_OUD)}
        statuses_ib = spread({"in_behandeling": t7[g]["in_behandeling"], "monitoring": t7[g]["monitoring"]}, rng)
        afg_older = allocate_keys(rest[g], {c: (M[i][j] - IB[i][j]) * (1 + i) for i, c in enumerate(COHORTS_OUD[:3])})
        for i, c in enumerate(COHORTS_OUD):
            n_total = M[i][j]
            items = []
            for _ in range(n_ib[c]):
                st = statuses_ib.pop()
                items.append((st, mon_old_list.pop() if st == "monitoring" else None, "2425"))
            n_afg = n_total - n_ib[c]
            n_afg_2425 = forced[g] if c == "2023-2024" else afg_older[c]
            if n_afg_2425 > n_afg:
                raise RuntimeError(f"vsv calibration: {g} {c} afgerond {n_afg} < {n_afg_2425}")
            items += [("afgerond", afg_old_list.pop(), "2425") for _ in range(n_afg_2425)]
            before = spread(allocate_keys(n_afg - n_afg_2425, before_results, rng, jitter=0.2), rng)
            items += [("afgerond", r, "before") for r in before]
            for st, res, when in items:
                trajecten.append({"cohort": c, "gemeente": g, "final": (st, res), "when": when})
        # the 2023-2024 cohort's status at the end of 2023-2024
        mine = [t for t in trajecten if t["cohort"] == "2023-2024" and t["gemeente"] == g]
        rng.shuffle(mine)
        n_in_beh, n_mon = E[0][j], E[1][j]
        for t in mine:
            if t["when"] == "before":
                t["eind_2324"] = ("afgerond", e_afg.pop())
            elif n_in_beh:
                t["eind_2324"] = ("in_behandeling", None)
                n_in_beh -= 1
            else:
                t["eind_2324"] = ("monitoring", e_mon.pop())
                n_mon -= 1
        if n_in_beh or n_mon:
            raise RuntimeError(f"vsv calibration: end-of-2023-24 statuses for {g} do not fit")

    _assign_people(rng, ids, trajecten)
    return _records(rng, trajecten)


def _cohort_sizes(oud_totaal: int) -> dict[str, int]:
    """Nieuwe vsv'ers per earlier cohort: 2023-2024 follows from N082 and N083 ("acht procent
    minder dan vorig schooljaar"), 2022-2023 is the rest of Tabel 7's ``oud_totaal``, the two
    oldest are invented (aanvullend.csv)."""
    vorig = round(count("tekst", "N082", S) / (1 - count("tekst", "N083", S) / 100))
    oudste = {c: supplement_count(f"vsv_cohort.{c}") for c in COHORTS_OUD[:2]}
    return oudste | {COHORTS_OUD[2]: oud_totaal - sum(oudste.values()) - vorig, COHORTS_OUD[3]: vorig}


def _route_split(rng, n: int, route_total: int, *, afgerond: bool, other: int = 0) -> dict[str, int]:
    """Results at the end of 2023-2024 with ``route_total`` on a route back to school."""
    if afgerond:
        school = round(route_total * supplement("vsv.eind_2324.afgerond_school_aandeel_route"))
        startkwalificatie = supplement_count("vsv.eind_2324.afgerond_startkwalificatie")
        geen_doelgroep = round((n - school - startkwalificatie) * supplement("vsv.eind_2324.afgerond_geen_doelgroep_aandeel"))
        return {
            "school": school,
            "startkwalificatie": startkwalificatie,
            "geen_doelgroep": geen_doelgroep,
            "overig": n - school - startkwalificatie - geen_doelgroep,
        }
    route = route_total - other
    wacht = supplement_count("vsv.eind_2324.monitoring_wacht_op_inschrijving")
    rest = n - route
    base = supplement_group("vsv.eind_2324.monitoring")
    out = allocate_keys(rest, base)
    out["school"] = route - wacht
    out["wacht_op_inschrijving"] = wacht
    return out


def _assign_people(rng, ids: common.Ids, trajecten: list[dict]) -> None:
    """Birth dates, uitschrijving dates, onderwijssoort and reden per traject."""
    in_beeld = {}
    for t in trajecten:
        t["in_beeld"] = t["final"][0] in ("in_behandeling", "monitoring")
        if t["in_beeld"]:
            in_beeld[t["cohort"]] = in_beeld.get(t["cohort"], 0) + 1
    plan = _age_plan({c: in_beeld[c] for c in [S, *COHORTS_OUD] if in_beeld.get(c)})
    within_month = count("tekst", "N120", S)
    by_cohort: dict[str, list[dict]] = {}
    for t in trajecten:
        if t["in_beeld"]:
            by_cohort.setdefault(t["cohort"], []).append(t)
    ages: dict[str, list[tuple[int, int]]] = {}
    for (c, am, as_), n in sorted(plan.items()):
        ages.setdefault(c, []).extend([(am, as_)] * n)
    eighteens = []
    for c, ts in by_cohort.items():
        pairs = ages[c]
        rng.shuffle(pairs)
        for t, (am, as_) in zip(ts, pairs, strict=True):
            t["age_plan"] = (am, as_)
            if am == 18:
                eighteens.append(t)
    rng.shuffle(eighteens)
    flagged = 0
    for t in trajecten:
        latest = dt.date(2024, 7, 20) if t.get("eind_2324", ("in_behandeling",))[0] != "in_behandeling" else None
        if t["cohort"] == S and t["final"][0] != "in_behandeling":
            latest = dt.date(2025, 7, 20)
        if "age_plan" in t:
            am, as_ = t["age_plan"]
            month = None
            if am == 18:
                month = flagged < within_month
            got = _dates_for_age(rng, t["cohort"], am, as_, month, latest=latest)
            if got is None and month:
                got = _dates_for_age(rng, t["cohort"], am, as_, False, latest=latest)
                month = False
            if got is None:
                raise RuntimeError(f"vsv: no dates for cohort {t['cohort']} ages {am}/{as_}")
            flagged += bool(month)
            t["datum_uitschrijving"], t["geboortedatum"] = got
        else:
            am = int(rng.choice([17, 18, 19, 20, 21, 22], p=[0.01, 0.45, 0.22, 0.14, 0.11, 0.07]))
            got = _dates_for_age(rng, t["cohort"], am, None, False if am == 18 else None, latest=latest)
            t["datum_uitschrijving"], t["geboortedatum"] = got
        young = common.age_on(t["geboortedatum"], t["datum_uitschrijving"]) < 18
        t["onderwijssoort"] = (
            str(rng.choice(["pro", "vso"])) if young else str(rng.choice(["mbo", "vo", "vavo", "vso", "pro"], p=[0.78, 0.1, 0.08, 0.02, 0.02]))
        )
        t["jongere_id"] = ids.new("J")
    if flagged != within_month:
        raise RuntimeError(f"vsv: {flagged} of {within_month} uitschrijvingen within a month after turning 18")
    _reden(rng, trajecten)


def _reden(rng, trajecten: list[dict]) -> None:
    for c in [S, *COHORTS_OUD]:
        ts = [t for t in trajecten if t["cohort"] == c]
        n = len(ts)
        if c == S:
            pct = {
                "werken": count("tekst", "N084", S),
                "verkeerde_opleidingskeuze": count("tekst", "N085", S),
                "medische_problematiek": count("tekst", "N086", S),
            }
        else:
            pct = supplement_group("vsv.reden_eerdere_cohorten")
        counts = {}
        for k, p in pct.items():
            lo = int(np.ceil((p - 0.5) * n / 100))
            counts[k] = lo if round(100 * lo / n) == p else lo + 1
        rest = n - sum(counts.values())
        counts |= dict(zip(("overig", "onbekend"), largest_remainder(rest, [0.7, 0.3])))
        for t, r in zip(ts, spread(counts, rng)):
            t["reden_uitval"] = r


def _records(rng, trajecten: list[dict]) -> tuple[list[dict], list[dict]]:
    trajecten.sort(key=lambda t: (t["datum_uitschrijving"], t["jongere_id"]))
    rows, status_rows = [], []
    for n, t in enumerate(trajecten, start=1):
        tid = f"VSV{n:06d}"
        rows.append(
            {
                "traject_id": tid,
                "jongere_id": t["jongere_id"],
                "gemeente": t["gemeente"],
                "datum_uitschrijving": t["datum_uitschrijving"],
                "geboortedatum": t["geboortedatum"],
                "onderwijssoort": t["onderwijssoort"],
                "reden_uitval": t["reden_uitval"],
            }
        )
        for d, st, res in _history(rng, t):
            status_rows.append({"traject_id": tid, "datum": d, "status": st, "resultaat": res})
    return rows, status_rows


def _between(rng, lo: dt.date, hi: dt.date) -> dt.date:
    if hi < lo:
        raise RuntimeError(f"vsv history: empty date range {lo}..{hi}")
    return lo + dt.timedelta(days=int(rng.integers(0, (hi - lo).days + 1)))


def _history(rng, t: dict) -> list[tuple]:
    """Status changes that end in the planned statuses (strictly increasing dates)."""
    d0 = t["datum_uitschrijving"]
    out = [(d0, "in_behandeling", None)]
    end_prev, end_s = dt.date(2024, 7, 31), dt.date(2025, 7, 31)
    start_s = dt.date(2024, 8, 1)
    fst, fres = t["final"]

    def after(last: dt.date, hi: dt.date, lo: dt.date | None = None) -> dt.date:
        lo = max(last + dt.timedelta(days=1), lo or last)
        return _between(rng, lo, max(lo, hi))

    if t["cohort"] == S:
        if fst != "in_behandeling":
            if fst == "afgerond" and rng.random() < 0.4:
                mid = after(out[-1][0], end_s - dt.timedelta(days=5))
                out.append((mid, "monitoring", "wacht_op_inschrijving" if fres == "school" else "werk_kortdurend"))
            out.append((after(out[-1][0], end_s), fst, fres))
        return out
    if "eind_2324" in t:
        xst, xres = t["eind_2324"]
        if xst != "in_behandeling":
            out.append((after(out[-1][0], end_prev), xst, xres))
        if t["when"] == "before":
            return out
        if (fst, fres) != (xst, xres):
            out.append((after(out[-1][0], end_s, start_s), fst, fres))
        return out
    # older cohorts: a monitoring spell first, then the final status
    if t["when"] == "before":
        if rng.random() < 0.5:
            out.append((after(out[-1][0], end_prev - dt.timedelta(days=30)), "monitoring", "werk_kortdurend"))
        out.append((after(out[-1][0], end_prev), fst, fres))
        return out
    first = "werk_kortdurend" if fres != "werk_kortdurend" else "wacht_op_inkomen"
    out.append((after(out[-1][0], end_prev), "monitoring", first))
    out.append((after(out[-1][0], end_s, start_s), fst, fres))
    if t.get("age_plan", (0, 0))[1] == 23:  # turned 23 after 31 July: afgerond in the new year
        out.append((common.add_years(t["geboortedatum"], 23) + dt.timedelta(days=int(rng.integers(1, 20))), "afgerond", "geen_doelgroep"))
    return out
