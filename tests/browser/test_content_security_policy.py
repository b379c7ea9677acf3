"""Content-Security-Policy (issue 20.4) in a real browser: every page, the admin's and Swagger UI's included,
is served with a policy that allows no inline script, and renders with no violation reported."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Collects every violation the browser reports, from before the page's first script runs.
LISTEN_FOR_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", event => window.cspViolations.push(
  `${event.violatedDirective} refused ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`));
"""


def script_src(policy: str) -> list[str]:
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return directives["script-src"].split()


@pytest.fixture
def visit(site):
    """visit(page, path) -> (the page's Content-Security-Policy, the violations reported while it loaded and ran)."""

    def go(page, path: str) -> tuple[str, list[str]]:
        response = page.goto(site + path)
        assert response.ok, f"{path}: {response.status}"
        page.wait_for_load_state("networkidle")
        return response.headers.get("content-security-policy", ""), page.evaluate("window.cspViolations")

    return go


def test_every_page_allows_no_inline_script_and_reports_no_violation(site, new_page, log_in, upload, reevaluate,
                                                                      visit, django_user_model):
    from methodology.models import MethodologyVersion

    django_user_model.objects.filter(username="analyst").update(is_staff=True, is_superuser=True)
    page = new_page()
    page.add_init_script(LISTEN_FOR_VIOLATIONS)
    policy, violations = visit(page, "/accounts/login/")
    assert violations == [], "/accounts/login/"
    log_in(page, "/runs/new")
    first = upload(page)
    second = reevaluate(page, "germany")
    version = MethodologyVersion.objects.get(number=1)
    paths = [
        "/runs/", "/runs/new", f"/runs/{first}/", f"/runs/{first}/report", f"/runs/compare?a={first}&b={second}",
        f"/runs/periods?runs={first}", "/methodology/", "/methodology/1/",
        "/admin/", "/admin/methodology/methodologyversion/", f"/admin/methodology/methodologyversion/{version.pk}/change/",
        "/admin/auth/user/", "/admin/auth/user/add/", "/api/docs",
    ]
    for path in paths:
        policy, violations = visit(page, path)
        assert script_src(policy) == ["'self'"], f"{path}: {policy}"
        assert violations == [], path
    assert page.errors == []
