"""Dutch sentences built from indicators, with the same number formatter as the tables."""

from __future__ import annotations

from lerenwerkt import fmt
from lerenwerkt.indicators.common import pct_change


def richting(nieuw: float, oud: float) -> str:
    """'steeg' / 'daalde' / 'bleef gelijk' for a change from ``oud`` to ``nieuw``."""
    if nieuw > oud:
        return "steeg"
    if nieuw < oud:
        return "daalde"
    return "bleef gelijk"


def verandering(onderwerp: str, *, nieuw: int, oud: int, eenheid: str = "meldingen") -> str:
    """E.g. "Het absoluut verzuim steeg van 362 naar 434 meldingen (+20%)."

    >>> verandering("Het absoluut verzuim", nieuw=434, oud=362)
    'Het absoluut verzuim steeg van 362 naar 434 meldingen (+20%).'
    >>> verandering("Het luxe verzuim", nieuw=0, oud=0)
    'Het luxe verzuim bleef gelijk op 0 meldingen.'
    """
    woord = richting(nieuw, oud)
    if woord == "bleef gelijk":
        return f"{onderwerp} bleef gelijk op {fmt.getal(nieuw)} {eenheid}."
    pct = pct_change(nieuw, oud)
    extra = f" ({fmt.verschil_procent(pct)})" if oud else ""
    return f"{onderwerp} {woord} van {fmt.getal(oud)} naar {fmt.getal(nieuw)} {eenheid}{extra}."


def aandeel(n: int, totaal: int) -> str:
    """'31% (380 keer)'-style: share and count together."""
    return f"{fmt.procent(100.0 * n / totaal if totaal else float('nan'))} ({fmt.getal(n)})"
