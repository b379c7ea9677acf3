"""Business operations on methodology versions: import, derive a draft, publish."""

from __future__ import annotations

from pathlib import Path

from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from audit import canonical, ledger
from calculations.engine.canonical import canonical_dict
from calculations.engine.diff import diff_canonical
from calculations.engine.config import ConfigError, ConfigIssue, load_config_dir, parameter_set_from_docs
from calculations.engine.parameters import (
    MODEL_EXTENSION_PARAMS,
    MODEL_PARAMS,
    PROFILE_PARAMS,
    REGION_EXTENSION_PARAMS,
    REGION_PARAMS,
    ParameterSet,
    range_columns,
)

from .models import Equivalent, MethodologyVersion, ModelProfile, Region, UsageProfile, VersionStatus
from .sealing import version_record
from .translations import complete_french_names

ROW_MODELS = (
    (Region, REGION_PARAMS + REGION_EXTENSION_PARAMS),
    (ModelProfile, MODEL_PARAMS + MODEL_EXTENSION_PARAMS),
    (UsageProfile, PROFILE_PARAMS),
    (Equivalent, ("amount",)),
)
# Serialises number assignment between concurrent publishers on PostgreSQL.
_PUBLISH_LOCK_KEY = 5001_0001


class PublishError(Exception):
    """The draft cannot be published; `issues` says why."""

    def __init__(self, message: str, issues: list[ConfigIssue] | None = None):
        self.issues = issues or []
        super().__init__(message)


def _range_doc(row, name: str) -> dict[str, float]:
    return {
        "value": getattr(row, f"{name}_value"),
        "low": getattr(row, f"{name}_low"),
        "high": getattr(row, f"{name}_high"),
    }


def _ranges_doc(row, names: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[str, dict]:
    """Required parameters always (the engine reports missing ones); optional ones when any column is set."""
    doc = {n: _range_doc(row, n) for n in names}
    for name in optional:
        if any(getattr(row, f"{name}_{bound}") is not None for bound in ("value", "low", "high")):
            doc[name] = _range_doc(row, name)
    return doc


def version_docs(version: MethodologyVersion) -> tuple[dict, dict]:
    """The version's rows as the two config documents the engine validates."""
    regions_doc = {
        "default_region": version.default_region,
        "regions": {
            r.code: {"name": r.name, "name_fr": r.name_fr, "source": r.source, **_ranges_doc(r, REGION_PARAMS, REGION_EXTENSION_PARAMS)}
            for r in version.regions.all()
        },
    }
    equivalents = {
        e.code: {"name": e.name, "name_fr": e.name_fr, "source": e.source, "metric": e.metric, "unit": e.unit, "unit_fr": e.unit_fr, **_ranges_doc(e, ("amount",))}
        for e in version.equivalents.all()
    }
    if equivalents:
        regions_doc["equivalents"] = equivalents
    models_doc = {
        "models": {
            m.code: {"name": m.name, "name_fr": m.name_fr, "source": m.source, "procurement": m.procurement or None,
                     **_ranges_doc(m, MODEL_PARAMS, MODEL_EXTENSION_PARAMS)}
            for m in version.modelprofiles.all()
        },
        "profiles": {
            p.code: {
                "name": p.name,
                "name_fr": p.name_fr,
                "source": p.source,
                "model": p.model,
                "aliases": list(p.aliases or []),
                **_ranges_doc(p, PROFILE_PARAMS),
            }
            for p in version.usageprofiles.all()
        },
    }
    return regions_doc, models_doc


def validate_version(version: MethodologyVersion) -> ParameterSet:
    """The version's parameter set, validated by the engine (raises ConfigError)."""
    regions_doc, models_doc = version_docs(version)
    return parameter_set_from_docs(
        regions_doc, models_doc, regions_file="regions", models_file="models", version=version.number
    )


@transaction.atomic
def create_version_from_parameters(
    parameters: ParameterSet, *, user=None, label: str = "", changelog: str = "", parent=None
) -> MethodologyVersion:
    """A new draft holding exactly `parameters`."""
    version = MethodologyVersion.objects.create(
        label=label, changelog=changelog, parent=parent, default_region=parameters.default_region, created_by=user
    )
    Region.objects.bulk_create(
        Region(version=version, code=r.code, name=r.name, name_fr=r.name_fr, source=r.source,
               **range_columns(r, REGION_PARAMS + REGION_EXTENSION_PARAMS))
        for r in parameters.regions.values()
    )
    ModelProfile.objects.bulk_create(
        ModelProfile(version=version, code=m.code, name=m.name, name_fr=m.name_fr, source=m.source,
                     procurement=m.procurement, **range_columns(m, MODEL_PARAMS + MODEL_EXTENSION_PARAMS))
        for m in parameters.models.values()
    )
    UsageProfile.objects.bulk_create(
        UsageProfile(
            version=version, code=p.code, name=p.name, name_fr=p.name_fr, source=p.source, model=p.model, aliases=list(p.aliases),
            **range_columns(p, PROFILE_PARAMS),
        )
        for p in parameters.profiles.values()
    )
    Equivalent.objects.bulk_create(
        Equivalent(version=version, code=e.code, name=e.name, name_fr=e.name_fr, source=e.source, metric=e.metric, unit=e.unit,
                   unit_fr=e.unit_fr,
                   **range_columns(e, ("amount",)))
        for e in parameters.equivalents.values()
    )
    return version


@transaction.atomic
def create_draft(source: MethodologyVersion, *, user=None, label: str = "") -> MethodologyVersion:
    """A draft deep-copied from `source` (every row), with `source` as its parent."""
    draft = MethodologyVersion.objects.create(
        label=label or source.label,
        label_fr="" if label else source.label_fr,
        parent=source,
        default_region=source.default_region,
        created_by=user,
    )
    for row_model, _ in ROW_MODELS:
        copies = []
        for row in row_model.objects.filter(version=source):
            row.pk = None
            row.id = None
            row.version = draft
            copies.append(row)
        row_model.objects.bulk_create(copies)
    return draft


def publish_version(version: MethodologyVersion, *, user=None) -> MethodologyVersion:
    """Validate, number, freeze. Two concurrent publishers never get the same number."""
    for attempt in range(5):
        try:
            return _publish_once(version, user)
        except IntegrityError:
            # Another publisher took the number between our read and write (SQLite has no
            # advisory lock); the unique constraint caught it, so read again.
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def _publish_once(version: MethodologyVersion, user) -> MethodologyVersion:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PUBLISH_LOCK_KEY])
    draft = MethodologyVersion.objects.select_for_update().get(pk=version.pk)
    if draft.is_published:
        raise PublishError(f"{draft} is already published")
    try:
        parameters = validate_version(draft)
    except ConfigError as error:
        raise PublishError("The draft is not a valid methodology.", error.issues) from error
    latest = MethodologyVersion.objects.published().order_by("-number").first()
    if latest is not None and latest.sha256 == parameters.sha256:
        raise PublishError(f"This draft is identical to the latest version {latest} (same SHA-256); nothing to publish.")
    number = (MethodologyVersion.objects.aggregate(top=Max("number"))["top"] or 0) + 1
    with transaction.atomic():
        updated = MethodologyVersion.objects.filter(pk=draft.pk, status=VersionStatus.DRAFT).update(
            status=VersionStatus.PUBLISHED,
            number=number,
            published_at=timezone.now(),
            published_by=user,
            snapshot=canonical_dict(parameters),
            sha256=parameters.sha256,
        )
    if not updated:
        # SQLite has no row lock: another publisher got there first.
        raise PublishError(f"{draft} was published meanwhile by someone else.")
    version.refresh_from_db()
    ledger.append(canonical.METHODOLOGY_VERSION, version.number, canonical.content_sha256(version_record(version)))
    return version


@transaction.atomic
def load_methodology(directory: str | Path, *, user=None, label: str = "") -> tuple[MethodologyVersion, bool]:
    """Create and publish a version from a config directory, unless the latest version already has its hash.

    Returns (version, created). All or nothing: a refused load leaves no draft behind.
    """
    parameters = load_config_dir(directory)
    latest = MethodologyVersion.objects.published().order_by("-number").first()
    if latest is not None and latest.sha256 == parameters.sha256:
        complete_french_names(latest, parameters)
        return latest, False
    folder = Path(directory).name or directory
    draft = create_version_from_parameters(
        parameters, user=user, label=label or f"Loaded from {folder}", parent=latest
    )
    if not label:
        MethodologyVersion.objects.filter(pk=draft.pk).update(label_fr=f"Chargée depuis {folder}")
    # The rows must hold the files exactly (a parameter without a column would be dropped
    # silently), or the published hash would not be the files' hash.
    stored = validate_version(draft)
    if stored.sha256 != parameters.sha256:
        lost = [
            ".".join(str(part) for part in (c.section, c.code, c.field) if part)
            for c in diff_canonical(canonical_dict(parameters), canonical_dict(stored))
        ]
        raise PublishError(
            "The database cannot hold this methodology exactly; it would lose: " + ", ".join(lost[:10])
        )
    return publish_version(draft, user=user), True
