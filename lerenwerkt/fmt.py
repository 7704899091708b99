"""Dutch number formatting — one formatter for tables and sentences, so they never disagree.

Uses Babel's CLDR data for ``nl_NL``: ``1.209``, ``1,84%``, ``31%``.
"""

from __future__ import annotations

import math

from babel.numbers import format_decimal, format_percent

LOCALE = "nl_NL"
#: Shown for a value that is missing or cannot be computed (CBS convention).
ONBEKEND = "."


def getal(value: float | int | None, *, decimalen: int = 0) -> str:
    """A count or number in Dutch notation.

    >>> getal(1209)
    '1.209'
    >>> getal(2.5, decimalen=1)
    '2,5'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ONBEKEND
    pattern = "#,##0" + ("." + "0" * decimalen if decimalen else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def procent(value: float | None, *, decimalen: int = 0) -> str:
    """A percentage given in percent (``31.4`` -> ``'31%'``).

    >>> procent(1.84, decimalen=2)
    '1,84%'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ONBEKEND
    pattern = "#,##0" + ("." + "0" * decimalen if decimalen else "") + "%"
    return format_percent(value / 100.0, format=pattern, locale=LOCALE)


def verschil_procent(value: float | None) -> str:
    """A relative change with its sign (``19.9`` -> ``'+20%'``, ``-44.1`` -> ``'-44%'``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ONBEKEND
    text = procent(abs(value))
    return ("+" if value > 0 else "-" if round(value) < 0 else "") + text


def lijst(items: list[str]) -> str:
    """Dutch enumeration: ``['a', 'b', 'c']`` -> ``'a, b en c'``."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]
