"""Dutch number formatting and schooljaar arithmetic."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lerenwerkt import fmt, text
from lerenwerkt import schooljaar as sj


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [(1209, {}, "1.209"), (60210, {}, "60.210"), (0, {}, "0"), (2.25, {"decimalen": 1}, "2,2"), (math.nan, {}, "n.b.")],
)
def test_getal(value, kwargs, expected):
    assert fmt.getal(value, **kwargs) == expected


def test_procent_and_change():
    assert fmt.procent(1.84, decimalen=2) == "1,84%"
    assert fmt.procent(31.43) == "31%"
    assert fmt.verschil_procent(19.89) == "+20%"
    assert fmt.verschil_procent(-44.07) == "-44%"
    assert fmt.lijst(["a", "b", "c"]) == "a, b en c"


J = ("2023-2024", "2024-2025")


def test_text_uses_the_table_formatter():
    """A comparison names both schooljaren and the unit (not 'vergelijkbaar: 29 en 36')."""
    s = text.verandering("Het overig verzuim", nieuw=967, oud=738, jaren=J)
    assert s == "Het overig verzuim steeg van 738 meldingen in 2023-2024 naar 967 in 2024-2025 (+31%): een duidelijke stijging."
    # 76 -> 55: p = 0,08 in the exact conditional test: the numbers fell, and that may be chance
    s = text.verandering("Het luxe verzuim", nieuw=55, oud=76, jaren=J)
    assert s == "Het luxe verzuim daalde van 76 meldingen in 2023-2024 naar 55 in 2024-2025 (-28%); dit verschil kan toeval zijn."
    s = text.verandering("Het luxe verzuim", nieuw=30, oud=76, jaren=J)
    assert s == "Het luxe verzuim daalde van 76 meldingen in 2023-2024 naar 30 in 2024-2025 (-61%): een duidelijke daling."
    s = text.aandeel_verandering("Het aandeel", k_nieuw=380, n_nieuw=1209, k_oud=498, n_oud=1157, jaren=J)
    assert s == "Het aandeel daalde van 43% in 2023-2024 naar 31% in 2024-2025: een duidelijke daling."
    s = text.aandeel_verandering("Het aandeel", k_nieuw=10, n_nieuw=20, k_oud=11, n_oud=20, jaren=J)
    assert s == "Het aandeel daalde van 55% in 2023-2024 naar 50% in 2024-2025; bij zulke kleine aantallen kan dit toeval zijn."
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


def test_one_meaning_per_sign():
    from lerenwerkt.disclosure import rules

    # '.' is the withheld-cell symbol only: a missing value shows another sign
    assert rules().symbool != fmt.ONBEKEND
    assert fmt.getal(None) == fmt.procent(math.nan) == fmt.verschil_procent(math.nan) == fmt.ONBEKEND
    assert fmt.verschil_procent(-44.07).startswith("-")  # '-' only as a minus sign
    uitleg = fmt.tekens_uitleg(onderdrukt=True, onbekend=True)
    assert uitleg.startswith(f"{rules().symbool} = niet gepubliceerd") and f"{fmt.ONBEKEND} = niet bekend" in uitleg
    assert fmt.tekens_uitleg() == ""


def test_a_table_explains_the_signs_it_shows():
    from lerenwerkt import render
    from lerenwerkt.disclosure import rules

    frame = pd.DataFrame({"a": [1.0, math.nan], "b": [7.0, 8.0]}, index=["x", "y"])
    plain = render.table(frame.fillna(0), titel="T", bron="B", uid="t").markup
    assert "= niet bekend" not in plain and "= niet gepubliceerd" not in plain
    html = render.table(frame, titel="T", bron="B", uid="t").markup
    assert f">{fmt.ONBEKEND}<" in html and fmt.tekens_uitleg(onbekend=True) in html
    mask = pd.DataFrame({"a": [True, False], "b": [False, False]}, index=frame.index)
    html = render.table(frame, titel="T", bron="B", uid="t", onderdrukt=mask).markup
    assert f">{rules().symbool}<" in html and fmt.tekens_uitleg(onderdrukt=True, onbekend=True) in html


@pytest.mark.parametrize(
    ("n", "eenheid", "kwargs", "expected"),
    [
        (0, "vrijstellingen", {}, "geen vrijstellingen"),
        (1, "vrijstellingen", {}, "1 vrijstelling"),
        (2, "vrijstellingen", {}, "2 vrijstellingen"),
        (1209, "meldingen", {}, "1.209 meldingen"),
        (1, "nieuwe vsv'ers", {}, "1 nieuwe vsv'er"),
        (1, "unieke jongeren", {}, "1 unieke jongere"),
        (3, "meldingen", {"drempel": 5}, "een niet gepubliceerd aantal meldingen"),
        (40, "meldingen", {"drempel": 5, "verborgen": True}, "een niet gepubliceerd aantal meldingen"),
        (1, "keer", {}, "1 keer"),
    ],
)
def test_count_with_its_unit(n, eenheid, kwargs, expected):
    assert text.aantal_eenheid(n, eenheid, **kwargs) == expected


def test_change_sentences_say_geen_and_the_singular():
    s = text.verandering("Het aantal vrijstellingen", nieuw=1, oud=0, eenheid="vrijstellingen", jaren=J)
    assert s == "Het aantal vrijstellingen steeg van geen vrijstellingen in 2023-2024 naar 1 in 2024-2025; bij zulke kleine aantallen kan dit toeval zijn."
    assert "0 en" not in s and "1 vrijstellingen" not in s
    assert text.verandering("Het luxe verzuim", nieuw=0, oud=0, jaren=J) == "Het luxe verzuim: geen meldingen in 2023-2024 en in 2024-2025."
    assert text.verandering("Het luxe verzuim", nieuw=1, oud=1, jaren=J) == "Het luxe verzuim bleef gelijk: 1 melding in 2023-2024 en in 2024-2025."
    s = text.verandering("Het aantal processen-verbaal", nieuw=1, oud=2, eenheid="processen-verbaal", jaren=J)
    assert (
        s
        == "Het aantal processen-verbaal daalde van 2 processen-verbaal in 2023-2024 naar 1 in 2024-2025 (-50%); bij zulke kleine aantallen kan dit toeval zijn."
    )
    assert text.werkwoord(1) == "is" and text.werkwoord(0) == "zijn"


@pytest.mark.parametrize("order", [1, -1])
def test_remembered_formatting_equals_babel_for_every_value_and_order(order):
    """getal/procent remember Babel's output; the answer never depends on what was formatted
    before (0 and -0.0 are equal keys in a plain cache, 5 and 5.0 too)."""
    import random

    import numpy as np
    from babel.numbers import format_decimal, format_percent

    rng = random.Random(7)
    values = [0, -0.0, 0.0, -0.4, 0.5, 1.5, 2.5, -2.5, 2.675, 5, 5.0, np.int64(5), np.float64(-0.0), 1209, 10**16, 1e16]
    values += [rng.uniform(-1e5, 1e5) for _ in range(300)] + [rng.randint(-(10**6), 10**6) for _ in range(300)]
    fmt._babel.cache_clear()
    for v in values[::order] * 2:
        for d in (0, 1, 2):
            pattern = "#,##0" + ("." + "0" * d if d else "")
            assert fmt.getal(v, decimalen=d) == format_decimal(v, format=pattern, locale="nl_NL"), (v, d)
            assert fmt.procent(v, decimalen=d) == format_percent(v / 100.0, format=pattern + "%", locale="nl_NL"), (v, d)
