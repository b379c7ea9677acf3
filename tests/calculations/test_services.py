"""The services' records a run keeps for its audit: the engine version and verify_run's comparisons."""

from __future__ import annotations

import pytest

from calculations import services, versioning
from calculations.engine import ENGINE_VERSION
from calculations.models import Run, RunSource

CSV = b"date,profile,inferences\n2025-01-01,chatbot,1250\n2025-01-02,completion,75\n"


@pytest.fixture
def commit(monkeypatch):
    """The engine version as a deployment sets it: the package version plus the commit it runs."""
    monkeypatch.setenv("ENV5001_GIT_COMMIT", "0123456789ab")
    versioning.engine_version.cache_clear()
    yield "0123456789ab"
    versioning.engine_version.cache_clear()


@pytest.fixture
def saved_run(methodology_v1, analyst):
    evaluation = services.evaluate_upload(CSV, version_number=1, region="germany", filename="a.csv")
    return services.save_run(evaluation, user=analyst, source=RunSource.API, label="Q1")


def test_the_engine_version_names_the_package_version_and_the_commit(commit):
    assert versioning.engine_version() == f"{ENGINE_VERSION}+{commit}"


def test_a_saved_run_records_the_engine_version_it_was_computed_with(commit, saved_run):
    assert Run.objects.get(pk=saved_run.pk).engine_version == f"{ENGINE_VERSION}+{commit}"


def test_a_reevaluated_run_records_the_engine_version_too(commit, saved_run, analyst):
    again = services.reevaluate_run(saved_run, user=analyst, region="france")
    assert again.engine_version == f"{ENGINE_VERSION}+{commit}"


def test_verify_run_reproduces_an_unchanged_run(saved_run):
    checks = services.verify_run(saved_run, CSV, filename="a.csv")
    assert [check.field for check in checks if not check.matches] == []


def test_verify_run_flags_a_run_whose_methodology_hash_differs(saved_run):
    """A run recorded under other hypotheses than the version's (the hash tells) is not reproduced, even when
    the numbers happen to agree."""
    Run.objects.filter(pk=saved_run.pk).update(methodology_sha256="0" * 64)
    checks = services.verify_run(Run.objects.get(pk=saved_run.pk), CSV, filename="a.csv")
    assert [check.field for check in checks if not check.matches] == ["methodology.sha256"]


def test_verify_run_compares_every_total_and_bound(saved_run):
    fields = {check.field for check in services.verify_run(saved_run, CSV, filename="a.csv")}
    assert {f"totals.{name}.{bound}" for name in ("energy_kwh", "carbon_gco2e")
            for bound in ("value", "low", "high")} <= fields
    assert {"input.sha256", "input.bytes", "input.first_day", "input.last_day", "methodology.sha256"} <= fields


def test_verify_run_flags_a_changed_total(saved_run):
    Run.objects.filter(pk=saved_run.pk).update(energy_kwh_high=saved_run.energy_kwh_high * 2)
    checks = services.verify_run(Run.objects.get(pk=saved_run.pk), CSV, filename="a.csv")
    assert [check.field for check in checks if not check.matches] == ["totals.energy_kwh.high"]
