"""A gemeente's Word template (``--sjabloon``) is outside input: checked, then filled in a
sandbox, in a process of its own with a time and a memory limit.

docxtpl makes every part it fills (the body, each header and footer, the footnotes and the
core properties ``author``, ``comments``, ``identifier``, ``language``, ``subject``,
``title``) a Jinja template. A template may hold only the documented placeholders
(:mod:`lerenwerkt.memo_docx`): ``{{ titel }}``, ``{{ gemeente }}``, ``{{ schooljaar }}``,
``{{ publicatie }}`` in a text, and the blocks ``{{p aanleiding }}``, ... each in a paragraph of
its own in the body. Anything else — another name, an attribute, a call, a filter, a
``{% statement %}``, a ``{# comment #}`` — is refused with a message naming the part, before
anything is filled. Filling happens in :class:`jinja2.sandbox.ImmutableSandboxedEnvironment`,
which checks every template it compiles again (a part this module did not list is refused
too), in a fresh Python process (``python -I``) that sees neither the register nor the
build's environment, with ``RLIMIT_AS`` (memory), ``RLIMIT_CPU`` and a wall-clock limit, and
writes no file (``RLIMIT_FSIZE`` 0). The process gets the blocks as HTML and returns the
``.docx`` bytes.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

#: Limits of the template process: wall-clock seconds, CPU seconds, address space.
SECONDEN = 120.0
CPU_SECONDEN = 30
GEHEUGEN = 512 * 2**20
#: A template larger than this (the .docx itself, or all its parts unpacked) is refused unread.
MAX_BESTAND = 20 * 2**20
MAX_UITGEPAKT = 100 * 2**20

#: The core properties docxtpl fills (``DocxTemplate.render_properties``).
EIGENSCHAPPEN = ("author", "comments", "identifier", "language", "subject", "title")


class SjabloonFout(ValueError):
    """A template that is refused (a Dutch message naming the file and the part)."""


def _namen():
    from lerenwerkt import memo_docx

    return memo_docx.TEKSTEN, (*memo_docx.BLOKKEN, *memo_docx.OPTIONEEL)


def toegestaan() -> str:
    """The documented placeholders, as a message lists them."""
    teksten, blokken = _namen()
    return (
        ", ".join("{{ " + n + " }}" for n in teksten)
        + " in een tekst, en "
        + ", ".join("{{p " + n + " }}" for n in blokken)
        + " elk in een eigen alinea van de hoofdtekst"
    )


# ------------------------------------------------------------------ in the parent
def lees(pad: Path | str) -> bytes:
    """The template's bytes, refused unread when too large (also unpacked: a zip bomb)."""
    pad = Path(pad)
    if not pad.is_file() or pad.suffix.lower() != ".docx":
        raise SjabloonFout(f"sjabloon {pad}: bestaat niet of is geen Word-bestand (.docx)")
    if pad.stat().st_size > MAX_BESTAND:
        raise SjabloonFout(f"sjabloon {pad.name}: {pad.stat().st_size / 2**20:.0f} MB; verwacht een Word-bestand van hoogstens {MAX_BESTAND // 2**20} MB")
    try:
        data = pad.read_bytes()
    except OSError as err:
        raise SjabloonFout(f"sjabloon {pad.name}: niet leesbaar ({err.strerror})") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            uitgepakt = sum(i.file_size for i in z.infolist())
            if "word/document.xml" not in z.namelist():
                raise SjabloonFout(f"sjabloon {pad.name}: geen leesbaar Word-bestand (.docx): word/document.xml ontbreekt")
    except zipfile.BadZipFile:
        raise SjabloonFout(f"sjabloon {pad.name}: geen leesbaar Word-bestand (.docx)") from None
    if uitgepakt > MAX_UITGEPAKT:
        raise SjabloonFout(f"sjabloon {pad.name}: uitgepakt {uitgepakt / 2**20:.0f} MB; verwacht hoogstens {MAX_UITGEPAKT // 2**20} MB")
    return data


def controleer(pad: Path | str, **limieten) -> list[str]:
    """Check a template (in the template process); returns its blocks in the body's order.
    Raises :class:`SjabloonFout` for anything but the documented placeholders, or a missing block."""
    pad = Path(pad)
    antwoord = _in_proces({"taak": "controleer", "naam": pad.name, "sjabloon": _b64(lees(pad))}, pad.name, **limieten)
    return antwoord["blokken"]


def vul_in(pad: Path | str, *, teksten: dict[str, str], blokken: dict[str, str], eigenschappen: dict[str, str], datum: str | None = None, **limieten) -> bytes:
    """The filled-in template as ``.docx`` bytes (in the template process). ``blokken`` are
    HTML blocks (:mod:`lerenwerkt.render`), ``eigenschappen`` core properties set afterwards,
    ``datum`` (ISO, UTC) the date of the core properties and zip entries."""
    pad = Path(pad)
    verzoek = {
        "taak": "vul_in",
        "naam": pad.name,
        "sjabloon": _b64(lees(pad)),
        "teksten": teksten,
        "blokken": blokken,
        "eigenschappen": eigenschappen,
        "datum": datum,
    }
    return base64.b64decode(_in_proces(verzoek, pad.name, **limieten)["docx"])


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _in_proces(verzoek: dict, naam: str, *, seconden: float = SECONDEN, cpu: int = CPU_SECONDEN, geheugen: int = GEHEUGEN) -> dict:
    """Run one request in a fresh process with limits; its answer, or its refusal raised."""
    import signal
    import tempfile

    root = str(Path(__file__).resolve().parent.parent)
    code = f"import sys; sys.path.insert(0, {root!r}); from lerenwerkt.sjabloon import _kind; _kind()"
    verzoek = {**verzoek, "cpu": cpu, "geheugen": geheugen}
    env = {"PATH": os.defpath, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-I", "-B", "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tempfile.gettempdir(),
        env=env,
    )
    try:
        out, _err = proc.communicate(json.dumps(verzoek).encode("utf-8"), timeout=seconden)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise SjabloonFout(f"sjabloon {naam}: het invullen duurde langer dan {seconden:g} s en is afgebroken") from None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise SjabloonFout(f"sjabloon {naam}: het invullen kostte meer dan {cpu} s rekentijd en is afgebroken")
    try:
        antwoord = json.loads(out.decode("utf-8"))
    except ValueError:
        antwoord = None
    if not isinstance(antwoord, dict):
        raise SjabloonFout(f"sjabloon {naam}: het invullen is mislukt (het proces stopte met code {proc.returncode})")
    if "fout" in antwoord:
        raise SjabloonFout(str(antwoord["fout"]))
    return antwoord


# ------------------------------------------------------------------ in the template process
def _kind() -> None:
    """The template process: one request on stdin, the answer (JSON) on stdout."""
    import resource

    verzoek = json.loads(sys.stdin.buffer.read())
    naam = str(verzoek.get("naam", "sjabloon"))
    resource.setrlimit(resource.RLIMIT_AS, (verzoek["geheugen"], verzoek["geheugen"]))
    resource.setrlimit(resource.RLIMIT_CPU, (verzoek["cpu"], verzoek["cpu"] + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    try:
        data = base64.b64decode(verzoek.pop("sjabloon"))
        if verzoek["taak"] == "controleer":
            antwoord = {"blokken": _controleer(_template(data), naam)}
        else:
            antwoord = {"docx": base64.b64encode(_vul_in(data, naam, verzoek)).decode("ascii")}
    except SjabloonFout as err:
        antwoord = {"fout": str(err)}
    except MemoryError:
        antwoord = {"fout": f"sjabloon {naam}: het invullen vroeg meer dan {verzoek['geheugen'] // 2**20} MB geheugen en is afgebroken"}
    except Exception as err:  # any other failure of an outside file: a refusal, not a crash
        from lxml.etree import LxmlError

        reden = f"de XML is onleesbaar of vraagt meer dan {verzoek['geheugen'] // 2**20} MB geheugen" if isinstance(err, LxmlError) else type(err).__name__
        antwoord = {"fout": f"sjabloon {naam}: geen bruikbaar Word-sjabloon ({reden})"}
    sys.stdout.write(json.dumps(antwoord))
    sys.stdout.flush()


def _template(data: bytes):
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(io.BytesIO(data))
    tpl.render_init()
    return tpl


def _bronnen(tpl):
    """Every text docxtpl makes a Jinja template of, as it does (``DocxTemplate.render``),
    with the part's name for a message."""
    yield "hoofdtekst", tpl.patch_xml(tpl.get_xml())
    for uri, soort in ((tpl.HEADER_URI, "koptekst"), (tpl.FOOTER_URI, "voettekst")):
        for _rel, part in tpl.get_headers_footers(uri):
            yield f"{soort} ({str(part.partname).lstrip('/')})", tpl.patch_xml(tpl.get_part_xml(part))
    props = tpl.docx.core_properties
    for prop in EIGENSCHAPPEN:
        yield f"documenteigenschap '{prop}'", getattr(props, prop) or ""
    for part in tpl.docx.part.package.parts:
        if part.content_type.endswith(".wordprocessingml.footnotes+xml"):
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            yield f"voetnoten ({str(part.partname).lstrip('/')})", tpl.patch_xml(blob)


def _kort(text: str, n: int = 80) -> str:
    text = " ".join(re.sub(r"<[^>]+>", "", text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _controleer_bron(env, bron: str, *, naam: str, deel: str, hoofdtekst: bool, plaats: bool = True) -> list[str]:
    """The placeholders of one text, in order; :class:`SjabloonFout` for anything else (with
    ``plaats`` also for a text placeholder outside a text, a block inside one or outside the body)."""
    from jinja2 import TemplateSyntaxError, nodes

    teksten, blokken = _namen()
    waar = f"sjabloon {naam}, {deel}"
    gevonden: list[str] = []
    try:
        tokens = list(env.lex(bron))
    except TemplateSyntaxError:
        raise SjabloonFout(f"{waar}: een onafgesloten '{{{{', '{{%' of '{{#'; toegestaan zijn alleen {toegestaan()}") from None
    in_tekst = not hoofdtekst and not deel.startswith(("koptekst", "voettekst", "voetnoten"))  # a property is text
    i = 0
    while i < len(tokens):
        _, soort, waarde = tokens[i]
        if soort == "data":
            if "<" in waarde:
                in_tekst = bool(re.search(r"<w:t(?:\s[^>]*)?>[^<]*$", waarde))
            i += 1
            continue
        j = i + 1
        if soort.endswith("_begin"):
            while j < len(tokens) and not tokens[j - 1][1].endswith("_end"):
                j += 1
        groep = tokens[i:j]
        kern = [(s, w) for _, s, w in groep if s != "whitespace"]
        tekst = _kort("".join(w for _, _, w in groep))
        if [s for s, _ in kern] == ["variable_begin", "name", "variable_end"]:
            n = kern[1][1]
            if plaats and n in teksten and not in_tekst:
                raise SjabloonFout(f"{waar}: '{{{{p {n} }}}}' staat als blok; {n} is een tekst: schrijf '{{{{ {n} }}}}' in een zin")
            if plaats and n in blokken and not hoofdtekst:
                raise SjabloonFout(f"{waar}: het blok '{{{{p {n} }}}}' hoort in de hoofdtekst, in een alinea van zichzelf")
            if plaats and n in blokken and in_tekst:
                raise SjabloonFout(f"{waar}: '{{{{ {n} }}}}' staat in een zin; een blok staat als '{{{{p {n} }}}}' in een alinea van zichzelf")
            if n in teksten or n in blokken:
                gevonden.append(n)
                i = j
                continue
            raise SjabloonFout(f"{waar}: '{tekst}' is geen bekende plaatshouder; toegestaan zijn alleen {toegestaan()}")
        raise SjabloonFout(
            f"{waar}: '{tekst}' is geen toegestane plaatshouder (alleen een naam, geen opdracht, uitdrukking of commentaar); toegestaan zijn alleen {toegestaan()}"
        )
    # the same judged on what Jinja would run: only text and the allowed names
    tree = env.parse(bron)
    for node in tree.body:
        if not isinstance(node, nodes.Output) or not all(
            isinstance(c, nodes.TemplateData) or (isinstance(c, nodes.Name) and c.ctx == "load" and c.name in (*teksten, *blokken)) for c in node.nodes
        ):
            raise SjabloonFout(f"{waar}: alleen tekst en de plaatshouders {toegestaan()} zijn toegestaan")
    return gevonden


class _Omgeving:
    """Factory of the sandbox in which docxtpl fills a checked template."""

    @staticmethod
    def maak(naam: str):
        from jinja2 import StrictUndefined
        from jinja2.sandbox import ImmutableSandboxedEnvironment

        class Omgeving(ImmutableSandboxedEnvironment):
            """Checks every template it compiles, whatever docxtpl passes (a part this module
            does not list, a newer docxtpl): only the documented placeholders."""

            def from_string(self, source, globals=None, template_class=None):
                _controleer_bron(self, source, naam=naam, deel="een deel van het document", hoofdtekst=True, plaats=False)
                return super().from_string(source, globals, template_class)

        return Omgeving(autoescape=True, undefined=StrictUndefined)


def _controleer(tpl, naam: str) -> list[str]:
    """Check every part docxtpl fills; the blocks of the body in order. A missing block is refused."""
    from lerenwerkt import memo_docx

    env = _Omgeving.maak(naam)
    volgorde: list[str] = []
    for deel, bron in _bronnen(tpl):
        namen = _controleer_bron(env, bron, naam=naam, deel=deel, hoofdtekst=deel == "hoofdtekst")
        if deel == "hoofdtekst":
            volgorde = [n for n in dict.fromkeys(namen) if n not in memo_docx.TEKSTEN]
    missing = [m for m in memo_docx.BLOKKEN if m not in volgorde]
    if missing:
        raise SjabloonFout(f"sjabloon {naam}: de plaatshouders {', '.join('{{p ' + m + ' }}' for m in missing)} ontbreken")
    return volgorde


def _vul_in(data: bytes, naam: str, verzoek: dict) -> bytes:
    from lerenwerkt import memo_docx, reproducible

    tpl = _template(data)
    volgorde = _controleer(tpl, naam)
    blokken = dict(verzoek["blokken"])
    for n in memo_docx.OPTIONEEL:  # a block the template has no place for closes its last block
        if n not in volgorde and n in blokken:
            laatste = [b for b in volgorde if b in blokken][-1]
            blokken[laatste] = blokken[laatste] + blokken.pop(n)
    context: dict = dict(verzoek["teksten"])
    for n, markup in blokken.items():
        sub = tpl.new_subdoc()
        memo_docx.html_naar_word(markup, sub)
        context[n] = sub
    tpl.render(context, jinja_env=_Omgeving.maak(naam), autoescape=True)
    props = tpl.docx.core_properties
    for k, v in verzoek["eigenschappen"].items():
        setattr(props, k, v)
    buf = io.BytesIO()
    tpl.save(buf)
    if verzoek.get("datum"):
        from datetime import datetime

        return reproducible.ooxml(buf.getvalue(), datetime.fromisoformat(verzoek["datum"]))
    return buf.getvalue()
