"""Methodology parameters (calculations/engine/parameters.py): ranges, the alias index and the flat columns
the database rows are written from."""

from __future__ import annotations

import pytest

from calculations.engine.compute import Estimate
from calculations.engine.parameters import ModelProfile, Param, ParameterSet, Region, UsageProfile, range_columns

X = Param.exact


@pytest.mark.parametrize(("param", "exact"), [
    (Param(2.0, 2.0, 2.0), True),
    (Param(2.0, 1.0, 2.0), False),  # only the low end apart
    (Param(2.0, 2.0, 3.0), False),  # only the high end apart
    (Param(2.0, 1.0, 3.0), False),
])
def test_a_parameter_is_exact_only_when_its_three_numbers_are_equal(param, exact):
    assert param.is_exact() is exact


def test_a_parameter_is_read_at_each_bound():
    assert [Param(2.0, 1.0, 3.0).at(bound) for bound in ("value", "low", "high")] == [2.0, 1.0, 3.0]


def _parameters() -> ParameterSet:
    model = ModelProfile("m", "M", X(1), X(700), X(0), X(1000), X(100), X(0.5))
    profiles = {"chat": UsageProfile("chat", "Chat", "m", X(500), X(300), aliases=("ChatWithMe", "gpt-4.1")),
                "summary": UsageProfile("summary", "Summary", "m", X(6000), X(400), aliases=("SummarizeMe",)),
                "search": UsageProfile("search", "Search", "m", X(100), X(100))}
    regions = {"fr": Region("fr", "France", X(1.2), X(44)), "de": Region("de", "Germany", X(1.3), X(344))}
    return ParameterSet("fr", regions, {"m": model}, profiles)


def test_the_alias_index_maps_each_alias_to_its_profile_code():
    assert _parameters().alias_index() == {"ChatWithMe": "chat", "gpt-4.1": "chat", "SummarizeMe": "summary"}


def test_the_alias_index_is_built_once_and_kept():
    parameters = _parameters()
    first = parameters.alias_index()
    assert parameters.alias_index() is first


def test_a_region_code_or_none_for_the_default_region():
    parameters = _parameters()
    assert (parameters.region(None).code, parameters.region("de").code) == ("fr", "de")


def test_range_columns_flatten_each_range_and_leave_an_absent_one_null():
    region = Region("fr", "France", Param(1.2, 1.1, 1.4), X(44), wue=None)
    assert range_columns(region, ("pue", "carbon_intensity", "wue")) == {
        "pue_value": 1.2, "pue_low": 1.1, "pue_high": 1.4,
        "carbon_intensity_value": 44, "carbon_intensity_low": 44, "carbon_intensity_high": 44,
        "wue_value": None, "wue_low": None, "wue_high": None,
    }


def test_range_columns_read_a_result_s_estimates_too():
    class Totals:
        energy_kwh = Estimate(2.0, 1.0, 4.0)

    assert range_columns(Totals(), ("energy_kwh",)) == {"energy_kwh_value": 2.0, "energy_kwh_low": 1.0,
                                                         "energy_kwh_high": 4.0}
