"""Dutch sentences built from indicators, with the same number formatter as the tables.

Comparison sentences describe, then qualify: the direction word follows the printed numbers
("steeg van 6 naar 21", "daalde", "bleef gelijk" only for equal numbers), and a separate
qualifier says whether the change is larger than chance can explain ("een duidelijke
stijging") or may be chance ("bij zulke kleine aantallen kan dit toeval zijn"). The
qualifier is the publication's one rule (:mod:`lerenwerkt.claims`): counts are tested with
the indicator's dispersion, never more eager than the exact conditional Poisson test;
shares with Fisher's exact test. Small numbers are suppression-aware: with a
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


def richting(nieuw: float, oud: float) -> str:
    """The direction word of the printed numbers: 'steeg', 'daalde', or 'bleef gelijk' (only
    for equal numbers). Whether the change is larger than chance can explain is said apart
    from it (:func:`kwalificatie`), never by changing the direction word.

    >>> richting(21, 6), richting(84, 85), richting(5, 5)
    ('steeg', 'daalde', 'bleef gelijk')
    """
    if nieuw == oud:
        return "bleef gelijk"
    return "steeg" if nieuw > oud else "daalde"


#: Below this count (the smaller of the two) a change that chance can explain is called one
#: of 'zulke kleine aantallen'.
KLEIN = 30
#: The qualifier of a change that is larger than chance can explain.
DUIDELIJK = {"steeg": "een duidelijke stijging", "daalde": "een duidelijke daling"}
#: The qualifiers of a change that chance can explain (small counts and the rest).
TOEVAL_KLEIN = "bij zulke kleine aantallen kan dit toeval zijn"
TOEVAL = "dit verschil kan toeval zijn"


def duidelijk(p: float, *, key: tuple = (), detect=None) -> bool:
    """Is a change with two-sided p-value ``p`` larger than chance can explain? One rule for
    the whole publication (:func:`lerenwerkt.claims.significant`), so a figure is worded the
    same in every draft, memo and edition."""
    return claims.significant(p, key=key, detect=detect)


def kwalificatie(nieuw: float, oud: float, *, p: float, key: tuple = (), klein: bool | None = None, detect=None) -> str:
    """The calibrated qualifier of a change the direction word has described: 'een duidelijke
    stijging' / 'een duidelijke daling' when the change is larger than chance can explain,
    else that it may be chance ('bij zulke kleine aantallen …' when the smaller count is below
    :data:`KLEIN`). Empty for equal numbers (nothing to qualify, and no test).

    >>> kwalificatie(434, 362, p=0.001), kwalificatie(21, 6, p=0.2), kwalificatie(731, 760, p=0.4)
    ('een duidelijke stijging', 'bij zulke kleine aantallen kan dit toeval zijn', 'dit verschil kan toeval zijn')
    """
    woord = richting(nieuw, oud)
    if woord == "bleef gelijk":
        return ""
    if duidelijk(p, key=key, detect=detect):
        return DUIDELIJK[woord]
    klein = min(nieuw, oud) < KLEIN if klein is None else klein
    return TOEVAL_KLEIN if klein else TOEVAL


def _beschreven(woord: str, oordeel: str, tail: str) -> str:
    """The end of a described change: '(+20%): een duidelijke stijging.' / '(-4%); dit verschil kan toeval zijn.'"""
    sep = ":" if oordeel in DUIDELIJK.values() else ";"
    return f"{tail}{sep} {oordeel}."


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
    both years and the unit. First it describes: the direction word follows the printed
    numbers (:func:`richting`); then it qualifies: whether the change is larger than chance
    can explain (:func:`kwalificatie`). ``spreiding``: the indicator's variance model (default
    Poisson); ``exposure``: (old, new) populations when the number of leerplichtigen changed
    (then the test compares rates).

    >>> J = ("2023-2024", "2024-2025")
    >>> verandering("Het absoluut verzuim", nieuw=480, oud=362, jaren=J)
    'Het absoluut verzuim steeg van 362 meldingen in 2023-2024 naar 480 in 2024-2025 (+33%): een duidelijke stijging.'
    >>> verandering("Artikel 5b", nieuw=12, oud=6, eenheid="vrijstellingen", jaren=J)
    'Artikel 5b steeg van 6 vrijstellingen in 2023-2024 naar 12 in 2024-2025 (+100%); bij zulke kleine aantallen kan dit toeval zijn.'
    >>> verandering("Het wettelijk verzuim", nieuw=731, oud=760, jaren=J)
    'Het wettelijk verzuim daalde van 760 meldingen in 2023-2024 naar 731 in 2024-2025 (-4%); dit verschil kan toeval zijn.'
    >>> verandering("Het luxe verzuim", nieuw=3, oud=0, drempel=5, jaren=J)
    'Het luxe verzuim: in 2023-2024 geen meldingen, in 2024-2025 niet gepubliceerd (geen vergelijking: niet gepubliceerd ter bescherming van kleine aantallen).'
    >>> verandering("Het aantal vrijstellingen", nieuw=1, oud=0, eenheid="vrijstellingen", jaren=J)
    'Het aantal vrijstellingen steeg van geen vrijstellingen in 2023-2024 naar 1 in 2024-2025; bij zulke kleine aantallen kan dit toeval zijn.'
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
    woord = richting(nieuw, oud)
    if woord == "bleef gelijk":  # equal counts: nothing to test
        return f"{onderwerp}: {met(nieuw)} in {j_oud} en in {j_nieuw}." if nieuw == 0 else f"{onderwerp} bleef gelijk: {met(nieuw)} in {j_oud} en in {j_nieuw}."
    p = claims.change_p(oud, nieuw, spreiding=spreiding, exposure_old=exposure[0], exposure_new=exposure[1]) if p is None else p
    oordeel = kwalificatie(nieuw, oud, p=p, key=(oud, nieuw), detect=lambda: (float(oud or nieuw), claims.detecteerbaar(oud or nieuw, spreiding)))
    pct = "" if not oud else fmt.verschil_procent(pct_change(nieuw, oud))
    tail = f" ({pct})" if pct else ""
    return f"{onderwerp} {woord} van {met(oud)} in {j_oud} naar {los(nieuw)} in {j_nieuw}" + _beschreven(woord, oordeel, tail)


def vergelijk_landelijk(regio: float, landelijk: float, *, p: float, cijfers: str) -> str:
    """Describe, then qualify, a regional percentage against the national one: 'hoger dan
    landelijk' / 'lager dan landelijk' follows the printed numbers (2 decimals), 'op het
    landelijke niveau' only when they print the same; then whether the difference is larger
    than chance can explain (the publication's rule, :func:`duidelijk`).

    ``cijfers`` follows the words as given (with its own leading space or colon).

    >>> vergelijk_landelijk(2.31, 2.10, p=0.2, cijfers=" (2,31% tegen 2,10%)")
    'hoger dan landelijk (2,31% tegen 2,10%); dit verschil kan toeval zijn'
    >>> vergelijk_landelijk(1.5, 2.1, p=1e-6, cijfers=": 1,50% tegen 2,10%")
    'lager dan landelijk: 1,50% tegen 2,10%: een duidelijk verschil'
    """
    if fmt.procent(regio, decimalen=2) == fmt.procent(landelijk, decimalen=2):
        return f"op het landelijke niveau{cijfers}"
    woord = "hoger dan landelijk" if regio > landelijk else "lager dan landelijk"
    return f"{woord}{cijfers}: een duidelijk verschil" if duidelijk(p) else f"{woord}{cijfers}; {TOEVAL}"


def gezegde(**kwargs) -> str:
    """The predicate of :func:`verandering` — the sentence without its subject and final stop —
    for an editorial text's placeholder (:data:`lerenwerkt.teksten.ONTWIKKELING`), so that the
    text says a change in the chapter's words.

    >>> gezegde(nieuw=84, oud=85, jaren=("2023-2024", "2024-2025"))
    'daalde van 85 meldingen in 2023-2024 naar 84 in 2024-2025 (-1%); dit verschil kan toeval zijn'
    >>> gezegde(nieuw=0, oud=0, jaren=("2023-2024", "2024-2025"))
    'bleef gelijk: geen meldingen in 2023-2024 en in 2024-2025'
    """
    zin = verandering(_ONDERWERP, **kwargs).removeprefix(_ONDERWERP).removesuffix(".")
    if zin.startswith(":"):  # no change to describe: both none, or a count not published
        geen = kwargs.get("nieuw") == kwargs.get("oud") == 0
        return ("bleef gelijk" if geen else "is niet te vergelijken") + zin
    return zin.strip()


_ONDERWERP = "\u2063"  # an invisible separator as the subject, cut off again


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


def aandeel_verandering(
    onderwerp: str, *, k_nieuw: int, n_nieuw: int, k_oud: int, n_oud: int, jaren: tuple[str, str], drempel: int | None = None, p: float | None = None
) -> str:
    """A change in a share between the schooljaren ``jaren`` (old, new), naming both years:
    the direction word follows the printed percentages, the qualifier the test ``p`` — by
    default Fisher's exact test, right when each child counts once; shares of meldingen that
    cluster by child pass the cluster-robust p (:func:`lerenwerkt.claims.aandeel_p`), e.g. %
    actie gewenst 43% → 31%. In openbaar only when both shares may be published (:func:`deelbaar`).

    >>> J = ("2023-2024", "2024-2025")
    >>> aandeel_verandering("Het aandeel", k_nieuw=380, n_nieuw=1209, k_oud=498, n_oud=1157, jaren=J)
    'Het aandeel daalde van 43% in 2023-2024 naar 31% in 2024-2025: een duidelijke daling.'
    >>> aandeel_verandering("Het aandeel", k_nieuw=11, n_nieuw=20, k_oud=11, n_oud=20, jaren=J)
    'Het aandeel bleef gelijk: 55% in 2023-2024 en in 2024-2025.'
    """
    if not (deelbaar(k_nieuw, n_nieuw, drempel=drempel) and deelbaar(k_oud, n_oud, drempel=drempel)):
        return f"{onderwerp}: te weinig meldingen om het aandeel te tonen of te vergelijken."
    new, old = 100.0 * k_nieuw / n_nieuw if n_nieuw else float("nan"), 100.0 * k_oud / n_oud if n_oud else float("nan")
    j_oud, j_nieuw = jaren
    gedrukt_oud, gedrukt_nieuw = fmt.procent(old), fmt.procent(new)
    if not (n_nieuw and n_oud) or gedrukt_oud == gedrukt_nieuw:  # the printed shares are equal
        return (
            f"{onderwerp} bleef gelijk: {gedrukt_nieuw} in {j_oud} en in {j_nieuw}."
            if n_nieuw and n_oud
            else f"{onderwerp}: {gedrukt_oud} in {j_oud} en {gedrukt_nieuw} in {j_nieuw}."
        )
    woord = richting(new, old)
    p = stats.share_change_p(k_oud, n_oud, k_nieuw, n_nieuw) if p is None else p
    oordeel = kwalificatie(new, old, p=p, key=(k_oud, n_oud, k_nieuw, n_nieuw), klein=min(k_oud, k_nieuw, n_oud - k_oud, n_nieuw - k_nieuw) < KLEIN)
    return f"{onderwerp} {woord} van {gedrukt_oud} in {j_oud} naar {gedrukt_nieuw} in {j_nieuw}" + _beschreven(woord, oordeel, "")
