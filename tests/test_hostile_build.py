"""Hostile input and faults around the build (issue 21): what lies in the delivery or the output
folder besides the build's own files, a damaged cache entry, a kernel that stops answering.

The build commands run in a subprocess with a time limit and a memory limit (``RLIMIT_AS``, which
its workers and kernels inherit), so that a hang or an unbounded read fails the test instead of
the machine.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lerenwerkt import buildstate, config

S = "2024-2025"
LERENWERKT = [sys.executable, "-m", "lerenwerkt.cli"]
#: Address space per process of a build under test: a one-draft build needs about 2,5 GB of it
#: (libraries mapped, not used); reading /dev/zero into memory runs into it within seconds.
MEMORY_LIMIT = 3 << 30
TIME_LIMIT = 180


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _build(data: Path, out: Path, *extra: str, env: dict | None = None) -> tuple[subprocess.CompletedProcess, float]:
    cmd = [*LERENWERKT, "build", "--data", str(data), "--out", str(out), "--jobs", "1", "--quiet", "--gemeente", "aalten", "--chapter", "bijlagen", *extra]
    t0 = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=TIME_LIMIT, preexec_fn=_limited, env=env)
    return r, time.monotonic() - t0


# --- 21.5: the build reads the contract's regular files only -----------------------------------


def test_the_fingerprint_knows_the_contracts_files():
    from lerenwerkt.schemas import SPECS

    assert sorted(buildstate.CONTRACT_FILES) == sorted(s.path for s in SPECS.values())


def _fingerprint(data: Path) -> str:
    """:func:`buildstate.data_fingerprint` in a process of its own, with the limits of a build."""
    code = "import sys; from lerenwerkt import buildstate; print(buildstate.data_fingerprint(sys.argv[1]))"
    r = subprocess.run([sys.executable, "-c", code, str(data)], capture_output=True, text=True, timeout=20, preexec_fn=_limited)
    assert r.returncode == 0, r.stderr[-1000:]
    return r.stdout.strip()


def test_the_fingerprint_reads_only_the_contracts_regular_files(raw_copy):
    before = buildstate.data_fingerprint(raw_copy)
    assert before == buildstate.data_fingerprint(config.RAW_DIR)
    os.mkfifo(raw_copy / "registratie" / "extra.csv")  # opened for reading, it waits for a writer forever
    (raw_copy / "extern" / "nul.csv").symlink_to("/dev/zero")  # read whole, it fills memory
    (raw_copy / "extern" / "notities.csv").write_text("wat dan ook\n", encoding="utf-8")
    assert _fingerprint(raw_copy) == before  # other files are not part of the delivery
    # a contract file that is no regular file is not read, but changes the hash
    kern = raw_copy / "extern" / "kerncijfers.csv"
    kern.unlink()
    missing = _fingerprint(raw_copy)
    kern.symlink_to("/dev/zero")
    zero = _fingerprint(raw_copy)
    kern.unlink()
    os.mkfifo(kern)
    fifo = _fingerprint(raw_copy)
    assert len({before, missing, zero}) == 3 and fifo == zero
    # a symlink to a regular file is followed, as the validator follows it
    kern.unlink()
    kern.symlink_to(config.RAW_DIR / "extern" / "kerncijfers.csv")
    assert buildstate.data_fingerprint(raw_copy) == before


def test_file_hash_streams_in_chunks(tmp_path, monkeypatch):
    import hashlib

    big = tmp_path / "groot.csv"
    big.write_bytes(b"a,b\n" * 100_000)
    reads = []
    real = os.read
    monkeypatch.setattr(buildstate.os, "read", lambda fd, n: reads.append(n) or real(fd, n))
    monkeypatch.setattr(buildstate, "HASH_CHUNK", 64 * 1024)
    assert buildstate._file_sha(big) == hashlib.sha256(big.read_bytes()).hexdigest()
    assert len(reads) > 5 and set(reads) == {64 * 1024}


@pytest.mark.slow
def test_build_ignores_a_fifo_and_a_dev_zero_link_beside_the_contracts_files(raw_copy, tmp_path):
    os.mkfifo(raw_copy / "registratie" / "extra.csv")
    (raw_copy / "extern" / "nul.csv").symlink_to("/dev/zero")
    out = tmp_path / "uit"
    r, seconds = _build(raw_copy, out)
    assert r.returncode == 0, r.stdout + r.stderr[-2000:]
    print(f"build with a FIFO and a /dev/zero link beside the delivery: {seconds:.1f} s")
    assert (out / S / "aalten" / "bijlagen.html").is_file()
    manifest = json.loads((out / S / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["bouw"]["invoer_sha256"] == buildstate.data_fingerprint(config.RAW_DIR)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["fifo", "dev_zero"])
def test_build_refuses_a_contract_file_that_is_no_regular_file(raw_copy, tmp_path, kind):
    kern = raw_copy / "extern" / "kerncijfers.csv"
    kern.unlink()
    if kind == "fifo":
        os.mkfifo(kern)
    else:
        kern.symlink_to("/dev/zero")
    out = tmp_path / "uit"
    r, seconds = _build(raw_copy, out)
    print(f"build with extern/kerncijfers.csv a {kind}: {seconds:.1f} s")
    assert r.returncode == 1, r.stdout + r.stderr[-2000:]
    assert "extern/kerncijfers.csv" in r.stderr and "interne fout" not in r.stderr
    assert not (out / S).exists()  # refused before anything was written


# --- 21.8: the build sweeps only its own temporary files, only where it writes -----------------


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def _plant(out: Path) -> tuple[list[Path], list[Path]]:
    """Temporary files in and below an output folder: (what must stay, what a sweep removes)."""
    dead = _dead_pid()
    year = out / S
    stay = [
        out / ".x.tmp",  # another program's
        out / ".git" / ".x.tmp",
        out / ".git" / "objects" / "pack" / ".tmp-pack-3f2a.tmp",
        out / ".git" / f".lerenwerkt-{dead}-config.a1b2c3d4.tmp",  # our name, but not a folder the build writes
        year / "aalten" / ".bijlagen.html.k3j4l5m6.tmp",  # not our name
        year / "aalten" / f".lerenwerkt-{os.getpid()}-bijlagen.html.z9y8x7w6.tmp",  # its writer still runs
        year / "boek" / f".lerenwerkt-{dead}-jaarverslag.html.q1w2e3r4.tmp",  # written by `lerenwerkt boek`, not by a build
        out / "notities" / f".lerenwerkt-{dead}-notitie.md.t5y6u7i8.tmp",
    ]
    gone = [
        out / f".lerenwerkt-{dead}-index.html.a1s2d3f4.tmp",
        year / f".lerenwerkt-{dead}-manifest.json.g5h6j7k8.tmp",
        year / "aalten" / f".lerenwerkt-{dead}-bijlagen.html.l9z8x7c6.tmp",
        out / "openbaar" / S / "doesburg" / f".lerenwerkt-{dead}-raadsmededeling.html.v5b4n3m2.tmp",
        out / ".mislukt" / "intern" / S / f".lerenwerkt-{dead}-aalten-bijlagen.ipynb.p0o9i8u7.tmp",
    ]
    for p in [*stay, *gone]:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("half geschreven", encoding="utf-8")
    link = year / "aalten" / f".lerenwerkt-{dead}-link.html.r4t5y6u7.tmp"  # a link is never followed nor removed
    link.symlink_to(out / ".x.tmp")
    return [*stay, link], gone


def test_the_sweep_removes_only_what_a_killed_build_of_ours_left(tmp_path):
    from lerenwerkt import report

    out = tmp_path / "uit"
    stay, gone = _plant(out)
    removed = report._sweep_temporary(out)
    assert sorted(removed) == sorted(gone)
    assert all(p.is_file() for p in stay), [str(p.relative_to(out)) for p in stay if not p.is_file()]
    assert not any(p.exists() for p in gone)


def test_an_atomic_write_uses_a_name_of_its_own_and_leaves_nothing(tmp_path, monkeypatch):
    from lerenwerkt import io

    names = []
    real = os.replace
    monkeypatch.setattr(io.os, "replace", lambda a, b: names.append(Path(a).name) or real(a, b))
    io.atomic_write_text(tmp_path / "a.html", "<p>x</p>")
    assert names and names[0].startswith(f".lerenwerkt-{os.getpid()}-a.html.") and names[0].endswith(".tmp")
    assert [p.name for p in tmp_path.iterdir()] == ["a.html"]


@pytest.mark.slow
def test_build_keeps_foreign_tmp_files_in_out_and_in_its_git_folder(tmp_path):
    out = tmp_path / "uit"
    stay, gone = _plant(out)
    r, seconds = _build(config.RAW_DIR, out)
    assert r.returncode == 0, r.stdout + r.stderr[-2000:]
    assert all(p.is_file() for p in stay), [str(p.relative_to(out)) for p in stay if not p.is_file()]
    assert not any(p.exists() for p in gone)
    assert (out / S / "aalten" / "bijlagen.html").is_file()


# --- 21.12: a damaged cache entry repairs itself ------------------------------------------------


def _entry(base: Path) -> Path:
    (entry,) = [p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")]
    return entry


@pytest.mark.parametrize("damage", ["other_table", "rows_dropped", "missing", "not_parquet"])
def test_a_damaged_cache_entry_is_discarded_and_cleaned_again(tmp_path, capsys, damage):
    import pandas as pd

    from lerenwerkt import pipeline

    base = tmp_path / "cache"
    pipeline._CACHE.clear()
    good = pipeline.prepare(config.RAW_DIR, processed_dir=base)
    target = _entry(base) / "verzuimmeldingen.parquet"
    if damage == "other_table":  # a valid Parquet with the wrong content: downstream a KeyError, for ever
        target.write_bytes((target.parent / "handhaving.parquet").read_bytes())
    elif damage == "rows_dropped":  # the same columns, other rows: only the content hash tells
        pd.read_parquet(target).iloc[:-7].to_parquet(target, index=False)
    elif damage == "missing":
        target.unlink()
    else:
        target.write_bytes(b"PAR1 dit is geen parquet")
    capsys.readouterr()
    pipeline._CACHE.clear()
    again = pipeline.prepare(config.RAW_DIR, processed_dir=base)
    err = capsys.readouterr().err
    assert set(again) == set(good)
    for name, df in good.items():
        pd.testing.assert_frame_equal(again[name], df, obj=name)
    reason = "verzuimmeldingen.parquet ontbreekt" if damage == "missing" else "de inhoud van verzuimmeldingen.parquet klopt niet met zijn controlegetal"
    assert err == f"let op: de opgeschoonde levering in de cache was beschadigd ({reason}); opnieuw opgeschoond.\n"
    # repaired on disk: the next read finds a sound entry and says nothing
    pipeline._CACHE.clear()
    pipeline.prepare(config.RAW_DIR, processed_dir=base)
    assert capsys.readouterr().err == ""
    pipeline._CACHE.clear()


@pytest.mark.slow
def test_tables_after_a_poisoned_cache_entry_is_no_internal_error(tmp_path):
    from lerenwerkt import pipeline

    base = tmp_path / "cache"
    pipeline._CACHE.clear()
    pipeline.prepare(config.RAW_DIR, processed_dir=base)
    pipeline._CACHE.clear()
    entry = _entry(base)
    (entry / "verzuimmeldingen.parquet").write_bytes((entry / "handhaving.parquet").read_bytes())
    env = {**os.environ, config.CACHE_ENV: str(base)}
    cmd = [*LERENWERKT, "tables", "--data", str(config.RAW_DIR), "--out", str(tmp_path / "tabellen")]
    for run in (1, 2):
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=TIME_LIMIT, preexec_fn=_limited, env=env)
        assert r.returncode == 0, r.stderr[-2000:]
        assert "interne fout" not in r.stderr
        assert ("beschadigd" in r.stderr) == (run == 1)  # repaired once, sound after
    assert (tmp_path / "tabellen" / "cells.csv").is_file()


# --- 21.13: a stopped kernel does not stall the build -------------------------------------------


def test_the_time_limit_per_draft_is_read_from_the_environment(monkeypatch):
    from lerenwerkt import engine

    monkeypatch.delenv(engine.LIMIT_ENV, raising=False)
    assert engine.draft_limit() == engine.DRAFT_LIMIT
    monkeypatch.setenv(engine.LIMIT_ENV, "2,5")
    assert engine.draft_limit() == 2.5
    for bad in ("tien", "0", "-3", "inf", "nan"):
        monkeypatch.setenv(engine.LIMIT_ENV, bad)
        with pytest.raises(ValueError, match=f"^{engine.LIMIT_ENV}: .* geen tijdslimiet; verwacht een aantal seconden groter dan 0"):
            engine.draft_limit()


def _kernels(pid: int) -> list:
    import psutil

    out = []
    for c in psutil.Process(pid).children(recursive=True):
        try:
            if "ipykernel" in " ".join(c.cmdline()):
                out.append(c)
        except psutil.Error:
            pass
    return out


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_stopped_kernel_fails_its_draft_within_the_limit_and_the_build_goes_on(tmp_path, jobs):
    """Once the first draft is written the kernels are warm and at work: every kernel is stopped
    (SIGSTOP). Each draft a stopped kernel holds fails after the limit, with a message naming
    it; the other drafts are built in fresh kernels; the build exits 1."""
    import contextlib
    import re
    import signal

    import psutil

    limit = 10
    out = tmp_path / "uit"
    gemeenten = ["aalten", "doesburg", "winterswijk", "berkelland"]
    cmd = [*LERENWERKT, "build", "--out", str(out), "--jobs", str(jobs), "--quiet", "--gemeente", *gemeenten, "--chapter", "bijlagen"]
    env = {**os.environ, "LERENWERKT_TIJDSLIMIET": str(limit)}
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, preexec_fn=_limited)
    stopped = []
    try:
        deadline = time.monotonic() + TIME_LIMIT
        while not list((out / S).glob("*/bijlagen.html")) and p.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        stopped = _kernels(p.pid)
        assert stopped, "no kernel running"
        for k in stopped:
            k.send_signal(signal.SIGSTOP)
        t0 = time.monotonic()
        stdout, stderr = p.communicate(timeout=TIME_LIMIT)
        seconds = time.monotonic() - t0
    finally:  # the stopped kernels first: they hold the build's stdout open
        for k in stopped:
            with contextlib.suppress(psutil.Error):
                k.kill()
        if p.poll() is None:
            p.kill()
            p.communicate(timeout=30)
    print(f"jobs={jobs}: build ended {seconds:.1f} s after SIGSTOP of {len(stopped)} kernel(s) (limit {limit} s)")
    assert p.returncode == 1, stdout + stderr[-2000:]
    failed = dict(re.findall(r"^- mislukt: bijlagen (\w+): (.*?)(?: \(notebook: [^)]*\))?$", stdout, flags=re.M))
    assert 1 <= len(failed) <= len(stopped), stdout
    for gemeente, message in failed.items():
        assert message == (
            f"concept 'Bijlagen — {gemeente} — {S}' niet af binnen de tijdslimiet van {limit} s (LERENWERKT_TIJDSLIMIET); "
            "de kernel reageerde niet (gestopt of vastgelopen) en is beëindigd"
        )
    built = len(gemeenten) - len(failed)
    assert f"{built} concepten gebouwd" in stdout and f"{len(failed)} mislukt" in stdout
    assert len(list((out / S).glob("*/bijlagen.html"))) == built
    manifest = json.loads((out / S / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["mislukt"]) == sorted(f"{g.lower()}/bijlagen" for g in failed)
    for k in stopped:  # killed, not left stopped
        assert not k.is_running() or k.status() == psutil.STATUS_ZOMBIE
    assert seconds < limit + 90  # the limit, and fresh kernels for the rest (before: as long as the kernel stays stopped)
