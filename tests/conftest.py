"""Fixtures shared by the whole suite."""

import hashlib
import os
from datetime import date, timedelta
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from calculations.engine.config import load_config_dir
from calculations.engine.canonical import parameter_set_sha256

# Property and fuzz tests draw their examples from a fixed seed, so that a commit is green or red on every
# run (CI included). HYPOTHESIS_PROFILE=explore draws fresh random examples to look for new failures, e.g.
# `HYPOTHESIS_PROFILE=explore HARDENING_FUZZ_EXAMPLES=500 .venv/bin/pytest tests/hardening tests/calculations/engine`.
hypothesis_settings.register_profile("derandomized", derandomize=True, database=None, print_blob=True)
hypothesis_settings.register_profile("explore", derandomize=False, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "derandomized"))

PROJECT_DIR = Path(__file__).resolve().parent.parent
# Methodology version 1, frozen: the hand-computed tests and the golden documents use its numbers.
CONFIG_DIR = PROJECT_DIR / "tests" / "fixtures" / "methodology-v1" / "config"
# What config/ ships today (methodology version 2): tests/methodology/test_shipped_methodology.py checks it.
SHIPPED_CONFIG_DIR = PROJECT_DIR / "config"
EXAMPLES_DIR = PROJECT_DIR / "examples"


TEST_CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "env5001-tests"}


def pytest_configure(config):
    """Tests count throttles and lockouts in this process's memory (the tests of several gunicorn workers
    give their servers a shared cache of their own: tests/hardening/test_throttles.py)."""
    from django.conf import settings

    settings.CACHES = {"default": TEST_CACHE}


@pytest.fixture(autouse=True)
def fresh_cache():
    """Throttle counts and login failures are kept per user id and address in the cache, across tests (ids are
    reused after a rollback): every test starts and ends with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def default_parameters():
    """Methodology version 1, frozen in tests/fixtures/methodology-v1/."""
    return load_config_dir(CONFIG_DIR)


@pytest.fixture
def replace_param():
    """replace_param(parameters, "models", code, "efficiency", Param(...)) -> a new parameter set."""

    def _replace(parameters, section, code, name, param):
        entries = dict(getattr(parameters, section))
        entries[code] = replace(entries[code], **{name: param})
        changed = replace(parameters, **{section: entries}, _alias_index={})
        object.__setattr__(changed, "sha256", parameter_set_sha256(changed))
        return changed

    return _replace


@pytest.fixture
def methodology_v1(db):
    """Methodology version 1 (tests/fixtures/methodology-v1/), published as the load command does."""
    from methodology.services import load_methodology

    version, _ = load_methodology(CONFIG_DIR)
    return version


@pytest.fixture
def methodology_v2_changelog():
    """The changelog methodology_v2 is published with: none here; a test module overrides this fixture to give one."""
    return ""


@pytest.fixture
def methodology_v2(methodology_v1, methodology_v2_changelog):
    """v2: France's carbon intensity raised from 44 to 60 gCO2e/kWh, everything else as v1."""
    from methodology.services import create_draft, publish_version

    draft = create_draft(methodology_v1, label="France 2025 grid")
    if methodology_v2_changelog:
        draft.changelog = methodology_v2_changelog
        draft.save()
    draft.regions.filter(code="france").update(carbon_intensity_value=60, carbon_intensity_high=60)
    return publish_version(draft)


@pytest.fixture
def make_run(methodology_v1, analyst):
    """make_run(days=3, region="france", ...) -> a saved Run, computed by the services without a file
    (with its Monte Carlo; monte_carlo=False saves it as a run from before the Monte Carlo).

    Each of `days` days from `start` has `inferences` inferences (plus the day's index) of every
    profile in `profiles`; the input hash depends on those counts, like a real upload's.
    """
    from calculations import services
    from calculations.engine.analytics import Cell
    from calculations.engine.compute import compute
    from calculations.engine.result import InputSummary
    from calculations.models import RunSource
    from methodology.selectors import parameter_set_for

    def make(*, days=3, region="france", label="", profiles=("chatbot", "completion"), start=date(2025, 1, 1),
             inferences=100, version=None, user=None, source=RunSource.WEB, monte_carlo=True):
        version = version or methodology_v1
        parameters = parameter_set_for(version)
        cells = [
            Cell(start + timedelta(days=d), profile, inferences + d if inferences else 0)
            for d in range(days)
            for profile in sorted(profiles)
        ]
        fingerprint = f"{start}:{days}:{sorted(profiles)}:{inferences}".encode()
        summary = InputSummary(
            sha256=hashlib.sha256(fingerprint).hexdigest(), size_bytes=len(fingerprint) * 10, format="yaml",
            first_day=cells[0].day, last_day=cells[-1].day, days=days, mappings=[],
        )
        if monte_carlo:
            evaluation = services.evaluation_of(version, parameters, summary, cells, region)
        else:  # a run saved before the Monte Carlo existed: its interval is "not computed"
            evaluation = services.Evaluation(version, parameters, summary, compute(cells, parameters, region))
        return services.save_run(evaluation, user=user or analyst, source=source, label=label)

    return make


@pytest.fixture
def analyst(db, django_user_model):
    """A plain logged-in user: computes and reads runs, cannot change hypotheses."""
    return django_user_model.objects.create_user("analyst", password="analyst-password-1")


@pytest.fixture
def page_client(client, analyst):
    """Django's test client, logged in as the analyst."""
    client.force_login(analyst)
    return client


@pytest.fixture
def api_client(analyst):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(analyst)
    return client


@pytest.fixture(scope="session")
def sample_yaml() -> bytes:
    return (EXAMPLES_DIR / "2025-FluidTopics-daily-analytics.yaml").read_bytes()


def pytest_collection_modifyitems(config, items):
    """`postgres_only` tests are skipped when the suite runs on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL=postgres://...)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A test that activates French (a page in FR, Accept-Language) must not leave it active for the next
    one: Django keeps the active language per thread, and the test client does not reset it."""
    yield
    from django.utils import translation

    translation.deactivate()
