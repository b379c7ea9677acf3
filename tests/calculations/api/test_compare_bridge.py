"""GET /api/compare's bridge: the Shapley factors of the change, or the refusal naming the missing profile."""

from __future__ import annotations

import math

import pytest

from calculations.engine.bridge import GROUPS


@pytest.fixture
def two_runs(make_run, methodology_v2):
    """Run A: France under v1; run B: the same usage re-made under v2 (France 44 -> 60 gCO2e/kWh), more days."""
    return make_run(days=3), make_run(days=5, version=methodology_v2)


def test_compare_gives_the_bridge_with_every_factor_of_both_quantities(api_client, two_runs):
    a, b = two_runs
    document = api_client.get(f"/api/compare?a={a.pk}&b={b.pk}").json()
    assert set(document["bridge"]) == {"energy_kwh", "carbon_gco2e", "carbon_market_gco2e"}
    for name in ("energy_kwh", "carbon_gco2e"):
        assert set(document["bridge"][name]) == {"a", "b", "factors"}
        assert list(document["bridge"][name]["factors"]) == list(GROUPS)


def test_the_bridge_runs_from_a_total_to_b_total(api_client, two_runs):
    a, b = two_runs
    bridge = api_client.get(f"/api/compare?a={a.pk}&b={b.pk}").json()["bridge"]
    assert bridge["energy_kwh"]["a"] == pytest.approx(a.energy_kwh_value, rel=1e-12)
    assert bridge["carbon_gco2e"]["b"] == pytest.approx(b.carbon_gco2e_value, rel=1e-12)
    carbon = bridge["carbon_gco2e"]
    assert math.fsum(carbon["factors"].values()) == pytest.approx(carbon["b"] - carbon["a"], rel=1e-14)


def test_more_usage_and_a_dirtier_grid_are_the_only_factors(api_client, two_runs):
    """Same region and hypotheses but France's carbon intensity: energy moves by usage alone, carbon by usage and
    carbon intensity; the groups that did not change give exactly 0."""
    a, b = two_runs
    bridge = api_client.get(f"/api/compare?a={a.pk}&b={b.pk}").json()["bridge"]
    energy = bridge["energy_kwh"]["factors"]
    assert energy["usage"] > 0
    assert [energy[g] for g in GROUPS if g != "usage"] == [0.0] * 5
    carbon = bridge["carbon_gco2e"]["factors"]
    assert carbon["carbon_intensity"] > 0
    assert [carbon[g] for g in ("token_sizes", "hardware", "efficiency", "pue")] == [0.0] * 4


def test_a_profile_missing_from_the_other_version_refuses_the_bridge_by_name(api_client, make_run,
                                                                            version_without_completion):
    a = make_run()
    b = make_run(version=version_without_completion, profiles=("chatbot",))
    response = api_client.get(f"/api/compare?a={a.pk}&b={b.pk}")
    assert response.status_code == 200
    refusal = response.json()["bridge"]["error"]
    assert refusal["code"] == "profile_not_in_version"
    assert f"'completion' of run {a.pk} does not exist in methodology v2" in refusal["message"]


def test_the_rest_of_the_comparison_shows_when_the_bridge_is_refused(api_client, make_run, version_without_completion):
    a = make_run()
    b = make_run(version=version_without_completion, profiles=("chatbot",))
    document = api_client.get(f"/api/compare?a={a.pk}&b={b.pk}").json()
    assert document["totals"]["energy_kwh"]["a"]["value"] == a.energy_kwh_value
    assert [p["profile"] for p in document["profiles"]] == ["chatbot", "completion"]


def test_market_based_carbon_is_bridged_when_both_runs_assess_it(api_client, make_run, market_version):
    """Same version and region, more days: the market-based change is all usage, from A's stored
    market-based total to B's, and the factors sum to b − a."""
    a, b = make_run(days=3, version=market_version), make_run(days=5, version=market_version)
    market = api_client.get(f"/api/compare?a={a.pk}&b={b.pk}").json()["bridge"]["carbon_market_gco2e"]
    assert market["a"] == pytest.approx(a.carbon_market_gco2e_value, rel=1e-12)
    assert market["b"] == pytest.approx(b.carbon_market_gco2e_value, rel=1e-12)
    assert math.fsum(market["factors"].values()) == pytest.approx(market["b"] - market["a"], rel=1e-14)
    assert [market["factors"][g] for g in GROUPS if g != "usage"] == [0.0] * 5


def test_market_based_carbon_not_assessed_on_one_side_is_null_in_the_bridge(api_client, make_run, market_version):
    a, b = make_run(days=3, version=market_version), make_run(days=3, version=market_version, region="germany")
    market = api_client.get(f"/api/compare?a={a.pk}&b={b.pk}").json()["bridge"]["carbon_market_gco2e"]
    assert market["a"] == pytest.approx(a.carbon_market_gco2e_value, rel=1e-12)
    assert market["b"] is None and market["factors"] is None


def test_runs_without_market_based_factors_have_a_null_market_bridge(api_client, two_runs):
    a, b = two_runs
    market = api_client.get(f"/api/compare?a={a.pk}&b={b.pk}").json()["bridge"]["carbon_market_gco2e"]
    assert market == {"a": None, "b": None, "factors": None}
