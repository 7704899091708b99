"""The synthetic register: the project's embedded default delivery.

``generate(out_dir, seed=...)`` writes every file of the data contract. Its records are
built so that counting them with the pipeline reproduces the published jaarverslag
2024-2025, and where the report is silent they hold plausible values that add up, marked
``synthetisch`` in extern/. No figure is typed into the code: every one it calibrates to is
read from ``targets/published_cells.csv`` (the report's cells and text figures) or
``targets/aanvullend.csv`` (``gepubliceerd`` with a citation, or ``verzonnen`` with the
reason), see ``targets.py``.
"""

from lerenwerkt.synth.generate import generate

__all__ = ["generate"]
