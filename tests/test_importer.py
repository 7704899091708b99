"""Importing a real export: the shipped example round-trips to the register exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lerenwerkt import config
from lerenwerkt.cli import main
from lerenwerkt.importer import load_mapping, make_example_export, run_import
from lerenwerkt.schemas import SPECS

EXAMPLE = config.PROJECT_DIR / "examples" / "export"
MAPPING = EXAMPLE / "mapping.yml"


def test_example_export_imports_to_the_register_exactly(tmp_path):
    out = tmp_path / "levering"
    assert main(["import", "--mapping", str(MAPPING), str(EXAMPLE), "--out", str(out)]) == 0
    for spec in SPECS.values():
        assert (out / spec.path).read_bytes() == (config.RAW_DIR / spec.path).read_bytes(), spec.path
    assert main(["validate", "--data", str(out)]) == 0


def test_shipped_example_is_the_export_of_the_shipped_register(tmp_path):
    made = tmp_path / "export"
    make_example_export(config.RAW_DIR, MAPPING, made)
    for p in sorted(made.iterdir()):
        shipped = EXAMPLE / p.name
        if p.suffix == ".xlsx":  # workbooks carry timestamps: compare the cells
            a, b = load_workbook(p, read_only=True), load_workbook(shipped, read_only=True)
            assert a.sheetnames == b.sheetnames
            for name in a.sheetnames:
                assert list(a[name].iter_rows(values_only=True)) == list(b[name].iter_rows(values_only=True))
        else:
            assert p.read_bytes() == shipped.read_bytes(), p.name


def test_example_looks_like_a_real_export():
    raw = (EXAMPLE / "Verzuimmeldingen.csv").read_bytes().decode("cp1252")
    header = raw.splitlines()[0]
    assert header.startswith("Meldingsnummer;Leerlingnummer;Woongemeente;Soort onderwijs;Soort verzuim")
    assert "Wettelijk verzuim" in raw and "Oude-IJsselstreek" in raw and "(V)SO" in raw
    assert any(line.split(";")[5].count("-") == 2 and len(line.split(";")[5].split("-")[2]) == 4 for line in raw.splitlines()[1:50])
    assert (EXAMPLE / "Export JVS.xlsx").exists()


def test_unmapped_values_are_all_listed_and_nothing_is_written(tmp_path):
    src = tmp_path / "export"
    shutil.copytree(EXAMPLE, src)
    p = src / "Verzuimmeldingen.csv"
    text = p.read_bytes().decode("cp1252")
    text = text.replace("Luxe verzuim", "Vakantie zonder verlof", 3).replace("Winterswijk", "Winterswijk-Kotten", 1)
    p.write_bytes(text.encode("cp1252"))
    result = run_import(load_mapping(MAPPING), [src])
    # not a code of the mapping: in a registratie/ file such a value may be personal (a
    # swapped column), so the rows are named, the values counted, never shown
    found = {(u.column, u.value, u.hidden, u.count, u.distinct) for u in result.unmapped}
    assert ("verzuimsoort", None, True, 3, 1) in found and ("gemeente", None, True, 1, 1) in found
    out = tmp_path / "levering"
    assert main(["import", "--mapping", str(MAPPING), str(src), "--out", str(out)]) == 1
    assert not out.exists()
    assert main(["import", "--mapping", str(MAPPING), str(src), "--out", str(out), "--dry-run"]) == 1
    assert not out.exists()


def test_mapping_errors_are_clear(tmp_path):
    bad = tmp_path / "m.yml"
    bad.write_text("bestanden:\n  registratie/leerlingen.csv: {bron: x.csv}\n")
    with pytest.raises(ValueError, match="onbekend doelbestand registratie/leerlingen.csv"):
        load_mapping(bad)
    assert isinstance(Path(MAPPING), Path)


def _export_copy(tmp_path) -> Path:
    src = tmp_path / "export"
    shutil.copytree(EXAMPLE, src)
    return src


def _edit_export(path: Path, edits: dict[tuple[int, int], str]) -> list[list[str]]:
    """Set cells of a ;-separated cp1252 export: {(row, column index): value}, header = row 1."""
    lines = path.read_bytes().decode("cp1252").split("\r\n")
    rows = [line.split(";") for line in lines]
    for (r, c), v in edits.items():
        rows[r - 1][c] = v
    path.write_bytes("\r\n".join(";".join(r) for r in rows).encode("cp1252"))
    return rows


def test_messages_name_export_columns_and_rows_never_personal_values(tmp_path, capsys):
    src = _export_copy(tmp_path)
    rows = _edit_export(
        src / "Verzuimmeldingen.csv",
        {(5, 6): "2011/09/21", (6, 4): "Spijbelen", (9, 4): "Spijbelen", (7, 5): "31-02-2024", (8, 0): "VM 0001"},
    )
    ids = {r[0] for r in rows[1:] if r and r[0]} | {r[1] for r in rows[1:] if len(r) > 1}
    out = tmp_path / "levering"
    assert main(["import", "--mapping", str(MAPPING), str(src), "--out", str(out), "--dry-run"]) == 1
    text = capsys.readouterr().out
    assert "Verzuimmeldingen.csv, kolom 'Geboortedatum' (→ geboortedatum), rij 5 (1×) — een datum zoals 31-12-2024" in text
    assert (
        "kolom 'Soort verzuim' (→ verzuimsoort), rij 6, 9: 1 waarde, niet getoond (privacy: geen code uit de mapping; bekijk de rijen in de export) (2×)"
        in text
    )
    assert "Spijbelen" not in text
    assert "kolom 'Datum melding' (→ datum_melding), rij 7 (1×)" in text
    assert "2011/09/21" not in text and "31-02-2024" not in text
    assert not [i for i in ids if i in text]
    assert not out.exists()


def test_two_digit_years_are_read_with_a_warning(tmp_path, capsys):
    src = _export_copy(tmp_path)
    _edit_export(src / "Verzuimmeldingen.csv", {(3, 5): "1-8-24"})
    out = tmp_path / "levering"
    assert main(["import", "--mapping", str(MAPPING), str(src), "--out", str(out)]) == 0
    assert "kolom 'Datum melding' (→ datum_melding), rij 3 (1×) — jaartal met twee cijfers" in capsys.readouterr().err
    written = (out / "registratie/verzuimmeldingen.csv").read_text(encoding="utf-8").splitlines()
    assert written[2].split(",")[5] == "2024-08-01"


def test_spaces_around_a_gemeente_are_removed_with_a_warning(tmp_path, capsys):
    src = _export_copy(tmp_path)
    rows = _edit_export(src / "Verzuimmeldingen.csv", {})
    _edit_export(src / "Verzuimmeldingen.csv", {(4, 2): rows[3][2] + " "})
    out = tmp_path / "levering"
    assert main(["import", "--mapping", str(MAPPING), str(src), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"kolom 'Woongemeente' (→ gemeente), rij 4: '{rows[3][2]} ' (1×) — spaties of regeleinde rond de waarde verwijderd" in err
    assert main(["validate", "--data", str(out)]) == 0


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("bestanden: !!python/object:os.system {}\n", "gebruik gewone YAML zonder !-tags"),
        ("standaard: !include andere.yml\nbestanden: {}\n", "gebruik gewone YAML zonder !-tags"),
        ("bestanden:\n  registratie/verzuimmeldingen.csv: [a, b]\n", "verwacht sleutels zoals bron en kolommen"),
        ("- een lijst\n", "verwacht een sectie 'bestanden'"),
        ("bestanden: {registratie/verzuimmeldingen.csv: {codes: {gemeente: Aalten}}}\n", "moet labels en codes bevatten"),
        ("bestanden: {a: [\n", "geen geldige mapping"),
    ],
)
def test_bad_mappings_give_a_problem_report(tmp_path, capsys, yaml_text, message):
    bad = tmp_path / "m.yml"
    bad.write_text(yaml_text, encoding="utf-8")
    assert main(["import", "--mapping", str(bad), str(EXAMPLE), "--out", str(tmp_path / "levering")]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_missing_mapping_file(tmp_path, capsys):
    assert main(["import", "--mapping", str(tmp_path / "geen.yml"), str(EXAMPLE), "--out", str(tmp_path / "l")]) == 1
    assert "bestand bestaat niet" in capsys.readouterr().err


def test_broken_sources_are_reported_not_raised(tmp_path):
    src = _export_copy(tmp_path)
    header = (src / "Handhaving.csv").read_bytes().decode("cp1252").split("\r\n")[0].split(";")
    (src / "Handhaving.csv").write_bytes((";".join([*header, header[0]]) + "\r\n").encode("cp1252"))
    big = (src / "Zorg en preventie.csv").read_bytes().decode("cp1252").split("\r\n")
    big[2] = '"' + "x" * 140_000 + '"' + big[2]
    (src / "Zorg en preventie.csv").write_bytes("\r\n".join(big).encode("cp1252"))
    (src / "VSV trajecten.csv").write_bytes("Trajectnummer;Woongemeente\r\nT1;Aalten\r\n".encode("cp1252"))
    result = run_import(load_mapping(MAPPING), [src])
    text = "\n".join(result.problems)
    assert "Handhaving.csv: kolomnaam" in text and "meer dan eens" in text
    assert "Zorg en preventie.csv, rij 3: een veld is groter dan 128 KB" in text
    assert "VSV trajecten.csv: kolom" in text and "ontbreekt in de export" in text
    assert not result.ok


def test_spreadsheets_above_the_limit_are_refused(tmp_path, monkeypatch):
    import lerenwerkt.importer as importer

    monkeypatch.setattr(importer, "XLSX_MAX_ROWS", 100)
    result = run_import(load_mapping(MAPPING), [EXAMPLE])
    assert any("Export JVS.xlsx" in p and "te veel" in p and "exporteer dit blad als CSV" in p for p in result.problems)
    monkeypatch.setattr(importer, "XLSX_MAX_BYTES", 1000)
    result = run_import(load_mapping(MAPPING), [EXAMPLE])
    assert any("Export JVS.xlsx" in p and "te groot" in p for p in result.problems)


def test_a_sheet_that_does_not_exist(tmp_path):
    mapping = load_mapping(MAPPING)
    target = next(t for t, f in mapping["bestanden"].items() if f.get("blad"))
    mapping["bestanden"][target]["blad"] = "Blad99"
    result = run_import(mapping, [EXAMPLE])
    assert any("blad 'Blad99' bestaat niet" in p for p in result.problems)


# ------------------------------------------------- issue 21.3: personal values never in a message
def _swap_header(path: Path, a: str, b: str, encoding: str = "cp1252") -> None:
    text = path.read_bytes().decode(encoding)
    head, rest = text.split("\n", 1)
    head = head.replace(a, "\0").replace(b, a).replace("\0", b)
    path.write_bytes((head + "\n" + rest).encode(encoding))


def test_two_swapped_columns_print_no_ids_and_one_line(tmp_path, capsys):
    """Leerlingnummer and Woongemeente swapped: every pseudonym lands in the gemeente column.
    The dry run used to print each of them (7.895 lines); now one line counts them."""
    src = _export_copy(tmp_path)
    rows = [line.split(";") for line in (src / "Verzuimmeldingen.csv").read_bytes().decode("cp1252").split("\r\n")[1:] if line]
    ids = {r[1] for r in rows} | {r[0] for r in rows}
    _swap_header(src / "Verzuimmeldingen.csv", "Leerlingnummer", "Woongemeente")
    out = tmp_path / "levering"
    assert main(["import", "--mapping", str(MAPPING), str(src), "--out", str(out), "--dry-run"]) == 1
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert not [i for i in ids if i in text]
    hits = [line for line in text.splitlines() if "kolom 'Woongemeente' (→ gemeente)" in line]
    from lerenwerkt.fmt import getal

    assert len(hits) == 1 and f"{getal(len({r[1] for r in rows}))} verschillende waarden, niet getoond (privacy" in hits[0]
    assert f"({getal(len(rows))}×)" in hits[0]
    assert len(text.splitlines()) < 20
    assert main(["import", "--mapping", str(MAPPING), str(src), "--out", str(out)]) == 1  # the real run: the same, on stderr
    captured = capsys.readouterr()
    assert not [i for i in ids if i in captured.out + captured.err] and len(captured.err.splitlines()) < 20
    assert not out.exists()


def test_pseudonyms_of_any_shape_and_written_out_birth_dates_are_not_shown(tmp_path, capsys):
    """The contract allows any pseudonym ('merel-vos'); a birth date may be written
    '23 dec '03'. In a code column of a registratie/ file neither is shown."""
    src = _export_copy(tmp_path)
    lines = (src / "Verzuimmeldingen.csv").read_bytes().decode("cp1252").split("\r\n")
    rows = [line.split(";") for line in lines]
    maanden = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    planted = []
    for i, r in enumerate(rows[1:60], start=1):
        if i % 2:
            r[2] = f"merel-vos-{chr(97 + i % 26)}{chr(97 + i // 26)}"  # Woongemeente: a pseudonym
        else:
            d, m, y = r[6].split("-")  # Geboortedatum 31-12-2010
            r[4] = f"{int(d)} {maanden[int(m) - 1]} '{y[2:]}"  # Soort verzuim: a birth date
        planted.append(r[2] if i % 2 else r[4])
    rows[99][4] = "wettelijk VERZUIM"  # a label of the mapping but for capitals: a code, shown
    (src / "Verzuimmeldingen.csv").write_bytes("\r\n".join(";".join(r) for r in rows).encode("cp1252"))
    assert main(["import", "--mapping", str(MAPPING), str(src), "--out", str(tmp_path / "l"), "--dry-run"]) == 1
    text = "".join(capsys.readouterr())
    assert "kolom 'Soort verzuim' (→ verzuimsoort), rij 100: 'wettelijk VERZUIM' (1×)" in text
    assert not [v for v in planted if v in text]
    assert "kolom 'Woongemeente' (→ gemeente), rij 2, 4, 6, 8, 10 en nog 25: 30 verschillende waarden, niet getoond" in text
    assert "kolom 'Soort verzuim' (→ verzuimsoort), rij 3, 5, 7, 9, 11 en nog 24: 29 verschillende waarden, niet getoond" in text


def test_values_of_an_extern_column_are_shown_but_capped(tmp_path):
    """extern/ holds public figures: shown, but a swapped column lists at most VALUES_SHOWN of
    them; the others are counted in one line."""
    from lerenwerkt.importer import VALUES_SHOWN

    src = _export_copy(tmp_path)
    _swap_header(src / "jikp.csv", "gemeente", "aantal", encoding="utf-8-sig")
    result = run_import(load_mapping(MAPPING), [src])
    found = [u for u in result.unmapped if u.file == "extern/jikp.csv" and u.column == "gemeente"]
    distinct = {line.split(",")[5] for line in (EXAMPLE / "jikp.csv").read_text(encoding="utf-8-sig").splitlines()[1:]}
    assert len(distinct) > VALUES_SHOWN + 1
    shown = [u for u in found if u.value is not None]
    assert len(shown) == VALUES_SHOWN and all(u.value in distinct for u in shown)
    (rest,) = [u for u in found if u.value is None]
    assert rest.distinct == len(distinct) - VALUES_SHOWN
    assert sum(u.count for u in found) == len((EXAMPLE / "jikp.csv").read_text(encoding="utf-8-sig").splitlines()) - 1
    assert f": nog {rest.distinct} andere waarden ({rest.count}×)" in str(rest)


def test_a_header_cell_is_never_echoed_unless_known(tmp_path):
    """A file without its header row: the first row of data (ids, dates) is taken as the
    header; two equal dates in it are named by position, not shown."""
    src = _export_copy(tmp_path)
    lines = (src / "Verzuimmeldingen.csv").read_bytes().decode("cp1252").split("\r\n")
    first = next(i for i, line in enumerate(lines[1:], start=1) if line.split(";")[8])  # with a Datum afgerond
    row = lines[first].split(";")
    row[8] = row[5]  # afgerond on the day of the melding
    (src / "Verzuimmeldingen.csv").write_bytes("\r\n".join([";".join(row), *lines[first + 1 :]]).encode("cp1252"))
    result = run_import(load_mapping(MAPPING), [src])
    text = "\n".join(result.problems)
    assert (
        "Verzuimmeldingen.csv: kolom 6 en 9 hebben dezelfde naam; elke kolom moet een eigen naam hebben" in text
        and "is de eerste regel wel een kopregel?" in text
    )
    assert not [v for v in row if len(v) >= 4 and v in text]


# ------------------------------------------------------------- issue 21.6: an xlsx bomb is refused early
_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Vrijstellingen" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
}


def _xlsx_bomb(path: Path, strings: int) -> None:
    """A workbook of well under 1 MB on disk whose sharedStrings.xml unzips to 17 bytes per
    string (20 million: 340 MB of XML; openpyxl kept them all, 2 GB in 661 s)."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, text in _PARTS.items():
            z.writestr(name, text)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            block = b"<si><t>x</t></si>" * 100_000
            for _ in range(strings // 100_000):
                fh.write(block)
            fh.write(b"</sst>")


def test_an_xlsx_bomb_is_refused_quickly_in_bounded_memory(tmp_path):
    """Run as an operator would, in a process limited to 1 GB of address space: the import
    refuses the workbook with a clear message in seconds, its peak memory that of an ordinary
    import."""
    import resource
    import subprocess
    import sys
    import time

    src = _export_copy(tmp_path)
    _xlsx_bomb(src / "Export JVS.xlsx", 20_000_000)
    assert (src / "Export JVS.xlsx").stat().st_size < 1024 * 1024
    script = (
        "import sys\n"
        "from lerenwerkt.cli import main\n"
        "rc = main(sys.argv[1:])\n"
        # VmHWM: this process's own peak (ru_maxrss also counts the forked parent's peak before exec)
        "hwm = next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1]\n"
        "print('maxrss_kb', hwm, file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-c", script, "import", "--mapping", str(MAPPING), str(src), "--out", str(tmp_path / "l"), "--dry-run"],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit,
        cwd=tmp_path,
    )
    seconds = time.perf_counter() - started
    assert run.returncode == 1, run.stdout[-2000:] + run.stderr[-2000:]
    assert "Export JVS.xlsx: werkboek met meer dan 2.000.000 verschillende teksten is geen gewone export; exporteer dit blad als CSV" in run.stdout
    maxrss_mb = int(run.stderr.split("maxrss_kb")[-1].split()[0]) / 1024
    assert maxrss_mb < 400, maxrss_mb  # an ordinary import of the example: about 175 MB
    assert seconds < 90, seconds  # measured: 7,7 s, of which 6,2 s the ordinary import


@pytest.mark.parametrize(
    ("limit", "value", "message"), [("XLSX_MAX_PARTS", 3, "onderdelen is geen gewone export (grens 3)"), ("XLSX_MAX_UNZIPPED", 1000, "werkboek is uitgepakt")]
)
def test_a_workbook_above_a_zip_limit_is_refused_before_parsing(monkeypatch, limit, value, message):
    import lerenwerkt.importer as importer

    monkeypatch.setattr(importer, limit, value)
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: pytest.fail("openpyxl parsed a refused workbook"))
    result = run_import(load_mapping(MAPPING), [EXAMPLE])
    assert any(p.startswith("Export JVS.xlsx: ") and message in p and "exporteer dit blad als CSV" in p for p in result.problems), result.problems


def test_shared_strings_are_counted_across_steps_and_prefixes(tmp_path, monkeypatch):
    """Counted exactly, whatever the namespace prefix and wherever a 1 MB step cuts a tag;
    a workbook just above the limit is refused, one at it is read."""
    import io

    import lerenwerkt.importer as importer

    body = b"<x:sst>" + b"<x:si><x:t>ab</x:t></x:si>" * 50_000 + b"<si><t/></si>" * 30_000 + b"<si/>" * 7 + b"<sst_not><sin>" + b"</x:sst>"
    assert importer._count_strings(io.BytesIO(body), 10**9) == 80_007
    src = _export_copy(tmp_path)
    _xlsx_bomb(src / "Export JVS.xlsx", 100_000)
    monkeypatch.setattr(importer, "XLSX_MAX_STRINGS", 99_999)
    assert any("meer dan 99.999 verschillende teksten" in p for p in run_import(load_mapping(MAPPING), [src]).problems)
    monkeypatch.setattr(importer, "XLSX_MAX_STRINGS", 100_000)
    assert not any("verschillende teksten" in p for p in run_import(load_mapping(MAPPING), [src]).problems)
