"""Equivalents: totals divided by sourced conversion factors, with ranges."""

from calculations.engine.canonical import canonical_dict, parameter_set_from_canonical
from calculations.engine.compute import Estimate
from calculations.engine.config import load_config_dir, parameter_set_to_docs, write_config_dir
from calculations.engine.equivalents import equivalents


def test_a_total_divided_by_the_factor_with_the_range_keeping_both_uncertainties(default_parameters):
    totals = {"energy_kwh": Estimate(1.5, 0.3, 6.0)}
    [charges] = [e for e in equivalents(totals, default_parameters) if e.code == "smartphone-charge"]
    # 1.5 kWh / 0.015 kWh = 100 charges; low 0.3 / 0.019; high 6.0 / 0.012
    assert charges.count == Estimate(1.5 / 0.015, 0.3 / 0.019, 6.0 / 0.012)
    assert charges.unit == "charges"


def test_a_metric_not_assessed_gives_no_equivalent(default_parameters):
    totals = {"energy_kwh": Estimate(1, 1, 1), "water_l": None, "carbon_total_gco2e": None}
    assert [e.code for e in equivalents(totals, default_parameters)] == ["smartphone-charge"]


def test_equivalents_are_part_of_the_hash_and_the_round_trip(default_parameters, tmp_path):
    write_config_dir(default_parameters, tmp_path)
    assert load_config_dir(tmp_path).equivalents == default_parameters.equivalents
    rebuilt = parameter_set_from_canonical(canonical_dict(default_parameters))
    assert rebuilt.sha256 == default_parameters.sha256
    assert "equivalents" in parameter_set_to_docs(default_parameters)[0]


def test_an_equivalent_s_document_names_it_and_gives_its_count_with_the_range(default_parameters):
    """The document the run page and the API show: 1.5 kWh (0.3-6.0) is 100 smartphone charges (15.8-500)."""
    [charges] = [e for e in equivalents({"energy_kwh": Estimate(1.5, 0.3, 6.0)}, default_parameters)
                 if e.code == "smartphone-charge"]
    assert charges.as_dict() == {
        "code": "smartphone-charge", "name": "Full smartphone charge", "unit": "charges", "metric": "energy_kwh",
        "count": {"value": 1.5 / 0.015, "low": 0.3 / 0.019, "high": 6.0 / 0.012},
    }
