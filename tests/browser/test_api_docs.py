"""The API docs in a real browser, with every request off the live server refused (as on a machine with
no internet): Swagger UI loads from the app's own static files, and its "Try it out" on POST /api/energy
uploads the sample file with the form's defaults and gets 201."""

from __future__ import annotations

from pathlib import Path

import pytest

from calculations.models import Run

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "2025-FluidTopics-daily-analytics.yaml"

pytestmark = pytest.mark.browser


@pytest.fixture
def offline(site):
    """offline(page) -> the list, filled as the page loads, of the URLs it asked for beyond the live server
    (each refused)."""

    def cut(page) -> list[str]:
        elsewhere: list[str] = []

        def route(route):
            if route.request.url.startswith(site):
                route.continue_()
            else:
                elsewhere.append(route.request.url)
                route.abort()

        page.route("**/*", route)
        return elsewhere

    return cut


def test_swagger_ui_try_it_out_uploads_the_sample_with_its_defaults_offline(site, new_page, log_in, offline,
                                                                              screenshot):
    page = new_page()
    elsewhere = offline(page)
    log_in(page, "/api/docs")
    operation = page.locator("#operations-api-api_energy_create")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.locator("input[type=file]").set_input_files(str(SAMPLE))
    operation.get_by_role("button", name="Execute").click()

    status = operation.locator(".live-responses-table .response .response-col_status")
    status.first.wait_for()
    screenshot(page, "30-swagger-try-it-out")
    assert status.first.inner_text().strip() == "201", operation.locator(".live-responses-table").inner_text()
    run = Run.objects.get()
    assert (run.label, run.region, run.days) == ("", "france", 365), "the defaults: no label, v1's region"
    assert elsewhere == []
    assert page.errors == []

