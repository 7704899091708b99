"""load -> clean, cached as Parquet by content hash of the delivery."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from lerenwerkt import config
from lerenwerkt.clean import clean_register
from lerenwerkt.load import Register, load_register
from lerenwerkt.schemas import SPECS


def fingerprint(data_dir: Path | str) -> str:
    """SHA-256 over every contract file of a delivery (path and bytes)."""
    data_dir = Path(data_dir)
    h = hashlib.sha256()
    for spec in SPECS.values():
        p = data_dir / spec.path
        h.update(spec.path.encode())
        h.update(p.read_bytes() if p.exists() else b"<missing>")
    return h.hexdigest()


def prepare(data_dir: Path | str | None = None, *, processed_dir: Path | str | None = None) -> Register:
    """The cleaned register of a delivery (default: the shipped ``data/raw``).

    Validates the delivery (raising :class:`~lerenwerkt.load.DeliveryError` if invalid),
    cleans it and caches the result under ``data/processed/<hash>/``; a later call on the
    same bytes reads the cache.
    """
    data_dir = Path(data_dir) if data_dir else config.RAW_DIR
    fp = fingerprint(data_dir)
    base = Path(processed_dir) if processed_dir else config.PROCESSED_DIR
    target = base / fp[:16]
    marker = target / "_fingerprint.json"
    if marker.exists() and json.loads(marker.read_text()).get("sha256") == fp:
        return {p.stem: pd.read_parquet(p) for p in sorted(target.glob("*.parquet"))}
    cleaned = clean_register(load_register(data_dir))
    _write_processed(cleaned, target, fp)
    return cleaned


def _write_processed(reg: Register, target: Path, fp: str) -> None:
    """Write all tables to a temporary folder, then move it into place in one step."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=".tmp-"))
    try:
        for name, df in reg.items():
            df.to_parquet(tmp / f"{name}.parquet", index=False)
        (tmp / "_fingerprint.json").write_text(json.dumps({"sha256": fp}))
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
