"""Exporting the ledger to an audit archive, and restoring one into an empty database.

The archive's format and checks are plain Python (audit.archive); this module reads and writes the
database. A restore recreates every published version (same number, hash, publication time) and
every run (same id, fields, creation time; its rows recomputed by the engine from its counts, which
verify_archive has checked give its sealed results), with the ledger's entries and seals as they were.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from calculations import services
from calculations.engine.canonical import canonical_dict
from calculations.engine.compute import compute
from calculations.engine.counts_hash import counts_sha256
from calculations.models import Project, Run
from calculations.sealing import sealed_run_record
from calculations.versioning import engine_version
from methodology.models import MethodologyVersion, VersionStatus
from methodology.sealing import version_record
from methodology.selectors import parameter_set_for
from methodology.services import create_version_from_parameters

from . import archive, canonical, checks
from .models import LedgerEntry


class RestoreRefused(Exception):
    pass


def export_archive(target) -> dict:
    """Write every published version and the whole ledger, records as stored now, to `target`."""
    versions = {v.number: parameter_set_for(v) for v in MethodologyVersion.objects.published()}
    return archive.write_archive(target, versions, _archived_entries(), created_at=canonical.timestamp(timezone.now()),
                                 engine_version=engine_version())


def _archived_entries() -> Iterator[archive.ArchivedEntry]:
    for entry in LedgerEntry.objects.order_by("position").iterator():
        if entry.kind == canonical.METHODOLOGY_VERSION:
            version = MethodologyVersion.objects.published().filter(number=entry.object_id).first()
            record = version_record(version) if version else None
        else:
            run = Run.objects.select_related("user", "methodology_version").filter(pk=entry.object_id).first()
            record = (sealed_run_record(run, services.stored_cells(run), run.profile_results.all(), entry.content_sha256)
                      if run else None)
        # A record gone from the database is archived as null: verify_archive then names it deleted.
        yield archive.ArchivedEntry(
            checks.Entry(entry.position, entry.kind, entry.object_id, entry.content_sha256, entry.seal), record)


def restore_archive(source) -> int:
    """Verify the archive, then restore it into a database holding no run, version or ledger entry.

    Returns the number of entries restored. Raises RestoreRefused (nothing written) otherwise.
    """
    if Run.objects.exists() or MethodologyVersion.objects.exists() or LedgerEntry.objects.exists():
        raise RestoreRefused("The database already holds runs, methodology versions or a ledger: "
                             "an archive is restored only into an empty one.")
    with archive.Archive(source) as readable:
        problems, _ = archive.verify_archive(readable)
        if problems:
            raise RestoreRefused("The archive does not verify:\n" + "\n".join(map(str, problems)))
        with transaction.atomic():
            count = _restore_entries(readable)
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), [Run, MethodologyVersion]):
                    cursor.execute(statement)
    return count


def _restore_entries(readable: archive.Archive) -> int:
    versions: dict[int, MethodologyVersion] = {}
    count = 0
    for archived in readable.entries():
        entry, record = archived.entry, archived.record
        if entry.kind == canonical.METHODOLOGY_VERSION:
            versions[entry.object_id] = _restore_version(record, readable.parameter_set(entry.object_id))
        else:
            _restore_run(record, versions[record["methodology"]["number"]])
        LedgerEntry.objects.create(position=entry.position, kind=entry.kind, object_id=entry.object_id,
                                   content_sha256=entry.content_sha256, seal=entry.seal)
        count += 1
    return count


def _user(username: str | None):
    """The user of that name, created inactive (no password) when the database has none."""
    if username is None:
        return None
    user, created = get_user_model().objects.get_or_create(username=username, defaults={"is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _restore_version(record: dict, parameters) -> MethodologyVersion:
    draft = create_version_from_parameters(parameters, label=record["label"], changelog=record["changelog"])
    # As publish_version freezes a draft, with the archived number and publication instead of new ones.
    MethodologyVersion.objects.filter(pk=draft.pk, status=VersionStatus.DRAFT).update(
        status=VersionStatus.PUBLISHED, number=record["number"], published_at=_moment(record["published_at"]),
        published_by=_user(record["published_by"]), snapshot=canonical_dict(parameters), sha256=parameters.sha256,
    )
    return MethodologyVersion.objects.get(pk=draft.pk)


def _restore_run(record: dict, version: MethodologyVersion) -> None:
    # null: the default project (docs/audit-trail.md); a project missing here is created with its code as name
    project = (services.default_project() if record["project"] is None else
               Project.objects.get_or_create(code=record["project"], defaults={"name": record["project"]})[0])
    totals, source = record["totals"], record["input"]
    cells = checks.cells_of(record)
    estimates = {f"{name}_{bound}": (None if totals.get(name) is None else totals[name][index])
                 for name in canonical.ESTIMATES for index, bound in enumerate(("value", "low", "high"))}
    run = Run.objects.create(
        id=record["id"], user=_user(record["user"]), source=record["source"], label=record["label"], project=project,
        methodology_version=version, methodology_sha256=record["methodology"]["sha256"], region=record["region"],
        profile_option=record["profile_option"], engine_version=record["engine_version"],
        input_sha256=source["sha256"], input_bytes=source["bytes"], input_format=source["format"],
        first_day=date.fromisoformat(source["first_day"]), last_day=date.fromisoformat(source["last_day"]),
        days=source["days"], inferences=totals["inferences"], input_tokens=totals["input_tokens"],
        output_tokens=totals["output_tokens"], cached_input_tokens=totals.get("cached_input_tokens", 0),
        # Sealed from record format 2; a format-1 record's counts hash is recomputed from its cells (the same function).
        counts_sha256=record.get("counts_sha256") or counts_sha256(*cells.all_columns()),
        mappings=record["mappings"], derived_from_id=record["derived_from"],
        inferences_reported=record.get("inferences_reported", True), generic_models=record.get("generic_models", []),
        uncertainty=record["uncertainty"], **estimates,
    )
    Run.objects.filter(pk=run.pk).update(created_at=_moment(record["created_at"]))  # auto_now_add set it to now
    # verify_archive has reproduced the record (its Monte Carlo too): only the rows are computed again.
    services.insert_results(run.pk, compute(cells, parameter_set_for(version), record["region"]))
