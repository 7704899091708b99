"""Synthetic 18+ meldingen, vrijstellingen, handhaving and zorg-en-preventietrajecten."""

from __future__ import annotations

import datetime as dt

from lerenwerkt import codes
from lerenwerkt import schooljaar as sj
from lerenwerkt.synth import common
from lerenwerkt.synth.allocate import allocate_keys, largest_remainder, spread
from lerenwerkt.synth.targets import count, published, supplement, supplement_count, supplement_group, text_share

G = codes.GEMEENTEN
# Outcome after inzet van de consulent (18+), Hoofdstuk 2: text figures N060-N062.
UITKOMST_18PLUS_TEKST = {"voortgezet": "N060", "gestopt": "N061", "overstap": "N062"}


def _population(band: str) -> dict[str, float]:
    col = {"5-17": ("5 tot 16-jarigen", "16 tot 18-jarigen"), "18-22": ("18 tot 23-jarigen",)}[band]
    return {g: sum(published("tabel1_bevolking", g, c) for c in col) for g in G}


# ---------------------------------------------------------------- meldingen 18+
def _group_sizes_18plus(rng, n_meldingen: int, n_jongeren: int, n_single: int) -> list[int]:
    """Meldingen per jongere: ``n_single`` with one, the rest with two or more."""
    multi = n_jongeren - n_single
    extra = n_meldingen - n_single - 2 * multi  # above two each
    sizes = [1] * n_single + [2] * multi
    if multi and extra > 0:
        w = rng.pareto(2.0, size=multi) + 0.2
        add = largest_remainder(extra, w)
        for i, a in enumerate(add):
            sizes[n_single + i] += a
    return sizes


def meldingen_18plus(rng, ids: common.Ids, years: list[str]) -> list[dict]:
    records = []
    pop = _population("18-22")
    for year in years:
        if year in ("2022-2023", "2023-2024", "2024-2025"):
            n = count("tabel3_verzuim_18plus", year, "meldingen")
            n_actie = count("tabel3_verzuim_18plus", year, "actie_gewenst")
        else:
            n = supplement_count(f"meldingen_18plus.{year}.meldingen")
            n_actie = supplement_count(f"meldingen_18plus.{year}.actie_gewenst")
        if year == "2024-2025":
            n_jong = count("tekst", "N053", year)
            n_single = count("tekst", "N056", year)
            n_twice_geen = count("tekst", "N059", year)
        else:  # "vergelijkbaar met schooljaar 2023-2024": the 2024-2025 share with one melding (N055)
            n_jong = round(n * supplement("meldingen_18plus.aandeel_jongeren"))
            n_single = round(n_jong * text_share("N055"))
            n_twice_geen = round((n_jong - n_single) * supplement("meldingen_18plus.aandeel_twee_keer_geen"))
        sizes = _group_sizes_18plus(rng, n, n_jong, n_single)
        flags = _actie_flags(rng, sizes, n_single, n_actie, n_twice_geen)
        gem = spread(allocate_keys(n_jong, pop, rng, jitter=0.15), rng)
        dates = sorted(common.dates_in_year(rng, year, n))
        order = rng.permutation(n)  # which meldingen (by date) belong to which jongere
        pos = 0
        year_records = []
        for j, size in enumerate(sizes):
            jid = ids.new("J")
            d = sorted(dates[i] for i in order[pos : pos + size])
            acts = flags[j]
            pos += size
            soort = str(rng.choice(["mbo", "vo", "vavo", "vso"], p=[0.85, 0.07, 0.05, 0.03]))
            # 18 to 21 at the first melding, so still under 23 at the last one
            birth = common.birthdate_for_age(rng, d[0], int(rng.choice([18, 19, 20, 21], p=[0.45, 0.27, 0.17, 0.11])))
            geen_seen = 0
            for datum, actie in zip(d, acts):
                geen_seen += not actie
                inzet = bool(actie or geen_seen >= 2)
                year_records.append(
                    {
                        "jongere_id": jid,
                        "gemeente": gem[j],
                        "onderwijssoort": soort,
                        "datum_melding": datum,
                        "geboortedatum": birth,
                        "actie_gewenst": bool(actie),
                        "inzet_consulent": inzet,
                        "uitkomst": None,
                    }
                )
        _uitkomsten(rng, year_records, sj.end(year).date())
        records += year_records
    records.sort(key=lambda r: (r["datum_melding"], r["jongere_id"]))
    for i, r in enumerate(records, start=1):
        r["melding_id"] = f"DM{i:06d}"
    return records


def _actie_flags(rng, sizes, n_single, n_actie, n_twice_geen) -> list[list[bool]]:
    """actie_gewenst per melding: exactly ``n_actie`` true, and exactly ``n_twice_geen``
    jongeren with two or more meldingen marked 'geen actie gewenst'."""
    multi = [i for i, s in enumerate(sizes) if s >= 2]
    rng.shuffle(multi)
    twice = set(multi[:n_twice_geen])
    flags = [[False] * s for s in sizes]
    # jongeren with >=2 meldingen but not 'twice geen': at most one geen
    actie = 0
    for i in multi[n_twice_geen:]:
        flags[i] = [True] * sizes[i]
        flags[i][int(rng.integers(sizes[i]))] = bool(rng.random() < 0.3)
        actie += sum(flags[i])
    remaining = n_actie - actie
    # candidates that may flip to actie: singles, and 'twice' jongeren beyond their 2 geen
    slots = [(i, 0) for i, s in enumerate(sizes) if s == 1]
    for i in twice:
        slots += [(i, k) for k in range(2, sizes[i])]
    if remaining < 0 or remaining > len(slots):
        raise RuntimeError(f"18+: cannot place {n_actie} actie gewenst")
    pick = rng.choice(len(slots), size=remaining, replace=False)
    for p in pick:
        i, k = slots[p]
        flags[i][k] = True
    for i in twice:  # the two geen need not be the first two: shuffle within the jongere
        rng.shuffle(flags[i])
    return flags


def _uitkomsten(rng, recs: list[dict], end: dt.date) -> None:
    """Outcome after inzet van de consulent: the shares of Hoofdstuk 2 (N060-N062), the rest
    ("in de overige gevallen") uit beeld."""
    done = [r for r in recs if r["inzet_consulent"] and (end - r["datum_melding"]).days > 30]
    shares = {k: count("tekst", nummer, "2024-2025") for k, nummer in UITKOMST_18PLUS_TEKST.items()}
    shares["uit_beeld"] = 100 - sum(shares.values())
    labels = spread(dict(zip(shares, largest_remainder(len(done), list(shares.values())))), rng)
    for r, u in zip(done, labels):
        r["uitkomst"] = u


# ---------------------------------------------------------------- vrijstellingen
def vrijstellingen(rng, ids: common.Ids, years: list[str]) -> list[dict]:
    pop = _population("5-17")
    records = []
    for year in years:
        for art, label in codes.ARTIKEL.items():
            if year == "2024-2025":
                per_g = {g: count("bijlage2_tabel1_vrijstellingen", g, label, 0) for g in G}
            else:
                if year in ("2022-2023", "2023-2024"):
                    total = count("tabel2_vrijstellingen", label, year, 0)
                else:
                    total = supplement_count(f"vrijstellingen.{year}.{art}")
                per_g = allocate_keys(total, pop, rng, jitter=0.4)
            for g, n in per_g.items():
                for datum in common.dates_in_year(rng, year, n, flat=True):
                    einde = None
                    if art in ("3a", "3b", "5a"):
                        einde = common.add_years(datum, 1) - dt.timedelta(days=1)
                    records.append({"jongere_id": ids.new("J"), "gemeente": g, "artikel": art, "datum_ingang": datum, "datum_einde": einde})
    records.sort(key=lambda r: (r["datum_ingang"], r["jongere_id"]))
    for i, r in enumerate(records, start=1):
        r["vrijstelling_id"] = f"VR{i:05d}"
    return records


# ---------------------------------------------------------------- handhaving
def handhaving(rng, ids: common.Ids, years: list[str]) -> list[dict]:
    pop = _population("5-17")
    records = []
    for year in years:
        for soort, label in codes.HANDHAVING_SOORT.items():
            if year == "2024-2025":
                per_g = {g: count("bijlage2_tabel2_handhaving", g, label, 0) for g in G}
            else:
                if year == "2023-2024" and soort != "pv_luxe":
                    total = count("grafiek5_handhaving", label, year)
                else:
                    total = supplement_count(f"handhaving.{year}.{soort}")
                per_g = allocate_keys(total, pop, rng, jitter=0.5)
            items = [(g, d) for g, n in per_g.items() for d in common.dates_in_year(rng, year, n)]
            negatief = set()
            if soort == "halt":
                negatief = set(rng.choice(len(items), size=supplement_count(f"halt_negatief.{year}"), replace=False).tolist())
            for k, (g, d) in enumerate(items):
                afloop = ("negatief" if k in negatief else "positief") if soort == "halt" else None
                records.append({"jongere_id": ids.new("J"), "gemeente": g, "soort": soort, "datum": d, "afloop": afloop})
    records.sort(key=lambda r: (r["datum"], r["jongere_id"]))
    for i, r in enumerate(records, start=1):
        r["handhaving_id"] = f"HH{i:05d}"
    return records


# ---------------------------------------------------------------- zorg en preventie
def zorg_preventie(rng, ids: common.Ids, years: list[str]) -> list[dict]:
    pop = _population("18-22")
    records = []
    for year in years:
        end = sj.end(year).date()
        if year == "2024-2025":
            n = count("tekst", "N102", year)
            pct = {
                "kans_op_uitval": "N104",
                "negatief_studieadvies": "N106",
                "verkeerde_studiekeuze": "N107",
                "geen_stage": "N108",
                "geen_bbl_leerbaan": "N109",
                "advies": "N110",
            }
            aanleiding = _counts_matching_pct(n, {k: count("tekst", v, year) for k, v in pct.items()})
            uitkomst = _afgesloten_2425()
        else:
            n = supplement_count(f"zorg_preventie.{year}")
            aanleiding = allocate_keys(n, supplement_group("zorg_preventie.aanleiding_eerdere_jaren"))
            closed = round(n * supplement("zorg_preventie.aandeel_afgesloten_eerdere_jaren"))
            uitkomst = allocate_keys(closed, supplement_group("zorg_preventie.uitkomst_eerdere_jaren"))
        reasons = spread(aanleiding, rng)
        outcomes = spread(uitkomst, rng) + [None] * (n - sum(uitkomst.values()))
        gem = spread(allocate_keys(n, pop, rng, jitter=0.3), rng)
        starts = common.dates_in_year(rng, year, n)
        for k in range(n):
            start, out = starts[k], outcomes[k]
            if out is None:
                einde = None
            else:
                einde = min(start + dt.timedelta(days=int(rng.integers(14, 150))), end)
            records.append(
                {"jongere_id": ids.new("J"), "gemeente": gem[k], "datum_start": start, "aanleiding": reasons[k], "datum_einde": einde, "uitkomst": out}
            )
    records.sort(key=lambda r: (r["datum_start"], r["jongere_id"]))
    for i, r in enumerate(records, start=1):
        r["traject_id"] = f"ZP{i:05d}"
    return records


def _afgesloten_2425() -> dict[str, int]:
    """Closed zorg-en-preventietrajecten of 2024-2025 by uitkomst: 'twee derde' schooluitval
    and 30% (N112) terug naar school of an invented number closed by 31 July; the rest overig."""
    totaal = supplement_count("zorg_preventie_afgesloten.totaal")
    schooluitval = round(totaal * supplement("zorg_preventie_afgesloten.schooluitval_pct") / 100)
    terug = round(totaal * text_share("N112"))
    return {"schooluitval": schooluitval, "terug_naar_school": terug, "overig": totaal - schooluitval - terug}


def _counts_matching_pct(n: int, pct: dict[str, int]) -> dict[str, int]:
    """Whole counts summing to ``n`` whose shares round to the given whole percentages."""
    counts = {k: round(n * p / 100) for k, p in pct.items()}
    keys = list(counts)
    for _ in range(200):
        diff = n - sum(counts.values())
        if diff == 0:
            break
        # adjust the key whose percentage tolerates the change best
        step = 1 if diff > 0 else -1
        best = min(keys, key=lambda k: abs(100 * (counts[k] + step) / n - pct[k]))
        counts[best] += step
    bad = {k: c for k, c in counts.items() if round(100 * c / n) != pct[k]}
    if bad or sum(counts.values()) != n:
        raise RuntimeError(f"no counts of {n} match percentages {pct}: {counts}")
    return counts
