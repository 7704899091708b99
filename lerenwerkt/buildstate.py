"""What a draft depends on, by content hash — kept free of heavy imports so that a no-op
rebuild decides in well under a second.

A draft is rebuilt only when its key changes: the bytes of the delivery, the notebook, the
package source, the parameters or the installed versions of what renders it.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from lerenwerkt import __version__, config

#: Packages whose version can change a draft's bytes (PNG bytes carry matplotlib's).
RENDER_PACKAGES = (
    "pandas", "numpy", "scipy", "matplotlib", "seaborn", "babel", "pyarrow", "pandera",
    "papermill", "nbclient", "nbconvert", "nbformat", "ipykernel", "jupyter_client",
)  # fmt: skip


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def data_fingerprint(data_dir: Path | str) -> str:
    """SHA-256 over every CSV of a delivery (relative path and bytes)."""
    root = Path(data_dir)
    h = hashlib.sha256()
    for folder in ("registratie", "extern"):
        for p in sorted((root / folder).glob("*.csv")):
            h.update(f"{folder}/{p.name}".encode())
            h.update(_sha(p.read_bytes()).encode())
    return h.hexdigest()


@lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """SHA-256 over the package's source and data files."""
    h = hashlib.sha256()
    for p in sorted(config.PACKAGE_DIR.rglob("*")):
        if p.is_file() and p.suffix in {".py", ".csv", ".j2", ".json", ".css"} and "__pycache__" not in p.parts:
            h.update(p.relative_to(config.PACKAGE_DIR).as_posix().encode())
            h.update(_sha(p.read_bytes()).encode())
    return h.hexdigest()


@lru_cache(maxsize=1)
def versions() -> dict[str, str]:
    out = {"python": platform.python_version(), "lerenwerkt": __version__}
    for name in RENDER_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "-"
    return out


@lru_cache(maxsize=1)
def git_commit() -> str:
    """The project's commit, or 'onbekend' outside a git checkout."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=config.PROJECT_DIR, capture_output=True, text=True, timeout=5)
        return out.stdout.strip() or "onbekend"
    except (OSError, subprocess.SubprocessError):
        return "onbekend"


def notebook_fingerprint(chapter: str) -> str:
    from lerenwerkt.chapters import notebook_path

    return _sha(notebook_path(chapter).read_bytes())


def draft_inputs(*, chapter: str, schooljaar: str, gemeente: str | None, data_hash: str, publicatie: str = "intern") -> dict:
    """Everything a draft depends on (what goes into its key and its manifest entry)."""
    return {
        "data": data_hash,
        "notebook": notebook_fingerprint(chapter),
        "package": package_fingerprint(),
        "parameters": {"chapter": chapter, "schooljaar": schooljaar, "gemeente": gemeente, "publicatie": publicatie},
        "versions": versions(),
    }


def draft_key(inputs: dict) -> str:
    return _sha(json.dumps(inputs, sort_keys=True).encode())


def read_manifest(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
