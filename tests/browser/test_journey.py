"""A new user's journey in a real browser: log in, upload the sample, read the run with its
charts, re-evaluate under another region, compare the two runs, switch to French; and a
broken file's errors next to the form. Screenshots of every page go to test-artifacts/browser/."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

def assert_fits_width(page):
    """Nothing makes the page scroll sideways (wide tables scroll inside their own box)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the screen"


def test_new_user_uploads_reads_reevaluates_compares_and_switches_to_french(site, new_page, log_in, screenshot,
                                                                             upload, reevaluate, chart_drawn):
    page = new_page()
    page.goto(site + "/")
    assert "/accounts/login/" in page.url  # / -> /runs/ -> login
    screenshot(page, "00-login")
    log_in(page, "/runs/")
    screenshot(page, "01-runs-empty")
    assert page.locator("h2", has_text="No run yet").is_visible()

    # Upload the sample analytics: the run's page, with totals, ranges and charts.
    page.goto(site + "/runs/new")
    screenshot(page, "02-new-run")
    first = upload(page)
    assert page.locator(".message--success").inner_text() == f"Run #{first} computed and saved."
    energy = page.locator("#total-energy").inner_text()
    # The headline is the 90 % interval (Monte Carlo), then the worst case; tests/calculations/
    # test_displayed_figures.py checks the numbers themselves against the engine's document.
    worst = r" worst case [\d,.]+–[\d,.]+"
    assert re.fullmatch(r"[\d,.]+ (k|M)?Wh \([\d,.]+–[\d,.]+\)" + worst, energy), energy
    carbon = page.locator("#total-carbon").inner_text()
    assert re.fullmatch(r"([\d,.]+ (k|t)?gCO2e|[\d,.]+ (kg|t)CO2e) \([\d,.]+–[\d,.]+\)" + worst, carbon), carbon
    assert page.locator("#profiles-table tbody tr").count() == 5
    assert page.locator("#monthly-table tbody tr").count() == 12
    chart_drawn(page, "daily-chart", datasets=5, labels=365)
    chart_drawn(page, "profile-chart", datasets=2, labels=5)
    audit = page.locator("#audit").inner_text()
    assert "France" in audit and "PUE 1.2 (1.09–1.56)" in audit and "analyst" in audit
    screenshot(page, "03-run-detail")

    # Re-evaluate under Germany: a new run derived from the first one.
    second = reevaluate(page, "germany")
    assert second != first
    assert "Germany" in page.locator("#audit").inner_text()
    assert page.locator("#audit a", has_text=f"Run #{first}").count() == 1
    assert page.locator("#total-energy").inner_text() == energy  # same PUE, same energy
    chart_drawn(page, "daily-chart", datasets=5, labels=365)
    screenshot(page, "04-run-reevaluated")

    # History: both runs, a chart of their totals; tick both and compare.
    page.goto(site + "/runs/")
    chart_drawn(page, "history-chart", datasets=2, labels=2)
    chart_drawn(page, "history-carbon-chart", datasets=2, labels=2)
    screenshot(page, "05-runs-history")
    page.check(f"#pick-{first}")
    page.check(f"#pick-{second}")
    page.click("#compare-selected")
    page.wait_for_url(re.compile(rf".*/runs/compare\?a={first}&b={second}$"))
    why = page.locator("#why").inner_text()
    assert "The region differs: France" in why and "Germany" in why and "the energy is the same" in why
    assert "+682 %" in why
    chart_drawn(page, "compare-chart", datasets=2, labels=5)
    screenshot(page, "06-compare")

    # Switch to French: the same page, translated, numbers in French format.
    page.click(".lang-switch button[value=fr]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("#why-title").inner_text() == "Pourquoi ils diffèrent"
    assert "La région diffère : France" in page.locator("#why").inner_text()
    chart_drawn(page, "compare-chart", datasets=2, labels=5)
    screenshot(page, "07-compare-fr")
    page.goto(f"{site}/runs/{first}/")
    assert page.locator("h2.kpi__label").first.inner_text().lower() == "énergie"
    chart_drawn(page, "daily-chart", datasets=5, labels=365)
    screenshot(page, "08-run-detail-fr")

    # The methodology the runs name.
    page.goto(site + "/methodology/1/")
    assert "Intensité carbone" in page.locator("#regions").inner_text()
    screenshot(page, "09-methodology-fr")
    assert page.errors == []


def test_a_broken_file_shows_its_errors_next_to_the_form(site, new_page, log_in, screenshot, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("days:\n  - date: 2025-01-01\n    usages:\n      chatbot: 12\n      teleportation: 3\n"
                      "  - date: 2025-01-02\n    usages:\n      chatbot: -4\n")
    page = new_page()
    log_in(page, "/runs/new")
    page.set_input_files("#id_analytics_file", str(broken))
    page.select_option("#id_region", "ireland")
    page.fill("#id_label", "Broken <file>")
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#analytics-errors")
    assert page.url.endswith("/runs/new")
    rows = page.locator("#analytics-errors li.issue")
    assert rows.count() == 2
    first_row = rows.nth(0).inner_text()
    assert "Line 5, column" in first_row and "days[0].usages.teleportation" in first_row and "unknown profile" in first_row
    assert "days[1].usages.chatbot" in rows.nth(1).inner_text()
    # The choices are kept; the label is shown as typed, not interpreted.
    assert page.input_value("#id_region") == "ireland"
    assert page.input_value("#id_label") == "Broken <file>"
    assert page.locator("#id_analytics_file_error").is_visible()
    screenshot(page, "10-parser-error")
    assert page.errors == []


def test_pages_read_well_on_a_phone(site, new_page, log_in, screenshot, viewports, upload, reevaluate, chart_drawn):
    page = new_page(viewport=viewports["phone"])
    log_in(page, "/runs/new")
    assert_fits_width(page)
    screenshot(page, "11-phone-new-run")
    first = upload(page)
    assert_fits_width(page)
    chart_drawn(page, "daily-chart", datasets=5, labels=365)
    chart_drawn(page, "profile-chart", datasets=2, labels=5)
    screenshot(page, "12-phone-run-detail")
    second = reevaluate(page, "sweden")
    page.goto(site + "/runs/")
    assert_fits_width(page)
    screenshot(page, "13-phone-runs")
    page.goto(f"{site}/runs/compare?a={first}&b={second}")
    assert_fits_width(page)
    chart_drawn(page, "compare-chart", datasets=2, labels=5)
    screenshot(page, "14-phone-compare")
    page.goto(site + "/methodology/1/")
    assert_fits_width(page)
    screenshot(page, "15-phone-methodology")
    assert page.errors == []
