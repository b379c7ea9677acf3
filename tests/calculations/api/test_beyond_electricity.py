"""Embodied carbon and water through the API: "not assessed" under an old version, figures once re-evaluated."""

from dataclasses import replace

import pytest

from calculations.engine.config import load_config_dir
from calculations.models import Run
from methodology.services import create_version_from_parameters, publish_version
from tests.conftest import CONFIG_DIR

CSV = b"date,profile,inferences\n2025-01-01,chatbot,100\n"


@pytest.fixture
def version_without_section_6(db):
    """Version 1 as an older ENV5001 would have published it: no embodied carbon, no water."""
    parameters = load_config_dir(CONFIG_DIR)
    old = replace(
        parameters,
        models={c: replace(m, embodied_kgco2e=None, lifetime_years=None) for c, m in parameters.models.items()},
        regions={c: replace(r, wue=None, water_intensity=None) for c, r in parameters.regions.items()},
        _alias_index={},
    )
    return publish_version(create_version_from_parameters(old, label="before section 6"))


@pytest.fixture
def version_with_section_6(version_without_section_6):
    return publish_version(create_version_from_parameters(load_config_dir(CONFIG_DIR), label="with section 6"))


def test_a_version_without_the_parameters_gives_not_assessed_never_zero(api_client, version_without_section_6):
    document = api_client.post("/api/energy", data=CSV, content_type="text/csv").json()
    for name in ("embodied_gco2e", "carbon_total_gco2e", "water_l"):
        assert document["totals"][name] is None
        assert document["daily"][0][name] is None
    stored = api_client.get(f"/api/runs/{document['run']['id']}").json()
    assert stored["totals"]["water_l"] is None
    assert {e["code"] for e in stored["equivalents"]} == {"smartphone-charge"}  # energy only


def test_re_evaluating_an_old_run_under_a_new_version_gives_the_figures(api_client, version_with_section_6):
    old_run = api_client.post("/api/energy?version=1", data=CSV, content_type="text/csv").json()["run"]["id"]
    document = api_client.post(f"/api/runs/{old_run}/reevaluate", {"version": 2}, format="json").json()
    run = Run.objects.get(pk=document["run"]["id"])
    # 100 chatbot answers: 3506 kg * 1000 * (100 * 0.733333 s) / (4 * 365.25 * 86400 s)
    expected_embodied = 3506 * 1000 * 100 * (0.1 + 400 / 1500) / 0.5 / (4 * 365.25 * 86400)
    assert document["totals"]["embodied_gco2e"]["value"] == pytest.approx(expected_embodied, rel=1e-12)
    assert run.carbon_total_gco2e_value == pytest.approx(run.carbon_gco2e_value + expected_embodied, rel=1e-12)
    assert document["totals"]["water_l"]["value"] > 0
