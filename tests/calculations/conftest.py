"""Fixtures of the run pages' tests (tests/calculations/test_pages.py and the browser tests).

The root conftest provides `methodology_v1` (published from config/), `methodology_v2` (France's carbon intensity
raised), `analyst`, `page_client` (the test client logged in as the analyst), `make_run` (a saved run computed
by the services without a file) and `sample_yaml`. Here: `market_version` and `version_without_completion`, shared by the comparison, bridge and
stored market-based carbon tests.
"""

import pytest

# France's market-based factor in `market_version`, gCO2e/kWh: value, low, high.
MARKET = (52.0, 40.0, 60.0)


@pytest.fixture
def market_version(methodology_v1):
    """v2: v1 with a market-based factor for France only (Germany has none: not assessed)."""
    from methodology.services import create_draft, publish_version

    draft = create_draft(methodology_v1, label="France market-based")
    value, low, high = MARKET
    draft.regions.filter(code="france").update(carbon_intensity_market_value=value, carbon_intensity_market_low=low,
                                               carbon_intensity_market_high=high)
    return publish_version(draft)


@pytest.fixture
def version_without_completion(methodology_v1):
    """v2: v1 without the usage profile `completion` (a comparison with a profile on one side only)."""
    from methodology.services import create_draft, publish_version

    draft = create_draft(methodology_v1, label="No completion")
    draft.usageprofiles.filter(code="completion").delete()
    return publish_version(draft)
