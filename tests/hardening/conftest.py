"""Fixtures of the hardening suite: authenticated clients for each path, a good upload, and an
isolated temporary directory that proves nothing was written."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

GOOD_CSV = b"date,profile,inferences,input_tokens,output_tokens\n2025-01-01,chatbot,1250,,\n2025-01-02,completion,75,,\n"
GOOD_CELLS = 2
BAD_INPUTS = Path(__file__).resolve().parent / "bad_inputs"


@pytest.fixture
def token_client(analyst):
    """An API client authenticated by a token header, as scripts use the API."""
    from knox.models import AuthToken
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=analyst)[1]}")
    return client


@pytest.fixture
def web_client(page_client):
    """The Django test client, logged in as the analyst (the web pages use the session): the root conftest's."""
    return page_client


@pytest.fixture
def isolated_tempdir(tmp_path, monkeypatch, settings):
    """Every temporary file Python or Django would make lands in an empty folder (and MEDIA_ROOT
    in another one): the test asserts both stay empty. Other engineers share /tmp, so the global
    temp folder is not listed here; test_nothing_kept.py searches it for its own marker instead."""
    temp = tmp_path / "temp"
    media = tmp_path / "media"
    temp.mkdir()
    media.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("TMPDIR", str(temp))
    settings.MEDIA_ROOT = str(media)
    settings.FILE_UPLOAD_TEMP_DIR = None

    class Dirs:
        def written(self) -> list[str]:
            return sorted(str(p.relative_to(tmp_path)) for root in (temp, media) for p in root.rglob("*"))

    return Dirs()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Users are created in almost every test here: PBKDF2's deliberate slowness is not under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
