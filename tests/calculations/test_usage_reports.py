"""Usage reports through the app (issue 16): Anthropic's report (no request count) and the unknown_models
option, on the API, the upload form, the run page, the report and the CLI."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from calculations.models import Run
from tests.conftest import EXAMPLES_DIR

ANTHROPIC = (EXAMPLES_DIR / "2025-anthropic-usage-report.json").read_bytes()
OPENAI_PAGE = json.dumps({"object": "page", "has_more": False, "data": [
    {"object": "bucket", "start_time": 1735689600, "end_time": 1735776000, "results": [
        {"model": "o3-2025-04-16", "num_model_requests": 2, "input_tokens": 100, "output_tokens": 50},
        {"model": "gpt-4.1-2025-04-14", "num_model_requests": 3, "input_tokens": 300, "output_tokens": 60}]}]}).encode()


def _publish(methodology_v1, *, generic: bool):
    """A version from the shipped config with only Claude Sonnet 4, Claude 3.5 Haiku and GPT-4.1 as aliases (of the
    chatbot) and, when `generic`, a usage profile `generic`; without, none (whatever config/ holds)."""
    from calculations.engine.config import parameter_set_from_docs, parameter_set_to_docs
    from methodology.selectors import parameter_set_for
    from methodology.services import create_version_from_parameters, publish_version

    regions_doc, models_doc = parameter_set_to_docs(parameter_set_for(methodology_v1))
    profiles = models_doc["profiles"]
    for profile in profiles.values():
        profile["aliases"] = []
    profiles["chatbot"]["aliases"] = ["claude-sonnet-4", "claude-3-5-haiku", "gpt-4.1"]
    profiles.pop("generic", None)
    if generic:
        profiles["generic"] = {**profiles["chatbot"], "name": "Generic model", "name_fr": "Modèle générique",
                               "aliases": [], "input_tokens": {"value": 1000, "low": 100, "high": 10000},
                               "output_tokens": {"value": 300, "low": 30, "high": 3000}}
    draft = create_version_from_parameters(parameter_set_from_docs(regions_doc, models_doc),
                                           label="generic" if generic else "no generic", parent=methodology_v1)
    return publish_version(draft)


@pytest.fixture
def methodology_with_generic(methodology_v1):
    """The latest version: the shipped config with Claude and GPT-4.1 mapped to the chatbot, and `generic`."""
    return _publish(methodology_v1, generic=True)


@pytest.fixture
def methodology_without_generic(methodology_v1):
    """The latest version: as methodology_with_generic, without a usage profile `generic`."""
    return _publish(methodology_v1, generic=False)


def _post(api_client, data: bytes, query: str = ""):
    return api_client.post(f"/api/energy{query}", data=data, content_type="application/json")


# --- unknown_models ---------------------------------------------------------------------------------


def test_an_unknown_model_is_refused_naming_the_known_ones(api_client, methodology_with_generic):
    response = _post(api_client, OPENAI_PAGE)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "unmappable_profile" and "'o3-2025-04-16'" in error["message"]
    assert "chatbot (aliases:" in error["message"]


def test_unknown_models_generic_counts_them_as_generic_and_the_run_names_them(api_client, methodology_with_generic):
    response = _post(api_client, OPENAI_PAGE, "?unknown_models=generic")
    assert response.status_code == 201, response.content
    document = response.json()
    assert document["input"]["generic_models"] == ["o3-2025-04-16"]
    assert {p["profile"] for p in document["profiles"]} == {"chatbot", "generic"}
    assert Run.objects.get(pk=document["run"]["id"]).generic_models == ["o3-2025-04-16"]


def test_unknown_models_generic_is_refused_when_the_version_has_no_generic_profile(api_client,
                                                                                 methodology_without_generic):
    response = _post(api_client, OPENAI_PAGE, "?unknown_models=generic")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_unknown_models" and "does not have" in error["message"]
    assert not Run.objects.exists()


def test_unknown_models_takes_only_generic(api_client, methodology_with_generic):
    response = _post(api_client, OPENAI_PAGE, "?unknown_models=chatbot")
    assert response.status_code == 400
    assert "unknown_models" in json.dumps(response.json())


def test_the_run_page_and_report_name_the_models_counted_as_generic(api_client, page_client,
                                                                    methodology_with_generic):
    run_id = _post(api_client, OPENAI_PAGE, "?unknown_models=generic").json()["run"]["id"]
    for url in (f"/runs/{run_id}/", f"/runs/{run_id}/report"):
        html = page_client.get(url).content.decode()
        assert 'id="generic-models"' in html and "o3-2025-04-16" in html, url


def test_the_run_page_names_the_generic_models_in_french(api_client, page_client, methodology_with_generic):
    run_id = _post(api_client, OPENAI_PAGE, "?unknown_models=generic").json()["run"]["id"]
    html = page_client.get(f"/runs/{run_id}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "ont été comptés dans le profil d’usage générique" in html and "o3-2025-04-16" in html


def test_the_cli_takes_unknown_models_generic(methodology_with_generic, tmp_path):
    path = tmp_path / "openai.json"
    path.write_bytes(OPENAI_PAGE)
    out = StringIO()
    call_command("compute_energy", str(path), "--unknown-models", "generic", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["input"]["generic_models"] == ["o3-2025-04-16"]


def test_the_cli_refuses_unknown_models_generic_without_a_generic_profile(methodology_without_generic, tmp_path):
    path = tmp_path / "openai.json"
    path.write_bytes(OPENAI_PAGE)
    with pytest.raises(CommandError, match="unknown_models"):
        call_command("compute_energy", str(path), "--unknown-models", "generic", stdout=StringIO())


def test_the_upload_form_takes_unknown_models_generic(page_client, methodology_with_generic):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("openai.json", OPENAI_PAGE, content_type="application/json")
    response = page_client.post("/runs/new", {"analytics_file": upload, "version": methodology_with_generic.number,
                                               "unknown_models": "generic"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Run.objects.get().generic_models == ["o3-2025-04-16"]


# --- Anthropic: no request count --------------------------------------------------------------------


def test_an_anthropic_report_computes_with_its_inferences_not_reported(api_client, methodology_with_generic):
    response = _post(api_client, ANTHROPIC)
    assert response.status_code == 201, response.content
    document = response.json()
    assert document["input"]["format"] == "anthropic-usage"
    assert document["totals"]["inferences"] is None and document["input"]["inferences_reported"] is False
    assert document["totals"]["cached_input_tokens"] > 0
    run = Run.objects.get(pk=document["run"]["id"])
    assert run.inferences_reported is False
    stored = api_client.get(f"/api/runs/{run.pk}").json()
    assert stored["totals"]["inferences"] is None and stored["daily"][0]["inferences"] is None


def test_the_run_page_says_inferences_are_not_reported_and_shows_no_per_inference_figure(
        api_client, page_client, methodology_with_generic):
    run_id = _post(api_client, ANTHROPIC).json()["run"]["id"]
    html = page_client.get(f"/runs/{run_id}/").content.decode()
    assert 'id="inferences-not-reported"' in html and "not reported" in html
    assert "Not available: the report counts no requests." in html
    report = page_client.get(f"/runs/{run_id}/report").content.decode()
    assert 'id="inferences-not-reported"' in report and "not available" in report


def test_the_cli_table_says_inferences_are_not_reported(methodology_with_generic, tmp_path):
    path = tmp_path / "anthropic.json"
    path.write_bytes(ANTHROPIC)
    out = StringIO()
    call_command("compute_energy", str(path), stdout=out)
    assert "not reported" in out.getvalue() and "Inferences not reported" in out.getvalue()


def test_an_anthropic_run_reevaluated_keeps_its_inferences_not_reported(api_client, methodology_with_generic):
    run_id = _post(api_client, ANTHROPIC).json()["run"]["id"]
    response = api_client.post(f"/api/runs/{run_id}/reevaluate?region=germany")
    assert response.status_code == 201
    assert response.json()["totals"]["inferences"] is None
