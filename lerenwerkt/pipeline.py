"""load -> clean, cached as Parquet outside the clone, keyed by the delivery and the code.

The cleaned register holds the same personal data as the delivery, so the cache lives in the
user's cache folder (:func:`lerenwerkt.config.cache_dir`; ``$LERENWERKT_CACHE`` moves it),
never in the repository. An entry is keyed by the SHA-256 of the delivery's bytes **and** of
the code that produces it (:data:`CODE_FILES`, pandas and pyarrow versions): a change to the
cleaning step never reuses an old result.

Writes are crash- and race-safe: one process at a time cleans a delivery (a file lock per
key); it writes into a temporary folder named after its process id and renames it into place
in one step. Temporary folders of a process that died (SIGKILL) are removed at the next
start; entries unused for :data:`MAX_AGE_DAYS` days are removed too.

An entry is checked whenever it is read: its marker lists every table with the SHA-256 of its
file's bytes, bound to the entry's key and the table's name, and its columns and types. An
entry that does not match (a file changed, swapped, missing or unreadable) is removed with a
``let op`` line on stderr and the delivery cleaned again: a damaged cache repairs itself.

``python -m lerenwerkt.pipeline --clear-cache`` (``make clean``) removes every entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import pandas as pd

from lerenwerkt import config
from lerenwerkt.buildstate import data_fingerprint
from lerenwerkt.clean import clean_register
from lerenwerkt.io import process_alive
from lerenwerkt.load import Register, load_register

#: The package sources whose change changes the cleaned register.
CODE_FILES = ("load.py", "schemas.py", "clean.py", "pipeline.py", "codes.py", "schooljaar.py")
#: Cache entries not used for this many days are removed at the next start.
MAX_AGE_DAYS = 30
_ENTRY = re.compile(r"[0-9a-f]{24}")
_TMP = re.compile(r"\.tmp-(\d+)-.*")
_MARKER = "_fingerprint.json"

#: In-process cache: a warm kernel that builds many drafts of one delivery reads it once.
_CACHE: dict[tuple[str, str], Register] = {}


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 over the cleaning code and the versions of the libraries that write it."""
    h = hashlib.sha256()
    for name in CODE_FILES:
        h.update(name.encode())
        h.update((config.PACKAGE_DIR / name).read_bytes())
    for lib in ("pandas", "pyarrow", "numpy"):
        h.update(f"{lib}=={metadata.version(lib)}".encode())
    return h.hexdigest()


def cache_key(data_sha256: str) -> str:
    return hashlib.sha256(f"{data_sha256}:{code_fingerprint()}".encode()).hexdigest()[:24]


def prepare(data_dir: Path | str | None = None, *, processed_dir: Path | str | None = None) -> Register:
    """The cleaned register of a delivery (default: the shipped ``data/raw``).

    Validates the delivery (raising :class:`~lerenwerkt.load.DeliveryError` if invalid),
    cleans it and caches the result under ``<cache>/<key>/``; a later call on the same bytes
    and the same code reads the cache. ``processed_dir`` overrides the cache folder.
    """
    data_dir = Path(data_dir) if data_dir else config.RAW_DIR
    fp = data_fingerprint(data_dir)
    key = cache_key(fp)
    base = Path(processed_dir) if processed_dir else config.cache_dir()
    target = base / key
    mem_key = (key, str(target.resolve()))
    if mem_key not in _CACHE:
        reg = _read_cached(target, key)
        if reg is None:
            _make_private_dir(base)
            remove_stale(base)
            with _locked(base / f".{key}.lock"):
                reg = _read_cached(target, key, repair=True)  # another process may have written it meanwhile
                if reg is None:
                    reg = clean_register(_release(load_register(data_dir)))
                    _write_processed(reg, target, key, fp)
        for df in reg.values():  # lets table builders cache per delivery (tables.memoized)
            df.attrs["lerenwerkt_sha256"] = fp
        _CACHE.clear()  # one delivery at a time
        _CACHE[mem_key] = reg
    # copy-on-write (pandas 3): shallow copies keep the cached frames safe from callers
    return {k: v.copy(deep=False) for k, v in _CACHE[mem_key].items()}


def _release(reg: Register) -> Register:
    """Give the memory of the validation step back before cleaning (large deliveries)."""
    import gc

    import pyarrow as pa

    gc.collect()
    pa.default_memory_pool().release_unused()
    return reg


def require_schooljaar(reg: Register, schooljaar: str) -> None:
    """Raise a clear ``ValueError`` when the delivery holds no meldingen in ``schooljaar``."""
    present = sorted(set(reg["verzuimmeldingen"].schooljaar.dropna()))
    if schooljaar not in present:
        span = f"{present[0]} t/m {present[-1]}" if present else "geen enkel schooljaar"
        raise ValueError(f"--schooljaar {schooljaar}: de levering bevat geen meldingen in dat schooljaar (wel in {span})")


class _Damaged(Exception):
    """A cache entry whose files do not match its marker (the message says how, in Dutch)."""


def _table_sha(key: str, name: str, data: bytes) -> str:
    """The SHA-256 of a table's file, bound to the entry's key and the table's name (a file
    copied from another entry or another table does not match)."""
    return hashlib.sha256(f"{key}:{name}:".encode() + data).hexdigest()


def _schema(source) -> dict:
    """Columns and Arrow types of a Parquet file (path or buffer), read from its footer only:
    checking a table costs no second copy of it in memory."""
    import pyarrow.parquet as pq

    schema = pq.read_schema(source)
    return {"kolommen": [str(c) for c in schema.names], "types": [str(t) for t in schema.types]}


def _read_cached(target: Path, key: str, *, repair: bool = False) -> Register | None:
    """The entry's register, or None when there is none for ``key`` (absent, being replaced).
    An entry that fails its check is None too; with ``repair`` (under the entry's lock) it is
    removed and a ``let op`` line says so."""
    import io

    marker = target / _MARKER
    try:
        meta = json.loads(marker.read_text())
    except (OSError, ValueError):  # absent, being replaced, or damaged: clean again
        return None
    if not isinstance(meta, dict) or meta.get("key") != key:
        return None
    try:
        tables = meta.get("tabellen")
        if not isinstance(tables, dict) or not tables:
            raise _Damaged("de lijst van tabellen ontbreekt")
        reg = {}
        for name, expected in sorted(tables.items()):
            try:
                data = (target / f"{name}.parquet").read_bytes()
            except FileNotFoundError:
                raise _Damaged(f"{name}.parquet ontbreekt") from None
            if _table_sha(key, name, data) != expected.get("sha256"):
                raise _Damaged(f"de inhoud van {name}.parquet klopt niet met zijn controlegetal")
            if _schema(io.BytesIO(data)) != {k: expected.get(k) for k in ("kolommen", "types")}:
                raise _Damaged(f"de kolommen van {name}.parquet kloppen niet")
            reg[name] = pd.read_parquet(io.BytesIO(data))
    except OSError:  # being replaced by another process: clean again (under the lock)
        return None
    except Exception as exc:  # _Damaged, or a file that is no Parquet
        if repair:
            reason = str(exc) if isinstance(exc, _Damaged) else "een bestand is onleesbaar"
            print(f"let op: de opgeschoonde levering in de cache was beschadigd ({reason}); opnieuw opgeschoond.", file=sys.stderr)
            _remove_entry(target)
        return None
    with contextlib.suppress(OSError):
        os.utime(marker)  # last use, for the clean-up of old entries
    return reg


def _make_private_dir(path: Path) -> None:
    if not path.exists():
        path.mkdir(parents=True, mode=0o700, exist_ok=True)


@contextlib.contextmanager
def _locked(path: Path):
    """An exclusive lock (``flock``) for as long as the block runs; the OS releases it when
    the process dies, so a killed run never blocks the next."""
    import fcntl

    with open(path, "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def remove_stale(base: Path, *, max_age_days: float = MAX_AGE_DAYS) -> list[Path]:
    """Remove temporary folders of processes that no longer run (or older than a day) and
    entries unused for ``max_age_days``; returns what was removed."""
    removed = []
    now = time.time()
    try:
        children = list(base.iterdir())
    except OSError:
        return removed
    for p in children:
        try:
            m = _TMP.fullmatch(p.name)
            if m and (not process_alive(int(m.group(1))) or now - p.stat().st_mtime > 86400):
                shutil.rmtree(p, ignore_errors=True)
                removed.append(p)
            elif _ENTRY.fullmatch(p.name) and p.is_dir():
                marker = p / _MARKER
                used = marker.stat().st_mtime if marker.exists() else p.stat().st_mtime
                if now - used > max_age_days * 86400:
                    _remove_entry(p)
                    removed.append(p)
        except OSError:
            continue  # another process removed it first
    return removed


def _remove_entry(entry: Path) -> None:
    """Move an entry aside in one step, then delete it (readers never see half of it)."""
    trash = Path(tempfile.mkdtemp(dir=entry.parent, prefix=f".tmp-{os.getpid()}-"))
    with contextlib.suppress(OSError):
        entry.rename(trash / "old")
    shutil.rmtree(trash, ignore_errors=True)


def _write_processed(reg: Register, target: Path, key: str, fp: str) -> None:
    """Write all tables to a temporary folder, then move it into place in one step.

    Runs under the entry's lock, so no other writer races for ``target``."""
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".tmp-{os.getpid()}-"))  # mode 0700
    try:
        tables = {}
        for name, df in reg.items():
            path = tmp / f"{name}.parquet"
            df.to_parquet(path, index=False)
            tables[name] = {"sha256": _table_sha(key, name, path.read_bytes()), **_schema(path)}
        (tmp / _MARKER).write_text(json.dumps({"key": key, "data_sha256": fp, "code_sha256": code_fingerprint(), "tabellen": tables}))
        if target.exists():
            _remove_entry(target)
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def clear_cache(base: Path | str | None = None) -> int:
    """Remove every cache entry, lock and temporary folder this package wrote in ``base``
    (default: the cache folder); other files are left alone. Returns the number removed."""
    base = Path(base) if base else config.cache_dir()
    n = 0
    if not base.is_dir():
        return 0
    for p in base.iterdir():
        if _ENTRY.fullmatch(p.name) or _TMP.fullmatch(p.name) or p == config.publication_cache_dir():
            shutil.rmtree(p, ignore_errors=True)
            n += 1
        elif p.name.startswith(".") and p.name.endswith(".lock") and _ENTRY.fullmatch(p.name[1:-5]):
            p.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        base.rmdir()  # only if now empty
    _CACHE.clear()
    return n


if __name__ == "__main__":
    if sys.argv[1:] == ["--clear-cache"]:
        where = config.cache_dir()
        print(f"{clear_cache(where)} cache-items verwijderd uit {where}.")
    else:
        print("gebruik: python -m lerenwerkt.pipeline --clear-cache", file=sys.stderr)
        sys.exit(2)
