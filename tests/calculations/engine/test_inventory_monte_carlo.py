"""The inventory's Monte Carlo (calculations/engine/inventory.py): several runs' draws summed draw by draw,
per key and per scope category, and the interval of the sums (docs/reporting.md, "Intervals").

The parameter set is small enough to compute by hand: one model `m` (1 GPU of 3600 W, no host power,
1000 tokens/s, efficiency 1), usage profile `chat` of 1000 output tokens and no input token. 10 inferences
are 10 000 tokens, 10 s at 3600 W: 0.01 kWh at PUE 1, 1 g at 100 gCO2e/kWh, 0.5 g at a market factor of
50 gCO2e/kWh, and 10 g of embodied carbon at 1 g per replica-second (31 557.6 kgCO2e over one year of
365.25 days).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from calculations.engine import inventory
from calculations.engine.draw_cache import DRAWS
from calculations.engine.parameters import ModelProfile, Param, ParameterSet, Region, UsageProfile
from calculations.engine.sensitivity import ProfileUsage
from calculations.engine.uncertainty import DEFAULT_DRAWS, SEED, new_sampler, profile_draws

X = Param.exact
DRAWS_N = 200


pytestmark = pytest.mark.usefixtures("cold_draws")  # engine conftest: no draws kept across tests


def _parameters(*, procurement="", pue=X(1.0), market=X(50.0), embodied=True, sha256="v1") -> ParameterSet:
    extension = {"embodied_kgco2e": X(31557.6), "lifetime_years": X(1.0)} if embodied else {}
    model = ModelProfile("m", "M", gpu_count=X(1), gpu_power_w=X(3600), host_power_w=X(0),
                         prefill_tokens_per_s=X(1000), decode_tokens_per_s=X(1000), efficiency=X(1.0),
                         procurement=procurement, **extension)
    profiles = {"chat": UsageProfile("chat", "Chat", "m", input_tokens=X(0), output_tokens=X(1000))}
    regions = {"r": Region("r", "R", pue=pue, carbon_intensity=X(100.0), carbon_intensity_market=market),
               "plain": Region("plain", "Plain", pue=pue, carbon_intensity=X(100.0))}
    return ParameterSet("r", regions, {"m": model}, profiles, version=1, sha256=sha256)


def _usage(inferences: int) -> dict[str, ProfileUsage]:
    return {"chat": ProfileUsage(inferences, 0, inferences, 0)}


def _segment(keys, inferences=10, region="r", scopes=True, **parameters) -> inventory.Segment:
    return inventory.Segment(tuple(keys), _parameters(**parameters), region, _usage(inferences), scopes)


def test_a_run_alone_gives_its_own_monte_carlo_draws():
    """A PUE drawn from a range: the inventory of one run is that run's Monte Carlo (same seed, same draws)."""
    parameters = _parameters(pue=Param(1.2, 1.0, 2.0))
    drawn = inventory.combined_draws([inventory.Segment(("all",), parameters, "r", _usage(10))], draws=DRAWS_N, seed=7)
    DRAWS.clear()
    own = profile_draws(_usage(10)["chat"], "chat", parameters, "r", new_sampler(DRAWS_N, 7))
    for name in inventory.QUANTITIES:
        assert np.array_equal(drawn["all"][name], own[name])
    assert drawn["all"]["energy_kwh"].shape == (DRAWS_N,)


def test_the_draws_default_to_the_project_s_seed_and_number_of_draws():
    parameters = _parameters(pue=Param(1.2, 1.0, 2.0))
    drawn = inventory.combined_draws([inventory.Segment(("all",), parameters, "r", _usage(10))])
    DRAWS.clear()
    own = profile_draws(_usage(10)["chat"], "chat", parameters, "r", new_sampler(DEFAULT_DRAWS, SEED))
    assert np.array_equal(drawn["all"]["energy_kwh"], own["energy_kwh"])


def test_runs_sharing_a_hypothesis_draw_it_alike_and_are_summed_draw_by_draw():
    """Run A (10 inferences) and run B (20) under one version with a drawn PUE: in each draw B's energy is twice
    A's, so the inventory's draws are three times A's (independent draws would not be)."""
    pue = Param(1.2, 1.0, 2.0)
    drawn = inventory.combined_draws([_segment(("a", "all"), 10, pue=pue), _segment(("all",), 20, pue=pue)],
                                     draws=DRAWS_N)
    assert drawn["all"]["energy_kwh"] == pytest.approx(3 * drawn["a"]["energy_kwh"], rel=1e-12)
    assert drawn["all"]["carbon_gco2e"] == pytest.approx(3 * drawn["a"]["carbon_gco2e"], rel=1e-12)
    assert drawn["all"]["carbon_market_gco2e"] == pytest.approx(3 * drawn["a"]["carbon_market_gco2e"], rel=1e-12)
    assert np.ptp(drawn["a"]["energy_kwh"]) > 0


def test_fixed_hypotheses_give_the_hand_computed_sums_under_every_key():
    drawn = inventory.combined_draws([_segment(("a", "all"), 10, scopes=False), _segment(("all",), 20, scopes=False)],
                                     draws=DRAWS_N)
    assert set(drawn) == {"a", "all"}
    assert {name: set(np.round(values, 12)) for name, values in drawn["a"].items()} == {
        "energy_kwh": {0.01}, "carbon_gco2e": {1.0}, "carbon_market_gco2e": {0.5}}
    assert {name: set(np.round(values, 12)) for name, values in drawn["all"].items()} == {
        "energy_kwh": {0.03}, "carbon_gco2e": {3.0}, "carbon_market_gco2e": {1.5}}


def test_summing_never_alters_a_run_s_own_draws():
    """The first part of a sum is copied: adding the second run must not change the first key's draws."""
    drawn = inventory.combined_draws([_segment(("a", "all"), 10, scopes=False), _segment(("all", "b"), 20, scopes=False)],
                                     draws=DRAWS_N)
    assert set(np.round(drawn["a"]["energy_kwh"], 12)) == {0.01}
    assert set(np.round(drawn["b"]["energy_kwh"], 12)) == {0.02}


@pytest.mark.parametrize("order", ["assessed first", "not assessed first"])
def test_a_run_without_market_based_carbon_leaves_the_sum_not_assessed(order):
    segments = [_segment(("all",), 10, scopes=False), _segment(("all",), 20, region="plain", scopes=False)]
    if order == "not assessed first":
        segments.reverse()
    drawn = inventory.combined_draws(segments, draws=DRAWS_N)
    assert drawn["all"]["carbon_market_gco2e"] is None
    assert set(np.round(drawn["all"]["energy_kwh"], 12)) == {0.03}


def _scopes(drawn):
    return {name: None if values is None else set(np.round(values, 12))
            for name, values in drawn.items() if name.startswith("scope:")}


def test_own_datacentre_electricity_is_scope_2_and_its_embodied_carbon_scope_3_category_2():
    drawn = inventory.combined_draws([_segment(("all",), procurement="own_datacentre")], draws=DRAWS_N)["all"]
    assert _scopes(drawn) == {"scope:scope_2:location": {1.0}, "scope:scope_2:market": {0.5},
                              "scope:scope_3_cat_2:location": {10.0}, "scope:scope_3_cat_2:market": {10.0}}


@pytest.mark.parametrize("procurement", ["cloud", "api_service"])
def test_a_purchased_service_s_electricity_and_embodied_carbon_are_scope_3_category_1_together(procurement):
    drawn = inventory.combined_draws([_segment(("all",), procurement=procurement)], draws=DRAWS_N)["all"]
    assert _scopes(drawn) == {"scope:scope_3_cat_1:location": {11.0}, "scope:scope_3_cat_1:market": {10.5}}


def test_undeclared_procurement_without_embodied_carbon_or_market_factor_is_its_electricity_alone():
    drawn = inventory.combined_draws([_segment(("all",), market=None, embodied=False)], draws=DRAWS_N)["all"]
    assert _scopes(drawn) == {"scope:not_declared:location": {1.0}, "scope:not_declared:market": None}


def test_own_datacentre_without_embodied_carbon_leaves_its_category_not_assessed():
    drawn = inventory.combined_draws([_segment(("all",), procurement="own_datacentre", embodied=False)],
                                     draws=DRAWS_N)["all"]
    assert _scopes(drawn) == {"scope:scope_2:location": {1.0}, "scope:scope_2:market": {0.5},
                              "scope:scope_3_cat_2:location": None, "scope:scope_3_cat_2:market": None}


def test_a_segment_without_scopes_adds_only_the_quantities():
    drawn = inventory.combined_draws([_segment(("month",), scopes=False, procurement="cloud")], draws=DRAWS_N)
    assert list(drawn["month"]) == ["energy_kwh", "carbon_gco2e", "carbon_market_gco2e"]


@pytest.mark.parametrize("hashes", [("v1", "v2"), ("", "")], ids=["hashed", "without hash"])
def test_runs_of_two_versions_each_use_their_own_values(hashes):
    """Version v2 has a market factor of 80 gCO2e/kWh where v1 has 50: 0.5 g + 0.8 g = 1.3 g. Versions read
    from files have no hash yet: each is still its own version, never served the other's region."""
    drawn = inventory.combined_draws([_segment(("all",), 10, scopes=False, sha256=hashes[0]),
                                      _segment(("all",), 10, scopes=False, market=X(80.0), sha256=hashes[1])],
                                     draws=DRAWS_N)
    assert set(np.round(drawn["all"]["carbon_market_gco2e"], 12)) == {1.3}


def test_the_interval_of_summed_draws_is_numpy_s_percentiles_and_mean():
    """Draws 0, 1, …, 100 (shuffled): P5 = 5, P50 = 50, P95 = 95, mean 50."""
    values = np.random.default_rng(3).permutation(np.arange(101.0))
    assert inventory.interval(values, 0.0, 100.0) == {"p5": 5.0, "p50": 50.0, "p95": 95.0, "mean": 50.0}


def test_the_interval_is_clipped_into_the_summed_worst_case_bounds():
    values = np.arange(101.0)
    assert inventory.interval(values, 10.0, 40.0) == {"p5": 10.0, "p50": 40.0, "p95": 40.0, "mean": 40.0}


def test_the_interval_leaves_the_draws_it_is_given_unchanged():
    values = np.arange(101.0)[::-1].copy()
    inventory.interval(values, 0.0, 100.0)
    assert np.array_equal(values, np.arange(101.0)[::-1])


def test_a_sum_not_assessed_has_no_interval():
    assert inventory.interval(None, 0.0, 1.0) is None
