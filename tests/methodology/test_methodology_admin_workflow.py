"""The editor's workflow in the admin, with the Django test client: derive, edit, publish, diff."""

import pytest
from admin_testing import change_form_data
from django.utils.html import escape
from methodology_testing import PASSWORD, admin_url, inline_prefix, messages_of

from methodology.models import MethodologyVersion, Region, UsageProfile
from methodology.services import create_draft, publish_version


def test_an_editor_derives_edits_publishes_and_diffs_a_version(client, editor, version_1):
    # The editor logs in through the admin's login page.
    response = client.post("/admin/login/?next=/admin/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/admin/"
    assert b"v1" in client.get(admin_url("changelist")).content

    # "New draft from this version" on version 1's page.
    response = client.post(admin_url("new_draft", version_1.pk))
    draft = MethodologyVersion.objects.drafts().get()
    assert response.status_code == 302 and response.url == admin_url("change", draft.pk)
    assert draft.parent == version_1

    # France's carbon intensity changed through the inline form, the rest posted back as it was.
    page = client.get(admin_url("change", draft.pk))
    data = change_form_data(page)
    data[f"{inline_prefix(page, 'region', 'france')}-carbon_intensity_value"] = "52"
    data["_continue"] = "Save and continue editing"
    response = client.post(admin_url("change", draft.pk), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert Region.objects.get(version=draft, code="france").carbon_intensity_value == 52

    # Publish: the draft becomes version 2.
    response = client.post(admin_url("publish", draft.pk), follow=True)
    draft.refresh_from_db()
    assert draft.is_published and draft.number == 2
    assert any("Published" in message for message in messages_of(response))

    # The diff page (against the parent by default) lists exactly that change.
    response = client.get(admin_url("diff", draft.pk))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r.kind, r.section, r.code, r.field, r.old, r.new) for r in rows] == [
        ("changed", "regions", "france", "carbon_intensity", "44 (21.7 – 56)", "52 (21.7 – 56)")
    ]
    assert b"52 (21.7 \xe2\x80\x93 56)" in response.content


def test_the_version_list_shows_number_status_label_publisher_and_row_counts(editor_client, version_1, draft):
    response = editor_client.get(admin_url("changelist"))
    listed = {v.pk: v for v in response.context["cl"].result_list}
    assert (listed[version_1.pk].region_count, listed[version_1.pk].model_count,
            listed[version_1.pk].profile_count) == (6, 2, 5)
    assert listed[draft.pk].region_count == 6
    content = response.content.decode()
    for text in ("v1", "v2 draft", "Published", "Draft", version_1.label):
        assert text in content


def test_the_version_list_costs_the_same_queries_for_many_versions(
    editor_client, version_1, publish_carbon_intensity, django_assert_max_num_queries
):
    with django_assert_max_num_queries(50) as few:
        editor_client.get(admin_url("changelist"))
    latest = version_1
    for value in (45, 46, 47, 48):
        latest = publish_carbon_intensity(latest, value)
    with django_assert_max_num_queries(len(few.captured_queries)):
        editor_client.get(admin_url("changelist"))


def test_a_draft_shows_its_rows_as_editable_inline_forms(editor_client, draft):
    response = editor_client.get(admin_url("change", draft.pk))
    formsets = {inline.formset.model._meta.model_name: inline.formset for inline in response.context["inline_admin_formsets"]}
    assert {name: len(formset.forms) for name, formset in formsets.items()} == {
        "region": draft.regions.count(), "modelprofile": 2, "usageprofile": 5,
        "equivalent": draft.equivalents.count(),
    }
    assert 'name="regions-0-carbon_intensity_value"' in response.content.decode()


def test_the_usage_profile_model_is_a_select_of_the_drafts_model_codes(editor_client, draft):
    response = editor_client.get(admin_url("change", draft.pk))
    form = next(
        inline.formset.forms[0] for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is UsageProfile
    )
    assert [code for code, _ in form.fields["model"].choices if code] == ["llm-large-4xh100", "llm-small-1xh100"]


def test_aliases_are_edited_as_text_and_stored_as_a_list(editor_client, draft):
    page = editor_client.get(admin_url("change", draft.pk))
    data = change_form_data(page)
    data[f"{inline_prefix(page, 'usageprofile', 'chatbot')}-aliases"] = "gpt-4.1, ChatWithMe\n  gpt-4o  \n"
    response = editor_client.post(admin_url("change", draft.pk), data)
    assert response.status_code == 302
    assert UsageProfile.objects.get(version=draft, code="chatbot").aliases == ["gpt-4.1", "ChatWithMe", "gpt-4o"]


@pytest.mark.parametrize(
    ("model_name", "code", "field", "value", "message"),
    [
        ("region", "france", "carbon_intensity_value", "80", "needs low <= value <= high"),
        ("region", "france", "pue_low", "0", "must be finite and > 0"),
        ("modelprofile", "llm-small-1xh100", "efficiency_high", "1.5", "efficiency must be <= 1"),
        ("region", "france", "code", "France", "A code must be a slug"),
        ("region", "france", "code", "-france", "A code must be a slug"),
    ],
    ids=["range", "positive", "efficiency", "upper-case-code", "leading-dash-code"],
)
def test_invalid_numbers_and_codes_are_refused_with_the_engines_message(
    editor_client, draft, model_name, code, field, value, message
):
    page = editor_client.get(admin_url("change", draft.pk))
    data = change_form_data(page)
    prefix = inline_prefix(page, model_name, code)
    data[f"{prefix}-{field}"] = value
    response = editor_client.post(admin_url("change", draft.pk), data)
    assert response.status_code == 200  # the form again, with the message
    form = next(
        form for inline in response.context["inline_admin_formsets"] for form in inline.formset.forms
        if form.prefix == prefix
    )
    assert message in " ".join(form.errors.get(field, []))
    assert escape(message) in response.content.decode()  # shown next to the field


def test_an_alias_claimed_by_two_profiles_is_refused(editor_client, draft):
    page = editor_client.get(admin_url("change", draft.pk))
    data = change_form_data(page)
    data[f"{inline_prefix(page, 'usageprofile', 'chatbot')}-aliases"] = "gpt-4.1"
    data[f"{inline_prefix(page, 'usageprofile', 'summary')}-aliases"] = "gpt-4.1"
    response = editor_client.post(admin_url("change", draft.pk), data)
    assert response.status_code == 200
    assert "already belongs to profile" in response.content.decode()
    assert UsageProfile.objects.get(version=draft, code="summary").aliases == []


def test_the_default_region_is_a_select_of_the_drafts_regions(editor_client, draft):
    response = editor_client.get(admin_url("change", draft.pk))
    choices = [code for code, _ in response.context["adminform"].form.fields["default_region"].choices]
    assert choices == ["france", "germany", "ireland", "sweden", "usa", "world"]


def test_publishing_an_identical_draft_in_the_admin_shows_why_and_keeps_the_draft(editor_client, draft):
    response = editor_client.post(admin_url("publish", draft.pk), follow=True)
    assert any("identical to the latest version v1" in message for message in messages_of(response))
    draft.refresh_from_db()
    assert not draft.is_published


def test_publishing_an_invalid_draft_lists_each_issue_with_its_key_path(editor_client, draft):
    UsageProfile.objects.filter(version=draft, code="chatbot").update(model="no-such-model")
    response = editor_client.post(admin_url("publish", draft.pk), follow=True)
    shown = messages_of(response)
    assert any(message.startswith("profiles.chatbot.model: must name one of the models") for message in shown)
    draft.refresh_from_db()
    assert not draft.is_published


def test_the_publish_action_publishes_the_selected_drafts_in_creation_order(editor_client, version_1, draft):
    Region.objects.filter(version=draft, code="france").update(carbon_intensity_value=50)
    other = create_draft(version_1)
    Region.objects.filter(version=other, code="germany").update(carbon_intensity_value=350)
    response = editor_client.post(
        admin_url("changelist"),
        {"action": "publish_action", "_selected_action": [other.pk, draft.pk]},
        follow=True,
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    other.refresh_from_db()
    assert (draft.number, other.number) == (2, 3)


def test_the_new_draft_action_copies_every_row_of_the_selected_version(editor_client, version_1):
    editor_client.post(admin_url("changelist"), {"action": "new_draft_action", "_selected_action": [version_1.pk]})
    draft = MethodologyVersion.objects.drafts().get()
    assert draft.parent == version_1
    assert (draft.regions.count(), draft.modelprofiles.count(), draft.usageprofiles.count()) == (6, 2, 5)


def test_a_new_draft_cannot_be_derived_from_a_draft(editor_client, draft):
    response = editor_client.post(admin_url("new_draft", draft.pk), follow=True)
    assert any("derive new drafts from published versions only" in m for m in messages_of(response))
    assert MethodologyVersion.objects.drafts().count() == 1


def test_the_diff_can_be_taken_against_any_version(editor_client, version_1, publish_carbon_intensity):
    v2 = publish_carbon_intensity(version_1, 50)
    v3 = publish_carbon_intensity(v2, 30)
    response = editor_client.get(admin_url("diff", v3.pk), {"against": version_1.pk})
    assert [(r.old, r.new) for r in response.context["rows"]] == [("44 (21.7 – 56)", "30 (21.7 – 56)")]


def test_the_diff_lists_an_added_entry_parameter_by_parameter(editor_client, version_1, draft):
    Region.objects.filter(version=draft, code="sweden").delete()
    publish_version(draft)
    response = editor_client.get(admin_url("diff", version_1.pk), {"against": draft.pk})
    added = [r for r in response.context["rows"] if r.kind == "added"]
    assert {r.code for r in added} == {"sweden"}
    assert ("carbon_intensity", "36 (6 – 41)", "gCO2e/kWh") in [(r.field, r.new, r.unit) for r in added]


def test_the_diff_of_an_invalid_draft_shows_its_issues_instead_of_failing(editor_client, draft):
    UsageProfile.objects.filter(version=draft, code="chatbot").update(model="no-such-model")
    response = editor_client.get(admin_url("diff", draft.pk))
    assert response.status_code == 200
    assert "profiles.chatbot.model" in response.content.decode()


def test_the_diff_of_a_version_without_parent_asks_for_one(editor_client, version_1):
    response = editor_client.get(admin_url("diff", version_1.pk))
    assert response.status_code == 200
    assert "has no parent version" in response.content.decode()


def test_the_diff_refuses_an_unknown_version(editor_client, version_1):
    assert editor_client.get(admin_url("diff", version_1.pk), {"against": "abc"}).status_code == 404
    assert editor_client.get(admin_url("diff", version_1.pk), {"against": 999999}).status_code == 404
