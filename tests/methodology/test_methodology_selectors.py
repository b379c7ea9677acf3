"""methodology/selectors.py: which published version an upload computes with, and what is loaded for it."""

import pytest

from methodology.models import MethodologyVersion
from methodology.selectors import VersionNotFound, get_published_version, listed_versions, parameter_set_for


def test_the_latest_published_version_is_the_default(version_1, publish_carbon_intensity):
    publish_carbon_intensity(version_1, 55)
    assert get_published_version(None).number == 2
    assert get_published_version(1).number == 1


def test_an_unknown_version_number_is_refused_by_name(version_1):
    with pytest.raises(VersionNotFound, match="No published methodology version 7"):
        get_published_version(7)


def test_an_upload_s_version_comes_without_its_snapshot_which_is_loaded_when_read(version_1, django_assert_num_queries):
    """The snapshot (the whole methodology as JSON) is not decoded for an upload, whose parameters come
    from a cache; code that reads it still gets it, for one more query."""
    version = get_published_version(1)
    assert version.get_deferred_fields() == {"snapshot"}
    parameter_set_for(version)  # fills the cache of published parameter sets
    with django_assert_num_queries(0):
        assert parameter_set_for(version).sha256 == version.sha256
    stored = MethodologyVersion.objects.get(pk=version.pk).snapshot
    with django_assert_num_queries(1):
        assert version.snapshot == stored != {}


def test_a_list_of_versions_costs_one_query_and_decodes_no_snapshot(version_1, publish_carbon_intensity,
                                                                    django_assert_num_queries):
    publish_carbon_intensity(version_1, 55)
    with django_assert_num_queries(1):
        versions = list(listed_versions())
        assert [(v.number, v.parent.number if v.parent else None) for v in versions] == [(2, 1), (1, None)]
    assert all(v.get_deferred_fields() == {"snapshot"} for v in versions)
