"""A run keeps the hash of what it counted (issue 15.5): the same usage as YAML and as CSV, the same counts hash;
the comparison says when only the file differs; existing runs are filled by the migration."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from calculations import services
from calculations.engine.counts_hash import counts_sha256
from calculations.models import Run, RunSource
from tests.conftest import EXAMPLES_DIR

migration = importlib.import_module("calculations.migrations.0005_run_counts_sha256")


@pytest.fixture
def yaml_and_csv_runs(methodology_v1, analyst, sample_yaml):
    """The sample's usage sent once as YAML and once as CSV."""
    csv = (EXAMPLES_DIR / "2025-FluidTopics-daily-analytics.csv").read_bytes()
    return [services.save_run(services.evaluate_upload(data, filename=name), user=analyst, source=RunSource.API)
            for data, name in ((sample_yaml, "usage.yaml"), (csv, "usage.csv"))]


def test_the_same_usage_as_yaml_and_as_csv_has_one_counts_hash_and_two_file_hashes(yaml_and_csv_runs):
    yaml_run, csv_run = yaml_and_csv_runs
    assert yaml_run.input_sha256 != csv_run.input_sha256
    assert yaml_run.counts_sha256 == csv_run.counts_sha256


def test_the_counts_hash_is_that_of_the_stored_cells(yaml_and_csv_runs):
    run = yaml_and_csv_runs[0]
    assert run.counts_sha256 == counts_sha256(*services.stored_cells(run).columns())


def test_a_reevaluation_keeps_the_counts_hash(yaml_and_csv_runs, analyst):
    run = yaml_and_csv_runs[0]
    assert services.reevaluate_run(run, user=analyst, region="germany").counts_sha256 == run.counts_sha256


def test_the_api_comparison_says_the_counts_are_the_same(api_client, yaml_and_csv_runs):
    a, b = yaml_and_csv_runs
    explanation = api_client.get(f"/api/compare?a={a.pk}&b={b.pk}").json()["explanation"]
    assert explanation["input"]["same"] is False
    assert explanation["counts"] == {"a": a.counts_sha256, "b": b.counts_sha256, "same": True}


def test_the_compare_page_says_only_the_file_differs(page_client, yaml_and_csv_runs):
    a, b = yaml_and_csv_runs
    page = page_client.get(f"/runs/compare?a={a.pk}&b={b.pk}").content.decode()
    assert "The files differ (their SHA-256 hashes are not the same: yaml and csv) but the counted usage is the " \
           "same" in page
    assert "The counted usage differs" not in page


def test_the_migration_fills_the_counts_hash_of_existing_runs(yaml_and_csv_runs):
    expected = {run.pk: run.counts_sha256 for run in yaml_and_csv_runs}
    Run.objects.update(counts_sha256="")
    migration.fill_counts_sha256(apps, None)
    assert dict(Run.objects.values_list("pk", "counts_sha256")) == expected


def test_the_compare_page_says_so_in_french(page_client, yaml_and_csv_runs):
    a, b = yaml_and_csv_runs
    page = page_client.get(f"/runs/compare?a={a.pk}&b={b.pk}", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "mais l’usage compté est le même : chaque nombre quotidien est identique" in page
    assert "Usage compté (SHA-256)" in page


def test_the_counts_hash_is_that_of_the_cells_of_the_runs_ledger_record(yaml_and_csv_runs):
    """One canonical form of a run's counts: the `cells` of its audit record (docs/audit-trail.md), hashed."""
    import hashlib
    import json

    from calculations.sealing import run_record

    run = Run.objects.select_related("user", "methodology_version").get(pk=yaml_and_csv_runs[0].pk)
    cells = run_record(run, services.stored_cells(run), run.profile_results.all())["cells"]
    as_written = json.dumps(cells, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    assert run.counts_sha256 == hashlib.sha256(as_written).hexdigest()
