"""`compute_energy --version N` computes with version N's parameters."""

import json

import pytest
from methodology_testing import EXAMPLES_DIR, command_output

ANALYTICS = EXAMPLES_DIR / "2025-FluidTopics-daily-analytics.yaml"


def compute(version: int) -> dict:
    return json.loads(command_output(
        "compute_energy", str(ANALYTICS), "--version", str(version), "--region", "france", "--format", "json"
    ))


def test_compute_energy_with_version_2_uses_its_carbon_intensity(version_1, publish_carbon_intensity):
    publish_carbon_intensity(version_1, 55)  # France: 44 -> 55 gCO2e/kWh
    before, after = compute(1), compute(2)
    assert (before["methodology"]["version"], after["methodology"]["version"]) == (1, 2)
    assert after["totals"]["energy_kwh"] == before["totals"]["energy_kwh"]
    assert after["totals"]["carbon_gco2e"]["value"] == pytest.approx(before["totals"]["carbon_gco2e"]["value"] * 55 / 44)


def test_compute_energy_without_version_uses_the_latest(version_1, publish_carbon_intensity):
    publish_carbon_intensity(version_1, 55)
    latest = json.loads(command_output("compute_energy", str(ANALYTICS), "--region", "france", "--format", "json"))
    assert latest["methodology"]["version"] == 2
