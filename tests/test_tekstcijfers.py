"""Text figures as data (lerenwerkt.tekstcijfers): every figure of the report is one entry,
computed from its declared cells with a named operation, and protected as its cells are."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from lerenwerkt import catalogue, codes, fmt, gate, publication, teksten
from lerenwerkt import schooljaar as sj
from lerenwerkt import tables as tb
from lerenwerkt import tekstcijfers as tc
from lerenwerkt.disclosure import rules
from lerenwerkt.indicators import verzuim as ind_verzuim
from lerenwerkt.indicators import vsv as ind_vsv

S = "2024-2025"
SCOPES = [None, *codes.GEMEENTEN]
WOORDEN = set(tc._woorden(S, None))


def test_every_report_figure_is_one_entry(reference):
    ref = reference[reference.tabel == "tekst"]
    assert len(ref) == 72
    assert set(ref.rij) == {c.id for c in tc.TEKSTCIJFERS if c.rapport}
    for r in ref.itertuples():
        c = tc.BY_ID[r.rij]
        assert r.kolom == (S if c.jaar == "S" else sj.shift(S, -1)), r.rij
    assert len(tc.BY_ID) == len(tc.TEKSTCIJFERS)  # ids are unique
    assert catalogue.TEKST["N091"] == tc.BY_ID["N091"].cellen  # the catalogue's view of the same entries


def test_entries_are_declarations_with_named_operations(shipped):
    # labels copied into tekstcijfers (to keep it free of the tables package) stay the tables' labels
    assert (tc._NIEUW, tc._OUD, tc._ZP_GESTART, tc._ZP_AFGESLOTEN) == (tb.NIEUW, tb.OUD, tb.ZP_GESTART, tb.ZP_AFGESLOTEN)
    assert (tb.TABEL6_RIJ["school"], tb.TABEL6_RIJ["startkwalificatie"]) == (tc._T6_SCHOOL, tc._T6_START)
    for c in tc.TEKSTCIJFERS:
        assert c.bewerking in tc.BEWERKINGEN, c.id
        assert c.definitie.endswith(".") and c.cellen, c.id
        assert (len(c.cellen) == 1 and not c.basis) if c.bewerking == "cel" else True, c.id
        assert bool(c.basis) == (c.bewerking in tc.PERCENTAGES), c.id
        velden = tc._velden(c.sjabloon, namen=True)
        assert "waarde" in velden, c.id
        assert all(v in WOORDEN or v in ("waarde", "aantal") or v in tc.BY_ID for v in velden), (c.id, velden)
        for b in c.bronnen:
            if isinstance(b, tc.Maat):
                assert b.naam in tc.MATEN, c.id
                continue
            e = catalogue.BY_ID[b.entry]
            scopes = SCOPES if c.scopes != "regio" else [None]
            for g in scopes:
                year = b.jaar(S)
                frame = e.build(shipped, schooljaar=year, gemeente=g if e.scopes != "regio" else None).frame
                rij, kolom = b.labels(year, g)
                assert kolom in frame.columns and (rij in frame.index or e.id == "tabel2_vrijstellingen"), (c.id, b, g)
    for key, z in tc.ZINNEN.items():
        assert all(v in WOORDEN or v in tc.BY_ID for v in tc._velden(z.sjabloon, namen=True)), key


def _indicator_values(reg, g):
    """The same figures computed straight from the indicators (as the old tekst() did)."""
    vm, tr, se = reg["verzuimmeldingen"], reg["vsv_trajecten"], reg["vsv_status_eind"]
    V = sj.shift(S, -1)
    uit = ind_verzuim.uitstroom_absoluut(vm, schooljaar=S, gemeente=g).set_index("groep").aandeel
    vo = ind_verzuim.verandering(vm, schooljaar=S, vorig=V, gemeente=g, verzuimsoort="absoluut", onderwijssoorten=("vso", "vo")).iloc[0]
    route = ind_vsv.route_terug_naar_school(tr, se, schooljaar=S, gemeente=g).iloc[0]
    route_v = ind_vsv.route_terug_naar_school(tr, se, schooljaar=V, gemeente=g).iloc[0]
    st = {grp: ind_vsv.status(tr, se, schooljaar=S, groep=grp, gemeente=g, by=()).set_index("status").aantal for grp in ("nieuw", "oud")}
    afg = ind_vsv.resultaten(tr, se, schooljaar=S, groep="oud", status="afgerond", gemeente=g).set_index("resultaat").aantal
    zp = ind_vsv.zorg_preventie(reg["zorg_preventie"], schooljaar=S, gemeente=g).set_index(["soort", "categorie"]).aandeel
    return {
        "N017": -vo.verandering_pct,
        "N021": uit["ingeschreven"],
        "N025": uit["overig"],
        "N079": route.aantal,
        "N080": route.aandeel,
        "N081": route_v.aandeel,
        "N091": sum(int(st[grp].get(s_, 0)) for grp in st for s_ in ("in_behandeling", "monitoring")),
        "N100": int(afg.sum()),
        "N101": 100.0 * afg.get("school", 0) / int(afg.sum()) if int(afg.sum()) else float("nan"),
        "N104": zp[("aanleiding", "kans_op_uitval")] if ("aanleiding", "kans_op_uitval") in zp.index else 0.0,
        "N112": zp[("uitkomst", "terug_naar_school")],
    }


@pytest.mark.parametrize("gemeente", SCOPES)
def test_figures_from_cells_equal_the_indicators_in_every_scope(shipped, gemeente):
    """A figure declared as cells of catalogue tables equals the indicator's own definition,
    not only for the region (the backtest) but for every gemeente."""
    for nid, expected in _indicator_values(shipped, gemeente).items():
        w = tc.evalueer(nid, shipped, schooljaar=S, gemeente=gemeente)
        c = tc.BY_ID[nid]
        if w.waarde is None and c.percentage and _intern_sum(shipped, c.basis, gemeente) == 0:
            continue  # a share or change of nothing is no number (the indicator says 0 or NaN)
        if pd.isna(expected):
            assert w.waarde is None, (gemeente, nid)
        else:
            assert w.waarde == pytest.approx(float(expected)), (gemeente, nid, w.waarde, expected)


@pytest.fixture(scope="module")
def openbaar(shipped):
    """Every text figure of every scope, intern and openbaar."""
    out = []
    for g in SCOPES:
        for c in tc.TEKSTCIJFERS:
            i = tc.evalueer(c, shipped, schooljaar=S, gemeente=g)
            o = tc.evalueer(c, shipped, schooljaar=S, gemeente=g, publicatie="openbaar")
            out.append((g, c, i, o))
    return out


def _intern_sum(reg, bronnen, g) -> float:
    return sum(tc._bron(b, reg, schooljaar=S, gemeente=g, openbaar=False, drempel_k=None)[0] for b in bronnen)


def test_openbaar_text_figures_never_give_a_small_count_back(shipped, openbaar):
    k = rules().drempel
    because_share = because_cell = 0
    for g, c, i, o in openbaar:
        cells_hidden = any(tc._bron(b, shipped, schooljaar=S, gemeente=g, openbaar=True, drempel_k=None)[1] for b in c.bronnen)
        if cells_hidden:
            assert o.onderdrukt, (g, c.id)  # a figure goes with its withheld cells
            because_cell += 1
        if o.onderdrukt:
            assert o.waarde is None and tc.opgemaakt(c, o) == rules().tekst_onderdrukt
            continue
        assert o.waarde == i.waarde or (o.waarde is None and i.waarde is None)
        deel = _intern_sum(shipped, c.cellen, g)
        if o.telling:
            assert not 0 < deel < k, (g, c.id, deel)
        if c.bewerking == "aandeel":  # part and rest both publishable
            rest = _intern_sum(shipped, c.basis, g) - deel
            assert not 0 < deel < k and not 0 < rest < k, (g, c.id, deel, rest)
        if c.bewerking in ("verandering", "daling"):
            assert not 0 < deel < k and not 0 < _intern_sum(shipped, c.basis, g) < k, (g, c.id)
    for g, c, i, _o in openbaar:  # a share whose part or rest is small is withheld
        if c.bewerking == "aandeel" and i.waarde is not None:
            deel = _intern_sum(shipped, c.cellen, g)
            rest = _intern_sum(shipped, c.basis, g) - deel
            because_share += 0 < deel < k or 0 < rest < k
    assert because_cell > 0 and because_share > 0, (because_cell, because_share)


def test_figures_of_one_group_are_withheld_together(openbaar):
    groups: dict = {}
    for g, c, _i, o in openbaar:
        if c.groep:
            groups.setdefault((g, c.groep), set()).add(o.onderdrukt)
    assert groups and all(len(v) == 1 for v in groups.values()), {k: v for k, v in groups.items() if len(v) > 1}
    assert any(v == {True} for v in groups.values())  # some gemeente has too few jongeren or redenen


def test_the_gate_masks_the_text_table_as_the_entries_say(shipped):
    k = rules().drempel
    t = gate.all_published(shipped, schooljaar=S, publicatie="openbaar")[-1].frame.set_index("rij")
    for rij, row in t.iterrows():
        assert row.onderdrukt == tc.evalueer(rij, shipped, schooljaar=S, publicatie="openbaar").onderdrukt, rij
    # e.g. a share of 138 trajecten that is one traject (0,72%): withheld with its count
    small_shares = [c.id for c in tc.TEKSTCIJFERS if c.rapport and c.bewerking == "aandeel" and 0 < _intern_sum(shipped, c.cellen, None) < k]
    assert small_shares and all(t.at[r, "onderdrukt"] and pd.isna(t.at[r, "waarde"]) for r in small_shares), small_shares


def test_sentences_are_rendered_from_the_entries(shipped):
    d1 = tb.diagram1(shipped, schooljaar=S).frame[S]
    verhuisd = fmt.getal(d1[codes.RESULTAAT_VERZUIM["verhuisd"]])
    assert tc.zin("N032", shipped, schooljaar=S) == f"Van de categorie Overig zijn {verhuisd} jongeren verhuisd naar een andere regio."
    assert f"zijn {verhuisd} jongeren verhuisd" in tc.zin("diagram1_overig", shipped, schooljaar=S)
    share = tc.evalueer("N057", shipped, schooljaar=S)
    assert tc.zin("N057", shipped, schooljaar=S).startswith(f"Bij {fmt.procent(share.waarde)} ({fmt.getal(share.aantal)}) van de meldingen")
    # withheld in openbaar: the entry's other sentence, or the rules' wording in place
    hidden = [
        (g, key)
        for g in SCOPES
        for key in ("vsv_route", "N091")
        if tc.evalueer("N080" if key == "vsv_route" else key, shipped, schooljaar=S, gemeente=g, publicatie="openbaar").onderdrukt
    ]
    assert hidden
    for g, key in hidden:
        out = tc.zin(key, shipped, schooljaar=S, gemeente=g, publicatie="openbaar")
        assert out == tc.ZINNEN["vsv_route"].anders if key == "vsv_route" else rules().tekst_onderdrukt in out
    with pytest.raises(ValueError, match="onbekend"):
        tc.zin("N999", shipped, schooljaar=S)


def test_editorial_names_resolve_through_the_same_entries(shipped):
    names = teksten.figuren()
    assert set(names) == set(tc.BY_NAAM) and len(names) >= 40
    for g in (None, "Aalten"):
        ctx = teksten.Context(shipped, S, g, "openbaar")
        for naam in names:
            assert teksten.figuur(naam, ctx) == tc.evalueer(tc.BY_NAAM[naam], shipped, schooljaar=S, gemeente=g, publicatie="openbaar"), naam
    assert tc.BY_NAAM["absoluut_verzuim"].id == "N015"  # {{ absoluut_verzuim }} is the report's N015


def test_follow_a_figure_from_raw_record_to_html(shipped, reference):
    """The path the README shows, through the named functions: load → clean → indicator →
    catalogue entry → edition (protect) → table and text → render. Figure: N032, the
    verzuimmeldingen of 2024-2025 whose jongere moved out of the region (Diagram 1)."""
    from lerenwerkt import config
    from lerenwerkt.chapters.verzuim import resultaten as hoofdstuk
    from lerenwerkt.clean import clean_register
    from lerenwerkt.load import load_register

    label = codes.RESULTAAT_VERZUIM["verhuisd"]
    published = reference.set_index(["tabel", "rij", "kolom"]).waarde
    raw = load_register(config.RAW_DIR)  # 1 load: the delivery, validated and typed
    reg = clean_register(raw)  # 2 clean: schooljaar of each melding, its result on 31 July
    n = ind_verzuim.resultaten(reg["verzuimmeldingen"], schooljaar=S, detail=True).set_index("resultaat_eind").aantal["verhuisd"]  # 3 indicator
    entry = catalogue.BY_ID["diagram1_resultaten"]  # 4 catalogue entry: the table and its records
    cell = entry.build(reg, schooljaar=S).frame.at[label, S]
    members = entry.base_members(shipped, schooljaar=S)
    figuur = tc.BY_ID["N032"]  # the text figure: one cell of that entry
    assert figuur.cellen == (tc.CelRef("diagram1_resultaten", label),) and figuur.bewerking == "cel"
    assert n == cell == (members.rij == label).sum() == tc.evalueer(figuur, reg, schooljaar=S).waarde
    assert n == int(published[("diagram1_resultaten", label, S)]) == int(published[("tekst", "N032", S)])
    ed = publication.edition(shipped, schooljaar=S, publicatie="openbaar")  # 5 edition: protected once
    protected = tc.evalueer(figuur, shipped, schooljaar=S, publicatie="openbaar")
    assert protected.onderdrukt == ed.hidden(entry.id, None, label, S)
    t = gate.publish(tb.diagram1, shipped, publicatie="openbaar", schooljaar=S)  # 6 table and text
    assert pd.isna(t.frame.at[label, S]) if protected.onderdrukt else t.frame.at[label, S] == n
    sentence = tc.zin("diagram1_overig", shipped, schooljaar=S, publicatie="openbaar")
    page = hoofdstuk(shipped, schooljaar=S, gemeente=None, publicatie="openbaar").markup  # 7 render
    assert html.escape(sentence) in page
    assert (rules().tekst_onderdrukt if protected.onderdrukt else fmt.getal(n)) in sentence


def test_cells_export_text_shares_give_no_small_count_back(shipped):
    """The text figures of the cell export (openbaar, region): a share printed beside its
    published denominator never gives a count 1..k-1 back (N108 = 4/138 was printed)."""
    k = rules().drempel
    f = gate._tekst(tb.tekst(shipped, schooljaar=S), shipped, S, "openbaar", None).frame
    shares = withheld = 0
    for r in f.itertuples():
        c = tc.BY_ID[r.rij]
        if c.bewerking != "aandeel":
            continue
        deel, basis = _intern_sum(shipped, c.cellen, None), _intern_sum(shipped, c.basis, None)
        if r.onderdrukt:
            withheld += 1
            assert pd.isna(r.waarde), r.rij
            continue
        shares += 1
        implied = round(r.waarde * basis / 100.0)
        assert implied == deel and not 0 < implied < k and not 0 < basis - implied < k, (r.rij, implied, basis)
    assert shares > 0 and withheld > 0, (shares, withheld)


def test_plural_fields_agree_with_the_count():
    """'{N032|jongere|jongeren}' and '{N032?is|zijn}': 1 jongere, geen jongeren; withheld: plural."""
    vorm = tc._vorm("N032|jongere|jongeren")
    verb = tc._vorm("N032?is|zijn")
    assert vorm == ("N032", ("eenheid", "jongere", "jongeren")) and verb == ("N032", ("werkwoord", "is", "zijn"))
    een, nul, twee, weg = tc.Waarde(1.0), tc.Waarde(0.0), tc.Waarde(12.0), tc.Waarde(None, onderdrukt=True)
    assert [tc._verbogen(vorm[1], w, g) for w, g in ((een, "1"), (nul, "0"), (twee, "12"))] == ["1 jongere", "geen jongeren", "12 jongeren"]
    assert [tc._verbogen(verb[1], w, "") for w in (een, twee, weg)] == ["is", "zijn", "zijn"]
    assert tc._verbogen(vorm[1], weg, rules().tekst_onderdrukt) == f"{rules().tekst_onderdrukt} jongeren"
    with pytest.raises(ValueError, match="enkelvoud"):
        tc._vorm("N032|jongeren")
    for z in tc.ZINNEN.values():  # no bare count before a plural unit or after a plural verb
        assert not re.search(r"\{N\d+\} (?:jongeren|nieuwe vsv'ers|oud-vsv'ers|casussen|meldingen)", z.sjabloon), z.sjabloon
        assert not re.search(r"(?:zijn|waren|worden)(?: er)? \{N\d+\}", z.sjabloon), z.sjabloon
