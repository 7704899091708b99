"""Interrupted and concurrent builds never lie.

A chaos test starts real builds (the CLI, two workers) and kills the parent (SIGKILL) and,
separately, kernels at random moments. After every kill: each draft on disk is complete (old or
new), the manifests and indexes agree with the disk, no worker or kernel is left over, no
temporary kernel folder either; the next build repairs everything. Ctrl-C stops a build
within about a second. Two builds into one folder at once both succeed and keep each other's
manifest entries.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

pytestmark = pytest.mark.slow
S = "2024-2025"
LERENWERKT = [sys.executable, "-m", "lerenwerkt.cli"]
GEMEENTEN = ["aalten", "doesburg", "winterswijk"]
CHAPTERS = ["verzuim", "vsv"]
KEY = re.compile(r'<meta name="lerenwerkt-draft" content="([0-9a-f]{64})">')


def _cmd(data: Path, out: Path, *extra: str) -> list[str]:
    return [*LERENWERKT, "build", "--data", str(data), "--out", str(out), "--jobs", "2", "--quiet", "--gemeente", *GEMEENTEN, "--chapter", *CHAPTERS, *extra]


def _start(cmd: list[str]) -> tuple[subprocess.Popen, psutil.Process]:
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return p, psutil.Process(p.pid)


def _kernels(parent: psutil.Process) -> list[psutil.Process]:
    out = []
    for c in parent.children(recursive=True):
        try:
            if "ipykernel" in " ".join(c.cmdline()):
                out.append(c)
        except psutil.Error:
            pass
    return out


def _left_over(procs: list[psutil.Process], within: float = 5.0) -> list[int]:
    deadline = time.monotonic() + within
    while True:
        alive = []
        for p in procs:
            try:
                if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                    alive.append(p.pid)
            except psutil.NoSuchProcess:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def _kernel_dirs(pids: list[int]) -> list[str]:
    root = Path(tempfile.gettempdir())
    return [d.name for d in root.glob("lerenwerkt-kernel-*") if any(d.name.startswith(f"lerenwerkt-kernel-{pid}-") for pid in pids)]


def _new_drafts(out: Path, baseline: dict) -> int:
    n = 0
    for page in (out / S).glob("*/*.html"):
        with open(page, "rb") as fh:
            m = KEY.search(fh.read(4096).decode("utf-8", "replace"))
        n += bool(m and m.group(1) != baseline.get(f"{page.parent.name}/{page.stem}"))
    return n


def check_consistent(out: Path) -> dict:
    """The manifests and indexes describe exactly what is on disk; every draft is complete.
    Returns {draft id: key on disk} of the intern edition."""
    year = out / S
    manifest = json.loads((year / "manifest.json").read_text())
    on_disk = {}
    for page in year.glob("*/*.html"):
        text = page.read_text(encoding="utf-8")
        assert text.rstrip().endswith("</html>"), f"{page}: incomplete draft"
        m = KEY.search(text[:4096])
        assert m, f"{page}: no key"
        on_disk[f"{page.parent.name}/{page.stem}"] = m.group(1)
    drafts = manifest["drafts"]
    assert set(on_disk) == set(drafts), f"disk {sorted(on_disk)} vs manifest {sorted(drafts)}"
    for ident, key in on_disk.items():
        entry = drafts[ident]
        allowed = {entry.get("key"), entry.get("bezig", {}).get("key")} - {None}
        assert key in allowed, f"{ident}: the manifest does not describe the file on disk"
    # the index shows exactly these drafts, and every link resolves
    index = (year / "index.html").read_text()
    intern_part = index.split("<h2>Intern</h2>", 1)[1].split("<h2>", 1)[0]
    shown = set(re.findall(r'href="([a-z-]+/[a-z_]+)\.html"', intern_part))
    assert shown == set(on_disk), f"index {sorted(shown)} vs disk {sorted(on_disk)}"
    n = int(re.search(r"(\d+) concept(?:en)? aanwezig", intern_part).group(1))
    assert n == len(on_disk)
    for href in re.findall(r'href="([^"#]+)"', index):
        assert (year / href).exists(), href
    assert not list(out.rglob(".*.tmp")) or manifest.get("bouw", {}).get("status") == "bezig"
    return on_disk


def test_chaos_kills_leave_an_honest_folder_and_the_next_build_repairs_it(raw_copy, tmp_path):
    rng = random.Random(int(os.environ.get("CHAOS_SEED", "14")))
    out = tmp_path / "uit"
    report = {"parent_sigkill": 0, "kernel_sigkill": 0, "drafts_on_disk_after_kill": []}

    first = subprocess.run(_cmd(raw_copy, out), capture_output=True, text=True)
    assert first.returncode == 0, first.stderr[-2000:]
    baseline = before = check_consistent(out)
    assert len(baseline) == len(GEMEENTEN) * len(CHAPTERS)

    # kill the parent at random moments, each time on changed data (old and new drafts mix)
    dead_pids: list[int] = []
    for i in range(3):
        with open(raw_copy / "extern/kerncijfers.csv", "a", encoding="utf-8") as fh:
            fh.write(f"2024-2025,chaos_{i},1,synthetisch\n")
        p, parent = _start(_cmd(raw_copy, out))
        target = rng.randint(0, len(baseline) - 1)  # a random moment: after 0..5 new drafts, plus up to 1.5 s
        deadline = time.monotonic() + 120
        while _new_drafts(out, before) < target and p.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, 1.5))
        family = [parent, *parent.children(recursive=True)]
        pids = [q.pid for q in family]
        os.kill(p.pid, signal.SIGKILL)
        p.communicate()
        report["parent_sigkill"] += 1
        assert _left_over(family) == [], "a worker or kernel outlived its parent"
        # a kernel killed while starting can leave its temporary folder: the next start removes it
        dead_pids += pids
        on_disk = check_consistent(out)
        report["drafts_on_disk_after_kill"].append(sum(k != before.get(i) for i, k in on_disk.items()))
        before = on_disk

    # kill a kernel (twice, at random moments): replaced, the draft retried, nothing fails
    p, parent = _start(_cmd(raw_copy, out, "--force"))
    killed = 0
    deadline = time.monotonic() + 120
    while killed < 2 and p.poll() is None and time.monotonic() < deadline:
        time.sleep(rng.uniform(0.5, 2.0))  # short: on an idle machine six drafts take a few seconds
        kernels = _kernels(parent)
        if kernels:
            rng.choice(kernels).kill()
            killed += 1
    stdout, stderr = p.communicate(timeout=300)
    report["kernel_sigkill"] = killed
    assert killed >= 1
    assert p.returncode == 0, stdout + stderr[-2000:]
    assert "0 mislukt" in stdout

    # the next build repairs everything: every draft current, nothing left over
    final = subprocess.run(_cmd(raw_copy, out), capture_output=True, text=True)
    assert final.returncode == 0, final.stderr[-2000:]
    on_disk = check_consistent(out)
    manifest = json.loads((out / S / "manifest.json").read_text())
    assert manifest["bouw"]["status"] == "klaar" and manifest["bouw"]["mislukt"] == 0
    assert all(e["inputs"]["data"] == manifest["bouw"]["invoer_sha256"] and "bezig" not in e for e in manifest["drafts"].values())
    assert len(on_disk) == len(GEMEENTEN) * len(CHAPTERS)
    assert not list(out.rglob(".*.tmp"))
    assert _kernel_dirs(dead_pids) == [], "temporary kernel folders of killed runs outlived the next build"
    print("chaos:", report)


def test_ctrl_c_stops_within_a_second_and_leaves_nothing_running(raw_copy, tmp_path):
    out = tmp_path / "uit"
    p, parent = _start(_cmd(raw_copy, out, "--force"))
    deadline = time.monotonic() + 120
    while not list((out / S).glob("*/*.html")) and time.monotonic() < deadline:  # the build is under way
        time.sleep(0.2)
    family = [parent, *parent.children(recursive=True)]
    assert _kernels(parent), "no kernel running"
    t0 = time.perf_counter()
    p.send_signal(signal.SIGINT)
    p.communicate(timeout=30)
    stopped = time.perf_counter() - t0
    assert p.returncode == 130
    assert _left_over(family, within=2.0) == []
    print(f"Ctrl-C: stopped in {stopped:.2f} s")
    assert stopped < 2.0  # about a second on a busy 2-core machine
    check_consistent(out)
    manifest = json.loads((out / S / "manifest.json").read_text())
    assert manifest["bouw"]["status"] == "onderbroken"


def test_two_builds_into_one_folder_keep_each_others_entries(raw_copy, tmp_path):
    from lerenwerkt.pipeline import prepare

    prepare(raw_copy)  # the cleaned-register cache is warm: this test is about the output folder
    out = tmp_path / "uit"
    base = [*LERENWERKT, "build", "--data", str(raw_copy), "--out", str(out), "--jobs", "1", "--quiet"]
    a = subprocess.Popen([*base, "--gemeente", "aalten", "doesburg", "--chapter", "verzuim"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    b = subprocess.Popen(
        [*base, "--gemeente", "doesburg", "winterswijk", "--chapter", "verzuim", "raadsmededeling"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    for p in (a, b):
        stdout, stderr = p.communicate(timeout=600)
        assert p.returncode == 0, stderr[-2000:]
        assert "0 mislukt" in stdout
    on_disk = check_consistent(out)
    assert set(on_disk) == {"aalten/verzuim", "doesburg/verzuim", "winterswijk/verzuim"}
    public = json.loads((out / "openbaar" / S / "manifest.json").read_text())
    assert set(public["drafts"]) == {"doesburg/raadsmededeling", "winterswijk/raadsmededeling"}
    assert (out / "openbaar" / S / "doesburg/raadsmededeling.html").exists()
