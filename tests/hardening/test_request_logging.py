"""Structured request logs (calculations.middleware): one logfmt line per request, never the upload,
never a query value, and no line a crafted URL can forge."""

from __future__ import annotations

import logging
import re
import uuid

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from .conftest import GOOD_CSV

LOGGER = "env5001.requests"
LINE = re.compile(
    r"method=(?P<method>\S+) path=(?P<path>\S+) query=(?P<query>\S+) status=(?P<status>\d{3}) "
    r"duration_ms=(?P<duration_ms>\d+\.\d) user=(?P<user>\S+) request_bytes=(?P<request_bytes>\S+) "
    r"response_bytes=(?P<response_bytes>\S+)"
)


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.DEBUG)

    def lines() -> list[dict]:
        records = [r for r in caplog.records if r.name == LOGGER]
        parsed = []
        for record in records:
            match = LINE.fullmatch(record.getMessage())
            assert match, f"not a request log line: {record.getMessage()!r}"
            parsed.append({**match.groupdict(), "level": record.levelname})
        return parsed

    return lines


def test_the_request_log_middleware_is_the_outermost(settings):
    assert settings.MIDDLEWARE[0] == "calculations.middleware.RequestLogMiddleware"


def test_one_line_per_request_with_method_path_status_duration_user_and_sizes(token_client, analyst, request_log,
                                                                               methodology_v1):
    response = token_client.post("/api/energy?label=x&region=france", data=GOOD_CSV, content_type="text/csv")
    assert response.status_code == 201
    [line] = request_log()
    assert line["method"] == "POST" and line["path"] == "/api/energy" and line["status"] == "201"
    assert line["query"] == "label,region"
    assert line["user"] == str(analyst.pk)
    assert line["request_bytes"] == str(len(GOOD_CSV))
    assert line["response_bytes"] == str(len(response.content))
    assert float(line["duration_ms"]) > 0
    assert line["level"] == "INFO"


def test_neither_the_upload_nor_query_values_nor_file_names_are_logged(token_client, web_client, request_log,
                                                                       methodology_v1, caplog):
    marker = uuid.uuid4().hex
    body = f"# {marker}\n".encode() + GOOD_CSV
    token_client.post(f"/api/energy?label={marker}", data=body, content_type="text/csv")
    token_client.post("/api/energy", {"analytics_file": SimpleUploadedFile(f"{marker}.csv", body, "text/csv"),
                                      "label": marker}, format="multipart")
    web_client.post("/runs/new", {"analytics_file": SimpleUploadedFile(f"{marker}.csv", body), "version": "1",
                                  "label": marker})
    assert len(request_log()) == 3
    assert marker not in caplog.text


def test_anonymous_requests_are_logged_without_a_user(client, request_log, db):
    client.get("/api/runs")
    [line] = request_log()
    assert (line["status"], line["user"]) == ("401", "-")


def test_a_crafted_path_cannot_forge_a_log_line(client, request_log, db):
    client.get("/api/runs%0Amethod=GET path=/forged status=200")
    [line] = request_log()
    assert "\n" not in line["path"] and " " not in line["path"]
    assert line["path"].startswith("/api/runs%0A")


def test_a_server_error_is_logged_at_error_level(token_client, request_log, methodology_v1, monkeypatch):
    from calculations import services

    monkeypatch.setattr(services, "evaluate_upload", lambda *a, **k: 1 / 0)
    token_client.raise_request_exception = False
    assert token_client.post("/api/energy", data=GOOD_CSV, content_type="text/csv").status_code == 500
    [line] = request_log()
    assert (line["status"], line["level"]) == ("500", "ERROR")


def test_a_streamed_response_is_logged_without_reading_it(token_client, request_log, methodology_v1):
    run = token_client.post("/api/energy", data=GOOD_CSV, content_type="text/csv").json()["run"]["id"]
    response = token_client.get(f"/api/runs/{run}/daily.csv")
    assert response.streaming
    assert request_log()[-1]["response_bytes"] == "-"


def test_the_request_logger_takes_its_level_from_the_settings():
    """REQUEST_LOG_LEVEL reaches the settings (tests/env5001site/test_settings.py); here the logger obeys them."""
    import logging

    assert logging.getLogger(LOGGER).level == logging.getLevelName(settings.LOGGING["loggers"][LOGGER]["level"])
