"""Benchmark of the Monte Carlo (issue 17): what `simulate()` adds to an upload.

    .venv/bin/python bench/uncertainty.py            # typical (5 profiles x 365 days) and large (500 x 365)
    .venv/bin/python bench/uncertainty.py --reps 21,5

The cells are parsed and computed once (bench/datasets.py, same bytes every run); only `simulate()` is
timed, 20 000 draws: median of the repetitions in CPU time of the process (time.process_time, the
figure read against the targets: steadier than wall time on a shared machine) and in wall time
(time.perf_counter). Two cases each:

- **cold**: the worker's kept draws (calculations/engine/draw_cache.py) emptied before each repetition,
  what the first upload of a worker, or of a new methodology version, pays;
- **warm**: the draws kept from the run before, what every later upload under the same version pays.

Targets: typical under 20 ms, 500 profiles under 1 s (bench/README.md, "Monte Carlo"). No timed
assertion anywhere. The figures, every repetition included, go to bench/results/uncertainty.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR.parent)]

from bench import datasets as bench_datasets  # noqa: E402
from calculations.engine.compute import compute  # noqa: E402
from calculations.engine.parser import parse_analytics  # noqa: E402
from calculations.engine.uncertainty import DEFAULT_DRAWS, simulate  # noqa: E402

try:  # the worker's kept draws (absent before the speed work: every run is then cold)
    from calculations.engine.draw_cache import DRAWS as KEPT_DRAWS  # noqa: E402
except ImportError:  # pragma: no cover - an older checkout
    KEPT_DRAWS = None

TARGETS_MS = {"typical": 20.0, "large": 1000.0}


def measure(analytics, parameters, result, reps: int, cold: bool) -> dict:
    times, cpu = [], []
    simulate(analytics.cells, parameters, result)  # imports, first allocations
    for _ in range(reps):
        if cold and KEPT_DRAWS is not None:
            KEPT_DRAWS.clear()
        start, start_cpu = time.perf_counter(), time.process_time()
        simulate(analytics.cells, parameters, result)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return {"wall_ms": 1000 * statistics.median(times), "wall_min_ms": 1000 * min(times),
            "cpu_ms": 1000 * statistics.median(cpu), "cpu_min_ms": 1000 * min(cpu), "reps": reps,
            "wall_all_ms": [1000 * t for t in times], "cpu_all_ms": [1000 * t for t in cpu]}


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BENCH_DIR, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def main(argv=None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--reps", default="21,5", help="repetitions for typical,large")
    options.add_argument("--sizes", default="typical,large")
    options.add_argument("--out", type=Path, default=BENCH_DIR / "results" / "uncertainty.json")
    args = options.parse_args(argv)
    reps = dict(zip(("typical", "large"), map(int, args.reps.split(","))))
    parameters = {"default": bench_datasets.default_parameters(), "bench": bench_datasets.bench_parameters()}
    load_before = os.getloadavg()
    results = {"generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "commit": _commit(),
               "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
               "draws": DEFAULT_DRAWS, "files": {}}
    print(f"simulate(), {DEFAULT_DRAWS} draws, commit {results['commit']}; medians (min) of the repetitions")
    print(f"{'file':<16}{'profiles':>9}{'cells':>8}  {'case':<5}{'CPU':>18}{'wall':>20}{'target':>9}  verdict (CPU)")
    for size in args.sizes.split(","):
        dataset = next(d for d in bench_datasets.datasets((size,)) if d.form == "records")
        params = parameters[dataset.version]
        analytics = parse_analytics(dataset.data, params, content_type=dataset.content_type)
        result = compute(analytics.cells, params)
        entry = results["files"][dataset.name] = {"profiles": dataset.profiles, "cells": len(analytics.cells)}
        for case in ("cold", "warm") if KEPT_DRAWS is not None else ("cold",):
            figures = entry[case] = measure(analytics, params, result, reps[size], cold=case == "cold")
            verdict = "met" if figures["cpu_ms"] < TARGETS_MS[size] else (
                f"MISSED by {figures['cpu_ms'] - TARGETS_MS[size]:.0f} ms")
            print(f"{dataset.name:<16}{dataset.profiles:>9}{len(analytics.cells):>8}  {case:<5}"
                  f"{figures['cpu_ms']:>9.1f} ({figures['cpu_min_ms']:6.1f}) ms"
                  f"{figures['wall_ms']:>9.1f} ({figures['wall_min_ms']:6.1f}) ms"
                  f"{TARGETS_MS[size]:>7.0f}ms  {verdict}", flush=True)
    results["load_average"] = {"before": load_before, "after": os.getloadavg()}
    print(f"load average {' '.join(f'{x:.1f}' for x in load_before)} before, "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} after, on {os.cpu_count()} CPUs "
          "(a loaded machine stretches every figure: bench/README.md)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
