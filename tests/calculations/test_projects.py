"""Projects: chosen at upload (API, form, CLI), fixed, the default for runs saved before them, and sealed."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from calculations import services
from calculations.models import DEFAULT_PROJECT, Project, Run
from calculations.sealing import run_record, project_of
from calculations.services import stored_cells

CSV = b"date,profile,inferences\n2025-01-01,chatbot,1250\n"


@pytest.fixture
def docs_portal(db):
    return Project.objects.create(code="docs-portal", name="Docs portal")


def test_the_default_project_exists_after_the_migrations(db):
    assert Project.objects.filter(code=DEFAULT_PROJECT).exists()


def test_a_run_saved_without_a_project_goes_to_the_default_project(make_run):
    assert make_run().project.code == DEFAULT_PROJECT


def test_the_api_files_an_upload_under_the_project_it_names(api_client, methodology_v1, docs_portal):
    response = api_client.post("/api/energy?project=docs-portal", data=CSV, content_type="text/csv")
    assert response.status_code == 201 and response.json()["run"]["project"] == "docs-portal"
    assert Run.objects.get(pk=response.json()["run"]["id"]).project == docs_portal


def test_the_api_refuses_an_unknown_project_naming_the_known_ones(api_client, methodology_v1, docs_portal):
    response = api_client.post("/api/energy?project=nope", data=CSV, content_type="text/csv")
    assert response.status_code == 400
    assert "'nope'" in json.dumps(response.json()) and "docs-portal" in json.dumps(response.json())
    assert not Run.objects.exists()


def test_the_upload_form_files_the_run_under_the_chosen_project(page_client, methodology_v1, docs_portal):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("jan.csv", CSV, content_type="text/csv")
    response = page_client.post("/runs/new", {"analytics_file": upload, "version": "1", "project": "docs-portal"})
    assert response.status_code == 302
    assert Run.objects.get().project == docs_portal


def test_the_cli_files_a_saved_run_under_its_project(methodology_v1, docs_portal, tmp_path, capsys):
    analytics = tmp_path / "jan.csv"
    analytics.write_bytes(CSV)
    call_command("compute_energy", str(analytics), "--save", "--project", "docs-portal", "--format", "json")
    assert json.loads(capsys.readouterr().out)["run"]["project"] == "docs-portal"
    assert Run.objects.get().project == docs_portal


def test_the_cli_refuses_a_project_without_save(methodology_v1, tmp_path):
    analytics = tmp_path / "jan.csv"
    analytics.write_bytes(CSV)
    with pytest.raises(CommandError, match="--project files a saved run"):
        call_command("compute_energy", str(analytics), "--project", "docs-portal")


def test_a_reevaluation_may_file_its_run_elsewhere_the_original_keeps_its_own(make_run, analyst, docs_portal):
    run = make_run()
    new = services.reevaluate_run(run, user=analyst, region="germany", project=docs_portal)
    run.refresh_from_db()
    assert new.project == docs_portal and run.project.code == DEFAULT_PROJECT and new.derived_from == run


def test_a_reevaluation_stays_in_the_original_s_project_by_default(make_run, analyst, docs_portal):
    run = make_run()
    there = services.reevaluate_run(run, user=analyst, project=docs_portal)
    assert services.reevaluate_run(there, user=analyst, region="germany").project == docs_portal


def test_the_record_says_null_for_the_default_project_and_the_code_otherwise(make_run, analyst, docs_portal):
    run = make_run()
    other = services.reevaluate_run(run, user=analyst, project=docs_portal)
    assert project_of(run) is None and project_of(other) == "docs-portal"
    assert run_record(other, stored_cells(other), other.profile_results.all())["project"] == "docs-portal"


def test_moving_a_run_to_another_project_behind_the_app_s_back_names_it(make_run, docs_portal, capsys):
    run = make_run()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Run._meta.db_table} SET project_id = %s WHERE id = %s", [docs_portal.pk, run.pk])
    with pytest.raises(CommandError):
        call_command("verify_ledger")
    assert f"run {run.pk}: altered" in capsys.readouterr().err


def test_runs_in_several_projects_verify(make_run, analyst, docs_portal, capsys):
    services.reevaluate_run(make_run(), user=analyst, project=docs_portal)
    call_command("verify_ledger")
    assert capsys.readouterr().err == ""


def test_the_run_list_filters_by_project(api_client, make_run, analyst, docs_portal):
    run = make_run()
    there = services.reevaluate_run(run, user=analyst, project=docs_portal)
    listed = api_client.get("/api/runs?project=docs-portal").json()["results"]
    assert [r["id"] for r in listed] == [there.pk] and listed[0]["project"] == "docs-portal"
