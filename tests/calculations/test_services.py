"""calculations.services, called directly: evaluate, save, re-evaluate and verify a run.

Every figure is checked against the engine's own result document (calculations.interface.run on
config/, the YAML methodology v1 is published from)."""

from __future__ import annotations

import pytest

from calculations import selectors, services
from calculations.interface import run as engine_document
from calculations.models import Run, RunSource
from tests.conftest import CONFIG_DIR


@pytest.fixture
def saved_run(methodology_v1, analyst, sample_yaml):
    evaluation = services.evaluate_upload(sample_yaml, region="france")
    return services.save_run(evaluation, user=analyst, source=RunSource.API, label="sample")


def test_evaluate_upload_gives_the_engine_s_document(methodology_v1, sample_yaml):
    document = services.evaluate_upload(sample_yaml, region="germany").document()
    expected = engine_document(sample_yaml, region="germany", methodology=CONFIG_DIR)
    assert document["methodology"] == {**expected["methodology"], "version": 1}  # the files have no number
    assert {key: value for key, value in document.items() if key != "methodology"} == {
        key: value for key, value in expected.items() if key != "methodology"}


def test_evaluate_upload_uses_the_version_s_default_region_when_none_is_given(methodology_v1, sample_yaml):
    evaluation = services.evaluate_upload(sample_yaml)
    assert evaluation.document()["methodology"]["region"] == evaluation.parameters.default_region


def test_evaluate_upload_refuses_an_unknown_region_naming_the_field(methodology_v1, sample_yaml):
    with pytest.raises(services.InvalidOption) as refused:
        services.evaluate_upload(sample_yaml, region="atlantis")
    assert refused.value.field == "region" and "atlantis" in str(refused.value)


def test_evaluate_upload_refuses_an_unpublished_version_naming_the_field(methodology_v1, sample_yaml):
    with pytest.raises(services.InvalidOption) as refused:
        services.evaluate_upload(sample_yaml, version_number=7)
    assert refused.value.field == "version"


def test_save_run_stores_the_document_s_totals_profiles_and_daily_cells(saved_run, sample_yaml):
    expected = engine_document(sample_yaml, region="france", methodology=CONFIG_DIR)
    stored = selectors.run_document(saved_run)
    assert stored["totals"] == expected["totals"]
    assert stored["profiles"] == expected["profiles"]
    assert stored["daily"] == expected["daily"]


def test_save_run_keeps_the_input_s_hash_size_and_period_not_its_content(saved_run, sample_yaml):
    expected = engine_document(sample_yaml, region="france", methodology=CONFIG_DIR)["input"]
    assert (saved_run.input_sha256, saved_run.input_bytes) == (expected["sha256"], len(sample_yaml))
    assert (saved_run.first_day.isoformat(), saved_run.last_day.isoformat()) == (expected["first_day"],
                                                                               expected["last_day"])


def test_reevaluate_run_recomputes_the_stored_counts_under_another_region(saved_run, analyst, sample_yaml):
    new_run = services.reevaluate_run(saved_run, user=analyst, region="germany")
    expected = engine_document(sample_yaml, region="germany", methodology=CONFIG_DIR)
    assert new_run.derived_from == saved_run and new_run.source == RunSource.REEVALUATION
    assert selectors.run_document(new_run, include_daily=False)["totals"] == expected["totals"]


def test_reevaluate_run_refuses_an_unknown_region_and_saves_nothing(saved_run, analyst):
    with pytest.raises(services.InvalidOption):
        services.reevaluate_run(saved_run, user=analyst, region="atlantis")
    assert Run.objects.count() == 1


def test_verify_run_reproduces_a_run_from_its_file(saved_run, sample_yaml):
    checks = services.verify_run(saved_run, sample_yaml)
    assert checks and all(check.matches for check in checks)


def test_verify_run_shows_token_counts_as_whole_numbers_on_both_sides(saved_run, sample_yaml):
    checks = {check.field: check for check in services.verify_run(saved_run, sample_yaml)}
    expected = engine_document(sample_yaml, region="france", methodology=CONFIG_DIR)["totals"]["input_tokens"]
    check = checks["totals.input_tokens"]
    assert (check.stored, check.recomputed) == (expected, expected)
    assert type(check.stored) is type(check.recomputed) is int


def test_verify_run_reports_a_mismatch_for_other_analytics(saved_run, sample_yaml):
    other = sample_yaml.replace(b"2025-01-01", b"2025-01-01", 1) + b"\n# another file\n"
    checks = {check.field: check for check in services.verify_run(saved_run, other)}
    assert not checks["input.sha256"].matches
    assert checks["totals.inferences"].matches  # same counts: only the bytes differ
