"""extern/: the public figures of the report with their bron, plus synthetic fill-ins."""

from __future__ import annotations

import numpy as np

from lerenwerkt import codes
from lerenwerkt.synth.allocate import largest_remainder
from lerenwerkt.synth.targets import count, published, rows, supplement, supplement_count, supplement_group

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


def bevolking(rng) -> list[dict]:
    # Yearly change going back from 2025 (invented, in line with Grafiek 1): the factor by
    # which a band was larger one year earlier.
    back_factor = {band: supplement(f"bevolking.terugfactor.{band}") for band in BANDS_2025}
    out = []
    for g in G:
        for band, (tabel, kolom) in BANDS_2025.items():
            n25 = count(tabel, g, kolom)
            out.append({"gemeente": g, "peildatum": "2025-01-01", "leeftijd": band, "aantal": n25, "bron": "CBS StatLine"})
            n = float(n25)
            for year in (2024, 2023, 2022, 2021, 2020):
                n *= back_factor[band] * rng.lognormal(0, 0.004)
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


def jikp(rng) -> list[dict]:
    """JIKP (the report gives no numbers): invented shares per startpositie and meetmoment,
    in line with the words of Hoofdstuk 3 (aanvullend.csv, ``jikp.*``), marked synthetisch."""
    pop = np.array([count("tabel1_bevolking", g, "16 tot 18-jarigen") for g in G], dtype=float)
    per_jaar = {pos: supplement_count(f"jikp.per_jaar.{pos}") for pos in codes.JIKP_STARTPOSITIE}
    shares = {
        (pos, m): [supplement_group(f"jikp.aandeel.{pos}.{m}")[dag] for dag in codes.JIKP_DAGINVULLING]
        for pos in codes.JIKP_STARTPOSITIE
        for m in codes.JIKP_MEETMOMENT
    }
    out = []
    for start in range(2019, 2025):
        cohort = f"{start}-{start + 1}"
        for pos, n_region in per_jaar.items():
            per_g = largest_remainder(n_region, pop, rng, jitter=0.15)
            for g, n in zip(G, per_g):
                for m in codes.JIKP_MEETMOMENT:
                    if start + m > 2024:
                        continue
                    counts = largest_remainder(n, shares[(pos, m)], rng, jitter=0.2)
                    for dag, c in zip(codes.JIKP_DAGINVULLING, counts):
                        out.append(
                            {"cohort": cohort, "gemeente": g, "startpositie": pos, "meetmoment": m, "daginvulling": dag, "aantal": c, "bron": "synthetisch"}
                        )
    return out


def kerncijfers() -> list[dict]:
    """Kerncijfers of Hoofdstuk 3 kept by hand (no case record holds them), from aanvullend.csv."""
    year = "2024-2025"
    return [{"schooljaar": year, "indicator": k, "waarde": v, "bron": "jaarverslag"} for k, v in supplement_group(f"kerncijfers.{year}").items()]
