"""Editorial text as files: the voorwoord, the stories, 'Ontwikkelingen' and each gemeente's
local explanation live as Markdown in ``teksten/<schooljaar>/`` and are placed at declared
places in the book and the raadsmededeling.

- ``voorwoord.md``, ``lerenwerkt.md`` (chapter 1), ``ontwikkelingen.md``: one text each;
- ``verhalen/*.md``: the stories, in file-name order (``1-…`` to ``4-…`` in that chapter, other names in chapter 3);
- ``gemeenten/<slug>.md``: the memo's local explanation per gemeente.

A missing text gives a clearly marked placeholder ("[Voorwoord: nog te schrijven]"), never a
silent gap. Numbers are never typed in: a text refers to a published figure by name,
``{{ absoluut_verzuim }}``, and gets it with the project's Dutch formatter and the same
disclosure control as the tables (in ``openbaar`` a count below the threshold reads
"niet gepubliceerd", a withheld cell "een niet gepubliceerd aantal"). :func:`figuur` is the one
place that looks a name up: every name is a text-figure entry of
:mod:`lerenwerkt.tekstcijfers` (its cells, operation and definition), the same entries the
chapters and ``cells.csv`` use.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from lerenwerkt import codes, config, fmt
from lerenwerkt import schooljaar as sj
from lerenwerkt import tekstcijfers as tc
from lerenwerkt.tekstcijfers import Waarde

#: Where the editorial texts live (``teksten/<schooljaar>/...``).
TEKSTEN_DIR = config.PROJECT_DIR / "teksten"

#: The declared places: key -> (relative path, label of the placeholder).
PLEKKEN = {
    "voorwoord": ("voorwoord.md", "Voorwoord"),
    "lerenwerkt": ("lerenwerkt.md", "Inleiding LerenWerkt"),
    "ontwikkelingen": ("ontwikkelingen.md", "Ontwikkelingen"),
    "verhalen": ("verhalen", "Verhalen"),
}

_REF = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_NAAM = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Context:
    """What a figure is about: the delivery, the schooljaar, the scope and the publication."""

    reg: object
    schooljaar: str
    gemeente: str | None = None
    publicatie: str = "intern"
    memo: bool = False  # the raadsmededeling: its tables count verzuim without 'geen onderwijs'


# ------------------------------------------------------------------ the figures
def _getter(naam: str) -> Callable[[Context], Waarde]:
    def get(ctx: Context) -> Waarde:
        return tc.evalueer(tc.BY_NAAM[naam], ctx.reg, schooljaar=ctx.schooljaar, gemeente=ctx.gemeente, publicatie=ctx.publicatie)

    return get


def figuren() -> dict[str, tuple[str, Callable[[Context], Waarde]]]:
    """Every name a text may use, with its definition: the text figures of
    :mod:`lerenwerkt.tekstcijfers` that have a ``naam``."""
    return {naam: (c.definitie, _getter(naam)) for naam, c in sorted(tc.BY_NAAM.items())}


def figuur(naam: str, ctx: Context) -> Waarde:
    """The one lookup of a figure by name: its text-figure entry, computed and protected
    as every text figure is (:func:`lerenwerkt.tekstcijfers.evalueer`)."""
    if naam not in tc.BY_NAAM:
        raise ValueError(f"onbekend cijfer {naam!r}")
    return _getter(naam)(ctx)


def opgemaakt(w: Waarde, publicatie: str) -> str:
    """A figure in running text: Dutch number format, disclosure control for counts."""
    from lerenwerkt import gate, text
    from lerenwerkt.disclosure import rules

    if w.onderdrukt:
        return rules().tekst_onderdrukt
    if w.waarde is None:
        return fmt.ONBEKEND
    if w.telling and float(w.waarde).is_integer():
        return text.aantal(int(w.waarde), drempel=gate.drempel(publicatie))
    return fmt.getal(w.waarde, decimalen=0 if float(w.waarde).is_integer() else 1)


#: The memo's verzuim tables (:func:`lerenwerkt.tables.memo_verzuim`) leave out 'geen onderwijs';
#: a verzuim figure of Grafiek 2/3 in the memo's text says it counts them too.
MEMO_NOOT = " (alle onderwijssoorten, zoals in het jaarverslag)"


def _memo_soort(naam: str) -> tuple[str, str] | None:
    """(verzuimsoort, 'S'/'V') of a verzuim figure the memo's tables also show."""
    from lerenwerkt import tables as tb

    for soort in tb.MEMO_SOORT:
        if naam == f"{soort}_verzuim" or naam == soort:
            return soort, "S"
        if naam in (f"{soort}_verzuim_vorig", f"{soort}_vorig"):
            return soort, "V"
    return None


def _in_memo(naam: str, w: Waarde, ctx: Context) -> str:
    """A figure in the memo's local explanation: a verzuim count is withheld when a cell of the
    memo's own table for that soort and year is (else the text gives the table's withheld
    cell back by difference), and names its wider definition."""
    from lerenwerkt import gate
    from lerenwerkt import tables as tb
    from lerenwerkt.disclosure import rules

    soort = _memo_soort(naam)
    if soort is None or w.onderdrukt or w.waarde is None:
        return opgemaakt(w, ctx.publicatie)
    jaar = ctx.schooljaar if soort[1] == "S" else sj.shift(ctx.schooljaar, -1)
    t = gate.publish(tb.memo_verzuim, ctx.reg, publicatie=ctx.publicatie, schooljaar=ctx.schooljaar, gemeente=ctx.gemeente)
    if t.onderdrukt is not None and jaar in t.onderdrukt.columns:
        rows = [r for r in t.onderdrukt.index if str(r).startswith(f"{tb.MEMO_SOORT[soort[0]]} | ")]
        if bool(t.onderdrukt.loc[rows, jaar].any()):
            return rules().tekst_onderdrukt
    return opgemaakt(w, ctx.publicatie) + MEMO_NOOT


#: ``{{ <soort>_verzuim_ontwikkeling }}``: the change of a verzuim count in the chapter's words
#: (Grafiek 2/3, the same test, variance model and disclosure control as the verzuim chapter's
#: Samenvatting), e.g. "daalde van 85 meldingen in 2023-2024 naar 84 in 2024-2025 (-1%); bij zulke
#: kleine aantallen kan dit toeval zijn" — so a text need not type 'vaker' or 'minder'.
ONTWIKKELING = {
    "absoluut_verzuim_ontwikkeling": ("grafiek2", "Absoluut verzuim"),
    "wettelijk_verzuim_ontwikkeling": ("grafiek3", "Wettelijk verzuim"),
    "luxe_verzuim_ontwikkeling": ("grafiek3", "Luxe verzuim"),
    "overig_verzuim_ontwikkeling": ("grafiek3", "Overig verzuim"),
}


def ontwikkeling(naam: str, ctx: Context) -> str:
    """The described and qualified change of a verzuim count (:data:`ONTWIKKELING`)."""
    from lerenwerkt import claims, gate, text
    from lerenwerkt import tables as tb

    builder, row = ONTWIKKELING[naam]
    build = getattr(tb, builder)
    vorig = sj.shift(ctx.schooljaar, -1)
    raw = build(ctx.reg, schooljaar=ctx.schooljaar, gemeente=ctx.gemeente).frame
    if row not in raw.index or vorig not in raw.columns or ctx.schooljaar not in raw.columns:
        return f"niet te vergelijken: geen cijfer voor {vorig}"
    t = gate.publish(build, ctx.reg, publicatie=ctx.publicatie, schooljaar=ctx.schooljaar, gemeente=ctx.gemeente)
    hidden = (False, False) if t.onderdrukt is None else (bool(t.onderdrukt.at[row, vorig]), bool(t.onderdrukt.at[row, ctx.schooljaar]))
    noot = ""
    if ctx.memo:  # as _in_memo: withheld where the memo's own table withholds that soort's cell, else it comes back by difference
        soort = _memo_soort(naam.removesuffix("_ontwikkeling"))
        m = gate.publish(tb.memo_verzuim, ctx.reg, publicatie=ctx.publicatie, schooljaar=ctx.schooljaar, gemeente=ctx.gemeente)
        if soort is not None and m.onderdrukt is not None:
            rows = [r for r in m.onderdrukt.index if str(r).startswith(f"{tb.MEMO_SOORT[soort[0]]} | ")]
            hidden = tuple(h or (j in m.onderdrukt.columns and bool(m.onderdrukt.loc[rows, j].any())) for h, j in zip(hidden, (vorig, ctx.schooljaar)))
        noot = MEMO_NOOT
    return (
        text.gezegde(
            nieuw=int(raw.at[row, ctx.schooljaar]),
            oud=int(raw.at[row, vorig]),
            jaren=(vorig, ctx.schooljaar),
            drempel=gate.drempel(ctx.publicatie),
            verborgen=hidden,
            spreiding=claims.spreiding_tabel(build, ctx.reg, schooljaar=ctx.schooljaar).get(row),
            exposure=claims.leerplichtigen(ctx.reg, schooljaar=ctx.schooljaar, gemeente=ctx.gemeente),
        )
        + noot
    )


def _tekstwaarden(ctx: Context) -> dict[str, str]:
    return {
        "schooljaar": ctx.schooljaar,
        "vorig_schooljaar": sj.shift(ctx.schooljaar, -1),
        "gemeente": ctx.gemeente or codes.REGIO,
        "regio": codes.REGIO,
        "gebied": "de regio" if ctx.gemeente is None else f"de gemeente {ctx.gemeente}",
    }


# ------------------------------------------------------------------ reading and rendering
class TekstFout(ValueError):
    """Every problem in the editorial texts at once (file, line, name)."""

    def __init__(self, problemen: list[str]):
        self.problemen = problemen
        bekend = ", ".join(sorted([*figuren(), *ONTWIKKELING, "schooljaar", "vorig_schooljaar", "gemeente", "regio", "gebied"]))
        namen = f"\nBekende namen: {bekend}." if any("onbekend cijfer" in p for p in problemen) else ""
        super().__init__("Fouten in de teksten:\n" + "\n".join(f"- {p}" for p in problemen) + namen)


#: A scheme (``https:``, ``ftp:``, …) at the start of an address.
_SCHEMA = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def van_buiten(url: str) -> bool:
    """Whether a browser would fetch this image address from another host: any scheme but
    ``data:`` (http, https, ftp, …) or protocol-relative (``//host/…``; browsers read ``\\``
    as ``/`` and ignore spaces and control characters inside an address)."""
    u = "".join(ch for ch in url if ch > " ")
    if re.match(r"^[/\\]{2}", u):
        return True
    m = _SCHEMA.match(u)
    return m is not None and m.group(0).lower() != "data:"


def afbeeldingen(markdown: str) -> list[str]:
    """The address of every image in a Markdown text (inline and by reference)."""
    import mistune

    urls: list[str] = []

    def walk(nodes) -> None:
        for node in nodes or ():
            if node.get("type") == "image":
                urls.append(node.get("attrs", {}).get("url") or "")
            walk(node.get("children"))

    walk(mistune.create_markdown(escape=True, renderer=None)(markdown))
    return urls


def _kort(url: str, n: int = 60) -> str:
    return url if len(url) <= n else url[: n - 1] + "…"


def beelden_van_buiten(markdown: str, bron: str) -> list[str]:
    """A problem for every image a text would load from outside (with file and line): the book,
    the katern and the memo are self-contained, and Chromium prints them without network."""
    regels = markdown.splitlines()
    problemen = []
    for url in afbeeldingen(markdown):
        if not van_buiten(url):
            continue
        nr = next((i for i, r in enumerate(regels, start=1) if url in r), None) or next((i for i, r in enumerate(regels, start=1) if "![" in r), None)
        waar = f"{bron}, regel {nr}" if nr else bron
        problemen.append(
            f"{waar}: afbeelding van buiten ({_kort(url)}) niet toegestaan; een tekst laadt niets van internet "
            "(de PDF wordt zonder netwerk gemaakt): laat de afbeelding weg of beschrijf haar in tekst"
        )
    return problemen


# ------------------------------------------------------------------ scope words beside figures
#: A figure's scope: ``"scope"`` when it follows the edition (the region's book: the region; a
#: katern or memo: the gemeente), ``"regio"`` when it is always the region's.
#: Words in fixed text that name a scope; the region's words map to None.
_GEBIED_WOORDEN: list[tuple[re.Pattern, str | None]] = [
    (re.compile(r"\b(?:de\s+)?regio(?:naal|nale)?\b", re.I), None),
    (re.compile(r"\bAchterhoek\b"), None),
    (re.compile(rf"\b{re.escape(codes.REGIO)}\b"), None),  # also what {{ regio }} prints
    *[(re.compile(rf"\b{re.escape(g)}\b"), g) for g in codes.GEMEENTEN],
]
#: Placeholders that follow the edition's scope as a figure does.
_GEBIED_VOLGT = re.compile(r"\{\{\s*(?:gebied|gemeente)\s*\}\}")
#: Where one clause ends: a sentence, a colon or semicolon, a comma, a bracket, a blank line or list item.
_ZINSDEEL = re.compile(r"[.!?;:,()]\s|[.!?;:,()]$|\n\s*\n|\n\s*[-*+]\s|\n#")


def vast_gebied(rel: str | Path) -> str | None | bool:
    """The one scope a text is always shown for: the voorwoord only in the region's book (None),
    ``gemeenten/<slug>.md`` only for that gemeente; False for a text every edition shows (its
    figures follow the edition's scope)."""
    rel = Path(rel)
    if rel.name == PLEKKEN["voorwoord"][0]:
        return None
    if rel.parent.name == "gemeenten":
        return next((g for g in codes.GEMEENTEN if codes.slug(g) == rel.stem), False)
    return False


def gebied_fouten(markdown: str, bron: str, vast: str | None | bool = False) -> list[str]:
    """A problem for every figure that stands beside fixed wording about another scope (file and
    line): a figure follows the scope of the edition it is printed in (the region in the book, the
    gemeente in its katern and memo), so 'in de regio {{ vrijstellingen_5a }}' prints the gemeente's
    figure after the region's name. The scope belongs in the text as a placeholder, ``{{ gebied }}``
    ("de regio" / "de gemeente Aalten") or ``{{ gemeente }}``. ``vast``: the one scope the text is
    shown for (:func:`vast_gebied`), whose own name it may write out."""
    problemen = []
    start = 0
    grenzen = [m.end() for m in _ZINSDEEL.finditer(markdown)] + [len(markdown)]
    for eind in grenzen:
        deel = markdown[start:eind]
        offset, start = start, eind
        namen = [m for m in _REF.finditer(deel) if m.group(1) in tc.BY_NAAM]
        if not namen:
            continue
        vaste_tekst = _REF.sub(lambda r: codes.REGIO if r.group(1) == "regio" else " ", deel)
        for m in namen:
            naam = m.group(1)
            regel = markdown.count("\n", 0, offset + m.start()) + 1
            regionaal = tc.BY_NAAM[naam].scopes == "regio"
            woorden = []
            if regionaal:  # always the region's figure: no wording that follows the scope, no gemeente
                if vast is False:
                    woorden += [w.group(0) for w in _GEBIED_VOLGT.finditer(deel)]
                woorden += [w.group(0) for patroon, g in _GEBIED_WOORDEN if g is not None and g != vast for w in patroon.finditer(vaste_tekst)]
            else:
                woorden += [w.group(0) for patroon, g in _GEBIED_WOORDEN if vast is False or g != vast for w in patroon.finditer(vaste_tekst)]
            for woord in dict.fromkeys(" ".join(w.split()) for w in woorden):
                wat = (
                    "het cijfer van de regio"
                    if regionaal
                    else "het cijfer van het gebied van de uitgave (de regio in het jaarverslag, de gemeente in haar katern en raadsmededeling)"
                )
                problemen.append(
                    f"{bron}, regel {regel}: {{{{ {naam} }}}} geeft {wat}, maar staat naast vaste tekst over een ander gebied (‘{woord}’); "
                    + ("noem het gebied met {{ gebied }} of {{ gemeente }}" if not regionaal else "noem de regio met vaste tekst, niet met {{ gebied }}")
                )
    return problemen


def map_voor(schooljaar: str, basis: Path | str | None = None) -> Path:
    return Path(basis or TEKSTEN_DIR) / schooljaar


def bestanden(schooljaar: str, basis: Path | str | None = None) -> list[Path]:
    root = map_voor(schooljaar, basis)
    return sorted(root.rglob("*.md")) if root.is_dir() else []


def controleer(schooljaar: str, basis: Path | str | None = None) -> None:
    """Check every text of the schooljaar for unknown figure names; raise one error for all."""
    bekend = {*figuren(), *ONTWIKKELING, "schooljaar", "vorig_schooljaar", "gemeente", "regio", "gebied"}
    problemen = []
    root = map_voor(schooljaar, basis)
    for path in bestanden(schooljaar, basis):
        body = path.read_text(encoding="utf-8")
        for nr, line in enumerate(body.splitlines(), start=1):
            for m in _REF.finditer(line):
                naam = m.group(1)
                if not _NAAM.match(naam) or naam not in bekend:
                    problemen.append(f"{path.relative_to(root.parent)}, regel {nr}: onbekend cijfer {{{{ {naam} }}}}")
        problemen += beelden_van_buiten(body, str(path.relative_to(root.parent)))
        problemen += gebied_fouten(body, str(path.relative_to(root.parent)), vast_gebied(path.relative_to(root)))
    if problemen:
        raise TekstFout(problemen)


def invullen(markdown: str, ctx: Context, *, bron: str = "tekst") -> str:
    """Replace every ``{{ naam }}`` with the published figure (Dutch, disclosure-controlled)."""
    vast = _tekstwaarden(ctx)
    problemen = []

    def sub(m: re.Match) -> str:
        naam = m.group(1)
        if naam in vast:
            return vast[naam]
        if naam in ONTWIKKELING:
            return ontwikkeling(naam, ctx)
        try:
            w = figuur(naam, ctx)
            if ctx.memo:
                return _in_memo(naam, w, ctx)
            return opgemaakt(w, ctx.publicatie)
        except ValueError:
            problemen.append(f"{bron}: onbekend cijfer {{{{ {naam} }}}}")
            return m.group(0)

    out = _REF.sub(sub, markdown)
    if problemen:
        raise TekstFout(problemen)
    return out


def placeholder(label: str) -> str:
    return f"[{label}: nog te schrijven]"


def _placeholder_html(label: str) -> str:
    return f'<p class="lw-placeholder">{html.escape(placeholder(label))}</p>'


def markdown_html(markdown: str) -> str:
    import mistune

    class Renderer(mistune.HTMLRenderer):
        def image(self, text: str, url: str, title: str | None = None) -> str:
            # an image from outside is never written (the texts are checked when read: this
            # holds for any other caller too); its alt text stays
            return text if van_buiten(url) else super().image(text, url, title)

    # escape=True: raw HTML in a text is shown, not executed
    return mistune.create_markdown(escape=True, renderer=Renderer(escape=True))(markdown)


@dataclass(frozen=True)
class Tekst:
    """A text at its declared place: the Markdown with figures filled in, or None (missing)."""

    label: str
    markdown: str | None
    bron: str

    @property
    def ontbreekt(self) -> bool:
        return self.markdown is None

    def html(self) -> str:
        return _placeholder_html(self.label) if self.markdown is None else markdown_html(self.markdown)


def _lees(path: Path, label: str, ctx: Context) -> Tekst:
    if not path.is_file() or not path.read_text(encoding="utf-8").strip():
        return Tekst(label, None, str(path))
    body = path.read_text(encoding="utf-8")
    fouten = beelden_van_buiten(body, path.name) + gebied_fouten(body, path.name, vast_gebied(Path(path.parent.name) / path.name))
    if fouten:
        raise TekstFout(fouten)
    return Tekst(label, invullen(body, ctx, bron=path.name), str(path))


def tekst(plek: str, ctx: Context, basis: Path | str | None = None) -> Tekst:
    """The text for ``voorwoord`` or ``ontwikkelingen``."""
    rel, label = PLEKKEN[plek]
    return _lees(map_voor(ctx.schooljaar, basis) / rel, label, ctx)


def verhalen(ctx: Context, basis: Path | str | None = None) -> list[Tekst]:
    """The stories, in file-name order; a placeholder when there are none."""
    folder = map_voor(ctx.schooljaar, basis) / "verhalen"
    files = sorted(folder.glob("*.md")) if folder.is_dir() else []
    out = [_lees(p, f"Verhaal {p.stem}", ctx) for p in files]
    return out or [Tekst("Verhalen", None, str(folder))]


def gemeente_tekst(ctx: Context, basis: Path | str | None = None) -> Tekst:
    """The local explanation of a gemeente (``gemeenten/<slug>.md``)."""
    assert ctx.gemeente is not None, "een lokale toelichting hoort bij een gemeente"
    path = map_voor(ctx.schooljaar, basis) / "gemeenten" / f"{codes.slug(ctx.gemeente)}.md"
    return _lees(path, f"Lokale toelichting {ctx.gemeente}", replace(ctx, memo=True))
