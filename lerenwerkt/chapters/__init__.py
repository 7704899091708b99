"""Chapter content: what each chapter notebook displays, built from tables, plots and text.

A notebook only calls these functions (thin notebooks); each returns a
:class:`lerenwerkt.render.Block` of HTML.
"""

from __future__ import annotations

from pathlib import Path

from lerenwerkt import config

#: The report's chapters (built by default), in report order.
CHAPTERS = ("verzuim", "vrijstellingen", "vsv", "jikp", "bijlagen", "raadsmededeling")
#: Research notebooks: built on request (``lerenwerkt build --chapter absoluut_verzuim``).
RESEARCH = ("absoluut_verzuim",)
_SUBFOLDER = {"absoluut_verzuim": "onderzoek"}


def notebook_path(chapter: str) -> Path:
    """Where a chapter's notebook lives (read from ``config`` at call time)."""
    sub = _SUBFOLDER.get(chapter)
    base = config.NOTEBOOKS_DIR / sub if sub else config.NOTEBOOKS_DIR
    return base / f"{chapter}.ipynb"


def scope_van(*, schooljaar: str, gemeente: str | None, publicatie: str) -> dict:
    """A notebook's parameters as the chapters take them: ``gemeente`` as the CLI accepts it
    (the name, its slug such as ``"oude-ijsselstreek"``, or ``"lerenwerkt"``/``None`` for the
    region), given to the chapters as the gemeente's name.

    >>> scope_van(schooljaar="2024-2025", gemeente="oude-ijsselstreek", publicatie="intern")["gemeente"]
    'Oude IJsselstreek'
    >>> scope_van(schooljaar="2024-2025", gemeente="lerenwerkt", publicatie="intern")["gemeente"] is None
    True
    """
    from lerenwerkt import codes

    naam = None if gemeente is None else codes.gemeente_from_slug(str(gemeente))
    return dict(schooljaar=schooljaar, gemeente=naam, publicatie=publicatie)
