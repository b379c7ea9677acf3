"""calculations.presentation.numbers: digits in the active locale, display units and estimates."""

from __future__ import annotations

import pytest
from django.utils import translation

from calculations.presentation.numbers import (
    ENERGY_UNITS, Unit, binary_size, carbon_unit, energy_unit, estimate, number, optional_estimate, water_unit,
)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def french():
    with translation.override("fr"):
        yield


def test_number_keeps_three_significant_digits(english):
    assert (number(412.3), number(0.61437), number(17634.2)) == ("412", "0.614", "17,634")


def test_number_groups_and_uses_a_decimal_comma_in_french(french):
    assert number(17634.2).replace("\u202f", " ").replace("\xa0", " ") == "17 634"
    assert number(0.61437) == "0,614"


@pytest.mark.parametrize(("kwh", "symbol"), [(0.5, "Wh"), (1, "kWh"), (9_999, "kWh"), (10_000, "MWh"),
                                             (10_000_000, "GWh")])
def test_energy_unit_moves_to_the_next_unit_at_its_threshold(kwh, symbol):
    assert energy_unit(kwh).symbol == symbol


@pytest.mark.parametrize(("grams", "symbol"), [(999, "gCO2e"), (1_000, "kgCO2e"), (124_916, "kgCO2e"),
                                               (1_000_000, "tCO2e")])
def test_carbon_unit_is_grams_below_a_kilogram_then_kilograms_then_tonnes(grams, symbol):
    assert carbon_unit(grams).symbol == symbol


def test_water_unit_is_cubic_metres_from_ten_thousand_litres():
    assert (water_unit(9_999).symbol, water_unit(10_000).symbol) == ("L", "m³")


def test_estimate_converts_value_and_range_into_the_unit(english):
    shown = estimate({"value": 0.4123, "low": 0.19, "high": 0.98}, ENERGY_UNITS[0])
    assert shown == {"value": "412", "range": "190–980", "text": "412 Wh (190–980)", "unit": "Wh"}


def test_estimate_without_unit_leaves_the_unit_to_the_column(english):
    shown = estimate({"value": 2.0, "low": 1.0, "high": 3.0}, Unit("kWh", 1.0), with_unit=False)
    assert shown["text"] == "2 (1–3)"


def test_optional_estimate_keeps_not_assessed_as_none():
    assert optional_estimate(None, pick=carbon_unit) is None


def test_optional_estimate_picks_the_unit_from_the_central_value(english):
    assert optional_estimate({"value": 2500.0, "low": 2000.0, "high": 3000.0}, pick=carbon_unit)["unit"] == "kgCO2e"


def test_binary_size_names_the_cap_in_mebibytes(english):
    assert binary_size(50 * 1024 * 1024) == "50 MiB"


def test_binary_size_in_french_says_mio(french):
    assert binary_size(50 * 1024 * 1024) == "50 Mio"


def test_binary_size_below_a_kibibyte_counts_bytes(english):
    assert (binary_size(1000), binary_size(1)) == ("1,000 bytes", "1 byte")
