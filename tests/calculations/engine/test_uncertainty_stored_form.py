"""The Monte Carlo's stored form and what the documents make of it (methodology.md section 11, "Storage"):
percentiles beside each estimate, null where not computed, and the document's "uncertainty" entry."""

from __future__ import annotations

from datetime import date

from calculations.engine.analytics import Cell
from calculations.engine.compute import compute
from calculations.engine.uncertainty import Uncertainty, document_section, simulate, with_intervals

DAY = date(2025, 1, 1)
NOT_ASSESSED_BY_ANY_RUN = {"energy_kwh": None, "carbon_gco2e": None, "embodied_gco2e": None,
                           "carbon_total_gco2e": None, "water_l": None}  # market-based carbon: absent, not null


def _empty_run(parameters) -> Uncertainty:
    return simulate([], parameters, compute([], parameters, "france"), draws=500)


def test_a_run_without_usage_stores_no_interval_driver_or_histogram(default_parameters):
    assert _empty_run(default_parameters).as_dict() == {
        "draws": 500, "seed": 5001, "totals": NOT_ASSESSED_BY_ANY_RUN, "profiles": {}, "drivers": [], "histogram": None}


def test_the_stored_form_of_a_run_without_usage_reads_back_equal(default_parameters):
    uncertainty = _empty_run(default_parameters)
    assert Uncertainty.from_dict(uncertainty.as_dict()) == uncertainty


def test_each_estimate_gets_its_interval_beside_value_low_and_high():
    counts = {"inferences": 3, "energy_kwh": {"value": 1.0, "low": 0.5, "high": 2.0}, "water_l": None}
    intervals = {"energy_kwh": {"p5": 0.6, "p50": 0.9, "p95": 1.8, "mean": 1.1}, "water_l": None}
    assert with_intervals(counts, intervals) == {
        "inferences": 3, "energy_kwh": {"value": 1.0, "low": 0.5, "high": 2.0, "p5": 0.6, "p50": 0.9, "p95": 1.8,
                                        "mean": 1.1},
        "water_l": None}  # not assessed: no estimate to carry an interval


def test_without_a_monte_carlo_every_estimate_s_interval_is_null():
    counts = {"energy_kwh": {"value": 1.0, "low": 0.5, "high": 2.0}, "carbon_gco2e": {"value": 4.0, "low": 2.0, "high": 8.0}}
    assert with_intervals(counts, None) == {
        "energy_kwh": {"value": 1.0, "low": 0.5, "high": 2.0, "p5": None, "p50": None, "p95": None, "mean": None},
        "carbon_gco2e": {"value": 4.0, "low": 2.0, "high": 8.0, "p5": None, "p50": None, "p95": None, "mean": None}}


def test_an_estimate_the_monte_carlo_left_out_gets_a_null_interval():
    counts = {"energy_kwh": {"value": 1.0, "low": 0.5, "high": 2.0}, "carbon_market_gco2e": {"value": 4.0, "low": 2.0, "high": 8.0}}
    intervals = {"energy_kwh": {"p5": 0.6, "p50": 0.9, "p95": 1.8, "mean": 1.1}}
    assert with_intervals(counts, intervals)["carbon_market_gco2e"] == {
        "value": 4.0, "low": 2.0, "high": 8.0, "p5": None, "p50": None, "p95": None, "mean": None}


def test_a_document_s_uncertainty_entry_is_null_without_a_monte_carlo():
    assert document_section(None) is None


def test_a_document_s_uncertainty_entry_gives_draws_seed_drivers_histogram_in_that_order(default_parameters):
    cells = [Cell(DAY, "chatbot", 10)]
    stored = simulate(cells, default_parameters, compute(cells, default_parameters, "france"), draws=500).as_dict()
    shuffled = dict(sorted(stored.items()))  # as PostgreSQL's jsonb gives it back: keys sorted
    section = document_section(shuffled)
    assert list(section) == ["draws", "seed", "drivers", "histogram"]
    assert section == {key: stored[key] for key in ("draws", "seed", "drivers", "histogram")}
