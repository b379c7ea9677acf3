"""Helpers of the run pages' tests (test_pages.py, test_report_pages.py): what a page says, and its charts' data."""

from __future__ import annotations

import json
import re


def text(response) -> str:
    """The page's text without tags and with collapsed spaces, for assertions on what people read."""
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def chart_data(response, element_id: str) -> dict:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', response.content.decode(),
                      re.S)
    assert match, f"no json_script element {element_id}"
    return json.loads(match.group(1))
