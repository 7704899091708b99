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
    assert _voetnoot(fig) == fmt.tekens_uitleg(onderdrukt=True)
    plt.close(fig)
    fig, ax = render.new_figure()
    plots.bars_per_jaar(data.fillna(3), ax=ax)
    assert _voetnoot(fig) == ""
    plt.close(fig)


def _voetnoot(fig) -> str:
    """The figure's footnote as one line ('' when it has none)."""
    t = fig._supxlabel
    return "" if t is None else " ".join(t.get_text().split())


def _texts(ax) -> dict[str, list]:
    return {t.get_text(): [u for u in ax.texts if u.get_text() == t.get_text()] for t in ax.texts}


def test_a_withheld_bar_shows_the_symbol_at_its_place_and_a_missing_one_nothing():
    """A withheld count (NaN) vanished with its bar: now the symbol stands where the bar would
    be, on the axis at the bar's centre. A combination without a row (not delivered, no such
    group) gets no bar and no sign: withheld and missing look different."""
    from lerenwerkt.disclosure import rules

    teken = rules().symbool
    data = pd.DataFrame(
        {
            "schooljaar": ["2022-2023", "2023-2024", "2024-2025", "2022-2023", "2023-2024"],
            "soort": ["luxe", "luxe", "luxe", "overig", "overig"],
            "aantal": [10.0, float("nan"), 14.0, 30.0, 35.0],
        }
    )  # overig 2024-2025: no row (missing); luxe 2023-2024: withheld
    fig, ax = render.new_figure()
    plots.bars_per_jaar(data, hue="soort", ax=ax)
    tekens = [t for t in ax.texts if t.get_text() == teken]
    assert len(tekens) == 1
    luxe = ax.containers[0]
    plek = luxe.patches[1]  # luxe, 2023-2024
    x, y = tekens[0].xy
    assert x == pytest.approx(plek.get_x() + plek.get_width() / 2) and y == pytest.approx(0.0)
    assert sorted(t.get_text() for t in ax.texts if t.get_text() != teken) == ["10", "14", "30", "35"]
    assert len(ax.containers[1].patches) == 2  # the missing combination: no bar, no sign
    plt.close(fig)
    # horizontal (Diagram 1): the symbol at the category's place
    data = pd.DataFrame({"categorie": ["Terug naar school", "Vrijstelling", "Overig"], "aantal": [40.0, float("nan"), 7.0]})
    fig, ax = render.new_figure()
    plots.bars_horizontal(data, ax=ax)
    tekens = [t for t in ax.texts if t.get_text() == teken]
    assert len(tekens) == 1 and tekens[0].xy[1] == pytest.approx(1.0) and tekens[0].xy[0] == pytest.approx(0.0)
    plt.close(fig)


def test_the_footnote_of_diagram_1_fits_in_the_figure():
    """Diagram 1's legend of the symbol was an axis label centred under axes that sit right of
    the long 'waarvan' labels: cut off at the figure's right edge. Every text of the chart now
    lies inside the figure, the footnote included."""
    data = pd.DataFrame(
        {
            "categorie": ["Terug naar school", "Vrijstelling", "Overig", plots.WAARVAN + "verhuisd naar een andere regio", plots.WAARVAN + "andere reden"],
            "aantal": [120.0, float("nan"), 80.0, 30.0, float("nan")],
        }
    )
    fig, ax = render.new_figure(height=3.2)
    plots.bars_horizontal(data, ax=ax)
    fig.draw_without_rendering()
    r = fig.canvas.get_renderer()
    teksten = [ax.xaxis.label, *ax.texts, *ax.get_yticklabels(), *([fig._supxlabel] if fig._supxlabel else [])]
    assert _voetnoot(fig) == fmt.tekens_uitleg(onderdrukt=True)
    for t in teksten:
        box = t.get_window_extent(r)
        assert box.x0 >= fig.bbox.x0 - 0.5 and box.x1 <= fig.bbox.x1 + 0.5 and box.y0 >= fig.bbox.y0 - 0.5, t.get_text()
    plt.close(fig)


@pytest.mark.parametrize("waarden", [[30.0, 41.0, 52.0], [30.0, float("nan"), 52.0], [float("nan")] * 3])
def test_the_source_names_the_interval_line_only_where_one_is_drawn(waarden):
    """Grafiek 2's source said "lijn: 95%-interval" also when no line was drawn (one withheld
    year removed every interval). An interval stands around every shown count, none around a
    withheld one, and the source names the line only when the chart has one."""
    from matplotlib.container import ErrorbarContainer

    from lerenwerkt.chapters import verzuim

    frame = pd.DataFrame([waarden], index=["Absoluut verzuim"], columns=["2022-2023", "2023-2024", "2024-2025"])
    captured = {}
    orig = plots.bars_per_jaar

    def spy(*a, **kw):
        captured["ax"] = orig(*a, **kw)
        return captured["ax"]

    import unittest.mock as mock

    with mock.patch.object(plots, "bars_per_jaar", spy), mock.patch.object(render, "figure", wraps=render.figure) as figure:
        block = verzuim._per_jaar_chart(frame, titel_="Grafiek 2 Absoluut verzuim", hue=False)
    bars = [c for c in captured["ax"].containers if isinstance(c, ErrorbarContainer)]
    shown = sum(v == v for v in waarden)
    lijnen = len(bars[0].lines[2][0].get_segments()) if bars else 0
    assert lijnen == shown
    assert ("lijn: 95%-interval" in block.markup) == (shown > 0)
    assert figure.call_count == 1


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
