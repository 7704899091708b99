"""Scale: validating and cleaning a delivery of two million rows stays under 1 GB.

The delivery is generated in a temporary folder (the shipped register with its
verzuimmeldingen repeated to two million rows); a fresh Python process validates and cleans
it — what ``lerenwerkt tables`` and ``build`` do before anything else — and reports its own
peak resident memory and the throughput."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from tests.scale import large_delivery

ROWS = 2_000_000
LIMIT_MB = 1024

SCRIPT = textwrap.dedent(
    """
    import json, resource, sys, time
    from lerenwerkt.pipeline import prepare

    data, cache = sys.argv[1], sys.argv[2]
    t = time.perf_counter()
    cleaned = prepare(data, processed_dir=cache)  # validate, clean, write the cache
    seconds = time.perf_counter() - t
    print(json.dumps({
        "rows": sum(len(df) for name, df in cleaned.items() if name != "vsv_status_eind"),
        "verzuimmeldingen": len(cleaned["verzuimmeldingen"]),
        "seconds": seconds,
        # this process's own peak (VmHWM): ru_maxrss also counts the parent's peak before exec
        "max_rss_mb": int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]) / 1024,
    }))
    """
)


@pytest.mark.slow
def test_validate_and_clean_two_million_rows_under_1_gb(tmp_path):
    data = large_delivery(tmp_path / "levering", ROWS)
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(data), str(tmp_path / "cache")], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    m = json.loads(proc.stdout.strip().splitlines()[-1])
    print(
        f"\n{m['rows']:,} rijen gevalideerd en opgeschoond in {m['seconds']:.1f} s ({m['rows'] / m['seconds']:,.0f} rijen/s); max RSS {m['max_rss_mb']:.0f} MB"
    )
    assert m["verzuimmeldingen"] == ROWS
    assert m["max_rss_mb"] < LIMIT_MB, m
