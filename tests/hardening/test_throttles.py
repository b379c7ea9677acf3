"""Throttles and login lockouts counted once for all workers (issue 20, items 2 and 3).

Without a CACHES setting each process kept its own counts: 3 workers let 15 of 30 requests through a
5/minute limit. Here a real gunicorn with 3 worker processes shares the cache of production (the
database cache, the embedded default, and Redis), and each scenario sends its requests one after the
other from an address of its own (X-Forwarded-For, trusted with NUM_PROXIES=1)."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from urllib.parse import urlencode

import pytest

from .servers import PROJECT_DIR, gunicorn, server_environment

RATE = 5
REQUESTS = 30
WORKERS = 3
LOGIN_FAILURE_LIMIT = 3
PASSWORD = "analyst-password-1"
REDIS_URL = f"redis://127.0.0.1:6379/{os.environ.get('ENV5001_TEST_REDIS_DB', '5')}"


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="module", params=["database", "redis"])
def cache_url(request):
    if request.param == "redis":
        if not redis_answers():
            if os.environ.get("CI"):
                pytest.fail("Redis does not answer at 127.0.0.1:6379 (CI starts it)")
            pytest.skip("no Redis at 127.0.0.1:6379")
        return REDIS_URL
    return "dbcache://env5001_cache"


@pytest.fixture(scope="module")
def server_database(tmp_path_factory) -> tuple[str, str]:
    """(URL, the analyst's API token) of a migrated SQLite database of the servers' own, with the cache table.

    The servers share no data with the tests, only their cache: one file serves both database runs of CI."""
    url = f"sqlite:///{tmp_path_factory.mktemp('server') / 'server.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "env5001site.settings"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=PROJECT_DIR, env=env, check=True)
    setup = ("from django.core.management import call_command; from django.contrib.auth import get_user_model; "
             "from knox.models import AuthToken; call_command('createcachetable'); "
             f"user = get_user_model().objects.create_user('analyst', password={PASSWORD!r}); "
             "print(AuthToken.objects.create(user=user)[1])")
    output = subprocess.run([sys.executable, "manage.py", "shell", "-c", setup], cwd=PROJECT_DIR, env=env, check=True,
                            capture_output=True, text=True).stdout
    return url, output.split()[-1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, cache_url, server_database):
    database_url, token = server_database
    rate = f"{RATE}/minute"
    env = server_environment(
        DATABASE_URL=database_url, CACHE_URL=cache_url, CACHE_KEY_PREFIX=f"test-{uuid.uuid4().hex}", NUM_PROXIES="1",
        API_THROTTLE_USER=rate, API_THROTTLE_ANON=rate, API_THROTTLE_FAILED_TOKEN=rate, PAGE_THROTTLE_ANON=rate,
        PAGE_THROTTLE_USER="1000/minute", LOGIN_FAILURE_LIMIT=str(LOGIN_FAILURE_LIMIT),
    )
    log_path = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    with gunicorn(log_path, env, "--workers", str(WORKERS), "--access-logfile", "-",
                  "--access-logformat", "worker=%(p)s status=%(s)s") as port:
        yield Server(port, token, log_path)


class Server:
    def __init__(self, port: int, token: str, log_path):
        self.port, self.token, self.log_path = port, token, log_path

    def request(self, method: str, path: str, address: str, body: bytes | None = None, headers=None):
        """(status, headers, body) of one request from `address`."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers={"X-Forwarded-For": address, **(headers or {})})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def statuses(self, path: str, address: str, headers=None) -> list[int]:
        """Statuses of REQUESTS requests sent one after the other, answered by at least two workers.

        Sequential requests may all be accepted by one idle worker. So a connection is opened first and its
        request sent last: the worker that accepted it waits on it (a sync worker serves one connection at a
        time), the other requests go to the other workers, then it answers the last one."""
        held = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        held.connect()
        try:
            statuses = [self.request("GET", path, address, headers=headers)[0] for _ in range(REQUESTS - 1)]
            held.request("GET", path, headers={"X-Forwarded-For": address, **(headers or {})})
            response = held.getresponse()
            response.read()
            return statuses + [response.status]
        finally:
            held.close()

    def workers_that_answered(self, expected: int = 2) -> set[str]:
        """The process ids in the access log, read until `expected` of them are there or 10 s have passed: a
        worker writes its log line after sending the answer, so the last answer's line may still be coming."""
        deadline = time.monotonic() + 10
        while True:
            found = set(re.findall(r"worker=<?(\d+)>? status=", self.log_path.read_text()))
            if len(found) >= expected or time.monotonic() > deadline:
                return found
            time.sleep(0.05)


def test_an_api_user_gets_the_rate_across_all_workers(server):
    statuses = server.statuses("/api/runs", "192.0.2.1", {"Authorization": f"Token {server.token}"})
    assert statuses == [200] * RATE + [429] * (REQUESTS - RATE)
    assert len(server.workers_that_answered()) > 1


def test_wrong_tokens_are_counted_per_address_then_refused_with_429(server):
    statuses = server.statuses("/api/runs", "192.0.2.2", {"Authorization": "Token " + "0" * 64})
    assert statuses == [401] * RATE + [429] * (REQUESTS - RATE)
    # The address is refused whatever token it sends now, its right one too.
    status, headers, _ = server.request("GET", "/api/runs", "192.0.2.2", headers={"Authorization": f"Token {server.token}"})
    assert status == 429 and int(headers["Retry-After"]) > 0


def test_anonymous_api_requests_are_counted_before_their_401(server):
    assert server.statuses("/api/runs", "192.0.2.3") == [401] * RATE + [429] * (REQUESTS - RATE)


def test_pages_are_throttled_per_address(server):
    statuses = server.statuses("/accounts/login/", "192.0.2.4")
    assert statuses == [200] * RATE + [429] * (REQUESTS - RATE)


def test_a_login_lockout_holds_on_every_worker(server):
    address = "192.0.2.5"
    status, headers, page = server.request("GET", "/accounts/login/", address)
    csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    cookie = headers["Set-Cookie"].split(";")[0]

    def log_in(password: str) -> int:
        body = urlencode({"csrfmiddlewaretoken": csrf, "username": "analyst", "password": password}).encode()
        return server.request("POST", "/accounts/login/", address, body, {
            "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})[0]

    assert [log_in("wrong") for _ in range(LOGIN_FAILURE_LIMIT)] == [200] * (LOGIN_FAILURE_LIMIT - 1) + [429]
    assert log_in(PASSWORD) == 429


def test_a_chunked_body_is_refused_by_the_real_server_without_being_read(server):
    """gunicorn passes Transfer-Encoding to the app, which refuses a body whose size it cannot check first."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request("POST", "/api/energy", body=iter([b"date,profile,inferences\n"] * 3),
                     headers={"Authorization": f"Token {server.token}", "Content-Type": "text/csv",
                              "X-Forwarded-For": "192.0.2.6"}, encode_chunked=True)
        response = conn.getresponse()
        assert response.status == 411
        assert response.read().startswith(b'{"error": {"code": "length_required"')
    finally:
        conn.close()
