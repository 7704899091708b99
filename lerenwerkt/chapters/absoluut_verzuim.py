"""Research notebook: absoluut verzuim (durations, re-enrolment, rates, nieuwkomers).

Research is internal work on case-level durations; it is never published as is, so it has
no 'openbaar' version (functions accept ``publicatie`` and always work intern)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from lerenwerkt import codes, fmt, plots, render, text
from lerenwerkt import schooljaar as sj
from lerenwerkt.chapters.base import scope_naam, titel_blok
from lerenwerkt.indicators import verzuim
from lerenwerkt.plots import PALETTE
from lerenwerkt.research import absoluut_verzuim as av


def titel(*, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    return titel_blok("Onderzoek absoluut verzuim", schooljaar=schooljaar, gemeente=gemeente, soort="onderzoeksnotebook", publicatie="intern")


def inleiding(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """The change in absoluut verzuim and in its 'geen onderwijs' part, from the data."""
    vm = reg["verzuimmeldingen"]
    vorig = sj.shift(schooljaar, -1)
    alle = verzuim.verandering(vm, schooljaar=schooljaar, vorig=vorig, gemeente=gemeente, verzuimsoort="absoluut").iloc[0]
    geen = verzuim.verandering(vm, schooljaar=schooljaar, vorig=vorig, gemeente=gemeente, verzuimsoort="absoluut", onderwijssoorten=("geen",)).iloc[0]
    return render.bullets(
        [
            text.verandering(f"Het absoluut verzuim in {scope_naam(gemeente)}", nieuw=int(alle.huidig), oud=int(alle.vorig)),
            text.verandering("Het deel ‘geen onderwijs’", nieuw=int(geen.huidig), oud=int(geen.vorig)),
        ]
    )


def _years(reg, schooljaar: str) -> list[str]:
    present = set(reg["verzuimmeldingen"].schooljaar)
    return [y for y in (sj.shift(schooljaar, -2), sj.shift(schooljaar, -1), schooljaar) if y in present]


def overzicht(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """Meldingen and unique children per onderwijssoort, age band and nieuwkomer status."""
    out = render.Block("")
    years = _years(reg, schooljaar)
    for by, label in (("onderwijssoort", "Soort onderwijs"), ("leeftijdsband", "Leeftijd bij melding"), ("nieuwkomer", "Nieuwkomer")):
        o = av.overzicht(reg["verzuimmeldingen"], schooljaren=years, by=by, gemeente=gemeente)
        if by == "onderwijssoort":
            o = o.assign(onderwijssoort=o.onderwijssoort.map(codes.ONDERWIJSSOORT))
        f = o.pivot(index=by, columns="schooljaar", values=["meldingen", "kinderen"])
        f.columns = pd.MultiIndex.from_tuples([("Meldingen" if a == "meldingen" else "Kinderen", y) for a, y in f.columns])
        f.index.name = None
        out += render.table(f, titel=f"Absoluut verzuim naar {label.lower()} — {scope_naam(gemeente)}", bron="JVS", uid=f"av-{by}", totaal_rows=())
    return out


def per_gemeente(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """Rates per 1.000 leerplichtigen with exact 95%-intervals, and a funnel plot."""
    r = av.rates(reg["verzuimmeldingen"], reg["bevolking"], schooljaar=schooljaar)
    fig, ax = render.new_figure(height=3.8)
    plots.funnel(r.rename(columns={"meldingen": "aantal"}), highlight=gemeente, ax=ax, ylabel="Meldingen per 1.000")
    chart = render.figure(fig, titel=f"Funnelplot absoluut verzuim per 1.000 leerplichtigen {schooljaar}", bron="JVS; CBS StatLine")
    frame = r.set_index("gemeente")
    frame.index.name = None
    frame = frame.assign(**{c: frame[c].map(lambda v: fmt.getal(v, decimalen=1)) for c in ("per_1000", "ci_laag", "ci_hoog")}).rename(
        columns={
            "meldingen": "Meldingen",
            "leerplichtigen": "Leerplichtigen",
            "per_1000": "Per 1.000",
            "ci_laag": "95%-interval laag",
            "ci_hoog": "95%-interval hoog",
        }
    )
    tab = render.table(
        frame,
        titel="Absoluut verzuim per 1.000 leerplichtigen (exact Poisson-interval)",
        bron="JVS; CBS StatLine",
        uid="av-rates",
        highlight_rows=[gemeente] if gemeente else (),
        totaal_rows=(codes.REGIO,),
    )
    return chart + tab


def duur(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """Kaplan–Meier curves of the time to re-enrolment by nieuwkomer status and onderwijssoort."""
    d = av.duur(reg["verzuimmeldingen"], schooljaar=schooljaar, gemeente=gemeente)
    if d.empty:
        return render.paragraph("Geen meldingen absoluut verzuim in dit schooljaar.")
    out = render.Block("")
    for by, label in (("nieuwkomer", "nieuwkomer"), ("onderwijssoort", "soort onderwijs")):
        curves, med = av.kaplan_meier(d, by=by)
        fig, ax = render.new_figure(height=3.4)
        for i, (name, c) in enumerate(curves.groupby("groep", sort=True)) if not curves.empty else []:
            color = PALETTE[i % len(PALETTE)]
            ax.step(np.r_[0, c.dagen], np.r_[1, c.nog_niet_ingeschreven] * 100, where="post", color=color, label=name)
            ax.fill_between(np.r_[0, c.dagen], np.r_[1, c.ci_laag.fillna(0)] * 100, np.r_[1, c.ci_hoog.fillna(1)] * 100, step="post", color=color, alpha=0.15)
        ax.set_xlabel("Dagen na de melding")
        ax.set_ylabel("Nog niet ingeschreven")
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: fmt.procent(v)))
        ax.set_ylim(0, 100)
        ax.legend(fontsize=7, loc="upper right")
        out += render.figure(fig, titel=f"Tijd tot herinschrijving naar {label} (Kaplan–Meier) — {scope_naam(gemeente)}", bron="JVS")
        frame = _median_frame(med.set_index("groep"), {"n": "Meldingen", "heringeschreven": "Heringeschreven"}, "Mediaan (dagen)")
        out += render.table(frame, titel=f"Mediane duur tot herinschrijving naar {label}", bron="JVS", uid=f"av-km-{by}", totaal_rows=())
    t = av.vergelijk(d, by="nieuwkomer", a="nieuwkomer", b="geen nieuwkomer")
    if not np.isnan(t["p"]):
        out += render.paragraph(
            f"Log-rank toets nieuwkomers ({fmt.getal(t['n_a'])}) tegen overige kinderen ({fmt.getal(t['n_b'])}): "
            f"toetsgrootheid {fmt.getal(t['statistiek'], decimalen=2)}, p = {fmt.getal(t['p'], decimalen=3)}."
        )
    return out


def _median_frame(frame: pd.DataFrame, counts: dict[str, str], mediaan: str) -> pd.DataFrame:
    """A Kaplan–Meier median table with Dutch headers; a median not reached says so."""
    names = {**counts, "mediaan": mediaan, "ci_laag": "95%-interval laag", "ci_hoog": "95%-interval hoog"}
    out = frame[list(names)].rename(columns=names)
    out = out.assign(**{c: out[c].map(lambda v: fmt.getal(v) if pd.notna(v) else "niet bereikt") for c in (mediaan, "95%-interval laag", "95%-interval hoog")})
    out.index.name = None
    return out


def uitkomsten(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    u = verzuim.uitstroom_absoluut(reg["verzuimmeldingen"], schooljaar=schooljaar, gemeente=gemeente)
    frame = u.set_index("label")[["aantal", "aandeel"]].rename(columns={"aantal": "Meldingen", "aandeel": "Aandeel"})
    frame.index.name = None
    data = pd.DataFrame({"categorie": u.label, "aantal": u.aandeel})
    fig, ax = render.new_figure(height=2.6)
    plots.bars_horizontal(data, ax=ax, xlabel="Aandeel van de meldingen (%)")
    return render.figure(fig, titel=f"Absoluut verzuim aan het eind van het schooljaar — {scope_naam(gemeente)}", bron="JVS") + render.table(
        frame, titel="Uitkomst op 31 juli", bron="JVS", uid="av-uitkomst", pct_columns=["Aandeel"], totaal_rows=()
    )


def geen_onderwijs(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    g = av.geen_onderwijs(reg["verzuimmeldingen"], schooljaar=schooljaar, gemeente=gemeente)
    if g.empty:
        return render.paragraph("Geen meldingen in de groep ‘geen onderwijs’.")
    frame = _median_frame(
        g.set_index("gemeente"), {"meldingen": "Meldingen", "nog_wachtend_31_juli": "Nog niet ingeschreven op 31 juli"}, "Mediane wachttijd (dagen)"
    )
    return render.table(
        frame,
        titel=f"‘Geen onderwijs’: waar en hoe lang wachten zij op een school? {schooljaar}",
        bron="JVS",
        uid="av-geen",
        highlight_rows=[gemeente] if gemeente else (),
        totaal_rows=(),
    )
