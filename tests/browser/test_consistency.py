"""In a real browser, what a reader notices: the history charts read like the table (a bar per run, in the
table's order, titled so), and an equivalent is not named twice ("24.7 showers", not "… showers Shower")."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHART_LABELS = "id => Chart.getChart(document.getElementById(id)).data.labels"


def one_month(directory: Path) -> Path:
    lines = ["days:"]
    for offset in range(31):
        day = date(2026, 1, 1) + timedelta(days=offset)
        lines += [f"  - date: {day.isoformat()}", "    usages:", f"      chatbot: {900 + offset}"]
    path = directory / "2026-01.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_the_history_charts_have_a_bar_per_run_in_the_table_s_order(site, new_page, log_in, upload, tmp_path,
                                                                     chart_drawn, screenshot):
    page = new_page()
    log_in(page, "/runs/new")
    year = upload(page)
    month = upload(page, one_month(tmp_path), label="January 2026")
    page.goto(site + "/runs/")
    rows = page.locator("#compare-pick tbody tr input[name=run]").evaluate_all("boxes => boxes.map(b => b.value)")
    assert rows == [str(month), str(year)]  # newest first
    for chart_id, title in (("history-chart", "Energy per run, in the order of the table"),
                            ("history-carbon-chart", "Carbon per run, in the order of the table")):
        chart_drawn(page, chart_id, labels=2)
        labels = page.evaluate(CHART_LABELS, chart_id)
        assert [re.match(r"#(\d+)", str(label[0] if isinstance(label, list) else label)).group(1)
                for label in labels] == rows
        assert page.get_by_role("heading", name=title).is_visible()
    screenshot(page, "30-history-per-run")


def test_an_equivalent_whose_name_repeats_its_unit_is_shown_once(site, new_page, log_in, upload, screenshot):
    page = new_page()
    log_in(page, "/runs/new")
    upload(page)
    items = page.locator("#equivalents li").all_inner_texts()
    showers = next(item for item in items if "showers" in item)
    assert "Shower" not in showers, showers
    assert any("Distance driven by an average car" in item for item in items)
    screenshot(page, "31-equivalents")
