"""The methodology browser pages: versions, every parameter of one version, the diff of two.

(Named test_methodology_pages.py: tests/calculations/test_pages.py exists, and these test
folders are not packages, so two test_pages.py would collide.)
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from calculations.engine.parameters import PARAM_UNITS
from methodology.serializers import version_detail
from methodology.services import create_draft


@pytest.fixture
def methodology_v2_changelog():
    """The root conftest's methodology_v2, published with this changelog (shown escaped on the versions page)."""
    return "France: RTE 2025 <grid> mix."


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/methodology/", "/methodology/1/", "/methodology/1/diff/2/"])
def test_anonymous_visitors_are_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next=")


def test_versions_are_listed_newest_first_with_hash_changelog_and_diff_link(page_client, methodology_v2):
    response = page_client.get("/methodology/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index('href="/methodology/2/"') < body.index('href="/methodology/1/"')
    assert 'href="/methodology/1/diff/2/"' in body
    assert "France: RTE 2025 &lt;grid&gt; mix." in body  # escaped
    assert methodology_v2.sha256[:16] in body


def test_version_page_shows_every_parameter_with_value_range_unit_and_source(page_client, methodology_v1):
    response = page_client.get("/methodology/1/")
    assert response.status_code == 200
    body = response.content.decode()
    detail = version_detail(methodology_v1)
    for section in ("regions", "models", "profiles"):
        for code, entry in detail[section].items():
            block = body[body.index(f'id="{section}-{code}"'):]
            block = block[:block.index("</tbody>")]
            for name, unit in PARAM_UNITS.items():
                if isinstance(entry.get(name), dict):
                    assert f"<code class=\"muted small\">{name}</code>" in block, (section, code, name)
                    if unit:
                        assert f"<td>{unit}</td>" in block, (section, code, name)
            assert entry["name"] in block
            source_words = entry["source"].split()[:4]
            assert " ".join(source_words).replace("&", "&amp;") in re.sub(r"\s+", " ", block)
    from methodology.selectors import version_canonical

    equivalents = version_canonical(methodology_v1).get("equivalents", {})
    for code, entry in equivalents.items():
        block = body[body.index(f'id="equivalents-{code}"'):]
        block = block[:block.index("</tbody>")]
        assert entry["name"] in block and entry["unit"] in block
    france = text(response)
    assert "PUE pue 1.2 1.09–1.56" in france
    assert "Carbon intensity carbon_intensity 44 21.7–56 gCO2e/kWh" in france
    assert "GPU count gpu_count 4 exact GPUs" in france


def test_version_page_of_an_unpublished_or_missing_version_is_404(page_client, methodology_v1):
    create_draft(methodology_v1)
    assert page_client.get("/methodology/2/").status_code == 404
    assert page_client.get("/methodology/99/").status_code == 404


def test_diff_page_shows_the_changed_parameter(page_client, methodology_v2):
    response = page_client.get("/methodology/1/diff/2/")
    assert response.status_code == 200
    page = text(response)
    assert "1 change" in page
    assert "changed Region france Carbon intensity 44 (21.7–56) gCO2e/kWh 60 (21.7–60) gCO2e/kWh" in page


def test_diff_of_a_version_with_itself_says_there_is_no_difference(page_client, methodology_v1):
    assert "No difference" in text(page_client.get("/methodology/1/diff/1/"))


def test_diff_page_matches_the_api_diff(page_client, methodology_v2, api_client):
    changes = api_client.get("/api/methodology/versions/1/diff/2").json()["changes"]
    rows = page_client.get("/methodology/1/diff/2/").context["rows"]
    assert [(c["kind"], c["code"]) for c in changes] == [(r["kind"], r["code"]) for r in rows]


def test_methodology_pages_queries_are_bounded(page_client, methodology_v2, django_assert_max_num_queries):
    for path in ("/methodology/", "/methodology/2/", "/methodology/1/diff/2/"):
        with django_assert_max_num_queries(6):
            assert page_client.get(path).status_code == 200


def test_methodology_pages_in_french(page_client, methodology_v2):
    page = text(page_client.get("/methodology/2/", HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Intensité carbone" in page and "Régions" in page
