"""Indicators on small hand-made registers: each definition checked by counting by eye."""

from __future__ import annotations

import math

import pandas as pd

from lerenwerkt.indicators import achttienplus, verzuim, vsv
from lerenwerkt.indicators.common import count_by
from tests import fixtures

S = "2024-2025"


def _vm():
    return fixtures.verzuimmeldingen(
        [
            ("Aalten", "vo", "absoluut", "2024-09-01", "2024-10-01", "naar_school"),
            ("Aalten", "vo", "absoluut", "2024-09-02", None, None),  # open on 31 July
            ("Aalten", "vo", "absoluut", "2025-03-01", "2025-08-15", "verhuisd"),  # closed after 31 July
            ("Aalten", "mbo", "absoluut", "2025-01-10", "2025-02-01", "overdracht_dsp"),
            ("Aalten", "sbo", "wettelijk", "2024-10-01", "2024-11-01", "verhuisd"),
            ("Aalten", "vso", "luxe", "2024-11-01", "2024-11-02", "overig"),
            ("Aalten", "vo", "informatie_advies", "2024-12-01", "2024-12-01", None),
            ("Berkelland", "vo", "overig", "2025-07-31", "2025-07-31", "naar_school"),
            ("Berkelland", "vo", "overig", "2025-08-01", "2025-08-20", "naar_school"),  # next schooljaar
            ("Berkelland", "geen", "absoluut", "2023-10-01", "2023-12-01", "naar_school"),  # previous year
        ]
    )


def test_schooljaar_follows_datum_melding():
    vm = _vm()
    assert list(vm.schooljaar.iloc[[7, 8, 9]]) == ["2024-2025", "2025-2026", "2023-2024"]


def test_meldingen_counts_per_verzuimsoort_zero_filled():
    c = verzuim.meldingen(_vm(), schooljaar=S).set_index("verzuimsoort").aantal
    assert c.to_dict() == {"absoluut": 4, "wettelijk": 1, "langdurig_relatief": 0, "luxe": 1, "overig": 1, "informatie_advies": 1}
    aalten = verzuim.meldingen(_vm(), schooljaar=S, gemeente="Aalten").set_index("verzuimsoort").aantal
    assert aalten["overig"] == 0 and aalten["absoluut"] == 4


def test_totaal_excludes_informatie_en_advies():
    assert verzuim.totaal_meldingen(_vm(), schooljaar=S).aantal.item() == 7


def test_resultaten_open_on_31_july_is_nog_in_behandeling():
    det = verzuim.resultaten(_vm(), schooljaar=S, detail=True).set_index("resultaat_eind").aantal
    assert det["nog_in_behandeling"] == 2  # no datum_afgerond, and afgerond after 31 July
    assert det["verhuisd"] == 1  # the wettelijk melding; the absoluut one was still open
    kol = verzuim.resultaten(_vm(), schooljaar=S).set_index("resultaat_kolom").aantal
    assert kol["overig_totaal"] == 2 + 1 + 1  # nog in behandeling + verhuisd + overig
    assert kol.sum() == 7


def test_uitstroom_absoluut_shares():
    u = verzuim.uitstroom_absoluut(_vm(), schooljaar=S).set_index("groep")
    assert u.aantal.to_dict() == {"ingeschreven": 1, "verhuisd": 0, "nog_verzuimer": 2, "overdracht_dsp": 1, "overig": 0}
    assert u.aandeel["nog_verzuimer"] == 50.0


def test_per_jaar_and_verandering():
    vm = _vm()
    p = verzuim.per_jaar(vm, schooljaren=["2023-2024", S], verzuimsoorten=["absoluut"])
    assert p.aantal.tolist() == [1, 4]
    v = verzuim.verandering(vm, schooljaar=S, vorig="2023-2024", verzuimsoort="absoluut").iloc[0]
    assert (v.vorig, v.huidig, v.verandering_pct) == (1, 4, 300.0)
    geen = verzuim.verandering(vm, schooljaar=S, vorig="2023-2024", verzuimsoort="absoluut", onderwijssoorten=["geen"]).iloc[0]
    assert (geen.vorig, geen.huidig, geen.verandering_pct) == (1, 0, -100.0)


def test_memo_groups_vso_with_vo():
    m = verzuim.memo_lokaal(_vm(), gemeente="Aalten", schooljaren=[S]).set_index(["verzuimsoort", "onderwijsniveau"]).aantal
    assert m[("absoluut", "vo")] == 3
    assert m[("luxe", "vo")] == 1  # the (v)so melding
    assert m[("wettelijk", "po")] == 1
    assert m[("informatie_advies", "vo")] == 1


def test_count_by_keeps_unknown_categories_visible():
    df = pd.DataFrame({"verzuimsoort": ["absoluut", "nieuwe_soort"]})
    c = count_by(df, ["verzuimsoort"]).set_index("verzuimsoort").aantal
    assert c["nieuwe_soort"] == 1 and c["luxe"] == 0


def test_achttienplus():
    m = fixtures.meldingen_18plus(
        [
            ("A", "2024-09-01", True, True, "voortgezet"),
            ("A", "2024-10-01", False, False, None),
            ("A", "2024-11-01", False, True, "gestopt"),  # second 'geen actie': contact anyway
            ("B", "2024-09-05", False, False, None),
            ("C", "2025-02-01", True, True, "voortgezet"),
            ("C", "2025-03-01", True, True, None),  # still running
            ("D", "2023-09-01", True, True, "overstap"),  # previous year
        ]
    )
    t = achttienplus.per_jaar(m, schooljaren=["2023-2024", S]).set_index("schooljaar")
    assert t.loc[S, "meldingen"] == 6 and t.loc[S, "actie_gewenst"] == 3 and t.loc[S, "actie_gewenst_pct"] == 50.0
    j = achttienplus.jongeren(m, schooljaar=S).iloc[0]
    assert (j.unieke_jongeren, j.recidive, j.een_melding, j.twee_keer_geen_actie) == (3, 2, 1, 1)
    assert math.isclose(j.een_melding_pct, 100 / 3)
    u = achttienplus.uitkomst(m, schooljaar=S).set_index("uitkomst")
    assert u.aantal.to_dict() == {"voortgezet": 2, "gestopt": 1, "overstap": 0, "uit_beeld": 0}


def _vsv():
    trajecten = [
        ("T1", "Aalten", "2024-09-01", "2006-05-01"),  # nieuw
        ("T2", "Aalten", "2025-02-01", "2007-01-20"),  # nieuw, 18 for 12 days
        ("T3", "Aalten", "2023-10-01", "2004-01-01"),  # oud
        ("T4", "Berkelland", "2021-03-01", "2002-08-10"),  # oud, turns 23 on 10 Aug 2025
        ("T5", "Berkelland", "2019-03-01", "2000-01-01"),  # before 2020-2021: not oud
    ]
    status = [
        ("T1", "2024-09-01", "in_behandeling", None),
        ("T1", "2024-12-01", "monitoring", "school"),
        ("T1", "2025-08-10", "afgerond", "school"),  # after 31 July: does not count yet
        ("T2", "2025-02-01", "in_behandeling", None),
        ("T3", "2023-10-01", "in_behandeling", None),
        ("T3", "2024-05-01", "afgerond", "startkwalificatie"),
        ("T4", "2021-03-01", "in_behandeling", None),
        ("T4", "2022-01-01", "monitoring", "werk_kortdurend"),
        ("T4", "2025-01-01", "monitoring", "wajong"),
        ("T5", "2019-03-01", "afgerond", "geen_doelgroep"),
    ]
    return fixtures.vsv(trajecten, status, ["2020-2021", "2021-2022", "2022-2023", "2023-2024", S])


def test_vsv_status_is_last_change_on_or_before_31_july():
    tr, se = _vsv()
    nieuw = vsv.status(tr, se, schooljaar=S, groep="nieuw", by=()).set_index("status").aantal
    assert nieuw.to_dict() == {"in_behandeling": 1, "monitoring": 1, "afgerond": 0}
    oud = vsv.status(tr, se, schooljaar=S, groep="oud", by=()).set_index("status").aantal
    assert oud.to_dict() == {"in_behandeling": 0, "monitoring": 1, "afgerond": 1}
    mon = vsv.resultaten(tr, se, schooljaar=S, groep="oud", status="monitoring").set_index("resultaat").aantal
    assert mon["wajong"] == 1 and mon["werk_kortdurend"] == 0
    # T3 was afgerond before the schooljaar: not in Tabel 6 (afgerond in the year)
    afg = vsv.resultaten(tr, se, schooljaar=S, groep="oud", status="afgerond")
    assert afg.aantal.sum() == 0


def test_route_terug_naar_school():
    tr, se = _vsv()
    r = vsv.route_terug_naar_school(tr, se, schooljaar=S).iloc[0]
    assert (r.aantal, r.nieuwe_vsvers, r.aandeel) == (1, 2, 50.0)


def test_in_beeld_ages():
    tr, se = _vsv()
    a = vsv.in_beeld_leeftijd(tr, se, schooljaar=S).set_index("leeftijd")
    # in beeld: T1 (18 at melding, 19 on 18 Sep 2025), T2 (18, 18), T4 (18, 23 -> row 22)
    assert a.bij_melding.to_dict() == {"<18 (pro/vso)": 0, "18": 3, "19": 0, "20": 0, "21": 0, "22": 0}
    assert a.op_18_september.to_dict() == {"<18 (pro/vso)": 0, "18": 1, "19": 1, "20": 0, "21": 0, "22": 1}
    assert vsv.kort_na_18(tr, se, schooljaar=S) == 1  # only T2 left within a month of turning 18


def test_clean_is_idempotent_and_adds_labels(raw_copy):
    from lerenwerkt.clean import clean_register
    from lerenwerkt.load import load_register

    reg = load_register(raw_copy)
    before = {k: v.copy() for k, v in reg.items()}
    first, second = clean_register(reg), clean_register(reg)
    for name in first:
        pd.testing.assert_frame_equal(first[name], second[name])
    for name in before:  # the input is never changed in place
        pd.testing.assert_frame_equal(reg[name], before[name])
    vm = first["verzuimmeldingen"]
    assert set(vm.verzuimsoort_label.dropna()) == {
        "Absoluut verzuim",
        "Wettelijk verzuim",
        "Langdurig relatief verzuim",
        "Luxe verzuim",
        "Overig verzuim",
        "Informatie en advies",
    }
