"""Editorial texts: figures by name, Dutch and disclosure-controlled; placeholders; errors."""

from __future__ import annotations

import re

import pytest

from lerenwerkt import codes, fmt, gate, teksten
from lerenwerkt import tables as tb
from lerenwerkt.disclosure import rules

S = "2024-2025"


def test_reference_renders_the_published_table_cell_in_dutch(shipped):
    t = gate.publish(tb.tabel3, shipped, publicatie="intern", schooljaar=S, gemeente=None)
    expected = fmt.getal(t.frame.at[S, "meldingen"])
    ctx = teksten.Context(shipped, S)
    out = teksten.invullen("Er waren {{ verzuim_18plus }} meldingen in {{schooljaar}}.", ctx)
    assert out == f"Er waren {expected} meldingen in {S}."
    assert "." in expected  # a four-digit count with the Dutch thousands separator


def test_openbaar_reference_below_threshold_reads_as_the_rules_wording(shipped):
    """Find a figure of a gemeente that is between 1 and 4 in intern: in openbaar the text
    must not show it, but the rules' wording."""
    k = rules().drempel
    found = 0
    for g in codes.GEMEENTEN:
        intern = teksten.Context(shipped, S, g, "intern")
        openbaar = teksten.Context(shipped, S, g, "openbaar")
        for naam in teksten.figuren():
            w = teksten.figuur(naam, intern)
            if w.telling and w.waarde is not None and 0 < w.waarde < k:
                shown = teksten.opgemaakt(teksten.figuur(naam, openbaar), "openbaar")
                assert shown in (rules().tekst, rules().tekst_onderdrukt), (g, naam, shown)
                assert teksten.opgemaakt(w, "intern") == fmt.getal(w.waarde)
                found += 1
    assert found > 0, "the shipped register has small counts per gemeente"


def test_unknown_names_are_reported_together_with_file_and_line(tmp_path):
    root = tmp_path / S
    (root / "gemeenten").mkdir(parents=True)
    (root / "voorwoord.md").write_text("Goed: {{ absoluut_verzuim }}\nFout: {{ absolut_verzuim }}\n", encoding="utf-8")
    (root / "gemeenten" / "aalten.md").write_text("{{ bestaat_niet }}", encoding="utf-8")
    with pytest.raises(teksten.TekstFout) as err:
        teksten.controleer(S, tmp_path)
    assert len(err.value.problemen) == 2
    msg = str(err.value)
    assert "voorwoord.md, regel 2" in msg and "absolut_verzuim" in msg
    assert "aalten.md, regel 1" in msg and "bestaat_niet" in msg
    assert "absoluut_verzuim" in msg  # the known names are listed


def test_missing_texts_give_marked_placeholders(shipped, tmp_path):
    ctx = teksten.Context(shipped, S, "Doesburg", "openbaar")
    assert teksten.tekst("voorwoord", ctx, tmp_path).html() == '<p class="lw-placeholder">[Voorwoord: nog te schrijven]</p>'
    assert "[Lokale toelichting Doesburg: nog te schrijven]" in teksten.gemeente_tekst(ctx, tmp_path).html()
    assert teksten.verhalen(ctx, tmp_path)[0].ontbreekt
    (tmp_path / S).mkdir()
    (tmp_path / S / "voorwoord.md").write_text("   \n", encoding="utf-8")
    assert teksten.tekst("voorwoord", ctx, tmp_path).ontbreekt  # an empty file is still missing


def test_markdown_is_rendered_and_raw_html_is_escaped(shipped, tmp_path):
    (tmp_path / S).mkdir()
    (tmp_path / S / "ontwikkelingen.md").write_text("### Kop\n\n- **vet** punt\n\n<script>x()</script>\n", encoding="utf-8")
    out = teksten.tekst("ontwikkelingen", teksten.Context(shipped, S), tmp_path).html()
    assert "<h3>Kop</h3>" in out and "<strong>vet</strong>" in out
    assert "<script>" not in out


def test_shipped_texts_use_references_not_typed_figures():
    """The example texts type no published figure: numbers outside {{ }} are only ages and
    article numbers (at most 23); every reference is known."""
    teksten.controleer(S)
    files = teksten.bestanden(S)
    assert {p.name for p in files} >= {"voorwoord.md", "ontwikkelingen.md", "lerenwerkt.md", "aalten.md"}
    refs = 0
    for p in files:
        body = p.read_text(encoding="utf-8")
        refs += len(re.findall(r"\{\{.*?\}\}", body))
        typed = [int(n) for n in re.findall(r"\d+", re.sub(r"\{\{.*?\}\}", "", body))]
        assert all(n <= 23 for n in typed), (p.name, typed)
    assert refs >= 10


def test_memo_toelichting_withholds_a_figure_whose_memo_table_cells_are_withheld(shipped, tmp_path):
    """The memo's tables leave out 'geen onderwijs': a Grafiek 2 figure in the Toelichting
    would give a withheld memo cell back by difference (Aalten printed 36 beside '.'). It is
    withheld with any memo cell of its soort and year, and else names its definition."""
    withheld = shown = 0
    for g in codes.GEMEENTEN:
        (tmp_path / S / "gemeenten").mkdir(parents=True, exist_ok=True)
        (tmp_path / S / "gemeenten" / f"{codes.slug(g)}.md").write_text(
            "Absoluut: {{ absoluut_verzuim }} | wettelijk: {{ wettelijk_verzuim }} |\n", encoding="utf-8"
        )
        out = teksten.gemeente_tekst(teksten.Context(shipped, S, g, "openbaar"), tmp_path).html()
        t = gate.publish(tb.memo_verzuim, shipped, publicatie="openbaar", schooljaar=S, gemeente=g)
        for soort, naam in (("absoluut", "Absoluut"), ("wettelijk", "wettelijk")):
            rows = [r for r in t.onderdrukt.index if str(r).startswith(f"{tb.MEMO_SOORT[soort]} | ")]
            deel = re.search(rf"{naam}: ([^|]*)\|", out).group(1)
            if bool(t.onderdrukt.loc[rows, S].any()):
                assert deel.strip() == rules().tekst_onderdrukt, (g, soort, deel)
                withheld += 1
            else:
                assert teksten.MEMO_NOOT.strip() in deel, (g, soort, deel)
                shown += 1
    assert withheld > 0 and shown > 0, (withheld, shown)


def test_remote_images_are_refused_with_file_and_line(shipped, tmp_path):
    """An image from outside (http, https, protocol-relative, by reference) in an editorial text
    would be fetched by every reader's browser and by Chromium while printing: refused, every one
    with file and line; an embedded image and an ordinary link stay."""
    from lerenwerkt import boek

    root = tmp_path / S
    (root / "gemeenten").mkdir(parents=True)
    (root / "voorwoord.md").write_text(
        "Welkom.\n\n![logo](https://example.org/logo.png)\n\nZie [de website](https://example.org/) en ![lokaal](data:image/png;base64,iVBORw0KGgo=).\n",
        encoding="utf-8",
    )
    (root / "ontwikkelingen.md").write_text("Tekst\n\n![kaart][k]\n\n[k]: //cdn.example.org/kaart.png\n", encoding="utf-8")
    (root / "gemeenten" / "doesburg.md").write_text("![foto]( HTTP://127.0.0.1:9/foto.png )\n", encoding="utf-8")
    with pytest.raises(teksten.TekstFout) as err:
        teksten.controleer(S, tmp_path)
    assert len(err.value.problemen) == 3, err.value.problemen
    msg = str(err.value)
    for waar in ("voorwoord.md, regel 3", "ontwikkelingen.md, regel 5", "doesburg.md, regel 1"):
        assert waar in msg and "afbeelding van buiten" in msg, waar
    assert "Bekende namen" not in msg  # no figure name is wrong
    with pytest.raises(teksten.TekstFout, match="doesburg.md, regel 1: afbeelding van buiten"):  # the memo reads it too
        teksten.gemeente_tekst(teksten.Context(shipped, S, "Doesburg", "openbaar"), tmp_path)
    with pytest.raises(teksten.TekstFout):
        boek.maak(shipped, schooljaar=S, gemeente="Doesburg", teksten_dir=tmp_path)
    # what stays: an embedded image and a link (a link is not fetched)
    (root / "ontwikkelingen.md").unlink()
    (root / "gemeenten" / "doesburg.md").unlink()
    (root / "voorwoord.md").write_text("Zie [de website](https://example.org/) en ![lokaal](data:image/png;base64,iVBORw0KGgo=).\n", encoding="utf-8")
    teksten.controleer(S, tmp_path)
    out = teksten.tekst("voorwoord", teksten.Context(shipped, S), tmp_path).html()
    assert '<a href="https://example.org/">de website</a>' in out and 'src="data:image/png;base64,iVBORw0KGgo="' in out


def test_markdown_never_writes_an_image_from_outside():
    """Whoever calls it: no img element with an outside address, its alt text stays."""
    from lxml import html as lh

    out = teksten.markdown_html("![a](http://x.example/a.png) ![b](//x.example/b.png) ![d](foto.png)")
    doc = lh.fromstring(f"<div>{out}</div>")
    assert [i.get("src") for i in doc.xpath("//img")] == ["foto.png"]
    assert "a b" in doc.text_content()


def test_a_figure_beside_fixed_wording_about_another_scope_is_refused(shipped, tmp_path):
    """A figure follows the edition's scope (the region in the book, the gemeente in its katern
    and memo): 'in de regio {{ vrijstellingen_5a }}' printed Aalten's 4 as the region's figure.
    Fixed wording about another scope beside a figure is refused, with file and line; the scope
    goes in as {{ gebied }} or {{ gemeente }}. A text shown for one scope only may name it."""
    root = tmp_path / S
    (root / "gemeenten").mkdir(parents=True)
    (root / "ontwikkelingen.md").write_text(
        "Eerst.\nIn {{ schooljaar }} werden in de regio {{ vrijstellingen_5a }}\nvrijstellingen toegekend.\n\n"
        "In {{ gebied }} waren het er {{ vrijstellingen_5a }}. In de Achterhoek werken we samen; in {{ gemeente }}: {{ absoluut_verzuim }}.\n"
        "- in Winterswijk {{ luxe_verzuim }} meldingen\n",
        encoding="utf-8",
    )
    (root / "voorwoord.md").write_text(
        "In de regio kwam het absoluut verzuim uit op {{ absoluut_verzuim }}, ook in Aalten {{ luxe_verzuim }}.\n", encoding="utf-8"
    )
    (root / "gemeenten" / "aalten.md").write_text(
        "In Aalten waren er {{ absoluut_verzuim }} meldingen.\n\nIn de regio samen, in Aalten {{ luxe_verzuim }} keer luxe verzuim {{ regio }}.\n",
        encoding="utf-8",
    )
    with pytest.raises(teksten.TekstFout) as err:
        teksten.controleer(S, tmp_path)
    problemen = sorted(err.value.problemen, key=lambda p: ("gemeenten" in p, p))
    assert [p.split(":")[0] for p in problemen] == [
        "2024-2025/ontwikkelingen.md, regel 2",
        "2024-2025/ontwikkelingen.md, regel 6",
        "2024-2025/voorwoord.md, regel 1",
        "2024-2025/gemeenten/aalten.md, regel 3",
    ], problemen
    assert "‘de regio’" in problemen[0] and "{{ vrijstellingen_5a }}" in problemen[0] and "{{ gebied }}" in problemen[0]
    assert "‘Winterswijk’" in problemen[1]
    assert "‘Aalten’" in problemen[2]  # the voorwoord is the region's: it may say 'de regio', not a gemeente
    assert "‘LerenWerkt’" in problemen[3]  # {{ regio }} beside Aalten's figure
    # the renderer refuses it too, for any caller (the memo reads the gemeente's text)
    with pytest.raises(teksten.TekstFout, match="aalten.md, regel 3"):
        teksten.gemeente_tekst(teksten.Context(shipped, S, "Aalten", "openbaar"), tmp_path)
    with pytest.raises(teksten.TekstFout, match="ontwikkelingen.md, regel 2"):
        teksten.tekst("ontwikkelingen", teksten.Context(shipped, S, "Aalten"), tmp_path)


def test_the_aalten_katern_prints_aaltens_figure_with_aaltens_name(shipped):
    """The shipped 'Ontwikkelingen' puts the figure beside {{ gebied }}: Aalten's count of
    vrijstellingen 5 onder a is printed as Aalten's, the region's as the region's."""
    for g, gebied in ((None, "de regio"), ("Aalten", "de gemeente Aalten")):
        ctx = teksten.Context(shipped, S, g, "intern")
        cijfer = teksten.opgemaakt(teksten.figuur("vrijstellingen_5a", ctx), "intern")
        out = " ".join(teksten.tekst("ontwikkelingen", ctx).html().split())
        assert f"in {gebied} {cijfer} vrijstellingen op grond van artikel 5 onder a" in out, (g, out)
    regio = teksten.opgemaakt(teksten.figuur("vrijstellingen_5a", teksten.Context(shipped, S)), "intern")
    aalten = teksten.opgemaakt(teksten.figuur("vrijstellingen_5a", teksten.Context(shipped, S, "Aalten")), "intern")
    assert regio != aalten  # the mix-up was visible: the two differ
