"""The jaarverslag as a book: report order and numbering, contents and cross-references,
placeholders, and the PDF printed by headless Chromium (page count, captions in order, key
figures, landscape bijlage, no table wider than its page)."""

from __future__ import annotations

import re

import pytest
from lxml import html as lh

from lerenwerkt import boek, codes, fmt, gate, teksten
from lerenwerkt import tables as tb

S = "2024-2025"
#: The published report's numbering, in its order (structure, not figures).
REPORT_ORDER = [
    "Tabel 1", "Grafiek 1", "Grafiek 2", "Grafiek 3", "Grafiek 4", "Diagram 1", "Tabel 2", "Grafiek 5", "Tabel 3",
    "Grafiek 6", "Tabel 4", "Tabel 5", "Tabel 6", "Tabel 7", "Grafiek 7",
    *[f"Bijlage 1 Tabel {n}{ab}" for n in range(1, 6) for ab in "AB"],
    "Bijlage 2 Tabel 1", "Bijlage 2 Tabel 2", "Bijlage 3 Tabel 1", "Bijlage 3 Tabel 2", "Bijlage 3 Tabel 3",
]  # fmt: skip
CHAPTERS = [
    "Voorwoord",
    "1 LerenWerkt",
    "2 Schoolverzuim • Cijfers & Resultaten",
    "3 Voortijdig schoolverlaten • Cijfers & Resultaten",
    "4 Regionale en landelijke ontwikkelingen",
    "Methodenoot",
    "Bijlage 1.",
    "Bijlage 2.",
    "Bijlage 3.",
    "Bijlage 4.",
]
#: The regional book prints on about this many A4 pages (measured: 28, with the definitions and the Methodenoot).
EXPECTED_PAGES, MARGIN = 28, 5


def _chromium_or_skip():
    pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')")
    if not boek.chromium_pad():
        pytest.skip("Chromium is not installed on this machine (Debian: apt-get install chromium); the PDF tests need it")


@pytest.fixture(scope="module")
def boeken(shipped, tmp_path_factory):
    """The regional book (intern) and one lokaal katern (openbaar), HTML only."""
    out = tmp_path_factory.mktemp("boek")
    regio = boek.bouw(shipped, schooljaar=S, gemeenten=[None], out=out / "intern", pdf=False)[0]
    katern = boek.bouw(shipped, schooljaar=S, gemeenten=["Aalten"], publicatie="openbaar", out=out / "openbaar", pdf=False)[0]
    return regio, katern


@pytest.mark.parametrize("which", [0, 1])
def test_book_follows_the_report_order_and_numbering(boeken, which):
    b = boeken[which]
    assert [n.label for n in b.nummers] == REPORT_ORDER
    doc = lh.fromstring(b.html)
    kop = [" ".join(h.text_content().split()) for h in doc.xpath("//main//h1")]
    expected = CHAPTERS if which == 0 else ["Lokale toelichting Aalten", *CHAPTERS[1:]]
    assert [k for k in kop if any(k.startswith(c) for c in expected)] == kop
    assert len(kop) == len(expected)
    # every caption appears once: a chart and its numbers are never both 'Grafiek 2'
    captions = [" ".join(c.text_content().split()) for c in doc.xpath("//main//caption | //main//figcaption[@class='lw-titel']")]
    for label in REPORT_ORDER:
        assert sum(bool(re.match(rf"{re.escape(label)}\b(?![AB])", c)) for c in captions) == 1, label
    # the numbers of a chart are labelled as such
    assert any(c.startswith("Cijfers bij Grafiek 2:") for c in captions)


def test_contents_and_cross_references_resolve(boeken):
    doc = lh.fromstring(boeken[0].html)
    ids = set(doc.xpath("//@id"))
    links = [a.get("href")[1:] for a in doc.xpath("//a[starts-with(@href, '#')]")]
    assert len(links) >= len(REPORT_ORDER) + len(CHAPTERS)
    assert not [x for x in links if x not in ids]
    refs = [" ".join(p.text_content().split()) for p in doc.xpath("//p[@class='lw-verwijzing']")]
    assert any("Bijlage 3 Tabel 1" in r for r in refs) and any("Bijlage 2 Tabel 2" in r for r in refs)


def test_katern_shows_the_gemeente_and_the_public_edition(shipped, boeken):
    regio, katern = boeken
    assert "INTERN — niet verspreiden" in regio.html
    assert "INTERN" not in katern.html
    assert 'content="openbaar"' in katern.html
    # the local explanation of Aalten, with its figure as published (openbaar)
    ctx = teksten.Context(shipped, S, "Aalten", "openbaar")
    assert f"{teksten.opgemaakt(teksten.figuur('absoluut_verzuim', ctx), 'openbaar')} meldingen van absoluut" in katern.html
    # Tabel 4 in the katern: the gemeente and the regional total only
    doc = lh.fromstring(katern.html)
    t4 = doc.xpath("//figure[@id='tabel-4']//tbody/tr/th")
    assert [" ".join(th.text_content().split()) for th in t4] == ["Aalten", f"{codes.REGIO} (totaal)"]
    assert not katern.ontbrekend and not regio.ontbrekend


def test_placeholders_when_texts_are_missing(shipped, tmp_path):
    b = boek.maak(shipped, schooljaar=S, teksten_dir=tmp_path)
    for label in ("Voorwoord", "Inleiding LerenWerkt", "Ontwikkelingen", "Verhalen"):
        assert f"[{label}: nog te schrijven]" in b.html
    assert set(b.ontbrekend) == {"Voorwoord", "Inleiding LerenWerkt", "Ontwikkelingen", "Verhalen"}
    assert "Concept: nog te schrijven" in b.html
    katern = boek.maak(shipped, schooljaar=S, gemeente="Doesburg", teksten_dir=tmp_path)
    assert "[Lokale toelichting Doesburg: nog te schrijven]" in katern.html


def test_without_chromium_the_html_is_written_and_the_command_says_how(shipped, tmp_path, monkeypatch):
    pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("LERENWERKT_CHROMIUM", str(tmp_path / "geen-chromium"))
    said = []
    b = boek.bouw(shipped, schooljaar=S, gemeenten=["Winterswijk"], out=tmp_path, melding=said.append)[0]
    assert b.pad.is_file() and b.pdf is None
    assert said == [boek.GEEN_CHROMIUM] and "apt-get install chromium" in said[0]


@pytest.mark.slow
def test_pdf_pages_captions_figures_and_widths(shipped, boeken, tmp_path):
    _chromium_or_skip()
    from pypdf import PdfReader

    regio, katern = boeken
    with boek.Printer() as printer:
        for b in (regio, katern):
            assert printer.te_breed(b.pad) == [], "a table is wider than its printed page"
        pdf = printer.pdf(regio.pad, tmp_path / "jaarverslag.pdf", titel=f"Jaarverslag LerenWerkt {S}", openbaar=False)
    reader = PdfReader(str(pdf))
    pages = [p.extract_text() for p in reader.pages]
    assert abs(len(pages) - EXPECTED_PAGES) <= MARGIN, len(pages)
    text = " ".join(" ".join(pages).split())
    pos = 0
    for n in regio.nummers:  # every caption, in order
        i = text.find(f"{n.label} ", pos)
        assert i >= 0, n.label
        pos = i
    # page numbers and the running header (intern)
    assert f"pagina 1 van {len(pages)}" in " ".join(pages[0].split())
    assert "INTERN — niet verspreiden" in pages[-1]
    # key figures as published
    g2 = gate.publish(tb.grafiek2, shipped, publicatie="intern", schooljaar=S, gemeente=None).frame
    t1 = tb.tabel1_bevolking(shipped, schooljaar=S).frame
    assert f"Absoluut verzuim {' '.join(fmt.getal(v) for v in g2.loc['Absoluut verzuim'])}" in text
    assert fmt.getal(t1.at[codes.TOTAAL, "totaal"]) in text
    # the wide Bijlage 4 on a landscape page; the rest portrait
    wide = [i for i, p in enumerate(reader.pages) if p.mediabox.width > p.mediabox.height]
    assert wide and all("Bijlage 4" in pages[i] for i in wide[:1])
    assert len(wide) < len(pages) // 4
    # the contents give the page numbers (second pass from the PDF's destinations)
    inhoud = " ".join(pages[1].split())
    assert f"Bijlage 4. Waar gaan kinderen naar school? {wide[0] + 1}" in inhoud
    assert re.search(r"Voorwoord 3 1 LerenWerkt \d+ 2 Schoolverzuim • Cijfers & Resultaten \d+", inhoud)
    # images embedded: the charts are in the PDF, no external resources in the HTML
    assert sum(len(p.images) for p in reader.pages) >= 8
    assert not re.search(r'src="(?!data:)', regio.html)


def test_public_katern_shows_no_register_count_below_the_threshold(boeken):
    from lerenwerkt.disclosure import rules

    k = rules().drempel
    doc = lh.fromstring(boeken[1].html)
    checked = 0
    for fig in doc.xpath("//figure[contains(@class, 'lw-table')]"):
        if "JVS" not in " ".join(fig.xpath(".//figcaption[@class='lw-bron']//text()")):
            continue  # public extern figures (CBS, DUO, Leerplichttelling) are not suppressed
        cells = [td.text_content().strip() for td in fig.xpath(".//td")]
        small = [c for c in cells if c.isdigit() and 0 < int(c) < k]
        assert not small, " ".join(fig.xpath(".//caption//text()"))
        checked += 1
    assert checked >= 20
    assert rules().symbool in [td.text_content().strip() for td in doc.xpath("//td")]


def test_boek_command_writes_the_html_and_lists_the_names(tmp_path, capsys):
    from lerenwerkt.cli import main

    assert main(["boek", "--gemeente", "doesburg", "--publicatie", "openbaar", "--geen-pdf", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "lokaal-katern-doesburg.html").is_file() and not (tmp_path / "lokaal-katern-doesburg.pdf").exists()
    assert "nog te schrijven: Lokale toelichting Doesburg" in out and "(openbaar)" in out
    assert "1 lokaal katern geschreven in" in out and "boek geschreven" not in out
    assert main(["boek", "--namen"]) == 0
    names = capsys.readouterr().out
    assert "{{ absoluut_verzuim }}" in names and "{{ nieuwe_vsvers }}" in names


# ------------------------------------------------------------------ hostile input (issue 21.2)
#: Labels an attacker could put in a delivery: markup that runs (or fetches) where it is not escaped.
PAYLOADS = ("<img src=x onerror=alert(1)>", "<script>alert(2)</script>", "<b onmouseover=alert(3)>kop</b> & co")


def _no_elements_from(markup: str) -> None:
    """Parsed, the markup holds no element a payload would make (no script, no img but the
    embedded charts, no element with an event handler)."""
    doc = lh.fromstring(markup)
    assert not doc.xpath("//script"), "a script element"
    assert not [i for i in doc.xpath("//img") if not (i.get("src") or "").startswith("data:image/png;base64,")], "an img from a payload"
    assert not doc.xpath("//@*[starts-with(name(), 'on')]"), "an event handler attribute"
    assert not doc.xpath("//b[text()='kop']"), "a b element from a payload"


def test_table_labels_are_escaped_on_both_axes_and_every_level():
    """pandas' Styler escapes the data cells only: a row or column label (any level), the
    caption, the source and the note are text, never markup."""
    import pandas as pd

    from lerenwerkt import render

    rows = pd.MultiIndex.from_tuples([(PAYLOADS[0], PAYLOADS[1]), ("Totaal", "alle")])
    cols = pd.MultiIndex.from_tuples([(PAYLOADS[2], 2024), (PAYLOADS[2], 2025)])
    frame = pd.DataFrame([[1, 2], [3, 4]], index=rows, columns=cols)
    markup = render.table(frame, titel=PAYLOADS[1], bron=PAYLOADS[0], uid="xss", noot=PAYLOADS[2]).markup
    _no_elements_from(markup)
    doc = lh.fromstring(markup)
    texts = [th.text_content() for th in doc.xpath("//th")]
    assert PAYLOADS[0] in texts and PAYLOADS[1] in texts and PAYLOADS[2] in texts
    assert "2024" in texts and "Totaal" in texts  # other labels show as before
    assert doc.xpath("//caption")[0].text_content() == PAYLOADS[1]
    assert f"Bron: {PAYLOADS[0]}" in [f.text_content() for f in doc.xpath("//figcaption")]
    assert doc.xpath("//td[contains(@class, 'lw-totaal')]"), "rows are still matched by their label"


def test_a_kerncijfers_label_with_markup_stays_text_in_chapter_and_book(shipped):
    """`extern/kerncijfers.csv` `indicator` becomes a row label of the kerncijfers table (and
    `bron` its source): in the chapter and in the book it is escaped text, not an element."""
    import pandas as pd

    from lerenwerkt.chapters import jaarverslag

    reg = dict(shipped)
    extra = pd.DataFrame({"schooljaar": [S, S], "indicator": [PAYLOADS[0], PAYLOADS[1]], "waarde": [5.0, 6.0], "bron": [PAYLOADS[2], "jaarverslag"]})
    reg["kerncijfers"] = pd.concat([shipped["kerncijfers"], extra.astype(shipped["kerncijfers"].dtypes.to_dict())], ignore_index=True)
    chapter = jaarverslag.begeleiding_naar_werk(reg, schooljaar=S, gemeente=None).markup
    book = boek.maak(reg, schooljaar=S).html
    for markup in (chapter, book):
        _no_elements_from(markup)
        doc = lh.fromstring(markup)
        labels = [th.text_content() for th in doc.xpath("//table[@id='T_kerncijfers']//th")]
        assert PAYLOADS[0] in labels and PAYLOADS[1] in labels, labels
        assert any(PAYLOADS[2] in f.text_content() for f in doc.xpath("//figcaption"))


@pytest.fixture
def buiten():
    """A local http.server on 127.0.0.1 playing the outside host: it records every request."""
    import http.server
    import threading

    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_printing_fetches_nothing_from_outside_even_a_missed_payload(buiten, tmp_path):
    """Chromium prints with JavaScript off, every non-data request refused and its network
    pointed nowhere: a page full of outside references (image, style sheet, font, import,
    frame, object, script, prefetch, a table label with markup) is printed without one request
    reaching the outside host."""
    _chromium_or_skip()
    import io

    import pandas as pd
    from pypdf import PdfReader

    from lerenwerkt import render

    url, hits = buiten
    label = f'<img src="{url}/label" onerror="fetch(\'{url}/onerror\')">'
    table = render.table(pd.DataFrame({"aantal": [7]}, index=[label]), titel="Tabel 1 Test", bron="test", uid="buiten").markup
    missed = (  # what an escaping bug or a raw text could let through
        f'<link rel="stylesheet" href="{url}/css"><link rel="prefetch" href="{url}/prefetch">'
        f'<style>@import url("{url}/import"); body {{ background: url("{url}/bg") }} @font-face {{ font-family: X; src: url("{url}/font") }}</style>'
        f'<script src="{url}/script"></script><script>fetch("{url}/fetch"); new Image().src = "{url}/js"</script>'
        f'<p style="font-family: X">tekst</p><img src="{url}/img"><iframe src="{url}/frame"></iframe><object data="{url}/object"></object>'
    )
    page = tmp_path / "buiten.html"
    page.write_text(f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">{missed}</head><body>{table}</body></html>', encoding="utf-8")
    with boek.Printer() as printer:
        pdf = printer.pdf(page, tmp_path / "buiten.pdf", titel="Test", openbaar=True)
    import time

    time.sleep(0.5)  # a request under way would have arrived by now
    assert hits == [], f"the outside host was asked for {sorted(hits)}"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages).split())
    assert "Tabel 1 Test" in text and "onerror" in text  # the label printed as text


# ------------------------------------------------------------------ a killed printer (issue 21.7)
KATERN_HTML = b'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>katern</title></head><body><h1>Lokaal katern</h1></body></html>'


def _pakket(out, log=None):
    from lerenwerkt import pakket

    return pakket.Pakketten(out, S, ["Doesburg"], None, "levering", log=log)


def _katern(pk) -> None:
    """What the build does when a worker has made Doesburg's katern: write it, print it."""
    from lerenwerkt import pakket

    task = pakket.DeelTask("Doesburg", "katern", S, None)
    pk.store(pakket.DeelOutcome(task, {"lokaal-katern-doesburg.html": KATERN_HTML}, 0.1))


def test_stopping_a_broken_pool_is_quiet():
    """A pool whose process was killed (broken, shut down by the executor) has no processes
    left: stopping it again (as a build does when it is interrupted) raised AttributeError."""
    import multiprocessing as mp
    import os
    import signal
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from lerenwerkt.report import _stop_pool

    pool = ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn"))
    future = pool.submit(os.getpid)
    os.kill(future.result(timeout=60), signal.SIGKILL)
    with pytest.raises(BrokenProcessPool):
        pool.submit(os.getpid).result(timeout=60)
    pool.shutdown(wait=True)
    _stop_pool(pool)  # no error


def test_a_killed_katern_printer_is_an_isolated_failure(tmp_path):
    """The printer process killed while it prints: the katern is recorded as failed with the
    cause, the build goes on (no 'interne fout (AttributeError)') and is not ok (exit 1)."""
    import json
    import os
    import signal

    from lerenwerkt.report import BuildResult, _stop_pool

    pk = _pakket(tmp_path)
    _katern(pk)
    printer = pk._printer
    for p in list(printer.pool._processes.values()):
        os.kill(p.pid, signal.SIGKILL)
    pk.finish()  # no BrokenProcessPool out of it
    pk.cancel()
    _stop_pool(printer.pool)  # what an interrupted build does next: quiet too
    assert len(pk.fouten) == 1 and pk.fouten[0].startswith("Doesburg, katern (PDF): het printproces is onverwacht gestopt"), pk.fouten
    assert not BuildResult(pakket=pk).ok
    m = json.loads((tmp_path / "openbaar" / S / "manifest.json").read_text())
    assert "fout" in m["pakket"]["doesburg"]["katern"], "the next build makes it again"


def test_a_chromium_killed_at_its_start_is_a_failure_not_a_missing_chromium(tmp_path, monkeypatch, capsys):
    """A Chromium that is found but killed (here: it kills itself as it starts) was reported as
    'Geen Chromium gevonden' and the build exited 0: now the cause is named, the katern fails
    and the build is not ok; `lerenwerkt boek` exits 1 with the cause."""
    pytest.importorskip("playwright.sync_api")
    from lerenwerkt.cli import main
    from lerenwerkt.report import BuildResult

    killer = tmp_path / "chromium"
    killer.write_text("#!/bin/sh\nkill -9 $$\n")
    killer.chmod(0o755)
    monkeypatch.setenv("LERENWERKT_CHROMIUM", str(killer))
    said: list[str] = []
    pk = _pakket(tmp_path / "out", log=said.append)
    _katern(pk)
    pk.finish()
    assert len(pk.fouten) == 1 and "SIGKILL" in pk.fouten[0] and "start niet" in pk.fouten[0], pk.fouten
    assert not [s for s in said if "Geen Chromium" in s] and not BuildResult(pakket=pk).ok
    assert main(["boek", "--gemeente", "doesburg", "--out", str(tmp_path / "boek")]) == 1
    err = capsys.readouterr().err
    assert "SIGKILL" in err and "Geen Chromium" not in err and (tmp_path / "boek" / "lokaal-katern-doesburg.html").is_file()


def test_a_chromium_killed_while_printing_fails_that_katern_and_the_next_gets_a_new_one(tmp_path):
    _chromium_or_skip()
    import os
    import signal

    import psutil

    from lerenwerkt import pakket

    html = tmp_path / "lokaal-katern-doesburg.html"
    html.write_bytes(KATERN_HTML)
    try:
        assert pakket.print_katern(str(html), "katern")[0] == "pdf"
        browsers = [c for c in psutil.Process().children(recursive=True) if "chrom" in c.name() and "chrom" not in c.parent().name()]
        assert browsers
        for b in browsers:
            os.kill(b.pid, signal.SIGKILL)
        status, _, error = pakket.print_katern(str(html), "katern")
        assert status == "fout" and error.startswith("Chromium is tijdens het printen gestopt"), error
        assert pakket.print_katern(str(html), "katern")[0] == "pdf"  # a new Chromium
    finally:
        pakket.close_printer()


def test_after_a_sigkill_while_printing_no_index_links_a_file_that_is_gone(tmp_path):
    """A build killed (SIGKILL) while the katern prints: the old PDF is gone (it does not belong
    to the new HTML), and neither the intern nor the public index links it."""
    import signal
    import subprocess
    import sys

    from lerenwerkt import config, report

    out = tmp_path / "out"
    folder = out / "openbaar" / S / "doesburg"
    folder.mkdir(parents=True)
    (folder / "lokaal-katern-doesburg.html").write_text("oud", encoding="utf-8")
    (folder / "lokaal-katern-doesburg.pdf").write_bytes(b"%PDF-oud")
    report._write(out, S, "intern", {"drafts": {}, "mislukt": {}})
    report._write(out, S, "openbaar", {"drafts": {}, "mislukt": {}, "pakket": {"doesburg": {"katern": {"key": "oud"}}}})
    report.write_indexes(out)
    indexes = [out / S / "index.html", out / "openbaar" / S / "index.html"]
    assert all("lokaal-katern-doesburg.pdf" in p.read_text() for p in indexes)  # the old build's PDF, linked
    script = (
        "import os, signal, sys, time\n"
        "from tests.test_boek import _katern, _pakket\n"
        "_katern(_pakket(sys.argv[1]))\n"
        "time.sleep(0.3)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    p = subprocess.run([sys.executable, "-c", script, str(out)], cwd=config.PROJECT_DIR, timeout=120)
    assert p.returncode == -signal.SIGKILL
    assert (folder / "lokaal-katern-doesburg.html").read_bytes() == KATERN_HTML
    for index in indexes:
        base = index.parent
        hrefs = re.findall(r'href="([^"]+)"', index.read_text())
        assert any(h.endswith("doesburg/lokaal-katern-doesburg.html") for h in hrefs), hrefs  # the new HTML is linked
        missing = [h for h in hrefs if not (base / h.split("#")[0]).exists()]
        assert not missing, f"{index.relative_to(out)} links what is not there: {missing}"


@pytest.mark.parametrize("which", [0, 1])
def test_the_method_note_is_in_the_book_and_every_reference_reaches_it(shipped, boeken, which):
    """'zie de methodenoot' pointed at nothing in the book and the katernen (5 times). The book
    has a Methodenoot, every reference links to it, and it states each chapter's rule with the
    same number of comparisons as that chapter's draft makes (its family of change tests)."""
    from lerenwerkt.chapters import verzuim, vrijstellingen, vsv

    b = boeken[which]
    doc = lh.fromstring(b.html)
    refs = doc.xpath("//main//*[contains(text(), 'zie de')][a[.='methodenoot']]")
    assert len(refs) >= 5
    assert {a.get("href") for r in refs for a in r.xpath("a")} == {f"#{boek.METHODENOOT_ANKER}"}
    noot = doc.xpath(f"//section[h1[@id='{boek.METHODENOOT_ANKER}']]")
    assert len(noot) == 1
    tekst = " ".join(noot[0].text_content().split())
    assert "concept" not in tekst.lower()
    koppen = [" ".join(h.text_content().split()) for h in noot[0].xpath(".//h3")]
    assert koppen == [
        "Paragraaf 2.1 Schoolverzuim en 2.5 Verzuim 18+",
        "Paragraaf 2.2 Vrijstellingen en 2.3 Halt-interventies en processen-verbaal",
        "Paragraaf 3.1 Voortijdig schoolverlaten en 3.4 Zorg en preventie",
    ]
    scope = dict(schooljaar=S, gemeente=None if which == 0 else "Aalten", publicatie="intern" if which == 0 else "openbaar")
    for methode in (verzuim.methode, vrijstellingen.methode, vsv.methode):  # the draft's note, its word 'concept' read as 'deel'
        draft = " ".join(lh.fromstring(methode(shipped, **scope).markup).xpath("string(//p)").split())
        assert "concept" in draft
        assert re.sub(r"\b(een|elk|ieder)( heel)? concept\b", r"\1\2 deel", draft.replace("Dit concept", "Dit deel")) in tekst
    assert re.search(r"Dit deel maakt (\d+) (?:zulke )?vergelijkingen", tekst)
    assert doc.xpath(f"//nav//a[@href='#{boek.METHODENOOT_ANKER}']"), "the contents list the method note"


@pytest.mark.parametrize("which", [0, 1])
def test_the_book_defines_the_verzuimsoorten_and_the_vrijstelling_articles(boeken, which):
    """The seed and the drafts explain every verzuimsoort and every vrijstelling article; the
    book dropped them ('artikel 5 onder b' without explanation). Each definition is printed in
    the words of lerenwerkt.definities, once, before the figures it explains."""
    from lerenwerkt import definities

    doc = lh.fromstring(boeken[which].html)
    tekst = " ".join(doc.xpath("string(//main)").split())
    for soort in definities.VERZUIM:
        label = definities.LABEL[soort]
        zin = definities.zin(soort, label if soort in ("absoluut", "relatief", "informatie_advies") else label.lower())
        assert tekst.count(zin) == 1, zin
    for artikel, label in codes.ARTIKEL.items():
        assert tekst.count(f"{label}: {definities.VRIJSTELLING[artikel]}") == 1, artikel
    # before the figures: the articles before Tabel 2, absoluut verzuim before Grafiek 2
    assert tekst.index(f"{codes.ARTIKEL['5b']}: ") < tekst.index("Tabel 2 ")
    assert tekst.index(definities.zin("absoluut")) < tekst.index("Grafiek 2 ")
