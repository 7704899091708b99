"""Research notebook: absoluut verzuim (durations, re-enrolment, rates, nieuwkomers).

Research is internal work on case-level durations; it is never published as is, so it has
no 'openbaar' version (functions accept ``publicatie`` and always work intern)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from lerenwerkt import claims, codes, fmt, plots, render, text
from lerenwerkt import schooljaar as sj
from lerenwerkt.chapters.base import leerplichtigen_label, methode_blok, scope_naam, titel_blok
from lerenwerkt.indicators import verzuim
from lerenwerkt.plots import PALETTE
from lerenwerkt.research import absoluut_verzuim as av


def titel(*, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    return titel_blok("Onderzoek absoluut verzuim", schooljaar=schooljaar, gemeente=gemeente, soort="onderzoeksnotebook", publicatie="intern")


@claims.draft
def inleiding(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """The change in absoluut verzuim and in its 'geen onderwijs' part, from the data."""
    vm = reg["verzuimmeldingen"]
    vorig = sj.shift(schooljaar, -1)
    alle = verzuim.verandering(vm, schooljaar=schooljaar, vorig=vorig, gemeente=gemeente, verzuimsoort="absoluut").iloc[0]
    geen = verzuim.verandering(vm, schooljaar=schooljaar, vorig=vorig, gemeente=gemeente, verzuimsoort="absoluut", onderwijssoorten=("geen",)).iloc[0]
    return render.bullets(
        [
            text.verandering(
                f"Het absoluut verzuim in {scope_naam(gemeente)}",
                nieuw=int(alle.huidig),
                oud=int(alle.vorig),
                jaren=(vorig, schooljaar),
                spreiding=claims.spreiding_records(vm[vm.verzuimsoort == "absoluut"], schooljaar=schooljaar),
                exposure=claims.leerplichtigen(reg, schooljaar=schooljaar, gemeente=gemeente),
            ),
            text.verandering(
                "Het deel ‘geen onderwijs’",
                nieuw=int(geen.huidig),
                oud=int(geen.vorig),
                jaren=(vorig, schooljaar),
                spreiding=claims.spreiding_records(vm[(vm.verzuimsoort == "absoluut") & (vm.onderwijssoort == "geen")], schooljaar=schooljaar),
                exposure=claims.leerplichtigen(reg, schooljaar=schooljaar, gemeente=gemeente),
            ),
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
    noemer = leerplichtigen_label(reg, schooljaar=schooljaar)
    ax.set_xlabel(noemer)
    chart = render.figure(fig, titel=f"Funnelplot absoluut verzuim per 1.000 leerplichtigen {schooljaar}", bron="JVS; CBS StatLine")
    chart += render.paragraph(plots.funnel_bijschrift(r.rename(columns={"meldingen": "aantal"})))
    frame = r.set_index("gemeente")
    frame.index.name = None
    frame = frame.assign(**{c: frame[c].map(lambda v: fmt.getal(v, decimalen=1)) for c in ("per_1000", "ci_laag", "ci_hoog")}).rename(
        columns={
            "meldingen": "Meldingen",
            "leerplichtigen": noemer,
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
    """Competing risks: the cumulative incidence (Aalen–Johansen) of re-enrolment and of each
    competing end, stacked to 100% with 'nog open'; the share re-enrolled after 30, 90 and 180
    days per group with Gray-type tests; Kaplan–Meier only for the time until a melding ends."""
    d = av.duur(reg["verzuimmeldingen"], schooljaar=schooljaar, gemeente=gemeente)
    if d.empty:
        return render.paragraph("Geen meldingen absoluut verzuim in dit schooljaar.")
    out = render.Block("")
    c = av.cif(d)
    days = np.arange(0, int(d.dagen.max()) + 1)
    layers = []
    for key, (label, _) in av.GEBEURTENISSEN.items():
        h = c[c.gebeurtenis == key]
        idx = np.searchsorted(h.dag.to_numpy(), days, side="right") - 1
        layers.append((label, np.where(idx >= 0, h.cif.to_numpy()[np.maximum(idx, 0)] if len(h) else 0.0, 0.0) * 100))
    fig, ax = render.new_figure(height=3.4)
    ax.stackplot(days, *[v for _, v in layers], 100 - sum(v for _, v in layers), labels=[*(lb for lb, _ in layers), "nog open"], colors=PALETTE, step="post")
    ax.set_xlabel("Dagen na de melding")
    ax.set_ylabel("Aandeel van de meldingen")
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: fmt.procent(v)))
    ax.set_ylim(0, 100)
    ax.set_xlim(0, days[-1])
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    out += render.figure(
        fig, titel=f"Hoe meldingen absoluut verzuim eindigen, naar dagen na de melding (cumulatieve incidentie) — {scope_naam(gemeente)}", bron="JVS"
    )
    out += render.paragraph(
        "Elke laag is de cumulatieve incidentie (Aalen–Johansen) van één einde; samen met ‘nog open’ telt het op tot 100%. "
        "Een kind dat verhuist of 18 wordt, kan daarna niet meer hier heringeschreven worden: die einden concurreren met herinschrijving "
        "en tellen niet als ‘nog niet ingeschreven’."
    )
    rows = []
    for by, label in ((None, "Alle meldingen"), ("nieuwkomer", "Nieuwkomer"), ("onderwijssoort", "Soort onderwijs"), ("gemeente", "Gemeente")):
        if by == "gemeente" and gemeente is not None:
            continue
        a = av.aandeel_heringeschreven(d, by=by)
        for r in a.itertuples():
            rows.append(
                {
                    "Indeling": label,
                    "Groep": "alle" if by is None else r.groep,
                    "Meldingen": fmt.getal(r.meldingen),
                    **{
                        f"Na {t} dagen": f"{fmt.procent(getattr(r, f'na_{t}'))} ({fmt.procent(getattr(r, f'na_{t}_laag'))}–{fmt.procent(getattr(r, f'na_{t}_hoog'))})"
                        for t in (30, 90, 180)
                    },
                }
            )
    frame = pd.DataFrame(rows).set_index(["Indeling", "Groep"])
    frame.index.names = [None, None]
    out += render.table(
        frame,
        titel="Aandeel heringeschreven na 30, 90 en 180 dagen (cumulatieve incidentie, 95%-interval)",
        bron="JVS",
        uid="av-cif",
        totaal_rows=(),
        noot=f"Groepen met minder dan {av.MIN_GROEP} meldingen zijn weggelaten.",
    )
    toetsen = []
    for by, label in (("nieuwkomer", "nieuwkomers en overige kinderen"), ("onderwijssoort", "soorten onderwijs"), ("gemeente", "gemeenten")):
        if by == "gemeente" and gemeente is not None:
            continue
        t = av.gray(d, by=by)
        if np.isfinite(t["p"]):
            toetsen.append(
                f"Verschil in herinschrijving tussen {label} ({text.aantal_eenheid(int(t['groepen']), 'groepen')}, {text.aantal_eenheid(int(t['meldingen']), 'meldingen')}): "
                f"χ² = {fmt.getal(t['statistiek'], decimalen=1)} bij {t['df']} vrijheidsgraden, p = {fmt.getal(t['p'], decimalen=3)}."
            )
    out += render.paragraph(
        "Toets (Gray-type, Fine & Gray 1999 voor volledig bekende censurering): vergelijkt het aandeel heringeschreven over de tijd, "
        "met de concurrerende einden meegerekend."
    ) + render.bullets(toetsen)
    curves, med = av.kaplan_meier(d, by="nieuwkomer")
    fig, ax = render.new_figure(height=3.0)
    for i, (name, cc) in enumerate(curves.groupby("groep", sort=True)):
        color = PALETTE[i % len(PALETTE)]
        ax.step(np.r_[0, cc.dagen], np.r_[1, cc.nog_open] * 100, where="post", color=color, label=name)
        ax.fill_between(np.r_[0, cc.dagen], np.r_[1, cc.ci_laag.fillna(0)] * 100, np.r_[1, cc.ci_hoog.fillna(1)] * 100, step="post", color=color, alpha=0.15)
    ax.set_xlabel("Dagen na de melding")
    ax.set_ylabel("Melding nog open")
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: fmt.procent(v)))
    ax.set_ylim(0, 100)
    ax.legend(fontsize=7, loc="upper right")
    out += render.figure(fig, titel=f"Tijd tot een melding eindigt, welk einde ook (Kaplan–Meier) — {scope_naam(gemeente)}", bron="JVS")
    frame = _median_frame(med.set_index("groep"), {"n": "Meldingen", "gebeurtenissen": "Geëindigd"}, "Mediane duur (dagen)")
    out += render.table(frame, titel="Mediane duur tot een melding eindigt", bron="JVS", uid="av-km", totaal_rows=())
    return out


@claims.draft
def methode(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """The method note on 'steeg' / 'daalde' and on dependence between meldingen."""
    return methode_blok() + render.paragraph(
        "Afhankelijkheid: meldingen van hetzelfde kind hangen samen. Per schooljaar telt alleen de eerste melding absoluut verzuim "
        "van een kind mee, zodat elke melding in de analyse van de duur een ander kind is."
    )


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
    frame = _median_frame(g.set_index("gemeente"), {"meldingen": "Meldingen", "nog_wachtend_31_juli": "Nog open op 31 juli"}, "Mediane wachttijd (dagen)")
    return render.table(
        frame,
        titel=f"‘Geen onderwijs’: waar en hoe lang wachten zij op een school? {schooljaar}",
        bron="JVS",
        uid="av-geen",
        highlight_rows=[gemeente] if gemeente else (),
        totaal_rows=(),
    )
