"""Where one POST's memory goes: RSS sampled every 10 ms, attributed to the phase running.

    .venv/bin/python bench/run.py --data-only
    .venv/bin/python bench/memory_phases.py --database postgres --file huge/records

Same setup as bench/post.py, in a fresh process. The phases are marked by wrapping
parse_analytics, compute and save_run (as services calls them) and the answer's cell
formatting; the peak RSS of each phase is printed as growth over the RSS before the request
and as a multiple of the file size. Sampling can miss spikes shorter than 10 ms; the
bench's own figure (VmHWM) does not.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import logging
import sys
import threading
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR.parent), str(BENCH_DIR)]

import post  # noqa: E402  (bench/post.py)


def rss_mb() -> float:
    return post._status_kb().get("VmRSS", 0) / 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=sorted(post.DEFAULT_URLS), default="postgres")
    parser.add_argument("--data-dir", type=Path, default=BENCH_DIR / "results" / "data")
    parser.add_argument("--file", default="huge/records")
    args = parser.parse_args(argv)
    index = {meta["name"]: meta for meta in json.loads((args.data_dir / "index.json").read_text())}
    meta = index[args.file]
    data = (args.data_dir / meta["file"]).read_bytes()
    connection, old_name = post.setup_database(args.database, post.DEFAULT_URLS[args.database])
    logging.getLogger("env5001.requests").setLevel(logging.WARNING)
    try:
        token, versions = post.prepare_app()
        poster = post.Poster(token, versions)
        from calculations import services
        from calculations.api import rendering

        phase, peaks = ["before"], {}

        def mark(owner, name: str, label: str) -> None:
            function = getattr(owner, name)

            @functools.wraps(function)
            def wrapper(*args, **kwargs):
                phase[0] = label
                try:
                    return function(*args, **kwargs)
                finally:
                    phase[0] = f"after {label}"

            setattr(owner, name, wrapper)

        mark(services, "parse_analytics", "parse")
        mark(services, "compute", "compute")
        mark(services, "save_run", "save")
        mark(rendering, "cells_json", "answer")
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                peaks[phase[0]] = max(peaks.get(phase[0], 0.0), rss_mb())
                time.sleep(0.01)

        gc.collect()
        base = rss_mb()
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        timing = poster.timed(meta, data)
        stop.set()
        sampler.join()
        size_mb = len(data) / 2**20
        print(f"{meta['name']} on {args.database}: {size_mb:.1f} MB file, {timing['seconds']:.1f} s, "
              f"RSS before {base:.0f} MB; peak growth per phase:")
        for label, peak in peaks.items():
            print(f"  {label:16} +{peak - base:6.0f} MB  {(peak - base) / size_mb:5.1f}x the file")
        print(f"  whole request (VmHWM) +{timing['rss_peak_delta_bytes'] / 2**20:.0f} MB  "
              f"{timing['rss_peak_delta_bytes'] / len(data):.1f}x the file")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
