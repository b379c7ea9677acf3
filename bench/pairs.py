"""Two checkouts' whole POST in interleaved pairs: the ratio of their times on a machine whose speed drifts.

    git worktree add ../before <commit> && cp -a .venv ../before/ \\
        && ../before/.venv/bin/python -m pip install --no-deps -e ../before
    .venv/bin/python bench/run.py --data-only --sizes typical          # the files, read by both sides
    .venv/bin/python bench/pairs.py --before ../before --database postgres --pairs 60

Each side is a process of its own checkout (its own venv and throwaway database, set up as bench/post.py
does, three warm-up requests), waiting for a word on its standard input to POST the file once. The driver
asks them in turn (A B, B A, A B, ...) and reports each side's median and the median of the pairs' ratios
(after / before): a machine that slows down for a minute slows both sides of the pairs taken in it, where
two runs of bench/run.py minutes apart can differ by 30 % (bench/README.md, "Fifth session of 2026-11-27").
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent


def serve(root: Path, database: str, url: str, file: str) -> None:
    """The child: set up as bench/post.py, then one timed POST per "go" line, its figures as a JSON line."""
    import logging

    sys.path[:0] = [str(root)]
    from bench.post import Poster, prepare_app, setup_database

    connection, old_name = setup_database(database, url)
    logging.getLogger("env5001.requests").setLevel(logging.WARNING)
    try:
        token, versions = prepare_app()
        poster = Poster(token, versions)
        index = {meta["name"]: meta for meta in json.loads((BENCH_DIR / "results/data/index.json").read_text())}
        meta = index[file]
        data = (BENCH_DIR / "results/data" / meta["file"]).read_bytes()
        for _ in range(3):
            poster.timed(meta, data)
        print("ready", flush=True)
        for line in sys.stdin:
            if line.strip() != "go":
                break
            figures = poster.timed(meta, data)
            print(json.dumps({"seconds": figures["seconds"], "cpu_seconds": figures["cpu_seconds"],
                              "queries": figures["queries"]}), flush=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def start(side: str, root: Path, database: str, file: str) -> subprocess.Popen:
    url = (f"postgres://postgres@127.0.0.1:5432/env5001_pairs_{side}" if database == "postgres"
           else f"sqlite:///{BENCH_DIR / 'results' / f'pairs_{side}.sqlite3'}")
    child = subprocess.Popen(
        [str(root / ".venv/bin/python"), str(Path(__file__).resolve()), "--serve", str(root), "--database", database,
         "--url", url, "--file", file],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    if child.stdout.readline().strip() != "ready":
        raise RuntimeError(f"the {side} side ({root}) did not start: run it with --serve to see why")
    return child


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="the checkout to compare with (its .venv beside its code)")
    parser.add_argument("--after", type=Path, default=PROJECT_DIR)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--pairs", type=int, default=60)
    parser.add_argument("--file", default="typical/records")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, args.database, args.url, args.file)
        return 0
    if args.before is None:
        parser.error("--before is required")
    sides = {"before": start("before", args.before.resolve(), args.database, args.file),
             "after": start("after", args.after.resolve(), args.database, args.file)}
    figures: dict[str, list[dict]] = {"before": [], "after": []}
    try:
        for pair in range(args.pairs):
            for side in ("before", "after") if pair % 2 == 0 else ("after", "before"):
                sides[side].stdin.write("go\n")
                sides[side].stdin.flush()
                figures[side].append(json.loads(sides[side].stdout.readline()))
    finally:
        for child in sides.values():
            child.stdin.close()
            child.wait()
    ratios = [after["seconds"] / before["seconds"] for before, after in zip(figures["before"], figures["after"])]
    cpu = [after["cpu_seconds"] / before["cpu_seconds"] for before, after in zip(figures["before"], figures["after"])]
    quartiles = statistics.quantiles(ratios, n=4)
    for side in ("before", "after"):
        runs = figures[side]
        print(f"{side}: median {statistics.median(r['seconds'] for r in runs) * 1000:.1f} ms wall, "
              f"{statistics.median(r['cpu_seconds'] for r in runs) * 1000:.1f} ms CPU, {runs[0]['queries']} statements")
    print(f"{args.file} on {args.database}, {args.pairs} pairs: after / before {statistics.median(ratios):.3f} "
          f"(quartiles {quartiles[0]:.3f} to {quartiles[2]:.3f}), CPU {statistics.median(cpu):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
