"""The report's tables in their published layout, one module per family, and the cell export.

Each builder returns a :class:`Tabel` whose frame has the published row and column labels
(the same ids and labels as the backtest reference ``cells.csv``). What each table is, where
it appears and how it is protected is declared once in :mod:`lerenwerkt.catalogue`.
``cells()`` flattens any set of tables to ``tabel,rij,kolom,waarde`` so a register can be
compared with the publication cell by cell.
"""

from lerenwerkt.tables.base import (
    FINGERPRINT_ATTR,
    ROWS_G,
    TOTAAL,
    Tabel,
    _fingerprint,
    _with_totaal,
    _years,
    all_tables,
    cells,
    format_waarde,
    memoized,
)
from lerenwerkt.tables.extern import B4_LOC, B4_OS, LPT_ORDER, bijlage3_tabel1, bijlage3_tabel3, bijlage4, leerplichttelling, tabel1_bevolking
from lerenwerkt.tables.jikp import JIKP_GROEP, jikp_cohort
from lerenwerkt.tables.tekst import tekst
from lerenwerkt.tables.verzuim import (
    A_KOLOMMEN,
    B_KOLOMMEN,
    MEMO_SOORT,
    bijlage1_a,
    bijlage1_b,
    diagram1,
    grafiek2,
    grafiek3,
    grafiek4,
    memo_verzuim,
    tabel3,
    uitstroom_absoluut,
)
from lerenwerkt.tables.vrijstellingen import _artikelen, bijlage2_tabel1, bijlage2_tabel2, grafiek5, tabel2
from lerenwerkt.tables.vsv import (
    NIEUW,
    OUD,
    STATUS_KOL,
    TABEL5_GROEPEN,
    TABEL5_ORDER,
    TABEL6_RIJ,
    ZP_AFGESLOTEN,
    ZP_GESTART,
    bijlage3_tabel2,
    memo_vsv,
    tabel4,
    tabel5,
    tabel6,
    tabel7,
    zorg_preventie,
)

__all__ = [name for name in dir() if not name.startswith("__")]
