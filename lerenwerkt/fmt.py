"""Dutch number formatting — one formatter for tables and sentences, so they never disagree.

Uses Babel's CLDR data for ``nl_NL``: ``1.209``, ``1,84%``, ``31%``.

Signs in tables and charts, each with one meaning (:func:`tekens_uitleg` is their legend):
the disclosure rules' symbol (``.``, CBS: geheim) only for a withheld count; :data:`ONBEKEND`
(``n.b.``) only for a value that is not there (not delivered, or a percentage of nothing); a
``-`` only as the minus sign of a change (``-44%``); a dash inside a label is a range or a
schooljaar. ``x`` is not used.
"""

from __future__ import annotations

import functools
import math

from babel.numbers import format_decimal, format_percent

LOCALE = "nl_NL"
#: Shown for a value that is not there: not delivered, or not computable (a share of 0).
#: Never the withheld-cell symbol of the disclosure rules (".").
ONBEKEND = "n.b."
ONBEKEND_UITLEG = "niet bekend: niet aangeleverd of niet te berekenen"


def tekens_uitleg(*, onderdrukt: bool = False, onbekend: bool = False) -> str:
    """The legend of the signs a table or chart shows — the one text every output uses.

    >>> tekens_uitleg(onbekend=True)
    'n.b. = niet bekend: niet aangeleverd of niet te berekenen.'
    """
    parts = []
    if onderdrukt:
        from lerenwerkt.disclosure import rules

        r = rules()
        parts.append(f"{r.symbool} = niet gepubliceerd: minder dan {r.drempel}, of weggelaten zodat een klein aantal niet is terug te rekenen.")
    if onbekend:
        parts.append(f"{ONBEKEND} = {ONBEKEND_UITLEG}.")
    return " ".join(parts)


def getal(value: float | int | None, *, decimalen: int = 0) -> str:
    """A count or number in Dutch notation.

    >>> getal(1209)
    '1.209'
    >>> getal(2.5, decimalen=1)
    '2,5'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ONBEKEND
    return _babel(value, decimalen, _negative(value), False)


def procent(value: float | None, *, decimalen: int = 0) -> str:
    """A percentage given in percent (``31.4`` -> ``'31%'``).

    >>> procent(1.84, decimalen=2)
    '1,84%'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ONBEKEND
    return _babel(value, decimalen, _negative(value), True)


def _negative(value) -> bool:
    """Whether a float carries a minus sign (also ``-0.0``, which equals ``0.0``)."""
    return isinstance(value, float) and math.copysign(1.0, value) < 0


@functools.lru_cache(maxsize=1 << 16)
def _babel(value, decimalen: int, _negative: bool, pct: bool) -> str:
    """Babel's CLDR formatting, remembered: the same few thousand values (counts, axis ticks)
    are formatted again and again in a build, and Babel takes ~0,1 ms a call. ``_negative``
    is part of the key only, so that ``-0.0`` never shares the entry of ``0``."""
    pattern = "#,##0" + ("." + "0" * decimalen if decimalen else "")
    if pct:
        return format_percent(value / 100.0, format=pattern + "%", locale=LOCALE)
    return format_decimal(value, format=pattern, locale=LOCALE)


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


MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december")


def datum(value) -> str:
    """A date in Dutch running text: ``2024-01-01`` -> ``'1 januari 2024'``."""
    return f"{value.day} {MAANDEN[value.month - 1]} {value.year}"
