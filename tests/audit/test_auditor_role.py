"""The auditor role beyond the permission matrix (tests/hardening/test_permissions.py): a refused action
leaves no trace, and the pages do not offer it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from knox.models import AuthToken
from rest_framework.test import APIClient

from audit.roles import AUDITORS_GROUP, auditor_exists, is_auditor, remember_auditor
from audit.models import LedgerEntry
from calculations.models import Run

CSV = b"date,profile,inferences\n2025-01-01,chatbot,10\n"


@pytest.fixture
def auditor(db, django_user_model):
    user = django_user_model.objects.create_user("auditor", password="pw-auditor-5001")
    user.groups.add(Group.objects.get(name=AUDITORS_GROUP))
    return user


def test_an_auditor_s_refused_upload_and_reevaluation_save_nothing(auditor, make_run, client):
    run = make_run()
    api = APIClient()
    api.force_authenticate(auditor)
    client.force_login(auditor)
    answers = [
        api.post("/api/energy", data=CSV, content_type="text/csv").status_code,
        api.post(f"/api/runs/{run.pk}/reevaluate", {"region": "germany"}, format="json").status_code,
        client.post("/runs/new", {"analytics_file": SimpleUploadedFile("a.csv", CSV, "text/csv"),
                                  "version": "1"}).status_code,
        client.post(f"/runs/{run.pk}/reevaluate", {"version": "1", "region": "germany"}).status_code,
    ]
    assert answers == [403, 403, 403, 403]
    assert list(Run.objects.values_list("pk", flat=True)) == [run.pk]
    assert LedgerEntry.objects.filter(kind="run").count() == 1


def test_an_auditor_s_api_refusal_says_why_in_the_json_error_shape(auditor):
    api = APIClient()
    api.force_authenticate(auditor)
    error = api.post("/api/energy?save=false", data=CSV, content_type="text/csv").json()["error"]
    assert "Auditors" in error["message"]


def test_an_auditor_is_not_offered_a_new_run_or_a_reevaluation(auditor, make_run, client):
    run = make_run()
    client.force_login(auditor)
    html = client.get(f"/runs/{run.pk}/").content.decode()
    assert 'href="/runs/new"' not in html and 'id="reevaluate-form"' not in html


def test_other_users_are_offered_both(analyst, make_run, client):
    run = make_run()
    client.force_login(analyst)
    html = client.get(f"/runs/{run.pk}/").content.decode()
    assert 'href="/runs/new"' in html and 'id="reevaluate-form"' in html


def test_an_auditor_s_token_gets_403_on_an_upload(auditor):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=auditor)[1]}")
    response = api.post("/api/energy", data=CSV, content_type="text/csv")
    assert response.status_code == 403 and "Auditors" in response.json()["error"]["message"]
    assert not Run.objects.exists()


def test_auditor_exists_answers_in_the_query_of_the_users(auditor, analyst, django_user_model):
    answers = dict(django_user_model.objects.annotate(auditor=auditor_exists("pk")).values_list("username", "auditor"))
    assert answers == {"auditor": True, "analyst": False}


@pytest.mark.parametrize("known", [True, False])
def test_a_remembered_answer_is_not_asked_again(analyst, django_assert_num_queries, known):
    remember_auditor(analyst, known)
    with django_assert_num_queries(0):
        assert is_auditor(analyst) is known
