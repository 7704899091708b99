"""Executing chapter notebooks: warm kernels, one in-process HTML exporter, any executor.

``render_draft(task)`` is what a worker runs. It keeps one *warm* kernel per worker process
and thread — libraries imported once, the kernel reset between drafts
(:mod:`lerenwerkt.kernel_reset`) — and exports with one reused ``HTMLExporter``. Kernels use
the IPC transport with a connection file of their own, so parallel workers never race for a
port or share sockets. ``cold=True`` runs the classic papermill path in a fresh kernel
(the reference the warm path must equal byte for byte).

Because tasks and results are plain picklable data, any ``concurrent.futures.Executor``
runs them: a local process pool, or a dask.distributed cluster (``Client.get_executor()``).

Robustness: a kernel that dies (killed, out of memory) is replaced and its draft retried once
(:func:`render_draft`). A draft has a time limit (:data:`DRAFT_LIMIT`, ``$LERENWERKT_TIJDSLIMIET``
seconds, :func:`draft_limit`): a kernel that does not finish it in time — stopped (SIGSTOP),
hung, in an endless loop — is killed, the draft fails with a Dutch message that names it (not
retried), and the worker goes on with a fresh kernel. A local pool's workers run :func:`worker_init`: they ignore Ctrl-C (the
parent decides), and stop their kernels and exit when told to (SIGTERM) or when the parent
dies (``PR_SET_PDEATHSIG`` on Linux, and a watch on the parent as a fallback), so no worker or
kernel outlives the build. Kernels start their own session and poll their worker
(``JPY_PARENT_PID``). Each kernel's connection file and sockets live in a temporary folder
named after its process; folders of processes that no longer exist are removed at the next
start (:func:`sweep_stale_kernel_dirs`).
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import nbformat

from lerenwerkt import config
from lerenwerkt.chapters import notebook_path
from lerenwerkt.io import process_alive

#: Extra kernel arguments: no TCP-transport warning or other chatter on stderr.
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR"]
#: Imported once when a warm kernel starts: the fixed cost every cold draft pays.
WARMUP = (
    "import pandas, numpy, scipy.stats, seaborn, matplotlib.pyplot, pyarrow.parquet\n"
    "import lerenwerkt.chapters.verzuim, lerenwerkt.chapters.vsv, lerenwerkt.chapters.jikp\n"
    "import lerenwerkt.chapters.bijlagen, lerenwerkt.chapters.vrijstellingen, lerenwerkt.chapters.raadsmededeling\n"
    "import lerenwerkt.pipeline, lerenwerkt.kernel_reset\n"
    # Everything imported so far lives as long as the kernel: move it out of the garbage
    # collector's sight. A full collection (IPython runs one in every reset, and Python
    # whenever enough objects survive) then scans a draft's own objects only: 0.08 s less
    # per draft.
    "import gc\ngc.collect()\ngc.freeze()"
)
#: Relative cost of a draft per chapter (CPU seconds of one draft in a warm kernel,
#: measured on the shipped delivery): the build starts the long drafts first, so that no
#: worker is left with a long draft while the other has nothing to do.
CHAPTER_COST = {"verzuim": 1.3, "jikp": 0.8, "vrijstellingen": 0.65, "vsv": 0.5, "raadsmededeling": 0.3, "bijlagen": 0.15}
RESET_TAG = "lerenwerkt-reset"
#: Seconds a draft may take (all its cells, a retry in a fresh kernel included) before its kernel
#: is killed; a draft of the shipped delivery takes 1–3 s. ``$LERENWERKT_TIJDSLIMIET`` overrides it.
DRAFT_LIMIT = 600.0
LIMIT_ENV = "LERENWERKT_TIJDSLIMIET"
AUTORELOAD_MAGICS = ("%load_ext autoreload", "%reload_ext autoreload", "%autoreload")


@dataclass(frozen=True)
class DraftTask:
    chapter: str
    schooljaar: str
    gemeente: str | None
    data_dir: str | None
    title: str
    cold: bool = False
    publicatie: str = "intern"
    limit: float = DRAFT_LIMIT  # seconds (:func:`draft_limit`)


def draft_limit() -> float:
    """The time limit per draft: ``$LERENWERKT_TIJDSLIMIET`` seconds, or :data:`DRAFT_LIMIT`."""
    raw = os.environ.get(LIMIT_ENV, "").strip()
    if not raw:
        return DRAFT_LIMIT
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise ValueError(f"{LIMIT_ENV}: {raw[:20]!r} is geen tijdslimiet; verwacht een aantal seconden groter dan 0, bijvoorbeeld 600")
    return value


class DraftTimeout(Exception):
    """A kernel that did not finish within its time limit (``args[0]``, seconds) and was killed."""


def _seconds(s: float) -> str:
    return f"{s:g}".replace(".", ",")


def schedule(tasks: list[DraftTask]) -> list[DraftTask]:
    """The tasks longest first (:data:`CHAPTER_COST`; unknown chapters first, the region
    before its gemeenten); the order of equal tasks is kept."""
    return sorted(tasks, key=lambda t: (-CHAPTER_COST.get(t.chapter, 2.0), t.gemeente is not None))


@dataclass(frozen=True)
class DraftOutcome:
    task: DraftTask
    html: str | None
    seconds: float
    error: str | None = None
    executed: str | None = None  # the executed notebook (JSON) of a failed draft


def _environment() -> None:
    os.environ.setdefault("PYTHONHASHSEED", "0")  # kernels inherit it: stable set order
    os.environ.setdefault("MPLBACKEND", "Agg")


def _load(task: DraftTask) -> nbformat.NotebookNode:
    from papermill.parameterize import parameterize_notebook

    nb = nbformat.read(notebook_path(task.chapter), as_version=4)
    nb.metadata.setdefault("papermill", {})
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
        if cell.cell_type == "code":
            # %autoreload is for people editing the package while a notebook is open; in a
            # batch build nothing changes mid-run, and checking every module costs ~0.3 s
            # a draft.
            cell.source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(AUTORELOAD_MAGICS))
    return parameterize_notebook(nb, _params(task))


def _params(task: DraftTask) -> dict:
    return {"schooljaar": task.schooljaar, "gemeente": task.gemeente, "data_dir": task.data_dir, "publicatie": task.publicatie}


KERNEL_DIR_PREFIX = "lerenwerkt-kernel-"


def sweep_stale_kernel_dirs() -> int:
    """Remove kernel folders in the system temp folder whose process no longer exists
    (left by a process that was killed); returns how many were removed."""
    removed = 0
    root = Path(tempfile.gettempdir())
    for d in root.glob(f"{KERNEL_DIR_PREFIX}*"):
        m = re.match(rf"{KERNEL_DIR_PREFIX}(\d+)-", d.name)
        if not m or not d.is_dir() or d.owner() != _user():
            continue
        if not process_alive(int(m.group(1))):
            shutil.rmtree(d, ignore_errors=True)
            removed += 1
    return removed


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:
        return ""


class WarmKernel:
    """One long-lived kernel, reset between drafts."""

    def __init__(self) -> None:
        from jupyter_client.manager import AsyncKernelManager

        _environment()
        self._dir = tempfile.mkdtemp(prefix=f"{KERNEL_DIR_PREFIX}{os.getpid()}-")
        self.km = AsyncKernelManager(kernel_name="python3", transport="ipc", connection_file=os.path.join(self._dir, "kernel.json"))
        self.km.ip = os.path.join(self._dir, "ipc")  # unique socket path prefix per kernel
        self.kc = None
        self.drafts = 0
        self.expired = False

    def run(self, nb: nbformat.NotebookNode, *, limit: float | None = None) -> nbformat.NotebookNode:
        """Execute ``nb`` (in place). ``limit``: seconds; a kernel that has not finished by then
        (stopped, hung) is killed and :class:`DraftTimeout` raised."""
        from nbclient import NotebookClient

        self.expired = False
        pre = []
        if self.drafts == 0:
            pre.append(nbformat.v4.new_code_cell(WARMUP))
        pre.append(nbformat.v4.new_code_cell(f"import lerenwerkt.kernel_reset\nlerenwerkt.kernel_reset.reset({str(config.NOTEBOOKS_DIR)!r})"))
        for c in pre:
            c.metadata["tags"] = [RESET_TAG]
        nb.cells[0:0] = pre
        client = NotebookClient(
            nb,
            km=self.km,
            timeout=600 if limit is None else None,  # with a limit, the watchdog ends a cell that takes too long
            record_timing=False,
            extra_arguments=KERNEL_ARGS,
            resources={"metadata": {"path": str(config.NOTEBOOKS_DIR)}},
        )
        client.kc = self.kc
        _keep_signal_handlers()
        watchdog = None
        if limit is not None:
            watchdog = threading.Timer(max(limit, 0.0), self._expire)
            watchdog.daemon = True
            watchdog.start()
        try:
            client.execute(cwd=str(config.NOTEBOOKS_DIR))
        except Exception as exc:
            if self.expired:  # killed by the watchdog: nbclient saw a dead kernel
                raise DraftTimeout(limit) from exc
            raise
        finally:
            if watchdog is not None:
                watchdog.cancel()
            self.kc = client.kc
            self.drafts += 1
            nb.cells = [c for c in nb.cells if RESET_TAG not in c.metadata.get("tags", [])]
        return nb

    def _expire(self) -> None:
        """The time limit passed: kill the kernel (SIGKILL also ends a stopped one); nbclient
        notices the dead kernel within a second."""
        self.expired = True
        pid = self.pid
        if pid is not None:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)

    @property
    def pid(self) -> int | None:
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        return getattr(process, "pid", None)

    def alive(self) -> bool:
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        return process is None or process.poll() is None  # not started yet counts as alive

    def kill(self) -> None:
        """Kill the kernel at once (no messages: safe from a signal handler) and remove its
        temporary folder."""
        pid = self.pid
        if pid is not None:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)  # the kernel leads its own session
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self._dir, ignore_errors=True)

    def close(self) -> None:
        try:
            if self.kc is not None:
                self.kc.stop_channels()
            from jupyter_core.utils import run_sync

            if self.km.has_kernel:
                run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:
            self.kill()
        shutil.rmtree(self._dir, ignore_errors=True)


def _refuse(*_args, **_kwargs):
    raise RuntimeError("lerenwerkt keeps its own signal handlers")


def _keep_signal_handlers() -> None:
    """nbclient installs SIGINT/SIGTERM handlers on the event loop while it runs a notebook
    and resets them to the defaults afterwards; that would undo the worker's and the build's
    own handlers (stop at once, kill the kernel). nbclient skips them when the loop refuses."""
    from jupyter_core.utils import ensure_event_loop

    loop = ensure_event_loop()
    loop.add_signal_handler = _refuse
    loop.remove_signal_handler = _refuse


_KERNELS: dict[tuple[int, int], WarmKernel] = {}
_LOCK = threading.Lock()


def _kernel() -> WarmKernel:
    key = (os.getpid(), threading.get_ident())
    with _LOCK:
        if key not in _KERNELS:
            k = WarmKernel()
            _KERNELS[key] = k
            atexit.register(k.close)
            try:  # multiprocessing workers skip atexit: register a finaliser as well
                from multiprocessing import util

                util.Finalize(k, k.close, exitpriority=10)
            except Exception:
                pass
        return _KERNELS[key]


def _discard_kernel() -> None:
    """Forget (and kill) this thread's kernel: the next draft starts a fresh one."""
    key = (os.getpid(), threading.get_ident())
    with _LOCK:
        k = _KERNELS.pop(key, None)
    if k is not None:
        k.kill()


def kill_kernels() -> None:
    """Kill this process's kernels at once (signal handlers, interrupted builds)."""
    for key in list(_KERNELS):
        k = _KERNELS.pop(key, None)
        if k is not None:
            k.kill()


def worker_init(parent_pid: int) -> None:
    """Initializer of a local pool's worker process: leave Ctrl-C to the parent; on SIGTERM,
    or when the parent dies, kill the kernels and exit."""
    sweep_stale_kernel_dirs()
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)  # a group of its own: Ctrl-C in the terminal reaches the parent only
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_worker)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG: SIGTERM when the parent dies
    if os.getppid() != parent_pid:  # the parent died before prctl
        _stop_worker()
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True, name="lerenwerkt-parent-watch").start()


def _watch_parent(parent_pid: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent_pid:
            _stop_worker()


def _stop_worker(*_args) -> None:
    try:
        kill_kernels()
    finally:
        os._exit(1)


def warm_up(limit: float = DRAFT_LIMIT) -> None:
    """Start this worker's kernel and import the libraries, before any draft is ready. Within
    a time limit too (the draft's, but at least :data:`DRAFT_LIMIT`: starting a kernel is no
    part of a draft), so that a kernel that stops while it starts does not hold its worker."""
    k = _kernel()
    if k.drafts == 0:
        try:
            k.run(nbformat.v4.new_notebook(), limit=max(limit, DRAFT_LIMIT))
        except DraftTimeout:
            _discard_kernel()
            raise


def shutdown_kernels() -> None:
    """Stop this process's warm kernels."""
    for key in list(_KERNELS):
        _KERNELS.pop(key).close()


def execute_cold(task: DraftTask) -> nbformat.NotebookNode:
    """papermill in a fresh kernel: the classic path (the time limit holds per cell here)."""
    import papermill as pm

    _environment()
    return pm.execute_notebook(
        str(notebook_path(task.chapter)),
        None,
        parameters=_params(task),
        kernel_name="python3",
        cwd=str(config.NOTEBOOKS_DIR),
        progress_bar=False,
        log_output=False,
        extra_arguments=KERNEL_ARGS,
        execution_timeout=task.limit,
    )


_EXPORTER = None
#: Cells and output areas in the lab template's markup (made focusable, as nbconvert's own
#: pass does for ``div.jp-Cell-inputWrapper`` and ``div.jp-OutputArea-output``).
_FOCUSABLE = re.compile(r'(<div class="(?:[^"]*\s)?(?:jp-OutputArea-output|jp-Cell-inputWrapper)(?:\s[^"]*)?"[^>]*?)(?<!tabindex="0")>')


def _html_exporter_class():
    """``HTMLExporter`` without its BeautifulSoup pass.

    nbconvert's ``HTMLExporter.from_notebook_node`` parses the whole rendered page (theme CSS
    and embedded charts included, ~0.5 MB) into a tree and writes it out again, only to give
    images without ``alt`` a placeholder text and make output areas focusable: 80% of the
    export (0,1 s a draft). Every image of ours has its ``alt`` (:func:`lerenwerkt.render.figure`),
    and ``tabindex="0"`` is added to cells and output areas here; the rest is nbconvert's method as
    it is (filters registered, then the template export).
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class DraftExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            self.register_filter("highlight_code", self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            body, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return _FOCUSABLE.sub(r'\1 tabindex="0">', body), resources

    return DraftExporter


def exporter():
    """One HTML exporter per process (template set-up is paid once)."""
    global _EXPORTER
    if _EXPORTER is None:
        # our own template: the lab template minus scripts from a CDN (self-contained drafts)
        ex = _html_exporter_class()(template_name="lerenwerkt", extra_template_basedirs=[str(config.PACKAGE_DIR / "templates")])
        ex.exclude_input = True
        ex.exclude_input_prompt = True
        ex.exclude_output_prompt = True
        _EXPORTER = ex
    return _EXPORTER


def clean_for_export(nb: nbformat.NotebookNode, *, title: str) -> nbformat.NotebookNode:
    """Drop what is non-deterministic or not for readers: papermill's random cell ids and
    metadata, execution counts and timing, stderr streams."""
    nb = copy.deepcopy(nb)
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:02d}"
        cell.metadata = {k: v for k, v in cell.metadata.items() if k == "tags" and v}
        if cell.cell_type == "code":
            cell.execution_count = None
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.get("name") == "stderr")]
            for o in cell.outputs:
                if o.output_type == "execute_result":
                    o.execution_count = None
                if "metadata" in o:
                    o.metadata = {}
    nb.metadata = {"title": title, "kernelspec": nb.metadata.get("kernelspec", {}), "language_info": {"name": "python"}}
    return nb


def _dead_kernel(exc: BaseException) -> bool:
    key = (os.getpid(), threading.get_ident())
    k = _KERNELS.get(key)
    return type(exc).__name__ == "DeadKernelError" or (k is not None and not k.alive())


def render_draft(task: DraftTask) -> DraftOutcome:
    """Execute and export one draft; never raises (a failure is reported in the outcome).
    A kernel that died is replaced and the draft retried once in a fresh kernel. Each attempt
    has the draft's time limit (``task.limit``, counted once the kernel has started): a kernel
    that has not finished by then is killed and the draft fails (not retried: the next draft
    gets a fresh kernel)."""
    t0 = time.perf_counter()
    nb = None
    try:
        if task.cold:
            nb = execute_cold(task)
        else:
            try:
                nb = _load(task)
                warm_up(task.limit)
                nb = _kernel().run(nb, limit=task.limit)
            except Exception as exc:
                if isinstance(exc, DraftTimeout) or not _dead_kernel(exc):
                    raise
                _discard_kernel()
                nb = _load(task)
                warm_up(task.limit)
                nb = _kernel().run(nb, limit=task.limit)  # once, in a fresh kernel
        body, _ = exporter().from_notebook_node(clean_for_export(nb, title=task.title))
        return DraftOutcome(task, body, time.perf_counter() - t0)
    except Exception as exc:
        if not task.cold and (isinstance(exc, DraftTimeout) or _dead_kernel(exc)):
            _discard_kernel()  # the next draft gets a fresh kernel
        executed = None
        partial = getattr(exc, "nb", None) or nb
        if partial is not None:
            executed = nbformat.writes(partial)
        if isinstance(exc, DraftTimeout) or type(exc).__name__ == "CellTimeoutError":
            limit = exc.args[0] if isinstance(exc, DraftTimeout) and exc.args else task.limit
            message = (
                f"concept '{task.title}' niet af binnen de tijdslimiet van {_seconds(limit)} s ({LIMIT_ENV}); "
                "de kernel reageerde niet (gestopt of vastgelopen) en is beëindigd"
            )
        else:
            text = re.sub(r"\x1b\[[0-9;]*m", "", "".join(traceback.format_exception_only(exc)))  # no ANSI colours
            message = text.strip().splitlines()[-1][:300]
        return DraftOutcome(task, None, time.perf_counter() - t0, error=message, executed=executed)
