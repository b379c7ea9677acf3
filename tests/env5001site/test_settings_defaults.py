"""Safe defaults (issue 20.5, 15.1): with nothing set, manage.py and wsgi.py load settings whose DEBUG is off,
so a missing page is never Django's debug page (under /api/ it is the API's JSON error); only the development
settings module turns DEBUG on; whitenoise serves the collected static files with DEBUG off.
Each settings check runs Python in a subprocess with a clean environment, as a server would start."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

PROJECT_DIR = Path(__file__).resolve().parents[2]

# What a server started from this checkout sees of the settings and of a missing page, through wsgi.py.
WSGI_PROBE = """
import json
from env5001site.wsgi import application  # sets the default settings module, as gunicorn would
from django.conf import settings
from django.test import Client
client = Client()
api, page = client.get("/api/no-such-endpoint"), client.get("/no-such-page")
print(json.dumps({"module": settings.SETTINGS_MODULE, "debug": settings.DEBUG,
                  "api": [api.status_code, api["Content-Type"], api.content.decode()],
                  "page": [page.status_code, page["Content-Type"], page.content.decode()]}))
"""


def clean_env(**variables: str) -> dict[str, str]:
    """This process's environment without the settings module, DEBUG and every DJANGO_* variable."""
    env = {key: value for key, value in os.environ.items() if key != "DEBUG" and not key.startswith("DJANGO_")}
    env.update(variables)
    return env


def probe(env: dict[str, str]) -> dict:
    result = subprocess.run([sys.executable, "-c", WSGI_PROBE], cwd=PROJECT_DIR, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def debug_of(settings_module: str | None, **variables: str) -> bool:
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    env = clean_env(**variables, **({"DJANGO_SETTINGS_MODULE": settings_module} if settings_module else {}))
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=PROJECT_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return {"True": True, "False": False}[result.stdout.strip().splitlines()[-1]]


def test_manage_py_with_nothing_set_has_debug_off():
    assert debug_of(None) is False


def test_the_development_settings_module_turns_debug_on():
    assert debug_of("env5001site.development") is True


def test_a_server_started_from_wsgi_py_with_nothing_set_shows_no_debug_page():
    served = probe(clean_env())
    assert (served["module"], served["debug"]) == ("env5001site.settings", False)
    status, content_type, body = served["api"]
    assert (status, content_type) == (404, "application/json")
    assert json.loads(body)["error"]["code"] == "not_found"
    status, content_type, body = served["page"]
    assert status == 404 and content_type.startswith("text/html")
    assert "URLconf" not in body and "DEBUG = True" not in body


def test_a_missing_api_endpoint_is_json_under_the_production_settings():
    served = probe(clean_env(DJANGO_SETTINGS_MODULE="env5001site.production", SECRET_KEY=secrets.token_urlsafe(60),
                             ALLOWED_HOSTS="testserver", SECURE_SSL_REDIRECT="false"))
    status, content_type, body = served["api"]
    assert (status, content_type) == (404, "application/json")
    assert json.loads(body)["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_whitenoise_serves_the_collected_static_files_with_debug_off(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_AUTOREFRESH = False
    settings.WHITENOISE_USE_FINDERS = False  # only what collectstatic wrote, as under gunicorn
    call_command("collectstatic", "--noinput", "--verbosity", "0")
    client = Client()  # a new handler: whitenoise reads STATIC_ROOT when it starts
    for path in ("/static/js/charts.js", "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"".join(response.streaming_content) == (tmp_path / path.removeprefix("/static/")).read_bytes()
        assert response["Content-Type"].startswith("text/javascript")


def test_the_embedded_sqlite_database_runs_a_durable_write_ahead_log(tmp_path):
    """docs/serving.md section 5: WAL, synchronous FULL (2), write transactions that begin IMMEDIATE."""
    code = ("import django; django.setup(); from django.db import connection; cursor = connection.cursor(); "
            "print(cursor.execute('PRAGMA journal_mode').fetchone()[0], "
            "cursor.execute('PRAGMA synchronous').fetchone()[0], connection.transaction_mode)")
    env = clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", DJANGO_SETTINGS_MODULE="env5001site.settings")
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "2", "IMMEDIATE"]
