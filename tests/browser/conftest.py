"""Real-browser tests: Playwright for Python driving Debian's Chromium against the live server.

Playwright's own browser download is not used: `apt-get install chromium` provides
/usr/bin/chromium (scripts/test.sh installs it; ENV5001_CHROMIUM names another binary). Without Chromium or Playwright these tests
are skipped, except under CI (CI=true), where they must run and therefore fail instead.
Screenshots go to test-artifacts/browser/ (git-ignored).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test's thread; Django would otherwise refuse
# the test's own database calls as "async-unsafe". The live server runs in its own thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("ENV5001_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PROJECT_DIR = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_DIR / "test-artifacts" / "browser"
PASSWORD = "browser-password-1"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


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

    load_methodology(PROJECT_DIR / "config")
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
