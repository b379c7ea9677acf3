"""GHG Protocol scope categories (engine/scope.py, methodology.md section 13) against hand sums, and the
`procurement` key of a model profile (config, canonical form and hash)."""

import copy

import pytest
import yaml

from calculations.engine import scope
from calculations.engine.canonical import canonical_dict, parameter_set_from_canonical
from calculations.engine.config import ConfigError, parameter_set_from_docs, parameter_set_to_docs
from calculations.engine.scope import ProfileCarbon, scope_totals
from tests.conftest import CONFIG_DIR


def e(value, low, high):
    return {"value": value, "low": low, "high": high}


@pytest.fixture(scope="module")
def docs():
    return (yaml.safe_load((CONFIG_DIR / "config.yaml").read_text()),
            yaml.safe_load((CONFIG_DIR / "config_model.yaml").read_text()))


def test_own_datacentre_electricity_is_scope_2_and_its_hardware_scope_3_category_2():
    totals = scope_totals([ProfileCarbon("own_datacentre", e(10, 5, 20), e(30, 20, 40), e(4, 2, 8))])
    assert set(totals) == {"scope_2", "scope_3_cat_2"}
    assert totals["scope_2"]["location_based_gco2e"] == e(10, 5, 20)
    assert totals["scope_2"]["market_based_gco2e"] == e(30, 20, 40)
    assert totals["scope_3_cat_2"]["location_based_gco2e"] == totals["scope_3_cat_2"]["market_based_gco2e"] == e(4, 2, 8)


@pytest.mark.parametrize("procurement", ["cloud", "api_service"])
def test_a_purchased_service_puts_electricity_and_hardware_in_scope_3_category_1(procurement):
    totals = scope_totals([ProfileCarbon(procurement, e(10, 5, 20), e(30, 20, 40), e(4, 2, 8))])
    assert set(totals) == {"scope_3_cat_1"}
    assert totals["scope_3_cat_1"]["location_based_gco2e"] == e(14, 7, 28)
    assert totals["scope_3_cat_1"]["market_based_gco2e"] == e(34, 22, 48)


def test_profiles_of_one_category_add_up_bound_by_bound():
    totals = scope_totals([ProfileCarbon("cloud", e(1, 0.5, 2), None, None),
                           ProfileCarbon("api_service", e(2, 1, 3), None, None),
                           ProfileCarbon("own_datacentre", e(7, 6, 8), None, None)])
    assert totals["scope_3_cat_1"]["location_based_gco2e"] == e(3, 1.5, 5)
    assert totals["scope_2"]["location_based_gco2e"] == e(7, 6, 8)


def test_market_based_is_none_when_one_profile_of_the_category_has_no_market_factor():
    totals = scope_totals([ProfileCarbon("cloud", e(1, 1, 1), e(2, 2, 2), None),
                           ProfileCarbon("cloud", e(1, 1, 1), None, None)])
    assert totals["scope_3_cat_1"]["market_based_gco2e"] is None
    assert totals["scope_3_cat_1"]["electricity_market_gco2e"] is None
    assert totals["scope_3_cat_1"]["location_based_gco2e"] == e(2, 2, 2)


def test_hardware_not_assessed_leaves_scope_3_category_2_none_never_zero():
    totals = scope_totals([ProfileCarbon("own_datacentre", e(1, 1, 1), None, None)])
    assert totals["scope_3_cat_2"]["location_based_gco2e"] is None
    assert totals["scope_3_cat_2"]["embodied_gco2e"] is None


def test_a_profile_whose_model_declares_nothing_is_reported_apart():
    totals = scope_totals([ProfileCarbon("", e(1, 1, 1), None, e(1, 1, 1))])
    assert set(totals) == {"not_declared"}
    assert totals["not_declared"]["location_based_gco2e"] == e(2, 2, 2)


def test_a_declared_procurement_is_read_from_the_config_and_written_back(docs):
    regions, models = copy.deepcopy(docs)
    models["models"]["llm-large-4xh100"]["procurement"] = "own_datacentre"
    parameters = parameter_set_from_docs(regions, models)
    assert parameters.models["llm-large-4xh100"].procurement == "own_datacentre"
    again = parameter_set_from_docs(*parameter_set_to_docs(parameters))
    assert again.models["llm-large-4xh100"].procurement == "own_datacentre" and again.sha256 == parameters.sha256


def test_an_unknown_procurement_is_refused_with_where_and_what_is_allowed(docs):
    regions, models = copy.deepcopy(docs)
    models["models"]["llm-large-4xh100"]["procurement"] = "on_prem"
    with pytest.raises(ConfigError) as refused:
        parameter_set_from_docs(regions, models)
    [issue] = refused.value.issues
    assert issue.path == "models.llm-large-4xh100.procurement" and "own_datacentre, cloud, api_service" in issue.reason


def test_a_version_without_procurement_keeps_its_hash_and_reads_as_not_declared(docs, default_parameters):
    regions, models = copy.deepcopy(docs)
    parameters = parameter_set_from_docs(regions, models)
    assert parameters.sha256 == default_parameters.sha256
    assert "procurement" not in canonical_dict(parameters)["models"]["llm-large-4xh100"]
    assert all(m.procurement == scope.NOT_DECLARED for m in parameters.models.values())


def test_declaring_a_procurement_changes_the_hash_and_survives_the_snapshot(docs, default_parameters):
    regions, models = copy.deepcopy(docs)
    models["models"]["llm-large-4xh100"]["procurement"] = "cloud"
    parameters = parameter_set_from_docs(regions, models)
    assert parameters.sha256 != default_parameters.sha256
    rebuilt = parameter_set_from_canonical(canonical_dict(parameters))
    assert rebuilt.models["llm-large-4xh100"].procurement == "cloud"


def test_market_based_total_of_a_service_without_market_factor_is_none_not_its_embodied_carbon():
    """A purchased service (Scope 3 category 1 holds its electricity and its hardware) in a region without a
    market factor: its market-based total is not assessed, never the embodied carbon alone (4 g)."""
    totals = scope_totals([ProfileCarbon("api_service", e(10, 5, 20), None, e(4, 2, 8))])
    category = totals["scope_3_cat_1"]
    assert category["embodied_gco2e"] == e(4, 2, 8)
    assert category["location_based_gco2e"] == e(14, 7, 28)
    assert category["market_based_gco2e"] is None
