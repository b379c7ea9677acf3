"""The parameter catalogue: its directions agree with the formulas, and it feeds validation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from calculations.engine import catalogue
from calculations.engine.analytics import Cell
from calculations.engine.compute import ESTIMATE_NAMES, compute
from calculations.engine.config import param_issues
from calculations.engine.parameters import Param

DAY = date(2025, 1, 1)
SECTION_OF = {"regions": "france", "models": "llm-large-4xh100", "profiles": "chatbot"}
USAGE_HYPOTHESES = [h for h in catalogue.HYPOTHESES if h.section in SECTION_OF]


@pytest.fixture(scope="module")
def assessed(default_parameters):
    """Version 1 with the optional hypotheses of methodology.md section 8, a market-based factor (France,
    the chatbot's model) and a cached-input fraction."""
    regions = dict(default_parameters.regions)
    regions["france"] = replace(regions["france"], wue=Param.exact(0.5), water_intensity=Param.exact(3.67),
                                carbon_intensity_market=Param.exact(52.0))
    models = dict(default_parameters.models)
    models["llm-large-4xh100"] = replace(models["llm-large-4xh100"], embodied_kgco2e=Param.exact(3506),
                                         lifetime_years=Param.exact(4), cached_input_fraction=Param.exact(0.1))
    return replace(default_parameters, regions=regions, models=models, _alias_index={})


def _figures(parameters) -> dict[str, float]:
    # A cell estimated from the profile's sizes, and one with explicit tokens of which some cached.
    cells = [Cell(DAY, "chatbot", 10), Cell(date(2025, 1, 2), "chatbot", 10, 4000, 2000, 1000)]
    totals = compute(cells, parameters, "france").totals
    return {name: getattr(totals, name).value for name in ESTIMATE_NAMES}


@pytest.mark.parametrize("hypothesis", USAGE_HYPOTHESES, ids=lambda h: h.name)
def test_a_hypothesis_moves_every_result_it_touches_in_its_catalogue_direction(hypothesis, assessed, replace_param):
    section, code = hypothesis.section, SECTION_OF[hypothesis.section]
    central = getattr(getattr(assessed, section)[code], hypothesis.name).value
    raised = central + 1 if hypothesis.whole else (central + 1) / 2 if hypothesis.at_most_one else central * 1.25
    before = _figures(assessed)
    after = _figures(replace_param(assessed, section, code, hypothesis.name, Param.exact(raised)))
    moved = {name: after[name] - before[name] for name in ESTIMATE_NAMES if after[name] != before[name]}
    assert moved, f"{hypothesis.name} moves no result"
    assert all((change > 0) == hypothesis.raises_result for change in moved.values()), moved


def test_a_hypothesis_that_lowers_the_result_gives_its_high_bound_to_the_low_result():
    assert catalogue.bound_for("efficiency", "low") == "high"
    assert catalogue.bound_for("efficiency", "high") == "low"
    assert catalogue.bound_for("efficiency", "value") == "value"


def test_a_hypothesis_that_raises_the_result_gives_the_same_bound():
    assert [catalogue.bound_for("pue", bound) for bound in catalogue.BOUNDS] == ["value", "low", "high"]


def test_an_equivalent_amount_lowers_the_count():
    assert catalogue.bound_for("amount", "low") == "high"


def test_sections_list_required_then_optional_hypotheses_in_config_order():
    assert catalogue.names("regions", optional=False) == ("pue", "carbon_intensity")
    assert catalogue.names("regions", optional=True) == ("wue", "water_intensity", "carbon_intensity_market")
    assert catalogue.names("models", optional=True) == ("embodied_kgco2e", "lifetime_years", "cached_input_fraction")
    assert catalogue.all_or_none("models") == ("embodied_kgco2e", "lifetime_years")
    assert catalogue.optional_alone("models") == ("cached_input_fraction",)


def test_every_hypothesis_has_a_section_a_label_and_a_unique_name():
    assert len(catalogue.BY_NAME) == len(catalogue.HYPOTHESES)
    assert all(h.section in catalogue.SECTIONS and h.label and h.column_label for h in catalogue.HYPOTHESES)


@pytest.mark.parametrize(("name", "unit"), [
    ("carbon_intensity", "gCO2e/kWh"), ("gpu_power_w", "W"), ("prefill_tokens_per_s", "tokens/s"),
    ("embodied_kgco2e", "kgCO2e"), ("lifetime_years", "years"), ("efficiency", ""), ("pue", ""),
])
def test_a_hypothesis_carries_its_unit(name, unit):
    """The pages and the admin print this unit next to the figure; "" is a ratio without unit."""
    assert catalogue.hypothesis(name).unit == unit


@pytest.mark.parametrize("name", [h.name for h in catalogue.HYPOTHESES if h.at_most_one])
def test_validation_refuses_a_share_above_1(name):
    assert [issue.reason for issue in param_issues(name, 0.5, 0.3, 1.2)] == [f"{name} must be <= 1, got 1.2"]


@pytest.mark.parametrize("name", [h.name for h in catalogue.HYPOTHESES if h.whole])
def test_validation_refuses_a_count_that_is_not_whole(name):
    assert {issue.reason for issue in param_issues(name, 2.5, 2.5, 2.5)} == {f"{name} must be an integer >= 1, got 2.5"}


def test_admin_column_labels_name_the_bound():
    assert catalogue.hypothesis("carbon_intensity").column_labels() == {
        "carbon_intensity_value": "carbon intensity (gCO2e/kWh)",
        "carbon_intensity_low": "carbon intensity low",
        "carbon_intensity_high": "carbon intensity high",
    }


@pytest.mark.parametrize("section, entry_class", [("regions", "Region"), ("models", "ModelProfile"),
                                                  ("profiles", "UsageProfile"), ("equivalents", "Equivalent")])
def test_the_engine_entries_hold_exactly_the_catalogue_hypotheses(section, entry_class):
    from dataclasses import fields

    from calculations.engine import parameters

    numbers = {f.name for f in fields(getattr(parameters, entry_class)) if "Param" in str(f.type)}
    assert numbers == set(catalogue.names(section))
