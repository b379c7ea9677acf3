"""Concurrent uploads on the embedded SQLite database (docs/serving.md section 5): gunicorn workers writing
at once all save their runs whole, each waiting for the write lock in turn, and the ledger holds
(test_concurrency.py does the same on PostgreSQL, with more clients).

The server needs a database file of its own (pytest-django's SQLite test database lives in memory), set up
as scripts/run.sh does."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from .servers import PROJECT_DIR, post, server_environment
from .servers import gunicorn as serve
from .test_concurrency import upload

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded SQLite database")

CLIENTS = 12
UPLOADS = 36

MAKE_TOKEN = """
from django.contrib.auth import get_user_model
from knox.models import AuthToken
user = get_user_model().objects.create_user("analyst", password="analyst-password-1")
print(AuthToken.objects.create(user=user)[1])
"""

COUNT_RUNS = """
from calculations.models import Run
print(json.dumps(sorted([run.label, run.daily_results.count(), run.inferences] for run in Run.objects.all())))
"""


def manage(env: dict, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *arguments], cwd=PROJECT_DIR, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture
def sqlite_server(tmp_path):
    """gunicorn, 2 workers of 6 threads, on a fresh SQLite file set up as scripts/run.sh does; yields
    (port, token, environment)."""
    env = server_environment(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    for command in (["migrate", "--noinput"], ["createcachetable"], ["load_methodology", "config/"]):
        assert manage(env, *command).returncode == 0, command
    made = manage(env, "shell", "-c", MAKE_TOKEN)
    assert made.returncode == 0, made.stderr
    token = made.stdout.split()[-1]
    options = ("--workers", "2", "--worker-class", "gthread", "--threads", "6", "--timeout", "60")
    with serve(tmp_path / "gunicorn.log", env, *options) as port:
        yield port, token, env


def test_concurrent_uploads_on_sqlite_are_each_saved_whole_and_sealed(sqlite_server):
    port, token, env = sqlite_server

    def send(index: int) -> int:
        body, content_type, _, _ = upload(index)
        status, _ = post(port, f"/api/energy?label=upload-{index}", body,
                         {"Authorization": f"Token {token}", "Content-Type": content_type})
        return status

    with ThreadPoolExecutor(max_workers=CLIENTS) as clients:
        statuses = list(clients.map(send, range(UPLOADS)))

    assert statuses == [201] * UPLOADS, {status: statuses.count(status) for status in set(statuses)}
    stored = manage(env, "shell", "-c", "import json\n" + COUNT_RUNS)
    assert stored.returncode == 0, stored.stderr
    expected = sorted([f"upload-{index}", upload(index)[2], upload(index)[3]] for index in range(UPLOADS))
    assert json.loads(stored.stdout.splitlines()[-1]) == expected
    verified = manage(env, "verify_ledger")
    assert verified.returncode == 0, verified.stdout + verified.stderr
