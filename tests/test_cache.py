"""The cleaned-register cache: outside the clone, keyed by data and code, private, cleaned
after a crash, and safe for processes that run at the same time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lerenwerkt import config, pipeline

LERENWERKT = str(Path(sys.executable).with_name("lerenwerkt"))


def test_cache_lives_outside_the_clone_by_default(monkeypatch, tmp_path):
    from platformdirs import user_cache_dir

    monkeypatch.delenv(config.CACHE_ENV, raising=False)
    default = config.cache_dir()
    assert default == Path(user_cache_dir("lerenwerkt", appauthor=False))
    assert config.PROJECT_DIR not in default.parents
    monkeypatch.setenv(config.CACHE_ENV, str(tmp_path / "elders"))
    assert config.cache_dir() == tmp_path / "elders"


def test_prepare_writes_a_private_entry_keyed_by_data_and_code(tmp_path, raw_copy, monkeypatch):
    base = tmp_path / "cache"
    pipeline._CACHE.clear()
    reg = pipeline.prepare(raw_copy, processed_dir=base)
    entries = [p for p in base.iterdir() if p.is_dir()]
    assert len(entries) == 1
    entry = entries[0]
    assert entry.name == pipeline.cache_key(reg["verzuimmeldingen"].attrs["lerenwerkt_sha256"])
    assert (base.stat().st_mode & 0o777) == 0o700 and (entry.stat().st_mode & 0o777) == 0o700
    assert {p.stem for p in entry.glob("*.parquet")} >= {"verzuimmeldingen", "vsv_status_eind"}
    # a change to the cleaning code gives a new entry, never the old result
    pipeline._CACHE.clear()
    monkeypatch.setattr(pipeline, "code_fingerprint", lambda: "andere code")
    pipeline.prepare(raw_copy, processed_dir=base)
    assert len([p for p in base.iterdir() if p.is_dir()]) == 2
    pipeline._CACHE.clear()


def test_code_fingerprint_covers_the_cleaning_code():
    assert {"clean.py", "load.py", "schemas.py", "pipeline.py"} <= set(pipeline.CODE_FILES)
    assert all((config.PACKAGE_DIR / f).exists() for f in pipeline.CODE_FILES)


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_stale_temporary_folders_and_old_entries_are_removed(tmp_path):
    base = tmp_path / "cache"
    base.mkdir()
    dead = base / f".tmp-{_dead_pid()}-abc"
    dead.mkdir()
    (dead / "verzuimmeldingen.parquet").write_bytes(b"half")
    mine = base / f".tmp-{os.getpid()}-def"
    mine.mkdir()
    old = base / ("a" * 24)
    old.mkdir()
    (old / "_fingerprint.json").write_text("{}")
    os.utime(old / "_fingerprint.json", (0, 0))
    removed = pipeline.remove_stale(base)
    assert set(removed) == {dead, old}
    assert mine.exists() and not dead.exists() and not old.exists()


def test_a_run_killed_while_writing_leaves_nothing_the_next_run_keeps(tmp_path, raw_copy):
    """SIGKILL in the middle of writing the cache: a partial folder with personal data is
    left; the next run removes it and writes a complete entry."""
    base = tmp_path / "cache"
    script = textwrap.dedent(
        f"""
        import os, signal
        from lerenwerkt import pipeline
        real = pipeline.pd.DataFrame.to_parquet
        def half(self, path, *a, **k):
            real(self, path, *a, **k)
            os.kill(os.getpid(), signal.SIGKILL)
        pipeline.pd.DataFrame.to_parquet = half
        pipeline.prepare({str(raw_copy)!r}, processed_dir={str(base)!r})
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL
    leftovers = [p for p in base.iterdir() if p.name.startswith(".tmp-")]
    assert leftovers and any(leftovers[0].glob("*.parquet")), "the kill left a partial folder"
    pipeline._CACHE.clear()
    pipeline.prepare(raw_copy, processed_dir=base)
    assert not [p for p in base.iterdir() if p.name.startswith(".tmp-")]
    entry = next(p for p in base.iterdir() if p.is_dir())
    assert (entry / "_fingerprint.json").exists()
    pipeline._CACHE.clear()


def test_clear_cache_removes_only_what_the_package_wrote(tmp_path, raw_copy):
    base = tmp_path / "cache"
    pipeline._CACHE.clear()
    pipeline.prepare(raw_copy, processed_dir=base)
    (base / "van-iemand-anders.txt").write_text("blijft")
    env = {**os.environ, config.CACHE_ENV: str(base)}
    out = subprocess.run([sys.executable, "-m", "lerenwerkt.pipeline", "--clear-cache"], env=env, capture_output=True, text=True, check=True)
    assert "1 cache-items verwijderd" in out.stdout
    assert sorted(p.name for p in base.iterdir()) == ["van-iemand-anders.txt"]
    assert "lerenwerkt.pipeline --clear-cache" in (config.PROJECT_DIR / "Makefile").read_text()
    pipeline._CACHE.clear()


def test_gitignore_keeps_everything_but_the_synthetic_files_out():
    if not (config.PROJECT_DIR / ".git").exists():
        pytest.skip("not a git checkout")
    probe = ["data/raw/registratie/echt.csv", "data/raw/extern/export.csv", "data/raw/levering.xlsx", "data/raw/registratie/verzuimmeldingen.csv"]
    out = subprocess.run(["git", "check-ignore", *probe], cwd=config.PROJECT_DIR, capture_output=True, text=True)
    assert out.stdout.split() == probe[:3]


@pytest.mark.slow
def test_four_parallel_tables_runs_on_a_fresh_delivery(tmp_path, raw_copy):
    """Issue 14: four ``tables`` at once on a delivery nobody cleaned yet used to fail with
    'Directory not empty' in 1 of 12 tries. Three rounds of four, each on an empty cache:
    every run succeeds and all write the same cells."""
    failures = 0
    for round_ in range(3):
        env = {**os.environ, config.CACHE_ENV: str(tmp_path / f"cache{round_}")}
        procs = [
            subprocess.Popen(
                [LERENWERKT, "tables", "--data", str(raw_copy), "--out", str(tmp_path / f"out{round_}-{i}")],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for i in range(4)
        ]
        results = [(p.wait(timeout=600), p.stderr.read().decode()) for p in procs]
        failures += sum(1 for rc, _ in results if rc != 0)
        assert all(rc == 0 for rc, _ in results), [err[-500:] for _, err in results]
        cells = {(tmp_path / f"out{round_}-{i}" / "cells.csv").read_bytes() for i in range(4)}
        assert len(cells) == 1
        cache = tmp_path / f"cache{round_}"
        assert len([p for p in cache.iterdir() if p.is_dir()]) == 1, "one entry, no temporary folder left"
        for p in procs:
            p.stdout.close()
            p.stderr.close()
    assert failures == 0
