"""Concurrency and faults on PostgreSQL (skipped on SQLite, which serialises writers).

- The app served by a real gunicorn (production settings, threaded workers) on 127.0.0.1, against
  the test database: 20 client threads send 200 uploads. Every 201 has its run saved whole, there are
  as many runs as 201s, no 5xx, and the server's request log has one line per upload and none of the
  analytics.
- A database error injected in the middle of a save leaves no partial run and no seal, on every path.
- The concurrent uploads are sealed in one unbroken chain (audit.ledger's advisory lock, across worker
  processes), which verify_ledger checks.

Concurrent publishes of methodology versions never sharing a number is proven by
tests/methodology/test_methodology_publish.py::test_concurrent_publishers_get_distinct_consecutive_numbers.
"""

from __future__ import annotations

import io
import json
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, OperationalError, connection

from audit.models import LedgerEntry
from audit.verification import verify_ledger
from calculations.models import DailyResult, ProfileResult, Run

from .servers import gunicorn as serve
from .servers import post, server_environment, test_database_url

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="concurrency and fault tests run on PostgreSQL (DATABASE_URL=postgres://...)"),
    pytest.mark.django_db(transaction=True),
]

CLIENTS = 20
UPLOADS = 200
PROFILES = ("chatbot", "completion", "summary")
MARKER = uuid.uuid4().hex  # in every YAML upload's comments: must not reach the server's logs


def upload(index: int) -> tuple[bytes, str, int, int]:
    """Upload number `index`: (body, content type, its (day, profile) cells, its inferences), varied in
    size and format so that workers interleave big and small saves."""
    days = 1 + index * 7 % 90
    profiles = PROFILES[: 1 + index % 3]
    cells = [(f"2025-{1 + d // 28:02d}-{1 + d % 28:02d}", p, 10 + index + d) for d in range(days) for p in profiles]
    if index % 2:
        rows = "".join(f"{day},{p},{n}\n" for day, p, n in cells)
        return f"date,profile,inferences\n{rows}".encode(), "text/csv", len(cells), sum(n for *_, n in cells)
    records = "".join(f"  - {{date: {day}, profile: {p}, inferences: {n}}}  # {MARKER}\n" for day, p, n in cells)
    return f"# {MARKER}\nrecords:\n{records}".encode(), "application/yaml", len(cells), sum(n for *_, n in cells)




@pytest.fixture
def gunicorn(tmp_path):
    """gunicorn serving env5001site.wsgi with the production settings on 127.0.0.1, threaded workers,
    against the test database and its cache table (the default cache). Yields (port, path of its log)."""
    call_command("createcachetable", "env5001_cache")
    log_path = tmp_path / "gunicorn.log"
    env = server_environment(DATABASE_URL=test_database_url())
    with serve(log_path, env, "--workers", "2", "--worker-class", "gthread", "--threads", "6", "--timeout", "60") as port:
        yield port, log_path


@pytest.fixture
def token(methodology_v1, analyst):
    from knox.models import AuthToken

    return AuthToken.objects.create(user=analyst)[1]


def test_concurrent_uploads_through_gunicorn_are_each_saved_whole(gunicorn, token):
    port, log_path = gunicorn

    def send(index: int) -> tuple[int, int, int | None]:
        body, content_type, _, _ = upload(index)
        status, payload = post(port, f"/api/energy?label=upload-{index}", body,
                               {"Authorization": f"Token {token}", "Content-Type": content_type})
        run_id = json.loads(payload)["run"]["id"] if status == 201 else None
        return index, status, run_id

    with ThreadPoolExecutor(max_workers=CLIENTS) as clients:
        answers = list(clients.map(send, range(UPLOADS)))

    statuses = [status for _, status, _ in answers]
    server_log = log_path.read_text()
    assert not [s for s in statuses if s >= 500], server_log[-3000:]
    assert statuses.count(201) == UPLOADS, {s: statuses.count(s) for s in set(statuses)}
    created = {run_id: index for index, status, run_id in answers if status == 201}
    assert len(created) == statuses.count(201), "two uploads got the same run"
    assert Run.objects.count() == statuses.count(201)
    for run in Run.objects.all():
        index = created[run.pk]
        _, _, cells, inferences = upload(index)
        assert run.label == f"upload-{index}"
        assert run.daily_results.count() == cells
        assert run.inferences == inferences
        assert sum(run.daily_results.values_list("inferences", flat=True)) == inferences
        assert run.profile_results.count() == 1 + index % 3
    # The server's structured request log: one line per upload, and never the analytics.
    assert server_log.count("method=POST path=/api/energy query=label status=201") == UPLOADS
    assert MARKER not in server_log
    # Two worker processes sealed them in one chain (the advisory lock holds across processes): one entry a
    # run, positions 1..N without a gap or fork, and verify_ledger recomputes every seal and run.
    assert sorted(LedgerEntry.objects.filter(kind="run").values_list("object_id", flat=True)) == sorted(created)
    assert list(LedgerEntry.objects.values_list("position", flat=True)) == list(range(1, UPLOADS + 2))
    assert verify_ledger(record=False) == ([], UPLOADS + 1)


# --------------------------------------------------------------------------- a database error mid-save


def days_csv(days: int) -> bytes:
    first = date(2025, 1, 1)
    rows = (f"{first + timedelta(days=offset)},chatbot,{offset + 1}\n" for offset in range(days))
    return b"date,profile,inferences\n" + "".join(rows).encode()


CSV = days_csv(28)  # under bulk.ORM_MAX_ROWS: one INSERT through the ORM


class FailDailyRowsInsert:
    """An execute wrapper that fails the INSERT (or COPY) of the daily rows: the run's own row and
    its profile rows are already written in the transaction by then."""

    def __init__(self):
        self.failed = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("INSERT", "COPY")) and DailyResult._meta.db_table in sql:
            self.failed += 1
            raise OperationalError("injected: server closed the connection unexpectedly")
        return execute(sql, params, many, context)


def send_api(token_client, web_client):
    return token_client.post("/api/energy", data=CSV, content_type="text/csv").status_code


def send_web(token_client, web_client):
    upload = SimpleUploadedFile("a.csv", CSV, "text/csv")
    return web_client.post("/runs/new", {"analytics_file": upload, "version": "1"}).status_code


def send_cli(token_client, web_client):
    stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(CSV))
    try:
        call_command("compute_energy", "-", "--save", stdout=io.StringIO(), stderr=io.StringIO())
    except DatabaseError:
        return "error"
    finally:
        sys.stdin = stdin
    return "saved"


@pytest.mark.parametrize(("send", "failed_answer", "good_answer"), [
    (send_api, 500, 201), (send_web, 500, 302), (send_cli, "error", "saved"),
], ids=["api", "web-form", "cli"])
def test_a_database_error_during_the_save_leaves_no_partial_run(send, failed_answer, good_answer, methodology_v1,
                                                                token_client, web_client):
    token_client.raise_request_exception = False
    web_client.raise_request_exception = False
    fault = FailDailyRowsInsert()
    with connection.execute_wrapper(fault):
        assert send(token_client, web_client) == failed_answer
    assert fault.failed == 1
    assert (Run.objects.count(), ProfileResult.objects.count(), DailyResult.objects.count()) == (0, 0, 0)
    assert not LedgerEntry.objects.filter(kind="run").exists()
    # The connection is usable again and the next upload is saved whole.
    assert send(token_client, web_client) == good_answer
    assert Run.objects.get().daily_results.count() == 28


def test_a_database_error_during_a_bulk_save_leaves_no_partial_run(methodology_v1, token_client):
    """Over bulk.ORM_MAX_ROWS cells the daily rows go by COPY (PostgreSQL) or executemany (SQLite)."""
    token_client.raise_request_exception = False
    data = days_csv(400)
    fault = FailDailyRowsInsert()
    with connection.execute_wrapper(fault):
        assert token_client.post("/api/energy", data=data, content_type="text/csv").status_code == 500
    assert fault.failed == 1
    assert (Run.objects.count(), ProfileResult.objects.count(), DailyResult.objects.count()) == (0, 0, 0)
    assert token_client.post("/api/energy", data=data, content_type="text/csv").status_code == 201
    assert Run.objects.get().daily_results.count() == 400
