"""The Django half of the benchmark: the whole POST /api/energy, one database per process.

Run by bench/run.py as a subprocess (one per database), never imported by the app:

    python bench/post.py --database sqlite --data-dir bench/results/data --reps typical=5,large=3,huge=1 --out f.json

It sets DATABASE_URL before django.setup(), creates a throwaway test database
(`create_test_db(keepdb=False)`; on PostgreSQL `test_env5001_bench`, on SQLite a file
under bench/results/), publishes the default methodology (config/, v1) and the
500-profile bench methodology (v2, `create_version_from_parameters` + `publish_version`),
then POSTs each file through the Django test client with a DRF token, saving on.

The body reaches the view without the test client's extra copy: `wsgi.input` is a
BytesIO over the file's bytes, which CPython hands back without copying when it is
read whole, as Django's LimitedStream does. So the memory figures are the server's:
a real server (gunicorn) also holds the body once.

Before the files, three small requests per methodology version warm the caches. Per
file it reports the median wall time and process CPU time of the timed repetitions (for the typical
files also with the Monte Carlo's kept draws emptied before each request: `post_cold_draws_s`); the SQL statements of each
request (CaptureQueriesContext: Django's debug cursor records COPY too); the growth of the
process's peak RSS during the request (the kernel's high-water mark VmHWM is reset through
/proc/self/clear_refs just before, so VmHWM after the request minus the RSS before it is this
request's own peak; the plain ru_maxrss delta is kept too, but it only moves when a request
beats the process's earlier peak, which for a child includes its parent's at fork); and, for the sizes given
to --tracemalloc (default: typical/records and huge/records), tracemalloc's peak over one more, untimed, request (Python allocations only).
For a YAML file, the floor (libyaml's event stream, as bench/run.py times it) is also timed in this
process just before each POST, and the median of the POST / floor ratios of those pairs is reported
(`post_vs_floor_paired`, in wall and CPU time).
The request log middleware's INFO line is silenced (WARNING) to keep the output readable.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import logging
import os
import resource
import signal
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
sys.path[:0] = [str(PROJECT_DIR)]

DEFAULT_URLS = {
    "sqlite": f"sqlite:///{BENCH_DIR / 'results' / 'bench.sqlite3'}",
    "postgres": "postgres://postgres@127.0.0.1:5432/env5001_bench",
}


def _status_kb() -> dict[str, int]:
    values = {}
    try:
        with open("/proc/self/status") as status:
            for line in status:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    values[key] = int(rest.split()[0])
    except OSError:
        pass
    return values


def _reset_peak_rss() -> bool:
    """Reset the kernel's RSS high-water mark (Linux >= 4.0); False when not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
        return True
    except OSError:
        return False


def _maxrss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


class Poster:
    def __init__(self, token: str, versions: dict[str, int]):
        from django.test import Client

        self.client = Client()
        self.token = token
        self.versions = versions

    def post(self, meta: dict, data: bytes) -> tuple[int, int]:
        """One POST; returns (status, response bytes), the response read whole (or streamed through)."""
        response = self.client.generic(
            "POST",
            f"/api/energy?version={self.versions[meta['version']]}&label=bench",
            data=b"",
            content_type=meta["content_type"],
            **{
                "wsgi.input": io.BytesIO(data),
                "CONTENT_LENGTH": str(len(data)),
                "CONTENT_TYPE": meta["content_type"],
                "HTTP_AUTHORIZATION": f"Token {self.token}",
            },
        )
        if response.streaming:
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
        status = response.status_code
        response.close()
        return status, size

    def timed(self, meta: dict, data: bytes, cold_draws: bool = False) -> dict:
        """One POST: wall time, SQL statements (COPY included) and the growth of the process's peak RSS.
        `cold_draws`: the Monte Carlo draws the worker keeps between uploads are emptied first."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        if cold_draws:
            try:
                from calculations.engine.draw_cache import DRAWS
            except ImportError:  # an older checkout (bench/README.md, "Before and after"): nothing kept
                pass
            else:
                DRAWS.clear()
        gc.collect()
        reset = _reset_peak_rss()
        rss_before = _status_kb().get("VmRSS", 0)
        maxrss_before = _maxrss_kb()
        with CaptureQueriesContext(connection) as captured:  # Django's debug cursor records COPY too
            start, cpu_start = time.perf_counter(), time.process_time()
            status, size = self.post(meta, data)
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        maxrss_after = _maxrss_kb()
        hwm_after = _status_kb().get("VmHWM")
        if status != 201:
            raise RuntimeError(f"{meta['name']}: POST answered {status}")
        return {
            "seconds": elapsed,
            # CPU time of this process (the database server's, on PostgreSQL, is not in it): steadier
            # than wall time on a shared machine.
            "cpu_seconds": cpu,
            "response_bytes": size,
            "queries": len(captured.captured_queries),
            # The high-water mark (VmHWM) was reset just before: this request's own peak over the RSS it
            # started from. (Not ru_maxrss: it also keeps the peak the parent had when it forked us.)
            "rss_peak_delta_bytes": (hwm_after - rss_before) * 1024 if reset and hwm_after else None,
            # The plain ru_maxrss delta: zero when this request stays under an earlier peak of the process.
            "maxrss_delta_bytes": (maxrss_after - maxrss_before) * 1024,
        }

    def traced(self, meta: dict, data: bytes) -> int:
        """tracemalloc's peak over one POST (Python allocations only; slower, so never timed)."""
        gc.collect()
        tracemalloc.start()
        base, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        status, _ = self.post(meta, data)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        if status != 201:
            raise RuntimeError(f"{meta['name']}: POST answered {status}")
        return peak - base


def yaml_floor(data: bytes) -> tuple[float, float]:
    """bench/run.py's floor (libyaml's event stream of `data`, `floor_yaml`), timed here: (wall, CPU) seconds."""
    from bench.run import floor_yaml

    gc.collect()
    start, cpu_start = time.perf_counter(), time.process_time()
    floor_yaml(data)
    return time.perf_counter() - start, time.process_time() - cpu_start


def setup_database(database: str, url: str):
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "env5001site.settings"
    os.environ.setdefault("API_THROTTLE_USER", "1000000000/hour")  # the bench is not a throttling test
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)
    if database == "sqlite":
        # A file, as in production, not Django's default in-memory test database.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(BENCH_DIR / "results" / "test_bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    return connection, old_name


def prepare_app() -> tuple[str, dict[str, int]]:
    """Methodology v1 (config/) and the 500-profile bench version, a user and its API token."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    from bench.datasets import CONFIG_DIR, bench_parameters
    from methodology.services import create_version_from_parameters, load_methodology, publish_version

    default, _ = load_methodology(CONFIG_DIR)
    draft = create_version_from_parameters(bench_parameters(), label="Benchmark: 500 usage profiles", parent=default)
    bench = publish_version(draft)
    user = get_user_model().objects.create_user("bench", password="bench-password-1")
    if apps.is_installed("knox"):
        from knox.models import AuthToken

        _, token = AuthToken.objects.create(user=user)
    else:  # an older checkout, before knox tokens: DRF's own, sent in the same header
        from rest_framework.authtoken.models import Token

        token = Token.objects.create(user=user).key
    return token, {"default": default.number, "bench": bench.number}


WARM_UP = {  # one small request per methodology version: caches, first-query costs, imports
    "default": b"date,profile,inferences,input_tokens,output_tokens\n2025-01-01,chatbot,10,,\n",
    "bench": b"date,profile,inferences,input_tokens,output_tokens\n2025-01-01,p000,10,,\n2025-01-01,p499,5,,\n",
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=sorted(DEFAULT_URLS), required=True)
    parser.add_argument("--url", help="DATABASE_URL (default: %s)" % DEFAULT_URLS)
    parser.add_argument("--data-dir", type=Path, required=True, help="written by run.py: index.json + files")
    parser.add_argument("--reps", default="typical=5,large=3,huge=1")
    parser.add_argument("--only", default="", help="comma-separated dataset names (size/form) to run")
    parser.add_argument("--tracemalloc", default="typical/records,huge/records",
                        help="files (size/form) or sizes that get one more request under tracemalloc ('' for none)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    reps = {size: int(n) for size, n in (item.split("=") for item in args.reps.split(","))}
    traced = {name for name in args.tracemalloc.split(",") if name}
    index = json.loads((args.data_dir / "index.json").read_text())
    only = {name for name in args.only.split(",") if name}
    # bench/run.py stops this process with SIGTERM on Ctrl-C: still drop the test database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    connection, old_name = setup_database(args.database, args.url or DEFAULT_URLS[args.database])
    logging.getLogger("env5001.requests").setLevel(logging.WARNING)  # one log line per request: noise here
    results = {"database": args.database, "vendor": connection.vendor, "files": {}}
    try:
        token, versions = prepare_app()
        poster = Poster(token, versions)
        for version, body in WARM_UP.items():
            for _ in range(3):
                poster.timed({"name": f"warm-up {version}", "version": version, "content_type": "text/csv"}, body)
        from calculations.models import Run

        for meta in index:
            if only and meta["name"] not in only:
                continue
            data = (args.data_dir / meta["file"]).read_bytes()
            started = time.perf_counter()
            runs, floors = [], []
            for _ in range(max(1, reps.get(meta["size"], 1))):
                if meta["content_type"] == "application/yaml":
                    floors.append(yaml_floor(data))  # just before each POST, in this process
                runs.append(poster.timed(meta, data))
            entry = {
                "post_s": statistics.median(run["seconds"] for run in runs),
                "post_all_s": [run["seconds"] for run in runs],
                "post_cpu_s": statistics.median(run["cpu_seconds"] for run in runs),
                "response_bytes": runs[0]["response_bytes"],
                "queries": sorted({run["queries"] for run in runs}),
                "rss_peak_delta_bytes": max((run["rss_peak_delta_bytes"] or 0) for run in runs)
                if runs[0]["rss_peak_delta_bytes"] is not None else None,
                "maxrss_delta_bytes": max(run["maxrss_delta_bytes"] for run in runs),
                "tracemalloc_peak_bytes": poster.traced(meta, data)
                if traced & {meta["size"], meta["name"]} else None,
            }
            if floors:
                # Each POST over the floor timed just before it in the same process: on a machine whose
                # speed moves between processes and moments, the ratio of one pair is the steadier figure.
                entry["floor_paired_s"] = statistics.median(wall for wall, _ in floors)
                entry["post_vs_floor_paired"] = statistics.median(
                    run["seconds"] / wall for run, (wall, _) in zip(runs, floors))
                entry["post_vs_floor_paired_cpu"] = statistics.median(
                    run["cpu_seconds"] / cpu for run, (_, cpu) in zip(runs, floors))
            if meta["size"] == "typical":
                # The same upload with the worker's kept Monte Carlo draws emptied first
                # (calculations/engine/draw_cache.py): the first upload of a worker or of a version.
                cold = [poster.timed(meta, data, cold_draws=True) for _ in range(max(1, reps.get(meta["size"], 1)))]
                entry["post_cold_draws_s"] = statistics.median(run["seconds"] for run in cold)
                entry["post_cold_draws_cpu_s"] = statistics.median(run["cpu_seconds"] for run in cold)
            results["files"][meta["name"]] = entry
            print(f"  {args.database:8} {meta['name']:16} POST median {entry['post_s']:.3f} s "
                  f"({len(runs)} reps, {time.perf_counter() - started:.0f} s in all)", file=sys.stderr, flush=True)
            Run.objects.all().delete()  # the same database size for every file
            del data
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    args.out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
