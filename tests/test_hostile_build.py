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
