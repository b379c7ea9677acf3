"""A real gunicorn serving the app on 127.0.0.1, for the tests that need several processes
(test_concurrency.py, test_throttles.py). It is stopped, by its process id, when the test ends.

TEST_SERVER_PORTS=8150-8159 keeps the servers to a range of ports (machines shared by several runs);
by default the system picks a free port."""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.db import connection

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    allowed = os.environ.get("TEST_SERVER_PORTS", "")
    if allowed:
        first, _, last = allowed.partition("-")
        for port in range(int(first), int(last or first) + 1):
            if _bindable(port):
                return port
        raise RuntimeError(f"no free port in TEST_SERVER_PORTS={allowed}")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url() -> str:
    """The URL of the PostgreSQL test database pytest-django created (not the one DATABASE_URL names)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


def server_environment(**overrides: str) -> dict:
    """The production settings' environment for a server on 127.0.0.1 (no TLS redirect)."""
    return {
        **{key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "env5001site.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "INFO",
        **overrides,
    }


@contextlib.contextmanager
def gunicorn(log_path: Path, env: dict, *options: str):
    """gunicorn serving env5001site.wsgi with `env` and `options`; yields its port once it answers."""
    port = free_port()
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "env5001site.wsgi", "--bind", f"127.0.0.1:{port}", *options],
            cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, "gunicorn exited:\n" + log_path.read_text()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/server-probe")  # no view: counted by no throttle, answered 404
                if conn.getresponse().status == 404:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not answer in 60 s:\n" + log_path.read_text()
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def post(port: int, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST `body` to the server on 127.0.0.1:`port` on a connection of its own: (status, answer's bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()
