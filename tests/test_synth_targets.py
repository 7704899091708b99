"""The synthetic generator reads every figure it calibrates to from its targets files:
published figures from ``published_cells.csv`` or (with a citation) ``aanvullend.csv``,
invented ones from ``aanvullend.csv`` marked ``verzonnen`` with the reason. None is typed
into ``lerenwerkt/synth/*.py``."""

from __future__ import annotations

import ast
import csv
import importlib
import re
from pathlib import Path

import pytest

from lerenwerkt.config import SYNTH_TARGETS
from lerenwerkt.synth import targets

SYNTH_DIR = Path(targets.__file__).parent
#: A typed-in percentage or count this large is never a modelling choice in synth/ (ages,
#: days and months stay below it); smaller published figures are caught by their neighbours.
DISTINCTIVE = 32


def _published_figures() -> tuple[set[float], set[tuple[float, float]]]:
    """Published figures the generator reads from its targets, and the pairs of figures the
    report prints next to each other (text figures N0xx and N0xx+1; neighbouring gepubliceerd
    rows of aanvullend.csv)."""
    with open(SYNTH_TARGETS, encoding="utf-8", newline="") as fh:
        tekst = {(r["rij"], r["kolom"]): float(r["waarde"]) for r in csv.DictReader(fh) if r["tabel"] == "tekst"}
    values = set(tekst.values())
    pairs = set()
    for (nummer, jaar), v in tekst.items():
        volgende = (f"N{int(nummer[1:]) + 1:03d}", jaar)
        if volgende in tekst:
            pairs.add((v, tekst[volgende]))
    gepubliceerd = [float(r["waarde"]) for r in targets.supplement_rows().values() if r["soort"] == "gepubliceerd"]
    values |= set(gepubliceerd)
    pairs |= set(zip(gepubliceerd, gepubliceerd[1:]))
    return values, pairs


def _number(node: ast.AST) -> float | None:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return float(node.value)
    return None


def _as_published(v: float, values: set[float]) -> float | None:
    """The published figure a literal stands for: itself, or a whole percentage written as a
    fraction with two decimals (0.44 for 44%; 0.8 is a weight more often than 80%)."""
    if v in values:
        return v
    pct = round(100 * v, 6)
    if 0 < v < 1 and pct.is_integer() and pct % 10 and pct in values:
        return pct
    return None


def typed_in_figures(source: str, values: set[float], pairs: set[tuple[float, float]]) -> list[str]:
    """Places where ``source`` types a published figure in: a distinctive one anywhere, two that
    the report prints together side by side in one literal or call, or a name bound to one."""
    found = []
    for node in ast.walk(ast.parse(source)):
        v = _number(node)
        if v is not None:
            p = _as_published(v, values)
            if p is not None and p >= DISTINCTIVE:
                found.append(f"regel {node.lineno}: {node.value} (gepubliceerd cijfer)")
        items = None
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            items = node.elts
        elif isinstance(node, ast.Dict):
            items = node.values
        elif isinstance(node, ast.Call):
            items = node.args
        if items:
            nums = [_number(x) for x in items]
            for a, b in zip(nums, nums[1:]):
                if a is None or b is None:
                    continue
                pa, pb = _as_published(a, values), _as_published(b, values)
                if pa is not None and pb is not None and (pa, pb) in pairs:
                    found.append(f"regel {node.lineno}: {a:g}, {b:g} (gepubliceerde reeks)")
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            v = _number(node.value)
            if v is not None and v >= 10 and _as_published(v, values) is not None:
                found.append(f"regel {node.lineno}: naam gebonden aan {node.value.value} (gepubliceerd cijfer)")
    return found


def test_no_published_figure_is_typed_into_the_generator():
    values, pairs = _published_figures()
    problems = []
    for path in sorted(SYNTH_DIR.glob("*.py")):
        problems += [f"{path.name} {p}" for p in typed_in_figures(path.read_text(encoding="utf-8"), values, pairs)]
    assert not problems, "gepubliceerde cijfers in synth/; lees ze uit targets/:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "old",
    [
        'for key, pct in (("ingeschreven", 65), ("verhuisd", 14), ("nog_verzuimer", 9)):\n    pass',  # N021-N023
        "x = round(total / (1 - 0.44))",  # N017
        'shares = {"voortgezet": 73, "gestopt": 14, "overstap": 6, "uit_beeld": 7}',  # N060-N062
        "just_23 = 12",  # Bijlage 3 Tabel 2, voetnoot
        "n_single = round(n_jong * 0.58)",  # N055
        'K = {"2024-2025": {"testen_afgenomen": 30, "beroepen_opleidingsdatabase_gebruikt": 27}}',  # Hoofdstuk 3
        "pct = {'werken': 23, 'verkeerde_opleidingskeuze': 12, 'medische_problematiek': 10}",  # N084-N086
    ],
)
def test_the_scan_catches_the_figures_that_were_typed_in_before(old):
    values, pairs = _published_figures()
    assert typed_in_figures(old, values, pairs), f"not caught: {old}"


def test_the_scan_leaves_modelling_choices_alone():
    values, pairs = _published_figures()
    ok = "AGES = [17, 18, 19, 20, 21, 22]\nMONTH_WEIGHTS = [0.2, 1.1, 1.2]\nd = dt.date(2025, 7, 31)\nmean = {'absoluut': 35, 'wettelijk': 45}"
    assert typed_in_figures(ok, values, pairs) == []


def test_every_supplement_figure_is_used_and_every_used_one_exists():
    generate = importlib.import_module("lerenwerkt.synth.generate")
    targets.used_keys.clear()
    generate.build()
    rows = set(targets.supplement_rows())
    assert targets.used_keys <= rows
    assert rows - targets.used_keys == set(), "rows of aanvullend.csv that the generator never reads"


def _shown(waarde: str) -> str:
    v = float(waarde)
    return f"{v:.0f}" if v.is_integer() else waarde


def test_every_supplement_row_is_documented():
    rows = targets.supplement_rows()
    assert rows, "aanvullend.csv is empty"
    problems = []
    for key, r in rows.items():
        if not re.fullmatch(r"[a-z0-9_]+(\.[A-Za-z0-9_\-]+)+", key):
            problems.append(f"{key}: sleutel is not dotted lowercase")
        if len(r["omschrijving"].strip()) < 10:
            problems.append(f"{key}: no omschrijving")
        if r["soort"] == "verzonnen":
            reason = r["bron"].removeprefix("verzonnen:").strip()
            if not r["bron"].startswith("verzonnen:") or len(reason) < 20:
                problems.append(f"{key}: an invented value needs bron 'verzonnen: <why, in line with what>'")
        else:
            if not re.search(r"Hoofdstuk|Bijlage|Tabel|Grafiek|Diagram|raadsmededeling", r["bron"]):
                problems.append(f"{key}: a published figure needs the place in the report")
            if not re.search(r"'[^']{10,}'", r["bron"]):
                problems.append(f"{key}: a published figure needs the report's words, quoted")
            if not re.search(rf"(?<![\d.,]){re.escape(_shown(r['waarde']))}(?![\d,])", r["bron"]):
                problems.append(f"{key}: bron does not show the value {r['waarde']}")
    assert not problems, "\n".join(problems)


def test_a_malformed_supplement_file_is_reported_at_once(tmp_path, monkeypatch):
    bad = tmp_path / "aanvullend.csv"
    bad.write_text(
        "sleutel,waarde,bron,omschrijving,soort\na.b,12,verzonnen: een reden die lang genoeg is,iets,verzonnen\na.b,twaalf,Hoofdstuk 2 'x',iets,geschat\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(targets, "SUPPLEMENT", bad)
    targets.supplement_rows.cache_clear()
    try:
        with pytest.raises(ValueError) as err:
            targets.supplement_rows()
    finally:
        targets.supplement_rows.cache_clear()
    message = str(err.value)
    assert "regel 3" in message and "twee keer" in message and "kolom soort" in message and "kolom waarde" in message


def test_an_unknown_key_is_an_error_not_a_default():
    with pytest.raises(KeyError, match="geen sleutel"):
        targets.supplement("bestaat.niet")
    with pytest.raises(KeyError, match="geen sleutels"):
        targets.supplement_group("bestaat")
