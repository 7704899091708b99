"""One label, one definition: a label says what it counts, from which source and on which
peildatum, so two different figures never share a label; a table has one caption in drafts,
book and workbook; a definition has one text in the chapter and the raadsmededeling."""

from __future__ import annotations

import re

from lerenwerkt import fmt
from lerenwerkt import tables as tb
from lerenwerkt.chapters import absoluut_verzuim, base, verzuim, vrijstellingen
from lerenwerkt.indicators.bevolking import leerplichtigen, peildatum

S = "2024-2025"


def test_leerplichtigen_label_names_source_and_peildatum(shipped):
    """The rates' denominator counts on another peildatum than Tabel 1 (its caption names its
    own): the label names its peildatum, read from the code that counts, not typed in."""
    bev = shipped["bevolking"]
    peil = peildatum(bev, schooljaar=S)
    label = base.leerplichtigen_label(shipped, schooljaar=S)
    assert label == f"Leerplichtigen 5 tot 18 jaar (CBS, peildatum {fmt.datum(peil)})"
    t1 = tb.tabel1_bevolking(shipped, schooljaar=S)
    tabel1_peil = re.search(r"peildatum (1 januari \d{4})", t1.titel).group(1)
    tabel1_5_17 = int(t1.frame.loc["Totaal", ["5 tot 16-jarigen", "16 tot 18-jarigen"]].sum())
    if tabel1_5_17 != leerplichtigen(bev, schooljaar=S):  # two figures: two labels
        assert tabel1_peil not in label and fmt.datum(peil) not in t1.titel
    for block in (
        verzuim.per_gemeente(shipped, schooljaar=S, gemeente=None),
        vrijstellingen.vrijstellingen_per_gemeente(shipped, schooljaar=S, gemeente="Aalten"),
        absoluut_verzuim.per_gemeente(shipped, schooljaar=S, gemeente=None),
    ):
        assert "<th" in block.markup and label in block.markup
        assert "Leerplichtigen (5-17 jaar)" not in block.markup and ">Leerplichtigen<" not in block.markup


def _captions(markup: str) -> list[str]:
    from lxml import html as lh

    root = lh.fragment_fromstring(markup, create_parent="div")
    return [" ".join("".join(c.itertext()).split()) for c in root.xpath(".//table/caption")]


def test_bijlage_tables_carry_their_full_caption(shipped):
    """A table of a bijlage has one caption, 'Bijlage 1 Tabel 3A …', in the builder: drafts,
    book and workbook print it as is (no second place adds the 'Bijlage n')."""
    from lerenwerkt import catalogue

    bijlage = [e for e in catalogue.ENTRIES if re.match(r"bijlage\d_", e.id)]
    assert len(bijlage) >= 10
    for e in bijlage:
        t = e.build(shipped, schooljaar=S, gemeente=e.scope_list[0])
        assert t.titel.startswith(f"Bijlage {e.id[7]} "), t.titel
    draft = verzuim.bijlage1(shipped, schooljaar=S, gemeente=None).markup
    assert any(c.startswith("Bijlage 1 Tabel 3A Aantal verzuimmeldingen") for c in _captions(draft))


def test_book_prints_the_drafts_bijlage_captions(shipped):
    """The book renumbers captions; in its bijlagen the numbers are the drafts' own."""
    from lerenwerkt import boek
    from lerenwerkt.chapters import bijlagen

    nr = boek._Nummering()
    for n, func in ((1, verzuim.bijlage1), (2, bijlagen.bijlage2), (3, bijlagen.bijlage3)):
        draft = func(shipped, schooljaar=S, gemeente="Aalten").markup
        sectie = boek.Sectie(f"Bijlage {n}", [], f"Bijlage {n}", bijlage=n)
        book = boek._nummer(draft, boek.Item(lambda d=draft: d), sectie, nr)
        assert _captions(book) == _captions(draft) and all(c.startswith(f"Bijlage {n} Tabel") for c in _captions(draft))


def test_verzuim_definitions_are_worded_once(shipped, tmp_path):
    """The raadsmededeling (HTML and Word) defines absoluut and relatief (wettelijk) verzuim
    in the verzuim chapter's words: both print lerenwerkt.definities, nothing else."""
    import html

    import nbformat
    from docx import Document

    from lerenwerkt import config, definities, memo_docx
    from lerenwerkt.chapters import raadsmededeling

    memo_html = raadsmededeling.lokaal_verzuim(shipped, schooljaar=S, gemeente="Aalten").markup
    word = "\n".join(p.text for p in Document(str(memo_docx.schrijf(shipped, schooljaar=S, gemeente="Aalten", out=tmp_path))).paragraphs)
    hoofdstuk = verzuim.definitie("absoluut").markup + verzuim.definitie("relatief").markup
    for soort in ("absoluut", "wettelijk", "luxe", "overig"):
        tekst = definities.VERZUIM[soort]
        assert html.escape(tekst) in hoofdstuk and html.escape(tekst) in memo_html and tekst in word, soort
    for label in ("Absoluut verzuim", "Relatief (wettelijk) verzuim"):  # each memo label has one definition, the chapter's
        memo_zinnen = [z for z in raadsmededeling.DEFINITIES if z.startswith(f"{label}:")]
        assert len(memo_zinnen) == 1 and memo_zinnen[0].split(": ", 1)[1] in {definities.VERZUIM[s] for s in definities.VERZUIM}
    nb = nbformat.read(config.NOTEBOOKS_DIR / "verzuim.ipynb", as_version=4)
    markdown = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "ingeschreven" not in markdown  # the notebook prints the definitions, it does not word them
    assert {'hoofdstuk.definitie("absoluut")', 'hoofdstuk.definitie("relatief")'} <= {c.source for c in nb.cells if c.cell_type == "code"}


def test_comparison_sentences_name_both_schooljaren_and_the_unit(shipped):
    """'bleef vergelijkbaar: 29 en 36' named no year and no unit: every comparison sentence of
    the drafts and the memo names both schooljaren, the first number with its unit; in
    openbaar a withheld count reads 'niet gepubliceerd …', small or not."""
    from lerenwerkt import text
    from lerenwerkt.chapters import raadsmededeling, vsv

    vergelijking = re.compile(r"bleef vergelijkbaar|bleef gelijk| steeg van | daalde van |te klein om te vergelijken|geen vergelijking")
    kaal = re.compile(r"(?:vergelijkbaar:|van) (?:geen|niet gepubliceerd|[\d.]+) (?:en|naar) ")  # a number pair without a unit
    gezien, openbaar_woorden = 0, set()
    for gemeente, publicatie in ((None, "intern"), ("Aalten", "openbaar"), ("Doesburg", "openbaar"), ("Montferland", "openbaar")):
        scope = {"schooljaar": S, "gemeente": gemeente, "publicatie": publicatie}
        blocks = [
            verzuim.samenvatting(shipped, **scope),
            verzuim.absoluut(shipped, **scope),
            verzuim.achttien_plus(shipped, **scope),
            vrijstellingen.samenvatting(shipped, **scope),
            vsv.samenvatting(shipped, **scope),
            vsv.zorg_preventie(shipped, **scope),
            absoluut_verzuim.inleiding(shipped, **scope),
        ]
        if gemeente is not None:
            blocks += [
                raadsmededeling.regionaal(shipped, schooljaar=S, publicatie=publicatie),
                raadsmededeling.lokaal_verzuim(shipped, **scope),
                raadsmededeling.lokaal_vsv(shipped, **scope),
            ]
        for block in blocks:
            for zin in re.findall(r"<(?:li|p)>(.*?)</(?:li|p)>", block.markup, flags=re.S):
                if not vergelijking.search(zin):
                    continue
                gezien += 1
                assert "in 2023-2024" in zin and "in 2024-2025" in zin, zin
                assert not kaal.search(zin), zin
                assert "minder dan" not in zin and "te klein" not in zin, zin
                openbaar_woorden |= {w for w in (text.BESCHERMD, text.NIET_GEPUBLICEERD) if publicatie == "openbaar" and w in zin}
    assert gezien > 40
    assert {text.NIET_GEPUBLICEERD, text.BESCHERMD} <= openbaar_woorden
