"""The tornado: one parameter at a time from low to high, the others central."""

from datetime import date

import pytest

from calculations.engine.analytics import Cell
from calculations.engine.compute import compute
from calculations.engine.parameters import Param
from calculations.engine.sensitivity import ProfileUsage, Swing, swings
from tests.calculations.engine.cached_testing import cached_parameters
from tests.calculations.usage_testing import usage_by_profile

DAY = date(2025, 1, 1)


def test_swings_at_central_values_agree_with_compute(default_parameters):
    cells = [Cell(DAY, "chatbot", 100), Cell(DAY, "completion", 1000, input_tokens=250_000)]
    by_name = {(s.code, s.parameter): s for s in swings(usage_by_profile(cells), default_parameters, "france")}
    efficiency = by_name[("llm-small-1xh100", "efficiency")]
    central = compute(cells, default_parameters, "france").totals.energy_kwh.value
    # only the completion's model changes; its efficiency 0.5 -> 0.3 and 0.8
    completion = compute([cells[1]], default_parameters, "france").totals.energy_kwh.value
    assert efficiency.energy_kwh_at_low == pytest.approx(central + completion * (0.5 / 0.3 - 1), rel=1e-12)
    assert efficiency.energy_kwh_at_high == pytest.approx(central + completion * (0.5 / 0.8 - 1), rel=1e-12)


def test_carbon_intensity_swings_carbon_but_not_energy(default_parameters):
    cells = [Cell(DAY, "chatbot", 100)]
    by_name = {(s.code, s.parameter): s for s in swings(usage_by_profile(cells), default_parameters, "france")}
    ci = by_name[("france", "carbon_intensity")]
    assert ci.energy_swing_kwh == 0
    energy = compute(cells, default_parameters, "france").totals.energy_kwh.value
    assert ci.carbon_swing_gco2e == pytest.approx(energy * (56 - 21.7), rel=1e-12)


def test_swings_are_sorted_largest_first_on_a_constructed_case(default_parameters, replace_param):
    # Make efficiency the widest hypothesis by far: 0.05-1.0.
    params = replace_param(default_parameters, "models", "llm-large-4xh100", "efficiency", Param(0.5, 0.05, 1.0))
    result = swings(usage_by_profile([Cell(DAY, "chatbot", 100)]), params, "france")
    assert (result[0].code, result[0].parameter) == ("llm-large-4xh100", "efficiency")
    carbon = [s.carbon_swing_gco2e for s in result]
    assert carbon == sorted(carbon, reverse=True)


def test_parameters_without_a_range_and_unused_profiles_are_left_out(default_parameters):
    result = swings(usage_by_profile([Cell(DAY, "chatbot", 1)]), default_parameters, "france")
    names = {(s.code, s.parameter) for s in result}
    assert ("llm-large-4xh100", "gpu_count") not in names  # 4, no range
    assert not any(code in {"completion", "llm-small-1xh100"} for code, _ in names)


def test_explicit_tokens_make_the_token_averages_irrelevant(default_parameters):
    cells = [Cell(DAY, "chatbot", 100, input_tokens=150_000, output_tokens=40_000)]
    by_name = {(s.code, s.parameter): s for s in swings(usage_by_profile(cells), default_parameters, "france")}
    assert by_name[("chatbot", "input_tokens")].energy_swing_kwh == 0


def test_without_a_region_the_swings_are_those_of_the_default_region(default_parameters):
    usage = usage_by_profile([Cell(DAY, "chatbot", 100)])
    assert swings(usage, default_parameters) == swings(usage, default_parameters, default_parameters.default_region)


def test_each_swing_names_the_section_of_its_hypothesis(default_parameters):
    by_name = {(s.code, s.parameter): s for s in swings(usage_by_profile([Cell(DAY, "chatbot", 100)]),
                                                        default_parameters, "france")}
    assert by_name[("france", "carbon_intensity")].section == "regions"
    assert by_name[("llm-large-4xh100", "efficiency")].section == "models"
    assert by_name[("chatbot", "input_tokens")].section == "profiles"


def test_swings_count_explicit_output_tokens(default_parameters):
    """A cell with explicit output tokens: the efficiency swing moves energy as compute() does for it."""
    cells = [Cell(DAY, "completion", 1000, input_tokens=250_000, output_tokens=90_000)]
    efficiency = {(s.code, s.parameter): s for s in swings(usage_by_profile(cells), default_parameters, "france")}[
        ("llm-small-1xh100", "efficiency")]
    central = compute(cells, default_parameters, "france").totals.energy_kwh.value
    assert efficiency.energy_kwh_at_low == pytest.approx(central * 0.5 / 0.3, rel=1e-12)


def test_the_cached_input_fraction_swings_only_usage_with_cached_tokens():
    parameters = cached_parameters()
    cached = {"chat": ProfileUsage(explicit_input_tokens=10_000, explicit_output_tokens=1000,
                                   explicit_cached_input_tokens=8000)}
    plain = {"chat": ProfileUsage(explicit_input_tokens=10_000, explicit_output_tokens=1000)}
    swing = next(s for s in swings(cached, parameters, "r") if s.parameter == "cached_input_fraction")
    # energy at the fraction's low and high, the others central (1000 W, 10 000 / 1 000 tokens/s, 0.5, PUE 1.2)
    assert swing.energy_kwh_at_low == pytest.approx(1000 * ((2000 + 0.05 * 8000) / 10_000 + 1) / 0.5 / 3.6e6 * 1.2)
    assert swing.energy_kwh_at_high == pytest.approx(1000 * ((2000 + 0.5 * 8000) / 10_000 + 1) / 0.5 / 3.6e6 * 1.2)
    assert all(s.parameter != "cached_input_fraction" for s in swings(plain, parameters, "r"))


def test_a_swing_s_document_gives_its_hypothesis_and_the_totals_at_low_and_high_with_the_swing():
    """The document the API's sensitivity view serves: swings computed by hand, |high - low|."""
    swing = Swing("models", "llm-large-4xh100", "efficiency", energy_kwh_at_low=5.0, energy_kwh_at_high=2.0,
                  carbon_gco2e_at_low=300.0, carbon_gco2e_at_high=120.0)
    assert swing.as_dict() == {
        "section": "models",
        "code": "llm-large-4xh100",
        "parameter": "efficiency",
        "energy_kwh": {"at_low": 5.0, "at_high": 2.0, "swing": 3.0},
        "carbon_gco2e": {"at_low": 300.0, "at_high": 120.0, "swing": 180.0},
    }


def test_swings_of_equal_carbon_are_ordered_by_energy_swing_largest_first(default_parameters, replace_param):
    """In a region of zero central carbon intensity every swing but the intensity's own moves no carbon:
    the tornado then orders them by their energy swing."""
    params = replace_param(default_parameters, "regions", "france", "carbon_intensity", Param(0.0, 0.0, 50.0))
    result = swings(usage_by_profile([Cell(DAY, "chatbot", 100)]), params, "france")
    assert (result[0].code, result[0].parameter) == ("france", "carbon_intensity")
    rest = result[1:]
    assert all(s.carbon_swing_gco2e == 0 for s in rest)
    energy = [s.energy_swing_kwh for s in rest]
    assert len(set(energy)) > 2 and energy == sorted(energy, reverse=True)
