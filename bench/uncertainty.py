"""Benchmark of the Monte Carlo (issue 17): what `simulate()` adds to an upload.

    .venv/bin/python bench/uncertainty.py            # typical (5 profiles x 365 days) and large (500 x 365)
    .venv/bin/python bench/uncertainty.py --reps 21,5

The cells are parsed once (bench/datasets.py, same bytes every run); only `simulate()` is timed,
20 000 draws, median of the repetitions (time.perf_counter; CPU time, time.process_time, beside it). Targets: typical under 20 ms, 500
profiles under 1 s (bench/README.md, "Monte Carlo"). No timed assertion anywhere.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1])]

from bench import datasets as bench_datasets  # noqa: E402
from calculations.engine.compute import compute  # noqa: E402
from calculations.engine.parser import parse_analytics  # noqa: E402
from calculations.engine.uncertainty import DEFAULT_DRAWS, simulate  # noqa: E402

TARGETS_MS = {"typical": 20.0, "large": 1000.0}


def measure(dataset, parameters, reps: int) -> dict:
    analytics = parse_analytics(dataset.data, parameters, content_type=dataset.content_type)
    result = compute(analytics.cells, parameters)
    times, cpu = [], []
    for _ in range(reps):
        start, start_cpu = time.perf_counter(), time.process_time()
        simulate(analytics.cells, parameters, result)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return {"name": dataset.name, "profiles": dataset.profiles, "cells": len(analytics.cells),
            "median_ms": 1000 * statistics.median(times), "min_ms": 1000 * min(times),
            "cpu_ms": 1000 * statistics.median(cpu), "reps": reps}


def main(argv=None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--reps", default="21,5", help="repetitions for typical,large")
    args = options.parse_args(argv)
    reps = dict(zip(("typical", "large"), map(int, args.reps.split(","))))
    parameters = {"default": bench_datasets.default_parameters(), "bench": bench_datasets.bench_parameters()}
    print(f"simulate(), {DEFAULT_DRAWS} draws")
    print(f"{'file':<18}{'profiles':>9}{'cells':>9}{'median':>11}{'min':>11}{'cpu':>11}{'target':>10}")
    for size in ("typical", "large"):
        dataset = next(d for d in bench_datasets.datasets((size,)) if d.form == "records")
        entry = measure(dataset, parameters[dataset.version], reps[size])
        verdict = "ok" if entry["median_ms"] < TARGETS_MS[size] else "MISSED"
        print(f"{entry['name']:<18}{entry['profiles']:>9}{entry['cells']:>9}{entry['median_ms']:>9.1f}ms"
              f"{entry['min_ms']:>9.1f}ms{entry['cpu_ms']:>9.1f}ms{TARGETS_MS[size]:>8.0f}ms {verdict}")
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs: "
          "a loaded machine stretches every figure (bench/README.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
