"""The bad-input corpus (bad_inputs/, one case per file, expectations in bad_inputs/expected.yaml).

Every case goes through the three upload paths: the API's multipart field, the API's raw body and
the web form. Each must be refused with its precise status, error code and place in the file; no
run is saved, no temporary or media file is written, and the next good request on the same path
still succeeds.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from calculations.models import DailyResult, Run

from .conftest import BAD_INPUTS, GOOD_CELLS, GOOD_CSV

EXPECTED: dict[str, dict] = yaml.safe_load((BAD_INPUTS / "expected.yaml").read_text())

# Cases too large (or too silly) to keep in git, made at test time.
GENERATED = {
    "deep-nesting.json": lambda: b"[" * 100_000 + b"]" * 100_000,
    "deep-nesting-yaml.yaml": lambda: b"a: " + b"[" * 10_000 + b"]" * 10_000,
    "very-long-line.csv": lambda: b"date,profile,inferences\n2025-01-01,chatbot," + b"9" * 1_000_000 + b"\n",
}
RAW_TYPES = {".yaml": "application/yaml", ".json": "application/json", ".csv": "text/csv"}
PATHS = ("api-multipart", "api-raw", "web-form")


def case_bytes(name: str) -> bytes:
    return GENERATED[name]() if name in GENERATED else (BAD_INPUTS / name).read_bytes()


def raw_type(name: str) -> str:
    expected = EXPECTED[name]
    return expected.get("raw_type") or RAW_TYPES[name[name.rindex("."):]]


@pytest.fixture
def send(token_client, web_client, methodology_v1):
    """send(path, name, data) -> response, through one of the three upload paths."""

    def _send(path: str, name: str, data: bytes):
        if path == "api-multipart":
            upload = SimpleUploadedFile(name, data, "application/octet-stream")
            return token_client.post("/api/energy", {"analytics_file": upload}, format="multipart")
        if path == "api-raw":
            return token_client.post("/api/energy", data=data, content_type=raw_type(name) if name in EXPECTED
                                     else RAW_TYPES[name[name.rindex("."):]])
        upload = SimpleUploadedFile(name, data, "application/octet-stream")
        return web_client.post("/runs/new", {"analytics_file": upload, "version": "1", "region": "", "label": "",
                                             "profile": ""})

    return _send


def assert_good_request_succeeds(send, path: str) -> None:
    response = send(path, "good.csv", GOOD_CSV)
    assert response.status_code == (302 if path == "web-form" else 201), response.content[:500]
    run = Run.objects.get()
    assert run.daily_results.count() == GOOD_CELLS


def test_every_corpus_file_has_one_expectation_and_every_expectation_a_file():
    files = {p.name for p in BAD_INPUTS.iterdir() if p.name != "expected.yaml"}
    assert files | set(GENERATED) == set(EXPECTED)
    assert not files & set(GENERATED)
    assert all(EXPECTED[name].get("generated") for name in GENERATED)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_is_refused_precisely_and_leaves_nothing(send, path, name, isolated_tempdir):
    expected = EXPECTED[name]
    response = send(path, name, case_bytes(name))

    assert response.status_code == expected["status"], response.content[:800]
    if path == "web-form":
        # The page's issues (context) are the parser's, with their places; the page shows each one.
        html = unescape(response.content.decode())
        issues = response.context["issues"]
        if not issues:  # refused before the parser (an empty file): the message is on the file field
            assert "line" not in expected and "path" not in expected
            assert expected["message"] in html
        else:
            first = issues[0]
            assert (first.line, first.path) == (expected.get("line"), expected.get("path"))
            assert expected.get("message", "") in first.message
            for issue in issues:
                assert issue.message in html
                assert issue.path is None or issue.path in html
    else:
        error = response.json()["error"]
        assert error["code"] == expected["code"]
        assert expected.get("message", "") in error["message"]
        if error["details"] or "line" in expected or "path" in expected:
            first = error["details"][0]
            assert first["line"] == expected.get("line")
            assert first["path"] == expected.get("path")
            assert expected.get("message", "") in first["message"]
    assert not Run.objects.exists() and not DailyResult.objects.exists()
    assert isolated_tempdir.written() == []

    assert_good_request_succeeds(send, path)


def test_the_python_object_tag_is_never_constructed(send, isolated_tempdir, monkeypatch):
    """The `!!python/object/apply:os.system` payload is refused before anything is built."""
    import os

    calls = []
    monkeypatch.setattr(os, "system", lambda *args: calls.append(args) or 0)
    for path in PATHS:
        send(path, "python-object-tag.yaml", case_bytes("python-object-tag.yaml"))
    assert calls == []


@pytest.mark.parametrize("path", PATHS)
def test_a_good_file_with_a_utf8_bom_is_accepted(send, path, isolated_tempdir):
    response = send(path, "bom.csv", b"\xef\xbb\xbf" + GOOD_CSV)
    assert response.status_code == (302 if path == "web-form" else 201), response.content[:500]
    run = Run.objects.get()
    assert run.daily_results.count() == GOOD_CELLS
    assert run.input_bytes == len(GOOD_CSV) + 3
    assert isolated_tempdir.written() == []


def test_the_web_form_keeps_the_chosen_options_after_a_refusal(web_client, methodology_v1):
    upload = SimpleUploadedFile("bad.csv", case_bytes("negative-count.csv"), "text/csv")
    response = web_client.post("/runs/new", {"analytics_file": upload, "version": "1", "region": "germany",
                                             "label": "Portal 2025", "profile": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'<option value="germany"[^>]*selected', html)
    assert 'value="Portal 2025"' in html
