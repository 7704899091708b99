"""The ``lerenwerkt`` command: a thin shell over the package's stages."""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

from lerenwerkt import codes, config


def _gemeenten(values: list[str] | None) -> list[str | None] | None:
    if not values or values == ["all"]:
        return None
    return [codes.gemeente_from_slug(v) for v in values]


_PERSONAL = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[-/]\d{1,2}[-/]\d{2,4}\b|\b[A-Z]{1,4}\d{4,}\b")


def scrub(message: str) -> str:
    """A message from deep inside (not one of the contract's reports) with anything that
    looks like a date or an identifier masked: it may go to a cron log."""
    return _PERSONAL.sub("…", message)


def _aantal(n: int, enkelvoud: str, meervoud: str) -> str:
    """'1 bestand', '1.209 cellen'."""
    from lerenwerkt.report import aantal

    return aantal(n, enkelvoud, meervoud)


def _seconden(s: float) -> str:
    """'9,7 s'."""
    from lerenwerkt.fmt import getal

    return f"{getal(s, decimalen=1)} s"


#: argparse's few fixed English messages, in Dutch (no gettext catalogue needed).
_ARGPARSE_NL = (
    (r"the following arguments are required: ", "deze argumenten ontbreken: "),
    (r"invalid choice: (.*) \(choose from (.*)\)", r"ongeldige keuze: \1 (kies uit \2)"),
    (r"unrecognized arguments: ", "onbekende argumenten: "),
    (r"expected one argument", "verwacht één waarde"),
    (r"expected at least one argument", "verwacht minstens één waarde"),
    (r"invalid (\w+) value: ", r"ongeldige waarde (\1): "),
    (r"not allowed with argument ", "niet samen met argument "),
    (r"ambiguous option: (.*) could match ", r"dubbelzinnige optie: \1 kan zijn: "),
)


def vertaal_argparse(message: str) -> str:
    """An argparse error message with its fixed English parts in Dutch."""
    for pattern, dutch in _ARGPARSE_NL:
        message = re.sub(pattern, dutch, message)
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "gebruik: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse in Dutch: 'gebruik:', 'opties:', 'toon deze hulp en stop', 'fout:'."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="toon deze hulp en stop")

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fout: {vertaal_argparse(message)}\n")


class UsageError(ValueError):
    """A wrong argument: reported in one line, exit status 1, before anything is computed."""


def check_out_dir(out: str | Path, option: str = "--out") -> Path:
    """Refuse an output folder that cannot take output — an existing file, or a place without
    write permission — before anything is rendered or written."""
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise UsageError(f"{option} {path}: dit is een bestand; geef een map op")
    _check_writable(path, option)
    return path


def check_out_file(out: str | Path, option: str) -> Path:
    path = Path(out)
    if path.is_dir():
        raise UsageError(f"{option} {path}: dit is een map; geef een bestandsnaam op")
    _check_writable(path.parent, option, shown=path)
    return path


def _check_writable(path: Path, option: str, shown: Path | None = None) -> None:
    here = path
    while not here.exists() and here != here.parent:
        here = here.parent
    if not here.is_dir():
        raise UsageError(f"{option} {shown or path}: {here} is een bestand, geen map")
    if not os.access(here, os.W_OK | os.X_OK):
        raise UsageError(f"{option} {shown or path}: geen schrijfrechten in {here}")


#: What makes a file the data-quality page this program writes (``lerenwerkt.quality.page``,
#: from ``validate --report`` or the build): its title and its heading.
_OWN_REPORT = (re.compile(r"<title>Datakwaliteit levering [^<]*</title>"), re.compile(r"<h1>Datakwaliteit van de levering</h1>"))
_OWN_REPORT_MAX = 64 * 1024 * 1024


def _is_own_report(path: Path) -> bool:
    try:
        if not path.is_file() or path.stat().st_size > _OWN_REPORT_MAX:
            return False
        text = path.read_bytes()[:_OWN_REPORT_MAX].decode("utf-8", errors="replace")
    except OSError:
        return False
    return text.startswith("<!DOCTYPE html>") and all(m.search(text) for m in _OWN_REPORT)


def check_report_file(report: str | Path, data: Path) -> Path:
    """``validate --report``: never a file inside the delivery it validates (nor a link to
    one), and never an existing file that is not a data-quality page of this program."""
    path = check_out_file(report, "--report")
    if path.resolve().is_relative_to(data.resolve()):  # resolved: a link into the delivery counts too
        raise UsageError(f"--report {path}: dit ligt in de levering {data}; kies een bestand buiten de levering")
    if (path.exists() or path.is_symlink()) and not _is_own_report(path):
        raise UsageError(f"--report {path}: dit bestand bestaat al en is geen datakwaliteitspagina van lerenwerkt; kies een andere naam of verwijder het eerst")
    return path


def check_schooljaar(schooljaar: str) -> str:
    from lerenwerkt import schooljaar as sj

    try:
        sj.parse(schooljaar)
    except ValueError as err:
        raise UsageError(str(err).replace("schooljaar: ", "--schooljaar ")) from None
    return schooljaar


def cmd_validate(args) -> int:
    from lerenwerkt.load import DeliveryError, validate_delivery

    check_schooljaar(args.schooljaar)
    if args.report == "":  # --report without a file: the build's place, linked from the overview
        args.report = str(config.REPORTS_DIR / args.schooljaar / "datakwaliteit.html")
    data = Path(args.data) if args.data else config.RAW_DIR
    if args.report:
        check_report_file(args.report, data)
    started = time.perf_counter()
    reg, problems = validate_delivery(data)
    seconds = time.perf_counter() - started
    rows = sum(len(df) for df in reg.values())
    from lerenwerkt.fmt import getal

    speed = f"{getal(rows)} rijen in {getal(seconds, decimalen=1)} s, {getal(rows / max(seconds, 1e-9))} rijen/s"
    if args.report:
        from lerenwerkt.quality import write_page

        path = write_page(data, args.report, schooljaar=args.schooljaar, checked=(reg, problems))
        _link_quality_page(Path(path))
        print(f"Datakwaliteitspagina geschreven: {path}")
    if problems:
        print(DeliveryError(data, problems).report())
        print(f"Gecontroleerd: {speed}.")
        return 1
    print(f"Levering {data} is geldig: {_aantal(len(reg), 'bestand', 'bestanden')}, {speed}.")
    return 0


def _link_quality_page(path: Path) -> None:
    """A page in an edition folder the build made shows in its overview right away."""
    from lerenwerkt import report

    out_dir = path.parent.parent
    if path.name == "datakwaliteit.html" and (path.parent / "manifest.json").is_file():
        with report.locked(out_dir):
            report.write_indexes(out_dir)


def cmd_synth(args) -> int:
    from lerenwerkt.synth import generate

    out = Path(args.out) if args.out else config.RAW_DIR
    files = generate(out, seed=args.seed)
    print(f"Synthetisch register geschreven naar {out} ({_aantal(len(files), 'bestand', 'bestanden')}, seed {args.seed}).")
    return 0


def cmd_import(args) -> int:
    from lerenwerkt.importer import load_mapping, run_import, write

    if not args.dry_run:
        check_out_dir(args.out)
    result = run_import(load_mapping(args.mapping), [Path(s) for s in args.source])
    if args.dry_run:
        print(f"Proefdraai: er zou naar {args.out} worden geschreven:")
        print(result.report())
        return 0 if result.ok else 1
    if not result.ok:
        print("Import gestopt, er is niets geschreven. Niet te vertalen:", file=sys.stderr)
        print(result.report(), file=sys.stderr)
        return 1
    paths = write(result, args.out)
    print(f"{_aantal(len(paths), 'bestand', 'bestanden')} geschreven naar {args.out}. Controleer ze met: lerenwerkt validate --data {args.out}")
    for w in result.warnings:
        print(f"let op: {w}", file=sys.stderr)
    return 0


def cmd_tables(args) -> int:
    from lerenwerkt import gate, tables
    from lerenwerkt.io import atomic_write_text
    from lerenwerkt.pipeline import prepare, require_schooljaar

    check_schooljaar(args.schooljaar)
    check_out_dir(args.out)
    reg = prepare(args.data)
    require_schooljaar(reg, args.schooljaar)
    if args.format == "xlsx":
        from lerenwerkt.excel import write_workbooks

        paths = write_workbooks(reg, schooljaar=args.schooljaar, out_dir=args.out, publicatie=args.publicatie, drempel_k=args.drempel)
        print(f"{_aantal(len(paths), 'werkboek', 'werkboeken')} geschreven naar {args.out} ({args.publicatie}).")
        return 0
    from lerenwerkt.pakket import cells_csv

    cells = tables.cells(gate.all_published(reg, schooljaar=args.schooljaar, publicatie=args.publicatie, drempel_k=args.drempel))
    text = cells_csv(cells, openbaar=args.publicatie == "openbaar")
    out = Path(args.out) / "cells.csv"
    atomic_write_text(out, text)
    print(f"{_aantal(len(cells), 'cel', 'cellen')} geschreven naar {out}.")
    if args.publicatie == "openbaar":  # loss and risk of the edition, per product (issue 20)
        from lerenwerkt.publication import verlies_en_risico

        atomic_write_text(
            Path(args.out) / "verlies_en_risico.csv", verlies_en_risico(reg, schooljaar=args.schooljaar, drempel_k=args.drempel).to_csv(index=False)
        )
    return 0


def cmd_build(args) -> int:
    from lerenwerkt.report import build

    check_schooljaar(args.schooljaar)
    check_out_dir(args.out or config.REPORTS_DIR)
    executor = None
    if args.dask:
        from distributed import Client

        executor = Client(args.dask).get_executor()
    try:
        result = _build(build, args, executor)
    except KeyboardInterrupt:
        print("Bouw onderbroken: wat klaar was is bewaard; manifest en overzicht beschrijven wat er staat.", file=sys.stderr)
        return 130
    from lerenwerkt.fmt import getal
    from lerenwerkt.report import aantal

    print(
        f"{aantal(result.count('gebouwd'), 'concept', 'concepten')} gebouwd, {getal(result.count('overgeslagen'))} ongewijzigd, "
        f"{getal(result.count('mislukt'))} mislukt in {getal(result.seconds, decimalen=1)} s; overzicht: {result.index}"
    )
    for d in result.drafts:
        if not d.ok:
            print(f"- mislukt: {d.chapter} {d.gemeente or codes.REGIO}: {d.error}" + (f" (notebook: {d.failed_notebook})" if d.failed_notebook else ""))
    pk = result.pakket
    if pk is not None:
        n = len(pk.gemeenten)
        print(
            f"Openbaar pakket voor {aantal(n, 'gemeente', 'gemeenten')}: {aantal(len(pk.geschreven), 'deel', 'delen')} geschreven, "
            f"{getal(len(pk.overgeslagen))} ongewijzigd ({getal(pk.seconden, decimalen=1)} s); in {Path(result.index).parent / 'openbaar' / args.schooljaar}"
        )
        for f in pk.fouten:
            print(f"- pakket mislukt: {f}")
        for g in pk.gemeenten:
            line = nog_te_schrijven(args.schooljaar, g, teksten_dir=args.teksten)
            if line:
                print(line)
    return 0 if result.ok else 1


def nog_te_schrijven(schooljaar: str, gemeente: str, *, delen=("memo", "katern"), teksten_dir=None) -> str | None:
    """One Dutch line when the gemeente's memo or katern shows a '[… nog te schrijven]'
    placeholder: which files under teksten/ to write; None when every text is there."""
    from lerenwerkt import teksten

    root = teksten.map_voor(schooljaar, teksten_dir)

    def leeg(rel: str) -> bool:
        path = root / rel
        if rel.endswith("/"):
            return not any(p.read_text(encoding="utf-8").strip() for p in path.glob("*.md"))
        return not path.is_file() or not path.read_text(encoding="utf-8").strip()

    lokaal = f"gemeenten/{codes.slug(gemeente)}.md"
    nodig = {lokaal: [d for d in ("memo", "katern") if d in delen]}
    if "katern" in delen:
        for plek in ("lerenwerkt", "ontwikkelingen", "verhalen"):
            rel = teksten.PLEKKEN[plek][0] + ("/" if plek == "verhalen" else "")
            nodig[rel] = ["katern"]
    waar = {"memo": "raadsmededeling", "katern": "lokaal katern"}
    open_ = [f"{rel} ({' en '.join(waar[d] for d in ds)})" for rel, ds in nodig.items() if ds and leeg(rel)]
    if not open_:
        return None
    try:
        shown = root.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        shown = root
    return f"{gemeente}: tekst nog te schrijven (nu '[… nog te schrijven]') in {shown}/: {', '.join(open_)}"


def _build(build, args, executor):
    from lerenwerkt.pakket import sjabloon_per_gemeente

    sjablonen = sjabloon_per_gemeente(args.sjabloon)  # checked before anything is built
    return build(
        pakket=False if args.geen_pakket else None,
        sjablonen=sjablonen,
        teksten_dir=args.teksten,
        schooljaar=args.schooljaar,
        gemeenten=_gemeenten(args.gemeente),
        chapters=args.chapter,
        data_dir=args.data,
        out_dir=args.out,
        jobs=args.jobs,
        force=args.force,
        executor=executor,
        cold=args.cold,
        publicatie=args.publicatie,
        progress=not args.quiet,
    )


def cmd_research(args) -> int:
    from lerenwerkt.pipeline import prepare
    from lerenwerkt.research.absoluut_verzuim import write_results

    paths = write_results(prepare(args.data), schooljaar=args.schooljaar, out=args.out)
    print(f"{_aantal(len(paths), 'bestand', 'bestanden')} geschreven naar {args.out}: {', '.join(p.name for p in paths)}.")
    return 0


# ------------------------------------------------------------------ boek and memo (the book and the Word memo)
def cmd_boek(args) -> int:
    from lerenwerkt import teksten

    if args.namen:
        for naam, (omschrijving, _) in sorted(teksten.figuren().items()):
            print(f"{{{{ {naam} }}}}  {omschrijving}")
        return 0
    import time

    from lerenwerkt.boek import bouw, samenvatting
    from lerenwerkt.pipeline import prepare

    t0 = time.perf_counter()
    reg = prepare(args.data)
    gemeenten = _gemeenten(args.gemeente) or [None, *codes.GEMEENTEN]
    boeken = bouw(
        reg, schooljaar=args.schooljaar, gemeenten=gemeenten, publicatie=args.publicatie, out=args.out, pdf=not args.geen_pdf, teksten_dir=args.teksten
    )
    for b in boeken:
        extra = f" en {b.pdf.name}" if b.pdf else ""
        nog = f"; nog te schrijven: {', '.join(b.ontbrekend)}" if b.ontbrekend else ""
        print(f"{b.pad}{extra} ({_seconden(b.seconden)}){nog}")
    print(f"{samenvatting(boeken)} geschreven in {_seconden(time.perf_counter() - t0)} ({args.publicatie}).")
    return 0


def cmd_memo(args) -> int:
    from lerenwerkt import memo_docx
    from lerenwerkt.pipeline import prepare

    reg = prepare(args.data)
    gemeenten = [g for g in (_gemeenten(args.gemeente) or codes.GEMEENTEN) if g is not None]
    if not gemeenten:
        raise ValueError(f"gemeente: een raadsmededeling is er per gemeente; kies uit {', '.join(codes.GEMEENTEN)}")
    for g in gemeenten:
        out = Path(args.out) if args.out else config.REPORTS_DIR / "openbaar" / args.schooljaar / codes.slug(g)
        path = memo_docx.schrijf(reg, schooljaar=args.schooljaar, gemeente=g, out=out, sjabloon=args.sjabloon, teksten_dir=args.teksten)
        print(f"Raadsmededeling {g}: {path}")
        line = nog_te_schrijven(args.schooljaar, g, delen=("memo",), teksten_dir=args.teksten)
        if line:
            print(line)
    return 0


def _add_boek_memo(sub) -> None:
    bk = sub.add_parser("boek", help="het jaarverslag als boek (HTML en PDF) en een lokaal katern per gemeente")
    bk.add_argument("--schooljaar", default=config.DEFAULT_SCHOOLJAAR, help="schooljaar (standaard: %(default)s)")
    bk.add_argument(
        "--gemeente", nargs="+", help="'lerenwerkt' voor het regionale jaarverslag en/of gemeente(n) voor een lokaal katern (standaard: de regio en alle negen)"
    )
    bk.add_argument(
        "--publicatie",
        choices=["intern", "openbaar"],
        default="intern",
        help="openbaar: de publieksuitgave, kleine aantallen onderdrukt (standaard: %(default)s)",
    )
    bk.add_argument("--data", metavar="MAP", help="map met registratie/ en extern/ (standaard: data/raw)")
    bk.add_argument("--teksten", metavar="MAP", help="map met de redactionele teksten per schooljaar (standaard: teksten/)")
    bk.add_argument("--out", help="doelmap (standaard: reports/<schooljaar>/boek, openbaar: reports/openbaar/<schooljaar>/boek)")
    bk.add_argument("--geen-pdf", action="store_true", help="alleen HTML, geen PDF via Chromium")
    bk.add_argument("--namen", action="store_true", help="toon de cijfernamen die een tekst kan gebruiken ({{ naam }}) en stop")
    bk.set_defaults(func=cmd_boek)

    m = sub.add_parser("memo", help="de raadsmededeling per gemeente als Word-document (altijd openbaar)")
    m.add_argument("--format", choices=["docx"], default="docx", help="uitvoerformaat (standaard: %(default)s)")
    m.add_argument("--sjabloon", help="Word-sjabloon van de gemeente (.docx met plaatshouders; standaard: het meegeleverde sjabloon)")
    m.add_argument("--schooljaar", default=config.DEFAULT_SCHOOLJAAR, help="schooljaar (standaard: %(default)s)")
    m.add_argument("--gemeente", nargs="+", help="gemeente(n); standaard: alle negen")
    m.add_argument("--data", metavar="MAP", help="map met registratie/ en extern/ (standaard: data/raw)")
    m.add_argument("--teksten", metavar="MAP", help="map met de redactionele teksten per schooljaar (standaard: teksten/)")
    m.add_argument("--out", help="doelmap (standaard: reports/openbaar/<schooljaar>/<gemeente>/)")
    m.set_defaults(func=cmd_memo)


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="lerenwerkt", description="Jaarverslag LerenWerkt: van registratie naar hoofdstukconcepten.")
    sub = p.add_subparsers(dest="command", title="opdrachten", metavar="OPDRACHT")

    v = sub.add_parser("validate", help="controleer een levering tegen het datacontract")
    v.add_argument("--data", metavar="MAP", help="map met registratie/ en extern/ (standaard: data/raw)")
    v.add_argument(
        "--report",
        nargs="?",
        const="",
        metavar="HTML",
        help="schrijf ook een datakwaliteitspagina (standaard: reports/<schooljaar>/datakwaliteit.html, waar de bouw haar zet en het overzicht haar toont)",
    )
    v.add_argument("--schooljaar", default=config.DEFAULT_SCHOOLJAAR, help="het schooljaar voor de vergelijking per gemeente (standaard: %(default)s)")
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("synth", help="schrijf het synthetische register")
    s.add_argument("--out", help="doelmap (standaard: data/raw)")
    s.add_argument("--seed", type=int, default=None, help="startwaarde van de toevalsgenerator (standaard: die van het meegeleverde register)")
    s.set_defaults(func=cmd_synth)

    i = sub.add_parser("import", help="zet een export van het zaaksysteem om naar het datacontract")
    i.add_argument("--mapping", required=True, help="mapping-bestand (YAML), zie examples/export/mapping.yml")
    i.add_argument("source", nargs="+", help="exportbestand(en) of map(pen)")
    i.add_argument("--out", required=True, help="doelmap (krijgt registratie/ en extern/)")
    i.add_argument("--dry-run", action="store_true", help="alleen laten zien wat er geschreven zou worden")
    i.set_defaults(func=cmd_import)

    t = sub.add_parser("tables", help="schrijf alle tabellen als cells.csv (tabel,rij,kolom,waarde)")
    t.add_argument("--schooljaar", default=config.DEFAULT_SCHOOLJAAR, help="schooljaar (standaard: %(default)s)")
    t.add_argument("--data", metavar="MAP", help="map met registratie/ en extern/ (standaard: data/raw)")
    t.add_argument("--out", required=True, help="doelmap")
    t.add_argument(
        "--format", choices=["csv", "xlsx"], default="csv", help="csv: één cells.csv; xlsx: een werkboek per gemeente en de regio (standaard: %(default)s)"
    )
    t.add_argument(
        "--publicatie",
        choices=["intern", "openbaar"],
        default="intern",
        help="openbaar: kleine aantallen onderdrukt (kolom onderdrukt in cells.csv; standaard: %(default)s)",
    )
    t.add_argument("--drempel", type=int, help="drempel k voor onderdrukking (standaard: 5, uit lerenwerkt/disclosure_rules.csv)")
    t.set_defaults(func=cmd_tables)

    b = sub.add_parser("build", help="bouw de hoofdstukconcepten, de datakwaliteitspagina en het openbaar pakket per gemeente")
    b.add_argument("--schooljaar", default=config.DEFAULT_SCHOOLJAAR, help="schooljaar (standaard: %(default)s)")
    b.add_argument("--gemeente", nargs="+", help="gemeente(n), naam of slug, of 'lerenwerkt' voor de regio (standaard: all = de regio en alle negen gemeenten)")
    from lerenwerkt.chapters import CHAPTERS, RESEARCH

    b.add_argument(
        "--chapter",
        nargs="+",
        choices=[*CHAPTERS, *RESEARCH],
        metavar="HOOFDSTUK",
        help=f"hoofdstuk(ken): {', '.join(CHAPTERS)}, of op verzoek {', '.join(RESEARCH)}; standaard: alle hoofdstukken",
    )
    b.add_argument("--data", metavar="MAP", help="map met registratie/ en extern/ (standaard: data/raw)")
    b.add_argument("--out", metavar="MAP", help="doelmap (standaard: reports/): intern in <out>/<schooljaar>/, openbaar in <out>/openbaar/<schooljaar>/")
    b.add_argument(
        "--publicatie",
        choices=["intern", "openbaar"],
        default="intern",
        help="openbaar: kleine aantallen onderdrukt (naar <out>/openbaar/; standaard: %(default)s)",
    )
    b.add_argument("--jobs", type=int, metavar="N", help="aantal parallelle werkers (standaard: aantal cores)")
    b.add_argument("--force", action="store_true", help="alles opnieuw bouwen, ook wat niet veranderd is")
    b.add_argument("--cold", action="store_true", help="elk concept in een eigen, nieuwe Python-kernel in plaats van een warme (trager)")
    b.add_argument(
        "--dask", metavar="ADRES", help="bouw op een dask.distributed-cluster op dit adres (optionele extra [dask]; standaard: lokaal, met --jobs werkers)"
    )
    b.add_argument("--quiet", action="store_true", help="geen voortgangsbalk")
    b.add_argument(
        "--sjabloon",
        nargs="+",
        metavar="[GEMEENTE=]DOCX",
        help="Word-sjabloon voor de raadsmededeling: één bestand voor alle gemeenten, of GEMEENTE=BESTAND per gemeente "
        "(standaard: het meegeleverde sjabloon lerenwerkt/templates/docx/raadsmededeling.docx)",
    )
    b.add_argument("--teksten", metavar="MAP", help="map met de redactionele teksten per schooljaar, voor memo en katern (standaard: teksten/)")
    b.add_argument(
        "--geen-pakket",
        action="store_true",
        help="geen openbaar pakket per gemeente (Word-memo, lokaal katern, Excel, cells.csv, zip); "
        "standaard: het pakket komt mee zodra de raadsmededeling wordt gebouwd",
    )
    b.set_defaults(func=cmd_build)

    r = sub.add_parser("research", help="onderzoeksresultaten als tabellen (CSV)")
    rs = r.add_subparsers(dest="onderzoek", required=True, help="het onderzoek: absoluut-verzuim")
    ra = rs.add_parser("absoluut-verzuim", help="cumulatieve incidentie (concurrerende risico's), tarieven en uitkomsten van absoluut verzuim")
    ra.add_argument("--schooljaar", default=config.DEFAULT_SCHOOLJAAR, help="schooljaar (standaard: %(default)s)")
    ra.add_argument("--data", metavar="MAP", help="map met registratie/ en extern/ (standaard: data/raw)")
    ra.add_argument("--out", required=True, help="doelmap voor de CSV-bestanden")
    ra.set_defaults(func=cmd_research)
    _add_boek_memo(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if args.command is None:  # `lerenwerkt` alone: the help
        p.print_help()
        return 0
    if getattr(args, "seed", 0) is None:
        from lerenwerkt.synth.generate import DEFAULT_SEED

        args.seed = DEFAULT_SEED
    try:
        return args.func(args)
    except ValueError as err:  # DeliveryError is a ValueError; imported here to keep start-up light
        from lerenwerkt.load import DeliveryError

        if isinstance(err, DeliveryError):
            print(err.report(), file=sys.stderr)
            return 1
        print(f"fout: {scrub(str(err))}", file=sys.stderr)
        return 1
    except OSError as err:  # a full disk, a folder without permission: the path, not the data
        where = f" ({err.filename})" if err.filename else ""
        print(f"fout: {err.strerror or type(err).__name__}{where}", file=sys.stderr)
        return 1
    except Exception as err:
        # Never a traceback in a cron log: its locals and messages may hold personal values.
        if os.environ.get("LERENWERKT_DEBUG"):
            raise
        print(f"interne fout ({type(err).__name__}); draai opnieuw met LERENWERKT_DEBUG=1 voor de details", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
