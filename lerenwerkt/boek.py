"""The jaarverslag as readers receive it: one HTML book in the published report's order, and a
PDF printed by headless Chromium; per gemeente a 'lokaal katern' with the same structure.

Order: voorwoord; 1 LerenWerkt; 2 Schoolverzuim • Cijfers & Resultaten (verzuim, vrijstellingen,
Halt/PV, Leerplichttelling, verzuim 18+); 3 Voortijdig schoolverlaten • Cijfers & Resultaten (vsv,
begeleiding naar werk, zorg en preventie, JIKP); 4 Regionale en landelijke ontwikkelingen;
Methodenoot; Bijlagen 1–4 — the published report's chapter titles (:data:`HOOFDSTUKKEN`). The content comes from the chapter functions
(``lerenwerkt.chapters``: the same tables through the same disclosure gate as the drafts) and
the editorial texts (``lerenwerkt.teksten``). One numbering of tabellen, grafieken and
diagrammen for the whole book; a table that only gives the numbers of a chart is "Cijfers bij
Grafiek n"; a table that belongs in a bijlage is shown there once and referred to.
"""

from __future__ import annotations

import contextlib
import html
import io
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lerenwerkt import codes, config
from lerenwerkt import teksten as tx

TEMPLATE_DIR = config.PACKAGE_DIR / "templates" / "boek"
_LABEL = re.compile(r"^(?:Bijlage (\d+) )?(Tabel|Grafiek|Diagram) (\d+[AB]?)\s+(.*)$", re.S)
#: Chromium's command-line switches for printing in a container. The last three keep Chromium
#: off the network even where a page asks for it in a way the page's request filter does not
#: see (a prefetch): every request goes to a proxy that cannot be reached (loopback included),
#: and no host name resolves. The book is self-contained (images embedded): it needs no network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--proxy-server=http://255.255.255.255:9",
    "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]
GEEN_CHROMIUM = (
    "Geen Chromium gevonden: de PDF is niet gemaakt (het HTML-boek wel). Installeer Debian's pakket "
    "('apt-get install chromium') of de browser van Playwright ('python -m playwright install chromium'), "
    "of wijs er een aan met LERENWERKT_CHROMIUM=/pad/naar/chromium."
)


class GeenChromium(RuntimeError):
    """No Chromium on this machine: the HTML is written, the PDF is not (:data:`GEEN_CHROMIUM`)."""

    def __init__(self) -> None:
        super().__init__(GEEN_CHROMIUM)


class ChromiumFout(ValueError):
    """Chromium is there but stopped: it did not start, or died while printing (killed, crashed).
    A Dutch message with the cause; the command reports it and exits non-zero (the CLI prints a
    ``ValueError``'s message), where a missing Chromium only gets the note how to install one."""


def _oorzaak(err: BaseException) -> str:
    """The cause of a failed Chromium in Dutch: the signal or exit code Playwright reports."""
    text = str(err)
    m = re.search(r"signal=(SIG[A-Z]+)", text)
    if m:
        return f"het proces is gestopt door signaal {m.group(1)}"
    m = re.search(r"exitCode=(\d+)", text)
    if m:
        return f"het proces stopte met exitcode {m.group(1)}"
    if "closed" in text or "crash" in text.lower():
        return "het proces is gestopt (gedood of gecrasht)"
    return f"{type(err).__name__}"


def _alleen_data(route) -> None:
    """A printed page may load embedded (``data:``) resources only: any other request is
    refused before it leaves Chromium (what a missed payload in a label or text asks for
    is never fetched)."""
    if route.request.url.startswith("data:"):
        route.continue_()
    else:
        route.abort("blockedbyclient")


@dataclass
class Item:
    """One piece of the book: a function that returns HTML, and what to do with its tables.

    ``naar_bijlage`` maps an original caption label (e.g. ``"Tabel 1"``) to the bijlage that
    shows that table, as ``(bijlage, tabel)``: the chapter then refers to it instead."""

    maak: Callable[[], str]
    naar_bijlage: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: The chapter module whose family of change tests this item's claims belong to (``lerenwerkt.claims``).
    familie: str | None = None


@dataclass
class Sectie:
    titel: str
    items: list[Item]
    nummer: str = ""  # "2.1"; "" for an unnumbered part (voorwoord)
    niveau: int = 1  # 1 = hoofdstuk / bijlage, 2 = paragraaf
    bijlage: int | None = None
    breed: bool = False  # printed on landscape pages


@dataclass
class Nummer:
    label: str  # "Tabel 3", "Grafiek 2", "Bijlage 3 Tabel 1"
    titel: str
    anker: str
    sectie: str


@dataclass
class Boek:
    html: str
    nummers: list[Nummer]
    ontbrekend: list[str]  # editorial texts shown as placeholder
    pad: Path | None = None
    pdf: Path | None = None
    seconden: float = 0.0


#: The chapters' titles as the published report has them.
HOOFDSTUKKEN = {
    "1": "LerenWerkt",
    "2": "Schoolverzuim • Cijfers & Resultaten",
    "3": "Voortijdig schoolverlaten • Cijfers & Resultaten",
    "4": "Regionale en landelijke ontwikkelingen",
}


# ------------------------------------------------------------------ the structure
def _structuur(reg, *, schooljaar: str, gemeente: str | None, publicatie: str, teksten_dir=None) -> tuple[list[Sectie], list[str]]:
    from lerenwerkt import definities
    from lerenwerkt.chapters import bijlagen, jaarverslag, jikp, verzuim, vrijstellingen, vsv

    sc = dict(schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie)
    ctx = tx.Context(reg, schooljaar, gemeente, publicatie)
    ontbrekend: list[str] = []

    def tekst(t: tx.Tekst, klasse: str = "lw-tekst") -> Item:
        if t.ontbreekt:
            ontbrekend.append(t.label)
        return Item(lambda: f'<div class="{klasse}">{t.html()}</div>')

    def f(func, *, regional: bool = False, **naar) -> Item:
        kw = dict(schooljaar=schooljaar, publicatie=publicatie) if regional else sc
        familie = func.__module__ if getattr(func, "_claims_section", False) else None
        return Item(lambda: func(reg, **kw).markup, naar_bijlage=naar.get("naar", {}), familie=familie)

    def definitie(maak: Callable[[], object]) -> Item:
        return Item(lambda: f'<div class="lw-definitie">{maak().markup}</div>')

    verhalen = tx.verhalen(ctx, teksten_dir)
    per_hoofdstuk: dict[str, list[Item]] = {"1": [], "2": [], "3": [], "4": []}
    for v in verhalen:  # '1-…' … '4-…': in that chapter; any other name: chapter 3
        stem = Path(v.bron).stem
        per_hoofdstuk[stem[0] if stem[:1] in per_hoofdstuk and not v.ontbreekt else "3"].append(tekst(v, "lw-tekst lw-verhaal"))

    secties: list[Sectie] = []
    if gemeente is None:
        secties.append(Sectie("Voorwoord", [tekst(tx.tekst("voorwoord", ctx, teksten_dir))]))
    else:
        secties.append(Sectie(f"Lokale toelichting {gemeente}", [tekst(tx.gemeente_tekst(ctx, teksten_dir))]))
    secties += [
        Sectie(HOOFDSTUKKEN["1"], [tekst(tx.tekst("lerenwerkt", ctx, teksten_dir)), f(bijlagen.bevolking), f(jaarverslag.grafiek1), *per_hoofdstuk["1"]], "1"),
        Sectie(HOOFDSTUKKEN["2"], [], "2"),
        Sectie(
            "Schoolverzuim",
            [
                f(verzuim.samenvatting),
                definitie(lambda: definities.blok("absoluut")),
                f(verzuim.absoluut),
                definitie(lambda: definities.blok("relatief")),
                f(verzuim.relatief),
                definitie(lambda: definities.blok("informatie_advies")),
                f(verzuim.informatie_advies),
                f(verzuim.resultaten),
            ],
            "2.1",
            2,
        ),
        Sectie("Vrijstellingen", [f(vrijstellingen.samenvatting), definitie(definities.vrijstellingen), f(vrijstellingen.vrijstellingen_per_jaar)], "2.2", 2),
        Sectie("Halt-interventies en processen-verbaal", [f(vrijstellingen.handhaving, naar={"Bijlage 2 Tabel 2": (2, "2")})], "2.3", 2),
        Sectie(
            "Leerplichttelling",
            [Item(lambda: verzuim.leerplichttelling(reg, schooljaar=schooljaar).markup), f(jaarverslag.bevindingen, regional=True)],
            "2.4",
            2,
        ),
        Sectie("Verzuim 18+", [f(verzuim.achttien_plus), *per_hoofdstuk["2"]], "2.5", 2),
        Sectie(HOOFDSTUKKEN["3"], [], "3"),
        Sectie(
            "Voortijdig schoolverlaten",
            [
                f(vsv.samenvatting),
                Item(lambda: vsv.landelijk(reg, schooljaar=schooljaar).markup, {"Bijlage 3 Tabel 1": (3, "1")}),
                f(jaarverslag.landelijk_perspectief, regional=True),
            ],
            "3.1",
            2,
        ),
        Sectie(
            "Status en resultaten",
            [
                f(vsv.status_nieuw),
                f(vsv.monitoring),
                Item(lambda: jaarverslag.noten("tabel5").markup),
                f(vsv.afgerond),
                Item(lambda: jaarverslag.noten("tabel6").markup),
                f(vsv.status_oud),
                f(vsv.leeftijd, naar={"Bijlage 3 Tabel 2": (3, "2")}),
            ],
            "3.2",
            2,
        ),
        Sectie("Begeleiding naar werk", [f(jaarverslag.begeleiding_naar_werk)], "3.3", 2),
        Sectie("Zorg en preventie", [f(vsv.zorg_preventie)], "3.4", 2),
        Sectie("Jongeren in een kwetsbare positie", [f(jikp.grafiek), f(jikp.duiding), f(jikp.tabel), f(jikp.cohort), *per_hoofdstuk["3"]], "3.5", 2),
        Sectie(HOOFDSTUKKEN["4"], [tekst(tx.tekst("ontwikkelingen", ctx, teksten_dir)), *per_hoofdstuk["4"]], "4"),
        Sectie(METHODENOOT, [Item(lambda: _methodenoot(reg, secties, sc))]),
        Sectie(f"Verzuimmeldingen en resultaten {schooljaar}", [f(verzuim.bijlage1)], "Bijlage 1", bijlage=1),
        Sectie("Vrijstellingen, Halt-interventies en processen-verbaal", [f(bijlagen.bijlage2)], "Bijlage 2", bijlage=2),
        Sectie("Vsv'ers in beeld", [f(bijlagen.bijlage3)], "Bijlage 3", bijlage=3),
        Sectie("Waar gaan kinderen naar school?", [f(bijlagen.bijlage4)], "Bijlage 4", bijlage=4, breed=True),
    ]
    return secties, ontbrekend


#: The book's method note: what 'steeg' and 'daalde' mean, per family of change tests (a
#: chapter's sections in the book). "zie de methodenoot" in a table's note links here.
METHODENOOT = "Methodenoot"
METHODENOOT_ANKER = "sectie-methodenoot"


def _methodenoot(reg, secties: list[Sectie], scope: dict) -> str:
    """The method note of each chapter whose sections make claims about change, headed by the
    book's sections they fill: each chapter's sections are one family of tests under one
    Benjamini–Hochberg rule (:mod:`lerenwerkt.claims`), as in its draft, with the same count
    of comparisons. The draft's word "concept" reads "deel" here."""
    import importlib

    from lxml import html as lh

    delen: dict[str, list[str]] = {}
    for s in secties:
        for item in s.items:
            if item.familie and f"{s.nummer} {s.titel}" not in delen.get(item.familie, []):
                delen.setdefault(item.familie, []).append(f"{s.nummer} {s.titel}")
    out = [
        "<p>De paragrafen van één hoofdstuk die cijfers van twee schooljaren vergelijken, vormen samen één geheel met één regel "
        "voor ‘gestegen’ en ‘gedaald’; per geheel staat hieronder hoe die regel werkt en hoeveel vergelijkingen het maakt.</p>"
    ]
    for module, paragrafen in delen.items():
        mod = importlib.import_module(module)
        noot = lh.fragment_fromstring(mod.methode(reg, **scope).markup, create_parent="div")
        tekst = " ".join(" ".join(p.text_content().split()) for p in noot.xpath(".//p"))
        tekst = re.sub(r"\b([Dd])it concept\b", r"\1it deel", tekst)
        tekst = re.sub(r"\b(een|elk|ieder)( heel)? concept\b", r"\1\2 deel", tekst)
        kop = " en ".join(paragrafen) if len(paragrafen) < 3 else ", ".join(paragrafen[:-1]) + " en " + paragrafen[-1]
        out.append(f"<h2>Paragraaf {html.escape(kop)}</h2><p>{html.escape(tekst)}</p>")
    return "".join(out)


def _boektaal(markup: str) -> str:
    """A draft's words as the book says them: "zie de methodenoot" links to the book's method
    note, and "dit concept" is "dit deel van het jaarverslag"."""
    markup = markup.replace("in dit concept;", "in dit deel van het jaarverslag;")
    return markup.replace("zie de methodenoot", f'zie de <a href="#{METHODENOOT_ANKER}">methodenoot</a>')


# ------------------------------------------------------------------ numbering
class _Nummering:
    def __init__(self):
        self.teller = {"Tabel": 0, "Grafiek": 0, "Diagram": 0}
        self.bijlage_teller: dict[int, int] = {}
        self.nummers: list[Nummer] = []

    def nieuw(self, soort: str, origineel: str, sectie: Sectie) -> tuple[str, str]:
        """The book's label and anchor for a numbered element."""
        if sectie.bijlage is not None:
            b = sectie.bijlage
            if b == 1:  # Bijlage 1 keeps its structured numbers (1A … 5B)
                nr = origineel
            else:
                self.bijlage_teller[b] = self.bijlage_teller.get(b, 0) + 1
                nr = str(self.bijlage_teller[b])
            return f"Bijlage {b} Tabel {nr}", f"bijlage{b}-tabel-{nr}".lower()
        self.teller[soort] += 1
        n = self.teller[soort]
        return f"{soort} {n}", f"{soort.lower()}-{n}"


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _set_text(el, value: str) -> None:
    for child in list(el):
        el.remove(child)
    el.text = value


def _nummer(markup: str, item: Item, sectie: Sectie, nr: _Nummering) -> str:
    """Renumber the captions of one item's HTML; demote its headings below the section's."""
    from lxml import html as lh

    if not markup.strip():
        return ""
    root = lh.fragment_fromstring(markup, create_parent="div")
    for h in root.xpath(".//h2|.//h3|.//h4"):
        h.tag = f"h{min(int(h.tag[1]) + 1, 6)}"
    figures = root.xpath(".//figure")
    parsed = []
    for fig in figures:
        is_chart = "lw-figure" in fig.get("class", "")
        cap = fig.find("figcaption") if is_chart else fig.find(".//caption")
        m = _LABEL.match(_text(cap)) if cap is not None else None
        parsed.append((fig, is_chart, cap, m))
    # pass 1: numbers for charts (Grafiek/Diagram) and tables (Tabel)
    boek_label: dict[tuple[str, str], str] = {}
    for fig, is_chart, _cap, m in parsed:
        if m is None:
            continue
        bijlage, soort, num, rest = m.groups()
        origineel = f"Bijlage {bijlage} {soort} {num}" if bijlage else f"{soort} {num}"
        if origineel in item.naar_bijlage:
            continue
        if (is_chart and soort in ("Grafiek", "Diagram")) or (not is_chart and soort == "Tabel"):
            label, anker = nr.nieuw(soort, num, sectie)
            boek_label[(soort, num)] = label
            fig.set("id", anker)
            titel = re.sub(r"\s+—\s+.*$", "", rest) if not is_chart else rest
            nr.nummers.append(Nummer(label, titel, anker, f"{sectie.nummer} {sectie.titel}".strip()))
    # pass 2: captions
    for fig, is_chart, cap, m in parsed:
        if m is None:
            continue
        bijlage, soort, num, rest = m.groups()
        origineel = f"Bijlage {bijlage} {soort} {num}" if bijlage else f"{soort} {num}"
        if origineel in item.naar_bijlage:
            b, t = item.naar_bijlage[origineel]
            ref = lh.fragment_fromstring(
                f'<p class="lw-verwijzing">De cijfers staan in <a href="#bijlage{b}-tabel-{t}">Bijlage {b} Tabel {t}</a> ({html.escape(rest)}).</p>'
            )
            fig.getparent().replace(fig, ref)
            continue
        own = boek_label.get((soort, num))
        if (is_chart and soort in ("Grafiek", "Diagram")) or (not is_chart and soort == "Tabel"):
            _set_text(cap, f"{own} {rest}")
            if is_chart and fig.find(".//img") is not None:
                fig.find(".//img").set("alt", f"{own} {rest}")
        elif not is_chart:  # the numbers of a chart
            _set_text(cap, f"Cijfers bij {own or soort + ' ' + num}: {rest}")
            fig.set("class", fig.get("class", "") + " lw-cijfers")
        else:  # a chart of a table
            _set_text(cap, f"{rest} (zie {own or soort + ' ' + num})")
    return "".join(lh.tostring(c, encoding="unicode") for c in root)


# ------------------------------------------------------------------ assembling
def maak(reg, *, schooljaar: str, gemeente: str | None = None, publicatie: str = "intern", teksten_dir=None) -> Boek:
    """The book (region) or lokaal katern (gemeente) as one self-contained HTML."""
    import jinja2

    from lerenwerkt.disclosure import check_publicatie

    check_publicatie(publicatie)
    tx.controleer(schooljaar, teksten_dir)
    secties, ontbrekend = _structuur(reg, schooljaar=schooljaar, gemeente=gemeente, publicatie=publicatie, teksten_dir=teksten_dir)
    nr = _Nummering()
    toc, body = [], []
    open_breed = False
    for s in secties:
        anker = "sectie-" + (re.sub(r"[^0-9a-z]+", "-", (s.nummer or s.titel).lower()).strip("-"))
        kop = f"{s.nummer} {s.titel}".strip() if s.bijlage is None else f"{s.nummer}. {s.titel}"
        toc.append((s.niveau, anker, kop))
        inhoud = _boektaal("".join(_nummer(item.maak(), item, s, nr) for item in s.items))
        tag = "h1" if s.niveau == 1 else "h2"
        klasse = "lw-hoofdstuk" if s.niveau == 1 else "lw-paragraaf"
        if s.bijlage == 1:
            body.append('<div class="lw-bijlagen">')
        if s.breed and not open_breed:
            body.append('<div class="lw-breed">')
            open_breed = True
        body.append(f'<section class="{klasse}"><{tag} id="{anker}">{html.escape(kop)}</{tag}>{inhoud}</section>')
    if open_breed:
        body.append("</div>")
    body.append("</div>")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True)
    scope = codes.REGIO if gemeente is None else gemeente
    soort = "Jaarverslag" if gemeente is None else "Lokaal katern"
    page = env.get_template("boek.html.j2").render(
        titel=f"{soort} LerenWerkt {schooljaar}" if gemeente is None else f"{soort} {gemeente} — jaarverslag LerenWerkt {schooljaar}",
        soort=soort,
        scope=scope,
        schooljaar=schooljaar,
        openbaar=publicatie == "openbaar",
        toc=toc,
        nummers=nr.nummers,
        body="".join(body),
        ontbrekend=ontbrekend,
        paginas={},
    )
    return Boek(page, nr.nummers, ontbrekend)


def met_paginas(markup: str, paginas: dict[str, int]) -> str:
    """The contents with page numbers (anchor -> page, from the printed PDF)."""

    def sub(m: re.Match) -> str:
        n = paginas.get(m.group(1))
        return m.group(0) if n is None else f'<span class="lw-pagina" data-anker="{m.group(1)}">{n}</span>'

    return re.sub(r'<span class="lw-pagina" data-anker="([^"]+)"></span>', sub, markup)


def paginas_uit_pdf(data: bytes) -> dict[str, int]:
    """Anchor -> page number (1-based) from the PDF's named destinations (Chromium writes one
    for every element a link points at)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return {name.lstrip("/"): reader.get_destination_page_number(dest) + 1 for name, dest in reader.named_destinations.items()}


def kop_voet(*, titel: str, openbaar: bool) -> tuple[str, str]:
    """Chromium's running header and footer (page numbers)."""
    stijl = "font-family: Arial, sans-serif; font-size: 7.5pt; color: #555; width: 100%; padding: 0 18mm;"
    label = "" if openbaar else ' · <b style="color:#a00000">INTERN — niet verspreiden</b>'
    header = f'<div style="{stijl}"><span>{html.escape(titel)}</span>{label}</div>'
    footer = f'<div style="{stijl} text-align: right;">pagina <span class="pageNumber"></span> van <span class="totalPages"></span></div>'
    return header, footer


def chromium_pad() -> str | None:
    import os

    return os.environ.get("LERENWERKT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


class Printer:
    """One headless Chromium for all PDFs of a run (Playwright with Debian's Chromium, or
    Playwright's own browser when that is installed). Pages are printed with JavaScript off
    and every request that is not ``data:`` refused, in a Chromium whose network goes nowhere
    (:data:`CHROMIUM_ARGS`): the book is self-contained, and a payload that slipped into it
    can neither run nor fetch anything.

    Raises :class:`GeenChromium` when there is no Chromium, :class:`ChromiumFout` when there is
    one that does not start or stops while printing."""

    def __enter__(self):
        import os

        from playwright.sync_api import sync_playwright

        path = chromium_pad()
        if path and not (os.path.isfile(path) and os.access(path, os.X_OK)):
            raise GeenChromium()
        self._pw = sync_playwright().start()
        try:
            self.browser = (
                self._pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
                if path
                else self._pw.chromium.launch(args=CHROMIUM_ARGS, headless=True)
            )
        except Exception as err:
            with contextlib.suppress(Exception):
                self._pw.stop()
            if not path and "Executable doesn't exist" in str(err):  # Playwright's own browser is not installed
                raise GeenChromium() from err
            raise ChromiumFout(f"Chromium is gevonden maar start niet: {_oorzaak(err)}; de PDF is niet gemaakt (het HTML-boek wel)") from err
        return self

    def __exit__(self, *exc):
        with contextlib.suppress(Exception):  # a Chromium that died is closed already
            self.browser.close()
        with contextlib.suppress(Exception):
            self._pw.stop()

    def _page(self, **kw):
        page = self.browser.new_page(java_script_enabled=False, **kw)
        page.route("**/*", _alleen_data)
        return page

    def _print(self, markup: str, *, titel: str, openbaar: bool) -> bytes:
        try:
            page = self._page()
        except Exception as err:
            raise ChromiumFout(f"Chromium is tijdens het printen gestopt: {_oorzaak(err)}; de PDF is niet gemaakt") from err
        try:
            page.set_content(markup, wait_until="load")
            header, footer = kop_voet(titel=titel, openbaar=openbaar)
            return page.pdf(
                prefer_css_page_size=True,
                print_background=True,
                display_header_footer=True,
                header_template=header,
                footer_template=footer,
                tagged=True,
                outline=True,
            )
        except Exception as err:
            if not self.browser.is_connected() or "closed" in str(err):
                raise ChromiumFout(f"Chromium is tijdens het printen gestopt: {_oorzaak(err)}; de PDF is niet gemaakt") from err
            raise
        finally:
            with contextlib.suppress(Exception):
                page.close()

    def pdf(self, html_path: Path, pdf_path: Path, *, titel: str, openbaar: bool) -> Path:
        """Print the book; a second pass puts the page numbers in the contents (the numbers
        take no extra lines, so the pages do not move)."""
        from lerenwerkt.io import atomic_write_bytes, atomic_write_text

        markup = html_path.read_text(encoding="utf-8")
        data = self._print(markup, titel=titel, openbaar=openbaar)
        genummerd = met_paginas(markup, paginas_uit_pdf(data))
        if genummerd != markup:
            data = self._print(genummerd, titel=titel, openbaar=openbaar)
            atomic_write_text(html_path, genummerd)
        from lerenwerkt import reproducible  # dates and document ID from the inputs, not the clock

        atomic_write_bytes(pdf_path, reproducible.pdf(data, reproducible.datum()))
        return pdf_path

    def te_breed(self, html_path: Path) -> list[str]:
        """Tables wider than their printed page: laid out at print size (A4 content width,
        landscape for wide bijlagen) in Chromium, each table's width against its page's."""
        page = self._page(viewport={"width": 1400, "height": 1000})
        try:
            page.set_content(html_path.read_text(encoding="utf-8"), wait_until="load")
            page.emulate_media(media="print")
            return page.evaluate(
                """() => [...document.querySelectorAll('table')].filter(t => {
                    const box = t.closest('.lw-breed') ? 261 : 174;  // mm: A4 minus 2 x 18 mm margins
                    const mm = t.getBoundingClientRect().width * 25.4 / 96;
                    return mm > box + 0.5;
                }).map(t => (t.querySelector('caption') || {}).textContent || t.id)"""
            )
        finally:
            page.close()


def uitvoer_map(schooljaar: str, publicatie: str, out: Path | str | None = None) -> Path:
    if out:
        return Path(out)
    base = config.REPORTS_DIR / "openbaar" if publicatie == "openbaar" else config.REPORTS_DIR
    return base / schooljaar / "boek"


def bestandsnaam(gemeente: str | None) -> str:
    return "jaarverslag" if gemeente is None else f"lokaal-katern-{codes.slug(gemeente)}"


def bouw(
    reg,
    *,
    schooljaar: str,
    gemeenten: list[str | None],
    publicatie: str = "intern",
    out: Path | str | None = None,
    pdf: bool = True,
    teksten_dir=None,
    melding: Callable[[str], None] = print,
) -> list[Boek]:
    """Write the HTML (and, where Chromium is found, the PDF) of each scope."""
    from lerenwerkt.io import atomic_write_text

    folder = uitvoer_map(schooljaar, publicatie, out)
    boeken = []
    for g in gemeenten:
        t0 = time.perf_counter()
        b = maak(reg, schooljaar=schooljaar, gemeente=g, publicatie=publicatie, teksten_dir=teksten_dir)
        b.pad = folder / f"{bestandsnaam(g)}.html"
        atomic_write_text(b.pad, b.html)
        b.seconden = time.perf_counter() - t0
        boeken.append(b)
    if pdf:
        fouten = []
        printer = None
        try:
            for g, b in zip(gemeenten, boeken):
                t0 = time.perf_counter()
                titel = f"Jaarverslag LerenWerkt {schooljaar}" + ("" if g is None else f" · lokaal katern {g}")
                try:
                    printer = printer or Printer().__enter__()
                    b.pdf = printer.pdf(b.pad, b.pad.with_suffix(".pdf"), titel=titel, openbaar=publicatie == "openbaar")
                except ChromiumFout as err:  # this PDF is not made; the next one gets a new Chromium
                    fouten.append(f"{b.pad.with_suffix('.pdf').name}: {err}")
                    if printer is not None:
                        printer.__exit__(None, None, None)
                    printer = None
                b.seconden += time.perf_counter() - t0
        except (GeenChromium, ImportError):
            melding(GEEN_CHROMIUM)
        finally:
            if printer is not None:
                printer.__exit__(None, None, None)
        if fouten:
            _indexen(folder)
            raise ChromiumFout("PDF niet gemaakt: " + "; ".join(fouten))
    _indexen(folder)
    return boeken


def _indexen(folder: Path) -> None:
    """Refresh the index pages of the output folder the book was written into (``<out>/<schooljaar>/boek``
    or ``<out>/openbaar/<schooljaar>/boek`` beside a built edition), so they link the book at
    once, not after the next build."""
    from lerenwerkt import report

    edition = folder.parent
    if folder.name != "boek" or not (edition / "manifest.json").is_file():
        return
    root = edition.parent.parent if edition.parent.name == report.OPENBAAR else edition.parent
    with report.locked(root):
        report.write_indexes(root)


def samenvatting(boeken: list[Boek]) -> str:
    """What a run wrote, in words: '1 jaarverslag en 9 lokale katernen' (not '10 boeken')."""
    from lerenwerkt.fmt import lijst

    jaarverslagen = sum(b.pad is not None and b.pad.stem == bestandsnaam(None) for b in boeken)
    katernen = len(boeken) - jaarverslagen
    delen = []
    if jaarverslagen:
        delen.append("1 jaarverslag" if jaarverslagen == 1 else f"{jaarverslagen} jaarverslagen")
    if katernen:
        delen.append("1 lokaal katern" if katernen == 1 else f"{katernen} lokale katernen")
    return lijst(delen) if delen else "geen boeken"
