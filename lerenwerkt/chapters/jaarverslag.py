"""Data-driven sections of the published jaarverslag that the chapter drafts do not show:
Grafiek 1 (kinderen en jongeren over three years) with its toelichting, the Leerplichttelling
'Bevindingen', 'Achterhoek in landelijk perspectief' (DUO) and 'Begeleiding naar werk'
(kerncijfers). All from extern/ (public figures: not suppressed); direction words follow the
chapters' rule — a change is called a rise or fall only when a test says it is real.
"""

from __future__ import annotations

import html

import pandas as pd

from lerenwerkt import codes, fmt, plots, render, stats, text
from lerenwerkt import schooljaar as sj
from lerenwerkt.chapters.base import scope_naam
from lerenwerkt.indicators.common import in_scope

BANDEN = {"4": "4-jarigen", "5-15": "5 tot 16-jarigen", "16-17": "16 tot 18-jarigen", "18-22": "18 tot 23-jarigen"}


def _peildata(schooljaar: str, n: int = 3) -> list[pd.Timestamp]:
    last = sj.parse(schooljaar) + 1
    return [pd.Timestamp(f"{y}-01-01") for y in range(last - n + 1, last + 1)]


def grafiek1(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """Grafiek 1: kinderen en jongeren per leeftijdsgroep op drie peildata (CBS), with a
    toelichting generated from the same figures."""
    bev = in_scope(reg["bevolking"], gemeente)
    peil = [p for p in _peildata(schooljaar) if (bev.peildatum == p).any()]
    sub = bev[bev.peildatum.isin(peil) & bev.leeftijd.isin(BANDEN)]
    f = sub.groupby(["leeftijd", "peildatum"]).aantal.sum().unstack("peildatum").reindex(index=list(BANDEN), columns=peil)
    long = pd.DataFrame(
        [{"leeftijd": BANDEN[b], "schooljaar": f"1 jan {p.year}", "aantal": int(f.at[b, p])} for b in BANDEN for p in peil if pd.notna(f.at[b, p])]
    )
    fig, ax = render.new_figure()
    plots.bars_per_jaar(long, x="leeftijd", hue="schooljaar", ax=ax, ylabel="Aantal kinderen/jongeren")
    bron = "CBS StatLine op peildatum " + fmt.lijst([f"1 januari {p.year}" for p in peil])
    chart = render.figure(fig, titel=f"Grafiek 1 Ontwikkeling aantal kinderen/jongeren {scope_naam(gemeente)} over {len(peil)} schooljaren", bron=bron)
    return chart + render.heading("Toelichting", 4) + render.paragraph(*_toelichting_bevolking(f, peil))


def _toelichting_bevolking(f: pd.DataFrame, peil: list) -> list[str]:
    if len(peil) < 2:
        return ["Er is maar één peildatum aangeleverd: een ontwikkeling is nog niet te zien."]
    old, new = peil[-2], peil[-1]
    up = [BANDEN[b] for b in f.index if f.at[b, new] > f.at[b, old]]
    down = [BANDEN[b] for b in f.index if f.at[b, new] < f.at[b, old]]
    lp_old = int(f.loc[["5-15", "16-17"], old].sum())
    lp_new = int(f.loc[["5-15", "16-17"], new].sum())
    woord = "daalde" if lp_new < lp_old else "steeg" if lp_new > lp_old else "bleef gelijk"
    zinnen = [
        f"Het aantal kinderen en jongeren in de leer- of kwalificatieplichtige leeftijd (5 tot 18 jaar) {woord}"
        + (f" van {fmt.getal(lp_old)} naar {fmt.getal(lp_new)}." if woord != "bleef gelijk" else f" op {fmt.getal(lp_new)}.")
    ]
    if up:
        zinnen.append(
            f"Ten opzichte van een jaar eerder nam het aantal {fmt.lijst(up)} toe" + (f"; bij de {fmt.lijst(down)} was er een daling." if down else ".")
        )
    elif down:
        zinnen.append(f"Ten opzichte van een jaar eerder daalde het aantal in alle leeftijdsgroepen ({fmt.lijst(down)}).")
    zinnen.append("Het gaat om tellingen van de hele bevolking (CBS), geen steekproef.")
    return zinnen


# ------------------------------------------------------------------ Leerplichttelling: Bevindingen
LPT_VERGELIJK = {
    "absoluut_verzuim_pct": "Het absoluut verzuim",
    "relatief_verzuim_pct": "Het relatief verzuim",
    "vrijstelling_5a_pct": "Het aantal vrijstellingen op grond van artikel 5 onder a",
    "vrijstelling_5b_pct": "Het aantal vrijstellingen op grond van artikel 5 onder b",
}
BENCHMARK = ("Noord- en Midden-Drenthe", "IJssel-Vecht", "Kop van Noord-Holland")


def bevindingen(reg, *, schooljaar: str, publicatie: str = "intern") -> render.Block:
    """The Leerplichttelling 'Bevindingen': the Achterhoek against the benchmark regions and
    the country, latest year and over three years. Shares compared with Fisher's exact test on
    the counted pupils; 'hoger'/'lager' only when the difference is significant."""
    lpt = reg["leerplichttelling"]
    years = sorted(set(lpt.schooljaar[lpt.schooljaar <= sj.shift(schooljaar, -1)]))[-3:]
    if not years:
        return render.paragraph("Er zijn geen cijfers van de Leerplichttelling aangeleverd.")
    v = lpt.set_index(["regio", "schooljaar", "indicator"]).waarde
    last, first = years[-1], years[0]

    def share(regio, year, ind):
        n = v.get((regio, year, "n_leer_kwalificatieplichtigen"))
        p = v.get((regio, year, ind))
        return (None, None) if n is None or p is None or pd.isna(p) else (float(p), int(n))

    zinnen = []
    for ind, onderwerp in LPT_VERGELIJK.items():
        a, n_a = share("Achterhoek", last, ind)
        l_, n_l = share("Landelijk", last, ind)
        if a is None or l_ is None:
            continue
        p = stats.share_change_p(round(a * n_a / 100), n_a, round(l_ * n_l / 100), n_l)
        bench = [share(r, last, ind)[0] for r in BENCHMARK]
        bench = [b for b in bench if b is not None]
        cijfers = f" ({fmt.procent(a, decimalen=2)} tegen {fmt.procent(l_, decimalen=2)} in {last})"
        zin = f"{onderwerp} ligt in de Achterhoek " + text.vergelijk_landelijk(a, l_, p=p, cijfers=cijfers)
        if bench:
            pos = "boven" if a > max(bench) else "onder" if a < min(bench) else "tussen"
            zin += f"; het ligt {pos} de benchmarkregio's" + (
                f" ({fmt.procent(min(bench), decimalen=2)} tot {fmt.procent(max(bench), decimalen=2)})" if pos != "tussen" else ""
            )
        zinnen.append(zin + ".")
        a0, _ = share("Achterhoek", first, ind)
        l0, _ = share("Landelijk", first, ind)
        if first != last and a0 and l0:
            ca, cl = 100.0 * (a - a0) / a0, 100.0 * (l_ - l0) / l0
            zinnen.append(
                f"{onderwerp} veranderde in de Achterhoek van {first} tot {last} met {fmt.verschil_procent(ca)}, landelijk met {fmt.verschil_procent(cl)}."
            )
    return render.heading("Bevindingen", 3) + render.bullets(zinnen)


# ------------------------------------------------------------------ DUO: landelijk perspectief
def landelijk_perspectief(reg, *, schooljaar: str, publicatie: str = "intern") -> render.Block:
    """'Achterhoek in landelijk perspectief': the DUO vsv-percentages of the region against the
    country per onderwijssoort, latest year DUO has (one year's delay)."""
    duo = reg["duo_vsv"]
    years = sorted(set(duo.schooljaar[duo.schooljaar <= sj.shift(schooljaar, -1)]))
    if not years:
        return render.paragraph("Er zijn geen DUO-cijfers over voortijdig schoolverlaten aangeleverd.")
    last = years[-1]
    d = duo[duo.schooljaar == last].set_index(["gebied", "onderwijssoort"])
    zinnen = []
    for soort in codes.DUO_ONDERWIJSSOORT:
        if ("Achterhoek", soort) not in d.index or ("Landelijk", soort) not in d.index:
            continue
        a, l_ = d.loc[("Achterhoek", soort)], d.loc[("Landelijk", soort)]
        if pd.isna(a.percentage) or pd.isna(l_.percentage):
            continue
        naam = "in totaal" if soort == "totaal" else f"in het {soort}"
        n_a, n_l = round(100.0 * a.aantal / a.percentage), round(100.0 * l_.aantal / l_.percentage)
        p = stats.share_change_p(int(l_.aantal), n_l, int(a.aantal), n_a) if a.percentage and l_.percentage else 1.0
        cijfers = (
            f": {fmt.procent(a.percentage, decimalen=2)} ({text.aantal_eenheid(int(a.aantal), 'jongeren')}) tegen {fmt.procent(l_.percentage, decimalen=2)}"
        )
        zinnen.append(
            f"Het percentage nieuwe vsv'ers {naam} ligt in de Achterhoek " + text.vergelijk_landelijk(a.percentage, l_.percentage, p=p, cijfers=cijfers) + "."
        )
    bron = f"Bron: VSV dashboard (DUO), schooljaar {last}; DUO-cijfers hebben altijd één schooljaar vertraging."
    return render.heading("Achterhoek in landelijk perspectief", 3) + render.bullets(zinnen) + render.Block(f'<p class="lw-bron">{bron}</p>')


# ------------------------------------------------------------------ kerncijfers
#: Labels of the kerncijfers codes (docs/DATA_CONTRACT.md); other codes show as written.
KERNCIJFER = {
    "testen_afgenomen": "afgenomen beroepentesten",
    "beroepen_opleidingsdatabase_gebruikt": "keer dat de beroepen- en opleidingsdatabase is gebruikt",
    "begeleid_regionaal_programma_vsv": "jongeren begeleid in het regionale vsv-programma (naar opleiding, werk of een tussenstap)",
    "opstartbonussen": "ingezette opstartbonussen",
}
PROGRAMMAPLAN = ("begeleid_regionaal_programma_vsv", "opstartbonussen")


def begeleiding_naar_werk(reg, *, schooljaar: str, gemeente: str | None, publicatie: str = "intern") -> render.Block:
    """'Begeleiding naar werk': how many vsv'ers work (Tabel 5's Werk, new and earlier leavers,
    through the disclosure gate), and the hand-kept kerncijfers of the region, with the
    Programmaplan figures in their own paragraph when they are delivered."""
    from lerenwerkt import gate
    from lerenwerkt import tables as tb
    from lerenwerkt.chapters.base import cell_text

    t5 = gate.publish(tb.tabel5, reg, publicatie=publicatie, schooljaar=schooljaar, gemeente=gemeente)
    k = gate.drempel(publicatie)
    out = render.heading("Begeleiding naar werk", 3)
    if "Werk" in t5.frame.index:
        nieuw = cell_text(t5, "Werk", tb.NIEUW, drempel=k, eenheid="nieuwe vsv'ers")
        oud = cell_text(t5, "Werk", tb.OUD, drempel=k, eenheid="oud-vsv'ers")
        out += render.paragraph(
            f"Aan het eind van het schooljaar werken {nieuw} en {oud}{'' if gemeente is None else ' uit ' + gemeente} "
            "die het Doorstroompunt monitort (Tabel 5). Wie nog begeleiding krijgt en wil werken, begeleidt de consulent zo nodig naar duurzaam werk."
        )
    kc = reg.get("kerncijfers")
    sub = kc[kc.schooljaar == schooljaar] if kc is not None else None
    if sub is None or sub.empty:
        return out + render.paragraph(f"Voor {schooljaar} zijn geen kerncijfers aangeleverd.")
    waarde = {r.indicator: r.waarde for r in sub.itertuples()}
    bron = ", ".join(sorted(set(sub.bron)))
    werk = {KERNCIJFER.get(c, c.replace("_", " ")): v for c, v in waarde.items() if c not in PROGRAMMAPLAN}
    if werk:
        out += render.paragraph(
            f"Consulenten zetten testen in om interesses en competenties in kaart te brengen. In {schooljaar} (hele regio): "
            + fmt.lijst([f"{fmt.getal(v)} {naam}" for naam, v in werk.items()])
            + "."
        )
    plan = {KERNCIJFER[c]: waarde[c] for c in PROGRAMMAPLAN if c in waarde}
    if plan:
        out += render.heading("Programmaplan voortijdig schoolverlaten", 4) + render.paragraph(
            f"Binnen het regionale vsv-programma telde {schooljaar}: " + fmt.lijst([f"{fmt.getal(v)} {naam}" for naam, v in plan.items()]) + "."
        )
    frame = pd.DataFrame({schooljaar: {KERNCIJFER.get(c, c.replace("_", " ")): v for c, v in waarde.items()}})
    return out + render.table(frame, titel="Kerncijfers begeleiding naar werk (regio)", bron=bron, uid="kerncijfers", totaal_rows=())


# ------------------------------------------------------------------ footnotes of Tabel 5 and 6
#: What the result categories of Tabel 5 (monitoring) and Tabel 6 (afgerond) include (the
#: report's footnotes; definitions, no figures).
NOTEN = {
    "tabel5": {
        "School (gerelateerd)": "school, particuliere opleiding, school in het buitenland, schoolvervangend traject en inburgering",
        "Hulpverlening": "tijdelijke opname of hulpverlening en zorg vanuit de Wet langdurige zorg (Wlz)",
        "Overig": "onder meer nieuwkomers, zoals jongeren uit een azc en Oekraïense vluchtelingen",
    },
    "tabel6": {
        "School (gerelateerd)": "school, particuliere opleiding of een schoolvervangend traject",
        "Geen doelgroep meer": "23 jaar of ouder geworden, of verhuisd naar buiten de regio",
        "Overig": "onterechte melding of overleden",
    },
}


def noten(tabel: str) -> render.Block:
    """The footnotes under Tabel 5 or Tabel 6: what a result category includes."""
    items = "; ".join(f"<em>{html.escape(k)}</em>: {html.escape(v)}" for k, v in NOTEN[tabel].items())
    return render.Block(f'<p class="lw-bron lw-noot">Bij de tabel hierboven — {items}.</p>')
