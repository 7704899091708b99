"""Charts: funnel labels never overlap (measured with the renderer's text boxes), and a
chart that shows the withheld-cell symbol explains it."""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from lerenwerkt import codes, fmt, plots, render
from lerenwerkt.indicators import rates


def _label_boxes(ax):
    fig = ax.figure
    fig.draw_without_rendering()
    r = fig.canvas.get_renderer()
    names = set(codes.GEMEENTEN)
    texts = [t for t in ax.texts if t.get_text() in names]
    return texts, [t.get_window_extent(r) for t in texts], ax.get_legend().get_window_extent(r)


def _overlap(a, b) -> bool:
    return min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.y1, b.y1) > max(a.y0, b.y0)


def _crowded() -> pd.DataFrame:
    """Nine gemeenten almost on one spot (the worst case for labels)."""
    rows = [{"gemeente": g, "aantal": 40 + i, "leerplichtigen": 5000 + 10 * i, "per_1000": 8.0 + 0.02 * i} for i, g in enumerate(codes.GEMEENTEN)]
    rows.append({"gemeente": codes.REGIO, "aantal": 400, "leerplichtigen": 46000, "per_1000": 8.2})
    return pd.DataFrame(rows)


def _shipped_rates(shipped):
    vm = shipped["verzuimmeldingen"]
    return rates.per_1000(vm[vm.verzuimsoort != "informatie_advies"], shipped["bevolking"], schooljaar="2024-2025")


@pytest.mark.parametrize("case", ["shipped", "crowded"])
def test_funnel_labels_do_not_overlap(shipped, case):
    r = _shipped_rates(shipped) if case == "shipped" else _crowded()
    fig, ax = render.new_figure(height=3.6)
    plots.funnel(r, highlight="Aalten", ax=ax)
    texts, boxes, legend = _label_boxes(ax)
    assert sorted(t.get_text() for t in texts) == sorted(codes.GEMEENTEN)  # every gemeente labelled once
    for (ta, a), (tb_, b) in itertools.combinations(zip(texts, boxes), 2):
        assert not _overlap(a, b), f"{ta.get_text()} overlaps {tb_.get_text()}"
    assert not any(_overlap(b, legend) for b in boxes), "a label covers the legend"
    plt.close(fig)


def test_the_crowded_case_would_overlap_without_placement():
    """The test above has teeth: with the old fixed offset (3, 3) for every label, the crowded
    case's labels lie on top of each other."""
    fig, ax = render.new_figure(height=3.6)
    plots.funnel(_crowded(), ax=ax)
    texts, _, _ = _label_boxes(ax)
    for t in texts:
        t.set_position((3, 3))
        t.set_horizontalalignment("left")
    _, boxes, _ = _label_boxes(ax)
    assert any(_overlap(a, b) for a, b in itertools.combinations(boxes, 2))
    plt.close(fig)


def test_a_chart_with_a_withheld_bar_explains_the_symbol():
    data = pd.DataFrame({"schooljaar": ["2023-2024", "2024-2025"], "aantal": [12.0, float("nan")]})
    fig, ax = render.new_figure()
    plots.bars_per_jaar(data, ax=ax)
    assert ax.get_xlabel().replace("\n", " ") == fmt.tekens_uitleg(onderdrukt=True)
    plt.close(fig)
    fig, ax = render.new_figure()
    plots.bars_per_jaar(data.fillna(3), ax=ax)
    assert ax.get_xlabel() == ""
    plt.close(fig)
