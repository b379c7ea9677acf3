"""The Shapley bridge (calculations/engine/bridge.py): hand-computed cases, exactness, symmetry, refusal."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

import pytest

from calculations.engine import bridge
from calculations.engine.analytics import Cell
from calculations.engine.compute import compute
from calculations.engine.parameters import ModelProfile, Param, ParameterSet, Region, UsageProfile
from calculations.engine.sensitivity import ProfileUsage

X = Param.exact


def _parameters(*, output_tokens=1000, gpu_power_w=3600, efficiency=1.0, pue=1.0, carbon_intensity=100.0,
                carbon_intensity_market=None, extra_profile=False, version=1) -> ParameterSet:
    """One region `r`, one model `m` and usage profile `chat` (plus `search` when extra_profile)."""
    model = ModelProfile("m", "M", gpu_count=X(1), gpu_power_w=X(gpu_power_w), host_power_w=X(0),
                         prefill_tokens_per_s=X(1000), decode_tokens_per_s=X(1000), efficiency=X(efficiency))
    profiles = {"chat": UsageProfile("chat", "Chat", "m", input_tokens=X(0), output_tokens=X(output_tokens))}
    if extra_profile:
        profiles["search"] = UsageProfile("search", "Search", "m", input_tokens=X(0), output_tokens=X(10))
    region = Region("r", "R", pue=X(pue), carbon_intensity=X(carbon_intensity),
                    carbon_intensity_market=None if carbon_intensity_market is None else X(carbon_intensity_market))
    return ParameterSet("r", {"r": region}, {"m": model}, profiles, version=version)


def _segment(parameters, inferences=10, **usage) -> bridge.Segment:
    return bridge.Segment(parameters, "r", {"chat": ProfileUsage(inferences, 0, inferences, 0, **usage)})


def test_usage_and_pue_share_their_joint_change_equally():
    """A: 10 inferences x 1000 output tokens at 1000 tokens/s = 10 s at 3600 W = 0.01 kWh, PUE 1, 100 g/kWh.
    B: 20 inferences and PUE 1.5.
    f(∅) = 0.01, f(usage) = 0.02, f(pue) = 0.015, f(usage, pue) = 0.03 kWh.
    φ_usage = ½(0.02 − 0.01) + ½(0.03 − 0.015) = 0.0125; φ_pue = ½(0.015 − 0.01) + ½(0.03 − 0.02) = 0.0075.
    Carbon is energy x 100: 1.25 g and 0.75 g; every other factor 0."""
    result = bridge.bridge(_segment(_parameters()), _segment(_parameters(pue=1.5), inferences=20))
    assert result.energy_kwh.a == pytest.approx(0.01, rel=1e-12)
    assert result.energy_kwh.b == pytest.approx(0.03, rel=1e-12)
    assert result.energy_kwh.factors["usage"] == pytest.approx(0.0125, rel=1e-12)
    assert result.energy_kwh.factors["pue"] == pytest.approx(0.0075, rel=1e-12)
    assert result.carbon_gco2e.factors["usage"] == pytest.approx(1.25, rel=1e-12)
    assert result.carbon_gco2e.factors["pue"] == pytest.approx(0.75, rel=1e-12)
    assert {g: result.energy_kwh.factors[g] for g in ("token_sizes", "hardware", "efficiency", "carbon_intensity")} \
        == dict.fromkeys(("token_sizes", "hardware", "efficiency", "carbon_intensity"), 0.0)


def test_hardware_and_carbon_intensity_split_the_carbon_change():
    """B doubles the GPU power (7200 W) and triples the carbon intensity (300 g/kWh).
    Energy: f(∅) = 0.01, f(hardware) = 0.02 kWh, carbon intensity moves nothing: φ_hardware = 0.01, φ_ci = 0.
    Carbon: f(∅) = 1, f(hardware) = 2, f(ci) = 3, f(both) = 6 g.
    φ_hardware = ½(2 − 1) + ½(6 − 3) = 2 g; φ_ci = ½(3 − 1) + ½(6 − 2) = 3 g; 2 + 3 = 6 − 1."""
    result = bridge.bridge(_segment(_parameters()), _segment(_parameters(gpu_power_w=7200, carbon_intensity=300)))
    assert result.energy_kwh.factors["hardware"] == pytest.approx(0.01, rel=1e-12)
    assert result.carbon_gco2e.factors["hardware"] == pytest.approx(2.0, rel=1e-12)
    assert result.carbon_gco2e.factors["carbon_intensity"] == pytest.approx(3.0, rel=1e-12)


def test_a_group_that_cannot_change_energy_gives_exactly_zero():
    result = bridge.bridge(_segment(_parameters()), _segment(_parameters(gpu_power_w=7200, carbon_intensity=300)))
    assert result.energy_kwh.factors["carbon_intensity"] == 0.0


def test_token_sizes_count_only_the_inferences_without_explicit_tokens():
    """A: 10 inferences estimated (1000 tokens each) plus 5000 explicit output tokens: 15 000 tokens = 0.015 kWh.
    B: sizes 2000: 20 000 + 5000 = 25 000 tokens = 0.025 kWh; φ_token_sizes = 0.01 kWh, the whole change."""
    a = bridge.Segment(_parameters(), "r", {"chat": ProfileUsage(10, 0, 10, 5000)})
    b = bridge.Segment(_parameters(output_tokens=2000), "r", {"chat": ProfileUsage(10, 0, 10, 5000)})
    result = bridge.bridge(a, b)
    assert result.energy_kwh.a == pytest.approx(0.015, rel=1e-12)
    assert result.energy_kwh.factors["token_sizes"] == pytest.approx(0.01, rel=1e-12)
    assert result.energy_kwh.factors["usage"] == 0.0


def _real_sides(parameters):
    """Version 1 as shipped, France, against a version with every group changed, Germany, more usage."""
    usage_a = {"chatbot": ProfileUsage(1000, 0, 1000, 0), "summary": ProfileUsage(300, 45_000, 200, 9000)}
    usage_b = {"chatbot": ProfileUsage(1500, 0, 1400, 2000), "summary": ProfileUsage(250, 50_000, 250, 0)}
    chatbot = parameters.profiles["chatbot"]
    model = parameters.models[chatbot.model]
    changed = replace(parameters, profiles={**parameters.profiles, "chatbot": replace(
        chatbot, output_tokens=Param(410, 300, 500))}, models={**parameters.models, chatbot.model: replace(
        model, gpu_power_w=Param(650, 500, 700), efficiency=Param(0.4, 0.2, 0.6))},
        regions={**parameters.regions, "germany": replace(parameters.regions["germany"], pue=Param(1.3, 1.1, 1.5),
                                                          carbon_intensity_market=Param(610, 500, 700))},
        version=2)
    parameters = replace(parameters, regions={**parameters.regions, "france": replace(
        parameters.regions["france"], carbon_intensity_market=Param(52, 40, 60))})
    return bridge.Segment(parameters, "france", usage_a), bridge.Segment(changed, "germany", usage_b)


def test_exact_factors_sum_exactly_to_the_change(parameters):
    a, b = _real_sides(parameters)
    exact = bridge.exact_factors(a, b)
    result = bridge.bridge(a, b)
    for name in bridge.QUANTITIES:
        quantity = getattr(result, name)
        assert sum(exact[name].values()) == Fraction(quantity.b) - Fraction(quantity.a)


def test_rounded_factors_sum_to_the_change_within_half_an_ulp_each(parameters):
    """Each factor is its exact value rounded once (≤ ½ ulp); fsum of them and b − a each round once more."""
    a, b = _real_sides(parameters)
    result = bridge.bridge(a, b)
    for quantity in (result.energy_kwh, result.carbon_gco2e, result.carbon_market_gco2e):
        total = math.fsum(quantity.factors.values())
        bound = (sum(math.ulp(f) for f in quantity.factors.values()) / 2 + math.ulp(total) / 2
                 + math.ulp(quantity.b - quantity.a) / 2)
        assert abs(total - (quantity.b - quantity.a)) <= bound
        assert all(quantity.factors[g] != 0 for g in ("usage", "token_sizes", "hardware", "efficiency", "pue"))


def test_swapping_the_sides_negates_every_factor(parameters):
    a, b = _real_sides(parameters)
    forward, backward = bridge.bridge(a, b), bridge.bridge(b, a)
    for name in bridge.QUANTITIES:
        assert getattr(backward, name).factors == {g: -f for g, f in getattr(forward, name).factors.items()}


def test_a_side_totals_are_the_engines_central_totals(parameters):
    """f(∅) from per-profile sums equals compute()'s total of the same cells (to the rounding of the cell sums)."""
    cells = [Cell(date(2025, 1, 1) + timedelta(days=d), profile, 100 + d) for d in range(30)
             for profile in ("chatbot", "summary")]
    run = compute(cells, parameters, "france")
    usage = {p: ProfileUsage(sum(c.inferences for c in cells if c.profile == p), 0,
                             sum(c.inferences for c in cells if c.profile == p), 0) for p in ("chatbot", "summary")}
    segment = bridge.Segment(parameters, "france", usage)
    result = bridge.bridge(segment, segment)
    assert result.energy_kwh.a == pytest.approx(run.totals.energy_kwh.value, rel=1e-12)
    assert result.carbon_gco2e.a == pytest.approx(run.totals.carbon_gco2e.value, rel=1e-12)
    assert set(result.energy_kwh.factors.values()) == {0.0}


def test_a_profile_missing_from_the_other_version_is_refused_by_name():
    a = bridge.Segment(_parameters(extra_profile=True), "r",
                       {"chat": ProfileUsage(1, 0, 1, 0), "search": ProfileUsage(1, 0, 1, 0)})
    b = _segment(_parameters(version=3))
    with pytest.raises(bridge.MissingProfile, match="'search' of side A does not exist in methodology v3"):
        bridge.bridge(a, b)


def test_combined_segments_add_up_factor_by_factor():
    """Two paired segments: the usage change of the first (0.01 kWh) and the PUE change of the second
    (0.005 kWh, from the 0.01 kWh at PUE 1 to PUE 1.5) add up."""
    first = bridge.bridge(_segment(_parameters()), _segment(_parameters(), inferences=20))
    second = bridge.bridge(_segment(_parameters()), _segment(_parameters(pue=1.5)))
    both = bridge.combine([first, second])
    assert both.energy_kwh.a == pytest.approx(0.02, rel=1e-12)
    assert both.energy_kwh.factors["usage"] == pytest.approx(0.01, rel=1e-12)
    assert both.energy_kwh.factors["pue"] == pytest.approx(0.005, rel=1e-12)


def test_a_segment_without_counterpart_is_all_usage():
    """Paired with the same version and region and no usage (methodology.md section 12): f(∅) = 0, and only
    the usage group can move the total: 20 inferences = 0.02 kWh of IT energy x PUE 1.5 = 0.03 kWh."""
    alone = _segment(_parameters(pue=1.5), inferences=20)
    result = bridge.bridge(bridge.Segment(alone.parameters, alone.region, {}), alone)
    assert result.energy_kwh.a == 0.0
    assert result.energy_kwh.factors["usage"] == pytest.approx(0.03, rel=1e-12)
    assert [result.energy_kwh.factors[g] for g in bridge.GROUPS if g != "usage"] == [0.0] * 5


def test_cached_input_tokens_are_usage_and_their_fraction_is_hardware():
    """A: 10 000 explicit input tokens, none cached, at 1000 tokens/s and 3600 W: 10 s = 0.01 kWh.
    B: the same tokens of which 8 000 cached, under a model with cached_input_fraction 0.25:
    f(usage) = f(∅) = 0.01 (the fraction is 1 under A's model); f(hardware) = 0.01 (no cached token under A's usage);
    f(usage, hardware) = (2000 + 0.25 x 8000) / 1000 s = 4 s = 0.004 kWh. φ_usage = φ_hardware = ½(0.004 − 0.01) = −0.003."""
    with_fraction = _parameters()
    model = replace(with_fraction.models["m"], cached_input_fraction=X(0.25))
    with_fraction = replace(with_fraction, models={"m": model})
    a = bridge.Segment(_parameters(), "r", {"chat": ProfileUsage(0, 10_000, 0, 0)})
    b = bridge.Segment(with_fraction, "r", {"chat": ProfileUsage(0, 10_000, 0, 0, 8000)})
    result = bridge.bridge(a, b)
    assert result.energy_kwh.b == pytest.approx(0.004, rel=1e-12)
    assert result.energy_kwh.factors["usage"] == pytest.approx(-0.003, rel=1e-12)
    assert result.energy_kwh.factors["hardware"] == pytest.approx(-0.003, rel=1e-12)


# --------------------------------------------------------------------------- market-based carbon


def test_usage_and_the_market_factor_share_the_market_based_change():
    """A: 0.01 kWh (10 inferences) at a market factor of 200 g/kWh; B: 20 inferences, 500 g/kWh; the
    location-based intensity (100 g/kWh) unchanged.
    f(∅) = 0.01 x 200 = 2, f(usage) = 0.02 x 200 = 4, f(ci) = 0.01 x 500 = 5, f(usage, ci) = 0.02 x 500 = 10 g.
    φ_usage = ½(4 − 2) + ½(10 − 5) = 3.5 g; φ_ci = ½(5 − 2) + ½(10 − 4) = 4.5 g; 3.5 + 4.5 = 10 − 2.
    Location-based: the intensity did not change, so its carbon_intensity factor is 0 and usage is all (1 g)."""
    result = bridge.bridge(_segment(_parameters(carbon_intensity_market=200)),
                           _segment(_parameters(carbon_intensity_market=500), inferences=20))
    market = result.carbon_market_gco2e
    assert (market.a, market.b) == pytest.approx((2.0, 10.0), rel=1e-12)
    assert market.factors["usage"] == pytest.approx(3.5, rel=1e-12)
    assert market.factors["carbon_intensity"] == pytest.approx(4.5, rel=1e-12)
    assert [market.factors[g] for g in ("token_sizes", "hardware", "efficiency", "pue")] == [0.0] * 4
    assert result.carbon_gco2e.factors["carbon_intensity"] == 0.0
    assert result.carbon_gco2e.factors["usage"] == pytest.approx(1.0, rel=1e-12)


def test_market_based_factors_sum_exactly_to_the_change(parameters):
    a, b = _real_sides(parameters)
    exact = bridge.exact_factors(a, b)["carbon_market_gco2e"]
    market = bridge.bridge(a, b).carbon_market_gco2e
    assert sum(exact.values()) == Fraction(market.b) - Fraction(market.a)
    assert market.factors["carbon_intensity"] != 0.0  # France's 52 g/kWh against Germany's 610


def test_market_based_carbon_not_assessed_on_one_side_has_no_factors():
    """A's region has a market factor (200 g/kWh: 0.01 kWh gives 2 g), B's has none: A's total is given, B's
    is null and the change is not attributed (null factors), never 0."""
    result = bridge.bridge(_segment(_parameters(carbon_intensity_market=200)), _segment(_parameters()))
    assert result.carbon_market_gco2e.as_dict() == {"a": pytest.approx(2.0, rel=1e-12), "b": None, "factors": None}
    assert bridge.exact_factors(_segment(_parameters()), _segment(_parameters()))["carbon_market_gco2e"] is None


def test_combined_market_based_carbon_is_not_assessed_when_one_pair_is_not():
    assessed = bridge.bridge(_segment(_parameters(carbon_intensity_market=200)),
                             _segment(_parameters(carbon_intensity_market=200), inferences=20))
    without = bridge.bridge(_segment(_parameters()), _segment(_parameters()))
    assert bridge.combine([assessed]).carbon_market_gco2e.factors["usage"] == pytest.approx(2.0, rel=1e-12)
    both = bridge.combine([assessed, without]).carbon_market_gco2e
    assert (both.a, both.b, both.factors) == (None, None, None)


def test_combined_segments_add_up_their_b_sides_too():
    first = bridge.bridge(_segment(_parameters()), _segment(_parameters(), inferences=20))
    second = bridge.bridge(_segment(_parameters()), _segment(_parameters(pue=1.5)))
    assert bridge.combine([first, second]).energy_kwh.b == pytest.approx(0.02 + 0.015, rel=1e-12)


def test_a_profile_missing_from_side_a_s_version_is_refused_naming_side_b():
    a = _segment(_parameters(version=None))  # read from files, not the database: no version number
    b = bridge.Segment(_parameters(extra_profile=True), "r",
                       {"chat": ProfileUsage(1, 0, 1, 0), "search": ProfileUsage(1, 0, 1, 0)})
    with pytest.raises(bridge.MissingProfile) as refused:
        bridge.bridge(a, b)
    assert (refused.value.side, str(refused.value)) == ("B", (
        "Usage profile 'search' of side B does not exist in methodology the other side's version, "
        "so its usage cannot be valued under the other side's hypotheses."))


def test_two_sides_without_any_usage_bridge_zero_to_zero():
    """No profile used on either side (an empty period against another): every total and factor is 0."""
    result = bridge.bridge(bridge.Segment(_parameters(), "r", {}), bridge.Segment(_parameters(pue=1.5), "r", {}))
    assert (result.energy_kwh.a, result.energy_kwh.b) == (0.0, 0.0)
    assert result.carbon_gco2e.factors == dict.fromkeys(bridge.GROUPS, 0.0)


def test_the_bridge_document_holds_each_quantity_s_sides_and_factors_null_where_not_assessed():
    """The document the API and the comparison page read: per quantity, a, b and the factors by group;
    market-based carbon not assessed keeps its sides and has null factors, never zeros."""
    energy = dict(zip(bridge.GROUPS, (0.5, 0.25, 0.0, -0.125, 0.375, 0.0)))
    carbon = dict(zip(bridge.GROUPS, (50.0, 25.0, 0.0, -12.5, 37.5, 100.0)))
    document = bridge.Bridge(
        energy_kwh=bridge.QuantityBridge(1.0, 2.0, energy),
        carbon_gco2e=bridge.QuantityBridge(100.0, 300.0, carbon),
        carbon_market_gco2e=bridge.QuantityBridge(80.0, None, None),
    ).as_dict()
    assert document == {
        "energy_kwh": {"a": 1.0, "b": 2.0, "factors": {"usage": 0.5, "token_sizes": 0.25, "hardware": 0.0,
                                                       "efficiency": -0.125, "pue": 0.375, "carbon_intensity": 0.0}},
        "carbon_gco2e": {"a": 100.0, "b": 300.0, "factors": {"usage": 50.0, "token_sizes": 25.0, "hardware": 0.0,
                                                             "efficiency": -12.5, "pue": 37.5,
                                                             "carbon_intensity": 100.0}},
        "carbon_market_gco2e": {"a": 80.0, "b": None, "factors": None},
    }
    assert list(document) == ["energy_kwh", "carbon_gco2e", "carbon_market_gco2e"]
