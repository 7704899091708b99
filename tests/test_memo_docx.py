"""The raadsmededeling in Word: reopened with python-docx, its tables equal the published
(openbaar) memo tables cell by cell; a gemeente's own template works; the local explanation
or its placeholder is there."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt

from lerenwerkt import codes, fmt, gate, memo_docx, teksten
from lerenwerkt import tables as tb
from lerenwerkt.cli import main
from lerenwerkt.disclosure import rules

S = "2024-2025"


def _expected_tables(reg, gemeente: str) -> list[list[list[str]]]:
    """The memo tables as published (openbaar), as the cells a reader sees."""

    def cell(t, frame_row, row, col) -> str:
        if t.onderdrukt is not None and bool(t.onderdrukt.at[row, col]):
            return rules().symbool
        return fmt.getal(t.frame.at[row, col])

    out = []
    v = gate.publish(tb.memo_verzuim, reg, publicatie="openbaar", schooljaar=S, gemeente=gemeente)
    years = list(v.frame.columns)
    for label in tb.MEMO_SOORT.values():
        rows = [[""] + years]
        for n in codes.ONDERWIJSNIVEAU.values():
            r = f"{label} | {n}"
            rows.append([n] + [cell(v, None, r, y) for y in years])
        out.append(rows)
    s = gate.publish(tb.memo_vsv, reg, publicatie="openbaar", schooljaar=S, gemeente=gemeente)
    rows = [[""] + list(s.frame.columns)]
    for r in s.frame.index:
        rows.append([r] + [cell(s, None, r, y) for y in s.frame.columns])
    out.append(rows)
    return out


def _docx_tables(path: Path) -> list[list[list[str]]]:
    doc = Document(str(path))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    return [t for t in tables if t and t[0] and t[0][0] == ""]  # the data tables (a blank corner)


@pytest.fixture(scope="module")
def memos(shipped, tmp_path_factory):
    out = tmp_path_factory.mktemp("memo")
    return {g: memo_docx.schrijf(shipped, schooljaar=S, gemeente=g, out=out) for g in ("Aalten", "Doesburg")}


@pytest.mark.parametrize("gemeente", ["Aalten", "Doesburg"])
def test_docx_tables_equal_the_published_memo_tables(shipped, memos, gemeente):
    got = _docx_tables(memos[gemeente])
    expected = _expected_tables(shipped, gemeente)
    assert got == expected
    # openbaar: no count from 1 to drempel-1 in any cell
    k = rules().drempel
    numbers = [c for t in got for row in t[1:] for c in row[1:] if c.isdigit()]
    assert numbers and not [c for c in numbers if 0 < int(c) < k]


def test_doesburg_memo_has_suppressed_cells_and_says_what_the_symbol_means(memos):
    doc = Document(str(memos["Doesburg"]))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert rules().symbool in cells
    assert any(p.text.startswith(f"{rules().symbool} = niet gepubliceerd") for p in doc.paragraphs)


def test_memo_text_headings_and_local_explanation(shipped, memos):
    doc = Document(str(memos["Aalten"]))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].text == f"Raadsmededeling jaarverslag LerenWerkt {S}"
    for kop in (
        "Aanleiding",
        "Ontwikkelingen in de regio",
        "Lokale ontwikkelingen verzuim",
        "Lokale ontwikkelingen voortijdig schoolverlaten",
        "Toelichting Aalten",
    ):
        assert kop in text
    assert "{{" not in text and "{%" not in text
    ctx = teksten.Context(shipped, S, "Aalten", "openbaar", memo=True)  # as the memo fills its Toelichting
    zin = teksten.invullen("In {{ gemeente }} werden in schooljaar {{ schooljaar }} {{ absoluut_verzuim }} meldingen van absoluut verzuim", ctx)
    assert zin in " ".join(text.split())
    heading_styles = {p.style.name for p in doc.paragraphs if p.text == "Aanleiding"}
    assert heading_styles == {"Heading 2"}
    assert any(p.style.name == "List Bullet" for p in doc.paragraphs)
    doesburg = "\n".join(p.text for p in Document(str(memos["Doesburg"])).paragraphs)
    assert "[Lokale toelichting Doesburg: nog te schrijven]" in doesburg


def _huisstijl(path: Path, *, without: str | None = None) -> Path:
    """A gemeente's own template: other font, own letterhead, blocks in another order."""
    doc = Document()
    doc.styles["Normal"].font.name = "Georgia"
    doc.styles["Normal"].font.size = Pt(12)
    doc.add_paragraph("GEMEENTE TESTSTAD — huisstijl")
    doc.add_paragraph("Raadsinformatiebrief {{ gemeente }}, {{ schooljaar }}")
    for naam in ("toelichting", "aanleiding", "lokaal_vsv", "lokaal_verzuim", "regionaal"):
        if naam != without:
            doc.add_paragraph(f"{{{{p {naam} }}}}")
    doc.add_paragraph("Het college van burgemeester en wethouders")
    doc.save(str(path))
    return path


def test_custom_template_via_cli(shipped, tmp_path):
    sjabloon = _huisstijl(tmp_path / "huisstijl.docx")
    assert main(["memo", "--format", "docx", "--sjabloon", str(sjabloon), "--gemeente", "doesburg", "--out", str(tmp_path / "uit")]) == 0
    path = tmp_path / "uit" / "raadsmededeling-doesburg.docx"
    doc = Document(str(path))
    assert doc.paragraphs[0].text == "GEMEENTE TESTSTAD — huisstijl"
    assert doc.paragraphs[1].text == f"Raadsinformatiebrief Doesburg, {S}"
    assert doc.styles["Normal"].font.name == "Georgia"
    assert doc.paragraphs[-1].text == "Het college van burgemeester en wethouders"
    expected = _expected_tables(shipped, "Doesburg")
    assert _docx_tables(path) == [expected[-1], *expected[:-1]]  # this template puts the vsv block first


def test_template_without_a_placeholder_is_refused_before_anything_is_written(shipped, tmp_path):
    sjabloon = _huisstijl(tmp_path / "onvolledig.docx", without="lokaal_vsv")
    with pytest.raises(ValueError, match=r"\{\{p lokaal_vsv \}\}"):
        memo_docx.schrijf(shipped, schooljaar=S, gemeente="Aalten", out=tmp_path / "uit", sjabloon=sjabloon)
    assert not (tmp_path / "uit").exists()
    assert (
        main(["memo", "--sjabloon", str(tmp_path / "bestaat-niet.docx"), "--gemeente", "aalten", "--out", str(tmp_path)]) == 1
    )  # bad input: a problem report, exit 1
    assert main(["memo", "--gemeente", "lerenwerkt", "--out", str(tmp_path)]) == 1  # no memo for the region


def test_default_template_is_the_one_maak_sjabloon_writes(tmp_path):
    made = memo_docx.maak_sjabloon(tmp_path / "sjabloon.docx")
    assert memo_docx._placeholders(made) == memo_docx._placeholders(memo_docx.SJABLOON) == set(memo_docx.BLOKKEN) | set(memo_docx.OPTIONEEL)
    assert [p.text for p in Document(str(made)).paragraphs] == [p.text for p in Document(str(memo_docx.SJABLOON)).paragraphs]


def test_word_processor_opens_the_memo(memos, tmp_path):
    """LibreOffice (where installed) opens the file and prints it without complaint."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed (Debian: apt-get install libreoffice-writer-nogui); python-docx reopens the file in the other tests")
    run = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profiel", "--convert-to", "pdf", "--outdir", str(tmp_path), str(memos["Doesburg"])],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr
    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(tmp_path / "raadsmededeling-doesburg.pdf")).pages).split())
    assert f"Raadsmededeling jaarverslag LerenWerkt {S}" in text and "Lokale ontwikkelingen voortijdig schoolverlaten" in text


def test_core_properties_name_the_author_title_and_language(memos):
    props = Document(str(memos["Aalten"])).core_properties
    assert props.author == "LerenWerkt" and props.last_modified_by == "LerenWerkt"
    assert props.title == f"Raadsmededeling leerplicht en vsv Aalten {S}"
    assert props.language == "nl-NL"


def test_bijlage_is_the_same_text_in_word_and_in_the_html_memo(memos):
    import json

    from lerenwerkt.config import PACKAGE_DIR

    words = [p.text for p in Document(str(memos["Aalten"])).paragraphs]
    i = words.index("Bijlage")
    assert words[i + 1] == memo_docx.BIJLAGE
    assert memo_docx.BIJLAGE in memo_docx.bijlage().markup
    notebook = json.loads((PACKAGE_DIR.parent / "notebooks" / "raadsmededeling.ipynb").read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in notebook["cells"]]
    assert any("memo_docx.bijlage()" in s for s in sources) and not any("## Bijlage" in s for s in sources)


# ------------------------------------------------------------------ claims: Word = HTML
#: A sentence that makes a claim about change (the method note's quoted ‘steeg’ is no claim).
CLAIM = re.compile(r"(?<!‘)\b(steeg|daalde)\b(?!’)|\bbleef (vergelijkbaar|gelijk)\b")


def _html_memo(reg, *, schooljaar: str, gemeente: str) -> str:
    """The HTML raadsmededeling as the build renders it: the notebook's code cells run in
    order with its parameters set to this scope (openbaar) and the given register as ``reg``;
    the markup of every cell's result."""
    import ast
    import json

    from lerenwerkt.config import PACKAGE_DIR

    notebook = json.loads((PACKAGE_DIR.parent / "notebooks" / "raadsmededeling.ipynb").read_text(encoding="utf-8"))
    cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    ns: dict = {}
    exec("".join(cells[0]["source"]), ns)  # the parameters cell: its names, then this scope
    ns.update(schooljaar=schooljaar, gemeente=gemeente, publicatie="openbaar", reg=reg)
    markup = []
    for cell in cells[1:]:
        source = "\n".join(line for line in "".join(cell["source"]).splitlines() if not line.lstrip().startswith("%"))
        body = ast.parse(source).body
        # the register is this one (the notebook prepares data_dir): skip `reg = ...`
        body = [s for s in body if not (isinstance(s, ast.Assign) and any(getattr(t, "id", None) == "reg" for t in s.targets))]
        last = body.pop() if body and isinstance(body[-1], ast.Expr) else None
        exec(compile(ast.Module(body=body, type_ignores=[]), "<cell>", "exec"), ns)
        if last is not None:
            result = eval(compile(ast.Expression(last.value), "<cell>", "eval"), ns)
            markup.append(getattr(result, "markup", "") or "")
    return "".join(markup)


def _claims_html(markup: str) -> list[str]:
    from lxml import html as lh

    out = []
    for el in lh.fragments_fromstring(markup):
        if isinstance(el, str):
            continue
        for node in el.iter("li", "p"):
            if node.find(".//li") is not None or node.find(".//p") is not None:
                continue
            zin = " ".join("".join(node.itertext()).split())
            if CLAIM.search(zin):
                out.append(zin)
    return out


def _claims_docx(data: bytes) -> list[str]:
    doc = Document(io.BytesIO(data))
    return [zin for zin in (" ".join(p.text.split()) for p in doc.paragraphs) if CLAIM.search(zin)]


def test_word_memo_makes_exactly_the_claims_of_the_html_memo(shipped):
    """Every direction word ('steeg', 'daalde', 'bleef vergelijkbaar') in the Word memo is
    the HTML memo's sentence: one family of tests per memo, one Benjamini–Hochberg cut-off
    (the Word memo does not decide again, with a smaller family)."""
    jaren = sorted(set(shipped["verzuimmeldingen"].schooljaar.dropna()))[-2:]
    assert jaren == ["2023-2024", "2024-2025"]
    verschillen, richtingen = [], 0
    for schooljaar in jaren:
        for gemeente in codes.GEMEENTEN:
            html = _claims_html(_html_memo(shipped, schooljaar=schooljaar, gemeente=gemeente))
            word = _claims_docx(memo_docx.maak(shipped, schooljaar=schooljaar, gemeente=gemeente))
            assert html, (schooljaar, gemeente)  # the memo makes claims (regional ones at least)
            richtingen += sum(bool(re.search(r"\b(steeg|daalde) van\b", z)) for z in html)
            if word != html:
                verschillen.append((schooljaar, gemeente, sorted(set(word) ^ set(html))))
    assert richtingen  # some change is called real somewhere: the comparison is not vacuous
    assert not verschillen, f"{len(verschillen)} Word-memo's zeggen iets anders dan de HTML-memo:\n" + "\n".join(
        f"{s} {g}: {zin}" for s, g, zinnen in verschillen for zin in zinnen
    )


METHODE = "Methode: wanneer heet iets gestegen of gedaald?"


def _methode_html(markup: str) -> str:
    from lxml import html as lh

    for el in lh.fragments_fromstring(markup):
        if isinstance(el, str):
            continue
        heads = [h for h in el.iter("h3") if h.text_content().strip() == METHODE]
        if heads:
            return " ".join(heads[0].getnext().text_content().split())
    raise AssertionError("the HTML memo has no method note")


def _methode_docx(doc) -> tuple[int, str]:
    texts = [" ".join(p.text.split()) for p in doc.paragraphs]
    i = texts.index(METHODE)
    return i, texts[i + 1]


def test_the_word_memo_says_what_steeg_means_as_the_html_memo_does(shipped, memos):
    """The Word memo makes the HTML memo's claims ('steeg', 'daalde'), so it carries the HTML
    memo's method note too: the same text, with the memo's own number of comparisons, as
    the memo's last section (after the Bijlage, as in HTML)."""
    for gemeente, path in memos.items():
        doc = Document(str(path))
        i, noot = _methode_docx(doc)
        assert noot == _methode_html(_html_memo(shipped, schooljaar=S, gemeente=gemeente))
        assert "vergelijkingen" in noot or "vergelijking" in noot
        assert [p.text for p in doc.paragraphs].index("Bijlage") < i


def test_a_template_without_the_method_placeholder_still_gets_the_note(shipped, tmp_path):
    """A gemeente's own template made before the note existed: no error, and the note closes
    the template's last block (here before the college's signature)."""
    sjabloon = _huisstijl(tmp_path / "huisstijl.docx")
    assert "methode" not in memo_docx._placeholders(sjabloon)
    doc = Document(io.BytesIO(memo_docx.maak(shipped, schooljaar=S, gemeente="Aalten", sjabloon=sjabloon)))
    i, noot = _methode_docx(doc)
    assert noot == _methode_html(_html_memo(shipped, schooljaar=S, gemeente="Aalten"))
    assert doc.paragraphs[-1].text == "Het college van burgemeester en wethouders" and i < len(doc.paragraphs) - 1


# ------------------------------------------------------------------ a gemeente's template is outside input
def _kwaad(path: Path, payload: str, waar: str = "hoofdtekst") -> Path:
    """The default template with one hostile text: in the body, a header, a footer or the
    core property ``comments`` (Word: Opmerkingen), where a reader does not see it."""
    doc = Document(str(memo_docx.SJABLOON))
    if waar == "hoofdtekst":
        doc.paragraphs[1].add_run(payload)
    elif waar == "koptekst":
        doc.sections[0].header.paragraphs[0].text = payload
    elif waar == "voettekst":
        doc.sections[0].footer.paragraphs[0].text = payload
    else:
        doc.core_properties.comments = payload
    doc.save(str(path))
    return path


def _registratie_csv() -> Path:
    from lerenwerkt import config

    return sorted((config.RAW_DIR / "registratie").glob("*.csv"))[0]


_STACK = "(lipsum.__globals__.__builtins__.__import__('inspect').stack(0)|selectattr('function','equalto','maak')|first).frame.f_locals.reg"
#: Server-side template injections, each of which ran (or hung) with the plain Jinja environment.
SSTI = {
    "code": "{{ cycler.__init__.__globals__.os.popen('touch {marker}; id').read() }}",
    "bestand": "{{ cycler.__init__.__globals__.__builtins__.open('" + str(_registratie_csv()) + "').read() }}",
    "geheugen": "{{ " + _STACK + ".keys()|list }} {{ lipsum.__globals__.os.environ }}",
    "achtergehouden": "{{ lipsum.__globals__.__builtins__.__import__('lerenwerkt.tables', fromlist=['t']).memo_verzuim("
    + _STACK
    + ", schooljaar='2024-2025', gemeente='Doesburg').frame.to_csv() }}",
    "lus": "{% for i in range(10**10) %}x{% endfor %}",
    "filter": "{{ gemeente|upper }}",
    "commentaar": "{# stil #}",
}


@pytest.mark.parametrize(
    ("aanval", "waar"), [(a, "hoofdtekst") for a in SSTI] + [(a, w) for a in ("code", "lus") for w in ("koptekst", "voettekst", "comments")]
)
def test_hostile_template_is_refused_naming_the_part_and_runs_nothing(shipped, tmp_path, aanval, waar):
    """Every injection, wherever it hides, is refused with a Dutch message naming the file and
    the part, before anything is written; the shell command never ran. (The plain Jinja
    environment ran the command, read the delivery and the register from memory, printed the
    intern Doesburg table with its counts of 1–4, and hung on the loop.)"""
    import signal

    marker = tmp_path / "uitgevoerd"
    sjabloon = _kwaad(tmp_path / "kwaad.docx", SSTI[aanval].replace("{marker}", str(marker)), waar)

    def te_lang(*_):
        raise AssertionError("het sjabloon hield de build vast")

    vorige = signal.signal(signal.SIGALRM, te_lang)
    signal.alarm(120)
    try:
        with pytest.raises(ValueError) as err:
            memo_docx.schrijf(shipped, schooljaar=S, gemeente="Doesburg", out=tmp_path / "uit", sjabloon=sjabloon)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, vorige)
    msg = str(err.value)
    deel = {"hoofdtekst": "hoofdtekst", "koptekst": "koptekst (word/header", "voettekst": "voettekst (word/footer", "comments": "documenteigenschap 'comments'"}
    assert msg.startswith(f"sjabloon kwaad.docx, {deel[waar]}"), msg
    assert "toegestaan" in msg and "{{ gemeente }}" in msg and "{{p aanleiding }}" in msg, msg
    assert not marker.exists() and not (tmp_path / "uit").exists()
    assert not re.search(r"J\d{7}|\d{4}-\d{2}-\d{2}|uid=", msg), msg  # the message quotes the template, nothing it would have read


@pytest.mark.parametrize(
    ("tekst", "verwacht"),
    [("{{ aanleiding }}", "staat in een zin"), ("{{ onbekend }}", "geen bekende plaatshouder"), ("{{ gemeente.__class__ }}", "geen toegestane")],
)
def test_only_the_documented_placeholders_in_their_place(tmp_path, tekst, verwacht):
    """The check names what is wrong: a block inside a sentence, an unknown name, an attribute.
    A build checks every ``--sjabloon`` so before anything is built."""
    from lerenwerkt import pakket

    sjabloon = _kwaad(tmp_path / "huisstijl.docx", tekst)
    with pytest.raises(ValueError, match=verwacht):
        pakket.sjabloon_per_gemeente([f"doesburg={sjabloon}"])
    assert pakket.sjabloon_per_gemeente([f"doesburg={memo_docx.SJABLOON}"])  # the default template passes


def test_template_process_is_limited_in_time_and_memory(tmp_path):
    """The template is filled in a process of its own: past its time limit it is stopped, and a
    template that unpacks into a huge document (a zip bomb of empty paragraphs, 60 MB) runs
    out of the process's memory, not the build's."""
    import resource
    import time
    import zipfile

    from lerenwerkt import sjabloon

    with pytest.raises(sjabloon.SjabloonFout, match=r"duurde langer dan 0\.05 s en is afgebroken"):
        sjabloon.controleer(memo_docx.SJABLOON, seconden=0.05)

    bom = tmp_path / "bom.docx"
    with zipfile.ZipFile(memo_docx.SJABLOON) as zin, zipfile.ZipFile(bom, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * 10_000_000)
            zout.writestr(item.filename, data)
    assert bom.stat().st_size < 2**20
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    with pytest.raises(sjabloon.SjabloonFout, match=r"sjabloon bom\.docx: .*meer dan 256 MB geheugen"):
        sjabloon.controleer(bom, geheugen=256 * 2**20)
    assert time.perf_counter() - t0 < 60
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KB: the build did not unpack it
