"""Market-based electricity carbon (methodology.md section 3, step 6b) against hand computations.

Default version-1 chatbot answer in France, as in test_compute.py: energy 6.35556e-4 kWh (central),
CHATBOT_KWH_LOW and CHATBOT_KWH_HIGH at the bounds. The market factor given here: 52 gCO2e/kWh (40-60).
"""

from dataclasses import replace
from datetime import date

import pytest

from audit import canonical
from calculations.engine.analytics import Cell
from calculations.engine.compute import compute
from calculations.engine.formulas import carbon_market_gco2e
from calculations.engine.parameters import Param
from calculations.engine.result import InputSummary, result_document
from calculations.engine.uncertainty import Uncertainty, simulate

DAY = date(2025, 1, 1)
CHATBOT_KWH = 2600 * (0.1 + 400 / 1500) / 0.5 / 3_600_000 * 1.2
CHATBOT_KWH_LOW = 1600 * (500 / 30000 + 150 / 3000) / 0.8 / 3_600_000 * 1.09
CHATBOT_KWH_HIGH = 3700 * 1.5 / 0.3 / 3_600_000 * 1.56


@pytest.fixture(scope="module")
def with_market(default_parameters):
    regions = dict(default_parameters.regions)
    regions["france"] = replace(regions["france"], carbon_intensity_market=Param(52.0, 40.0, 60.0))
    return replace(default_parameters, regions=regions, _alias_index={})


def test_the_formula_is_energy_times_the_market_factor():
    assert carbon_market_gco2e(2.5, 40.0) == 100.0


def test_one_answer_s_market_based_carbon_matches_the_hand_computation(with_market):
    totals = compute([Cell(DAY, "chatbot", 1)], with_market, "france").totals
    assert totals.carbon_market_gco2e.value == pytest.approx(CHATBOT_KWH * 52, rel=1e-12)


def test_market_based_bounds_take_the_energy_bounds_times_the_factor_s_bounds(with_market):
    market = compute([Cell(DAY, "chatbot", 1)], with_market, "france").totals.carbon_market_gco2e
    assert market.low == pytest.approx(CHATBOT_KWH_LOW * 40, rel=1e-12)
    assert market.high == pytest.approx(CHATBOT_KWH_HIGH * 60, rel=1e-12)


def test_location_based_carbon_is_unchanged_by_a_market_factor(with_market, default_parameters):
    cells = [Cell(DAY, "chatbot", 3)]
    assert (compute(cells, with_market, "france").totals.carbon_gco2e
            == compute(cells, default_parameters, "france").totals.carbon_gco2e)


def test_a_region_without_a_market_factor_gives_none_never_zero(default_parameters):
    assert default_parameters.regions["france"].carbon_intensity_market is None
    result = compute([Cell(DAY, "chatbot", 3)], default_parameters, "france")
    assert result.totals.carbon_market_gco2e is None
    assert all(p.carbon_market_gco2e is None for p in result.profiles)
    assert all(c.carbon_market_gco2e is None for c in result.cells)


def _document(result, parameters, uncertainty=None):
    summary = InputSummary("0" * 64, 1, "yaml", DAY, DAY, 1)
    return result_document(result, summary, parameters, uncertainty)


def test_the_document_says_null_where_not_assessed(default_parameters):
    document = _document(compute([Cell(DAY, "chatbot", 3)], default_parameters, "france"), default_parameters)
    assert document["totals"]["carbon_market_gco2e"] is None
    assert document["profiles"][0]["carbon_market_gco2e"] is None
    assert document["daily"][0]["carbon_market_gco2e"] is None


def test_the_document_carries_market_based_carbon_beside_location_based_with_its_interval(with_market):
    cells = [Cell(DAY, "chatbot", 3)]
    result = compute(cells, with_market, "france")
    uncertainty = simulate(cells, with_market, result, draws=2000)
    market = _document(result, with_market, uncertainty)["totals"]["carbon_market_gco2e"]
    assert market["value"] == pytest.approx(3 * CHATBOT_KWH * 52, rel=1e-12)
    assert market["low"] <= market["p5"] <= market["p50"] <= market["p95"] <= market["high"]


def test_the_monte_carlo_draws_market_carbon_from_the_same_energy_draws(with_market, replace_param):
    # With the market factor fixed at 52, each draw's market carbon is that draw's energy x 52, so its
    # percentiles are the energy's x 52.
    fixed = replace_param(with_market, "regions", "france", "carbon_intensity_market", Param.exact(52.0))
    cells = [Cell(DAY, "chatbot", 3)]
    totals = simulate(cells, fixed, compute(cells, fixed, "france"), draws=2000).totals
    assert totals["carbon_market_gco2e"].p95 == pytest.approx(totals["energy_kwh"].p95 * 52, rel=1e-12)
    assert totals["carbon_market_gco2e"].mean == pytest.approx(totals["energy_kwh"].mean * 52, rel=1e-12)


def test_the_stored_monte_carlo_has_no_market_key_where_not_assessed(default_parameters):
    # So that runs sealed before market-based carbon existed keep their record's bytes.
    cells = [Cell(DAY, "chatbot", 3)]
    uncertainty = simulate(cells, default_parameters, compute(cells, default_parameters, "france"), draws=500)
    stored = uncertainty.as_dict()
    assert "carbon_market_gco2e" not in stored["totals"]
    assert "carbon_market_gco2e" not in stored["profiles"]["chatbot"]
    assert Uncertainty.from_dict(stored) == uncertainty


def test_the_ledger_record_holds_market_carbon_only_where_assessed(default_parameters, with_market):
    cells = [Cell(DAY, "chatbot", 3)]
    without = canonical.results(canonical.figures_of(compute(cells, default_parameters, "france").totals), [])
    with_it = canonical.results(canonical.figures_of(compute(cells, with_market, "france").totals), [])
    assert "carbon_market_gco2e" not in without["totals"]
    assert with_it["totals"]["carbon_market_gco2e"][0] == pytest.approx(3 * CHATBOT_KWH * 52, rel=1e-12)
