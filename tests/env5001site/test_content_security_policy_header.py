"""The Content-Security-Policy header (issue 20.4) on pages, API answers and errors, and templates that need no
inline script for it. The browser test (tests/browser/test_content_security_policy.py) checks no page breaks it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/api/runs", "/api/no-such-endpoint", "/no-such-page"])
def test_every_response_forbids_inline_and_foreign_scripts(client, path):
    policy = directives(client.get(path))
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_hold_no_inline_script_or_event_handler(template):
    html = template.read_text()
    inline_scripts = [tag for tag in re.findall(r"<script\b[^>]*>", html) if "src=" not in tag]
    assert inline_scripts == []
    assert re.findall(r"\son[a-z]+\s*=", html) == []
