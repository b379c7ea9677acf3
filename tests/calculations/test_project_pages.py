"""Creating a project (calculations/project_views.py, services.create_project): the page, its refusals, who may."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from calculations import services
from calculations.models import Project


@pytest.fixture
def docs_portal(db):
    return Project.objects.create(code="docs-portal", name="Docs portal")


def test_a_name_alone_gives_the_project_a_code_made_from_it(db):
    project = services.create_project("  Internal   assistant ")
    assert (project.code, project.name) == ("internal-assistant", "Internal assistant")


def test_a_name_another_project_has_is_refused_whatever_its_letter_case(docs_portal):
    with pytest.raises(services.InvalidOption, match="A project named “Docs portal” already exists") as refused:
        services.create_project("DOCS PORTAL", "docs-2")
    assert refused.value.field == "name" and Project.objects.count() == 2  # the default project and the portal


def test_a_code_taken_is_refused_naming_it(docs_portal):
    with pytest.raises(services.InvalidOption, match="code docs-portal is already taken") as refused:
        services.create_project("Documentation", "docs-portal")
    assert refused.value.field == "code"


def test_a_name_that_gives_no_code_asks_for_one(db):
    with pytest.raises(services.InvalidOption, match="give one") as refused:
        services.create_project("???")
    assert refused.value.field == "code"


def test_the_page_creates_the_project_and_returns_to_the_upload_form_with_it_chosen(page_client, methodology_v1):
    response = page_client.post("/runs/projects/new", {"name": "Docs portal", "code": ""})
    assert response.status_code == 302 and response["Location"] == "/runs/new?project=docs-portal"
    assert Project.objects.get(code="docs-portal").name == "Docs portal"
    upload = page_client.get(response["Location"])
    assert upload.context["form"]["project"].value() == "docs-portal"
    assert "Project “Docs portal” created (code docs-portal)." in upload.content.decode()


def test_from_the_inventory_the_page_returns_to_the_inventory(page_client, methodology_v1):
    response = page_client.post("/runs/projects/new?next=inventory", {"name": "Docs portal"})
    assert response["Location"] == "/runs/inventory"


def test_next_cannot_send_anyone_elsewhere(page_client, methodology_v1):
    response = page_client.post("/runs/projects/new?next=https://example.com/", {"name": "Docs portal"})
    assert response["Location"] == "/runs/new?project=docs-portal"


def test_a_duplicate_name_is_shown_beside_the_field_in_english_and_in_french(page_client, docs_portal):
    response = page_client.post("/runs/projects/new", {"name": "docs portal"})
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == [
        "A project named “Docs portal” already exists (code docs-portal)."]
    french = page_client.post("/runs/projects/new", {"name": "docs portal"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Un projet nommé « Docs portal » existe déjà (code docs-portal)." in french.content.decode()
    assert Project.objects.filter(name__iexact="docs portal").count() == 1


def test_a_malformed_code_is_refused(page_client, methodology_v1):
    response = page_client.post("/runs/projects/new", {"name": "Docs portal", "code": "docs portal!"})
    assert response.status_code == 400 and "code" in response.context["form"].errors
    assert not Project.objects.filter(name="Docs portal").exists()


def test_the_page_refuses_a_post_without_the_csrf_token(analyst, methodology_v1):
    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst)
    assert client.post("/runs/projects/new", {"name": "Docs portal"}).status_code == 403
    page = client.get("/runs/projects/new")
    token = page.cookies["csrftoken"].value
    assert client.post("/runs/projects/new", {"name": "Docs portal", "csrfmiddlewaretoken": token}).status_code == 302


def test_an_auditor_can_neither_open_the_page_nor_create_a_project(client, django_user_model, methodology_v1):
    auditor = django_user_model.objects.create_user("auditor", password="pw-auditor-5001", is_staff=True)
    auditor.groups.add(Group.objects.get(name="Auditors"))
    client.force_login(auditor)
    assert client.get("/runs/projects/new").status_code == 403
    assert client.post("/runs/projects/new", {"name": "Docs portal"}).status_code == 403
    assert not Project.objects.filter(name="Docs portal").exists()
    assert 'id="new-project-link"' not in client.get("/runs/inventory").content.decode()


def test_the_upload_form_and_the_inventory_link_to_the_page(page_client, methodology_v1):
    assert 'href="/runs/projects/new?next=upload"' in page_client.get("/runs/new").content.decode()
    assert 'href="/runs/projects/new?next=inventory"' in page_client.get("/runs/inventory").content.decode()


def test_the_page_lists_the_existing_projects_in_french(page_client, docs_portal):
    body = page_client.get("/runs/projects/new", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Nouveau projet" in body and "docs-portal" in body
