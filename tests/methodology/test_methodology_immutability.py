"""A published version and its rows never change, whatever the path."""

import pytest
from admin_testing import change_form_data
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.db.models.deletion import Collector
from methodology_testing import admin_url, messages_of

from methodology.models import ImmutableVersionError, MethodologyVersion, Region, VersionRow

# Every row model of a version, found in the app registry: a row model added later is tested without
# editing this file (equivalents once went without the guarding manager and no test noticed).
ROW_MODELS = sorted((m for m in apps.get_models() if issubclass(m, VersionRow)), key=lambda m: m.__name__)


def test_every_model_that_belongs_to_a_version_is_a_guarded_row_model():
    belongs_to_a_version = {
        model for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.many_to_one and field.related_model is MethodologyVersion and field.name == "version"
    }
    assert belongs_to_a_version == set(ROW_MODELS)
    assert {m.__name__ for m in ROW_MODELS} >= {"Region", "ModelProfile", "UsageProfile", "Equivalent"}


@pytest.mark.parametrize("row_model", ROW_MODELS, ids=lambda m: m.__name__)
def test_version_1_has_rows_of_every_row_model(version_1, row_model):
    """The queryset refusals below are only meaningful if there is a row to refuse."""
    assert row_model.objects.filter(version=version_1).exists()


@pytest.fixture
def france(version_1) -> Region:
    return Region.objects.get(version=version_1, code="france")


# ----------------------------------------------------------------- the version


def test_saving_a_published_version_is_refused(version_1):
    version_1.label = "rewritten"
    with pytest.raises(ImmutableVersionError):
        version_1.save()


def test_deleting_a_published_version_is_refused(version_1):
    with pytest.raises(ImmutableVersionError):
        version_1.delete()


def test_updating_published_versions_through_a_queryset_is_refused(version_1):
    with pytest.raises(ImmutableVersionError):
        MethodologyVersion.objects.filter(pk=version_1.pk).update(label="rewritten")


def test_deleting_published_versions_through_a_queryset_is_refused(version_1):
    with pytest.raises(ImmutableVersionError):
        MethodologyVersion.objects.all().delete()


def test_bulk_updating_a_published_version_is_refused(version_1):
    version_1.label = "rewritten"
    with pytest.raises(ImmutableVersionError):
        MethodologyVersion.objects.bulk_update([version_1], ["label"])


def test_bulk_create_cannot_overwrite_a_published_version(version_1):
    twin = MethodologyVersion(pk=version_1.pk, label="rewritten", default_region="france")
    with pytest.raises(ImmutableVersionError):
        MethodologyVersion.objects.bulk_create(
            [twin], update_conflicts=True, unique_fields=["id"], update_fields=["label", "status"]
        )


def test_a_version_is_published_only_by_publish_version(draft):
    draft.status = "published"
    with pytest.raises(ImmutableVersionError):
        draft.save()


def test_a_stale_copy_of_a_version_published_meanwhile_cannot_be_saved(draft, version_1):
    from methodology.services import publish_version

    stale = MethodologyVersion.objects.get(pk=draft.pk)
    Region.objects.filter(version=draft, code="france").update(carbon_intensity_value=50)
    publish_version(draft)
    stale.label = "edited in an old tab"
    with pytest.raises(ImmutableVersionError):
        stale.save()


def test_the_published_version_is_unchanged_after_every_refusal(version_1, france):
    for attempt in (
        lambda: MethodologyVersion.objects.filter(pk=version_1.pk).update(label="x"),
        lambda: Region.objects.filter(pk=france.pk).update(carbon_intensity_value=1),
        lambda: Region.objects.filter(version=version_1).delete(),
    ):
        with pytest.raises(ImmutableVersionError):
            attempt()
    fresh = MethodologyVersion.objects.get(pk=version_1.pk)
    assert fresh.label == version_1.label and fresh.sha256 == version_1.sha256
    assert Region.objects.get(pk=france.pk).carbon_intensity_value == 44
    assert fresh.regions.count() == 6


# ----------------------------------------------------------------- its rows


def test_saving_a_row_of_a_published_version_is_refused(france):
    france.carbon_intensity_value = 50
    with pytest.raises(ImmutableVersionError):
        france.save()


def test_deleting_a_row_of_a_published_version_is_refused(france):
    with pytest.raises(ImmutableVersionError):
        france.delete()


@pytest.mark.parametrize("row_model", ROW_MODELS, ids=lambda m: m.__name__)
def test_updating_rows_of_a_published_version_through_a_queryset_is_refused(version_1, row_model):
    with pytest.raises(ImmutableVersionError):
        row_model.objects.filter(version=version_1).update(name="rewritten")


@pytest.mark.parametrize("row_model", ROW_MODELS, ids=lambda m: m.__name__)
def test_deleting_rows_of_a_published_version_through_a_queryset_is_refused(version_1, row_model):
    with pytest.raises(ImmutableVersionError):
        row_model.objects.filter(version=version_1).delete()


def test_adding_a_row_to_a_published_version_is_refused(version_1, france):
    france.pk = None
    france.code = "france-bis"
    with pytest.raises(ImmutableVersionError):
        france.save()


def test_bulk_creating_rows_in_a_published_version_is_refused(version_1, france):
    france.pk = None
    france.code = "france-bis"
    with pytest.raises(ImmutableVersionError):
        Region.objects.bulk_create([france])


def test_bulk_create_cannot_overwrite_rows_of_a_published_version(draft, france):
    france.version = draft  # claims to be a draft row, keeps the published row's primary key
    france.carbon_intensity_value = 50
    with pytest.raises(ImmutableVersionError):
        Region.objects.bulk_create(
            [france], update_conflicts=True, unique_fields=["id"], update_fields=["version", "carbon_intensity_value"]
        )


def test_bulk_updating_rows_of_a_published_version_is_refused(france):
    france.carbon_intensity_value = 50
    with pytest.raises(ImmutableVersionError):
        Region.objects.bulk_update([france], ["carbon_intensity_value"])


def test_bulk_update_cannot_move_a_published_row_into_a_draft(draft, france):
    france.version = draft
    with pytest.raises(ImmutableVersionError):
        Region.objects.bulk_update([france], ["version"])


def test_a_published_row_cannot_move_to_a_draft(draft, france):
    france.version = draft
    with pytest.raises(ImmutableVersionError):
        france.save()


def test_draft_rows_cannot_be_moved_into_a_published_version(draft, version_1):
    with pytest.raises(ImmutableVersionError):
        Region.objects.filter(version=draft).update(version=version_1)


# ----------------------------------------------------------------- the admin


def test_the_admin_shows_a_published_version_read_only(editor_client, version_1):
    response = editor_client.get(admin_url("change", version_1.pk))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert response.context["has_delete_permission"] is False
    for inline in response.context["inline_admin_formsets"]:
        assert not inline.has_change_permission and not inline.has_add_permission
        assert not inline.has_delete_permission


def test_an_editors_post_to_a_published_versions_form_is_refused_with_a_message(editor_client, draft, version_1):
    data = change_form_data(editor_client.get(admin_url("change", draft.pk)))
    data["label"] = "rewritten"
    response = editor_client.post(admin_url("change", version_1.pk), data, follow=True)
    assert response.status_code == 200
    assert any("is published and cannot change" in message for message in messages_of(response))
    assert MethodologyVersion.objects.get(pk=version_1.pk).label == version_1.label


def test_a_save_as_new_post_on_a_published_version_is_refused(editor_client, version_1):
    response = editor_client.post(admin_url("change", version_1.pk), {"_saveasnew": "1", "label": "copy"})
    assert response.status_code in (302, 403)
    assert MethodologyVersion.objects.count() == 1


def test_the_admin_refuses_to_delete_a_published_version(editor_client, version_1):
    assert editor_client.post(admin_url("delete", version_1.pk), {"post": "yes"}).status_code == 403
    assert MethodologyVersion.objects.filter(pk=version_1.pk).exists()


def test_the_delete_action_refuses_a_published_version(editor_client, version_1):
    response = editor_client.post(
        admin_url("changelist"), {"action": "delete_selected", "_selected_action": [version_1.pk], "post": "yes"}
    )
    assert response.status_code == 403
    assert MethodologyVersion.objects.filter(pk=version_1.pk).exists()


def test_the_delete_action_deletes_nothing_when_a_published_version_is_selected(editor_client, version_1, draft):
    editor_client.post(
        admin_url("changelist"),
        {"action": "delete_selected", "_selected_action": [version_1.pk, draft.pk], "post": "yes"},
    )
    assert MethodologyVersion.objects.count() == 2


def test_publishing_a_published_version_again_is_refused(editor_client, version_1):
    response = editor_client.post(admin_url("publish", version_1.pk), follow=True)
    assert any("already published" in message for message in messages_of(response))
    assert MethodologyVersion.objects.get(pk=version_1.pk).number == 1


# ----------------------------------------------------------------- runs


def test_a_version_used_by_a_run_is_protected_by_the_foreign_key(version_1, make_run):
    make_run(version_1)
    with pytest.raises(ProtectedError):
        Collector(using="default").collect([version_1])


def test_the_database_refuses_to_delete_a_version_used_by_a_run(version_1, make_run):
    run = make_run(version_1)
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # Django's foreign keys are deferred
            # Raw SQL, past every Python guard: only the run's foreign key is left to refuse.
            for row_model in ROW_MODELS:
                cursor.execute(f"DELETE FROM {row_model._meta.db_table} WHERE version_id = %s", [version_1.pk])
            cursor.execute(f"DELETE FROM {MethodologyVersion._meta.db_table} WHERE id = %s", [version_1.pk])
        connection.check_constraints(table_names=[run._meta.db_table])
