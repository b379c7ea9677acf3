"""calculations.selectors, called directly: the reads the pages, the API and the CLI share.

Figures are checked against the engine's result document of the same cells (Evaluation.document())."""

from __future__ import annotations

import math
from datetime import date

import pytest

from calculations import selectors, services
from calculations.models import RunSource


@pytest.fixture
def run_and_document(methodology_v1, analyst, sample_yaml):
    evaluation = services.evaluate_upload(sample_yaml, region="france")
    run = services.save_run(evaluation, user=analyst, source=RunSource.API)
    return run, evaluation.document()


def test_run_document_is_the_engine_s_document_of_the_run(run_and_document):
    run, document = run_and_document
    stored = selectors.run_document(run)
    assert {key: stored[key] for key in ("methodology", "totals", "profiles", "daily")} == {
        key: document[key] for key in ("methodology", "totals", "profiles", "daily")}


def test_run_document_gives_token_counts_as_whole_numbers(run_and_document):
    run, document = run_and_document
    totals = selectors.run_document(run, include_daily=False)["totals"]
    assert type(totals["input_tokens"]) is int and totals["input_tokens"] == document["totals"]["input_tokens"]


def test_run_document_without_daily_has_no_daily_key(run_and_document):
    run, _document = run_and_document
    assert "daily" not in selectors.run_document(run, include_daily=False)


def test_filter_runs_keeps_the_runs_of_a_region(make_run):
    make_run(region="france")
    germany = make_run(region="germany")
    assert list(selectors.filter_runs(selectors.runs_for_listing(), region="germany")) == [germany]


def test_filter_runs_by_period_keeps_the_runs_that_overlap_it(make_run):
    january = make_run(days=31, start=date(2025, 1, 1))
    make_run(days=28, start=date(2025, 2, 1))
    kept = selectors.filter_runs(selectors.runs_for_listing(), period_start=date(2025, 1, 15),
                                 period_end=date(2025, 1, 31))
    assert list(kept) == [january]


def test_compare_runs_gives_b_minus_a_and_its_percent(make_run):
    a, b = make_run(region="france"), make_run(region="germany")
    carbon = selectors.compare_runs(a, b)["totals"]["carbon_gco2e"]
    assert carbon["difference"]["absolute"] == b.carbon_gco2e_value - a.carbon_gco2e_value
    assert carbon["difference"]["percent"] == 100.0 * (b.carbon_gco2e_value - a.carbon_gco2e_value) / a.carbon_gco2e_value


def test_compare_runs_says_the_methodology_is_the_same_for_one_version(make_run):
    a, b = make_run(region="france"), make_run(region="germany")
    explanation = selectors.compare_runs(a, b)["explanation"]
    assert explanation["same_methodology"] and not explanation["region"]["same"]


def test_period_totals_sums_the_daily_cells_of_each_month(make_run):
    run = make_run(days=45, start=date(2025, 1, 1))
    document = selectors.run_document(run)
    january = [cell for cell in document["daily"] if cell["date"].startswith("2025-01")]
    rows = {row["period"]: row for row in selectors.period_totals([run], "month")["periods"]}
    assert rows["2025-01"]["inferences"] == sum(cell["inferences"] for cell in january)
    assert rows["2025-01"]["energy_kwh"]["value"] == math.fsum(cell["energy_kwh"]["value"] for cell in january)


def test_period_totals_refuses_runs_that_overlap(make_run):
    first = make_run(days=10, start=date(2025, 1, 1))
    second = make_run(days=10, start=date(2025, 1, 5), inferences=7)
    with pytest.raises(selectors.OverlappingRuns):
        selectors.period_totals([first, second])


def test_run_equivalents_convert_the_run_s_totals_by_the_version_s_amounts(run_and_document, default_parameters):
    run, document = run_and_document
    car = next(e for e in selectors.run_equivalents(run) if e.code == "car-km")
    amount = default_parameters.equivalents["car-km"].amount.value
    assert car.count.value == document["totals"]["carbon_total_gco2e"]["value"] / amount
