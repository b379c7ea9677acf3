"""Section 6: embodied carbon and water, by hand."""

from dataclasses import replace
from datetime import date

import pytest

from calculations.engine.analytics import Cell
from calculations.engine.canonical import parameter_set_sha256

DAY = date(2025, 1, 1)
SECONDS_PER_YEAR = 365.25 * 86400
# One chatbot answer, central: busy = 0.1 + 0.266667 s, replica_s = busy / 0.5 = 0.733333 s
REPLICA_S = (0.1 + 400 / 1500) / 0.5
ENERGY_IT_KWH = 2600 * REPLICA_S / 3_600_000


def test_embodied_carbon_of_one_chatbot_answer(default_parameters):
    from calculations.engine.compute import compute

    result = compute([Cell(DAY, "chatbot", 1)], default_parameters, "france").totals
    # 3506 kgCO2e * 1000 * 0.733333 s / (4 years * 365.25 * 86400 s) = 0.0204 g
    assert result.embodied_gco2e.value == pytest.approx(3506 * 1000 * REPLICA_S / (4 * SECONDS_PER_YEAR), rel=1e-12)
    assert result.embodied_gco2e.value == pytest.approx(0.0204, abs=0.0001)
    assert result.carbon_total_gco2e.value == pytest.approx(result.carbon_gco2e.value + result.embodied_gco2e.value)


def test_embodied_bounds_take_the_short_lifetime_for_the_high_value(default_parameters):
    from calculations.engine.compute import compute

    result = compute([Cell(DAY, "chatbot", 1)], default_parameters, "france").totals
    # high: busy 1.5 s / eta 0.3 = 5 s; 5259 kg over 3 years
    assert result.embodied_gco2e.high == pytest.approx(5259 * 1000 * 5 / (3 * SECONDS_PER_YEAR), rel=1e-12)
    # low: busy 0.0666667 s / eta 0.8; 1753 kg over 6 years
    assert result.embodied_gco2e.low == pytest.approx(1753 * 1000 * (0.2 / 3) / 0.8 / (6 * SECONDS_PER_YEAR), rel=1e-12)


def test_water_of_one_chatbot_answer_in_france(default_parameters):
    from calculations.engine.compute import compute

    result = compute([Cell(DAY, "chatbot", 1)], default_parameters, "france").totals
    # energy_it * (wue 0.5 + pue 1.2 * 3.67 L/kWh)
    assert result.water_l.value == pytest.approx(ENERGY_IT_KWH * (0.5 + 1.2 * 3.67), rel=1e-12)
    # high: energy_it at its high (3700 W * 5 s) * (1.8 + 1.56 * 3.67)
    assert result.water_l.high == pytest.approx(3700 * 5 / 3_600_000 * (1.8 + 1.56 * 3.67), rel=1e-12)


def test_a_version_without_the_extension_gives_not_assessed_rather_than_zero(default_parameters):
    from calculations.engine.compute import compute

    models = {code: replace(m, embodied_kgco2e=None, lifetime_years=None) for code, m in default_parameters.models.items()}
    regions = {code: replace(r, wue=None, water_intensity=None) for code, r in default_parameters.regions.items()}
    old = replace(default_parameters, models=models, regions=regions, _alias_index={})
    result = compute([Cell(DAY, "chatbot", 1)], old, "france")
    assert result.totals.embodied_gco2e is None
    assert result.totals.carbon_total_gco2e is None
    assert result.totals.water_l is None
    assert result.cells[0].water_l is None
    assert result.totals.energy_kwh.value > 0


def test_versions_without_the_extension_keep_their_hash_independent_of_it(default_parameters):
    models = {code: replace(m, embodied_kgco2e=None, lifetime_years=None) for code, m in default_parameters.models.items()}
    without = replace(default_parameters, models=models, _alias_index={})
    from calculations.engine.canonical import canonical_dict

    assert "embodied_kgco2e" not in canonical_dict(without)["models"]["llm-large-4xh100"]
    assert parameter_set_sha256(without) != default_parameters.sha256
