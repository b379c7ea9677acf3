"""A methodology version is named by its number; a draft by the number it would be published as."""

from __future__ import annotations

from methodology.models import MethodologyVersion
from methodology.services import create_draft


def test_a_published_version_is_named_by_its_number(version_1):
    assert version_1.name == "v1"


def test_a_draft_is_named_like_the_version_it_would_become(draft):
    assert draft.name == "v2 draft"
    assert str(draft).startswith("v2 draft") and f"#{draft.pk}" not in str(draft)


def test_drafts_are_numbered_in_the_order_they_were_created(version_1, draft):
    second = create_draft(version_1)
    assert (draft.name, second.name) == ("v2 draft", "v3 draft")


def test_a_list_of_versions_is_named_in_one_query(version_1, draft, django_assert_num_queries):
    create_draft(version_1)
    with django_assert_num_queries(1):
        names = [version.name for version in MethodologyVersion.objects.with_draft_numbers().order_by("created_at", "pk")]
    assert names == ["v1", "v2 draft", "v3 draft"]
