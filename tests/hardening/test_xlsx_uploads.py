"""Excel workbooks through every upload path, and a zip bomb refused before it is inflated."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from calculations.models import Run
from xlsx_testing import XLSX
from xlsx_testing import workbook as sheet_of


def workbook() -> bytes:
    return sheet_of(["date", "profile", "inferences"], ["2025-01-01", "chatbot", 1250])


def bomb(unpacked_bytes: int) -> bytes:
    """A small zip whose one member declares `unpacked_bytes` of spaces."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for _ in range(unpacked_bytes >> 20):
                sheet.write(b" " * (1 << 20))
    return buffer.getvalue()


def test_workbook_as_a_raw_body_is_saved(token_client, methodology_v1):
    response = token_client.post("/api/energy", data=workbook(), content_type=XLSX)
    assert response.status_code == 201, response.content[:300]
    assert response.json()["input"]["format"] == "xlsx"


def test_workbook_as_a_multipart_file_is_saved(token_client, methodology_v1):
    upload = SimpleUploadedFile("analytics.xlsx", workbook(), "application/octet-stream")
    response = token_client.post("/api/energy", {"analytics_file": upload}, format="multipart")
    assert response.status_code == 201, response.content[:300]


def test_workbook_through_the_web_form_is_saved(web_client, methodology_v1):
    upload = SimpleUploadedFile("analytics.xlsx", workbook(), "application/octet-stream")
    response = web_client.post("/runs/new", {"analytics_file": upload, "version": "1", "region": "", "label": "",
                                             "profile": ""})
    assert response.status_code == 302
    assert Run.objects.count() == 1


def test_web_form_offers_xlsx_files(web_client, methodology_v1):
    assert ".xlsx" in web_client.get("/runs/new").content.decode()


@pytest.mark.django_db
def test_zip_bomb_is_refused_with_a_4xx_before_inflating(token_client, methodology_v1, settings):
    settings.ANALYTICS_MAX_UPLOAD_BYTES = 4 << 20
    data = bomb(64 << 20)
    tracemalloc.start()
    try:
        response = token_client.post("/api/energy", data=data, content_type=XLSX)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code in (400, 413)
    assert response.json()["error"]["code"] == "too_large"
    assert peak < 8 << 20  # far below the 64 MB the sheet would inflate to
    assert Run.objects.count() == 0
