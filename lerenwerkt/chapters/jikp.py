"""Jongeren in een kwetsbare positie: the most recent cohort at its overstap (a catalogue
table of counts, protected like every register table), and where jongeren are at the overstap
and 1, 3 and 5 years later (the report's Grafiek 7), from the JIKP-dashboard figures in extern/.

In openbaar the counts of the cohort at its overstap appear only in the protected cohort
table: the chart, the shares and the text then leave out the overstap (meetmoment 0) and
show no counts, so they cannot give back a withheld cell.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from lerenwerkt import codes, fmt, gate, render, text
from lerenwerkt import tables as tb
from lerenwerkt.chapters.base import scope_naam, titel_blok
from lerenwerkt.indicators import jikp as ind
from lerenwerkt.plots import STYLE

#: Colours per daginvulling: education in blues, work dark, benefits and 'none' grey.
KLEUR = dict(zip(codes.JIKP_DAGINVULLING, ["#9dbbe0", "#4f7cac", "#c6d7ec", "#1b365d", "#8c8c8c", "#5a5a5a", "#d9d9d9"]))


#: A JIKP share withheld in openbaar (its group or part is too small), in running text.
NIET_GEPUBLICEERD_PCT = "een niet gepubliceerd deel (kleine aantallen)"


def titel(*, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    return titel_blok("Jongeren in een kwetsbare positie", schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie)


def _bron(reg) -> str:
    return ", ".join(sorted(set(reg["jikp"].bron))) or "JIKP-dashboard"


def _openbaar(publicatie: str) -> bool:
    return gate.drempel(publicatie) is not None


def cohort(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """The most recent JIKP cohort: jongeren per startpositie by daginvulling in the year of the
    overstap (catalogue table ``jikp_cohort``, through the disclosure gate)."""
    t = gate.publish(tb.jikp_cohort, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=gemeente)
    f, m = t.frame, t.onderdrukt
    if not f[codes.TOTAAL].fillna(0).any() and (m is None or not m.to_numpy().any()):
        return render.paragraph("Voor dit schooljaar zijn geen JIKP-cijfers van een cohort aangeleverd.")
    k = gate.drempel(publicatie)
    tot_hidden = m is not None and bool(m.at[codes.TOTAAL, codes.TOTAAL])
    totaal = None if tot_hidden else text.aantal_eenheid(int(f.at[codes.TOTAAL, codes.TOTAAL]), "jongeren", drempel=k)
    zinnen = []
    if totaal is not None:
        uit = f" uit {gemeente}" if gemeente else ""
        zinnen.append(f"Voor het meest recente cohort ontving LerenWerkt de namen van {totaal}{uit} met een kwetsbare overstap.")
    onderwijs = f.at[codes.TOTAAL, "Onderwijs"]
    hidden = m is not None and (bool(m.at[codes.TOTAAL, "Onderwijs"]) or tot_hidden)
    if not hidden and totaal is not None and text.deelbaar(int(onderwijs), int(f.at[codes.TOTAAL, codes.TOTAAL]), drempel=k):
        zinnen.append(f"In het jaar van de overstap volgt {text.aandeel(int(onderwijs), int(f.at[codes.TOTAAL, codes.TOTAAL]), drempel=k)} van hen onderwijs.")
    tab = render.table(
        f,
        titel=f"{t.titel} — {scope_naam(gemeente)}",
        bron=t.bron,
        uid=t.id,
        onderdrukt=m,
        noot="Onderwijs: mbo niveau 1, mbo niveau 2 of hoger of ander onderwijs; Werk: werk, ook samen met een uitkering.",
    )
    return render.paragraph(*zinnen) + tab


def _daginvulling(reg, *, schooljaar: str, gemeente: str | None, publicatie: str):
    """Grafiek 7's shares; in openbaar only the bars (startpositie × meetmoment) of at least
    k jongeren whose every share may be published (:func:`lerenwerkt.text.deelbaar`): a
    share of a group gives its count back (n × p)."""
    d = ind.daginvulling(reg["jikp"], schooljaar=schooljaar, gemeente=gemeente)
    if not _openbaar(publicatie) or not len(d):
        return d
    k = gate.drempel(publicatie)
    d = d[d.meetmoment != 0]
    n = d.groupby(["startpositie", "meetmoment"]).aantal.transform("sum")
    ok = pd.Series([n_ >= k and text.deelbaar(int(v), int(n_), drempel=k) for v, n_ in zip(d.aantal, n)], index=d.index)
    ok = ok.groupby([d.startpositie, d.meetmoment]).transform("all")
    return d[ok]


#: The shares of :func:`lerenwerkt.indicators.jikp.samenvatting`: (part, base) as daginvullingen.
_DELEN = {
    "onderwijs_pct": (tuple(ind.ONDERWIJS), None),
    "mbo_2_plus_pct": (("mbo_2_plus",), None),
    "uitstroom_werk_pct": (("werk", "werk_en_uitkering"), "uit"),
    "uitstroom_uitkering_pct": (("uitkering",), "uit"),
    "uitstroom_niet_in_beeld_pct": (("geen_van_beide",), "uit"),
}


def _samenvatting(reg, *, schooljaar: str, gemeente: str | None, publicatie: str):
    """Per startpositie and meetmoment the shares; in openbaar a share is withheld (NaN) when
    its group has fewer than k jongeren or its part or rest (n × p) is 1..k-1."""
    s = ind.samenvatting(reg["jikp"], schooljaar=schooljaar, gemeente=gemeente)
    if not _openbaar(publicatie) or not len(s):
        return s
    k = gate.drempel(publicatie)
    s = s[s.meetmoment != 0].copy()
    d = ind.daginvulling(reg["jikp"], schooljaar=schooljaar, gemeente=gemeente)
    for i, r in s.iterrows():
        a = d[(d.startpositie == r.startpositie) & (d.meetmoment == r.meetmoment)].set_index("daginvulling").aantal
        total = int(a.sum())
        uit = total - int(a.reindex(list(ind.ONDERWIJS), fill_value=0).sum())
        for col, (delen, basis) in _DELEN.items():
            part = int(a.reindex(list(delen), fill_value=0).sum())
            base = uit if basis else total
            if total < k or not text.deelbaar(part, base, drempel=k) or not text.deelbaar(uit, total, drempel=k):
                s.at[i, col] = np.nan
    return s


def grafiek(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    d = _daginvulling(reg, schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie)
    geleverd = d if publicatie == "intern" else _daginvulling(reg, schooljaar=schooljaar, gemeente=gemeente, publicatie="intern")
    if geleverd.empty or geleverd.aantal.sum() == 0:
        return render.paragraph("Voor dit schooljaar zijn geen JIKP-cijfers aangeleverd.")
    # in openbaar a startpositie whose bars are all withheld keeps its panel, with a note
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(2, 2, figsize=(8.5, 5.6), sharex=True, layout="constrained")
    for ax, pos in zip(np.ravel(axes), codes.JIKP_STARTPOSITIE):
        sub = d[d.startpositie == pos]
        momenten = sorted(sub.meetmoment.unique())
        if not momenten:  # every bar of this startpositie withheld (openbaar)
            ax.text(50, 0.5, "niet gepubliceerd:\nkleine aantallen", ha="center", va="center", fontsize=8, transform=ax.get_xaxis_transform())
            ax.set_yticks([])
        left = np.zeros(len(momenten))
        aandeel = sub.groupby(["meetmoment", "daginvulling"]).aandeel.sum()
        for dag in codes.JIKP_DAGINVULLING:
            vals = np.array([aandeel.get((m, dag), 0.0) for m in momenten], dtype=float)
            ax.barh(
                [f"{m} jaar" if m else "overstap" for m in momenten],
                vals,
                left=left,
                color=KLEUR[dag],
                label=codes.JIKP_DAGINVULLING[dag],
                edgecolor="white",
                linewidth=0.5,
            )
            left += vals
        ax.set_title(codes.JIKP_STARTPOSITIE[pos])
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: fmt.procent(v)))
    legenda = {}
    for ax in np.ravel(axes):
        for h, lab in zip(*ax.get_legend_handles_labels()):
            legenda.setdefault(lab, h)
    handles, labels = list(legenda.values()), list(legenda)
    fig.legend(handles, labels, loc="outside lower center", ncol=4, frameon=False, fontsize=8)
    return render.figure(fig, titel=f"Grafiek 7 Daginvulling naar startpositie — {scope_naam(gemeente)}", bron=_bron(reg))


def tabel(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    s = _samenvatting(reg, schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie)
    if s.empty:
        return render.Block("")
    frame = s.assign(
        rij=[f"{codes.JIKP_STARTPOSITIE[p]} | {'overstap' if m == 0 else f'{m} jaar later'}" for p, m in zip(s.startpositie, s.meetmoment)]
    ).set_index("rij")
    frame = frame[["jongeren", "onderwijs_pct", "mbo_2_plus_pct", "uitstroom_werk_pct", "uitstroom_uitkering_pct", "uitstroom_niet_in_beeld_pct"]]
    frame.index.name = None
    frame.columns = ["Jongeren", "In onderwijs", "Mbo 2 of hoger", "Uitgestroomd: werk", "Uitgestroomd: uitkering", "Uitgestroomd: niet in beeld"]
    mask = None
    if _openbaar(publicatie):  # no counts beside the cohort table's protected ones
        frame = frame.drop(columns="Jongeren")
        mask = frame.isna()
    return render.table(
        frame,
        titel=f"Daginvulling van jongeren in een kwetsbare positie — {scope_naam(gemeente)}",
        bron=_bron(reg),
        uid="jikp",
        pct_columns=[c for c in frame.columns if c != "Jongeren"],
        totaal_rows=(),
        onderdrukt=mask,
    )


def duiding(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    s = _samenvatting(reg, schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie)
    if s.empty:
        return render.Block("")
    een = s[s.meetmoment == 1].set_index("startpositie")
    if een.empty:
        een = s[s.meetmoment == s.meetmoment.min()].set_index("startpositie")
    zinnen = []

    def pct(v) -> str:  # a share withheld in openbaar
        return NIET_GEPUBLICEERD_PCT if v != v else fmt.procent(v)

    for pos in ("entree", "vmbo_bb"):
        if pos in een.index:
            r = een.loc[pos]
            zinnen.append(
                f"{codes.JIKP_STARTPOSITIE[pos]}: een jaar na de overstap zit {pct(r.onderwijs_pct)} nog in het onderwijs, {pct(r.mbo_2_plus_pct)} op mbo niveau 2 of hoger."
            )
    for pos in ("pro", "vso"):
        if pos in een.index:
            r = een.loc[pos]
            zinnen.append(
                f"{codes.JIKP_STARTPOSITIE[pos]}: een jaar na de overstap zit {pct(r.onderwijs_pct)} in het onderwijs; van wie uitstroomt werkt {pct(r.uitstroom_werk_pct)}, heeft {pct(r.uitstroom_uitkering_pct)} alleen een uitkering en is {pct(r.uitstroom_niet_in_beeld_pct)} niet in beeld."
            )
    if gemeente and _openbaar(publicatie):
        zinnen.append(f"Het gaat in {gemeente} om kleine aantallen: percentages kunnen sterk schommelen.")
    elif gemeente:
        n = int(s.jongeren.sum())
        zinnen.append(
            f"Het gaat in {gemeente} om kleine aantallen (samen {text.aantal_eenheid(n, 'jongeren')} over alle startposities en meetmomenten): percentages kunnen sterk schommelen."
        )
    return render.bullets(zinnen)
