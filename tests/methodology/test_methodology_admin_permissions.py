"""Who may do what in the methodology admin: editors, plain staff, anonymous visitors, superusers."""

import pytest
from admin_testing import change_form_data
from django.contrib.auth.models import Group, Permission
from methodology_testing import EDITORS_GROUP, admin_url, inline_prefix

from methodology.models import MethodologyVersion, Region


@pytest.fixture
def staff_client(client, plain_staff):
    client.force_login(plain_staff)
    return client


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


def test_the_editors_group_from_the_migration_may_edit_drafts_and_publish(db):
    codenames = set(Group.objects.get(name=EDITORS_GROUP).permissions.values_list("codename", flat=True))
    assert "publish_methodologyversion" in codenames
    for model in ("methodologyversion", "region", "modelprofile", "usageprofile"):
        assert {f"view_{model}", f"add_{model}", f"change_{model}", f"delete_{model}"} <= codenames


def test_the_publish_permission_exists(db):
    assert Permission.objects.filter(
        content_type__app_label="methodology", codename="publish_methodologyversion"
    ).exists()


# ----------------------------------------------------------------- anonymous


@pytest.mark.parametrize("page", ["changelist", "change", "diff"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, version_1, page):
    url = admin_url(page) if page == "changelist" else admin_url(page, version_1.pk)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/admin/login/")


@pytest.mark.parametrize("operation", ["publish", "new_draft"])
def test_anonymous_visitors_cannot_publish_or_derive(client, draft, version_1, operation):
    target = draft if operation == "publish" else version_1
    response = client.post(admin_url(operation, target.pk))
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
    draft.refresh_from_db()
    assert not draft.is_published and MethodologyVersion.objects.count() == 2


# ----------------------------------------------------------------- plain staff


@pytest.mark.parametrize("page", ["changelist", "change", "diff"])
def test_plain_staff_can_read_versions_and_diffs(staff_client, draft, page):
    url = admin_url(page) if page == "changelist" else admin_url(page, draft.pk)
    assert staff_client.get(url).status_code == 200


def test_plain_staff_see_a_draft_read_only(staff_client, draft):
    response = staff_client.get(admin_url("change", draft.pk))
    assert response.context["has_change_permission"] is False
    assert 'name="regions-0-carbon_intensity_value"' not in response.content.decode()


def test_plain_staff_cannot_change_a_draft(client, editor, plain_staff, draft):
    client.force_login(editor)
    page = client.get(admin_url("change", draft.pk))
    data = change_form_data(page)
    data[f"{inline_prefix(page, 'region', 'france')}-carbon_intensity_value"] = "50"
    client.force_login(plain_staff)
    assert client.post(admin_url("change", draft.pk), data).status_code == 403
    assert Region.objects.get(version=draft, code="france").carbon_intensity_value == 44


def test_plain_staff_cannot_publish(staff_client, draft):
    Region.objects.filter(version=draft, code="france").update(carbon_intensity_value=50)
    assert staff_client.post(admin_url("publish", draft.pk)).status_code == 403
    draft.refresh_from_db()
    assert not draft.is_published


def test_plain_staff_cannot_derive_a_draft(staff_client, version_1):
    assert staff_client.post(admin_url("new_draft", version_1.pk)).status_code == 403
    assert MethodologyVersion.objects.drafts().count() == 0


def test_plain_staff_are_offered_no_actions(staff_client, version_1):
    response = staff_client.get(admin_url("changelist"))
    assert response.context["action_form"] is None


def test_plain_staff_cannot_delete_a_draft(staff_client, draft):
    assert staff_client.post(admin_url("delete", draft.pk), {"post": "yes"}).status_code == 403
    assert MethodologyVersion.objects.filter(pk=draft.pk).exists()


# ----------------------------------------------------------------- editors


def test_editors_see_a_draft_editable_with_the_publish_button(editor_client, draft):
    response = editor_client.get(admin_url("change", draft.pk))
    assert response.context["has_change_permission"] is True
    assert admin_url("publish", draft.pk) in response.content.decode()


def test_editors_see_the_new_draft_button_on_a_published_version(editor_client, version_1):
    response = editor_client.get(admin_url("change", version_1.pk))
    assert admin_url("new_draft", version_1.pk) in response.content.decode()
    assert admin_url("publish", version_1.pk) not in response.content.decode()


def test_editors_without_the_publish_permission_cannot_publish(client, make_user, draft):
    user = make_user("drafter")
    for model in ("methodologyversion", "region", "modelprofile", "usageprofile"):
        user.user_permissions.add(*Permission.objects.filter(codename__in=[f"change_{model}", f"view_{model}"]))
    client.force_login(user)
    Region.objects.filter(version=draft, code="france").update(carbon_intensity_value=50)
    assert admin_url("publish", draft.pk) not in client.get(admin_url("change", draft.pk)).content.decode()
    assert client.post(admin_url("publish", draft.pk)).status_code == 403


def test_editors_can_delete_a_draft(editor_client, draft):
    response = editor_client.post(admin_url("delete", draft.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not MethodologyVersion.objects.filter(pk=draft.pk).exists()


def test_publish_and_new_draft_refuse_a_get(editor_client, draft, version_1):
    assert editor_client.get(admin_url("publish", draft.pk)).status_code == 405
    assert editor_client.get(admin_url("new_draft", version_1.pk)).status_code == 405


# ----------------------------------------------------------------- superusers


@pytest.mark.parametrize("page", ["changelist", "change", "diff"])
def test_superusers_can_read_everything(superuser_client, draft, page):
    url = admin_url(page) if page == "changelist" else admin_url(page, draft.pk)
    assert superuser_client.get(url).status_code == 200


def test_superusers_can_publish(superuser_client, draft):
    Region.objects.filter(version=draft, code="france").update(carbon_intensity_value=50)
    superuser_client.post(admin_url("publish", draft.pk))
    draft.refresh_from_db()
    assert draft.number == 2


def test_superusers_cannot_change_a_published_version_either(superuser_client, version_1):
    response = superuser_client.get(admin_url("change", version_1.pk))
    assert response.context["has_change_permission"] is False
    assert response.context["has_delete_permission"] is False
