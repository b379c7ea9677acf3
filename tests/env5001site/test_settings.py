"""The development settings' own secret key file (env5001site.settings.local_secret_key)."""

import os
import stat
from pathlib import Path

import pytest

from env5001site.settings import local_secret_key


def test_the_secret_key_file_is_created_readable_by_its_owner_only(tmp_path, monkeypatch):
    """It was written first (mode 0644 under the usual umask) and restricted to 0600 afterwards: a reader
    in between, or a crash before chmod, saw the key. It is now created with mode 0600."""
    monkeypatch.setattr(Path, "chmod", lambda *args, **kwargs: pytest.fail("created with a mode, never chmod-ed"))
    old_umask = os.umask(0o022)
    try:
        key = local_secret_key(tmp_path / ".secret_key")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / ".secret_key").stat().st_mode) == 0o600
    assert len(key) >= 50


def test_the_secret_key_file_is_read_again_not_replaced(tmp_path):
    key_file = tmp_path / ".secret_key"
    first = local_secret_key(key_file)
    assert local_secret_key(key_file) == first
