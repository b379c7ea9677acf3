"""Queries on methodology versions shared by views, the API and the CLI."""

from __future__ import annotations

from functools import lru_cache

from django.utils.translation import gettext

from calculations.engine.canonical import canonical_dict, parameter_set_from_canonical
from calculations.engine.diff import Change, diff_canonical
from calculations.engine.parameters import ParameterSet

from .models import MethodologyVersion


class VersionNotFound(LookupError):
    pass


def published_versions():
    return MethodologyVersion.objects.published().order_by("-number")


def listed_versions():
    """Published versions for a list (the methodology page, the API's list): with their parent and
    publisher, without their snapshots, which a list never shows and would decode each time."""
    return published_versions().select_related("parent", "published_by").defer("snapshot")


def latest_published_version() -> MethodologyVersion | None:
    return published_versions().first()


def get_published_version(number: int | None = None) -> MethodologyVersion:
    """Version `number`, or the latest published one when None. Its snapshot (the whole methodology
    as JSON) is loaded only when read: an upload needs the version's number and hash, and its
    parameters come from `parameter_set_for`'s cache, so decoding the snapshot cost it about 1 ms."""
    versions = published_versions().defer("snapshot")
    version = versions.first() if number is None else versions.filter(number=number).first()
    if version is None:
        raise VersionNotFound(
            gettext("No published methodology version yet.") if number is None
            else gettext("No published methodology version %(number)s.") % {"number": number}
        )
    return version


@lru_cache(maxsize=64)
def _published_parameters(version_pk: int, number: int, sha256: str) -> ParameterSet:
    # Keyed by everything that identifies the content, not the primary key alone: a
    # primary key can be reused (a rolled-back test, a restored database).
    version = MethodologyVersion.objects.get(pk=version_pk)
    return parameter_set_from_canonical(version.snapshot, version=version.number)


def parameter_set_for(version: MethodologyVersion) -> ParameterSet:
    """The engine's parameter set of a published version (cached: a published version never changes)."""
    if version.is_published:
        return _published_parameters(version.pk, version.number, version.sha256)
    from .services import validate_version

    return validate_version(version)


def version_canonical(version: MethodologyVersion) -> dict:
    """The canonical dict of a version: its frozen snapshot, or a draft's current rows."""
    if version.is_published:
        return version.snapshot
    return canonical_dict(parameter_set_for(version))


def version_diff(old: MethodologyVersion, new: MethodologyVersion) -> list[Change]:
    return diff_canonical(version_canonical(old), version_canonical(new))
