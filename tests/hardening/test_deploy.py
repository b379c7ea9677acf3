"""Deploy readiness: the production settings pass `check --deploy` without a warning, refuse to start
without a real SECRET_KEY or ALLOWED_HOSTS, and hold the security settings the issue asks for.
Each check runs `manage.py` or Python in a subprocess, as a deployment would, with a clean environment."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]


SETTINGS_VARIABLES = ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "SECURE_SSL_REDIRECT", "BEHIND_TLS_PROXY",
                      "SECURE_HSTS_SECONDS", "CSRF_TRUSTED_ORIGINS")


def production_env(**overrides) -> dict[str, str]:
    """This process's environment without what would not be in a deployment's: the settings variables,
    this checkout's .env (scripts/run.sh keeps a SECRET_KEY there) and every DJANGO_* one (a test may set
    DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly flags)."""
    env = {key: value for key, value in os.environ.items()
           if key not in SETTINGS_VARIABLES and not key.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="env5001site.production", SECRET_KEY=secrets.token_urlsafe(60),
               ALLOWED_HOSTS="env5001.example.org", ENV5001_DOTENV=os.devnull)  # not this checkout's .env
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True,
                          timeout=120)


SETTINGS_PROBE = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name, None) for name in (
    "DEBUG", "ALLOWED_HOSTS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER", "SECURE_CONTENT_TYPE_NOSNIFF",
    "X_FRAME_OPTIONS", "MIDDLEWARE")}))
"""


def production_settings(**overrides) -> dict:
    result = run(["-c", SETTINGS_PROBE], production_env(**overrides))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_reports_no_warning_under_the_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


@pytest.mark.parametrize(("secret_key", "why"), [
    (None, "missing"),
    ("", "empty"),
    ("short-key", "too short"),
    ("a" * 60, "too few distinct characters"),
    ("django-insecure-" + secrets.token_urlsafe(50), "Django's placeholder"),
])
def test_production_refuses_to_start_without_a_real_secret_key(secret_key, why):
    result = run(["manage.py", "check"], production_env(SECRET_KEY=secret_key))
    assert result.returncode != 0, why
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("hosts", [None, "", " , "])
def test_production_refuses_to_start_without_allowed_hosts(hosts):
    result = run(["manage.py", "check"], production_env(ALLOWED_HOSTS=hosts))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_settings_are_secure_by_default():
    settings = production_settings(ALLOWED_HOSTS="a.example.org, b.example.org")
    assert settings["DEBUG"] is False
    assert settings["ALLOWED_HOSTS"] == ["a.example.org", "b.example.org"]
    assert settings["SESSION_COOKIE_SECURE"] and settings["CSRF_COOKIE_SECURE"]
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SECURE_HSTS_SECONDS"] >= 31536000 and settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert settings["SECURE_CONTENT_TYPE_NOSNIFF"] and settings["X_FRAME_OPTIONS"] == "DENY"
    assert settings["SECURE_PROXY_SSL_HEADER"] is None, "the proxy header is trusted only when configured"
    assert settings["MIDDLEWARE"][0] == "calculations.middleware.RequestLogMiddleware"


def test_production_trusts_the_proxy_s_https_header_only_when_told_to():
    settings = production_settings(BEHIND_TLS_PROXY="true")
    assert settings["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_debug_stays_off_in_production_even_if_the_environment_says_otherwise():
    assert production_settings(DEBUG="true")["DEBUG"] is False


def test_the_readme_documents_the_gunicorn_command():
    readme = (PROJECT_DIR / "README.md").read_text()
    assert "gunicorn env5001site.wsgi" in readme
    assert "DJANGO_SETTINGS_MODULE=env5001site.production" in readme
