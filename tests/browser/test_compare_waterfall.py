"""The bridge on the compare page in a real browser: two waterfalls drawn by static/js/charts.js from their
json_script data (the CSP forbids inline scripts), one sentence per factor, in English and in French."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

# The floating bars of a waterfall as Chart.js holds them: [from, to] per bar.
BARS = """id => Chart.getChart(document.getElementById(id)).data.datasets[0].data"""


def test_the_compare_page_draws_the_bridge_as_waterfalls_that_reach_run_b(site, new_page, log_in, upload,
                                                                        reevaluate, chart_drawn, screenshot):
    page = new_page()
    log_in(page, "/runs/")
    first = upload(page)
    second = reevaluate(page, "germany")
    page.goto(f"{site}/runs/compare?a={first}&b={second}")
    for chart_id in ("bridge-energy-chart", "bridge-carbon-chart"):
        chart_drawn(page, chart_id, datasets=1, labels=8)  # run A, six factors, run B
    carbon = page.evaluate(BARS, "bridge-carbon-chart")
    assert carbon[0][0] == 0 and carbon[-1][0] == 0
    assert carbon[-2][1] == pytest.approx(carbon[-1][1], rel=1e-6)  # the last factor ends on B's total
    assert carbon[-2][1] > carbon[-2][0]  # Germany's grid is dirtier than France's: carbon intensity raises it
    energy = page.evaluate(BARS, "bridge-energy-chart")
    assert all(start == end for start, end in energy[1:-1])  # same usage, hypotheses and PUE: no energy factor
    sentences = page.locator("#bridge-sentences li").all_inner_texts()
    assert len(sentences) == 6
    assert re.search(r"The grid's carbon intensity changes carbon by \+[\d,.]+ (k|t)?gCO2e", sentences[-1])
    screenshot(page, "compare-bridge")

    page.click(".lang-switch button[value=fr]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    chart_drawn(page, "bridge-carbon-chart", datasets=1, labels=8)
    assert page.locator("#bridge-sentences li").last.inner_text().startswith("L’intensité carbone du réseau")
    assert page.errors == []


def test_the_market_based_waterfall_is_drawn_beside_the_location_based_one(site, new_page, log_in, upload,
                                                                         reevaluate, chart_drawn):
    """Under a version whose regions have market-based factors, the compare page draws a third waterfall,
    market-based, on the location-based one's row, and says its change in one more sentence."""
    from methodology.models import MethodologyVersion
    from methodology.services import create_draft, publish_version

    draft = create_draft(MethodologyVersion.objects.get(number=1), label="Market-based factors")
    draft.regions.update(carbon_intensity_market_value=52, carbon_intensity_market_low=40,
                         carbon_intensity_market_high=60)
    publish_version(draft)  # the latest version: the new-run form's default
    page = new_page()
    log_in(page, "/runs/")
    first = upload(page)
    second = reevaluate(page, "germany")
    page.goto(f"{site}/runs/compare?a={first}&b={second}")
    chart_drawn(page, "bridge-carbon-market-chart", datasets=1, labels=8)
    market = page.evaluate(BARS, "bridge-carbon-market-chart")
    assert market[-2][1] == pytest.approx(market[-1][1], rel=1e-6)  # the factors reach B's market-based total
    location = page.locator("#bridge-carbon-chart").bounding_box()
    beside = page.locator("#bridge-carbon-market-chart").bounding_box()
    assert beside["y"] == pytest.approx(location["y"], abs=2) and beside["x"] > location["x"] + location["width"]
    assert page.locator("#bridge-market-sentence").inner_text().startswith("Market-based carbon changes by")
    assert page.errors == []
