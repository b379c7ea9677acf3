"""Every endpoint's options are honoured or refused with 400, never ignored (issue 15.4)."""

from __future__ import annotations

import pytest

from calculations.models import Run

from tests.calculations.api.conftest import CSV


def _error(response, status=400):
    assert response.status_code == status, response.content
    return response.json()["error"]


def test_reevaluate_takes_the_region_from_the_query_string(api_client, run):
    response = api_client.post(f"/api/runs/{run.pk}/reevaluate?region=germany")
    assert response.status_code == 201
    assert response.json()["methodology"]["region"] == "germany"


def test_reevaluate_takes_the_version_and_label_from_the_query_string(api_client, run):
    response = api_client.post(f"/api/runs/{run.pk}/reevaluate?version=1&label=Again")
    assert response.status_code == 201
    assert Run.objects.get(pk=response.json()["run"]["id"]).label == "Again"


def test_reevaluate_refuses_an_unknown_region_in_the_query_string_and_saves_nothing(api_client, run):
    error = _error(api_client.post(f"/api/runs/{run.pk}/reevaluate?region=nowhere"))
    assert error["code"] == "invalid_region" and "'nowhere'" in error["message"]
    assert Run.objects.count() == 1


def test_reevaluate_refuses_an_option_it_does_not_take(api_client, run):
    error = _error(api_client.post(f"/api/runs/{run.pk}/reevaluate?regoin=usa"))
    assert error["code"] == "unknown_option"
    assert error["details"][0]["path"] == "regoin"
    assert "it takes: label, project, region, version" in error["message"]
    assert Run.objects.count() == 1


def test_reevaluate_refuses_a_region_given_differently_in_query_and_body(api_client, run):
    error = _error(api_client.post(f"/api/runs/{run.pk}/reevaluate?region=germany", {"region": "france"},
                                   format="json"))
    assert error["code"] == "repeated_option"
    assert "given as 'germany' in the query string and as 'france' in the body" in error["message"]


def test_reevaluate_accepts_the_same_value_in_query_and_body(api_client, run):
    response = api_client.post(f"/api/runs/{run.pk}/reevaluate?version=1", {"version": 1}, format="json")
    assert response.status_code == 201


def test_reevaluate_refuses_a_body_that_is_not_a_set_of_options(api_client, run):
    error = _error(api_client.post(f"/api/runs/{run.pk}/reevaluate", ["germany"], format="json"))
    assert error["code"] == "invalid_options"


def test_energy_refuses_a_misspelt_option_and_saves_nothing(api_client, methodology_v1):
    error = _error(api_client.post("/api/energy?regoin=germany", data=CSV, content_type="text/csv"))
    assert error["code"] == "unknown_option" and error["details"][0]["path"] == "regoin"
    assert not Run.objects.exists()


def test_energy_refuses_an_option_given_twice_in_the_query_string(api_client, methodology_v1):
    error = _error(api_client.post("/api/energy?region=france&region=germany", data=CSV, content_type="text/csv"))
    assert error["code"] == "repeated_option" and "given 2 times in the query string" in error["message"]


def test_energy_refuses_a_form_field_and_query_parameter_that_disagree(api_client, methodology_v1):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("usage.csv", CSV, content_type="text/csv")
    error = _error(api_client.post("/api/energy?region=france", {"analytics_file": upload, "region": "germany"},
                                   format="multipart"))
    assert error["code"] == "repeated_option"


def test_energy_refuses_a_profile_option_a_native_file_does_not_use(api_client, methodology_v1):
    error = _error(api_client.post("/api/energy?profile=chatbot", data=CSV, content_type="text/csv"))
    assert error["code"] == "profile_option_unused"
    assert not Run.objects.exists()


def test_the_run_list_takes_its_filters_and_page_and_refuses_others(api_client, run):
    assert api_client.get("/api/runs?region=france&page=1").status_code == 200
    assert _error(api_client.get("/api/runs?colour=green"))["code"] == "unknown_option"


@pytest.mark.parametrize("path", ["/api/runs/{id}?include_daily=false", "/api/runs/{id}/daily.csv?sep=;",
                                  "/api/runs/{id}/sensitivity?top=3", "/api/methodology/versions?status=draft",
                                  "/api/methodology/versions/1?region=france",
                                  "/api/methodology/versions/1/diff/1?section=regions"])
def test_an_endpoint_without_options_refuses_one(api_client, run, path):
    error = _error(api_client.get(path.format(id=run.pk)))
    assert error["code"] == "unknown_option" and "it takes: no option" in error["message"]


def test_compare_refuses_a_third_run(api_client, run):
    error = _error(api_client.get(f"/api/compare?a={run.pk}&b={run.pk}&c={run.pk}"))
    assert error["code"] == "unknown_option" and error["details"][0]["path"] == "c"


def test_periods_refuse_an_unknown_option(api_client, run):
    error = _error(api_client.get(f"/api/periods?runs={run.pk}&granularity=month&year=2025"))
    assert error["code"] == "unknown_option"
