"""Requests that carry no usable analytics: empty, without the file field, over the size cap, of the
wrong content type. Each is refused with its status on every path that can receive it, nothing is
saved or written, and the next good request still succeeds."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from calculations.models import Run

from .conftest import GOOD_CELLS, GOOD_CSV

CAP = 4096


@pytest.fixture
def small_cap(settings):
    settings.ANALYTICS_MAX_UPLOAD_BYTES = CAP
    return CAP


class ExplodingInput:
    """A wsgi.input that fails the test if the server reads a byte of the body."""

    def read(self, *args):
        raise AssertionError("the request body was read")

    readline = read

    def __iter__(self):
        raise AssertionError("the request body was read")


def padded_csv(size: int) -> bytes:
    """A good CSV of exactly `size` bytes (blank lines are skipped by the parser)."""
    assert size >= len(GOOD_CSV)
    return GOOD_CSV + b"\n" * (size - len(GOOD_CSV))


def api_multipart(client, data: bytes, name="a.csv", **extra):
    return client.post("/api/energy", {"analytics_file": SimpleUploadedFile(name, data, "text/csv")},
                       format="multipart", **extra)


def api_raw(client, data: bytes, content_type="text/csv", **extra):
    return client.post("/api/energy", data=data, content_type=content_type, **extra)


def web_form(client, data: bytes | None, name="a.csv", **extra):
    fields = {"version": "1", "region": "", "label": "", "profile": ""}
    if data is not None:
        fields["analytics_file"] = SimpleUploadedFile(name, data, "text/csv")
    return client.post("/runs/new", fields, **extra)


@pytest.fixture
def paths(token_client, web_client, methodology_v1):
    """Each upload path as send(data) -> response, with the status of a good upload."""
    return {
        "api-multipart": (lambda data, **extra: api_multipart(token_client, data, **extra), 201),
        "api-raw": (lambda data, **extra: api_raw(token_client, data, **extra), 201),
        "web-form": (lambda data, **extra: web_form(web_client, data, **extra), 302),
    }


def assert_next_good_request_succeeds(paths, path):
    send, good_status = paths[path]
    assert send(GOOD_CSV).status_code == good_status
    assert Run.objects.get().daily_results.count() == GOOD_CELLS


# --------------------------------------------------------------------------- empty and missing


@pytest.mark.parametrize("path", ["api-multipart", "api-raw", "web-form"])
def test_an_empty_upload_is_a_400_that_saves_nothing(paths, path, isolated_tempdir):
    send, _ = paths[path]
    response = send(b"")
    assert response.status_code == 400
    if path != "web-form":
        assert response.json()["error"]["code"] == "empty"
    assert not Run.objects.exists() and isolated_tempdir.written() == []
    assert_next_good_request_succeeds(paths, path)


def test_a_web_form_without_the_file_field_is_a_400_naming_the_field(web_client, methodology_v1):
    response = web_form(web_client, None)
    assert response.status_code == 400
    assert response.context["form"].errors["analytics_file"]
    assert not Run.objects.exists()


def test_an_api_multipart_request_without_the_file_field_saves_nothing(token_client, methodology_v1):
    response = token_client.post("/api/energy", {"label": "x", "other_file": SimpleUploadedFile("a.csv", GOOD_CSV)},
                                 format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "missing_file"
    assert not Run.objects.exists()


# --------------------------------------------------------------------------- size cap


@pytest.mark.parametrize("path", ["api-multipart", "api-raw", "web-form"])
def test_a_file_at_the_cap_is_accepted(paths, path, small_cap):
    send, good_status = paths[path]
    assert send(padded_csv(CAP)).status_code == good_status


@pytest.mark.parametrize("path", ["api-multipart", "api-raw", "web-form"])
def test_a_file_one_byte_over_the_cap_is_a_413(paths, path, small_cap, isolated_tempdir):
    send, _ = paths[path]
    response = send(padded_csv(CAP + 1))
    assert response.status_code == 413
    if path != "web-form":
        assert response.json()["error"]["code"] == "too_large"
    assert not Run.objects.exists() and isolated_tempdir.written() == []
    assert_next_good_request_succeeds(paths, path)


@pytest.mark.parametrize("path", ["api-multipart", "api-raw", "web-form"])
def test_a_413_comes_from_content_length_before_the_body_is_read(paths, path, small_cap):
    send, _ = paths[path]
    response = send(padded_csv(CAP), **{"wsgi.input": ExplodingInput(), "CONTENT_LENGTH": str(10 * 1024 * 1024)})
    assert response.status_code == 413
    assert not Run.objects.exists()
    assert_next_good_request_succeeds(paths, path)


def test_a_non_numeric_content_length_is_a_400_without_reading_the_body(token_client, methodology_v1):
    response = api_raw(token_client, GOOD_CSV, **{"wsgi.input": ExplodingInput(), "CONTENT_LENGTH": "12abc"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


# --------------------------------------------------------------------------- content type


@pytest.mark.parametrize("content_type", [
    "application/xml", "application/octet-stream", "text/plain", "image/png", "application/x-www-form-urlencoded-bogus",
])
def test_a_raw_body_of_another_content_type_is_a_415_without_reading_it(token_client, methodology_v1, content_type):
    response = api_raw(token_client, GOOD_CSV, content_type=content_type, **{"wsgi.input": ExplodingInput()})
    assert response.status_code == 415
    error = response.json()["error"]
    assert error["code"] == "unsupported_media_type"
    assert "analytics_file" in error["message"]
    assert not Run.objects.exists()
    assert api_raw(token_client, GOOD_CSV).status_code == 201


def test_a_raw_body_without_a_content_type_is_a_415(token_client, methodology_v1):
    response = token_client.generic("POST", "/api/energy", GOOD_CSV, content_type="")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_an_over_cap_form_upload_with_csrf_enforced_is_a_413_holding_nothing(analyst, methodology_v1,
                                                                              small_cap, monkeypatch):
    """In production the CSRF middleware reads the form before the view: BodySizeLimitMiddleware, ahead
    of it, refuses the request from its declared size, so the handler never receives a byte."""
    from django.test import Client

    from calculations.uploads import MemoryOnlyUploadHandler

    held = []
    receive = MemoryOnlyUploadHandler.receive_data_chunk

    def tracking(self, raw_data, start):
        try:
            return receive(self, raw_data, start)
        finally:
            held.append(self.buffer.tell())

    monkeypatch.setattr(MemoryOnlyUploadHandler, "receive_data_chunk", tracking)
    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst)
    token = client.get("/runs/new").cookies["csrftoken"].value
    big = SimpleUploadedFile("big.csv", padded_csv(200 * CAP), "text/csv")
    response = client.post("/runs/new", {"csrfmiddlewaretoken": token, "analytics_file": big, "version": "1"})
    assert response.status_code == 413
    assert held == []
    assert not Run.objects.exists()
