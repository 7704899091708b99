"""An attacker's audit of the openbaar publication (issue 11, "Tests").

A reader holds two editions (schooljaar S and S-1): every table of every scope. The
unknowns are the cells suppressed in both editions; the constraints are the published
numbers plus the report's own identities, written here BY HAND from what the tables mean
(never read from ``lerenwerkt.catalogue`` or ``lerenwerkt.publication``), so that the audit
can fail when the protection misses a relation. For every unknown the smallest and largest
value consistent with everything published is solved by LP (scipy, HiGHS).

Cells are named by a *canonical key*: a figure that describes the same records in two
editions (the 2023-2024 column of a three-year chart in edition 2024-2025 and in edition
2023-2024) is one key, so one unknown.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

REGIO = "LerenWerkt"
TOTAAL = "Totaal"

# Bijlage 1: tabel n per onderwijssoort; 1 = (s)bo, 2 = (v)so, 3 = vo, 4 = mbo, 5 = geen onderwijs.
B1 = (1, 2, 3, 4, 5)
A_SOORTEN = ("Absoluut verzuim", "Wettelijk verzuim", "Langdurig relatief verzuim", "Luxe verzuim", "Overig verzuim")
INFO = "Informatie en advies"
B_RESULTATEN = (
    "(Terug) naar school",
    "Dagbesteding met schoolinschrijving",
    "Langdurige hulpverlening",
    "Time-out voorziening",
    "Vrijstelling",
    "(Tijdelijk) werk",
    "Overdracht naar DSP",
    "Overig",
)
DIAGRAM1_OVERIG = ("verhuisd naar een andere regio", "nog in behandeling", "andere afrondingsreden")
RELATIEF = ("Wettelijk verzuim", "Langdurig relatief verzuim", "Luxe verzuim", "Overig verzuim")
# raadsmededeling: soort label -> Bijlage 1 A column; niveau -> Bijlage 1 tables
MEMO_SOORT = {
    "Absoluut verzuim": "Absoluut verzuim",
    "Relatief (wettelijk) verzuim": "Wettelijk verzuim",
    "Luxe verzuim": "Luxe verzuim",
    "Overig verzuim": "Overig verzuim",
    "Informatie en advies": INFO,
}
MEMO_NIVEAU = {"Primair onderwijs": (1,), "Voortgezet onderwijs": (2, 3), "Middelbaar beroepsonderwijs": (4,)}
MEMO_ALLE = "Alle onderwijsniveaus"  # the memo's row label when the coarse openbare layout merges the niveaus
ARTIKELEN = ("Artikel 3a", "Artikel 5 onder a", "Artikel 5 onder b", "Artikel 5 onder c", "Artikel 15")
HANDHAVING = ("Halt-interventies", "Processen-verbaal luxe verzuim", "Processen-verbaal absoluut en relatief verzuim")
STATUS = ("In behandeling", "Monitoring", "Afgerond")
NIEUW, OUD = "Nieuwe vsv'ers", "Oud vsv'ers"
T5_WERK = (
    "Werk - kortdurend",
    "Werk - langdurig - 6 mnd+",
    "Werk - langdurig - 12 mnd+",
    "Werk + interne opleiding",
    "Werk + Loonkostensubsidie",
    "ZZP/Zelfstandig ondernemer",
    "Wacht op inkomen",
)
T5_PARTIJEN = ("Participatiewet", "Wajong", "Dagbesteding", "Hulpverlening")
T5_TOP = ("Werk", "Wacht op inschrijving", "School (gerelateerd)", "Inzet andere partijen", "Niet bereikbaar/ongemotiveerd", "Overig")
T6_RIJEN = ("School (gerelateerd)", "Geen doelgroep meer", "Startkwalificatie behaald", "Overig")
LEEFTIJD = ("<18 (pro/vso)", "18", "19", "20", "21", "22")
UITSTROOM = (
    "weer ingeschreven bij een school",
    "verhuisd naar een andere regio",
    "nog absoluut verzuimer",
    "18 jaar en overgedragen aan het Doorstroompunt",
    "vrijstelling, hulpverlening, werk of anders",
)
# tables whose columns (or rows, tabel3) are schooljaren: one figure per schooljaar, whatever the edition
PER_JAAR_KOLOM = {
    "diagram1_resultaten",
    "grafiek2_absoluut_verzuim",
    "grafiek3_relatief_verzuim",
    "grafiek4_informatie_advies",
    "memo_verzuim",
    "tabel2_vrijstellingen",
    "grafiek5_handhaving",
    "memo_vsv",
}
PER_JAAR_RIJ = {"tabel3_verzuim_18plus"}
# figures of other sources (CBS, DUO, OCW), published as they are: not register counts
EXTERN = {"leerplichttelling", "tabel1_bevolking", "bijlage3_tabel1_duo_vsv", "bijlage3_tabel3_jongeren_23_26", "bijlage4_schoollocatie"}
PERCENTAGES = {("tabel3_verzuim_18plus", "actie_gewenst_pct")}

Key = tuple  # (edition or "*", tabel, scope, rij, kolom)
SLACK = "~slack"  # first element of the key of an inequality's slack variable
SMALL_MARK = 5  # findings below this true value are marked in messages (the audit itself takes drempel)


#: The JIKP cohort table: startposities (rows) and daginvulling at the overstap (columns).
JIKP_POSITIE = ("Praktijkonderwijs", "Vso", "Vmbo-basis", "Entree")
JIKP_DAGINVULLING = ("Onderwijs", "Werk", "Uitkering", "Geen van beide / niet in beeld")


def vorig(schooljaar: str) -> str:
    a, b = (int(x) for x in schooljaar.split("-"))
    return f"{a - 1}-{b - 1}"


def canonical(edition: str, tabel: str, scope: str, rij: str, kolom: str) -> Key:
    """One key per figure: a schooljaar column (or row) names its records by itself."""
    if tabel in PER_JAAR_KOLOM or tabel in PER_JAAR_RIJ:
        return ("*", tabel, scope, rij, kolom)
    return (edition, tabel, scope, rij, kolom)


@dataclass
class Cells:
    """Every count cell of the editions a reader holds, by canonical key."""

    published: dict[Key, float] = field(default_factory=dict)  # key -> value, if any edition shows it
    true: dict[Key, float] = field(default_factory=dict)  # key -> intern value
    labels: dict[Key, list] = field(default_factory=dict)  # key -> edition labels
    conflicts: list = field(default_factory=list)  # one key, two different values
    editions: dict[str, set] = field(default_factory=dict)  # edition -> its (tabel, scope, rij, kolom)

    @property
    def unknown(self) -> list[Key]:
        return sorted(k for k in self.true if k not in self.published)


def collect(openbaar: dict[str, pd.DataFrame], intern: dict[str, pd.DataFrame]) -> Cells:
    """``openbaar``/``intern``: schooljaar -> ``published_cells`` frame of that edition."""
    out = Cells()
    for year, pub in openbaar.items():
        intr = intern[year].set_index(["tabel", "scope", "rij", "kolom"]).waarde
        out.editions[year] = set()
        for r in pub.itertuples(index=False):
            if r.tabel in EXTERN or (r.tabel, r.kolom) in PERCENTAGES:
                continue
            label = (r.tabel, r.scope, r.rij, r.kolom)
            out.editions[year].add(label)
            k = canonical(year, *label)
            t = float(intr.loc[label])
            if k in out.true and out.true[k] != t:
                out.conflicts.append((k, "intern", out.true[k], t))
            out.true[k] = t
            out.labels.setdefault(k, []).append((year, *label))
            if not r.onderdrukt:
                v = float(r.waarde)
                if k in out.published and out.published[k] != v:
                    out.conflicts.append((k, "openbaar", out.published[k], v))
                out.published[k] = v
    return out


# ---------------------------------------------------------------- the identities, by hand
class Identities:
    """Linear equations Σ coef·cell = 0 over canonical keys, written from the report's meaning."""

    def __init__(self, cells: Cells, gemeenten: list[str]):
        self.cells, self.g = cells, list(gemeenten)
        self.eqs: list[tuple[str, list[tuple[float, Key]]]] = []
        self.missing: list = []

    def c(self, year: str, tabel: str, scope: str, rij: str, kolom: str) -> Key | None:
        """The key of a cell of edition ``year`` (None, and noted, if that edition lacks it)."""
        if (tabel, scope, rij, kolom) not in self.cells.editions.get(year, ()):
            self.missing.append((year, tabel, scope, rij, kolom))
            return None
        return canonical(year, tabel, scope, rij, kolom)

    def eq(self, name: str, lhs: Key | None, rhs: list[Key | None]):
        """lhs = Σ rhs."""
        if lhs is None or any(k is None for k in rhs):
            return
        self.eqs.append((name, [(1.0, lhs)] + [(-1.0, k) for k in rhs]))

    def le(self, name: str, small: Key | None, big: Key | None):
        """small ≤ big, as small + slack = big with a slack ≥ 0 (an unknown no one publishes)."""
        if small is None or big is None:
            return
        self.eqs.append((name, [(1.0, small), (-1.0, big), (1.0, (SLACK, len(self.eqs)))]))

    def build(self) -> Identities:
        years = sorted(self.cells.editions)
        for s in years:
            self._edition(s, s)
            if vorig(s) in self.cells.editions:
                self._linked(s, vorig(s))
        return self

    def _edition(self, s: str, y: str):
        c, eq, G = self.c, self.eq, self.g
        rows = [*G, TOTAAL]
        # Bijlage 1 A and B: totals; B (zonder informatie en advies) counts the meldingen of A's Totaal
        for n in B1:
            ta, tb_ = f"bijlage1_tabel{n}a", f"bijlage1_tabel{n}b"
            for r in rows:
                eq(f"{ta}: Totaal = Σ verzuimsoorten (zonder informatie en advies)", c(s, ta, REGIO, r, TOTAAL), [c(s, ta, REGIO, r, k) for k in A_SOORTEN])
                eq(f"{tb_}: Totaal = Σ resultaten", c(s, tb_, REGIO, r, TOTAAL), [c(s, tb_, REGIO, r, k) for k in B_RESULTATEN])
                eq(f"{tb_} Totaal = {ta} Totaal", c(s, tb_, REGIO, r, TOTAAL), [c(s, ta, REGIO, r, TOTAAL)])
            for k in (*A_SOORTEN, INFO, TOTAAL):
                eq(f"{ta}: Totaal-rij = Σ gemeenten", c(s, ta, REGIO, TOTAAL, k), [c(s, ta, REGIO, g, k) for g in G])
            for k in (*B_RESULTATEN, TOTAAL):
                eq(f"{tb_}: Totaal-rij = Σ gemeenten", c(s, tb_, REGIO, TOTAAL, k), [c(s, tb_, REGIO, g, k) for g in G])

        def b1_row(scope):
            return TOTAAL if scope == REGIO else scope

        scopes = [REGIO, *G]
        for sc in scopes:
            # Diagram 1 = Σ Bijlage 1 B over the five onderwijssoorten; Overig groups three reasons
            d = "diagram1_resultaten"
            eq("diagram1: Overig = verhuisd + nog in behandeling + andere reden", c(s, d, sc, "Overig", s), [c(s, d, sc, r, s) for r in DIAGRAM1_OVERIG])
            eq("diagram1: Totaal = Σ resultaten", c(s, d, sc, TOTAAL, s), [c(s, d, sc, r, s) for r in B_RESULTATEN])
            for r in (*B_RESULTATEN, TOTAAL):
                eq("diagram1 = Σ Bijlage 1 B", c(s, d, sc, r, s), [c(s, f"bijlage1_tabel{n}b", REGIO, b1_row(sc), r) for n in B1])
            # Grafiek 2/3/4 of the schooljaar = Σ Bijlage 1 A over the five onderwijssoorten
            for tabel, rij, kol in (
                ("grafiek2_absoluut_verzuim", "Absoluut verzuim", "Absoluut verzuim"),
                *(("grafiek3_relatief_verzuim", k, k) for k in RELATIEF),
                ("grafiek4_informatie_advies", INFO, INFO),
            ):
                eq(f"{tabel} = Σ Bijlage 1 A ({kol})", c(s, tabel, sc, rij, s), [c(s, f"bijlage1_tabel{n}a", REGIO, b1_row(sc), kol) for n in B1])
            # uitstroom of absoluut verzuim: the rows are every melding absoluut verzuim
            eq(
                "uitstroom_absoluut: Σ rijen = grafiek2",
                c(s, "grafiek2_absoluut_verzuim", sc, "Absoluut verzuim", s),
                [c(s, "uitstroom_absoluut", sc, r, "aantal") for r in UITSTROOM],
            )
            # Tabel 2 vrijstellingen = Bijlage 2 Tabel 1; Grafiek 5 = Bijlage 2 Tabel 2
            for a in ARTIKELEN:
                eq("tabel2 = Bijlage 2 Tabel 1", c(s, "tabel2_vrijstellingen", sc, a, s), [c(s, "bijlage2_tabel1_vrijstellingen", REGIO, b1_row(sc), a)])
            for h in HANDHAVING:
                eq("grafiek5 = Bijlage 2 Tabel 2", c(s, "grafiek5_handhaving", sc, h, s), [c(s, "bijlage2_tabel2_handhaving", REGIO, b1_row(sc), h)])
            # Tabel 5: groups and Totaal; nieuwe vsv'ers in monitoring = Tabel 4 Monitoring, oud = Tabel 7
            t5 = "tabel5_monitoring"
            for k in (NIEUW, OUD):
                eq("tabel5: Werk = Σ werk-rijen", c(s, t5, sc, "Werk", k), [c(s, t5, sc, r, k) for r in T5_WERK])
                eq("tabel5: Inzet andere partijen = Σ partijen", c(s, t5, sc, "Inzet andere partijen", k), [c(s, t5, sc, r, k) for r in T5_PARTIJEN])
                eq("tabel5: Totaal = Σ hoofdrijen", c(s, t5, sc, TOTAAL, k), [c(s, t5, sc, r, k) for r in T5_TOP])
            eq("tabel5 nieuw Totaal = Tabel 4 Monitoring", c(s, t5, sc, TOTAAL, NIEUW), [c(s, "tabel4_status_nieuwe_vsv", REGIO, b1_row(sc), "Monitoring")])
            eq("tabel5 oud Totaal = Tabel 7 Monitoring", c(s, t5, sc, TOTAAL, OUD), [c(s, "tabel7_status_oud_vsv", REGIO, b1_row(sc), "Monitoring")])
            # Tabel 6: Totaal; nieuwe vsv'ers afgerond = Tabel 4 Afgerond
            t6 = "tabel6_afgerond"
            for k in (NIEUW, OUD):
                eq("tabel6: Totaal = Σ rijen", c(s, t6, sc, TOTAAL, k), [c(s, t6, sc, r, k) for r in T6_RIJEN])
            eq("tabel6 nieuw Totaal = Tabel 4 Afgerond", c(s, t6, sc, TOTAAL, NIEUW), [c(s, "tabel4_status_nieuwe_vsv", REGIO, b1_row(sc), "Afgerond")])
            # Bijlage 3 Tabel 2: in beeld = in behandeling + monitoring, nieuw and oud; both age columns count them
            b3 = "bijlage3_tabel2_leeftijd"
            kols = [k for k in ("Leeftijd t.t.v. vsv-melding", f"Leeftijd op 18 september {s[-4:]}")]
            for k in kols:
                eq("bijlage3_tabel2: Totaal = Σ leeftijden", c(s, b3, sc, TOTAAL, k), [c(s, b3, sc, r, k) for r in LEEFTIJD])
                eq(
                    "bijlage3_tabel2 Totaal = Tabel 4 + Tabel 7 (in behandeling + monitoring)",
                    c(s, b3, sc, TOTAAL, k),
                    [c(s, t, REGIO, b1_row(sc), st) for t in ("tabel4_status_nieuwe_vsv", "tabel7_status_oud_vsv") for st in ("In behandeling", "Monitoring")],
                )
            # bounds: '% actie gewenst' counts part of the meldingen; oud-vsv'ers afgerond in the
            # schooljaar are part of the oud-vsv'ers afgerond (Tabel 7)
            for y in self._years_of(s, "tabel3_verzuim_18plus", rows=True):
                self.le(
                    "tabel3: actie gewenst ≤ meldingen",
                    c(s, "tabel3_verzuim_18plus", sc, y, "actie_gewenst"),
                    c(s, "tabel3_verzuim_18plus", sc, y, "meldingen"),
                )
            self.le("tabel6 oud Totaal ≤ Tabel 7 Afgerond", c(s, t6, sc, TOTAAL, OUD), c(s, "tabel7_status_oud_vsv", REGIO, b1_row(sc), "Afgerond"))
        # region = Σ gemeenten, for every scoped table and every schooljaar it shows
        for r in (*B_RESULTATEN, *DIAGRAM1_OVERIG, TOTAAL):
            self._regio(s, "diagram1_resultaten", r, s)
        for tabel, rijen in (
            ("grafiek2_absoluut_verzuim", ["Absoluut verzuim"]),
            ("grafiek3_relatief_verzuim", list(RELATIEF)),
            ("grafiek4_informatie_advies", [INFO]),
            ("tabel2_vrijstellingen", list(ARTIKELEN)),
            ("grafiek5_handhaving", list(HANDHAVING)),
        ):
            for r in rijen:
                for k in self._years_of(s, tabel):
                    self._regio(s, tabel, r, k)
        for r in UITSTROOM:
            self._regio(s, "uitstroom_absoluut", r, "aantal")
        for y in self._years_of(s, "tabel3_verzuim_18plus", rows=True):
            for k in ("meldingen", "actie_gewenst"):
                self._regio(s, "tabel3_verzuim_18plus", y, k)
        for r in (*T5_TOP, *T5_WERK, *T5_PARTIJEN, TOTAAL):
            for k in (NIEUW, OUD):
                self._regio(s, "tabel5_monitoring", r, k)
        for r in (*T6_RIJEN, TOTAAL):
            for k in (NIEUW, OUD):
                self._regio(s, "tabel6_afgerond", r, k)
        for r in (*LEEFTIJD, TOTAAL):
            for k in ("Leeftijd t.t.v. vsv-melding", f"Leeftijd op 18 september {s[-4:]}"):
                self._regio(s, "bijlage3_tabel2_leeftijd", r, k)
        # Bijlage 2 and the vsv status tables: totals
        t = "bijlage2_tabel1_vrijstellingen"
        for r in rows:
            eq(f"{t}: Totaal = Σ artikelen", c(s, t, REGIO, r, TOTAAL), [c(s, t, REGIO, r, a) for a in ARTIKELEN])
        for k in (*ARTIKELEN, TOTAAL):
            eq(f"{t}: Totaal-rij = Σ gemeenten", c(s, t, REGIO, TOTAAL, k), [c(s, t, REGIO, g, k) for g in G])
        t = "bijlage2_tabel2_handhaving"
        for k in HANDHAVING:
            eq(f"{t}: Totaal-rij = Σ gemeenten", c(s, t, REGIO, TOTAAL, k), [c(s, t, REGIO, g, k) for g in G])
        for t in ("tabel4_status_nieuwe_vsv", "tabel7_status_oud_vsv"):
            for r in rows:
                eq(f"{t}: Totaal = Σ statussen", c(s, t, REGIO, r, TOTAAL), [c(s, t, REGIO, r, k) for k in STATUS])
            for k in (*STATUS, TOTAAL):
                eq(f"{t}: Totaal-rij = Σ gemeenten", c(s, t, REGIO, TOTAAL, k), [c(s, t, REGIO, g, k) for g in G])
        # the JIKP cohort (jongeren at their overstap): totals both ways, region = Σ gemeenten
        t = "jikp_cohort"
        for sc in scopes:
            for r in (*JIKP_POSITIE, TOTAAL):
                eq(f"{t}: Totaal = Σ daginvullingen", c(s, t, sc, r, TOTAAL), [c(s, t, sc, r, k) for k in JIKP_DAGINVULLING])
            for k in (*JIKP_DAGINVULLING, TOTAAL):
                eq(f"{t}: Totaal-rij = Σ startposities", c(s, t, sc, TOTAAL, k), [c(s, t, sc, r, k) for r in JIKP_POSITIE])
        for r in (*JIKP_POSITIE, TOTAAL):
            for k in (*JIKP_DAGINVULLING, TOTAAL):
                self._regio(s, t, r, k)
        # the raadsmededelingen: memo = Bijlage 1 A of the gemeente (both schooljaren it shows,
        # when the reader holds that year's edition); memo vsv = Tabel 4 of its schooljaar
        for g in G:
            for y in self._years_of(s, "memo_vsv", scope=g):
                eq("memo_vsv: Totaal = Σ statussen", c(s, "memo_vsv", g, TOTAAL, y), [c(s, "memo_vsv", g, st, y) for st in STATUS])
                if y in self.cells.editions:
                    for st in (*STATUS, TOTAAL):
                        eq("memo_vsv = Tabel 4 (schooljaar van de kolom)", c(s, "memo_vsv", g, st, y), [c(y, "tabel4_status_nieuwe_vsv", REGIO, g, st)])
            for y in self._years_of(s, "memo_verzuim", scope=g):
                if y not in self.cells.editions:
                    continue
                for soort, kol in MEMO_SOORT.items():
                    alle = f"{soort} | {MEMO_ALLE}"
                    if ("memo_verzuim", g, alle, y) in self.cells.editions[s]:
                        # the coarse openbare layout: the memo's three niveaus as one row
                        eq(
                            "memo_verzuim (alle niveaus) = Bijlage 1 A (po, (v)so, vo, mbo)",
                            c(s, "memo_verzuim", g, alle, y),
                            [c(y, f"bijlage1_tabel{n}a", REGIO, g, kol) for niveau in MEMO_NIVEAU for n in MEMO_NIVEAU[niveau]],
                        )
                        continue
                    for niveau, tabellen in MEMO_NIVEAU.items():
                        eq(
                            "memo_verzuim = Bijlage 1 A (niveau = onderwijssoorten)",
                            c(s, "memo_verzuim", g, f"{soort} | {niveau}", y),
                            [c(y, f"bijlage1_tabel{n}a", REGIO, g, kol) for n in tabellen],
                        )

    def _linked(self, s: str, p: str):
        """Edition s and the previous edition p: the oud-vsv cohort grows by last year's nieuw cohort."""
        for r in [*self.g, TOTAAL]:
            self.eq(
                "tabel7 Totaal = vorig tabel7 Totaal + vorig tabel4 Totaal",
                self.c(s, "tabel7_status_oud_vsv", REGIO, r, TOTAAL),
                [self.c(p, "tabel7_status_oud_vsv", REGIO, r, TOTAAL), self.c(p, "tabel4_status_nieuwe_vsv", REGIO, r, TOTAAL)],
            )

    def _years_of(self, s, tabel, *, rows=False, scope=REGIO):
        labels = [lab for lab in self.cells.editions[s] if lab[0] == tabel and lab[1] == scope]
        return sorted({lab[2] if rows else lab[3] for lab in labels})

    def _regio(self, s, tabel, rij, kolom):
        self.eq(f"{tabel}: regio = Σ gemeenten", self.c(s, tabel, REGIO, rij, kolom), [self.c(s, tabel, g, rij, kolom) for g in self.g])


def violated(cells: Cells, eqs, values: dict[Key, float]) -> list:
    """Identities that do not hold on ``values`` (the intern edition): a wrong identity here, or
    one label with two definitions in the publication."""
    bad = []
    for name, terms in eqs:
        r = sum(a * values[k] for a, k in terms if k[0] != SLACK)
        if (r > 1e-6) if any(k[0] == SLACK for _, k in terms) else (abs(r) > 1e-6):
            bad.append((name, terms[0][1], r))
    return bad


# ---------------------------------------------------------------- the LP audit
@dataclass
class Finding:
    key: Key
    true: float
    laag: float
    hoog: float
    identities: list[str]

    def describe(self) -> str:
        ed, tabel, scope, rij, kolom = self.key
        where = f"{tabel} [{scope}] {rij} / {kolom}" + ("" if ed == "*" else f" (editie {ed})")
        hoog = "∞" if math.isinf(self.hoog) else f"{self.hoog:g}"
        klein = " [KLEIN]" if 0 < self.true < SMALL_MARK else ""
        return f"{where}{klein}: tussen {self.laag:g} en {hoog} via {'; '.join(sorted(set(self.identities)))}"


@dataclass
class AuditResult:
    unknowns: int
    lps: int
    seconds: float
    exposed: list[Finding]  # exactly known, or pinned below the threshold with true value > 0
    inconsistent: list  # identities that cannot hold with the published figures
    known_zeros: list  # hidden zeros known to be zero (not a disclosure; reported)


def audit(
    cells: Cells, eqs, *, drempel: int, published: dict[Key, float] | None = None, only: set[Key] | None = None, punt_minstens_een: bool = False
) -> AuditResult:
    """Min and max of every unknown over all published cells and identities at once
    (``only``: audit these unknowns, still under every constraint). ``punt_minstens_een``:
    the reader's knowledge of rules that show 0 and withhold 1 … k−1: a "." is at least 1
    (issue 20, item 1); without it the LP's lower bound is 0."""
    t0 = time.perf_counter()
    pub = cells.published if published is None else published
    unknown = sorted(k for k in cells.true if k not in pub) + sorted({k for _, ts in eqs for _, k in ts if k[0] == SLACK})
    col = {k: j for j, k in enumerate(unknown)}
    rows, cols, vals, rhs, names, inconsistent = [], [], [], [], [], []
    for name, terms in eqs:
        b = 0.0
        coefs: dict[int, float] = {}
        for a, k in terms:
            if k in col:
                coefs[col[k]] = coefs.get(col[k], 0.0) + a
            else:
                b -= a * pub[k]
        coefs = {j: a for j, a in coefs.items() if a != 0}
        if not coefs:
            if abs(b) > 1e-6:
                inconsistent.append((name, terms[0][1], b))
            continue
        i = len(rhs)
        for j, a in coefs.items():
            rows.append(i)
            cols.append(j)
            vals.append(a)
        rhs.append(b)
        names.append(name)
    n, m = len(unknown), len(rhs)
    a = sparse.csr_matrix((vals, (rows, cols)), shape=(m, n))
    # independent LPs: unknowns linked through an identity share one
    g = sparse.bmat([[None, a.T], [a, None]]).tocsr() if m else sparse.csr_matrix((n, n))
    _, label = connected_components(g, directed=False)
    var_comp, row_comp = label[:n], label[n:]
    b = np.array(rhs)
    lps = 0
    exposed, zeros = [], []
    for comp in np.unique(var_comp):
        vs = np.flatnonzero(var_comp == comp)
        rs = np.flatnonzero(row_comp == comp)
        sub = a[rs][:, vs]
        via = sorted({names[r] for r in rs})
        bounds = [(1, None) if punt_minstens_een and unknown[j][0] != SLACK else (0, None) for j in vs]
        for jj, j in enumerate(vs):
            key = unknown[j]
            if key[0] == SLACK or len(rs) == 0 or (only is not None and key not in only):
                continue  # nothing relates it to anything published: unbounded
            cost = np.zeros(len(vs))
            cost[jj] = 1.0
            v = cells.true[key]
            hi_res = linprog(-cost, A_eq=sub, b_eq=b[rs], bounds=bounds, method="highs")
            lps += 1
            if hi_res.status == 2:
                inconsistent.append(("LP onoplosbaar", key, None))
                continue
            hi = -hi_res.fun if hi_res.status == 0 else math.inf
            if hi >= drempel and hi >= v + 1 - 1e-6:
                continue  # an integer other than the true value fits, and the cell may be large
            lo_res = linprog(cost, A_eq=sub, b_eq=b[rs], bounds=bounds, method="highs")
            lps += 1
            lo = lo_res.fun if lo_res.status == 0 else 0.0
            exact = not math.isinf(hi) and math.floor(hi + 1e-6) <= math.ceil(lo - 1e-6)
            pinned = v > 0 and hi < drempel - 1e-6
            if exact and v == 0:
                zeros.append(key)  # a hidden zero known to be zero: reveals no one
            elif exact or pinned:
                binding = [names[rs[r]] for r in np.flatnonzero(np.abs(hi_res.eqlin.marginals) > 1e-9)] if hi_res.status == 0 else []
                exposed.append(Finding(key, v, lo, hi, binding or via[:5]))
    return AuditResult(sum(k not in pub for k in cells.true), lps, time.perf_counter() - t0, exposed, inconsistent, zeros)


# ---------------------------------------------------------------- the audit of random rounding
#: Share columns: derived from the rounded counts, not counts themselves.
SHARE_COLUMNS = {"Aandeel", "actie_gewenst_pct"}


@dataclass
class RoundingFinding:
    key: Key
    true: float
    laag: float
    hoog: float

    @property
    def values(self) -> int:
        return int(math.floor(self.hoog + 1e-6) - math.ceil(self.laag - 1e-6) + 1)

    def describe(self) -> str:
        ed, tabel, scope, rij, kolom = self.key
        where = f"{tabel} [{scope}] {rij} / {kolom}" + ("" if ed == "*" else f" (editie {ed})")
        return f"{where} (waar {self.true:g}): tussen {self.laag:g} en {self.hoog:g}"


@dataclass
class RoundingAudit:
    small: int  # true counts 1 … basis−1 attacked
    solves: int
    seconds: float
    pinned: list[RoundingFinding]  # fewer than three possible values (exact included)
    inconsistent: list
    bounds: dict = field(default_factory=dict)  # key -> (laag, hoog) of every small count

    @property
    def exact(self) -> list[RoundingFinding]:
        return [f for f in self.pinned if f.values <= 1]


def audit_rounding(cells: Cells, eqs, *, basis: int, integer: bool = True, time_limit: float = 20.0, exact: set | None = None) -> RoundingAudit:
    """The attacker who knows the rounding rule: a published v means an integer true value in
    [max(0, v−basis+1), v+basis−1] (unbiased random rounding to a multiple of ``basis``; a
    multiple stays as it is); every count (and every slack of an inequality) is an integer
    variable, the hand-written identities hold. For every true count 1 … basis−1 the smallest
    and the largest feasible value (MILP, HiGHS) over all published numbers of the editions
    the reader holds; pinned: fewer than three values. Solutions found on the way are
    witnesses: a cell already seen at three values needs no solve of its own. ``exact``: cells
    the reader knows exactly (a leak to show that the audit can fail)."""
    import highspy

    t0 = time.perf_counter()
    keys = sorted(k for k in cells.true if k[4] not in SHARE_COLUMNS)
    slacks = sorted({k for _, ts in eqs for _, k in ts if k[0] == SLACK})
    var = keys + slacks
    col = {k: j for j, k in enumerate(var)}
    lo = np.zeros(len(var))
    hi = np.full(len(var), highspy.kHighsInf)
    for k in keys:
        if k in cells.published:
            v = cells.published[k]
            lo[col[k]], hi[col[k]] = (v, v) if exact and k in exact else (max(0.0, v - basis + 1), v + basis - 1)
    rows, cols, vals, inconsistent = [], [], [], []
    m = 0
    for _name, terms in eqs:
        if any(k not in col for _, k in terms):
            continue
        for a, k in terms:
            rows.append(m)
            cols.append(col[k])
            vals.append(a)
        m += 1
    a = sparse.csr_matrix((vals, (rows, cols)), shape=(m, len(var)))
    g = sparse.bmat([[None, a.T], [a, None]]).tocsr() if m else sparse.csr_matrix((len(var), len(var)))
    _, label = connected_components(g, directed=False)
    var_comp, row_comp = label[: len(var)], label[len(var) :]
    targets = [k for k in keys if 0 < cells.true[k] < basis]
    seen = {k: {cells.true[k]} for k in targets}
    bounds: dict = {}
    pinned, solves = [], 0
    by_comp: dict[int, list] = {}
    for k in targets:
        by_comp.setdefault(int(var_comp[col[k]]), []).append(k)
    for comp, ks in by_comp.items():
        vs = np.flatnonzero(var_comp == comp)
        rs = np.flatnonzero(row_comp == comp)
        pos = {int(j): i for i, j in enumerate(vs)}
        if not len(rs):
            for k in ks:  # nothing relates it to another number: its own interval
                bounds[k] = (lo[col[k]], hi[col[k]])
            continue
        sub = sparse.csc_matrix(a[rs][:, vs])
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("time_limit", time_limit)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = len(vs), len(rs)
        lp.col_cost_ = np.zeros(len(vs))
        lp.col_lower_, lp.col_upper_ = lo[vs], hi[vs]
        lp.row_lower_ = lp.row_upper_ = np.zeros(len(rs))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = sub.indptr, sub.indices, sub.data
        if integer:
            lp.integrality_ = [highspy.HighsVarType.kInteger] * len(vs)
        h.passModel(lp)
        for k in ks:
            j = pos[col[k]]
            ext = {}
            for sense in ("max", "min"):
                if len(seen[k]) >= 3:
                    break
                cost = np.zeros(len(vs))
                cost[j] = 1.0
                h.changeObjectiveSense(highspy.ObjSense.kMaximize if sense == "max" else highspy.ObjSense.kMinimize)
                h.changeColsCost(len(vs), np.arange(len(vs), dtype=np.int32), cost)
                h.run()
                solves += 1
                st = h.getModelStatus()
                if st == highspy.HighsModelStatus.kInfeasible:
                    inconsistent.append(("onoplosbaar", k))
                    break
                if st == highspy.HighsModelStatus.kUnbounded:
                    ext[sense] = math.inf
                    seen[k].update({-1.0, -2.0})  # unbounded above: never pinned
                    continue
                x = np.asarray(h.getSolution().col_value)
                info = h.getInfo()
                # optimal, or the bound proven so far (wider: the attacker's true range is inside)
                ext[sense] = info.objective_function_value if st == highspy.HighsModelStatus.kOptimal else info.mip_dual_bound
                for k2 in ks:  # witnesses: every target's value in this solution
                    seen[k2].add(float(round(x[pos[col[k2]]])))
            if len(seen[k]) >= 3:
                continue
            laag = ext.get("min", min(seen[k]))
            hoog = ext.get("max", max(seen[k]))
            bounds[k] = (laag, hoog)
            f = RoundingFinding(k, cells.true[k], laag, hoog)
            if f.values < 3:
                pinned.append(f)
    return RoundingAudit(len(targets), solves, time.perf_counter() - t0, pinned, inconsistent, bounds)
