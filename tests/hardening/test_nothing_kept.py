"""Nothing of the analytics is kept: a unique marker put in every free-text corner of an upload (a YAML
comment, the `source` and `tenant` fields, a Fluid Topics profile's name and id, an OpenAI report's
project, user and key ids, the file name) and sent through every path (API multipart, API raw body,
web form, CLI `compute_energy --save`) appears nowhere afterwards: not in any table (every model,
every table of the database, `dumpdata`, decoded sessions), not in MEDIA_ROOT or the temp folder,
not in the cache, not in any log record at DEBUG level, not in the CLI's output.
"""

from __future__ import annotations

import io
import json
import logging
import os
import sys
import tempfile
import time
import uuid
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections

from calculations.models import Run


def yaml_comment(marker: str) -> tuple[str, bytes, str | None]:
    text = f"# exported for {marker}\ndays:\n  - date: 2025-01-01  # {marker}\n    usages:\n      chatbot: 1250\n"
    return "yaml", text.encode(), None


def source_and_tenant(marker: str):
    document = {"source": f"portal {marker}", "tenant": f"{marker}.docs.example.com",
                "records": [{"date": "2025-01-01", "profile": "chatbot", "inferences": 1250}]}
    return "json", json.dumps(document).encode(), None


def fluidtopics_profile_name(marker: str):
    document = {"startDate": "2025-01-01", "endDate": "2025-01-03", "results": [
        {"id": f"id-{marker}", "name": f"Assistant {marker}", "type": "chatbot", "periods": [
            {"periodStartDate": "2025-01-01", "periodEndDate": "2025-01-02", "aiQueryCount": 1545},
            {"periodStartDate": "2025-01-02", "periodEndDate": "2025-01-03", "aiQueryCount": 1200},
        ]},
    ]}
    return "json", json.dumps(document).encode(), None


def openai_project_id(marker: str):
    document = {"object": "page", "has_more": False, "next_page": None, "data": [
        {"object": "bucket", "start_time": 1735689600, "end_time": 1735776000, "results": [
            {"object": "organization.usage.completions.result", "num_model_requests": 5, "input_tokens": 1000,
             "output_tokens": 500, "input_cached_tokens": 800, "project_id": f"proj_{marker}",
             "user_id": f"user-{marker}", "api_key_id": f"key_{marker}", "batch": None},
        ]},
    ]}
    return "json", json.dumps(document).encode(), "chatbot"  # no model: the profile option names the profile


def xlsx_other_sheet_and_properties(marker: str):
    """A workbook (read from memory) with the marker in its author, a note beside the data and another sheet."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.properties.creator = marker
    sheet = workbook.active
    sheet.title = "analytics"
    sheet.append(["date", "profile", "inferences"])
    sheet.append([datetime(2025, 1, 1), "chatbot", 1250])
    workbook.create_sheet("notes").append([f"exported for {marker}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    stored = io.BytesIO()  # uncompressed, so that the marker is in the bytes as sent
    with zipfile.ZipFile(buffer) as packed, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as unpacked:
        for member in packed.infolist():
            unpacked.writestr(member.filename, packed.read(member.filename))
    return "xlsx", stored.getvalue(), None


PLACEMENTS = {
    "yaml-comment": yaml_comment,
    "source-and-tenant": source_and_tenant,
    "fluidtopics-profile-name-mapped-by-type": fluidtopics_profile_name,
    "openai-project-id": openai_project_id,
    "xlsx-other-sheet-and-properties": xlsx_other_sheet_and_properties,
}
CONTENT_TYPES = {"yaml": "application/yaml", "json": "application/json",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def send_api_multipart(marker, syntax, data, profile, *, token_client, **_):
    upload = SimpleUploadedFile(f"{marker}.{syntax}", data, "application/octet-stream")
    response = token_client.post("/api/energy", {"analytics_file": upload, "profile": profile or ""},
                                 format="multipart")
    assert response.status_code == 201, response.content[:500]


def send_api_raw(marker, syntax, data, profile, *, token_client, **_):
    query = f"?profile={profile}" if profile else ""
    response = token_client.post(f"/api/energy{query}", data=data, content_type=CONTENT_TYPES[syntax])
    assert response.status_code == 201, response.content[:500]


def send_web_form(marker, syntax, data, profile, *, web_client, **_):
    upload = SimpleUploadedFile(f"{marker}.{syntax}", data, "application/octet-stream")
    response = web_client.post("/runs/new", {"analytics_file": upload, "version": "1", "region": "", "label": "",
                                             "profile": profile or ""})
    assert response.status_code == 302, response.content[:500]


def send_cli(marker, syntax, data, profile, *, monkeypatch, capsys, **_):
    """compute_energy - --save, the analytics on standard input (a file on disk would be the user's own)."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    options = ["--profile", profile] if profile else []
    call_command("compute_energy", "-", "--save", "--format", "json", *options)
    out, err = capsys.readouterr()
    assert "Saved run" in err
    assert marker not in out + err


PATHS = {"api-multipart": send_api_multipart, "api-raw": send_api_raw, "web-form": send_web_form, "cli": send_cli}


# --------------------------------------------------------------------------- where to look


def database_hits(marker: str) -> list[str]:
    hits = []
    needle = marker.encode()
    # Every model's rows, field by field (auto-created many-to-many tables included).
    for model in apps.get_models(include_auto_created=True):
        names = [field.attname for field in model._meta.concrete_fields]
        for row in model._base_manager.values_list(*names).iterator():
            for name, value in zip(names, row):
                text = value if isinstance(value, (bytes, memoryview)) else str(value).encode()
                if needle in bytes(text):
                    hits.append(f"{model._meta.label}.{name}")
    # Every table of the database, whether a model knows it or not.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            if any(needle in str(row).encode() for row in cursor.fetchall()):
                hits.append(f"table {table}")
    # Sessions are signed and encoded: look inside them too.
    from django.contrib.sessions.models import Session

    hits += [f"session {s.pk}" for s in Session.objects.all() if marker in repr(s.get_decoded())]
    return hits


def dumpdata_hits(marker: str) -> bool:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return marker in out.getvalue()


def files_with(marker: str, root: Path, since: float) -> list[str]:
    """Files under `root` created or changed since `since` that contain the marker (or name it)."""
    found = []
    needle = marker.encode()
    for directory, subdirs, files in os.walk(root, onerror=lambda error: None):
        for name in files + subdirs:
            path = Path(directory, name)
            if marker in name:
                found.append(str(path))
                continue
            try:
                if name not in files or path.is_symlink() or not path.is_file():
                    continue
                stat = path.stat()
                if stat.st_mtime < since or stat.st_size > 100 * 1024 * 1024:
                    continue
                if needle in path.read_bytes():
                    found.append(str(path))
            except OSError:
                continue
    return found


def cache_hits(marker: str) -> bool:
    local = getattr(caches["default"], "_cache", {})  # LocMemCache: pickled values
    return any(marker.encode() in bytes(value) for value in local.values() if isinstance(value, (bytes, bytearray)))


def every_logger_at_debug(caplog, monkeypatch) -> None:
    """Every logger at DEBUG, SQL statements with their parameters included (django.db.backends logs them
    only through a debug cursor): a query that so much as looked the marker up would show."""
    for name in ["", *logging.root.manager.loggerDict]:
        caplog.set_level(logging.DEBUG, logger=name)
    monkeypatch.setattr(connections["default"], "force_debug_cursor", True)  # the wrapper, not its proxy


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    Path(settings.MEDIA_ROOT).mkdir()
    return Path(settings.MEDIA_ROOT)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("placement", PLACEMENTS)
def test_the_marker_is_kept_nowhere(placement, path, methodology_v1, token_client, web_client, monkeypatch, capsys,
                                    caplog, media_root):
    marker = uuid.uuid4().hex
    syntax, data, profile = PLACEMENTS[placement](marker)
    assert marker.encode() in data
    every_logger_at_debug(caplog, monkeypatch)
    temp = Path(tempfile.gettempdir())
    temp_before = set(os.listdir(temp))
    started = time.time() - 1

    PATHS[path](marker, syntax, data, profile, token_client=token_client, web_client=web_client,
                monkeypatch=monkeypatch, capsys=capsys)

    run = Run.objects.get()
    assert run.input_sha256 and run.input_bytes == len(data)
    assert run.daily_results.exists()
    assert database_hits(marker) == []
    assert not dumpdata_hits(marker)
    assert files_with(marker, media_root, 0) == []
    assert [name for name in set(os.listdir(temp)) - temp_before if marker in name] == []
    assert files_with(marker, temp, started) == []
    assert not cache_hits(marker)
    assert marker not in caplog.text
    for record in caplog.records:
        assert marker not in record.getMessage()
        assert marker not in repr(getattr(record, "args", ""))


def test_a_real_export_keeps_only_the_rule_and_the_methodology_s_name_that_matched(methodology_v1, token_client):
    """What a run keeps of a Fluid Topics mapping comes from the methodology, not from the upload."""
    marker = uuid.uuid4().hex
    _, data, _ = fluidtopics_profile_name(marker)
    assert token_client.post("/api/energy", data=data, content_type="application/json").status_code == 201
    assert Run.objects.get().mappings == [{"profile": "chatbot", "rule": "type", "matched": "chatbot",
                                           "source_groups": 1}]


def test_a_refused_upload_leaves_no_trace_either(methodology_v1, token_client, caplog, monkeypatch):
    """The error answer names the bad value to its sender; nothing of it is kept or logged."""
    marker = uuid.uuid4().hex
    every_logger_at_debug(caplog, monkeypatch)
    body = f"date,profile,inferences\n2025-01-01,{marker},1\n".encode()
    response = token_client.post("/api/energy", data=body, content_type="text/csv")
    assert response.status_code == 400
    assert marker in response.content.decode()  # told to the sender...
    assert database_hits(marker) == [] and marker not in caplog.text  # ...and kept nowhere


def test_the_search_does_find_a_marker_that_is_kept(methodology_v1, token_client, web_client, media_root):
    """The detectors above are not blind: a marker stored on purpose is found by each of them."""
    marker = uuid.uuid4().hex
    good = b"date,profile,inferences\n2025-01-01,chatbot,1\n"
    assert token_client.post(f"/api/energy?label={marker}", data=good, content_type="text/csv").status_code == 201
    assert "calculations.Run.label" in database_hits(marker)
    assert dumpdata_hits(marker)
    session = web_client.session
    session["note"] = marker
    session.save()
    assert any(hit.startswith("session ") for hit in database_hits(marker))
    (media_root / "kept.txt").write_text(f"... {marker} ...")
    assert files_with(marker, media_root, 0)
    caches["default"].set("kept", marker)
    assert cache_hits(marker)
    caches["default"].delete("kept")


def test_the_log_search_sees_sql_statements(methodology_v1, caplog, monkeypatch):
    marker = uuid.uuid4().hex
    every_logger_at_debug(caplog, monkeypatch)
    Run.objects.filter(label=marker).exists()
    assert marker in caplog.text
