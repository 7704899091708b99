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


def _png(fig) -> bytes:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


_BARS = {
    "hue, dodged, one withheld": pd.DataFrame(
        {
            "schooljaar": ["2022-2023", "2023-2024", "2024-2025"] * 3,
            "soort": ["absoluut"] * 3 + ["relatief"] * 3 + ["luxe"] * 3,
            "aantal": [30, 40, 35, 200, 210, 190, 10, 12, None],
        }
    ),
    "hue with a missing combination": pd.DataFrame(
        {"schooljaar": ["2023-2024", "2024-2025", "2024-2025"], "soort": ["nieuw", "nieuw", "oud"], "aantal": [120, 110, 7]}
    ),
    "categorical order, one bar per category": pd.DataFrame(
        {"schooljaar": pd.Categorical(["2024-2025", "2022-2023", "2023-2024"], categories=["2022-2023", "2023-2024", "2024-2025"]), "aantal": [3, 8, 5]}
    ),
    "numbers as categories": pd.DataFrame({"schooljaar": [17, 5, 12, 12], "soort": ["a", "a", "a", "b"], "aantal": [4.0, 9.0, 2.0, 6.0]}),
}


@pytest.mark.parametrize("case", list(_BARS))
def test_bars_draw_what_seaborn_barplot_draws(case):
    """The house bars (Matplotlib's ``bar``, no estimator) are seaborn's ``barplot`` of the
    same counts, pixel for pixel: order, dodge, widths, desaturated colours, legend."""
    import seaborn as sns

    data = _BARS[case]
    hue = "soort" if "soort" in data else None
    colors = plots.PALETTE[: data[hue].nunique()] if hue else plots.PALETTE[0]
    images = []
    for own in (False, True):
        fig, ax = render.new_figure()
        with sns.axes_style("ticks"):
            if own:
                handles = plots._bars(ax, data, cat="schooljaar", value="aantal", hue=hue, colors=colors)
            else:
                sns.barplot(
                    data=data, x="schooljaar", y="aantal", hue=hue, palette=colors if hue else None, color=None if hue else colors, errorbar=None, ax=ax
                )
                handles = None
        if hue:
            ax.legend(handles=handles, title=None, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        ax.set_xlabel("")
        ax.set_ylabel("Aantal")
        images.append(_png(fig))
    assert images[0] == images[1]


def test_horizontal_bars_draw_what_seaborn_barplot_draws():
    import seaborn as sns

    data = pd.DataFrame({"categorie": ["Weer naar school", plots.WAARVAN + "met startkwalificatie", "Verhuisd", "Overig"], "aantal": [40.0, 12.0, None, 7.0]})
    kleur = {c: plots.PALETTE[2] if c.startswith(plots.WAARVAN) else plots.PALETTE[1] for c in data.categorie}
    images = []
    for own in (False, True):
        fig, ax = render.new_figure()
        if own:
            plots._bars(ax, data, cat="categorie", value="aantal", hue="categorie", colors=kleur, orient="y")
        else:
            sns.barplot(data=data, x="aantal", y="categorie", hue="categorie", palette=kleur, legend=False, errorbar=None, ax=ax)
        ax.set_xlabel("Aantal")
        ax.set_ylabel("")
        images.append(_png(fig))
    assert images[0] == images[1]


def test_a_figure_is_laid_out_once_and_looks_as_savefig_lays_it_out():
    """``render.figure`` lays the figure out once and draws it once; the picture is the one
    ``savefig`` makes with its silent layout draw before the real one (a Grafiek-7-like 2×2 figure with a
    legend outside, the hardest layout in the drafts)."""
    import base64
    import re
    from unittest import mock

    import numpy as np

    def make():
        with plt.rc_context(plots.STYLE):
            fig, axes = plt.subplots(2, 2, figsize=(8.5, 5.6), sharex=True, layout="constrained")
        for i, ax in enumerate(np.ravel(axes)):
            ax.barh(["1 jaar", "2 jaar", "overstap"], [30 + i, 50, 20], label="onderwijs")
            ax.barh(["1 jaar", "2 jaar", "overstap"], [70 - i, 50, 80], left=[30 + i, 50, 20], label="werk")
            ax.set_title(f"Startpositie {i}")
        fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="outside lower center", ncol=2, frameon=False)
        return fig

    expected = _png(make())
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    with (
        mock.patch.object(ConstrainedLayoutEngine, "execute", autospec=True, side_effect=ConstrainedLayoutEngine.execute) as execute,
        mock.patch.object(Figure, "draw", autospec=True, side_effect=Figure.draw) as draw,
    ):
        block = render.figure(make(), titel="Grafiek", bron="test")
    assert (execute.call_count, draw.call_count) == (1, 1)
    data = re.search(r'base64,([^"]+)"', block.markup).group(1)
    assert base64.b64decode(data) == expected
