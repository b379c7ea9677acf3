"""Load test: the app under gunicorn on 127.0.0.1, driven by concurrent clients for a bounded time.

    .venv/bin/python bench/load.py                       # 20 s, 4 clients, SQLite
    .venv/bin/python bench/load.py --database postgres --duration 30 --clients 8

What it does, all on the loopback interface:

1. a throwaway database: a fresh SQLite file under bench/results/, or the PostgreSQL
   database env5001_bench (dropped and created again, dropped at the end); `migrate`,
   `load_methodology config` (methodology v1 as shipped), a user and its DRF token;
2. gunicorn (`env5001site.wsgi`, `--workers 2` by default) on a free port of 127.0.0.1,
   with the production settings (DEBUG off; a random SECRET_KEY; no HTTPS redirect since
   the test speaks plain HTTP on loopback) and the API throttle raised out of the way;
3. `--clients` threads, each POSTing the typical file (5 profiles x 365 days, YAML
   records form, saving on) to /api/energy over http.client, back to back, for `--duration`
   seconds after a short warm-up;
4. requests per second, p50/p95/p99/max latency, and the errors (anything but 201, or a
   connection error); then gunicorn is stopped (SIGTERM to the process this script started)
   and the database removed. Figures also go to bench/results/load-<database>.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
sys.path[:0] = [str(PROJECT_DIR)]

HOST = "127.0.0.1"  # loopback only
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "env5001_bench"

SETUP = """
from django.contrib.auth import get_user_model
from knox.models import AuthToken
user = get_user_model().objects.create_user("load", password="load-password-1")
print(AuthToken.objects.create(user=user)[1])
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), round(fraction * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


class Database:
    """A throwaway database and the environment that points the app at it."""

    def __init__(self, kind: str, pg_server: str, conn_max_age: int | None):
        self.kind = kind
        self.pg_server = pg_server.rstrip("/")
        if kind == "sqlite":
            self.path = RESULTS_DIR / "load.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            self.url = f"{self.pg_server}/{PG_DATABASE}"
        if conn_max_age is not None:
            self.url += f"?conn_max_age={conn_max_age}"

    def _pg_admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.pg_server}/postgres", autocommit=True) as connection:
            connection.execute(statement)

    def create(self) -> None:
        if self.kind == "sqlite":
            RESULTS_DIR.mkdir(parents=True, exist_ok=True)
            self.drop()
        else:
            self._pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            self._pg_admin(f"CREATE DATABASE {PG_DATABASE}")

    def drop(self) -> None:
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        else:
            self._pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


def app_environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "env5001site.production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback
        "API_THROTTLE_USER": "1000000000/hour",  # a load test is not a throttling test
        "PYTHONUNBUFFERED": "1",
    })
    return env


def prepare(env: dict[str, str]) -> str:
    """Migrate, create the cache table, load methodology v1 from config/, create a user; returns its token."""
    manage = [sys.executable, str(PROJECT_DIR / "manage.py")]
    subprocess.run(manage + ["migrate", "--noinput", "-v", "0"], env=env, cwd=PROJECT_DIR, check=True)
    subprocess.run(manage + ["createcachetable"], env=env, cwd=PROJECT_DIR, check=True)  # the throttles' cache
    subprocess.run(manage + ["load_methodology", "config"], env=env, cwd=PROJECT_DIR, check=True,
                   stdout=subprocess.DEVNULL)
    done = subprocess.run(manage + ["shell", "-c", SETUP], env=env, cwd=PROJECT_DIR, check=True,
                          capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1]


def start_gunicorn(env: dict[str, str], port: int, workers: int, log_path: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn) if gunicorn.exists() else "gunicorn", "env5001site.wsgi",
               "--bind", f"{HOST}:{port}", "--workers", str(workers), "--timeout", "120"]
    log = open(log_path, "w")
    return subprocess.Popen(command, env=env, cwd=PROJECT_DIR, stdout=log, stderr=subprocess.STDOUT)


def post(connection: http.client.HTTPConnection, body: bytes, headers: dict) -> int:
    connection.request("POST", "/api/energy?label=load", body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    if response.getheader("Connection", "").lower() == "close":
        connection.close()
    return response.status


def wait_ready(port: int, token: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {process.returncode}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/api/methodology/versions", headers={"Authorization": f"Token {token}"})
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


def drive(port: int, token: str, body: bytes, clients: int, duration: float, warmup: float) -> dict:
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/yaml",
               "Content-Length": str(len(body))}
    start = time.monotonic()
    measure_from, stop_at = start + warmup, start + warmup + duration
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors: Counter = Counter()
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=120)
        mine, my_statuses, my_errors = [], Counter(), Counter()
        while True:
            sent = time.monotonic()
            if sent >= stop_at:
                break
            try:
                status = post(connection, body, headers)
            except (OSError, http.client.HTTPException) as error:
                status = None
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=120)
                if sent >= measure_from:
                    my_errors[type(error).__name__] += 1
            done = time.monotonic()
            if sent >= measure_from and done <= stop_at:
                if status is not None:
                    my_statuses[status] += 1
                    if status != 201:
                        my_errors[f"HTTP {status}"] += 1
                    mine.append(done - sent)
        connection.close()
        with lock:
            latencies.extend(mine)
            statuses.update(my_statuses)
            errors.update(my_errors)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    completed = len(latencies)
    return {
        "clients": clients,
        "duration_s": duration,
        "warmup_s": warmup,
        "requests": completed,
        "requests_per_s": completed / duration,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "max_ms": (latencies[-1] * 1000) if latencies else float("nan"),
        "mean_ms": (statistics.fmean(latencies) * 1000) if latencies else float("nan"),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": dict(errors),
        "error_count": sum(errors.values()),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Load test of POST /api/energy under gunicorn (see bench/README.md).")
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds (default 20)")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring (default 3)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--pg-server", default=os.environ.get("BENCH_PG_SERVER", PG_SERVER),
                        help=f"PostgreSQL server URL without database (default {PG_SERVER}); "
                             f"the script drops and creates {PG_DATABASE} on it")
    parser.add_argument("--conn-max-age", type=int,
                        help="CONN_MAX_AGE of the app's database connections (default: the app's, 60 s)")
    parser.add_argument("--out", type=Path, help="default: bench/results/load-<database>.json")
    args = parser.parse_args(argv)
    args.out = args.out or RESULTS_DIR / f"load-{args.database}.json"
    if not args.pg_server.startswith(("postgres://postgres@127.0.0.1", "postgres://postgres@localhost")) \
            and args.database == "postgres":
        print("warning: the PostgreSQL server is not on loopback", file=sys.stderr)

    from bench.datasets import datasets

    body = next(d for d in datasets(("typical",)) if d.form == "records").data
    database = Database(args.database, args.pg_server, args.conn_max_age)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    env = app_environment(database.url)
    process = None
    try:
        database.create()
        token = prepare(env)
        port = free_port()
        process = start_gunicorn(env, port, args.workers, RESULTS_DIR / "load-gunicorn.log")
        wait_ready(port, token, process)
        print(f"gunicorn on http://{HOST}:{port} ({args.workers} workers, {args.database}); "
              f"{args.clients} clients POST {len(body):,} bytes for {args.duration:.0f} s "
              f"after {args.warmup:.0f} s of warm-up...", file=sys.stderr, flush=True)
        figures = drive(port, token, body, args.clients, args.duration, args.warmup)
    finally:
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop; only the process started here
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        database.drop()
    figures.update({"database": args.database, "workers": args.workers, "body_bytes": len(body),
                    "conn_max_age": args.conn_max_age})
    args.out.write_text(json.dumps(figures, indent=2))
    print(f"{figures['requests']} requests in {args.duration:.0f} s: {figures['requests_per_s']:.1f} req/s; "
          f"latency p50 {figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms, "
          f"p99 {figures['p99_ms']:.0f} ms, max {figures['max_ms']:.0f} ms; "
          f"errors: {figures['error_count']} {figures['errors'] or ''}".rstrip())
    print(f"statuses: {figures['statuses']}; figures in {args.out}")
    return 1 if figures["error_count"] else 0


if __name__ == "__main__":
    sys.exit(main())
