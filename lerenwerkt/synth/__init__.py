"""The synthetic register: the project's embedded default delivery.

``generate(out_dir, seed=...)`` writes every file of the data contract. Its records are
built so that counting them with the pipeline reproduces the published jaarverslag
2024-2025 (calibration targets in ``targets/published_cells.csv``), and where the report
is silent they hold plausible values that add up, marked ``synthetisch`` in extern/.
"""

from lerenwerkt.synth.generate import generate

__all__ = ["generate"]
