"""Jongeren in een kwetsbare positie: where they are at the overstap and 1, 3 and 5 years
later (the report's Grafiek 7), from the JIKP-dashboard figures in extern/."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from lerenwerkt import codes, fmt, render
from lerenwerkt.chapters.base import scope_naam, titel_blok
from lerenwerkt.indicators import jikp as ind
from lerenwerkt.plots import STYLE

#: Colours per daginvulling: education in blues, work dark, benefits and 'none' grey.
KLEUR = dict(zip(codes.JIKP_DAGINVULLING, ["#9dbbe0", "#4f7cac", "#c6d7ec", "#1b365d", "#8c8c8c", "#5a5a5a", "#d9d9d9"]))


def titel(*, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    return titel_blok("Jongeren in een kwetsbare positie", schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie)


def _bron(reg) -> str:
    return ", ".join(sorted(set(reg["jikp"].bron))) or "JIKP-dashboard"


def grafiek(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    d = ind.daginvulling(reg["jikp"], schooljaar=schooljaar, gemeente=gemeente)
    if d.empty or d.aantal.sum() == 0:
        return render.paragraph("Voor dit schooljaar zijn geen JIKP-cijfers aangeleverd.")
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(2, 2, figsize=(8.5, 5.6), sharex=True, layout="constrained")
    for ax, pos in zip(np.ravel(axes), codes.JIKP_STARTPOSITIE):
        sub = d[d.startpositie == pos]
        momenten = sorted(sub.meetmoment.unique())
        left = np.zeros(len(momenten))
        for dag in codes.JIKP_DAGINVULLING:
            vals = np.array([sub[(sub.meetmoment == m) & (sub.daginvulling == dag)].aandeel.sum() for m in momenten])
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
    handles, labels = np.ravel(axes)[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=4, frameon=False, fontsize=8)
    return render.figure(fig, titel=f"Grafiek 7 Daginvulling naar startpositie — {scope_naam(gemeente)}", bron=_bron(reg))


def tabel(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    s = ind.samenvatting(reg["jikp"], schooljaar=schooljaar, gemeente=gemeente)
    if s.empty:
        return render.Block("")
    frame = s.assign(
        rij=[f"{codes.JIKP_STARTPOSITIE[p]} | {'overstap' if m == 0 else f'{m} jaar later'}" for p, m in zip(s.startpositie, s.meetmoment)]
    ).set_index("rij")
    frame = frame[["jongeren", "onderwijs_pct", "mbo_2_plus_pct", "uitstroom_werk_pct", "uitstroom_uitkering_pct", "uitstroom_niet_in_beeld_pct"]]
    frame.index.name = None
    frame.columns = ["Jongeren", "In onderwijs", "Mbo 2 of hoger", "Uitgestroomd: werk", "Uitgestroomd: uitkering", "Uitgestroomd: niet in beeld"]
    return render.table(
        frame,
        titel=f"Daginvulling van jongeren in een kwetsbare positie — {scope_naam(gemeente)}",
        bron=_bron(reg),
        uid="jikp",
        pct_columns=list(frame.columns[1:]),
        totaal_rows=(),
    )


def duiding(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    s = ind.samenvatting(reg["jikp"], schooljaar=schooljaar, gemeente=gemeente)
    if s.empty:
        return render.Block("")
    een = s[s.meetmoment == 1].set_index("startpositie")
    if een.empty:
        een = s[s.meetmoment == s.meetmoment.min()].set_index("startpositie")
    zinnen = []
    for pos in ("entree", "vmbo_bb"):
        if pos in een.index:
            r = een.loc[pos]
            zinnen.append(
                f"{codes.JIKP_STARTPOSITIE[pos]}: een jaar na de overstap zit {fmt.procent(r.onderwijs_pct)} nog in het onderwijs, {fmt.procent(r.mbo_2_plus_pct)} op mbo niveau 2 of hoger."
            )
    for pos in ("pro", "vso"):
        if pos in een.index:
            r = een.loc[pos]
            zinnen.append(
                f"{codes.JIKP_STARTPOSITIE[pos]}: een jaar na de overstap zit {fmt.procent(r.onderwijs_pct)} in het onderwijs; van wie uitstroomt werkt {fmt.procent(r.uitstroom_werk_pct)}, heeft {fmt.procent(r.uitstroom_uitkering_pct)} alleen een uitkering en is {fmt.procent(r.uitstroom_niet_in_beeld_pct)} niet in beeld."
            )
    if gemeente:
        n = int(s.jongeren.sum())
        zinnen.append(
            f"Het gaat in {gemeente} om kleine aantallen (samen {fmt.getal(n)} jongeren over alle startposities en meetmomenten): percentages kunnen sterk schommelen."
        )
    return render.bullets(zinnen)
