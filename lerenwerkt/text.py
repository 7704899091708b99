"""Dutch sentences built from indicators, with the same number formatter as the tables.

Direction words follow a test, not the raw numbers: "steeg" / "daalde" only when the change is
statistically significant, else "bleef vergelijkbaar". Counts: quasi-Poisson with the
indicator's dispersion, never more eager than the exact conditional Poisson test; shares:
Fisher's exact test. Inside a draft, one Benjamini–Hochberg rule over all the draft's tests
decides (:mod:`lerenwerkt.claims`); a single sentence outside a draft uses α = 5%. Small numbers are suppression-aware: with a
publication threshold, a count below it and a count withheld to protect others read the same
("niet gepubliceerd"), so the wording never tells which of the two a count is, and no
percentage is given.
"""

from __future__ import annotations

from lerenwerkt import claims, fmt, stats
from lerenwerkt.indicators.common import pct_change


def aantal(n: int, *, drempel: int | None = None) -> str:
    """A count in text; below the publication threshold: 'niet gepubliceerd' — the words of
    a count withheld to protect others too (:data:`NIET_GEPUBLICEERD`): 'minder dan 5' would
    tell a reader which withheld counts are the small ones.

    >>> aantal(1209), aantal(3, drempel=5), aantal(0, drempel=5)
    ('1.209', 'niet gepubliceerd', '0')
    """
    if drempel and 0 < n < drempel:
        from lerenwerkt.disclosure import rules

        return rules().tekst
    return fmt.getal(n)


#: Singular of the units in running text ("1 vrijstelling", "1 melding").
ENKELVOUD = {
    "meldingen": "melding",
    "vrijstellingen": "vrijstelling",
    "jongeren": "jongere",
    "unieke jongeren": "unieke jongere",
    "trajecten": "traject",
    "vsv'ers": "vsv'er",
    "nieuwe vsv'ers": "nieuwe vsv'er",
    "oud-vsv'ers": "oud-vsv'er",
    "casussen": "casus",
    "groepen": "groep",
    "gemeenten": "gemeente",
    "concepten": "concept",
    "testen": "test",
    "leerlingen": "leerling",
    "vergelijkingen": "vergelijking",
    "Halt-interventies": "Halt-interventie",
    "processen-verbaal": "proces-verbaal",
}


def enkelvoud(eenheid: str) -> str:
    """The singular of a unit (unknown units stay as they are). A unit of several words
    takes the singular of its last word ("meldingen absoluut verzuim" is not one).

    >>> enkelvoud("vrijstellingen"), enkelvoud("keer")
    ('vrijstelling', 'keer')
    """
    if eenheid in ENKELVOUD:
        return ENKELVOUD[eenheid]
    head, _, last = eenheid.rpartition(" ")
    return f"{head} {ENKELVOUD[last]}" if head and last in ENKELVOUD else eenheid


def eenheid(n: int | float, meervoud: str) -> str:
    """The unit for a count: singular for exactly 1, else the plural (also for 0 and 1,5).

    >>> eenheid(1, "meldingen"), eenheid(0, "meldingen"), eenheid(2, "keer")
    ('melding', 'meldingen', 'keer')
    """
    return enkelvoud(meervoud) if n == 1 else meervoud


def aantal_eenheid(n: int, meervoud: str, *, drempel: int | None = None, verborgen: bool = False) -> str:
    """A count with its unit in Dutch running text — the one helper for '0 meldingen' and
    '1 vrijstellingen': none is 'geen', one takes the singular, numbers in Dutch notation,
    below the publication threshold and a withheld cell alike the rules' wording.

    >>> [aantal_eenheid(n, "vrijstellingen") for n in (0, 1, 2, 1209)]
    ['geen vrijstellingen', '1 vrijstelling', '2 vrijstellingen', '1.209 vrijstellingen']
    >>> aantal_eenheid(3, "meldingen", drempel=5) == aantal_eenheid(40, "meldingen", drempel=5, verborgen=True)
    True
    >>> aantal_eenheid(3, "meldingen", drempel=5)
    'een niet gepubliceerd aantal meldingen'
    """
    if verborgen or (drempel and 0 < n < drempel):
        from lerenwerkt.disclosure import rules

        return f"{rules().tekst_onderdrukt} {meervoud}"
    if n == 0:
        return f"geen {meervoud}"
    return f"{fmt.getal(n)} {eenheid(n, meervoud)}"


def werkwoord(n: int | float, enkel: str = "is", meer: str = "zijn") -> str:
    """The verb agreeing with a count: 'is' for 1, else 'zijn' (or the pair given).

    >>> werkwoord(1), werkwoord(0), werkwoord(3, "werkt", "werken")
    ('is', 'zijn', 'werken')
    """
    return enkel if n == 1 else meer


#: Running-text wording for a count that is not published: below the threshold (primary) or
#: withheld to protect such a count (secondary) read the same, as "." does in a table — two
#: wordings would tell a reader which withheld counts are 1 to 4 (a reviewer's LP pinned
#: cells that way), and 'te klein' would be untrue of a secondary one.
NIET_GEPUBLICEERD = "niet gepubliceerd"
BESCHERMD = "niet gepubliceerd ter bescherming van kleine aantallen"
#: Why a change is not described when one of its counts is not published (either kind).
GEEN_VERGELIJKING = f"geen vergelijking: {BESCHERMD}"


def richting(nieuw: float, oud: float, *, p: float) -> str:
    """'steeg' / 'daalde' when significant, else 'bleef vergelijkbaar' ('bleef gelijk' if equal).
    Inside a draft the draft's multiple-testing rule decides (:func:`lerenwerkt.claims.significant`)."""
    called = claims.significant(p, key=(oud, nieuw))
    if nieuw == oud:
        return "bleef gelijk"
    if not called:
        return "bleef vergelijkbaar"
    return "steeg" if nieuw > oud else "daalde"


def verandering(
    onderwerp: str,
    *,
    nieuw: int,
    oud: int,
    jaren: tuple[str, str],
    eenheid: str = "meldingen",
    drempel: int | None = None,
    p: float | None = None,
    verborgen: tuple[bool, bool] = (False, False),
    spreiding: claims.Spreiding | None = None,
    exposure: tuple[float, float] = (1.0, 1.0),
) -> str:
    """A sentence about a change between two schooljaren ``jaren`` (old, new) that names
    both years and the unit. ``spreiding``: the indicator's dispersion φ (default Poisson);
    ``exposure``: (old, new) populations when the number of leerplichtigen changed (then the
    test compares rates).

    >>> J = ("2023-2024", "2024-2025")
    >>> verandering("Het absoluut verzuim", nieuw=434, oud=362, jaren=J)
    'Het absoluut verzuim steeg van 362 meldingen in 2023-2024 naar 434 in 2024-2025 (+20%).'
    >>> verandering("Het wettelijk verzuim", nieuw=731, oud=760, jaren=J)
    'Het wettelijk verzuim bleef vergelijkbaar: 760 meldingen in 2023-2024 en 731 in 2024-2025 (-4%, binnen de toevalsmarge).'
    >>> verandering("Het luxe verzuim", nieuw=3, oud=0, drempel=5, jaren=J)
    'Het luxe verzuim: in 2023-2024 geen meldingen, in 2024-2025 niet gepubliceerd (geen vergelijking: niet gepubliceerd ter bescherming van kleine aantallen).'
    >>> verandering("Het aantal vrijstellingen", nieuw=1, oud=0, eenheid="vrijstellingen", jaren=J)
    'Het aantal vrijstellingen bleef vergelijkbaar: geen vrijstellingen in 2023-2024 en 1 in 2024-2025.'
    >>> verandering("Artikel 15", nieuw=7, oud=3, eenheid="vrijstellingen", drempel=5, verborgen=(True, True), jaren=J)
    'Artikel 15: in 2023-2024 niet gepubliceerd, in 2024-2025 niet gepubliceerd (geen vergelijking: niet gepubliceerd ter bescherming van kleine aantallen).'
    >>> verandering("Het luxe verzuim", nieuw=40, oud=38, drempel=5, verborgen=(True, False), jaren=J)
    'Het luxe verzuim: in 2023-2024 niet gepubliceerd, in 2024-2025 40 meldingen (geen vergelijking: niet gepubliceerd ter bescherming van kleine aantallen).'
    """
    meervoud = eenheid
    j_oud, j_nieuw = jaren

    def klein(n: int) -> bool:
        return bool(drempel) and 0 < n < drempel

    def los(n: int, hidden: bool = False) -> str:  # a number whose unit was given before it
        if hidden or klein(n):
            return NIET_GEPUBLICEERD
        return "geen" if n == 0 and meervoud else aantal(n, drempel=drempel)

    def met(n: int, hidden: bool = False) -> str:  # a number with its unit
        if hidden or klein(n):
            return NIET_GEPUBLICEERD
        return aantal_eenheid(n, meervoud, drempel=drempel) if meervoud else los(n)

    # no number of a withheld count and no direction; below k or withheld to protect another
    # count (secondary, ≥ k) read the same, so the sentence never tells which it is
    if klein(nieuw) or klein(oud) or any(verborgen):
        return f"{onderwerp}: in {j_oud} {met(oud, verborgen[0])}, in {j_nieuw} {met(nieuw, verborgen[1])} ({GEEN_VERGELIJKING})."
    p = claims.change_p(oud, nieuw, spreiding=spreiding, exposure_old=exposure[0], exposure_new=exposure[1]) if p is None else p
    woord = richting(nieuw, oud, p=p)
    pct = "" if not oud else fmt.verschil_procent(pct_change(nieuw, oud))
    if woord == "bleef gelijk":
        return f"{onderwerp}: {met(nieuw)} in {j_oud} en in {j_nieuw}." if nieuw == 0 else f"{onderwerp} bleef gelijk: {met(nieuw)} in {j_oud} en in {j_nieuw}."
    if woord == "bleef vergelijkbaar":
        tail = f" ({pct}, binnen de toevalsmarge)" if pct else ""
        return f"{onderwerp} bleef vergelijkbaar: {met(oud)} in {j_oud} en {los(nieuw)} in {j_nieuw}{tail}."
    tail = f" ({pct})" if pct else ""
    return f"{onderwerp} {woord} van {met(oud)} in {j_oud} naar {los(nieuw)} in {j_nieuw}{tail}."


def aandeel(n: int, totaal: int, *, drempel: int | None = None, verborgen: bool = False) -> str:
    """'31% (380)'-style: share and count together. In openbaar a share is published only
    with a count that may be published (``verborgen``: its table cell is withheld).

    >>> aandeel(380, 1209), aandeel(3, 40, drempel=5)
    ('31% (380)', 'niet gepubliceerd')
    """
    if verborgen:
        from lerenwerkt.disclosure import rules

        return rules().tekst_onderdrukt
    if not deelbaar(n, totaal, drempel=drempel):
        return aantal(n, drempel=drempel)
    return f"{fmt.procent(100.0 * n / totaal if totaal else float('nan'))} ({fmt.getal(n)})"


def deelbaar(n: int, totaal: int, *, drempel: int | None) -> bool:
    """May a share n/totaal be published? With a threshold k, both the part and the rest
    must be 0 or at least k: a share of a public total gives its count back, and so does
    its complement (96% of 25 is 24, and the other 1)."""
    if not drempel:
        return True
    return all(v == 0 or v >= drempel for v in (n, totaal - n))


def aandelen(parts: list[tuple[str, int]], totaal: int, *, drempel: int | None) -> str | None:
    """'65% weer ingeschreven, 14% verhuisd, …' — or None when one of the shares may not be
    published (then the text says so instead of giving any)."""
    if not totaal or any(not deelbaar(n, totaal, drempel=drempel) for _, n in parts):
        return None
    return fmt.lijst([f"{fmt.procent(100.0 * n / totaal)} {label}" for label, n in parts])


def aandeel_verandering(onderwerp: str, *, k_nieuw: int, n_nieuw: int, k_oud: int, n_oud: int, jaren: tuple[str, str], drempel: int | None = None) -> str:
    """A change in a share between the schooljaren ``jaren`` (old, new), tested with Fisher's
    exact test (e.g. % actie gewenst 43% → 31%), naming both years. In openbaar only when both
    shares may be published (:func:`deelbaar`)."""
    if not (deelbaar(k_nieuw, n_nieuw, drempel=drempel) and deelbaar(k_oud, n_oud, drempel=drempel)):
        return f"{onderwerp}: te weinig meldingen om het aandeel te tonen of te vergelijken."
    p = stats.share_change_p(k_oud, n_oud, k_nieuw, n_nieuw)
    new, old = 100.0 * k_nieuw / n_nieuw if n_nieuw else float("nan"), 100.0 * k_oud / n_oud if n_oud else float("nan")
    woord = richting(round(new), round(old), p=p) if n_nieuw and n_oud else "bleef gelijk"
    j_oud, j_nieuw = jaren
    if woord in ("steeg", "daalde"):
        return f"{onderwerp} {woord} van {fmt.procent(old)} in {j_oud} naar {fmt.procent(new)} in {j_nieuw}."
    return f"{onderwerp} bleef vergelijkbaar: {fmt.procent(old)} in {j_oud} en {fmt.procent(new)} in {j_nieuw}."
