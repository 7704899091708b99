"""Verzuim 18+ (Doorstroompunt): Tabel 3 and the figures around it (Hoofdstuk 2)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lerenwerkt import codes
from lerenwerkt.indicators.common import in_scope, share


def per_jaar(m: pd.DataFrame, *, schooljaren: Sequence[str], gemeente: str | None = None) -> pd.DataFrame:
    """Tabel 3: verzuimmeldingen 18+, how often the school ticked 'actie gewenst', and
    that as a share of the meldingen (e.g. 2024-2025: 1.209, 380, 31%)."""
    df = in_scope(m, gemeente)
    rows = []
    for s in schooljaren:
        y = df[df.schooljaar == s]
        n, actie = len(y), int(y.actie_gewenst.fillna(False).sum())
        rows.append({"schooljaar": s, "meldingen": n, "actie_gewenst": actie, "actie_gewenst_pct": share(actie, n)})
    return pd.DataFrame(rows)


def jongeren(m: pd.DataFrame, *, schooljaar: str, gemeente: str | None = None) -> pd.DataFrame:
    """Unique jongeren behind the 18+ meldingen of a schooljaar (Hoofdstuk 2).

    ``unieke_jongeren`` (600); ``recidive``: with more than one melding (251);
    ``een_melding`` (349) and its share of the jongeren (58%); ``twee_keer_geen_actie``:
    jongeren for whom at least two meldingen said 'geen actie gewenst' (173).
    """
    y = in_scope(m[m.schooljaar == schooljaar], gemeente)
    geen_actie = ~y.actie_gewenst.fillna(False).astype(bool)
    per = geen_actie.groupby(y.jongere_id).agg(["size", "sum"]).rename(columns={"size": "n", "sum": "geen"})
    n_j = len(per)
    een = int((per.n == 1).sum())
    return pd.DataFrame(
        [
            {
                "unieke_jongeren": n_j,
                "recidive": int((per.n > 1).sum()),
                "een_melding": een,
                "een_melding_pct": share(een, n_j),
                "twee_keer_geen_actie": int((per.geen >= 2).sum()),
            }
        ]
    )


def uitkomst(m: pd.DataFrame, *, schooljaar: str, gemeente: str | None = None) -> pd.DataFrame:
    """What happened after inzet van de consulent: share of meldingen with a recorded
    uitkomst per category (73% opleiding gecontinueerd, 14% gestopt, 6% overstap, rest uit
    beeld)."""
    y = in_scope(m[(m.schooljaar == schooljaar) & m.inzet_consulent.fillna(False).astype(bool) & m.uitkomst.notna()], gemeente)
    total = len(y)
    return pd.DataFrame(
        [
            {"uitkomst": k, "label": label, "aantal": int((y.uitkomst == k).sum()), "aandeel": share(int((y.uitkomst == k).sum()), total)}
            for k, label in codes.UITKOMST_18PLUS.items()
        ]
    )
