"""HTML building blocks for the chapter drafts: numbered tables and figures with their
source, self-contained (images embedded), deterministic (fixed ids, no timestamps).

Everything a notebook displays goes through here, so a draft shows only tables, charts
and text — never a repr, an identifier or a raw row.

Every block also carries its numbers for an analyst: ``block.frame`` is the DataFrame of its
table or chart (the first, when it holds several) and ``block.frames`` every one by caption —
the published numbers as shown, a withheld cell as NaN (never its value). In a notebook:
``b = hoofdstuk.absoluut(reg, **scope); b.frames`` (the cell shows the HTML; the numbers are
there to inspect and reuse).
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd

from lerenwerkt import fmt
from lerenwerkt.plots import STYLE


class Block:
    """An HTML fragment that Jupyter displays as ``text/html`` only, with the numbers of its
    tables and charts (:attr:`frames`, :attr:`frame`)."""

    def __init__(self, markup: str, frames: dict[str, pd.DataFrame] | None = None):
        self.markup = markup
        #: The numbers of each table and chart of the block, by caption, in order.
        self.frames: dict[str, pd.DataFrame] = dict(frames or {})

    @property
    def frame(self) -> pd.DataFrame | None:
        """The numbers of the block's table or chart (the first, when it holds several; None
        when it holds neither): published values, a withheld cell as NaN."""
        return next(iter(self.frames.values()), None)

    def _repr_html_(self) -> str:
        return self.markup

    def __add__(self, other: Block) -> Block:
        frames = dict(self.frames)
        for titel, f in other.frames.items():
            key, n = titel, 1
            while key in frames:  # one caption twice (a gemeente's and the region's chart)
                n += 1
                key = f"{titel} ({n})"
            frames[key] = f
        return Block(self.markup + other.markup, frames)

    def __repr__(self) -> str:
        return "<lerenwerkt.render.Block>"


def _cell(value, *, pct: bool, decimalen: int) -> str:
    if isinstance(value, str):
        return html.escape(value)
    if value is None or pd.isna(value):
        return fmt.ONBEKEND
    return fmt.procent(value, decimalen=decimalen) if pct else fmt.getal(value)


def _label(value) -> str:
    """A row or column label as HTML text: a label can come from the delivery (e.g. a
    kerncijfers ``indicator``), and pandas' Styler escapes the data cells only. Non-text labels
    (years, numbers) keep the Styler's own display."""
    from pandas.io.formats.style_render import _default_formatter

    if isinstance(value, str):
        return html.escape(value, quote=False)
    return html.escape(str(_default_formatter(value, precision=pd.get_option("styler.format.precision"))), quote=False)


#: Between the two parts of a flattened row label ("Achterhoek | 2023-2024").
STAPEL = " | "


def table(
    frame: pd.DataFrame,
    *,
    titel: str,
    bron: str,
    uid: str,
    pct_columns: Sequence = (),
    pct_decimalen: int = 0,
    highlight_rows: Sequence[str] = (),
    totaal_rows: Sequence[str] = ("Totaal",),
    onderdrukt: pd.DataFrame | None = None,
    noot: str = "",
    stapel: bool = True,
) -> Block:
    """A captioned table with Dutch number format and its source underneath. Cells marked
    in ``onderdrukt`` (disclosure control) show the publication symbol ("<5"). Every cell,
    label (both axes, every level), the caption, the source and the note are escaped text.
    A row label of two parts, "Vmbo-basis | 1 jaar later", is stacked as the report shows it
    (``stapel``): the first part once over its rows, the second beside it."""
    frame = frame.copy()
    cijfers = frame.copy()  # the numbers behind the table, for block.frame
    withheld = onderdrukt is not None and bool(onderdrukt.to_numpy().any())
    if withheld:
        from lerenwerkt.disclosure import rules

        mask = onderdrukt.reindex(index=frame.index, columns=frame.columns, fill_value=False).to_numpy(dtype=bool)
        frame = frame.astype(object).mask(mask, rules().symbool)
        cijfers = cijfers.mask(mask)  # a withheld cell is NaN, never its value
    onbekend = bool(frame.map(lambda v: not isinstance(v, str) and (v is None or bool(pd.isna(v)))).to_numpy().any())
    uitleg = fmt.tekens_uitleg(onderdrukt=withheld, onbekend=onbekend)
    if uitleg:
        noot = (noot + " " if noot else "") + uitleg
    frame.columns.names = [None] * frame.columns.nlevels
    pct_cols = [c for c in frame.columns if c in set(pct_columns)]
    classes = pd.DataFrame("", index=frame.index, columns=frame.columns)
    for rows, cls in ((highlight_rows, "lw-scope"), (totaal_rows, "lw-totaal")):
        for r in rows:
            if r in classes.index:
                classes.loc[r, :] = cls
    if stapel and frame.index.nlevels == 1 and any(isinstance(r, str) and STAPEL in r for r in frame.index):
        rijen = pd.MultiIndex.from_tuples([tuple(r.split(STAPEL, 1)) if isinstance(r, str) and STAPEL in r else (r, "") for r in frame.index])
        frame.index, classes.index = rijen, rijen
    styler = frame.style.format(lambda v: _cell(v, pct=False, decimalen=0))
    if pct_cols:
        styler = styler.format(lambda v: _cell(v, pct=True, decimalen=pct_decimalen), subset=pct_cols)
    styler = styler.set_uuid(uid).set_caption(html.escape(titel)).set_table_attributes('class="lw-tabel"')
    styler = styler.set_td_classes(classes)
    for axis, index in ((0, frame.index), (1, frame.columns)):  # every label, on both axes and every level
        styler = styler.format_index(_label, axis=axis, level=list(range(index.nlevels)))
    styler.index.names = [None] * frame.index.nlevels
    body = styler.to_html()
    extra = f'<figcaption class="lw-bron">{html.escape(noot)}</figcaption>' if noot else ""
    return Block(f'<figure class="lw-table">{body}<figcaption class="lw-bron">Bron: {html.escape(bron)}</figcaption>{extra}</figure>', {titel: cijfers})


def png(fig: plt.Figure) -> bytes:
    """The figure as PNG, as ``fig.savefig(format="png")`` makes it, drawn once: the Agg
    canvas draws the figure, which runs its constrained layout first. ``savefig`` draws
    every figure twice — a silent draw for the layout, then the real one — which is a third
    of a chart's cost in a build. Same dpi and colours as ``savefig`` (tested byte for byte)."""
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    dpi = mpl.rcParams["savefig.dpi"]
    facecolor, edgecolor = mpl.rcParams["savefig.facecolor"], mpl.rcParams["savefig.edgecolor"]
    if dpi != "figure":
        fig.set_dpi(dpi)
    if facecolor != "auto":
        fig.set_facecolor(facecolor)
    if edgecolor != "auto":
        fig.set_edgecolor(edgecolor)
    buf = io.BytesIO()
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.print_png(buf, metadata={"Software": None})
    return buf.getvalue()


def figure(fig: plt.Figure, *, titel: str, bron: str, frame: pd.DataFrame | None = None) -> Block:
    """A chart as an embedded PNG with its caption and source; closes the figure. Its numbers
    (``block.frame``): ``frame``, else what the chart functions of :mod:`lerenwerkt.plots` drew
    (:func:`lerenwerkt.plots.cijfers`)."""
    from lerenwerkt.plots import cijfers

    getekend = frame if frame is not None else cijfers(fig)
    data = base64.b64encode(png(fig)).decode("ascii")
    plt.close(fig)
    return Block(
        f'<figure class="lw-figure"><figcaption class="lw-titel">{html.escape(titel)}</figcaption>'
        f'<img alt="{html.escape(titel)}" src="data:image/png;base64,{data}"/>'
        f'<figcaption class="lw-bron">Bron: {html.escape(bron)}</figcaption></figure>',
        {} if getekend is None else {titel: getekend},
    )


def new_figure(width: float | None = None, height: float | None = None):
    """A figure in the house style (``plt.rc_context`` keeps the style local)."""
    with plt.rc_context(STYLE):
        size = (width or STYLE["figure.figsize"][0], height or STYLE["figure.figsize"][1])
        fig, ax = plt.subplots(figsize=size, layout="constrained")
    return fig, ax


def paragraph(*sentences: str) -> Block:
    return Block("<p>" + " ".join(html.escape(s) for s in sentences if s) + "</p>")


def bullets(items: Sequence[str]) -> Block:
    return Block("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items if i) + "</ul>")


def heading(text: str, level: int = 2) -> Block:
    return Block(f"<h{level}>{html.escape(text)}</h{level}>")
