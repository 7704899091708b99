"""Atomic file output: a failed or interrupted run never leaves a half-written file.

Files get the normal permissions of a new file (``0666`` minus the umask), like any program's
output. ``private=True`` keeps a file readable by its owner only (``0600``): for files that hold
personal data or unsuppressed figures outside the published output.
"""

from __future__ import annotations

import os
import tempfile
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


def atomic_write_bytes(path: Path | str, data: bytes, *, private: bool = False) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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


def process_alive(pid: int) -> bool:
    """Does a process with this id still run? (A temporary folder named after a dead one can go.)"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
