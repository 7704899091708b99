"""The raadsmededeling as Word: one ``.docx`` per gemeente, rendered from a Word template the
gemeente can supply (its huisstijl) with docxtpl.

The content is the HTML raadsmededeling's (``lerenwerkt.chapters.raadsmededeling``, always
``openbaar``: every table through the disclosure gate), converted element by element: headings,
paragraphs, bullets and real Word tables with the cells exactly as formatted for the HTML
(``lerenwerkt.fmt``: ``1.209``; ``.`` for a withheld cell). The local explanation comes from
``teksten/<schooljaar>/gemeenten/<slug>.md`` (or a marked placeholder).

Placeholders a template may use (Jinja, docxtpl): ``{{ titel }}``, ``{{ gemeente }}``,
``{{ schooljaar }}``, ``{{ publicatie }}`` as text; ``{{p aanleiding }}``,
``{{p regionaal }}``, ``{{p lokaal_verzuim }}``, ``{{p lokaal_vsv }}``,
``{{p toelichting }}`` as blocks, each in a paragraph of its own; optionally ``{{p methode }}``,
the method note on 'steeg' and 'daalde' (the HTML memo's last section). A template without it
still gets the note: at the end of its last block, so that no memo says 'steeg' without
saying what it means. The default template, ``lerenwerkt/templates/docx/raadsmededeling.docx``,
is made by :func:`maak_sjabloon`.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import TYPE_CHECKING

from lerenwerkt import codes, config

if TYPE_CHECKING:  # the renderer (pandas, matplotlib) is imported where used: the template process needs none of it
    from lerenwerkt import render

SJABLOON = config.PACKAGE_DIR / "templates" / "docx" / "raadsmededeling.docx"
#: Block placeholders (``{{p naam }}``) and text placeholders of the template.
BLOKKEN = ("aanleiding", "regionaal", "lokaal_verzuim", "lokaal_vsv", "toelichting")
#: Block placeholders a template may leave out (then the block closes its last block).
OPTIONEEL = ("methode",)
TEKSTEN = ("titel", "gemeente", "schooljaar", "publicatie")
#: The memo's closing text, the one source for the HTML memo (:func:`bijlage`) and the Word template.
BIJLAGE = "Het jaarverslag LerenWerkt en de hoofdstukconcepten voor deze gemeente."
#: Word's core properties of every memo.
AUTEUR = "LerenWerkt"
TAAL = "nl-NL"


def bijlage() -> render.Block:
    """The memo's closing section, as the HTML raadsmededeling shows it."""
    from lerenwerkt import render

    return render.heading("Bijlage", 2) + render.paragraph(BIJLAGE)


def titel(gemeente: str, schooljaar: str) -> str:
    """The Word document's title (core property)."""
    return f"Raadsmededeling leerplicht en vsv {gemeente} {schooljaar}"


# ------------------------------------------------------------------ HTML -> Word
def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _heading(doc, text: str, level: int) -> None:
    try:
        doc.add_heading(text, level=level)
    except KeyError:  # a template without heading styles
        doc.add_paragraph().add_run(text).bold = True


def _paragraph(doc, text: str, style: str | None = None, *, italic: bool = False, size: float | None = None) -> None:
    from docx.shared import Pt

    try:
        p = doc.add_paragraph(style=style)
    except KeyError:
        p = doc.add_paragraph()
        text = ("• " + text) if style and "Bullet" in style else text
    run = p.add_run(text)
    run.italic = italic
    if size:
        run.font.size = Pt(size)


def _borders(table) -> None:
    """Thin borders set on the table itself, so they show whatever styles a template has."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "single")
        e.set(qn("w:sz"), "4")
        e.set(qn("w:color"), "808080")
        borders.append(e)
    tbl_pr.append(borders)


def _table(doc, figure) -> None:
    """A rendered ``figure.lw-table`` as caption, a real Word table, and its source lines."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    caption = figure.find(".//caption")
    if caption is not None:
        p = doc.add_paragraph()
        p.add_run(_text(caption)).bold = True
        p.paragraph_format.keep_with_next = True
    rows = []
    for tr in figure.iter("tr"):
        cells = []
        for c in tr:
            if c.tag not in ("th", "td"):
                continue
            value = _text(c).replace("\xa0", "").strip()
            cells += [(value, c.tag == "th", c.getparent().getparent().tag == "thead")] * int(c.get("colspan", 1))
        rows.append(cells)
    width = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=width)
    _borders(table)
    for i, cells in enumerate(rows):
        for j, (value, is_th, is_head) in enumerate(cells):
            cell = table.cell(i, j)
            cell.text = value
            par = cell.paragraphs[0]
            for run in par.runs:
                run.font.size = Pt(9)
                run.bold = is_head
            if j > 0 and not (is_th and not is_head):
                par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            par.paragraph_format.keep_with_next = i < len(rows) - 1  # a small table stays on one page
    for cap in figure.findall("figcaption"):
        _paragraph(doc, _text(cap), italic=True, size=8)


def _image(doc, figure) -> None:
    from docx.shared import Cm

    title = figure.find("figcaption")
    if title is not None:
        doc.add_paragraph().add_run(_text(title)).bold = True
    img = figure.find(".//img")
    data = base64.b64decode(img.get("src").split(",", 1)[1])
    doc.add_picture(io.BytesIO(data), width=Cm(15))
    for cap in figure.findall("figcaption")[1:]:
        _paragraph(doc, _text(cap), italic=True, size=8)


def html_naar_word(markup: str, doc) -> None:
    """Append an HTML block (as made by ``lerenwerkt.render``) to a python-docx document."""
    from lxml import html as lh

    for el in lh.fragments_fromstring(markup):
        if isinstance(el, str):
            if el.strip():
                _paragraph(doc, el.strip())
            continue
        tag, cls = el.tag, el.get("class", "")
        if tag in ("h1", "h2", "h3", "h4"):
            _heading(doc, _text(el), int(tag[1]))
        elif tag == "p":
            _paragraph(doc, _text(el), italic="lw-scope" in cls or "lw-placeholder" in cls)
        elif tag in ("ul", "ol"):
            for li in el.findall("li"):
                _paragraph(doc, _text(li), style="List Bullet" if tag == "ul" else "List Number")
        elif tag == "figure" and "lw-table" in cls:
            _table(doc, el)
        elif tag == "figure" and "lw-figure" in cls:
            _image(doc, el)
        elif tag == "blockquote":
            _paragraph(doc, _text(el), italic=True)
        elif tag in ("div", "section"):
            html_naar_word("".join(lh.tostring(c, encoding="unicode") for c in el), doc)
        elif _text(el):
            _paragraph(doc, _text(el))


# ------------------------------------------------------------------ the memo
def blokken(reg, *, schooljaar: str, gemeente: str, teksten_dir=None) -> dict[str, render.Block]:
    """The memo's blocks as the HTML raadsmededeling shows them (openbaar), plus the local
    explanation from teksten/.

    Every section is called with the memo's scope, exactly as the notebook calls it: the
    sections are then one draft (:mod:`lerenwerkt.claims`), one family of change tests with one
    Benjamini–Hochberg cut-off, and each direction word is the HTML memo's. (Called without the
    gemeente, the regional section would be a draft of its own, a smaller family with a more
    lenient cut-off: 'daalde' in Word where the HTML memo says 'bleef vergelijkbaar'.)"""
    from lerenwerkt import render, teksten
    from lerenwerkt.chapters import raadsmededeling as rm

    scope = dict(schooljaar=schooljaar, gemeente=gemeente, publicatie="openbaar")
    ctx = teksten.Context(reg, schooljaar, gemeente, "openbaar")
    toelichting = teksten.gemeente_tekst(ctx, teksten_dir)
    return {
        "aanleiding": rm.aanleiding(**scope),
        "regionaal": rm.regionaal(reg, **scope),
        "lokaal_verzuim": rm.lokaal_verzuim(reg, **scope),
        "lokaal_vsv": rm.lokaal_vsv(reg, **scope),
        "toelichting": render.Block(toelichting.html()),
        "methode": rm.methode(reg, **scope),
    }


def bestandsnaam(gemeente: str) -> str:
    return f"raadsmededeling-{codes.slug(gemeente)}.docx"


def schrijf(reg, *, schooljaar: str, gemeente: str, out: Path | str, sjabloon: Path | str | None = None, teksten_dir=None) -> Path:
    """Render one gemeente's raadsmededeling into ``out`` (a folder); returns the file."""
    from lerenwerkt.io import atomic_write_bytes

    data = maak(reg, schooljaar=schooljaar, gemeente=gemeente, sjabloon=sjabloon, teksten_dir=teksten_dir)
    path = Path(out) / bestandsnaam(gemeente)
    atomic_write_bytes(path, data)
    return path


def maak(reg, *, schooljaar: str, gemeente: str, sjabloon: Path | str | None = None, teksten_dir=None) -> bytes:
    """One gemeente's raadsmededeling as the bytes of a ``.docx``: the template (outside input)
    checked and filled in a sandbox, in a process of its own with limits
    (:mod:`lerenwerkt.sjabloon`); its dates are the delivery's (:mod:`lerenwerkt.reproducible`)."""
    from lerenwerkt import reproducible
    from lerenwerkt import sjabloon as tpl

    pad = Path(sjabloon) if sjabloon else SJABLOON
    tpl.controleer(pad)  # a hostile or incomplete template is refused before the blocks are made
    teksten = {
        "titel": f"Raadsmededeling jaarverslag LerenWerkt {schooljaar}",
        "gemeente": gemeente,
        "schooljaar": schooljaar,
        "publicatie": "openbaar (kleine aantallen onderdrukt)",
    }
    blocks = blokken(reg, schooljaar=schooljaar, gemeente=gemeente, teksten_dir=teksten_dir)
    eigenschappen = {"author": AUTEUR, "last_modified_by": AUTEUR, "title": titel(gemeente, schooljaar), "language": TAAL}
    datum = reproducible.iso(reproducible.datum(reproducible.leveringsdatum(reg)))
    return tpl.vul_in(pad, teksten=teksten, blokken={k: b.markup for k, b in blocks.items()}, eigenschappen=eigenschappen, datum=datum)


def _placeholders(path: Path, *, in_order: bool = False) -> set[str] | list[str]:
    """Names used as ``{{p naam }}`` in a template (read from its document XML); with
    ``in_order`` a list in the document's order."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    plain = re.sub(r"<[^>]+>", "", xml)
    names = re.findall(r"\{\{p\s+(\w+)\s*\}\}", plain)
    return list(dict.fromkeys(names)) if in_order else set(names)


def maak_sjabloon(path: Path | str = SJABLOON) -> Path:
    """Write the default template (A4, plain huisstijl) with every placeholder."""
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.add_heading("{{ titel }}", level=0)
    doc.add_paragraph("Gemeente {{ gemeente }} · schooljaar {{ schooljaar }} · {{ publicatie }}").runs[0].italic = True
    table = doc.add_table(rows=3, cols=2)
    _borders(table)
    for i, (k, v) in enumerate(
        (("Aan", "De gemeenteraad van {{ gemeente }}"), ("Van", "Het college van burgemeester en wethouders"), ("Onderwerp", "{{ titel }}"))
    ):
        table.cell(i, 0).text, table.cell(i, 1).text = k, v
    doc.add_paragraph()
    for naam in ("aanleiding", "regionaal", "lokaal_verzuim", "lokaal_vsv"):
        doc.add_paragraph(f"{{{{p {naam} }}}}")
    doc.add_heading("Toelichting {{ gemeente }}", level=2)
    doc.add_paragraph("{{p toelichting }}")
    doc.add_heading("Bijlage", level=2)
    doc.add_paragraph(BIJLAGE)
    doc.add_paragraph("{{p methode }}")
    doc.core_properties.author = doc.core_properties.last_modified_by = AUTEUR
    doc.core_properties.language = TAAL
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def schrijf_alle(reg, *, schooljaar: str, gemeenten, out: Path | str, sjabloon=None, teksten_dir=None) -> list[Path]:
    return [schrijf(reg, schooljaar=schooljaar, gemeente=g, out=out, sjabloon=sjabloon, teksten_dir=teksten_dir) for g in gemeenten]


if __name__ == "__main__":  # python -m lerenwerkt.memo_docx: (re)make the default template
    print(maak_sjabloon())
