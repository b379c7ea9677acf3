"""In a real browser: the tornado chart of the run page, the printable audit report (on screen, in print
emulation and as a PDF) and the period view reached from the history page, with its overlap refusal.
Screenshots and the PDF go to test-artifacts/browser/."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

A4_WIDTH = 794  # CSS pixels: 210 mm at 96 dpi

def january_2026(directory: Path) -> Path:
    """A month of chatbot answers and completions right after the sample's year."""
    lines = ["days:"]
    for offset in range(31):
        day = date(2026, 1, 1) + timedelta(days=offset)
        lines += [f"  - date: {day.isoformat()}", "    usages:", f"      chatbot: {900 + offset}",
                  f"      completion: {3000 + 7 * offset}"]
    path = directory / "2026-01.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_tornado_audit_report_and_period_view(site, new_page, log_in, screenshot, tmp_path, upload, reevaluate,
                                              chart_drawn):
    page = new_page()
    log_in(page, "/runs/new")
    year = upload(page)

    # The run page: the tornado chart of what moves the result, above the table of every hypothesis.
    tornado = chart_drawn(page, "tornado-chart")
    assert tornado["kind"] == "bar" and tornado["labels"] == 10 and tornado["datasets"] == 2
    assert page.locator("#drivers-table summary").inner_text().startswith("All ")
    assert page.locator("#total-embodied").is_visible() and page.locator("#total-water").is_visible()
    shot = screenshot(page, "20-run")
    page.locator("#drivers").screenshot(path=str(shot.with_name("20-run-tornado.png")))

    # The audit report, from the run page: charts drawn, every section there, no site navigation.
    page.click("#report-link")
    page.wait_for_url(f"{site}/runs/{year}/report")
    assert page.locator(".site-nav").count() == 0
    chart_drawn(page, "daily-chart")
    report_tornado = chart_drawn(page, "tornado-chart")
    assert report_tornado["labels"] == 10
    for section in ("#report-totals", "#report-breakdown", "#report-sensitivity", "#report-hypotheses", "#reproduce"):
        assert page.locator(section).is_visible(), section
    assert "python manage.py verify_run" in page.locator("#reproduce").inner_text()
    assert page.locator("#regions-france .badge--used").inner_text() == "region of this run"
    screenshot(page, "21-report")

    # Printed: A4 width, no toolbar, the canvases keep their size (they are not redrawn on paper).
    page.set_viewport_size({"width": A4_WIDTH, "height": 1123})
    page.emulate_media(media="print")
    assert page.locator(".report-toolbar").is_hidden()
    printed = chart_drawn(page, "tornado-chart")
    assert printed["width"] <= A4_WIDTH
    breaks = page.evaluate("""() => Array.from(document.querySelectorAll('.report__section--break'))
                                      .map(s => getComputedStyle(s).breakBefore)""")
    assert breaks == ["page"] * 4
    pdf = screenshot(page, "22-report-print").with_suffix(".pdf")
    page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", content)) >= 5
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1366, "height": 900})

    # A second month, right after the sample's year: the period view of both, from the history page.
    month = upload(page, january_2026(tmp_path), label="Portal January 2026")
    page.goto(site + "/runs/")
    page.check(f"#pick-{year}")
    page.check(f"#pick-{month}")
    page.click("#period-selected")
    page.wait_for_url(re.compile(r".*/runs/periods\?runs=.*&granularity=month$"))
    assert page.locator("#period-table tbody tr").count() == 13
    assert page.locator("#period-table tbody tr").last.locator("th").inner_text() == "January 2026"
    chart_drawn(page, "period-energy-chart")
    chart_drawn(page, "period-carbon-chart")
    assert page.locator("#period-runs tbody tr").count() == 2
    screenshot(page, "23-periods")
    page.click(".segmented a:has-text('Per quarter')")
    page.wait_for_url(re.compile(r".*granularity=quarter$"))
    assert page.locator("#period-table tbody tr").count() == 5
    screenshot(page, "24-periods-quarter")

    # A re-evaluation covers the same days as its run: the period view refuses the pair and says why.
    page.goto(f"{site}/runs/{month}/")
    again = reevaluate(page, "germany")
    response = page.goto(f"{site}/runs/periods?runs={month},{again}")
    assert response.status == 400
    refusal = page.locator("#period-errors").inner_text()
    assert f"Run #{month} (2026-01-01 → 2026-01-31) and run #{again}" in refusal
    assert "both cover 2026-01-01 → 2026-01-31" in refusal
    screenshot(page, "25-periods-overlap")
    assert page.errors == []
