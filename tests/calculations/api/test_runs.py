"""Reading, re-evaluating and comparing runs through the API; verify_run."""

import csv
import io

import pytest
from django.core.management import call_command

from calculations.models import Run
from methodology.models import MethodologyVersion
from methodology.services import create_draft, publish_version

from tests.calculations.api.conftest import CSV


@pytest.fixture
def methodology_v2(methodology_v1):
    """v2: France's carbon intensity raised from 44 to 60 gCO2e/kWh."""
    draft = create_draft(methodology_v1)
    draft.regions.filter(code="france").update(carbon_intensity_value=60, carbon_intensity_high=60)
    return publish_version(draft)


def test_run_detail_returns_the_saved_result_document(api_client, run):
    document = api_client.get(f"/api/runs/{run.pk}").json()
    assert document["totals"]["inferences"] == 2425
    assert document["run"]["label"] == "January"
    assert [d["date"] for d in document["daily"]] == ["2025-01-01", "2025-01-02", "2025-01-02"]


def test_run_detail_gives_token_counts_as_whole_numbers_in_the_run_summary_too(api_client, run):
    response = api_client.get(f"/api/runs/{run.pk}")
    document = response.json()
    assert document["run"]["input_tokens"] == document["totals"]["input_tokens"]
    assert type(document["run"]["input_tokens"]) is int and type(document["run"]["output_tokens"]) is int
    assert b'"input_tokens":%d,' % document["totals"]["input_tokens"] in response.content.replace(b" ", b"")
    assert b".0," not in response.content.split(b'"run"')[1]  # no 1465159716.0 in the summary


def test_run_detail_of_a_missing_run_is_a_json_404(api_client, methodology_v1):
    response = api_client.get("/api/runs/999")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_runs_list_is_paginated_newest_first_and_filterable(api_client, run, methodology_v1):
    api_client.post("/api/energy?region=germany", data=CSV, content_type="text/csv")
    listing = api_client.get("/api/runs").json()
    assert listing["count"] == 2
    assert listing["results"][0]["region"] == "germany"
    assert api_client.get("/api/runs?region=france").json()["count"] == 1
    assert api_client.get("/api/runs?label=jan").json()["count"] == 1
    assert api_client.get("/api/runs?period_start=2025-02-01").json()["count"] == 0
    assert api_client.get("/api/runs?user=analyst").json()["count"] == 2


def test_daily_csv_has_one_row_per_cell_with_full_precision(api_client, run):
    response = api_client.get(f"/api/runs/{run.pk}/daily.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["date", "profile", "inferences"]
    assert len(rows) == 4
    stored = run.daily_results.get(day="2025-01-01")
    assert float(rows[1][rows[0].index("energy_kwh")]) == stored.energy_kwh_value


def test_reevaluating_under_the_same_version_and_region_reproduces_the_numbers_exactly(api_client, run):
    response = api_client.post(f"/api/runs/{run.pk}/reevaluate", {}, format="json")
    assert response.status_code == 201
    again = Run.objects.get(pk=response.json()["run"]["id"])
    assert again.derived_from == run
    original, copy = api_client.get(f"/api/runs/{run.pk}").json(), response.json()
    for key in ("totals", "profiles", "daily", "methodology"):
        assert copy[key] == original[key]


def test_reevaluating_under_another_region_changes_carbon_not_energy(api_client, run):
    response = api_client.post(f"/api/runs/{run.pk}/reevaluate", {"region": "germany"}, format="json")
    totals = response.json()["totals"]
    assert totals["energy_kwh"]["value"] == pytest.approx(run.energy_kwh_value)
    assert totals["carbon_gco2e"]["value"] == pytest.approx(run.energy_kwh_value * 344)


def test_reevaluating_under_version_2_uses_its_hypotheses(api_client, run, methodology_v2):
    response = api_client.post(f"/api/runs/{run.pk}/reevaluate", {"version": 2}, format="json")
    assert response.json()["methodology"]["version"] == 2
    assert response.json()["totals"]["carbon_gco2e"]["value"] == pytest.approx(run.energy_kwh_value * 60)


def test_compare_explains_the_difference_by_the_changed_parameter(api_client, run, methodology_v2):
    other = api_client.post(f"/api/runs/{run.pk}/reevaluate", {"version": 2}, format="json").json()["run"]["id"]
    comparison = api_client.get(f"/api/compare?a={run.pk}&b={other}").json()
    carbon = comparison["totals"]["carbon_gco2e"]
    assert carbon["difference"]["percent"] == pytest.approx(100 * (60 - 44) / 44)
    [change] = comparison["explanation"]["methodology_changes"]
    assert (change["code"], change["field"]) == ("france", "carbon_intensity")
    assert comparison["explanation"]["input"]["same"] is True


def test_compare_without_ids_is_a_400(api_client, run):
    assert api_client.get("/api/compare?a=1").status_code == 400


def test_methodology_versions_are_listed_with_their_hash(api_client, methodology_v2):
    versions = api_client.get("/api/methodology/versions").json()
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[1]["sha256"] == MethodologyVersion.objects.get(number=1).sha256


def test_a_version_lists_every_parameter_with_range_unit_and_source(api_client, methodology_v1):
    version = api_client.get("/api/methodology/versions/1").json()
    france = version["regions"]["france"]
    assert france["carbon_intensity"] == {"value": 44.0, "low": 21.7, "high": 56.0, "unit": "gCO2e/kWh"}
    assert "Ember" in france["source"]
    assert version["models"]["llm-large-4xh100"]["gpu_power_w"]["unit"] == "W"


def test_version_diff_endpoint_lists_changes(api_client, methodology_v2):
    diff = api_client.get("/api/methodology/versions/1/diff/2").json()
    assert diff["changes"][0]["new"]["value"] == 60.0


def test_verify_run_matches_the_original_file(run, tmp_path, capsys):
    analytics = tmp_path / "january.csv"
    analytics.write_bytes(CSV)
    call_command("verify_run", str(run.pk), str(analytics))
    assert "is reproduced" in capsys.readouterr().out


def test_verify_run_checks_the_stored_90_percent_intervals_too(run, tmp_path, capsys):
    analytics = tmp_path / "january.csv"
    analytics.write_bytes(CSV)
    call_command("verify_run", str(run.pk), str(analytics))
    out = capsys.readouterr().out
    assert "totals.carbon_gco2e.p95" in out and "is reproduced" in out


def test_verify_run_prints_token_counts_in_one_form(run, tmp_path, capsys):
    analytics = tmp_path / "january.csv"
    analytics.write_bytes(CSV)
    call_command("verify_run", str(run.pk), str(analytics))
    line = next(line for line in capsys.readouterr().out.splitlines() if "totals.input_tokens" in line)
    tokens = int(run.input_tokens)
    assert line.split()[-3:] == [f"{tokens}", "file:", f"{tokens}"]


def test_verify_run_reports_a_changed_file_field_by_field(run, tmp_path, capsys):
    analytics = tmp_path / "january.csv"
    analytics.write_bytes(CSV.replace(b"1250", b"1251"))
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_run", str(run.pk), str(analytics))
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert "MISMATCH input.sha256" in out and "MISMATCH totals.inferences" in out


def test_schema_and_swagger_ui_are_served_to_a_logged_in_user(client, analyst):
    client.force_login(analyst)
    assert client.get("/api/schema").status_code == 200
    assert client.get("/api/docs").status_code == 200
    assert client.get("/docs").status_code == 302


def test_sensitivity_lists_swings_largest_first_and_agrees_with_the_engine(api_client, run):
    from calculations.engine.sensitivity import swings
    from tests.calculations.usage_testing import usage_by_profile
    from calculations.services import stored_cells
    from methodology.selectors import parameter_set_for

    response = api_client.get(f"/api/runs/{run.pk}/sensitivity").json()
    carbon_swings = [s["carbon_gco2e"]["swing"] for s in response["swings"]]
    assert carbon_swings == sorted(carbon_swings, reverse=True)
    expected = swings(usage_by_profile(stored_cells(run)), parameter_set_for(run.methodology_version), "france")
    assert [(s["code"], s["parameter"]) for s in response["swings"]] == [(s.code, s.parameter) for s in expected]
    assert response["swings"][0]["carbon_gco2e"]["at_high"] == pytest.approx(expected[0].carbon_gco2e_at_high)


def test_equivalents_survive_the_database_round_trip(methodology_v1):
    from methodology.selectors import parameter_set_for
    from tests.conftest import CONFIG_DIR
    from calculations.engine.config import load_config_dir

    assert parameter_set_for(methodology_v1).equivalents == load_config_dir(CONFIG_DIR).equivalents
    assert methodology_v1.sha256 == load_config_dir(CONFIG_DIR).sha256


def test_run_detail_shows_the_totals_in_equivalents(api_client, run):
    document = api_client.get(f"/api/runs/{run.pk}").json()
    charges = next(e for e in document["equivalents"] if e["code"] == "smartphone-charge")
    assert charges["count"]["value"] == pytest.approx(run.energy_kwh_value / 0.015)
    assert {e["code"] for e in document["equivalents"]} == {"car-km", "smartphone-charge", "shower"}


def test_schema_and_swagger_ui_need_a_login(db):
    from rest_framework.test import APIClient

    anonymous = APIClient()
    assert anonymous.get("/api/schema").status_code == 401
    assert anonymous.get("/api/docs").status_code == 302


def test_an_unexpected_api_failure_answers_the_json_error_shape(api_client, run, monkeypatch):
    from calculations import selectors

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(selectors, "run_document", fail)
    api_client.raise_request_exception = False
    response = api_client.get(f"/api/runs/{run.pk}")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
    assert "database went away" not in response.content.decode()


def test_blank_text_filters_mean_no_filter(api_client, run):
    assert api_client.get("/api/runs?region=&user=&label=").json()["count"] == 1


@pytest.mark.parametrize("page", ["", "0", "-1", "abc", "1.5", "²"])
def test_a_page_that_is_not_a_whole_number_from_1_is_a_400(api_client, run, page):
    response = api_client.get(f"/api/runs?page={page}")
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["path"] == "page"


def test_a_page_past_the_last_is_a_json_404(api_client, run):
    response = api_client.get("/api/runs?page=2")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_schema_says_page_starts_at_1(api_client):
    from drf_spectacular.generators import SchemaGenerator

    parameters = SchemaGenerator().get_schema(request=None, public=True)["paths"]["/api/runs"]["get"]["parameters"]
    page = next(p for p in parameters if p["name"] == "page")
    assert page["schema"] == {"type": "integer", "minimum": 1}
