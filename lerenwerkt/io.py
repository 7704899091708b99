"""Atomic file output: a failed or interrupted run never leaves a half-written file.

A file is written under a temporary name beside it and renamed into place. The temporary name
is this program's own — ``.lerenwerkt-<pid>-<name>.<random>.tmp``, with the id of the writing
process — so that what a killed run left can be told from anything else in the folder, and
from a file another run is still writing (:func:`sweep_temporary`).

Files get the normal permissions of a new file (``0666`` minus the umask), like any program's
output. ``private=True`` keeps a file readable by its owner only (``0600``): for files that hold
personal data or unsuppressed figures outside the published output.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def _umask() -> int:
    try:  # Linux shows it without changing it (thread-safe)
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode(*, private: bool = False) -> int:
    """The mode of a new output file."""
    return 0o600 if private else 0o666 & ~_umask()


#: How a temporary name starts (followed by the writer's process id) and ends.
TMP_PREFIX, TMP_SUFFIX = ".lerenwerkt-", ".tmp"
_TMP_NAME = re.compile(rf"{re.escape(TMP_PREFIX)}(\d{{1,9}})-.+{re.escape(TMP_SUFFIX)}")
#: A temporary file older than this is stale even if a process with its writer's id runs (the id was reused).
TMP_MAX_AGE = 86400


def atomic_write_bytes(path: Path | str, data: bytes, *, private: bool = False) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{TMP_PREFIX}{os.getpid()}-{path.name}.", suffix=TMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            os.fchmod(fh.fileno(), file_mode(private=private))  # mkstemp makes 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path | str, text: str, *, private: bool = False) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), private=private)


def sweep_temporary(folder: Path | str) -> list[Path]:
    """Remove the temporary files of :func:`atomic_write_bytes` in ``folder`` (not below it)
    whose writer no longer runs (or that are older than :data:`TMP_MAX_AGE`); returns them.

    Only names this program makes are touched, only regular files (never a link), so another
    program's ``.*.tmp`` files, and a file a running process is still writing, stay."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:  # absent, or not a folder
        return removed
    now = time.time()
    for e in entries:
        m = _TMP_NAME.fullmatch(e.name)
        try:
            if not m or not e.is_file(follow_symlinks=False):
                continue
            if process_alive(int(m.group(1))) and now - e.stat(follow_symlinks=False).st_mtime < TMP_MAX_AGE:
                continue
            os.unlink(e.path)
            removed.append(Path(e.path))
        except OSError:  # removed meanwhile
            continue
    return removed


def process_alive(pid: int) -> bool:
    """Does a process with this id still run? (A temporary folder named after a dead one can go.)"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
