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


def bewaar(ax, data: pd.DataFrame) -> None:
    """Keep the numbers a chart draws with its figure, for ``block.frame``
    (:func:`lerenwerkt.render.figure`); several charts in one figure: their rows together."""
    fig = ax.figure
    eerder = getattr(fig, "_lw_cijfers", None)
    data = data.reset_index(drop=True)
    fig._lw_cijfers = data if eerder is None else pd.concat([eerder, data], ignore_index=True)


def cijfers(fig) -> pd.DataFrame | None:
    """The numbers the chart functions drew in this figure (:func:`bewaar`), or None."""
    return getattr(fig, "_lw_cijfers", None)


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots()
    return ax


def _order(values: pd.Series) -> list:
    """The levels of a categorical variable in seaborn's order: a Categorical's categories,
    else numbers sorted, else the order of first appearance; never a missing value."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        levels = list(values.cat.categories)
    else:
        levels = list(pd.unique(values))
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            levels = sorted(levels)
    return [v for v in levels if pd.notna(v)]


def _bars(ax, data: pd.DataFrame, *, cat: str, value: str, hue: str | None, colors, orient: str = "x") -> list:
    """Bars of already aggregated counts, drawn as ``seaborn.barplot(..., errorbar=None,
    saturation=.75)`` draws them (category order, dodged hue bars of width 0,8/levels,
    desaturated colours, axis limits), with Matplotlib's ``bar`` directly: seaborn's
    estimator machinery costs ~60 ms a chart and has nothing to estimate here. A withheld
    (NaN) value keeps its place: a bar of height 0 whose data value stays NaN, so that
    ``_label_bars`` draws the publication symbol where the bar would be (withheld and
    missing look different: a category or hue level without a row gets no bar and no sign).
    One BarContainer per hue level, in order. Returns legend handles (one per hue level)."""
    import matplotlib.patches as mpatches
    import numpy as np

    levels = _order(data[cat])
    position = {level: i for i, level in enumerate(levels)}
    hue_levels = _order(data[hue]) if hue else [None]
    if hue:
        palette = colors if isinstance(colors, dict) else dict(zip(hue_levels, colors))
        # seaborn dodges only when some category holds more than one hue level
        dodge = data[[cat, hue]].dropna().drop_duplicates().shape[0] != data[cat].dropna().nunique()
    else:
        palette, dodge = {None: colors}, False
    width = 0.8 / len(hue_levels) if dodge else 0.8
    bar = ax.bar if orient == "x" else ax.barh
    shown = data.dropna(subset=[c for c in (cat, hue) if c])
    handles = []
    for i, level in enumerate(hue_levels):
        color = sns.desaturate(palette[level], 0.75)
        part = shown if level is None else shown[shown[hue] == level]
        means = part[value].astype(float).groupby([position[v] for v in part[cat]], sort=True).mean()
        centres = means.index.to_numpy(dtype=float) + ((i + 0.5) * width - 0.4 if dodge else 0.0)
        edges = centres - width / 2
        sizes = means.to_numpy(dtype=float)
        drawn = np.nan_to_num(sizes, nan=0.0)  # a withheld value: no height, its place kept
        if orient == "x":
            container = bar(x=edges, height=drawn, width=width, align="edge", color=color, facecolor=color)
        else:
            container = bar(y=edges, width=drawn, height=width, align="edge", color=color, facecolor=color)
        container.datavalues = sizes
        handles.append(mpatches.Rectangle((0, 0), 0, 0, facecolor=color, label=str(level)))
    axis = ax.xaxis if orient == "x" else ax.yaxis
    axis.set_ticks(range(len(levels)), [str(v) for v in levels])
    axis.grid(False)
    if orient == "x":
        ax.set_xlim(-0.5, len(levels) - 0.5, auto=None)
    else:
        ax.set_ylim(len(levels) - 0.5, -0.5, auto=None)
    return handles


def _label_bars(ax) -> bool:
    """Value labels on bars; a suppressed (NaN) value is labelled with the publication symbol
    at its bar's place (the bar has height 0 there, :func:`_bars`). Returns whether the symbol
    was used (then the chart needs its legend)."""
    import math

    import numpy as np

    from lerenwerkt.disclosure import rules

    used = False
    for container in ax.containers:
        if not hasattr(container, "datavalues"):
            continue
        values = np.asarray(container.datavalues, dtype=float)
        labels = [rules().symbool if math.isnan(v) else fmt.getal(v) for v in values]
        used = used or rules().symbool in labels
        # Matplotlib blanks the label of a NaN value: label the bar's place (height 0) instead
        container.datavalues = np.nan_to_num(values, nan=0.0)
        try:
            for text in ax.bar_label(container, labels=labels, padding=2, fontsize=8):
                if text.get_text() == rules().symbool:  # the sign alone must be seen
                    text.set_fontsize(12)
                    text.set_fontweight("bold")
        finally:
            container.datavalues = values
    return used


#: Font size of a chart's footnote (the legend of the withheld-cell symbol).
VOETNOOT_GROOTTE = 7


def _uitleg(fig=None) -> str:
    """The legend of the withheld-cell symbol, wrapped to the figure's width (at the
    footnote's font size a character is at most 0,62 of the size wide: DejaVu Sans)."""
    import textwrap

    breedte = 90 if fig is None else int(fig.get_figwidth() * 72 / (VOETNOOT_GROOTTE * 0.62))
    return "\n".join(textwrap.wrap(fmt.tekens_uitleg(onderdrukt=True), breedte))


def voetnoot(ax, tekst: str):
    """A footnote under the whole figure, from its left edge and wrapped to its width, so that
    it is never cut off at the figure's edge (an axis label is centred under the axes, which
    sit right of long category labels). Constrained layout makes room for it. Returns the Text."""
    fig = ax.figure
    return fig.supxlabel(tekst, x=0.01, ha="left", fontsize=VOETNOOT_GROOTTE, color="#333333")


def heeft_interval(ax) -> bool:
    """Whether the chart draws an interval (error bars): its source then says "lijn: 95%-interval"."""
    from matplotlib.container import ErrorbarContainer

    return any(isinstance(c, ErrorbarContainer) for c in ax.containers)


def bars_per_jaar(
    data: pd.DataFrame, *, x: str = "schooljaar", y: str = "aantal", hue: str | None = None, ax=None, ylabel: str = "Aantal meldingen", interval: bool = False
):
    """Bars of counts per schooljaar, optionally grouped by ``hue``; ``interval`` adds the
    exact 95%-Poisson interval of each count (how much a count this size varies by chance)."""
    ax = _axes(ax)
    bewaar(ax, data[[c for c in (x, hue, y) if c]])
    with sns.axes_style("ticks"):
        handles = _bars(ax, data, cat=x, value=y, hue=hue, colors=PALETTE[: data[hue].nunique()] if hue else PALETTE[0])
    if interval and not hue and data[y].notna().any():  # an interval around every shown count, none around a hidden one
        import numpy as np

        from lerenwerkt.stats import poisson_ci

        values = ax.containers[0].datavalues.astype(float)
        centers = np.array([p.get_x() + p.get_width() / 2 for p in ax.containers[0].patches])
        shown = ~np.isnan(values)
        lo, hi = poisson_ci(values[shown])
        ax.errorbar(centers[shown], values[shown], yerr=[values[shown] - lo, hi - values[shown]], fmt="none", ecolor=PALETTE[4], elinewidth=1, capsize=3)
    withheld = _label_bars(ax) or bool(data[y].isna().any())  # a withheld count: its bar's place shows the symbol
    ax.set_xlabel("")
    if withheld:
        voetnoot(ax, _uitleg(ax.figure))
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: fmt.getal(v)))
    if hue:
        ax.legend(handles=handles, title=None, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax


#: Prefix of a row that is a part of the row above it ("waarvan", indented).
WAARVAN = "\u2003waarvan "


def bars_horizontal(data: pd.DataFrame, *, x: str = "aantal", y: str = "categorie", ax=None, xlabel: str = "Aantal meldingen"):
    """Horizontal bars, one per category (e.g. the results of Diagram 1). A category that
    starts with :data:`WAARVAN` is a part of the category above it: an indented label and a
    lighter bar."""
    ax = _axes(ax)
    bewaar(ax, data[[y, x]].assign(**{y: data[y].astype(str).str.replace(WAARVAN, "waarvan ", regex=False)}))
    deel = data[y].astype(str).str.startswith(WAARVAN)
    kleur = {c: (PALETTE[2] if d else PALETTE[1]) for c, d in zip(data[y], deel)}
    _bars(ax, data, cat=y, value=x, hue=y, colors=kleur, orient="y")
    for tick in ax.get_yticklabels():
        if tick.get_text().startswith(WAARVAN):
            tick.set_fontstyle("italic")
            tick.set_fontsize(8)
    withheld = _label_bars(ax) or bool(data[x].isna().any())
    ax.set_ylabel("")
    ax.set_xlabel(xlabel)
    if withheld:
        voetnoot(ax, _uitleg(ax.figure))
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: fmt.getal(v)))
    return ax


def funnel_phi(rates: pd.DataFrame) -> float:
    """Overdispersion φ of the gemeenten's rates around the region's (Spiegelhalter 2005,
    winsorised z-scores; :func:`lerenwerkt.stats.funnel_dispersion`)."""
    from lerenwerkt import codes
    from lerenwerkt.stats import funnel_dispersion

    region = rates[rates.gemeente == codes.REGIO].iloc[0]
    g = rates[rates.gemeente != codes.REGIO]
    count = g["aantal"] if "aantal" in g else g["meldingen"]
    shown = count.notna()  # withheld counts (openbaar) do not enter
    return funnel_dispersion(count[shown], g.leerplichtigen[shown], rate=region.per_1000)


def funnel_buiten(rates: pd.DataFrame, *, verborgen=()) -> pd.DataFrame:
    """Each shown gemeente against limits estimated without it (leave-one-out, additive random
    effects: :func:`lerenwerkt.stats.funnel_leave_one_out`); withheld counts do not enter."""
    from lerenwerkt import codes
    from lerenwerkt.stats import funnel_leave_one_out

    g = rates[(rates.gemeente != codes.REGIO) & ~rates.gemeente.isin(list(verborgen))]
    count = g["aantal"] if "aantal" in g else g["meldingen"]
    g = g[count.notna()]
    count = count[count.notna()]
    return funnel_leave_one_out(count.to_numpy(), g.leerplichtigen.to_numpy()).assign(gemeente=g.gemeente.to_numpy())


def _funnel_tau2(rates: pd.DataFrame, verborgen=()) -> float:
    """τ² for the drawn limits: the median of the leave-one-out estimates (one outlier cannot set it)."""
    import numpy as np

    loo = funnel_buiten(rates, verborgen=verborgen)
    return float(np.median(loo.tau2)) if len(loo) else 0.0


def funnel_bijschrift(rates: pd.DataFrame, *, verborgen=()) -> str:
    """The funnel's caption in Dutch: which limits, how they were estimated, and which
    gemeenten lie outside — never a claim that a difference is 'toeval'."""
    loo = funnel_buiten(rates, verborgen=verborgen)
    base = "Grenzen: 95% (gestreept) en 99,8% (gestippeld) rond het regionale cijfer, naar het aantal leerplichtigen per gemeente."
    uitleg = (
        f"{base} Gemeenten verschillen ook door registratie en beleid; de grenzen rekenen daarom met een spreiding tussen gemeenten "
        "(additief random-effectsmodel, Spiegelhalter 2005), per gemeente geschat zonder die gemeente zelf, zodat een uitschieter "
        "zijn eigen grenzen niet verbreedt."
    )
    buiten = loo[loo["buiten_0.998"]].gemeente.tolist()
    if buiten:
        return f"{uitleg} Buiten de 99,8%-grens: {fmt.lijst(buiten)}."
    return f"{uitleg} Geen gemeente ligt buiten de 99,8%-grens; binnen de grenzen is een verschil niet aan te tonen, niet uitgesloten."


def funnel(rates: pd.DataFrame, *, highlight: str | None = None, ax=None, ylabel: str = "Per 1.000 leerplichtigen", overdispersie: bool = True, verborgen=()):
    """Funnel plot: each gemeente's rate against its population, with the regional rate and
    the 95% and 99,8% control limits around it: additive random effects, ± z·√(θ/n + τ²) with τ²
    the median of the leave-one-out estimates (:func:`funnel_buiten`; τ² = 0: exact Poisson
    limits; ``overdispersie=False`` keeps the Poisson limits). ``rates`` as returned by :func:`lerenwerkt.indicators.rates.per_1000`
    (last row: the region). ``verborgen``: gemeenten whose count disclosure control withholds:
    not drawn (their rate beside the public population would give the count back)."""
    import numpy as np

    from lerenwerkt import codes
    from lerenwerkt.stats import funnel_limits_re

    ax = _axes(ax)
    region = rates[rates.gemeente == codes.REGIO].iloc[0]
    g = rates[rates.gemeente != codes.REGIO]
    tau2 = _funnel_tau2(rates, verborgen) if overdispersie else 0.0
    n = np.linspace(max(g.leerplichtigen.min() * 0.8, 100), g.leerplichtigen.max() * 1.1, 200)
    widened = " (+τ²)" if tau2 > 0 else ""
    for lv, style, color in ((0.95, "--", PALETTE[3]), (0.998, ":", PALETTE[4])):
        lo, hi = funnel_limits_re(region.per_1000, n, tau2=tau2, levels=(lv,))[lv]
        ax.plot(n, lo, style, color=color, lw=1, label=f"{fmt.procent(lv * 100, decimalen=1 if lv > 0.99 else 0)}-grens{widened}")
        ax.plot(n, hi, style, color=color, lw=1)
    ax.axhline(region.per_1000, color=PALETTE[1], lw=1, label=f"regio {fmt.getal(region.per_1000, decimalen=1)}")
    shown = g[~g.gemeente.isin(list(verborgen))]
    bewaar(ax, pd.concat([shown, rates[rates.gemeente == codes.REGIO]]))  # a withheld gemeente is not drawn: not in its numbers either
    ax.scatter(shown.leerplichtigen, shown.per_1000, color=PALETTE[0], zorder=3, s=22)
    ax.set_xlabel("Leerplichtigen (5 tot 18 jaar)")
    ax.set_ylabel(ylabel)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: fmt.getal(v)))
    legend = ax.legend(loc="upper right", fontsize=7)
    place_labels(ax, shown.leerplichtigen.tolist(), shown.per_1000.tolist(), shown.gemeente.tolist(), bold={highlight}, avoid=[legend])
    return ax


#: Where a point's label may go, in points from the point: right-above first, then around it.
_OFFSETS = [(3, 3), (3, -11), (-3, 3), (-3, -11), (3, 13), (3, -21), (-3, 13), (-3, -21), (3, 23), (3, -31), (-3, 23), (-3, -31), (3, 33), (3, -41)]


def place_labels(ax, xs, ys, labels, *, bold=(), fontsize: float = 7, avoid=()) -> list:
    """Label points so that no two labels overlap (nor a label and the artists in ``avoid``,
    e.g. the legend): each label takes the first position around its point whose box — as
    the renderer measures it, after the figure's layout — is free; when none is, the one that
    overlaps least. Labels do not move the layout. Returns the Text objects."""
    from lerenwerkt import claims

    if claims.collecting():  # a draft's first pass: the chart is thrown away
        return []
    fig = ax.figure
    fig.draw_without_rendering()  # the final layout first: boxes are measured where they will be drawn
    renderer = fig.canvas.get_renderer()
    placed = [a.get_window_extent(renderer).expanded(1.02, 1.1) for a in avoid]
    axes_box = ax.get_window_extent(renderer)
    texts = []
    order = sorted(range(len(labels)), key=lambda i: (-ys[i], xs[i]))
    for i in order:
        best = None
        for dx, dy in _OFFSETS:
            t = ax.annotate(
                labels[i],
                (xs[i], ys[i]),
                xytext=(dx, dy),
                textcoords="offset points",
                fontsize=fontsize,
                ha="left" if dx >= 0 else "right",
                fontweight="bold" if labels[i] in set(bold) else "normal",
            )
            t.set_in_layout(False)
            box = t.get_window_extent(renderer).expanded(1.04, 1.1)
            overlap = sum(_area(box, p) for p in placed) + (0 if _inside(box, axes_box) else box.width * box.height / 4)
            if best is None or overlap < best[0]:
                if best is not None:
                    best[1].remove()
                best = (overlap, t, box)
            else:
                t.remove()
            if overlap == 0:
                break
        texts.append(best[1])
        placed.append(best[2])
    return texts


def _area(a, b) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def _inside(box, outer) -> bool:
    return box.x0 >= outer.x0 and box.x1 <= outer.x1 and box.y0 >= outer.y0 and box.y1 <= outer.y1
