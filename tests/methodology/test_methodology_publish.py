"""Publishing: validation, sequential numbers, refusal of an identical set, concurrent publishers."""

import threading

import pytest
from django.db import connection, connections

from calculations.engine.canonical import parameter_set_from_canonical
from methodology.models import MethodologyVersion, Region
from methodology.selectors import parameter_set_for, version_diff
from methodology.services import PublishError, create_draft, publish_version


def test_publishing_a_set_identical_to_the_latest_version_is_refused(draft):
    with pytest.raises(PublishError, match="identical to the latest version v1"):
        publish_version(draft)
    draft.refresh_from_db()
    assert not draft.is_published and draft.number is None


def test_publish_assigns_the_next_number(version_1, publish_carbon_intensity):
    v2 = publish_carbon_intensity(version_1, 50)
    v3 = publish_carbon_intensity(v2, 40)
    assert (version_1.number, v2.number, v3.number) == (1, 2, 3)


def test_publish_records_who_when_and_the_frozen_hash(draft, editor):
    Region.objects.filter(version=draft, code="france").update(carbon_intensity_value=50)
    version = publish_version(draft, user=editor)
    assert version.published_by == editor and version.published_at is not None
    assert parameter_set_from_canonical(version.snapshot).sha256 == version.sha256


def test_publish_validates_the_whole_set_with_the_engine(draft):
    Region.objects.filter(version=draft, code="france").update(carbon_intensity_high=50)  # value 44, low 21.7: fine
    draft.default_region = "mars"
    draft.save()
    with pytest.raises(PublishError) as refused:
        publish_version(draft)
    assert [(issue.path, "must name one of the regions" in issue.reason) for issue in refused.value.issues] == [
        ("default_region", True)
    ]


def test_a_new_draft_copies_every_row_and_points_at_its_parent(version_1, draft):
    assert draft.parent == version_1
    assert parameter_set_for(draft).sha256 == version_1.sha256
    assert version_diff(version_1, draft) == []


def test_a_published_version_gives_the_engine_its_frozen_parameters(version_1, publish_carbon_intensity):
    v2 = publish_carbon_intensity(version_1, 50)
    parameters = parameter_set_for(v2)
    assert parameters.version == 2 and parameters.sha256 == v2.sha256
    assert parameters.regions["france"].carbon_intensity.value == 50


@pytest.mark.django_db(transaction=True)
def test_concurrent_publishers_get_distinct_consecutive_numbers(version_1):
    if connection.vendor != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's; SQLite serialises writers itself")
    publishers = 8
    drafts = []
    for index in range(publishers):
        draft = create_draft(version_1)
        # Each draft differs from the others, so none is refused as identical to the latest.
        Region.objects.filter(version=draft, code="france").update(carbon_intensity_value=30 + index)
        drafts.append(draft)

    start = threading.Barrier(publishers)
    numbers, errors = [], []

    def publish(draft):
        try:
            start.wait()
            numbers.append(publish_version(draft).number)
        except Exception as error:  # reported below, with the thread's own traceback lost but its message kept
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(numbers) == list(range(2, publishers + 2))
    assert sorted(MethodologyVersion.objects.published().values_list("number", flat=True)) == list(
        range(1, publishers + 2)
    )
    assert not MethodologyVersion.objects.drafts().exists()
