"""Real-browser tests: Playwright for Python driving Debian's Chromium against the live server.

Playwright's own browser download is not used: `apt-get install chromium` provides
/usr/bin/chromium (scripts/test.sh installs it; ENV5001_CHROMIUM names another binary). Without Chromium or Playwright these tests
are skipped, except under CI (CI=true), where they must run and therefore fail instead.
Screenshots go to test-artifacts/browser/ (git-ignored).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test's thread; Django would otherwise refuse
# the test's own database calls as "async-unsafe". The live server runs in its own thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("ENV5001_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PROJECT_DIR = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_DIR / "test-artifacts" / "browser"
SAMPLE = PROJECT_DIR / "examples" / "2025-FluidTopics-daily-analytics.yaml"
PASSWORD = "browser-password-1"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


# What a chart's canvas shows: its size, how many pixels are painted, and what Chart.js holds for it.
CANVAS_STATE = """id => {
  const canvas = document.getElementById(id);
  if (!canvas) return null;
  const chart = window.Chart && Chart.getChart(canvas);
  const box = canvas.getBoundingClientRect();
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4 * 97) { if (pixels[i] > 0) painted++; }
  return {
    width: box.width, height: box.height, painted: painted, kind: chart ? chart.config.type : null,
    datasets: chart ? chart.data.datasets.length : 0,
    points: chart ? chart.data.datasets.reduce((n, d) => n + d.data.length, 0) : 0,
    labels: chart ? chart.data.labels.length : 0,
  };
}"""


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason: str):
    if _in_ci():
        pytest.fail(f"{reason}; CI is set, so the browser tests must run", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -r requirements-test.txt)")
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db, django_user_model):
    """The live server with methodology v1 published and an analyst account; returns its base URL."""
    from methodology.services import load_methodology

    load_methodology(PROJECT_DIR / "tests" / "fixtures" / "methodology-v1" / "config")
    django_user_model.objects.create_user("analyst", password=PASSWORD)
    return live_server.url


@pytest.fixture
def new_page(chromium):
    """new_page(viewport=DESKTOP, locale="en-US") -> a page in a fresh context (own cookies), closed afterwards.

    Animations are off (reduced motion) so that screenshots show finished charts.
    """
    contexts = []

    def make(viewport=DESKTOP, locale="en-US"):
        context = chromium.new_context(viewport=viewport, locale=locale, reduced_motion="reduce")
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    """screenshot(page, name) -> saves test-artifacts/browser/<name>.png (whole page)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture
def log_in(site):
    """log_in(page, path="/runs/"): open `path`, get sent to the login page, log in, land on `path`."""

    def go(page, path: str = "/runs/"):
        page.goto(site + path)
        assert "/accounts/login/" in page.url, "an anonymous visitor must be sent to the login page"
        page.fill("#id_username", "analyst")
        page.fill("#id_password", PASSWORD)
        page.click("form.form button[type=submit]")
        page.wait_for_url(site + path)

    return go


@pytest.fixture
def viewports():
    return {"desktop": DESKTOP, "phone": PHONE}


def _new_run_id(page) -> int:
    """The id of the run whose page a form just led to."""
    page.wait_for_url(re.compile(r".*/runs/\d+/$"))
    return int(re.search(r"/runs/(\d+)/$", page.url).group(1))


@pytest.fixture
def upload(site):
    """upload(page, path=SAMPLE, label="Portal 2025") -> the id of the run the new-run form computes from `path`."""

    def go(page, path: Path = SAMPLE, label: str = "Portal 2025") -> int:
        page.goto(site + "/runs/new")
        page.set_input_files("#id_analytics_file", str(path))
        page.fill("#id_label", label)
        page.click("#upload-form button[type=submit]")
        return _new_run_id(page)

    return go


@pytest.fixture
def reevaluate():
    """reevaluate(page, region) -> the id of the run the run page's re-evaluate form makes under `region`."""

    def go(page, region: str) -> int:
        page.select_option("#reevaluate-form #id_region", region)
        page.click("#reevaluate-form button[type=submit]")
        return _new_run_id(page)

    return go


@pytest.fixture
def chart_drawn():
    """chart_drawn(page, chart_id, datasets=None, labels=None) -> the chart's state (CANVAS_STATE), once asserted
    drawn: the canvas has a size and painted pixels; with `datasets`, Chart.js holds that many with data points;
    with `labels`, that many labels."""

    def check(page, chart_id: str, *, datasets: int | None = None, labels: int | None = None) -> dict:
        state = page.evaluate(CANVAS_STATE, chart_id)
        assert state is not None, f"no canvas #{chart_id}"
        assert state["width"] > 100 and state["height"] > 100, state
        if datasets is not None:
            assert state["datasets"] == datasets and state["points"] > 0, state
        assert state["painted"] > 0, f"#{chart_id} has no painted pixel: {state}"
        if labels is not None:
            assert state["labels"] == labels, state
        return state

    return check
