"""The catalogue: every published register table declared once.

An :class:`Entry` says what a table is (id, caption via its builder, one-sentence
definition), where it appears (its scopes and chapter), how its cells relate (its
:class:`~lerenwerkt.disclosure.Structure`: totals and groups) and — for disclosure control —
which records each of its cells counts (``members``). Chapters, the cell export, Excel,
disclosure control and the backtests iterate over :data:`ENTRIES`; adding a table is one
entry here.

``members(reg, schooljaar=..., gemeente=..., **params)`` returns one row per (record,
cell) for the table's *base* cells (not its totals or group rows, which follow from the
structure): columns ``key`` (a record key such as ``vm:123``), ``rij`` and ``kolom`` with
the table's own labels. Counting the members of a cell gives the cell's value; a test
checks that for every cell of every scope. The linked disclosure problem
(:mod:`lerenwerkt.publication`) is built from these members: two cells that count the same
records are related, whichever tables they sit in.

Tables from extern/ (CBS, DUO, Leerplichttelling, schoollocatie) are public figures: they
have no structure and are never suppressed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from lerenwerkt import codes
from lerenwerkt import schooljaar as sj
from lerenwerkt import tables as tb
from lerenwerkt.disclosure import Structure
from lerenwerkt.indicators import vsv as ind_vsv
from lerenwerkt.indicators.common import in_scope

Scopes = Literal["regio", "regio+gemeenten", "gemeenten"]
TOTAAL = codes.TOTAAL
A_DELEN = tuple(codes.VERZUIMSOORT[s] for s in ("absoluut", "wettelijk", "langdurig_relatief", "luxe", "overig"))


@dataclass(frozen=True)
class Entry:
    """One published table: declared once, used everywhere."""

    id: str  # the table id of cells.csv (per-gemeente memo tables: see ``table_id``)
    builder: Callable[..., tb.Tabel]  # (reg, *, schooljaar, [gemeente], **params) -> Tabel
    definitie: str
    scopes: Scopes = "regio"
    params: dict = field(default_factory=dict)
    structure: Structure | None = None  # None: a public figure from extern/, not suppressed
    members: Callable[..., pd.DataFrame] | None = None
    hoofdstuk: str = "verzuim"
    export: bool = True  # in cells.csv and the Excel workbooks

    @property
    def scope_list(self) -> list[str | None]:
        if self.scopes == "regio":
            return [None]
        if self.scopes == "gemeenten":
            return list(codes.GEMEENTEN)
        return [None, *codes.GEMEENTEN]

    def kwargs(self, *, schooljaar: str, gemeente: str | None) -> dict:
        kw = {"schooljaar": schooljaar, **self.params}
        if self.scopes != "regio":
            kw["gemeente"] = gemeente
        return kw

    def build(self, reg, *, schooljaar: str, gemeente: str | None = None) -> tb.Tabel:
        return self.builder(reg, **self.kwargs(schooljaar=schooljaar, gemeente=gemeente))

    def base_members(self, reg, *, schooljaar: str, gemeente: str | None = None) -> pd.DataFrame:
        assert self.members is not None, self.id
        return self.members(reg, **self.kwargs(schooljaar=schooljaar, gemeente=gemeente))

    @property
    def beschermd(self) -> bool:
        """Counts from the register: protected by disclosure control in openbaar."""
        return self.structure is not None


# ---------------------------------------------------------------- members
def _keys(prefix: str, ids: pd.Series) -> pd.Series:
    return prefix + ":" + ids.astype(str)


def _frame(key: pd.Series, rij, kolom) -> pd.DataFrame:
    n = len(key)
    rij = pd.Series(rij, index=key.index) if not isinstance(rij, pd.Series) else rij
    kolom = pd.Series(kolom, index=key.index) if not isinstance(kolom, pd.Series) else kolom
    out = pd.DataFrame({"key": key.to_numpy(), "rij": rij.to_numpy(), "kolom": kolom.to_numpy()})
    return out if n else pd.DataFrame(columns=["key", "rij", "kolom"])


def _vm(reg, schooljaren, gemeente=None) -> pd.DataFrame:
    vm = reg["verzuimmeldingen"]
    return in_scope(vm[vm.schooljaar.isin(list(schooljaren))], gemeente)


def m_bijlage1_a(reg, *, schooljaar, onderwijssoort):
    d = _vm(reg, [schooljaar])
    d = d[d.onderwijssoort == onderwijssoort]
    return _frame(_keys("vm", d.melding_id), d.gemeente, d.verzuimsoort.map(codes.VERZUIMSOORT))


_KOLOM = {**{k: k for k in codes.RESULTAAT_KOLOM if k != "overig_totaal"}, **dict.fromkeys(codes.RESULTAAT_OVERIG_DELEN, "overig_totaal")}


def _resultaat(d):
    return d[d.verzuimsoort != "informatie_advies"]


def m_bijlage1_b(reg, *, schooljaar, onderwijssoort):
    d = _resultaat(_vm(reg, [schooljaar]))
    d = d[d.onderwijssoort == onderwijssoort]
    return _frame(_keys("vm", d.melding_id), d.gemeente, d.resultaat_eind.map(_KOLOM).map(codes.RESULTAAT_KOLOM))


def _detail_label(code: str) -> str:
    return codes.NOG_IN_BEHANDELING_LABEL if code == codes.NOG_IN_BEHANDELING else codes.RESULTAAT_VERZUIM[code]


def m_diagram1(reg, *, schooljaar, gemeente=None):
    d = _resultaat(_vm(reg, [schooljaar], gemeente))
    kol = d.resultaat_eind.map(_KOLOM)
    rij = kol.map(codes.RESULTAAT_KOLOM).where(kol != "overig_totaal", d.resultaat_eind.map(_detail_label))
    return _frame(_keys("vm", d.melding_id), rij, schooljaar)


def _m_per_jaar(soorten, n_years=3):
    def members(reg, *, schooljaar, gemeente=None):
        d = _vm(reg, tb._years(schooljaar, n_years), gemeente)
        d = d[d.verzuimsoort.isin(list(soorten))]
        return _frame(_keys("vm", d.melding_id), d.verzuimsoort.map(codes.VERZUIMSOORT), d.schooljaar)

    return members


def m_memo_verzuim(reg, *, schooljaar, gemeente):
    d = _vm(reg, tb._years(schooljaar, 2), gemeente)
    d = d[d.onderwijsniveau.notna() & d.verzuimsoort.isin(list(tb.MEMO_SOORT))]
    rij = d.verzuimsoort.map(tb.MEMO_SOORT) + " | " + d.onderwijsniveau.map(codes.ONDERWIJSNIVEAU)
    return _frame(_keys("vm", d.melding_id), rij, d.schooljaar)


def m_uitstroom(reg, *, schooljaar, gemeente=None):
    """Where the absoluut verzuimers of the schooljaar stand on 31 July (the chapter's text)."""
    d = _vm(reg, [schooljaar], gemeente)
    d = d[d.verzuimsoort == "absoluut"]
    groep = pd.Series(pd.NA, index=d.index, dtype="object")
    for label, members in codes.UITSTROOM_ABSOLUUT.values():
        groep = groep.where(~d.resultaat_eind.isin(members), label)
    d, groep = d[groep.notna()], groep[groep.notna()]
    return _frame(_keys("vm", d.melding_id), groep, "aantal")


def m_tabel3(reg, *, schooljaar, gemeente=None):
    m = in_scope(reg["meldingen_18plus"], gemeente)
    m = m[m.schooljaar.isin(tb._years(schooljaar))]
    key = _keys("m18", m.melding_id)
    alle = _frame(key, m.schooljaar, "meldingen")
    a = m[m.actie_gewenst.fillna(False).astype(bool)]
    return pd.concat([alle, _frame(_keys("m18", a.melding_id), a.schooljaar, "actie_gewenst")], ignore_index=True)


def _artikel_rows(reg) -> set:
    return set(tb._artikelen(reg["vrijstellingen"]))


def m_tabel2(reg, *, schooljaar, gemeente=None):
    v = in_scope(reg["vrijstellingen"], gemeente)
    v = v[v.schooljaar.isin(tb._years(schooljaar)) & v.artikel.isin(_artikel_rows(reg))]
    return _frame(_keys("vr", v.vrijstelling_id), v.artikel.map(codes.ARTIKEL), v.schooljaar)


def m_bijlage2_tabel1(reg, *, schooljaar):
    v = reg["vrijstellingen"]
    v = v[(v.schooljaar == schooljaar) & v.artikel.isin(_artikel_rows(reg))]
    return _frame(_keys("vr", v.vrijstelling_id), v.gemeente, v.artikel.map(codes.ARTIKEL))


def m_grafiek5(reg, *, schooljaar, gemeente=None):
    h = in_scope(reg["handhaving"], gemeente)
    h = h[h.schooljaar.isin(tb._years(schooljaar, 2))]
    return _frame(_keys("hh", h.handhaving_id), h.soort.map(codes.HANDHAVING_SOORT), h.schooljaar)


def m_bijlage2_tabel2(reg, *, schooljaar):
    h = reg["handhaving"]
    h = h[h.schooljaar == schooljaar]
    return _frame(_keys("hh", h.handhaving_id), h.gemeente, h.soort.map(codes.HANDHAVING_SOORT))


_STATUS: dict = {}


def _status(reg, schooljaar, groep, gemeente=None):
    """Trajecten with their status on 31 July (region, computed once per delivery), for the scope."""
    key = (tb._fingerprint(reg) or id(reg), schooljaar, groep)
    if key not in _STATUS:
        if len(_STATUS) > 64:
            _STATUS.clear()
        _STATUS[key] = ind_vsv.status_eind(reg["vsv_trajecten"], reg["vsv_status_eind"], schooljaar=schooljaar, groep=groep)
    d = _STATUS[key]
    return d if gemeente is None else d[d.gemeente == gemeente]


def _m_status_table(groep):
    def members(reg, *, schooljaar):
        d = _status(reg, schooljaar, groep)
        d = d[d.status.notna()]
        return _frame(_keys("vsv", d.traject_id), d.gemeente, d.status.map(codes.VSV_STATUS))

    return members


def m_tabel5(reg, *, schooljaar, gemeente=None):
    out = []
    for groep, label in (("nieuw", tb.NIEUW), ("oud", tb.OUD)):
        d = _status(reg, schooljaar, groep, gemeente)
        d = d[d.status == "monitoring"]
        out.append(_frame(_keys("vsv", d.traject_id), d.resultaat.map(codes.VSV_RESULTAAT_MONITORING), label))
    return pd.concat(out, ignore_index=True)


def m_tabel6(reg, *, schooljaar, gemeente=None):
    out = []
    for groep, label in (("nieuw", tb.NIEUW), ("oud", tb.OUD)):
        d = _status(reg, schooljaar, groep, gemeente)
        d = d[d.status == "afgerond"]
        if groep == "oud":
            d = d[d.datum >= sj.start(schooljaar)]
        out.append(_frame(_keys("vsv", d.traject_id), d.resultaat.map(tb.TABEL6_RIJ), label))
    return pd.concat(out, ignore_index=True)


def m_bijlage3_tabel2(reg, *, schooljaar, gemeente=None):
    t = tb.bijlage3_tabel2(reg, schooljaar=schooljaar, gemeente=gemeente)
    col_melding, col_sept = t.frame.columns[:2]
    d = pd.concat([_status(reg, schooljaar, g, gemeente) for g in ("nieuw", "oud")], ignore_index=True)
    d = d[d.status.isin(["in_behandeling", "monitoring"])]
    peildatum = pd.Timestamp(sj.parse(schooljaar) + 1, 9, 18)

    def band(age: pd.Series) -> pd.Series:
        return age.clip(upper=22).map(lambda a: ind_vsv.LEEFTIJD_RIJ if a < 18 else str(int(a)))

    key = _keys("vsv", d.traject_id)
    return pd.concat(
        [_frame(key, band(d.leeftijd_uitschrijving), col_melding), _frame(key, band(sj.age_at(d.geboortedatum, peildatum)), col_sept)],
        ignore_index=True,
    )


def m_memo_vsv(reg, *, schooljaar, gemeente):
    out = []
    for y in tb._years(schooljaar, 2):
        d = _status(reg, y, "nieuw", gemeente)
        d = d[d.status.notna()]
        out.append(_frame(_keys("vsv", d.traject_id), d.status.map(codes.VSV_STATUS), y))
    return pd.concat(out, ignore_index=True)


def m_zorg_preventie(reg, *, schooljaar, gemeente=None):
    z = in_scope(reg["zorg_preventie"], gemeente)
    z = z[z.schooljaar == schooljaar]
    closed = z[z.datum_einde.notna() & (z.datum_einde <= sj.end(schooljaar)) & z.uitkomst.notna()]
    return pd.concat(
        [
            _frame(_keys("zp", z.traject_id), tb.ZP_GESTART + ": " + z.aanleiding.map(codes.ZP_AANLEIDING), "Aantal"),
            _frame(_keys("zp", closed.traject_id), tb.ZP_AFGESLOTEN + ": " + closed.uitkomst.map(codes.ZP_UITKOMST), "Aantal"),
        ],
        ignore_index=True,
    )


def m_jikp_cohort(reg, *, schooljaar, gemeente=None):
    """extern/jikp.csv holds counts, not records: each of a row's ``aantal`` jongeren is one
    member (key: cohort, gemeente, startpositie, daginvulling and a number), so a cell's
    members are the jongeren it counts and the same cohort has the same keys in every edition."""
    from lerenwerkt.tables import jikp as tj

    d = tj.cohort_rows(reg["jikp"], schooljaar=schooljaar, gemeente=gemeente)
    d = d[d.aantal.fillna(0).astype(int) > 0]
    n = d.aantal.astype(int).to_numpy()
    d = d.loc[d.index.repeat(n)]
    volgnr = pd.Series(d.groupby(level=0).cumcount().to_numpy(), index=d.index).astype(str)
    key = "jikp:" + d.cohort.astype(str) + ":" + d.gemeente.astype(str) + ":" + d.startpositie.astype(str) + ":" + d.daginvulling.astype(str) + ":" + volgnr
    return _frame(key, d.startpositie.map(codes.JIKP_STARTPOSITIE), d.daginvulling.map(tj.GROEP_VAN))


def _zp_structure() -> Structure:
    return Structure(
        groepen={
            tb.ZP_GESTART: tuple(f"{tb.ZP_GESTART}: {v}" for v in codes.ZP_AANLEIDING.values()),
            tb.ZP_AFGESLOTEN: tuple(f"{tb.ZP_AFGESLOTEN}: {v}" for v in codes.ZP_UITKOMST.values()),
        }
    )


# ---------------------------------------------------------------- the catalogue
_B1 = {os_: n for os_, n in codes.BIJLAGE1_NUMMER.items()}
_DIAGRAM1_OVERIG = (codes.RESULTAAT_VERZUIM["verhuisd"], codes.NOG_IN_BEHANDELING_LABEL, codes.RESULTAAT_VERZUIM["overig"])

ENTRIES: list[Entry] = [
    *(
        e
        for os_, n in _B1.items()
        for e in (
            Entry(
                f"bijlage1_tabel{n}a",
                tb.bijlage1_a,
                f"Verzuimmeldingen ({codes.ONDERWIJSSOORT[os_]}) met datum melding in het schooljaar, per gemeente en verzuimsoort; "
                "Totaal = alle verzuimsoorten behalve informatie en advies.",
                params={"onderwijssoort": os_},
                structure=Structure(TOTAAL, TOTAAL, A_DELEN),
                members=m_bijlage1_a,
                hoofdstuk="bijlagen",
            ),
            Entry(
                f"bijlage1_tabel{n}b",
                tb.bijlage1_b,
                f"Resultaat op 31 juli van de verzuimmeldingen ({codes.ONDERWIJSSOORT[os_]}, zonder informatie en advies) van het schooljaar, per gemeente.",
                params={"onderwijssoort": os_},
                structure=Structure(TOTAAL, TOTAAL),
                members=m_bijlage1_b,
                hoofdstuk="bijlagen",
            ),
        )
    ),
    Entry(
        "diagram1_resultaten",
        tb.diagram1,
        "Resultaat op 31 juli van alle verzuimmeldingen van het schooljaar (zonder informatie en advies); Overig = verhuisd + nog in behandeling + andere reden.",
        scopes="regio+gemeenten",
        structure=Structure(TOTAAL, groepen={codes.RESULTAAT_KOLOM["overig_totaal"]: _DIAGRAM1_OVERIG}),
        members=m_diagram1,
    ),
    Entry(
        "grafiek2_absoluut_verzuim",
        tb.grafiek2,
        "Meldingen absoluut verzuim per schooljaar, alle onderwijssoorten inclusief jongeren die nog geen onderwijs volgden ('geen onderwijs').",
        scopes="regio+gemeenten",
        structure=Structure(),
        members=_m_per_jaar(["absoluut"]),
    ),
    Entry(
        "grafiek3_relatief_verzuim",
        tb.grafiek3,
        "Meldingen relatief verzuim per soort en schooljaar, alle onderwijssoorten.",
        scopes="regio+gemeenten",
        structure=Structure(),
        members=_m_per_jaar(list(codes.RELATIEF)),
    ),
    Entry(
        "grafiek4_informatie_advies",
        tb.grafiek4,
        "Vragen om informatie en advies per schooljaar (geen verzuim; niet in de totalen).",
        scopes="regio+gemeenten",
        structure=Structure(),
        members=_m_per_jaar(["informatie_advies"]),
    ),
    Entry(
        "uitstroom_absoluut",
        tb.uitstroom_absoluut,
        "Meldingen absoluut verzuim van het schooljaar naar waar de jongere op 31 juli staat.",
        scopes="regio+gemeenten",
        structure=Structure(),
        members=m_uitstroom,
    ),
    Entry(
        "tabel3_verzuim_18plus",
        tb.tabel3,
        "Verzuimmeldingen van jongeren van 18 jaar en ouder per schooljaar, en hoe vaak de school actie van het Doorstroompunt gewenst vond.",
        scopes="regio+gemeenten",
        structure=Structure(),
        members=m_tabel3,
    ),
    Entry(
        "memo_verzuim",
        tb.memo_verzuim,
        "Verzuimmeldingen van de gemeente per verzuimsoort en onderwijsniveau, twee schooljaren; zonder langdurig relatief verzuim en "
        "zonder jongeren die nog geen onderwijs volgden (zoals in de raadsmededeling).",
        scopes="gemeenten",
        structure=Structure(),
        members=m_memo_verzuim,
        hoofdstuk="raadsmededeling",
    ),
    Entry(
        "tabel2_vrijstellingen",
        tb.tabel2,
        "Toegekende vrijstellingen per artikel en schooljaar (datum ingang in het schooljaar).",
        scopes="regio+gemeenten",
        structure=Structure(),
        members=m_tabel2,
        hoofdstuk="vrijstellingen",
    ),
    Entry(
        "bijlage2_tabel1_vrijstellingen",
        tb.bijlage2_tabel1,
        "Toegekende vrijstellingen van het schooljaar per gemeente en artikel.",
        structure=Structure(TOTAAL, TOTAAL),
        members=m_bijlage2_tabel1,
        hoofdstuk="bijlagen",
    ),
    Entry(
        "grafiek5_handhaving",
        tb.grafiek5,
        "Halt-interventies en processen-verbaal per soort en schooljaar.",
        scopes="regio+gemeenten",
        structure=Structure(),
        members=m_grafiek5,
        hoofdstuk="vrijstellingen",
    ),
    Entry(
        "bijlage2_tabel2_handhaving",
        tb.bijlage2_tabel2,
        "Halt-interventies en processen-verbaal van het schooljaar per gemeente en soort.",
        structure=Structure(TOTAAL),
        members=m_bijlage2_tabel2,
        hoofdstuk="bijlagen",
    ),
    Entry(
        "tabel4_status_nieuwe_vsv",
        tb.tabel4,
        "Nieuwe vsv'ers (uitgeschreven in het schooljaar) naar status op 31 juli, per gemeente.",
        structure=Structure(TOTAAL, TOTAAL),
        members=_m_status_table("nieuw"),
        hoofdstuk="vsv",
    ),
    Entry(
        "tabel5_monitoring",
        tb.tabel5,
        "Vsv'ers met status monitoring op 31 juli naar resultaat, nieuwe en oud-vsv'ers.",
        scopes="regio+gemeenten",
        structure=Structure(TOTAAL, groepen={g: tuple(codes.VSV_RESULTAAT_MONITORING[k] for k in members) for g, members in tb.TABEL5_GROEPEN.items()}),
        members=m_tabel5,
        hoofdstuk="vsv",
    ),
    Entry(
        "tabel6_afgerond",
        tb.tabel6,
        "Vsv-meldingen afgerond op 31 juli naar resultaat; bij oud-vsv'ers alleen die in het schooljaar zijn afgerond.",
        scopes="regio+gemeenten",
        structure=Structure(TOTAAL),
        members=m_tabel6,
        hoofdstuk="vsv",
    ),
    Entry(
        "tabel7_status_oud_vsv",
        tb.tabel7,
        "Oud-vsv'ers (uitgeschreven vanaf 2020-2021 tot het schooljaar) naar status op 31 juli, per gemeente.",
        structure=Structure(TOTAAL, TOTAAL),
        members=_m_status_table("oud"),
        hoofdstuk="vsv",
    ),
    Entry(
        "bijlage3_tabel2_leeftijd",
        tb.bijlage3_tabel2,
        "Vsv'ers in beeld op 31 juli (in behandeling of monitoring, nieuw en oud) naar leeftijd bij de vsv-melding en op 18 september.",
        scopes="regio+gemeenten",
        structure=Structure(TOTAAL),
        members=m_bijlage3_tabel2,
        hoofdstuk="bijlagen",
    ),
    Entry(
        "memo_vsv",
        tb.memo_vsv,
        "Nieuwe vsv'ers van de gemeente naar status op 31 juli van hun schooljaar, twee schooljaren.",
        scopes="gemeenten",
        structure=Structure(TOTAAL),
        members=m_memo_vsv,
        hoofdstuk="raadsmededeling",
    ),
    Entry(
        "zorg_preventie",
        tb.zorg_preventie,
        "Zorg-en-preventietrajecten 18+ gestart in het schooljaar naar aanleiding, en de op 31 juli afgesloten trajecten naar uitkomst.",
        scopes="regio+gemeenten",
        structure=_zp_structure(),
        members=m_zorg_preventie,
        hoofdstuk="vsv",
    ),
    Entry(
        "jikp_cohort",
        tb.jikp_cohort,
        "Jongeren van het meest recente JIKP-cohort (kwetsbare overstap) naar startpositie en daginvulling in het jaar van de overstap "
        "(JIKP-dashboard); Onderwijs = mbo niveau 1, mbo niveau 2 of hoger en overig onderwijs, Werk = werk, ook met een uitkering.",
        scopes="regio+gemeenten",
        structure=Structure(TOTAAL, TOTAAL),
        members=m_jikp_cohort,
        hoofdstuk="jikp",
    ),
    # public figures from extern/: passed through, never suppressed
    Entry("leerplichttelling", tb.leerplichttelling, "Leerplichttelling (OCW/DUO), drie schooljaren voor het verslagjaar."),
    Entry("tabel1_bevolking", tb.tabel1_bevolking, "Kinderen en jongeren per gemeente en leeftijdsgroep, CBS, peildatum 1 januari.", hoofdstuk="bijlagen"),
    Entry("bijlage3_tabel1_duo_vsv", tb.bijlage3_tabel1, "Nieuwe vsv'ers naar soort onderwijs (DUO), Landelijk en RMC Achterhoek.", hoofdstuk="vsv"),
    Entry("bijlage3_tabel3_jongeren_23_26", tb.bijlage3_tabel3, "Jongeren van 23 t/m 26 jaar per gemeente, CBS.", hoofdstuk="bijlagen"),
    Entry("bijlage4_schoollocatie", tb.bijlage4, "Waar kinderen naar school gaan, per gemeente en onderwijssoort.", hoofdstuk="bijlagen"),
]

BY_ID: dict[str, Entry] = {}
for _e in ENTRIES:
    BY_ID.setdefault(_e.id, _e)
_BY_BUILDER: dict = {}
for _e in ENTRIES:
    _BY_BUILDER.setdefault(_e.builder.__name__, []).append(_e)


def entry_for(builder, **kwargs) -> Entry | None:
    """The entry a builder call belongs to (``bijlage1_a`` with its onderwijssoort, ...)."""
    for e in _BY_BUILDER.get(getattr(builder, "__name__", ""), []):
        if all(kwargs.get(k) == v for k, v in e.params.items()):
            return e
    return None


def table_id(entry: Entry, gemeente: str | None) -> str:
    """The cells.csv id of an entry's table in a scope (memo tables carry the gemeente)."""
    if entry.scopes == "gemeenten" and gemeente is not None:
        return entry.id.replace("memo_", f"memo_{codes.slug(gemeente).replace('-', '_')}_")
    return entry.id


# ---------------------------------------------------------------- text figures
# Declared in lerenwerkt/tekstcijfers.py (id, sentence, cells, operation, scopes, definition);
# TEKST keeps the cells each figure of the report shows or is computed from.
from lerenwerkt.tekstcijfers import TEKSTCIJFERS, CelRef, Maat  # noqa: E402, F401

TEKST: dict[str, tuple[CelRef, ...]] = {c.id: tuple(b for b in c.bronnen if isinstance(b, CelRef)) for c in TEKSTCIJFERS if c.rapport}
