"""Editorial text in the drafts: the gemeente's local explanation in the raadsmededeling
(``teksten/<schooljaar>/gemeenten/<slug>.md``, or a marked placeholder), with its figures
under the same disclosure control as the memo's tables."""

from __future__ import annotations

from lerenwerkt import render, teksten


def lokale_toelichting(reg, *, schooljaar: str, gemeente: str, publicatie: str = "openbaar") -> render.Block:
    ctx = teksten.Context(reg, schooljaar, gemeente, publicatie)
    return render.heading(f"Toelichting {gemeente}", 2) + render.Block(f'<div class="lw-tekst">{teksten.gemeente_tekst(ctx).html()}</div>')
