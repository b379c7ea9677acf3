"""Settings read from the environment: each is loaded in a fresh Python process with the variable set (or
unset), as a deployment would start, rather than by patching module state in this process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
VARIABLES = ("LOG_LEVEL", "REQUEST_LOG_LEVEL", "API_THROTTLE_USER", "API_THROTTLE_ANON", "API_THROTTLE_FAILED_TOKEN",
             "PAGE_THROTTLE_USER", "PAGE_THROTTLE_ANON", "ANALYTICS_MAX_UPLOAD_BYTES", "REQUEST_MAX_BODY_BYTES",
             "CACHE_URL")
PROBE = """
import json
from django.conf import settings as s
print(json.dumps({
    "root_level": s.LOGGING["root"]["level"],
    "request_level": s.LOGGING["loggers"]["env5001.requests"]["level"],
    "throttle_classes": s.REST_FRAMEWORK.get("DEFAULT_THROTTLE_CLASSES"),
    "throttle_rates": s.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES"),
    "max_upload": s.ANALYTICS_MAX_UPLOAD_BYTES,
    "file_upload_max_memory": s.FILE_UPLOAD_MAX_MEMORY_SIZE,
    "data_upload_max_memory": s.DATA_UPLOAD_MAX_MEMORY_SIZE,
    "cache": [s.CACHES["default"]["BACKEND"], s.CACHES["default"]["LOCATION"]],
}))
"""


def settings_with(**variables: str) -> dict:
    """The settings a new process reads with these variables set and the others of VARIABLES unset."""
    env = {key: value for key, value in os.environ.items() if key not in VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE="env5001site.settings", **variables)
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=PROJECT_DIR, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def defaults() -> dict:
    return settings_with()


def test_the_upload_cap_defaults_to_exactly_50_mib(defaults):
    assert defaults["max_upload"] == 52_428_800 == 50 * 1024 * 1024


def test_the_upload_cap_is_read_from_analytics_max_upload_bytes():
    assert settings_with(ANALYTICS_MAX_UPLOAD_BYTES="1234567")["max_upload"] == 1_234_567


def test_files_up_to_the_upload_cap_stay_in_memory():
    assert settings_with(ANALYTICS_MAX_UPLOAD_BYTES="1000000")["file_upload_max_memory"] == 1_000_000


def test_other_request_bodies_are_capped_at_1_mib_unless_request_max_body_bytes_says_otherwise(defaults):
    """Logins, forms and JSON options have their own cap, independent of the analytics upload cap."""
    assert defaults["data_upload_max_memory"] == 1024 * 1024
    assert settings_with(ANALYTICS_MAX_UPLOAD_BYTES="1000000")["data_upload_max_memory"] == 1024 * 1024
    assert settings_with(REQUEST_MAX_BODY_BYTES="4096")["data_upload_max_memory"] == 4096


def test_the_api_is_throttled_per_user_by_default_with_the_documented_rates(defaults):
    """Anonymous requests are counted by the last authentication class (`anon`), not by a throttle class."""
    assert defaults["throttle_classes"] == ["rest_framework.throttling.UserRateThrottle"]
    assert defaults["throttle_rates"] == {"user": "2000/hour", "anon": "100/hour", "failed_token": "20/hour",
                                          "page_user": "2000/hour", "page_anon": "300/hour"}


def test_the_throttle_rates_are_read_from_the_environment():
    read = settings_with(API_THROTTLE_USER="7/minute", API_THROTTLE_ANON="3/minute",
                         API_THROTTLE_FAILED_TOKEN="2/minute", PAGE_THROTTLE_USER="9/minute",
                         PAGE_THROTTLE_ANON="4/minute")
    assert read["throttle_rates"] == {"user": "7/minute", "anon": "3/minute", "failed_token": "2/minute",
                                      "page_user": "9/minute", "page_anon": "4/minute"}


def test_the_shared_cache_defaults_to_the_database_cache_whose_writes_skip_the_flush(defaults):
    assert defaults["cache"] == ["calculations.cache.DatabaseCache", "env5001_cache"]


def test_the_shared_cache_is_read_from_cache_url():
    assert settings_with(CACHE_URL="redis://127.0.0.1:6379/3")["cache"] == [
        "django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/3"]


def test_the_log_levels_default_to_info(defaults):
    assert (defaults["root_level"], defaults["request_level"]) == ("INFO", "INFO")


@pytest.mark.parametrize("level", ["DEBUG", "WARNING", "ERROR"])
def test_the_log_level_is_read_from_log_level(level):
    assert settings_with(LOG_LEVEL=level)["root_level"] == level


def test_the_request_log_level_is_read_from_request_log_level():
    assert settings_with(REQUEST_LOG_LEVEL="WARNING")["request_level"] == "WARNING"


def test_a_user_over_the_throttle_rate_gets_429(api_client, methodology_v1, monkeypatch):
    """The throttle classes are in force on the API views (the rate is lowered for the test; the rate
    itself comes from the environment, tested above)."""
    from django.core.cache import cache
    from rest_framework.throttling import UserRateThrottle

    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/minute", "anon": "2/minute"})
    cache.clear()
    try:
        answers = [api_client.get("/api/methodology/versions").status_code for _ in range(3)]
    finally:
        cache.clear()
    assert answers == [200, 200, 429]
