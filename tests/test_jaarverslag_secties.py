"""The data-driven sections the drafts did not show (Grafiek 1, Bevindingen, landelijk
perspectief, begeleiding naar werk): clean HTML for every scope, and text that says what the
delivered figures say."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from lerenwerkt import claims, codes, fmt, render, stats
from lerenwerkt import tables as tb
from lerenwerkt.chapters import jaarverslag, redactie
from tests.test_chapters import _blocks

S = "2024-2025"


@pytest.mark.parametrize(
    ("schooljaar", "gemeente", "publicatie"),
    [("2024-2025", None, "intern"), ("2024-2025", "Oost Gelre", "intern"), ("2023-2024", "Aalten", "intern"), ("2024-2025", "Doesburg", "openbaar")],
)
def test_sections_render_clean_html(shipped, schooljaar, gemeente, publicatie):
    names = []
    for name, block in _blocks(jaarverslag, shipped, schooljaar, gemeente, publicatie):
        assert isinstance(block, render.Block), name
        html = re.sub(r'src="data:image/png;base64,[^"]+"', "", block.markup)
        assert not re.search(r"\bnan\b|NaN|None|<NA>", html), f"{name}: missing value leaked"
        names.append(name)
    assert set(names) == {"grafiek1", "bevindingen", "landelijk_perspectief", "begeleiding_naar_werk"}


def test_grafiek1_toelichting_uses_the_cbs_figures(shipped):
    html = jaarverslag.grafiek1(shipped, schooljaar=S, gemeente=None).markup
    assert "Grafiek 1 Ontwikkeling aantal kinderen/jongeren" in html and "<img" in html
    t1 = tb.tabel1_bevolking(shipped, schooljaar=S).frame
    leerplichtig = int(t1.at[codes.TOTAAL, "5 tot 16-jarigen"] + t1.at[codes.TOTAAL, "16 tot 18-jarigen"])
    assert f"naar {fmt.getal(leerplichtig)}." in html or f"op {fmt.getal(leerplichtig)}." in html
    bev = shipped["bevolking"]
    jan = [bev[bev.peildatum == pd.Timestamp(f"{y}-01-01")] for y in (2024, 2025)]
    vier = [int(b[b.leeftijd == "4"].aantal.sum()) for b in jan]
    assert ("4-jarigen toe" in html) == (vier[1] > vier[0])


def test_bevindingen_direction_follows_fishers_test(shipped):
    html = jaarverslag.bevindingen(shipped, schooljaar=S).markup
    lpt = shipped["leerplichttelling"].set_index(["regio", "schooljaar", "indicator"]).waarde
    y = "2023-2024"
    for ind, onderwerp in jaarverslag.LPT_VERGELIJK.items():
        a, la = lpt[("Achterhoek", y, ind)], lpt[("Landelijk", y, ind)]
        na, nl = int(lpt[("Achterhoek", y, "n_leer_kwalificatieplichtigen")]), int(lpt[("Landelijk", y, "n_leer_kwalificatieplichtigen")])
        p = stats.share_change_p(round(a * na / 100), na, round(la * nl / 100), nl)
        # describe (the printed numbers), then qualify (the publication's rule)
        if fmt.procent(a, decimalen=2) == fmt.procent(la, decimalen=2):
            assert f"{onderwerp} ligt in de Achterhoek op het landelijke niveau" in html
            continue
        woord = "hoger" if a > la else "lager"
        zin = f"{onderwerp} ligt in de Achterhoek {woord} dan landelijk ({fmt.procent(a, decimalen=2)} tegen {fmt.procent(la, decimalen=2)} in {y})"
        assert zin + (": een duidelijk verschil" if claims.significant(p) else "; dit verschil kan toeval zijn") in html


def test_landelijk_perspectief_and_kerncijfers(shipped):
    html = jaarverslag.landelijk_perspectief(shipped, schooljaar=S).markup
    duo = shipped["duo_vsv"]
    tot = duo[(duo.schooljaar == "2023-2024") & (duo.onderwijssoort == "totaal")].set_index("gebied")
    assert f"{fmt.procent(tot.at['Achterhoek', 'percentage'], decimalen=2)} ({fmt.getal(tot.at['Achterhoek', 'aantal'])} jongeren)" in html
    assert "één schooljaar vertraging" in html
    k = shipped["kerncijfers"]
    html = jaarverslag.begeleiding_naar_werk(shipped, schooljaar=S, gemeente=None).markup
    for r in k[k.schooljaar == S].itertuples():
        assert f">{fmt.getal(r.waarde)}</td>" in html
    t5 = tb.tabel5(shipped, schooljaar=S).frame
    assert f"werken {fmt.getal(t5.at['Werk', tb.NIEUW])} nieuwe vsv&#x27;ers en {fmt.getal(t5.at['Werk', tb.OUD])} oud-vsv" in html
    assert "Programmaplan" not in html  # not delivered in the shipped register


def test_programmaplan_figures_show_when_delivered(shipped):
    reg = dict(shipped)
    extra = pd.DataFrame([{"schooljaar": S, "indicator": "begeleid_regionaal_programma_vsv", "waarde": 1234.0, "bron": "programma"}])
    reg["kerncijfers"] = pd.concat([shipped["kerncijfers"], extra], ignore_index=True)
    html = jaarverslag.begeleiding_naar_werk(reg, schooljaar=S, gemeente="Aalten", publicatie="openbaar").markup
    assert "<h4>Programmaplan voortijdig schoolverlaten</h4>" in html
    assert "1.234 jongeren begeleid in het regionale vsv-programma" in html
    assert " uit Aalten " in html


def test_footnotes_name_rows_of_their_tables(shipped):
    for tabel, builder in (("tabel5", tb.tabel5), ("tabel6", tb.tabel6)):
        rows = set(builder(shipped, schooljaar=S).frame.index)
        assert set(jaarverslag.NOTEN[tabel]) <= rows, tabel
        assert all(k in jaarverslag.noten(tabel).markup for k in jaarverslag.NOTEN[tabel])


def test_html_memo_places_the_local_explanation(shipped, tmp_path):
    html = redactie.lokale_toelichting(shipped, schooljaar=S, gemeente="Aalten").markup
    assert "<h2>Toelichting Aalten</h2>" in html and "In Aalten werden in schooljaar" in html
    assert "[Lokale toelichting Doesburg: nog te schrijven]" in redactie.lokale_toelichting(shipped, schooljaar=S, gemeente="Doesburg").markup


def test_bijlage3_footnotes_and_legends(shipped):
    """Bijlage 3 Tabel 2's two footnotes, counted from the records; the onderwijssoort legends."""
    from lerenwerkt import schooljaar as sj
    from lerenwerkt.chapters import bijlagen
    from lerenwerkt.indicators import vsv as ind

    html = bijlagen.bijlage3(shipped, schooljaar=S, gemeente=None).markup
    tr, se = shipped["vsv_trajecten"], shipped["vsv_status_eind"]
    d = pd.concat([ind.status_eind(tr, se, schooljaar=S, groep=g) for g in ("nieuw", "oud")])
    d = d[d.status.isin(["in_behandeling", "monitoring"])]
    at18 = d[d.leeftijd_uitschrijving == 18]
    binnen_maand = int((at18.datum_uitschrijving < at18.geboortedatum + pd.DateOffset(years=18, months=1)).sum())
    net23 = int((sj.age_at(d.geboortedatum, pd.Timestamp("2025-09-18")) >= 23).sum())
    assert f"waarvan {fmt.getal(binnen_maand)} jongeren uitgeschreven binnen één maand nadat zij 18 jaar werden" in html
    assert f"waarvan {fmt.getal(net23)} jongeren nét 23 geworden" in html
    for soort in ("vo", "vavo", "mbo"):
        assert f"<strong>{soort}</strong> = " in html
    b4 = bijlagen.bijlage4(shipped, schooljaar=S, gemeente="Aalten").markup
    for soort, uitleg in bijlagen.ONDERWIJSSOORT_LEGENDA.items():
        if soort != "vavo":
            assert f"<strong>{soort}</strong> = {uitleg}" in b4.replace("&#x27;", "'")
    # openbaar, a small gemeente: a footnote count never beside a withheld cell or with a small rest
    small = bijlagen.bijlage3(shipped, schooljaar=S, gemeente="Doesburg", publicatie="openbaar").markup
    assert "18 jaar (leeftijd t.t.v. vsv-melding):" in small


def test_drafts_show_the_report_sections():
    """Grafiek 1, Bevindingen, landelijk perspectief, begeleiding naar werk (kerncijfers), the
    footnotes of Tabel 5/6 and the JIKP cohort are in the chapter drafts, not only in the book."""
    import json

    from lerenwerkt import config

    def calls(name):
        nb = json.loads((config.PROJECT_DIR / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
        return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")

    assert "jaarverslag.grafiek1(" in calls("bijlagen")
    assert "jaarverslag.bevindingen(" in calls("verzuim")
    vsv = calls("vsv")
    for call in ("jaarverslag.landelijk_perspectief(", 'jaarverslag.noten("tabel5")', 'jaarverslag.noten("tabel6")', "jaarverslag.begeleiding_naar_werk("):
        assert call in vsv, call
    assert vsv.index('noten("tabel5")') > vsv.index("hoofdstuk.monitoring(") and vsv.index('noten("tabel6")') > vsv.index("hoofdstuk.afgerond(")
    assert "hoofdstuk.cohort(" in calls("jikp")
