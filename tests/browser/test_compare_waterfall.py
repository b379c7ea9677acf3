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
