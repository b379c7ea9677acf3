"""Benchmark of the upload path: floor, parser, engine and the whole POST /api/energy.

    .venv/bin/python bench/run.py              # full run, a few minutes on 2 cores
    .venv/bin/python bench/run.py --quick      # smoke run: small files, 1 repetition, SQLite only

See bench/README.md for what is measured, how, and the targets. Plain Python:
time.perf_counter, tracemalloc and resource; medians of N repetitions; no timed
assertions. Prints a table and writes the same figures to bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
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
PROJECT_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
sys.path[:0] = [str(PROJECT_DIR)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "env5001site.settings")

import yaml  # noqa: E402

from bench import datasets as bench_datasets  # noqa: E402
from calculations.engine.compute import compute  # noqa: E402
from calculations.engine.parser import parse_analytics  # noqa: E402

DEFAULT_REPS = "typical=21,large=3,huge=1,century=3"
QUICK_REPS = "typical=1,large=1,huge=1,century=1"
PG_URL = "postgres://postgres@127.0.0.1:5432/env5001_bench"

# The targets (bench/README.md): ratios to the floor, milliseconds, multiples of the file size.
TARGETS = {
    "parser_vs_floor_large": 2.0,
    "post_pg_vs_floor_large": 4.0,
    "typical_post_ms": 50.0,
    "huge_peak_vs_file": 3.0,
    "post_sqlite_vs_floor_century": 4.0,
}


# --- In-process measurements ----------------------------------------------------------------------


def floor_yaml(data: bytes) -> None:
    for _ in yaml.parse(data, Loader=yaml.CSafeLoader):
        pass


def floor_csv(data: bytes) -> None:
    for _ in csv.reader(io.StringIO(data.decode("utf-8"), newline="")):
        pass


def naive_yaml(data: bytes) -> None:
    yaml.load(data, Loader=yaml.CSafeLoader)


CPU_TIMES: dict[int, list[float]] = {}  # process CPU time of each median_time() call's repetitions


def median_time(function, reps: int) -> tuple[float, list[float]]:
    times, cpu = [], []
    for _ in range(reps):
        gc.collect()
        start, cpu_start = time.perf_counter(), time.process_time()
        function()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
    CPU_TIMES[id(times)] = cpu
    return statistics.median(times), times


def measure_in_process(dataset, parameters, reps: int, naive: bool) -> dict:
    data = dataset.data
    floor = floor_csv if dataset.syntax == "csv" else floor_yaml
    entry = {"bytes": len(data), "records": dataset.records, "days": dataset.days, "profiles": dataset.profiles}
    entry["floor_s"], entry["floor_all_s"] = median_time(lambda: floor(data), reps)
    entry["floor_cpu_s"] = statistics.median(CPU_TIMES.pop(id(entry["floor_all_s"])))
    if dataset.syntax == "yaml" and naive:
        # The slowest and hungriest reference: once on large and huge files.
        entry["naive_s"], entry["naive_all_s"] = median_time(lambda: naive_yaml(data), reps if len(data) < 1e6 else 1)

    def parse():
        return parse_analytics(data, parameters, content_type=dataset.content_type)

    analytics = parse()
    assert len(analytics.cells) == dataset.records, (dataset.name, len(analytics.cells))
    entry["parse_s"], entry["parse_all_s"] = median_time(parse, reps)
    entry["compute_s"], entry["compute_all_s"] = median_time(lambda: compute(analytics.cells, parameters), reps)
    return entry


# --- The Django part, one subprocess per database -------------------------------------------------


def write_data(datasets, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    index = []
    for dataset in datasets:
        file_name = dataset.name.replace("/", "-") + (".csv" if dataset.syntax == "csv" else ".yaml")
        (directory / file_name).write_bytes(dataset.data)
        index.append({"name": dataset.name, "size": dataset.size, "form": dataset.form, "file": file_name,
                      "content_type": dataset.content_type, "version": dataset.version, "bytes": len(dataset.data)})
    (directory / "index.json").write_text(json.dumps(index, indent=2))


def run_post(database: str, url: str | None, data_dir: Path, reps: str, traced_sizes: str) -> dict:
    out = RESULTS_DIR / f"post-{database}.json"
    command = [sys.executable, str(BENCH_DIR / "post.py"), "--database", database, "--data-dir", str(data_dir),
               "--reps", reps, "--tracemalloc", traced_sizes, "--out", str(out)]
    if url:
        command += ["--url", url]
    process = subprocess.Popen(command, cwd=PROJECT_DIR)
    try:
        code = process.wait()
    except KeyboardInterrupt:
        process.terminate()  # post.py drops its test database on SIGTERM
        process.wait()
        raise
    if code:
        raise SystemExit(f"bench/post.py --database {database} failed with code {code}")
    return json.loads(out.read_text())


# --- Report ---------------------------------------------------------------------------------------


def _ratio(value, floor) -> str:
    return f"{value / floor:6.1f}x" if value is not None and floor else "      "


def _seconds(value) -> str:
    if value is None:
        return "       -"
    return f"{value * 1000:6.1f}ms" if value < 1 else f"{value:7.2f}s"


def table(results: dict) -> str:
    databases = list(results["post"])
    header = ["file", "MB", "records", "floor", "yaml.load", "parse+valid.", "compute"]
    header += [f"POST {db}" for db in databases] + ["peak mem", "queries"]
    lines = [" | ".join(header)]
    for name, entry in results["files"].items():
        floor = entry["floor_s"]
        cells = [
            f"{name:15}",
            f"{entry['bytes'] / 1e6:5.1f}",
            f"{entry['records']:7d}",
            _seconds(floor),
            f"{_seconds(entry.get('naive_s'))} {_ratio(entry.get('naive_s'), floor)}" if "naive_s" in entry else "-",
            f"{_seconds(entry['parse_s'])} {_ratio(entry['parse_s'], floor)}",
            f"{_seconds(entry['compute_s'])} {_ratio(entry['compute_s'], floor)}",
        ]
        memory, queries = "-", "-"
        for db in databases:
            post = results["post"][db]["files"].get(name)
            if post is None:
                cells.append("-")
                continue
            cells.append(f"{_seconds(post['post_s'])} {_ratio(post['post_s'], floor)}")
            if memory == "-" and (post.get("tracemalloc_peak_bytes") or post.get("rss_peak_delta_bytes")):
                traced, rss = post.get("tracemalloc_peak_bytes"), post.get("rss_peak_delta_bytes")
                memory = " ".join(part for part in (
                    f"{traced / entry['bytes']:4.1f}x" if traced else "",
                    f"(RSS {rss / entry['bytes']:4.1f}x)" if rss is not None else "",
                ) if part)
            queries = "/".join(str(q) for q in post["queries"])
        cells += [memory, queries]
        lines.append(" | ".join(cells))
    lines.append("ratios: time / floor of the same file (libyaml event stream, or decode + csv.reader); peak mem: "
                 "tracemalloc peak and (peak RSS growth) of the whole request / file size, first database; "
                 "queries: SQL statements per POST (COPY included)")
    paired = [f"{name} {db} {post['post_vs_floor_paired']:.2f}x (CPU {post['post_vs_floor_paired_cpu']:.2f}x)"
              for db in databases for name, post in results["post"][db]["files"].items()
              if post.get("post_vs_floor_paired")]
    if paired:
        lines.append("POST / floor timed just before it in the POST's process, median of the pairs: " + "; ".join(paired))
    return "\n".join(lines)


def verdicts(results: dict) -> list[dict]:
    """Each target of the issue with the measured figure (None when this run did not measure it)."""
    files, post = results["files"], results["post"]
    max_records = max((f["records"] for f in files.values()), default=0)
    out = []

    def add(target, measured, limit, unit, strict=False):
        met = None if measured is None else (measured < limit if strict else measured <= limit)
        out.append({"target": target, "measured": measured, "limit": limit, "unit": unit, "met": met,
                    "comparison": "<" if strict else "<="})

    for name in ("large/records", "large/csv"):
        entry = files.get(name)
        add(f"parser + validation / floor, {name}", entry and entry["parse_s"] / entry["floor_s"],
            TARGETS["parser_vs_floor_large"], "x")
    # The whole POST against the libyaml floor of the large records, for the YAML and for the CSV
    # of the same records: 4x csv.reader's 45 ms would leave less to store 182 500 rows than
    # PostgreSQL takes to write them (bench/README.md, "Whole POST").
    yaml_floor = (files.get("large/records") or {}).get("floor_s")
    for name in ("large/records", "large/csv"):
        pg = post.get("postgres", {}).get("files", {}).get(name)
        add(f"POST with saving on PostgreSQL / YAML floor of the large records, {name}",
            pg and yaml_floor and pg["post_s"] / yaml_floor, TARGETS["post_pg_vs_floor_large"], "x")
    # Many days, few profiles (issue 14, item 7): the SQLite save was the one over 4x there.
    century_floor = (files.get("century/records") or {}).get("floor_s")
    for db in post:
        century = post[db]["files"].get("century/records")
        add(f"POST with saving on {db} / YAML floor, century/records", century and century_floor
            and century["post_s"] / century_floor, TARGETS["post_sqlite_vs_floor_century"], "x")
        # The same in CPU time of the process (floor and POST): on a loaded machine the wall times
        # of two moments differ more than the work. PostgreSQL's own work is not in its figure.
        cpu_floor = (files.get("century/records") or {}).get("floor_cpu_s")
        add(f"  same, CPU time of the process ({db})", century and cpu_floor and century.get("post_cpu_s")
            and century["post_cpu_s"] / cpu_floor, TARGETS["post_sqlite_vs_floor_century"], "x")
        # The floor timed by bench/post.py just before each POST, in its process: the median of the
        # pairs' ratios does not compare two processes or two moments of a machine whose speed moves.
        add(f"  same, each POST over the floor timed just before it in the same process ({db})",
            century and century.get("post_vs_floor_paired"), TARGETS["post_sqlite_vs_floor_century"], "x")
        add(f"  same, paired, CPU time ({db})",
            century and century.get("post_vs_floor_paired_cpu"), TARGETS["post_sqlite_vs_floor_century"], "x")
    for db in post:
        for name in ("typical/records", "typical/csv"):
            typical = post[db]["files"].get(name)
            add(f"typical POST median ({db}), {name}", typical and typical["post_s"] * 1000,
                TARGETS["typical_post_ms"], "ms", strict=True)
            # Process CPU time (a loaded machine's wall time is mostly waiting for a core; PostgreSQL's
            # server work is not in it), with the Monte Carlo's kept draws and without (bench/README.md).
            add(f"  same, CPU time of the process ({db})", typical and typical.get("post_cpu_s")
                and typical["post_cpu_s"] * 1000, TARGETS["typical_post_ms"], "ms", strict=True)
            add(f"  same, CPU time, Monte Carlo draws not kept ({db})", typical and typical.get("post_cold_draws_cpu_s")
                and typical["post_cold_draws_cpu_s"] * 1000, TARGETS["typical_post_ms"], "ms", strict=True)
    for db in post:
        for name in ("huge/records", "huge/csv"):
            huge = post[db]["files"].get(name)
            if huge and huge.get("tracemalloc_peak_bytes") is not None:
                size = files[name]["bytes"]
                add(f"huge request peak / file size, tracemalloc ({db}), {name}",
                    huge["tracemalloc_peak_bytes"] / size, TARGETS["huge_peak_vs_file"], "x")
                if huge.get("rss_peak_delta_bytes") is not None:
                    add(f"huge request peak / file size, RSS growth ({db}), {name}",
                        huge["rss_peak_delta_bytes"] / size, TARGETS["huge_peak_vs_file"], "x")
    for db in post:
        counts = {count for f in post[db]["files"].values() for count in f["queries"]}
        if counts:
            add(f"SQL statements per POST, spread over all files from 1 825 to {max_records:,} cells ({db})",
                max(counts) - min(counts), 0, "statements")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark of the upload path (see bench/README.md).")
    parser.add_argument("--quick", action="store_true", help="smoke run: small files, 1 repetition, SQLite only")
    parser.add_argument("--sizes", default="typical,large,huge,century",
                        help="comma-separated: typical,large,huge,century")
    parser.add_argument("--reps", help=f"repetitions per size (default {DEFAULT_REPS}; --quick: {QUICK_REPS})")
    parser.add_argument("--databases", help="comma-separated: sqlite,postgres (default both; --quick: sqlite)")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_URL),
                        help="PostgreSQL server; the bench creates and drops test_<name> on it")
    parser.add_argument("--no-naive", action="store_true", help="skip yaml.load (the slowest reference)")
    parser.add_argument("--tracemalloc", help="files (size/form) or sizes that get one more POST under tracemalloc, "
                        "on the first database only (default typical/records,huge/records; --quick: typical/records)")
    parser.add_argument("--naive-huge", action="store_true",
                        help="also time yaml.load on the huge file (about 50 s and 2.4 GB on the CI machine)")
    parser.add_argument("--huge-csv-at-cap", action="store_true",
                        help="huge CSV near the 50 MB cap (1.4 M records) instead of the huge YAML's records")
    parser.add_argument("--data-only", action="store_true",
                        help="write the files to bench/results/data/ (for bench/profile_post.py) and stop")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "latest.json")
    args = parser.parse_args(argv)

    reps_text = args.reps or (QUICK_REPS if args.quick else DEFAULT_REPS)
    reps = {size: int(n) for size, n in (item.split("=") for item in reps_text.split(","))}
    sizes = tuple(s for s in args.sizes.split(",") if s)
    databases = [d for d in (args.databases or ("sqlite" if args.quick else "sqlite,postgres")).split(",") if d]
    started = time.perf_counter()

    print(f"Generating {', '.join(sizes)} files{' (quick: shrunk)' if args.quick else ''}...", file=sys.stderr)
    datasets = bench_datasets.datasets(sizes, quick=args.quick, csv_at_cap=args.huge_csv_at_cap)
    data_dir = RESULTS_DIR / ("data-quick" if args.quick else "data")  # profile_post.py reads data/
    write_data(datasets, data_dir)
    if args.data_only:
        print(f"files in {data_dir}", file=sys.stderr)
        return 0
    parameter_sets = {"default": bench_datasets.default_parameters(), "bench": bench_datasets.bench_parameters()}

    results = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "load_average_before": os.getloadavg(),
        "quick": args.quick,
        "reps": reps,
        "files": {},
        "post": {},
    }
    for dataset in datasets:
        naive = not args.no_naive and (dataset.size != "huge" or args.naive_huge or args.quick)
        entry = measure_in_process(dataset, parameter_sets[dataset.version], reps.get(dataset.size, 1), naive=naive)
        results["files"][dataset.name] = entry
        print(f"  in-process {dataset.name:16} floor {entry['floor_s']:.3f} s, parse {entry['parse_s']:.3f} s, "
              f"compute {entry['compute_s']:.3f} s", file=sys.stderr, flush=True)
    del datasets
    gc.collect()

    traced = args.tracemalloc if args.tracemalloc is not None else (
        "typical/records" if args.quick else "typical/records,huge/records")
    for position, database in enumerate(databases):
        url = args.pg_url if database == "postgres" else None
        results["post"][database] = run_post(database, url, data_dir, reps_text, traced if position == 0 else "")

    results["targets"] = verdicts(results)
    results["elapsed_s"] = time.perf_counter() - started
    results["load_average_after"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))

    print()
    print(table(results))
    print()
    if args.quick:
        print("  --quick: large and huge are shrunk (10 000 and 20 000 records); these verdicts are not the targets'")
    for verdict in results["targets"]:
        met = {True: "met", False: "NOT MET", None: "not measured"}[verdict["met"]]
        measured = "-" if verdict["measured"] is None else f"{verdict['measured']:.2f}"
        print(f"  [{met:>12}] {verdict['target']}: {measured} {verdict['unit']} (target {verdict['comparison']} {verdict['limit']})")
    print("\nload average " + " ".join(f"{x:.1f}" for x in results["load_average_before"]) + " before, "
          + " ".join(f"{x:.1f}" for x in results["load_average_after"]) + f" after, on {os.cpu_count()} CPUs")
    print(f"\n{results['elapsed_s']:.0f} s in all; figures in {args.out.relative_to(PROJECT_DIR)}"
          if args.out.is_relative_to(PROJECT_DIR) else f"\nfigures in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
