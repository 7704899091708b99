"""Dutch number formatting and schooljaar arithmetic."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lerenwerkt import fmt, text
from lerenwerkt import schooljaar as sj


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [(1209, {}, "1.209"), (60210, {}, "60.210"), (0, {}, "0"), (2.25, {"decimalen": 1}, "2,2"), (math.nan, {}, ".")],
)
def test_getal(value, kwargs, expected):
    assert fmt.getal(value, **kwargs) == expected


def test_procent_and_change():
    assert fmt.procent(1.84, decimalen=2) == "1,84%"
    assert fmt.procent(31.43) == "31%"
    assert fmt.verschil_procent(19.89) == "+20%"
    assert fmt.verschil_procent(-44.07) == "-44%"
    assert fmt.lijst(["a", "b", "c"]) == "a, b en c"


def test_text_uses_the_table_formatter():
    assert text.verandering("Het overig verzuim", nieuw=967, oud=738) == "Het overig verzuim steeg van 738 naar 967 meldingen (+31%)."
    # 76 -> 55: p = 0,08 in the exact conditional test, so no "daalde"
    assert text.verandering("Het luxe verzuim", nieuw=55, oud=76) == "Het luxe verzuim bleef vergelijkbaar: 76 en 55 meldingen (-28%, binnen de toevalsmarge)."
    assert text.verandering("Het luxe verzuim", nieuw=30, oud=76) == "Het luxe verzuim daalde van 76 naar 30 meldingen (-61%)."
    assert text.aandeel(380, 1209) == "31% (380)"


def test_schooljaar():
    dates = pd.Series(pd.to_datetime(["2024-07-31", "2024-08-01", "2025-07-31", None]))
    assert sj.of_dates(dates).tolist()[:3] == ["2023-2024", "2024-2025", "2024-2025"]
    assert pd.isna(sj.of_dates(dates).iloc[3])
    assert sj.end("2024-2025") == pd.Timestamp("2025-07-31")
    with pytest.raises(ValueError, match="schooljaar"):
        sj.parse("2024-2026")
    ages = sj.age_at(pd.Series(pd.to_datetime(["2007-02-28", "2008-02-29"])), pd.Timestamp("2025-02-28"))
    assert ages.tolist() == [18, 16]
