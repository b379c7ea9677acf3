"""Fixtures of the methodology tests: version 1 from config/, users by role, runs, admin form data."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from methodology_testing import CONFIG_DIR, EDITORS_GROUP, PASSWORD, command_output

from calculations.models import Run, RunSource
from methodology.models import MethodologyVersion, Region
from methodology.services import create_draft, publish_version


@pytest.fixture
def version_1(db) -> MethodologyVersion:
    """Methodology version 1, loaded and published from config/ as the README does."""
    command_output("load_methodology", str(CONFIG_DIR))
    return MethodologyVersion.objects.get(number=1)


@pytest.fixture
def draft(version_1) -> MethodologyVersion:
    return create_draft(version_1)


@pytest.fixture
def publish_carbon_intensity():
    """publish_carbon_intensity(source, value, region="france") -> the published version with that change."""

    def publish(source, value, *, region="france", user=None):
        new_draft = create_draft(source, user=user)
        Region.objects.filter(version=new_draft, code=region).update(carbon_intensity_value=value)
        return publish_version(new_draft, user=user)

    return publish


@pytest.fixture
def make_user(db, django_user_model):
    def make(username, *, staff=True, editor=False, superuser=False):
        user = django_user_model.objects.create_user(
            username=username, password=PASSWORD, is_staff=staff, is_superuser=superuser
        )
        if editor:
            # The group as the migration created it: the tests prove its permissions are enough.
            user.groups.add(Group.objects.get(name=EDITORS_GROUP))
        return user

    return make


@pytest.fixture
def editor(make_user):
    return make_user("editor", editor=True)


@pytest.fixture
def plain_staff(make_user):
    return make_user("staff")


@pytest.fixture
def superuser(make_user):
    return make_user("root", superuser=True)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def make_run(db):
    """make_run(version) -> a Run row pointing at `version`, with the minimal fields."""

    def make(version):
        day = datetime.date(2025, 1, 1)
        return Run.objects.create(
            source=RunSource.CLI, methodology_version=version, methodology_sha256=version.sha256, region="france",
            engine_version="test", input_sha256="0" * 64, input_bytes=1, input_format="native-yaml",
            first_day=day, last_day=day, days=1, inferences=1, input_tokens=1.0, output_tokens=1.0,
            energy_kwh_value=1.0, energy_kwh_low=1.0, energy_kwh_high=1.0,
            carbon_gco2e_value=1.0, carbon_gco2e_low=1.0, carbon_gco2e_high=1.0,
        )

    return make
