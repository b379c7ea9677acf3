"""POST /api/energy: the upload path of the API."""

import json
import os
import tempfile

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from calculations.models import DailyResult, ProfileResult, Run

SMALL_CSV = b"date,profile,inferences,input_tokens,output_tokens\n2025-01-01,chatbot,1250,,\n2025-01-02,completion,75,,\n"


@pytest.fixture
def post_csv(api_client, methodology_v1):
    def _post(body=SMALL_CSV, query="", **extra):
        return api_client.post(f"/api/energy{query}", data=body, content_type="text/csv", **extra)

    return _post


def test_multipart_upload_saves_a_run_and_answers_201_with_its_url(api_client, methodology_v1, sample_yaml):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("2025-FluidTopics-daily-analytics.yaml", sample_yaml, "application/x-yaml")
    response = api_client.post("/api/energy?region=france", {"analytics_file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    document = response.json()
    run = Run.objects.get(pk=document["run"]["id"])
    assert document["run"]["url"].endswith(f"/api/runs/{run.pk}")
    assert document["input"]["format"] == "yaml"
    assert document["input"]["days"] == 365
    assert run.source == "api" and run.user.username == "analyst"
    assert run.daily_results.count() == len(document["daily"])


def test_the_api_document_equals_the_cli_json_for_the_same_input(api_client, methodology_v1, sample_yaml, capsys):
    response = api_client.post("/api/energy?save=false", data=sample_yaml, content_type="application/yaml")
    call_command("compute_energy", "examples/2025-FluidTopics-daily-analytics.yaml", "--format", "json")
    cli_document = json.loads(capsys.readouterr().out)
    assert response.status_code == 200
    assert response.json() == cli_document


def test_raw_csv_body_is_accepted(post_csv):
    response = post_csv()
    assert response.status_code == 201
    assert response.json()["totals"]["inferences"] == 1325
    assert response.json()["input"]["format"] == "csv"


def test_save_false_computes_without_keeping_anything(post_csv):
    response = post_csv(query="?save=false")
    assert response.status_code == 200
    assert "run" not in response.json()
    assert not Run.objects.exists() and not DailyResult.objects.exists()


def test_options_can_come_as_form_fields(api_client, methodology_v1):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("a.csv", SMALL_CSV, "text/csv")
    response = api_client.post("/api/energy", {"analytics_file": upload, "region": "germany", "label": "Q1"},
                               format="multipart")
    assert response.status_code == 201
    run = Run.objects.get(pk=response.json()["run"]["id"])
    assert (run.region, run.label) == ("germany", "Q1")


def test_region_defaults_to_the_versions_default_region(post_csv):
    assert post_csv().json()["methodology"] == {
        "version": 1, "sha256": Run.objects.get().methodology_sha256, "region": "france"
    }


def test_the_legacy_energy_path_answers_like_the_api(api_client, methodology_v1):
    response = api_client.post("/energy?save=false", data=SMALL_CSV, content_type="text/csv")
    assert response.status_code == 200
    assert response.json()["totals"]["inferences"] == 1325


def test_unknown_region_is_a_400_naming_the_known_regions(post_csv):
    response = post_csv(query="?region=mars")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_region"
    assert "mars" in error["message"] and "france" in error["message"]
    assert not Run.objects.exists()


def test_unknown_version_is_a_400(post_csv):
    response = post_csv(query="?version=99")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_version"


def test_parser_errors_come_back_with_their_line(post_csv):
    response = post_csv(body=b"date,profile,inferences\n2025-01-01,chatbot,-5\n")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["details"][0]["line"] == 2
    assert "-5" in json.dumps(error)
    assert not Run.objects.exists()


def test_unsupported_content_type_is_a_415(api_client, methodology_v1):
    response = api_client.post("/api/energy", data=b"<xml/>", content_type="application/xml")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_empty_body_is_a_400(api_client, methodology_v1):
    response = api_client.post("/api/energy", data=b"", content_type="text/csv")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "empty"


def test_multipart_without_the_file_field_is_a_400(api_client, methodology_v1):
    response = api_client.post("/api/energy", {"region": "france"}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "missing_file"


def test_a_body_over_the_cap_is_a_413_before_parsing(api_client, methodology_v1, settings):
    settings.ANALYTICS_MAX_UPLOAD_BYTES = 1000
    response = api_client.post("/api/energy", data=SMALL_CSV + b"#" * 100_000, content_type="text/csv")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_a_multipart_file_over_the_cap_is_a_413(api_client, methodology_v1, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.ANALYTICS_MAX_UPLOAD_BYTES = 1000
    upload = SimpleUploadedFile("big.csv", SMALL_CSV + b"\n" * 5000, "text/csv")
    response = api_client.post("/api/energy", {"analytics_file": upload}, format="multipart")
    assert response.status_code == 413


def test_anonymous_requests_are_refused_with_401(methodology_v1):
    response = APIClient().post("/api/energy", data=SMALL_CSV, content_type="text/csv")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_token_authentication_works_and_a_revoked_token_stops_working(analyst, methodology_v1):
    from knox.models import AuthToken

    token, text = AuthToken.objects.create(user=analyst)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    assert client.post("/api/energy?save=false", data=SMALL_CSV, content_type="text/csv").status_code == 200
    token.delete()
    assert client.post("/api/energy?save=false", data=SMALL_CSV, content_type="text/csv").status_code == 401


def test_a_large_upload_never_touches_the_temp_directory(api_client, methodology_v1, sample_yaml, tmp_path, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    padded = sample_yaml + b"\n" + b"# padding\n" * 300_000  # > Django's 2.5 MB in-memory threshold
    assert len(padded) > 2_621_440
    upload = SimpleUploadedFile("big.yaml", padded, "application/yaml")
    response = api_client.post("/api/energy", {"analytics_file": upload}, format="multipart")
    assert response.status_code == 201
    assert os.listdir(tmp_path) == []


def test_a_failure_while_saving_leaves_no_run(api_client, methodology_v1, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(DailyResult.objects, "bulk_create", fail)
    client = api_client
    client.raise_request_exception = False
    response = client.post("/api/energy", data=SMALL_CSV, content_type="text/csv")
    assert response.status_code == 500
    assert not Run.objects.exists() and not ProfileResult.objects.exists()


def test_saving_a_run_takes_the_same_number_of_queries_whatever_the_number_of_days(
    api_client, methodology_v1, django_assert_max_num_queries
):
    def csv_for(days):
        rows = [f"2025-01-{d:02d},chatbot,{d},," for d in range(1, days + 1)]
        return ("date,profile,inferences,input_tokens,output_tokens\n" + "\n".join(rows) + "\n").encode()

    api_client.post("/api/energy", data=csv_for(2), content_type="text/csv")  # warm the version cache
    with django_assert_max_num_queries(12):
        assert api_client.post("/api/energy", data=csv_for(3), content_type="text/csv").status_code == 201
    with django_assert_max_num_queries(12):
        assert api_client.post("/api/energy", data=csv_for(31), content_type="text/csv").status_code == 201
