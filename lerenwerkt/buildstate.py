"""What a draft depends on, by content hash — kept free of heavy imports so that a no-op
rebuild decides in well under a second.

A draft is rebuilt only when its key changes: the bytes of the delivery, its notebook, the
source of the package modules it depends on, the parameters or the installed versions of what
renders it. The modules a draft depends on are found statically (:func:`code_dependencies`):
its notebook's imports and its chapter module, the ``lerenwerkt`` modules they import,
transitively (``ast``, every import statement, also inside functions), the package data files
those modules name, and the modules that render every draft (:data:`RENDER_MODULES`). An edit
in ``chapters/vsv.py`` therefore rebuilds the vsv drafts only.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import platform
import stat
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


#: The files of the data contract (the paths of :data:`lerenwerkt.schemas.SPECS`, listed here so
#: that a no-op build needs no pandas; a test keeps the two in step), in the order they are hashed.
CONTRACT_FILES = (
    "registratie/handhaving.csv", "registratie/meldingen_18plus.csv", "registratie/verzuimmeldingen.csv",
    "registratie/vrijstellingen.csv", "registratie/vsv_status.csv", "registratie/vsv_trajecten.csv",
    "registratie/zorg_preventie.csv",
    "extern/bevolking.csv", "extern/duo_vsv.csv", "extern/jikp.csv", "extern/kerncijfers.csv",
    "extern/leerplichttelling.csv", "extern/schoollocatie.csv",
)  # fmt: skip
#: Bytes read at a time when a delivery file is hashed (memory stays bounded whatever its size).
HASH_CHUNK = 1 << 20
#: What the hash records for a contract file that is there but is no regular file (a FIFO, a
#: device, a folder, a link to one of them): it is never read; validation refuses it.
NOT_A_FILE = "geen-gewoon-bestand"


def data_fingerprint(data_dir: Path | str) -> str:
    """SHA-256 over the contract's files of a delivery (relative path and bytes).

    Only the files the contract names are read (:data:`CONTRACT_FILES`): another file in the
    delivery is never opened, whatever it is. A contract file is read only when it is a regular
    file, in chunks of :data:`HASH_CHUNK` bytes; a symlink to a regular file is followed (the
    validator reads it the same way), a FIFO, device or folder is never read (it is recorded as
    :data:`NOT_A_FILE`, and validation refuses it). A missing file adds nothing."""
    root = Path(data_dir)
    h = hashlib.sha256()
    for rel in CONTRACT_FILES:
        digest = _file_sha(root / rel)
        if digest is not None:
            h.update(rel.encode())
            h.update(digest.encode())
    return h.hexdigest()


def _file_sha(path: Path) -> str | None:
    """The SHA-256 of a regular file, read in chunks; :data:`NOT_A_FILE` for anything else that
    is there (never opened for reading, or opened without waiting and closed unread); None
    when nothing is there."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # follows a symlink: a link to /dev/zero is a device
            return NOT_A_FILE
        # O_NONBLOCK: should the file be swapped for a FIFO since the stat, opening does not wait
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError:  # unreadable, a link loop: validation says what is wrong with it
        return NOT_A_FILE
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return NOT_A_FILE
        h = hashlib.sha256()
        while chunk := os.read(fd, HASH_CHUNK):
            h.update(chunk)
        return h.hexdigest()
    finally:
        os.close(fd)


@lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """SHA-256 over the package's source and data files (the data-quality page's key)."""
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


#: Modules that shape every draft's bytes whatever its chapter: execution, reset, export, stamp.
RENDER_MODULES = ("lerenwerkt", "lerenwerkt.engine", "lerenwerkt.kernel_reset", "lerenwerkt.report")
#: Modules the build imports for other output than drafts (the public package: Word memo,
#: katern, workbook): never run while a draft renders, so not part of a draft's key. The
#: package's parts have keys of their own (:mod:`lerenwerkt.pakket`).
NOT_DRAFT_CODE = frozenset({"lerenwerkt.pakket"})
#: Package data files a module can name (matched by file name in its source).
DATA_SUFFIXES = {".csv", ".json", ".j2", ".css", ".yml", ".yaml"}


def _module_file(name: str) -> Path | None:
    """The source file of a ``lerenwerkt`` module, or None for anything else."""
    parts = name.split(".")
    if parts[0] != "lerenwerkt":
        return None
    base = config.PACKAGE_DIR.joinpath(*parts[1:])
    for p in (base / "__init__.py", base.with_suffix(".py")):
        if p.is_file():
            return p
    return None


#: Import lists by file content, kept between runs (parsing the package takes a few tenths of
#: a second; a no-op rebuild should not pay that every time).
_IMPORTS_CACHE: dict | None = None
_IMPORTS_DIRTY = False


def _imports_cache_file() -> Path:
    return config.PACKAGE_DIR / "__pycache__" / "lerenwerkt-imports.json"


@lru_cache(maxsize=512)
def _parsed_imports(path: str, _mtime_ns: int, _size: int, package: str) -> tuple[str, ...]:
    """Every module an import statement in the file names (absolute names)."""
    global _IMPORTS_CACHE, _IMPORTS_DIRTY
    data = Path(path).read_bytes()
    if _IMPORTS_CACHE is None:
        try:
            _IMPORTS_CACHE = json.loads(_imports_cache_file().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            _IMPORTS_CACHE = {}
    key = f"{package}|{_sha(data)}"
    if key not in _IMPORTS_CACHE:
        try:
            _IMPORTS_CACHE[key] = sorted(_imports(ast.parse(data, filename=path), package))
        except SyntaxError:
            _IMPORTS_CACHE[key] = []
        _IMPORTS_DIRTY = True
    return tuple(_IMPORTS_CACHE[key])


def _save_imports_cache() -> None:
    global _IMPORTS_DIRTY
    if not _IMPORTS_DIRTY or _IMPORTS_CACHE is None:
        return
    _IMPORTS_DIRTY = False
    try:
        from lerenwerkt.io import atomic_write_text

        atomic_write_text(_imports_cache_file(), json.dumps(_IMPORTS_CACHE, sort_keys=True))
    except OSError:  # a read-only installation: parse again next time
        pass


def _imports(tree: ast.AST, package: str) -> set[str]:
    found: set[str] = set()
    for node in _statements(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            found.add(mod)
            found.update(f"{mod}.{a.name}" for a in node.names)  # `from pkg import module`
    return found


def _statements(tree: ast.AST):
    """Every statement, nested ones too (in functions, classes, if/try/with/for blocks); an
    import is a statement, so expressions need no visit (several times faster than ast.walk)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            stack.extend(getattr(node, name, ()) or ())


def _module_imports(name: str) -> tuple[str, ...]:
    path = _module_file(name)
    if path is None:
        return ()
    st = path.stat()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    return _parsed_imports(str(path), st.st_mtime_ns, st.st_size, package)


def notebook_imports(chapter: str) -> set[str]:
    """The modules a notebook imports (magics and shell lines left out)."""
    from lerenwerkt.chapters import notebook_path

    nb = json.loads(notebook_path(chapter).read_text(encoding="utf-8"))
    found: set[str] = set()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        lines = [ln for ln in src.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        try:
            found |= _imports(ast.parse("\n".join(lines)), "")
        except SyntaxError:
            continue
    return found


def code_dependencies(chapter: str) -> list[str]:
    """The package files (relative to the package) a chapter's drafts depend on, sorted."""
    todo = [*notebook_imports(chapter), f"lerenwerkt.chapters.{chapter}", *RENDER_MODULES]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or name in NOT_DRAFT_CODE or _module_file(name) is None:
            continue
        seen.add(name)
        parts = name.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # parent packages run first
        todo.extend(_module_imports(name))
    _save_imports_cache()
    files = {_module_file(n) for n in seen}
    files |= set((config.PACKAGE_DIR / "templates").rglob("*.*"))  # the HTML template: every draft
    files |= _named_data_files(files)
    return sorted(p.relative_to(config.PACKAGE_DIR).as_posix() for p in files if p is not None and p.is_file())


def _named_data_files(modules: set[Path | None]) -> set[Path]:
    data = [p for p in config.PACKAGE_DIR.rglob("*") if p.suffix in DATA_SUFFIXES and p.is_file() and not {"templates", "__pycache__"} & set(p.parts)]
    if not data:
        return set()
    source = "\n".join(p.read_text(encoding="utf-8") for p in modules if p is not None and p.suffix == ".py")  # templates may be binary (.docx)
    return {p for p in data if p.name in source}


def code_fingerprint(chapter: str) -> str:
    """SHA-256 over the files of :func:`code_dependencies` (relative path and bytes)."""
    h = hashlib.sha256()
    for rel in code_dependencies(chapter):
        h.update(rel.encode())
        h.update(_sha((config.PACKAGE_DIR / rel).read_bytes()).encode())
    return h.hexdigest()


def draft_inputs(*, chapter: str, schooljaar: str, gemeente: str | None, data_hash: str, publicatie: str = "intern", code: str | None = None) -> dict:
    """Everything a draft depends on (what goes into its key and its manifest entry).
    ``code``: the chapter's :func:`code_fingerprint`, when the caller computed it already."""
    return {
        "data": data_hash,
        "notebook": notebook_fingerprint(chapter),
        "code": code or code_fingerprint(chapter),
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
