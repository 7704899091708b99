"""Write the whole synthetic delivery (registratie/ and extern/), deterministically."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import numpy as np

from lerenwerkt import schooljaar as sj
from lerenwerkt.io import atomic_write_text
from lerenwerkt.schemas import SPECS
from lerenwerkt.synth import common, extern, other, verzuim, vsv

DEFAULT_SEED = 20250731
FIRST, LAST = "2020-2021", "2024-2025"


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _csv_text(name: str, records: list[dict]) -> str:
    cols = [c.name for c in SPECS[name].columns]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in records:
        w.writerow([_cell(r.get(c)) for c in cols])
    return buf.getvalue()


def build(seed: int = DEFAULT_SEED) -> dict[str, str]:
    """Every contract file's CSV text, keyed by its relative path."""
    years = sj.years(FIRST, LAST)
    rng = np.random.default_rng(seed)
    ids = common.Ids(np.random.default_rng(seed + 1))
    # one child stream per file, so that changing one generator leaves the others' bytes alone
    streams = {name: np.random.default_rng([seed, i]) for i, name in enumerate(SPECS)}
    del rng
    trajecten, status = vsv.generate(streams["vsv_trajecten"], ids)
    data = {
        "verzuimmeldingen": verzuim.generate(streams["verzuimmeldingen"], ids, years),
        "vrijstellingen": other.vrijstellingen(streams["vrijstellingen"], ids, years),
        "handhaving": other.handhaving(streams["handhaving"], ids, years),
        "meldingen_18plus": other.meldingen_18plus(streams["meldingen_18plus"], ids, years),
        "vsv_trajecten": trajecten,
        "vsv_status": status,
        "zorg_preventie": other.zorg_preventie(streams["zorg_preventie"], ids, years),
        "bevolking": extern.bevolking(streams["bevolking"]),
        "leerplichttelling": extern.leerplichttelling(),
        "duo_vsv": extern.duo_vsv(),
        "jikp": extern.jikp(streams["jikp"]),
        "schoollocatie": extern.schoollocatie(),
        "kerncijfers": extern.kerncijfers(),
    }
    return {SPECS[name].path: _csv_text(name, records) for name, records in data.items()}


def generate(out_dir: Path | str, *, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the synthetic register into ``out_dir``; returns the files written."""
    out_dir = Path(out_dir)
    written = []
    for rel, text in build(seed).items():
        path = out_dir / rel
        atomic_write_text(path, text)
        written.append(path)
    return written
