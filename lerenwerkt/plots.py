"""Charts in one house style: muted blues that stay distinguishable in grey-scale print.

Plot functions take data first and keyword-only options, accept ``ax=None`` and return the
Axes (seaborn's convention). They plot aggregated counts, so no bootstrap error bars.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from lerenwerkt import fmt

#: Dark to light: the order survives grey-scale printing (distinct luminance).
PALETTE = ["#1b365d", "#4f7cac", "#9dbbe0", "#c9c9c9", "#6b6b6b"]
STYLE = {
    "figure.figsize": (6.4, 3.4),
    "figure.dpi": 100,
    "savefig.dpi": 110,
    "font.size": 9.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "legend.frameon": False,
    "svg.hashsalt": "lerenwerkt",
}


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots()
    return ax


def _label_bars(ax) -> None:
    for container in ax.containers:
        ax.bar_label(container, labels=[fmt.getal(v) for v in container.datavalues], padding=2, fontsize=8)


def bars_per_jaar(data: pd.DataFrame, *, x: str = "schooljaar", y: str = "aantal", hue: str | None = None, ax=None, ylabel: str = "Aantal meldingen"):
    """Bars of counts per schooljaar, optionally grouped by ``hue``."""
    ax = _axes(ax)
    with sns.axes_style("ticks"):
        sns.barplot(
            data=data, x=x, y=y, hue=hue, palette=PALETTE[: data[hue].nunique()] if hue else None, color=None if hue else PALETTE[0], errorbar=None, ax=ax
        )
    _label_bars(ax)
    ax.set_xlabel("")
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: fmt.getal(v)))
    if hue:
        ax.legend(title=None, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax


def bars_horizontal(data: pd.DataFrame, *, x: str = "aantal", y: str = "categorie", ax=None, xlabel: str = "Aantal meldingen"):
    """Horizontal bars, one per category (e.g. the results of Diagram 1)."""
    ax = _axes(ax)
    sns.barplot(data=data, x=x, y=y, color=PALETTE[1], errorbar=None, ax=ax)
    _label_bars(ax)
    ax.set_ylabel("")
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: fmt.getal(v)))
    return ax
