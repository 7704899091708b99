"""``make bench``: the build engine against the naive loop, in one run on one machine.

(a) naive: for each draft the ``papermill`` CLI, then ``jupyter nbconvert --to html
--no-input``, one after the other; (b) ``lerenwerkt build --force --geen-pakket`` over the
same drafts, timed just before and just after (a) (the mean brackets (a) in time); (c) the no-op rebuild; (b') the build with the public package per gemeente
(output the naive loop does not make, so reported beside the ratio, not in it); (d) indicators on a national-size synthetic register (342 gemeenten,
about 150.000 meldingen) with time and peak memory. Results go to stdout and
``.bench/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from lerenwerkt import codes, config
from lerenwerkt.chapters import notebook_path

BIN = Path(sys.executable).parent


def _run(cmd: list[str], **kw) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t0


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes and theirs: the work
    done, less sensitive than wall time to other processes on the machine."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def naive(drafts, schooljaar: str, work: Path) -> float:
    total = 0.0
    for g, c in drafts:
        out = work / f"{codes.slug(g)}-{c}.ipynb"
        params = ["-p", "schooljaar", schooljaar]
        if g is not None:
            params += ["-p", "gemeente", g]
        total += _run([str(BIN / "papermill"), str(notebook_path(c)), str(out), *params, "-k", "python3", "--cwd", str(config.NOTEBOOKS_DIR)])
        total += _run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)])
    return total


def engine_build(drafts, schooljaar: str, out: Path, *, force: bool, pakket: bool = False) -> float:
    """``lerenwerkt build`` over the drafts; without the public package (``--geen-pakket``)
    unless asked, so that (a) and (b) make the same drafts."""
    gemeenten = sorted({codes.slug(g) for g, _ in drafts})
    chapters = sorted({c for _, c in drafts})
    cmd = [str(BIN / "lerenwerkt"), "build", "--schooljaar", schooljaar, "--out", str(out), "--quiet", "--gemeente", *gemeenten, "--chapter", *chapters]
    return _run(cmd + (["--force"] if force else []) + ([] if pakket else ["--geen-pakket"]))


def _timed_build(drafts, schooljaar: str, out: Path) -> tuple[float, float]:
    """One ``build --force``: wall seconds and CPU seconds (its processes)."""
    cpu = _children_cpu()
    wall = engine_build(drafts, schooljaar, out, force=True)
    return wall, _children_cpu() - cpu


def per_chapter(out: Path, schooljaar: str) -> dict[str, float]:
    """Mean seconds per draft and chapter, from the build's manifests."""
    times: dict[str, list[float]] = {}
    for manifest in out.rglob("manifest.json"):
        if manifest.parent.name != schooljaar:
            continue
        for ident, entry in json.loads(manifest.read_text()).get("drafts", {}).items():
            if "seconden" in entry:
                times.setdefault(ident.split("/")[-1], []).append(entry["seconden"])
    return {c: sum(v) / len(v) for c, v in sorted(times.items(), key=lambda kv: -sum(kv[1]) / len(kv[1]))}


def national_register(n_gemeenten: int = 342, n_meldingen: int = 150_000, seed: int = 1) -> dict[str, pd.DataFrame]:
    """A cleaned, national-size register (verzuim and 18+), for timing the indicators."""
    from lerenwerkt import clean

    rng = np.random.default_rng(seed)
    gem = np.array([f"Gemeente {i:03d}" for i in range(n_gemeenten)])
    years = ["2022-2023", "2023-2024", "2024-2025"]
    start = pd.Timestamp("2022-08-01")
    days = rng.integers(0, 3 * 365, size=n_meldingen)
    melding = start + pd.to_timedelta(days, unit="D")
    soort = rng.choice(list(codes.VERZUIMSOORT), size=n_meldingen, p=[0.1, 0.3, 0.02, 0.03, 0.45, 0.1])
    afgerond = melding + pd.to_timedelta(rng.integers(1, 200, size=n_meldingen), unit="D")
    res = rng.choice(list(codes.RESULTAAT_VERZUIM), size=n_meldingen)
    vm = pd.DataFrame(
        {
            "melding_id": [f"M{i}" for i in range(n_meldingen)],
            "jongere_id": [f"J{i}" for i in rng.integers(0, n_meldingen, size=n_meldingen)],
            "gemeente": rng.choice(gem, size=n_meldingen),
            "onderwijssoort": rng.choice(list(codes.ONDERWIJSSOORT), size=n_meldingen),
            "verzuimsoort": soort,
            "datum_melding": melding,
            "geboortedatum": melding - pd.to_timedelta(rng.integers(5 * 365, 18 * 365, size=n_meldingen), unit="D"),
            "nieuwkomer": rng.random(n_meldingen) < 0.1,
            "datum_afgerond": afgerond,
            "resultaat": np.where(soort == "informatie_advies", None, res),
        }
    ).astype({"resultaat": "string", "gemeente": "string", "onderwijssoort": "string", "verzuimsoort": "string"})
    n18 = n_meldingen // 3
    d18 = start + pd.to_timedelta(rng.integers(0, 3 * 365, size=n18), unit="D")
    m18 = pd.DataFrame(
        {
            "melding_id": [f"D{i}" for i in range(n18)],
            "jongere_id": [f"K{i}" for i in rng.integers(0, n18 // 2, size=n18)],
            "gemeente": rng.choice(gem, size=n18),
            "onderwijssoort": "mbo",
            "datum_melding": d18,
            "geboortedatum": d18 - pd.to_timedelta(rng.integers(18 * 365, 22 * 365, size=n18), unit="D"),
            "actie_gewenst": rng.random(n18) < 0.35,
            "inzet_consulent": rng.random(n18) < 0.5,
            "uitkomst": rng.choice(list(codes.UITKOMST_18PLUS), size=n18),
        }
    ).astype({"actie_gewenst": "boolean", "inzet_consulent": "boolean", "uitkomst": "string"})
    del years
    return {"verzuimmeldingen": clean.clean_verzuimmeldingen(vm), "meldingen_18plus": clean.clean_meldingen_18plus(m18)}


def national_indicators(reg: dict[str, pd.DataFrame], schooljaar: str = "2024-2025") -> None:
    from lerenwerkt.indicators import achttienplus, verzuim
    from lerenwerkt.indicators.common import count_by

    vm, m18 = reg["verzuimmeldingen"], reg["meldingen_18plus"]
    vorig = "2023-2024"
    verzuim.meldingen(vm, schooljaar=schooljaar, by=("gemeente", "onderwijssoort", "verzuimsoort"))
    verzuim.totaal_meldingen(vm, schooljaar=schooljaar, by=("gemeente", "onderwijssoort"))
    verzuim.resultaten(vm, schooljaar=schooljaar, by=("gemeente", "onderwijssoort"))
    verzuim.resultaten(vm, schooljaar=schooljaar, by=("gemeente",), detail=True)
    verzuim.per_jaar(vm, schooljaren=["2022-2023", vorig, schooljaar], verzuimsoorten=list(codes.VERZUIMSOORT))
    verzuim.uitstroom_absoluut(vm, schooljaar=schooljaar)
    verzuim.verandering(vm, schooljaar=schooljaar, vorig=vorig, verzuimsoort="absoluut")
    count_by(vm[vm.schooljaar.isin([vorig, schooljaar])], ["gemeente", "verzuimsoort", "onderwijsniveau", "schooljaar"])
    achttienplus.per_jaar(m18, schooljaren=[vorig, schooljaar])
    achttienplus.jongeren(m18, schooljaar=schooljaar)
    achttienplus.uitkomst(m18, schooljaar=schooljaar)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="lerenwerkt-bench", description=__doc__.splitlines()[0])
    p.add_argument("--chapters", nargs="+", default=None, help="chapters to time (default: all, i.e. the full scheduled build)")
    p.add_argument("--schooljaar", default=config.DEFAULT_SCHOOLJAAR)
    p.add_argument("--skip-naive", action="store_true", help="leave out (a), the naive loop")
    p.add_argument("--geen-pakket", action="store_true", help="leave out (b'), the build with the public package")
    p.add_argument(
        "--gemeente", nargs="+", default=None, help="gemeenten beside the region (default: all nine); fewer drafts weigh the build's fixed start-up more"
    )
    args = p.parse_args(argv)
    from lerenwerkt.report import GEMEENTE_ONLY, available_chapters

    args.chapters = args.chapters or available_chapters()
    gemeenten = codes.GEMEENTEN if args.gemeente is None else [g for g in codes.GEMEENTEN if g in args.gemeente or codes.slug(g) in args.gemeente]
    drafts = [(g, c) for g in (None, *gemeenten) for c in args.chapters if not (g is None and c in GEMEENTE_ONLY)]
    work = config.PROJECT_DIR / ".bench"
    shutil.rmtree(work, ignore_errors=True)
    (work / "naive").mkdir(parents=True)
    results: dict = {"drafts": len(drafts), "chapters": args.chapters}
    print(f"Benchmark over {len(drafts)} drafts ({', '.join(args.chapters)}), same machine, same run.")
    engine_build(drafts, args.schooljaar, work / "warmup", force=True)  # processed cache, file cache
    # (b) is timed twice, just before and just after (a): this machine's speed drifts by a
    # quarter over minutes (other tenants of the host), and (a) takes minutes. The mean of
    # the two brackets (a) in time; both are reported.
    load = {"voor_build_1": os.getloadavg()[0]}  # other processes on the machine: report them
    builds = [_timed_build(drafts, args.schooljaar, work / "reports-voor")]
    load["voor_naief"] = os.getloadavg()[0]
    if not args.skip_naive:
        cpu = _children_cpu()
        results["naive_s"] = naive(drafts, args.schooljaar, work / "naive")
        results["naive_cpu_s"] = _children_cpu() - cpu
        print(f"(a) naive papermill CLI + nbconvert CLI: {results['naive_s']:.1f} s ({results['naive_s'] / len(drafts):.2f} s/draft)")
        load["voor_build_2"] = os.getloadavg()[0]
        builds.append(_timed_build(drafts, args.schooljaar, work / "reports"))
    else:
        shutil.move(str(work / "reports-voor"), str(work / "reports"))
    results["build_runs_s"] = [round(b[0], 2) for b in builds]
    results["build_runs_cpu_s"] = [round(b[1], 2) for b in builds]
    results["build_s"] = sum(b[0] for b in builds) / len(builds)
    results["build_cpu_s"] = sum(b[1] for b in builds) / len(builds)
    print(
        f"(b) lerenwerkt build --force:             {results['build_s']:.1f} s ({results['build_s'] / len(drafts):.2f} s/draft; "
        f"mean of {len(builds)}: {', '.join(f'{b[0]:.1f}' for b in builds)} s{' before and after (a)' if len(builds) > 1 else ''})"
    )
    load["na_build"] = os.getloadavg()[0]
    if "naive_s" in results:
        results["speedup"] = results["naive_s"] / results["build_s"]
        print(f"    speed-up (a)/(b): {results['speedup']:.1f}x  (target >= 12x, aim 15x)")
        print(
            f"    CPU seconds (a) {results['naive_cpu_s']:.1f}, (b) {results['build_cpu_s']:.1f}: ratio {results['naive_cpu_s'] / results['build_cpu_s']:.1f}x"
        )
    results["load_average"] = load
    results["build_per_chapter_s"] = per_chapter(work / "reports", args.schooljaar)
    loads = ", ".join(f"{moment.replace('_', ' ')} {x:.1f}" for moment, x in load.items())
    print(f"    load average (1 min): {loads}")
    print(
        "    seconds per draft in the build, per chapter (a worker's wall time): "
        + ", ".join(f"{c} {s:.2f}" for c, s in results["build_per_chapter_s"].items())
    )
    results["noop_s"] = engine_build(drafts, args.schooljaar, work / "reports", force=False)
    print(f"(c) no-op rebuild:                       {results['noop_s']:.2f} s  (target < 1 s)")
    if not args.geen_pakket:
        results["build_met_pakket_s"] = engine_build(drafts, args.schooljaar, work / "pakket", force=True, pakket=True)
        print(
            f"(b') build --force with the public package (Word memo, katern HTML + PDF, Excel, cells.csv, zip per gemeente): "
            f"{results['build_met_pakket_s']:.1f} s; the package's own share {results['build_met_pakket_s'] - results['build_s']:.1f} s"
        )

    t0 = time.perf_counter()
    reg = national_register()
    results["national_generate_s"] = time.perf_counter() - t0
    tracemalloc.start()
    t0 = time.perf_counter()
    national_indicators(reg)
    results["national_indicators_s"] = time.perf_counter() - t0
    results["national_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    results["process_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n = len(reg["verzuimmeldingen"]) + len(reg["meldingen_18plus"])
    print(
        f"(d) national indicators (342 gemeenten, {len(reg['verzuimmeldingen']):,} meldingen + {len(reg['meldingen_18plus']):,} 18+): "
        f"{results['national_indicators_s']:.2f} s, peak {results['national_peak_mb']:.0f} MB traced, "
        f"process max RSS {results['process_maxrss_mb']:.0f} MB  (targets < 10 s, < 2 GB)"
    )
    del n
    (work / "results.json").write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
