"""extern/: the public figures of the report with their bron, plus synthetic fill-ins."""

from __future__ import annotations

import numpy as np

from lerenwerkt import codes
from lerenwerkt.synth.allocate import largest_remainder
from lerenwerkt.synth.targets import count, published, rows, supplement_group

G = codes.GEMEENTEN
BANDS_2025 = {
    "4": ("tabel1_bevolking", "4-jarigen"),
    "5-15": ("tabel1_bevolking", "5 tot 16-jarigen"),
    "16-17": ("tabel1_bevolking", "16 tot 18-jarigen"),
    "18-22": ("tabel1_bevolking", "18 tot 23-jarigen"),
    "23": ("bijlage3_tabel3_jongeren_23_26", "23 jaar"),
    "24": ("bijlage3_tabel3_jongeren_23_26", "24 jaar"),
    "25": ("bijlage3_tabel3_jongeren_23_26", "25 jaar"),
    "26": ("bijlage3_tabel3_jongeren_23_26", "26 jaar"),
}
# Yearly change going back from 2025 (Grafiek 1: 4-jarigen licht gestegen, other groups
# declining): the factor by which a band was larger one year earlier.
BACK_FACTOR = {"4": 0.985, "5-15": 1.012, "16-17": 1.008, "18-22": 1.004, "23": 1.0, "24": 1.0, "25": 1.0, "26": 1.0}


def bevolking(rng) -> list[dict]:
    out = []
    for g in G:
        for band, (tabel, kolom) in BANDS_2025.items():
            n25 = count(tabel, g, kolom)
            out.append({"gemeente": g, "peildatum": "2025-01-01", "leeftijd": band, "aantal": n25, "bron": "CBS StatLine"})
            n = float(n25)
            for year in (2024, 2023, 2022, 2021, 2020):
                n *= BACK_FACTOR[band] * rng.lognormal(0, 0.004)
                out.append({"gemeente": g, "peildatum": f"{year}-01-01", "leeftijd": band, "aantal": int(round(n)), "bron": "synthetisch"})
    return out


def leerplichttelling() -> list[dict]:
    out = []
    for rij, kolom, waarde in rows("leerplichttelling"):
        regio, schooljaar = rij.split(" | ")
        out.append({"regio": regio, "schooljaar": schooljaar, "indicator": kolom, "waarde": waarde, "bron": "Leerplichttelling"})
    return out


def duo_vsv() -> list[dict]:
    cells = {(r, k): v for r, k, v in rows("bijlage3_tabel1_duo_vsv")}
    out = []
    for (rij, kolom), v in cells.items():
        if not kolom.endswith("aantal"):
            continue
        gebied, soort = rij.split(" | ")
        year = kolom.split(" ")[0]
        pct = cells.get((rij, f"{year} percentage"), "")
        out.append(
            {
                "gebied": "Achterhoek" if gebied == "RMC Achterhoek" else gebied,
                "schooljaar": year,
                "onderwijssoort": soort,
                "aantal": v,
                "percentage": pct,
                "bron": "DUO vsv-dashboard",
            }
        )
    return out


SCHOOLLOCATIE_OS = {"(s)bo": "sbo", "(v)so": "vso", "vo": "vo", "mbo": "mbo"}
SCHOOLLOCATIE_LOC = {
    "naar school binnen gemeente": "binnen_gemeente",
    "naar school binnen regio (buiten gemeente)": "binnen_regio",
    "naar school buiten regio": "buiten_regio",
}


def schoollocatie() -> list[dict]:
    out = []
    for g in (*G, codes.TOTAAL):
        for label, os_ in SCHOOLLOCATIE_OS.items():
            totaal = count("bijlage4_schoollocatie", g, f"{label} | totaal")
            for loc_label, loc in SCHOOLLOCATIE_LOC.items():
                pct = published("bijlage4_schoollocatie", g, f"{label} | {loc_label}")
                out.append(
                    {
                        "gemeente": codes.REGIO if g == codes.TOTAAL else g,
                        "onderwijssoort": os_,
                        "locatie": loc,
                        "percentage": f"{pct:.1f}",
                        "totaal": totaal,
                        "peildatum": "2025-01-01",
                        "bron": "JVS",
                    }
                )
    return out


# JIKP (the report gives no numbers): shares per startpositie and meetmoment that show what
# Hoofdstuk 3 says — Entree and vmbo-bb mostly stay in education, mostly mbo niveau 2;
# pro and vso mostly leave education; ~70% of pro leavers work; vso leavers split over
# werk and uitkering, some not in beeld.
JIKP_SHARES = {
    "entree": {
        0: [55, 25, 4, 9, 2, 1, 4],
        1: [22, 42, 3, 21, 4, 2, 6],
        3: [6, 40, 3, 35, 6, 3, 7],
        5: [2, 22, 3, 50, 9, 5, 9],
    },
    "vmbo_bb": {
        0: [8, 80, 5, 4, 0, 0, 3],
        1: [7, 72, 4, 11, 1, 1, 4],
        3: [3, 58, 4, 26, 3, 2, 4],
        5: [1, 30, 5, 47, 6, 4, 7],
    },
    "pro": {
        0: [14, 4, 8, 47, 9, 8, 10],
        1: [10, 4, 5, 52, 10, 8, 11],
        3: [5, 4, 3, 55, 11, 9, 13],
        5: [3, 3, 2, 56, 13, 9, 14],
    },
    "vso": {
        0: [10, 4, 12, 24, 22, 6, 22],
        1: [7, 4, 9, 27, 26, 6, 21],
        3: [4, 3, 6, 30, 29, 7, 21],
        5: [2, 3, 4, 31, 31, 8, 21],
    },
}
JIKP_PER_JAAR = {"pro": 150, "vso": 120, "vmbo_bb": 420, "entree": 300}


def jikp(rng) -> list[dict]:
    pop = np.array([count("tabel1_bevolking", g, "16 tot 18-jarigen") for g in G], dtype=float)
    out = []
    for start in range(2019, 2025):
        cohort = f"{start}-{start + 1}"
        for pos, n_region in JIKP_PER_JAAR.items():
            per_g = largest_remainder(n_region, pop, rng, jitter=0.15)
            for g, n in zip(G, per_g):
                for m in codes.JIKP_MEETMOMENT:
                    if start + m > 2024:
                        continue
                    counts = largest_remainder(n, JIKP_SHARES[pos][m], rng, jitter=0.2)
                    for dag, c in zip(codes.JIKP_DAGINVULLING, counts):
                        out.append(
                            {"cohort": cohort, "gemeente": g, "startpositie": pos, "meetmoment": m, "daginvulling": dag, "aantal": c, "bron": "synthetisch"}
                        )
    return out


def kerncijfers() -> list[dict]:
    """Kerncijfers of Hoofdstuk 3 kept by hand (no case record holds them), from aanvullend.csv."""
    year = "2024-2025"
    return [{"schooljaar": year, "indicator": k, "waarde": v, "bron": "jaarverslag"} for k, v in supplement_group(f"kerncijfers.{year}").items()]
