"""The Monte Carlo on the pages, the report, the API and the stored run (methodology.md section 11):
the 90 % interval first, the worst case after it, "not computed" for runs saved before it."""

from __future__ import annotations

import pytest
from django.utils import translation
from pages_testing import chart_data, text

from calculations import selectors, services
from calculations.presentation import numbers

INTERVAL_KEYS = ("p5", "p50", "p95", "mean")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_saved_run_stores_the_percentiles_of_its_totals_and_profiles(make_run):
    run = make_run()
    interval = run.interval("energy_kwh")
    assert run.energy_kwh_low <= interval["p5"] <= interval["p50"] <= interval["p95"] <= run.energy_kwh_high
    chatbot = run.profile_results.get(profile="chatbot")
    assert chatbot.energy_kwh_low <= chatbot.interval("energy_kwh")["p5"] <= chatbot.energy_kwh_high
    assert run.uncertainty["draws"] == 20_000


def test_the_api_run_document_carries_the_stored_percentiles(api_client, make_run):
    run = make_run()
    document = api_client.get(f"/api/runs/{run.pk}").json()
    assert {k: document["totals"]["carbon_gco2e"][k] for k in INTERVAL_KEYS} == run.interval("carbon_gco2e")
    assert document["uncertainty"]["draws"] == 20_000
    assert document["uncertainty"]["drivers"][0]["carbon_gco2e"] > 0


def test_a_run_saved_before_the_monte_carlo_has_null_percentiles_not_a_made_up_interval(api_client, make_run):
    run = make_run(monte_carlo=False)
    document = api_client.get(f"/api/runs/{run.pk}").json()
    assert {k: document["totals"]["energy_kwh"][k] for k in INTERVAL_KEYS} == dict.fromkeys(INTERVAL_KEYS)
    assert document["profiles"][0]["energy_kwh"]["p95"] is None
    assert document["uncertainty"] is None


def test_re_evaluating_an_old_run_computes_its_interval(make_run, analyst):
    old = make_run(monte_carlo=False)
    new = services.reevaluate_run(old, user=analyst)
    assert new.interval("energy_kwh") is not None
    assert new.energy_kwh_value == old.energy_kwh_value


def test_the_run_page_headline_range_is_the_90_percent_interval_and_the_worst_case_follows(page_client, make_run):
    run = make_run()
    page = text(page_client.get(f"/runs/{run.pk}/"))
    unit = numbers.energy_unit(run.energy_kwh_value)
    interval = run.interval("energy_kwh")
    p5, p95 = numbers.number(interval["p5"] * unit.factor), numbers.number(interval["p95"] * unit.factor)
    low, high = numbers.number(run.energy_kwh_low * unit.factor), numbers.number(run.energy_kwh_high * unit.factor)
    assert f"({p5}–{p95}) worst case {low}–{high}" in page


def test_the_run_page_of_an_old_run_says_not_computed(page_client, make_run):
    run = make_run(monte_carlo=False)
    page = text(page_client.get(f"/runs/{run.pk}/"))
    assert "P5–P95 interval not computed" in page
    assert "What drives the variance: not computed" in page


def test_the_run_page_shows_the_stored_histogram_and_the_variance_drivers(page_client, make_run):
    run = make_run()
    response = page_client.get(f"/runs/{run.pk}/")
    histogram = chart_data(response, "histogram-chart-data")
    assert histogram["datasets"][0]["data"] == run.uncertainty["histogram"]["counts"]
    assert "What drives the variance" in text(response)
    assert "20000 draws, PCG64, seed 5001" in text(response)


def test_the_report_gives_the_interval_beside_the_worst_case_and_the_draws(page_client, make_run):
    run = make_run()
    page = text(page_client.get(f"/runs/{run.pk}/report"))
    assert "90 % interval (P5–P95)" in page
    assert "20000 draws, PCG64, seed 5001" in page


def test_the_run_page_in_french_translates_the_interval(page_client, make_run):
    run = make_run()
    with translation.override("fr"):
        page = text(page_client.get(f"/runs/{run.pk}/", HTTP_ACCEPT_LANGUAGE="fr"))
    assert "pire cas" in page


def test_the_sensitivity_api_gives_the_variance_shares_beside_the_swings(api_client, make_run):
    run = make_run()
    answer = api_client.get(f"/api/runs/{run.pk}/sensitivity").json()
    assert answer["variance_shares"] == run.uncertainty["drivers"]
    assert answer["swings"]


def test_the_sensitivity_api_of_an_old_run_has_no_variance_shares(api_client, make_run):
    run = make_run(monte_carlo=False)
    assert api_client.get(f"/api/runs/{run.pk}/sensitivity").json()["variance_shares"] is None


def test_a_comparison_shows_both_runs_intervals(page_client, make_run):
    a, b = make_run(), make_run(region="germany")
    page = text(page_client.get(f"/runs/compare?a={a.pk}&b={b.pk}"))
    assert page.count("worst case") >= 4  # energy and carbon of each run, at least


def test_a_comparison_with_an_old_run_says_its_interval_was_not_computed(page_client, make_run):
    a, b = make_run(monte_carlo=False), make_run(region="germany")
    page = text(page_client.get(f"/runs/compare?a={a.pk}&b={b.pk}"))
    assert "P5–P95 interval not computed" in page and "worst case" in page



def test_the_document_s_keys_keep_their_order_whatever_the_database_stores(make_run):
    run = make_run()
    run.uncertainty["histogram"] = dict(reversed(run.uncertainty["histogram"].items()))  # as jsonb may give it
    run.uncertainty["drivers"] = [dict(reversed(d.items())) for d in run.uncertainty["drivers"]]
    document = selectors.run_document(run, include_daily=False)
    assert list(document["uncertainty"]["histogram"]) == ["metric", "edges", "counts"]
    assert list(document["uncertainty"]["drivers"][0]) == ["section", "code", "parameter", "energy_kwh", "carbon_gco2e"]
