"""Audit of the openbaar publication by an attacker who holds two editions (issue 11, "Tests").

The identities between tables are written by hand in ``tests/audit_identities.py`` from what
the report's tables mean, not taken from the catalogue, so this audit can fail. Each edition
is computed once per session (protecting one takes a minute or two).
"""

from __future__ import annotations

import math

import pytest

from lerenwerkt import disclosure, publication
from lerenwerkt.pipeline import prepare

from . import audit_identities as ai

JAREN = ("2024-2025", "2023-2024")
DREMPEL = disclosure.rules().drempel


class Reader:
    """What a reader holds (both openbaar editions) and the truth behind it (intern)."""

    def __init__(self, reg, indeling: str | None = None, methode: str | None = None):
        self.openbaar = {y: publication.published_cells(reg, schooljaar=y, publicatie="openbaar", indeling=indeling, methode=methode) for y in JAREN}
        self.intern = {y: publication.published_cells(reg, schooljaar=y, publicatie="intern", indeling=indeling) for y in JAREN}
        self.gemeenten = [s for s in dict.fromkeys(self.openbaar[JAREN[0]].scope) if s != ai.REGIO]
        self.cells = ai.collect(self.openbaar, self.intern)
        self.identities = ai.Identities(self.cells, self.gemeenten).build()
        self._audit = None

    @property
    def audit(self) -> ai.AuditResult:
        if self._audit is None:
            self._audit = ai.audit(self.cells, self.identities.eqs, drempel=DREMPEL)
        return self._audit


@pytest.fixture(scope="module")
def reader(shipped):
    return Reader(shipped)


@pytest.fixture(scope="module")
def other_reader(tmp_path_factory):
    from lerenwerkt.synth import generate

    out = tmp_path_factory.mktemp("audit-seed11")
    generate(out, seed=11)
    return Reader(prepare(out, processed_dir=tmp_path_factory.mktemp("audit-p11")))


def _report(result: ai.AuditResult, limit: int = 40) -> str:
    from collections import Counter

    lines = [f.describe() for f in result.exposed[:limit]]
    more = len(result.exposed) - limit
    small = sum(0 < f.true < DREMPEL for f in result.exposed)
    via = Counter(i for f in result.exposed for i in set(f.identities)).most_common(6)
    head = [f"{small} van hen met een waarde onder {DREMPEL}; bindende identiteiten: {via}"]
    return "\n".join(head + lines + ([f"... en {more} meer"] if more > 0 else []))


def _check(r: Reader):
    """Every assertion of the audit on one register."""
    c = r.cells
    assert not c.conflicts, f"one figure, two values across editions: {c.conflicts[:5]}"
    assert not r.identities.missing, f"cells the identities name but the publication lacks: {r.identities.missing[:5]}"
    assert len(r.identities.eqs) > 1500
    # the identities are true of the intern edition: else they (or a label) are wrong
    bad = ai.violated(c, r.identities.eqs, c.true)
    assert not bad, f"{len(bad)} identities do not hold on the intern figures, e.g. {bad[:5]}"
    # nothing small is published as it is
    small = [k for k, v in c.published.items() if 0 < v < DREMPEL]
    assert not small, f"{len(small)} published counts below {DREMPEL}, e.g. {small[:5]}"
    assert len(c.unknown) > 100  # there is something to attack
    res = r.audit
    assert not res.inconsistent, f"published figures contradict the identities: {res.inconsistent[:5]}"
    assert not res.exposed, f"{len(res.exposed)} hidden cells recoverable (exact, or < {DREMPEL}) by a reader of {' and '.join(JAREN)}:\n{_report(res)}"


def test_identities_hold_on_intern_figures(reader):
    """Hand-written identities checked against the truth; a broken identity would make the
    LP infeasible or hide a leak."""
    bad = ai.violated(reader.cells, reader.identities.eqs, reader.cells.true)
    assert not bad, bad[:10]
    assert not reader.identities.missing, reader.identities.missing[:10]
    names = {n for n, _ in reader.identities.eqs}
    for relation in ("memo_verzuim = Bijlage 1 A", "diagram1 = Σ Bijlage 1 B", "memo_vsv = Tabel 4", "tabel7 Totaal = vorig", "uitstroom_absoluut"):
        assert any(relation in n for n in names), relation


def test_no_hidden_cell_recoverable_across_both_editions(reader):
    _check(reader)


@pytest.mark.slow
def test_no_hidden_cell_recoverable_on_other_seed(other_reader):
    _check(other_reader)


@pytest.mark.slow
def test_no_hidden_cell_recoverable_in_the_coarse_layout(shipped):
    """The coarse openbare layout (openbare_indeling.csv: the memo's niveaus merged) is
    protected as well: the merged memo rows are tied to Bijlage 1 by hand in the identities."""
    r = Reader(shipped, indeling="grof")
    merged = r.openbaar[JAREN[0]]
    assert merged.rij.str.endswith(ai.MEMO_ALLE).any(), "the coarse layout merges the memo's niveaus"
    assert any("alle niveaus" in n for n, _ in r.identities.eqs)
    _check(r)


def test_suppression_with_the_rules_knowledge_that_a_dot_is_at_least_one(reader):
    """The attacker with the method's full knowledge: a "." is 1 or more while zeros are shown
    (issue 20, item 1). Before the protection's own LP knew it, 566 withheld small counts of the
    shipped register were pinned this way, 75 of them exactly."""
    assert not reader.cells.unknown or all(reader.cells.true[k] > 0 for k in reader.cells.unknown), "a withheld 0: '.' ≥ 1 would be untrue"
    res = ai.audit(reader.cells, reader.identities.eqs, drempel=DREMPEL, punt_minstens_een=True)
    assert not res.inconsistent
    assert not res.exposed, f"{len(res.exposed)} hidden cells recoverable with '.' ≥ 1:\n{_report(res)}"


def test_each_edition_alone(reader):
    """A reader of one edition only: localises a failure of the test above (within an edition,
    or only across editions)."""
    for y in JAREN:
        cells = ai.collect({y: reader.openbaar[y]}, {y: reader.intern[y]})
        res = ai.audit(cells, ai.Identities(cells, reader.gemeenten).build().eqs, drempel=DREMPEL)
        assert not res.exposed, f"editie {y} op zich: {len(res.exposed)} herleidbaar:\n{_report(res)}"


_PATTERN = """
import json, sys
from lerenwerkt import pipeline, publication
c = publication.published_cells(pipeline.prepare(sys.argv[1], processed_dir=sys.argv[2]), schooljaar=sys.argv[3], publicatie="openbaar")
print(json.dumps(sorted(map(list, c[c.onderdrukt][["tabel", "scope", "rij", "kolom"]].itertuples(index=False)))))
"""


@pytest.mark.slow
def test_suppression_pattern_is_the_same_in_every_process(tmp_path):
    """Drafts are built in separate processes (notebook kernels): each must hide the same
    cells, else two drafts of one edition together give back what each hides. Python's
    string hashing differs per process (PYTHONHASHSEED); the pattern must not depend on it."""
    import json
    import os
    import subprocess
    import sys

    from lerenwerkt import config

    patterns = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", _PATTERN, str(config.RAW_DIR), str(tmp_path / "p"), JAREN[1]], env=env, capture_output=True, text=True, check=True
        ).stdout
        patterns.append({tuple(x) for x in json.loads(out.strip().splitlines()[-1])})
    a, b = patterns
    assert a == b, f"editie {JAREN[1]}: {len(a)} vs {len(b)} verborgen cellen bij PYTHONHASHSEED 1 en 2; {len(a ^ b)} verschillen, bv. {sorted(a ^ b)[:5]}"


def test_percentages_go_with_their_counts(reader):
    """'% actie gewenst' is hidden whenever its count or its denominator is."""
    for year, pub in reader.openbaar.items():
        t = pub[pub.tabel == "tabel3_verzuim_18plus"].pivot_table(
            index=["scope", "rij"], columns="kolom", values=["waarde", "onderdrukt"], aggfunc="first", dropna=False
        )
        hidden = (
            t["onderdrukt"]["meldingen"].astype(bool)
            | t["onderdrukt"]["actie_gewenst"].astype(bool)
            | t["waarde"]["meldingen"].isna()
            | t["waarde"]["actie_gewenst"].isna()
        )
        leaks = t.index[hidden & t["waarde"]["actie_gewenst_pct"].notna()].tolist()
        assert not leaks, f"editie {year}: % actie gewenst getoond bij verborgen telling: {leaks[:5]}"
        # and where shown, it is the share of the published counts
        shown = t[~hidden & t["waarde"]["actie_gewenst_pct"].notna()]
        m, a, p = shown["waarde"]["meldingen"], shown["waarde"]["actie_gewenst"], shown["waarde"]["actie_gewenst_pct"]
        expect = (100 * a / m.where(m > 0)).fillna(0)
        assert ((p - expect).abs() <= 0.5 + 1e-9).all(), "percentage is not count / denominator"


def test_audit_can_fail(reader):
    """Publish the partners of one hidden small cell in one identity: the audit must find it."""
    c, eqs = reader.cells, reader.identities.eqs
    target = terms = None
    for _name, ts in eqs:
        hidden = [k for _, k in ts if k not in c.published]
        small = [k for k in hidden if 0 < c.true[k] < DREMPEL]
        if small and len(hidden) >= 2:
            target, terms = small[0], ts
            break
    assert target is not None, "no hidden small cell in any identity"
    leaked = dict(c.published)
    for _, k in terms:
        if k != target:
            leaked[k] = c.true[k]  # the partner published as it is
    res = ai.audit(c, eqs, drempel=DREMPEL, published=leaked, only={target})
    found = [f for f in res.exposed if f.key == target]
    assert found, f"the audit missed {target}"
    assert math.isclose(found[0].hoog, c.true[target]) and math.isclose(found[0].laag, c.true[target])
    # and without the leak the same cell is safe
    assert not [f for f in ai.audit(c, eqs, drempel=DREMPEL, only={target}).exposed if f.key == target]


def test_a_memo_figure_beside_its_hidden_bijlage_cell_is_caught(reader):
    """The leak named in issue 11: memo 'Voortgezet onderwijs' minus one Bijlage 1 cell gives
    the other. Publishing the memo cell of a hidden Bijlage 1 Tabel 2A cell must be caught."""
    c = reader.cells
    s = JAREN[0]
    for g in reader.gemeenten:
        for soort, kol in ai.MEMO_SOORT.items():
            vso = (s, "bijlage1_tabel2a", ai.REGIO, g, kol)
            vo = (s, "bijlage1_tabel3a", ai.REGIO, g, kol)
            memo = ("*", "memo_verzuim", g, f"{soort} | Voortgezet onderwijs", s)
            if vso not in c.published and 0 < c.true[vso] < DREMPEL and vo in c.published:
                leaked = {**c.published, memo: c.true[memo]}
                res = ai.audit(c, reader.identities.eqs, drempel=DREMPEL, published=leaked, only={vso})
                assert [f for f in res.exposed if f.key == vso], f"missed {vso}"
                return
    pytest.skip("no hidden (v)so cell beside a published vo cell in this register")


def test_result_summary(reader, capsys):
    """Numbers for the README: unknowns, LPs and time (printed with -s)."""
    res = reader.audit
    with capsys.disabled():
        print(
            f"\naudit {'+'.join(JAREN)}: {len(reader.identities.eqs)} identiteiten, {res.unknowns} verborgen cellen, "
            f"{res.lps} LP's in {res.seconds:.0f} s, {len(res.exposed)} herleidbaar, {len(res.known_zeros)} verborgen nullen bekend"
        )
    assert res.unknowns == len(reader.cells.unknown) and 0 < res.lps <= 2 * res.unknowns


# ---------------------------------------------------------------- random rounding (issue 20)
BASIS = disclosure.rules(methode="afronding").basis


@pytest.fixture(scope="module")
def rounding_reader(shipped):
    return Reader(shipped, methode="afronding")


@pytest.fixture(scope="module")
def other_rounding_reader(tmp_path_factory):
    from lerenwerkt.synth import generate

    out = tmp_path_factory.mktemp("audit-rounding-seed11")
    generate(out, seed=11)
    return Reader(prepare(out, processed_dir=tmp_path_factory.mktemp("audit-rounding-p11")), methode="afronding")


def _check_rounding(r: Reader):
    """Random rounding, attacked with the rule known: every count of both editions is
    published; one figure has one value in every table, scope and edition; an integer
    program over all of them (true ∈ [v−4, v+4], the identities) pins no count of 1 … 4 to
    fewer than three values, nor exactly."""
    c = r.cells
    assert not c.conflicts, f"one figure, two values across tables or editions: {c.conflicts[:5]}"
    assert not c.unknown, f"{len(c.unknown)} cells withheld; rounding publishes every count"
    bad = ai.violated(c, r.identities.eqs, c.true)
    assert not bad, bad[:5]
    counts = {k: v for k, v in c.published.items() if k[4] not in ai.SHARE_COLUMNS}
    assert all(v % BASIS == 0 for v in counts.values()), "every published count a multiple of the base"
    assert all(abs(v - c.true[k]) < BASIS for k, v in counts.items()), "within the base of the truth"
    assert any(v != c.true[k] for k, v in counts.items()), "something is rounded"
    small = [k for k in counts if 0 < c.true[k] < BASIS]
    assert len(small) > 500  # there is something to attack
    res = ai.audit_rounding(c, r.identities.eqs, basis=BASIS)
    assert not res.inconsistent, res.inconsistent[:5]
    assert res.small == len(small)
    assert not res.pinned, f"{len(res.pinned)} small counts pinned to fewer than three values ({len(res.exact)} exactly):\n" + "\n".join(
        f.describe() for f in res.pinned[:30]
    )


def test_rounding_pins_no_small_count_across_both_editions(rounding_reader):
    _check_rounding(rounding_reader)


@pytest.mark.slow
def test_rounding_pins_no_small_count_on_other_seed(other_rounding_reader):
    _check_rounding(other_rounding_reader)


def test_rounding_audit_finds_a_pin_when_exact_figures_leak(rounding_reader):
    """The audit can fail: when a reader learns the true totals of a table (as a sentence
    that prints a count from the register instead of the published one would give), the
    integer program pins the small cells beside them."""
    c = rounding_reader.cells
    leak = {k for k in c.true if k[1] == "bijlage1_tabel5a" and (k[3] == "Totaal" or k[4] == "Totaal" or c.true[k] >= BASIS)}
    known = {**c.published, **{k: c.true[k] for k in leak}}
    res = ai.audit_rounding(
        ai.Cells(published=known, true=c.true, labels=c.labels, editions=c.editions), rounding_reader.identities.eqs, basis=BASIS, exact=leak
    )
    assert any(f.key[1] == "bijlage1_tabel5a" for f in res.pinned), f"{len(res.pinned)} pinned"
