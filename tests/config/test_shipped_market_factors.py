"""The shipped version's market-based factors (docs/derivation.md section 1.3): AIB's residual mix, direct CO2,
where two copies of an edition agree; elsewhere "not assessed", never 0."""

from __future__ import annotations

from datetime import date

import pytest

from calculations.engine.analytics import Cell
from calculations.engine.compute import compute
from calculations.engine.config import load_config_dir
from calculations.engine.uncertainty import simulate
from tests.conftest import SHIPPED_CONFIG_DIR

# The regions whose AIB residual mix was read in two copies of the 2023 and 2024 editions.
MARKET_REGIONS = ("belgium", "denmark", "finland", "france", "germany", "ireland", "italy", "poland", "spain",
                  "sweden")
PROFILES = sorted(load_config_dir(SHIPPED_CONFIG_DIR).profiles)


@pytest.fixture(scope="module")
def shipped():
    return load_config_dir(SHIPPED_CONFIG_DIR)


def _chatbot(parameters, region):
    return compute([Cell(date(2025, 1, 1), "chatbot", 1)], parameters, region=region).totals


def test_only_the_regions_with_a_residual_mix_read_in_two_copies_carry_a_market_factor(shipped):
    carrying = sorted(code for code, region in shipped.regions.items() if region.carbon_intensity_market is not None)
    assert carrying == list(MARKET_REGIONS)


@pytest.mark.parametrize("region", MARKET_REGIONS)
def test_a_market_factors_source_names_its_aib_editions_and_its_direct_co2_boundary(shipped, region):
    source = shipped.regions[region].source
    assert "AIB, European Residual Mixes 2024" in source and "AIB, European Residual Mixes 2023" in source
    assert "direct CO2 at the power plant only, not life cycle" in source


def test_frances_market_factor_is_the_2024_edition_minus_and_plus_its_change_from_2023(shipped):
    # AIB 2024: 23.52; 2023: 40.74; change 17.22: low 23.52 - 17.22 = 6.30, high 23.52 + 17.22 = 40.74.
    factor = shipped.regions["france"].carbon_intensity_market
    assert (factor.value, factor.low, factor.high) == pytest.approx((23.52, 6.30, 40.74))


def test_germanys_market_factor_is_the_2024_edition_minus_and_plus_its_change_from_2023(shipped):
    # AIB 2024: 724.56; 2023: 719.9; change 4.66: low 724.56 - 4.66 = 719.90, high 724.56 + 4.66 = 729.22.
    factor = shipped.regions["germany"].carbon_intensity_market
    assert (factor.value, factor.low, factor.high) == pytest.approx((724.56, 719.90, 729.22))


def test_the_default_regions_market_based_carbon_is_its_energy_times_the_residual_mix(shipped):
    totals = _chatbot(shipped, shipped.default_region)
    assert totals.carbon_market_gco2e.value == pytest.approx(totals.energy_kwh.value * 23.52)


@pytest.mark.parametrize("region", ["netherlands", "austria", "norway", "usa", "australia"])
def test_a_region_without_a_confirmed_residual_mix_gives_no_market_based_carbon(shipped, region):
    assert _chatbot(shipped, region).carbon_market_gco2e is None


@pytest.mark.parametrize("region", MARKET_REGIONS)
def test_every_typical_inferences_central_market_based_carbon_lies_inside_its_90_percent_interval(shipped, region):
    outside = []
    for profile in PROFILES:
        cells = [Cell(date(2025, 1, 1), profile, 1)]
        result = compute(cells, shipped, region=region)
        interval = simulate(cells, shipped, result).totals["carbon_market_gco2e"]
        if not interval.p5 <= result.totals.carbon_market_gco2e.value <= interval.p95:
            outside.append(profile)
    assert outside == []
