"""The data-quality page of a delivery."""

from __future__ import annotations

import csv

from lerenwerkt.cli import main
from lerenwerkt.load import validate_delivery
from lerenwerkt.quality import jumps, open_old


def test_quality_page_is_written(tmp_path, raw_copy):
    out = tmp_path / "dq.html"
    assert main(["validate", "--data", str(raw_copy), "--report", str(out)]) == 0
    page = out.read_text()
    for section in (
        "Volledigheid per kolom",
        "Dubbele registraties",
        "Registraties per maand",
        "Per gemeente tegen het vorige schooljaar",
        "langer dan een jaar",
    ):
        assert section in page


def test_jump_and_old_open_meldingen_are_flagged(raw_copy):
    path = raw_copy / "registratie/verzuimmeldingen.csv"
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    # drop two thirds of Doetinchem's 2024-2025 meldingen: an incomplete export
    keep, n = [], 0
    for r in rows:
        if r["gemeente"] == "Doetinchem" and r["datum_melding"] >= "2024-08-01":
            n += 1
            if n % 3:
                continue
        keep.append(r)
    # and leave one old melding open
    old = next(r for r in keep if r["datum_melding"] < "2022-01-01" and r["verzuimsoort"] == "wettelijk")
    old["datum_afgerond"], old["resultaat"] = "", ""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(keep)
    reg, problems = validate_delivery(raw_copy)
    assert problems == []
    j = jumps(reg, schooljaar="2024-2025").set_index(["bestand", "gemeente"])
    assert j.loc[("verzuimmeldingen", "Doetinchem"), "sprong"]
    assert not j.loc[("verzuimmeldingen", "Aalten"), "sprong"]
    o, _ = open_old(reg)
    assert o[(o.gemeente == old["gemeente"]) & (o.verzuimsoort == "Wettelijk verzuim")].meldingen.sum() >= 1


def test_filled_share_rounds_down_and_files_have_readable_names():
    from lerenwerkt.quality import bestand_label, gevuld_procent

    assert gevuld_procent(99_999, 100_000) == "99,9"
    assert gevuld_procent(100_000, 100_000) == "100,0"
    assert gevuld_procent(1, 3) == "33,3" and gevuld_procent(2, 3) == "66,6"
    assert bestand_label("registratie/meldingen_18plus.csv") == "Meldingen 18+"
    assert bestand_label("zorg_preventie") == "Zorg en preventie"


def test_report_without_a_file_goes_where_the_build_puts_it(tmp_path, raw_copy, monkeypatch, capsys):
    from lerenwerkt import config

    path = raw_copy / "registratie/verzuimmeldingen.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    head = lines[0].split(",")
    row = lines[1].split(",")
    row[head.index("nieuwkomer")] = ""  # one empty value in a column of thousands
    lines[1] = ",".join(row)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(config, "REPORTS_DIR", tmp_path / "reports")
    main(["validate", "--data", str(raw_copy), "--report", "--schooljaar", "2024-2025"])
    out = tmp_path / "reports" / "2024-2025" / "datakwaliteit.html"
    assert str(out) in capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    # row labels stacked as the report shows them: the file once over its columns
    assert "INTERN" in page.upper() and ">Verzuimmeldingen</th>" in page and "registratie/" not in page.split("Volledigheid")[1]
    cell = page.split(">Verzuimmeldingen</th>")[1].split(">nieuwkomer</th>")[1].split("</tr>")[0]
    assert "99,9" in cell and "100,0" not in cell


def test_an_unknown_gemeente_with_markup_is_text_on_the_page(raw_copy):
    """A gemeente the contract does not know, written as markup: where the page shows it (the
    contract problem, and a table label when a register holding it is handed over) it is
    escaped text, never an element."""
    import pandas as pd
    from lxml import html as lh

    from lerenwerkt.quality import page

    payload = "<img src=x onerror=alert(1)>"
    path = raw_copy / "registratie/verzuimmeldingen.csv"
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    rows[0]["gemeente"] = payload
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    reg, problems = validate_delivery(raw_copy)
    assert problems
    vm = reg["verzuimmeldingen"].copy()
    vm["gemeente"] = vm.gemeente.astype(object)
    old = vm.index[(vm.datum_melding < "2022-01-01") & (vm.verzuimsoort == "wettelijk")][0]
    vm.loc[old, ["gemeente", "datum_afgerond"]] = [payload, pd.NaT]
    reg["verzuimmeldingen"] = vm
    doc = lh.fromstring(page(raw_copy, schooljaar="2024-2025", checked=(reg, problems)))
    assert not doc.xpath("//img") and not doc.xpath("//@*[starts-with(name(), 'on')]")
    # the contract problem does not repeat an unknown value of a registratie file (issue 21.3: it may be personal)
    assert doc.xpath("//li") and not any(payload in li.text_content() for li in doc.xpath("//li"))
    assert payload in [th.text_content() for th in doc.xpath("//table[@id='T_dq-open']//th")], "a handed-over label is escaped text"
