"""`verify_ledger`: every seal and the chain, every run recomputed from its stored counts.

Reads the database one run at a time (a run's cells are the largest thing held) and records the
verdict as a LedgerCheck, which the admin shows and the next check uses as an anchor: a ledger
cut short below a head seen intact before is reported as truncated.
"""

from __future__ import annotations

from calculations import services
from calculations.engine.canonical import parameter_set_from_canonical
from calculations.engine.config import ConfigError
from calculations.models import DailyResult, Run
from calculations.sealing import sealed_run_record
from methodology.models import MethodologyVersion
from methodology.sealing import version_record
from methodology.selectors import parameter_set_for
from methodology.services import validate_version

from . import canonical, checks
from .models import LedgerCheck, LedgerEntry


def verify_ledger(*, record: bool = True) -> tuple[list[checks.Problem], int]:
    """All problems found (empty: the ledger holds) and the number of entries checked."""
    entries = [checks.Entry(e.position, e.kind, e.object_id, e.content_sha256, e.seal)
               for e in LedgerEntry.objects.order_by("position")]
    problems: list[checks.Problem] = []
    versions = {v.number: v for v in MethodologyVersion.objects.published().select_related("published_by")}
    problems += _version_problems(versions.values())
    sealed = {(e.kind, e.object_id): e.content_sha256 for e in entries}

    def record_of(kind: str, object_id: int):
        if kind == canonical.METHODOLOGY_VERSION:
            version = versions.get(object_id)
            return None if version is None else version_record(version)
        run = Run.objects.select_related("user", "methodology_version", "project").filter(pk=object_id).first()
        if run is None:
            return None
        record, reproduced = _run_checked(run, sealed.get((kind, object_id)))
        problems.extend(reproduced)
        return record

    problems[:0] = checks.check_chain(entries, record_of)
    stored = [(canonical.METHODOLOGY_VERSION, number) for number in sorted(versions)]
    stored += [(canonical.RUN, pk) for pk in Run.objects.order_by("pk").values_list("pk", flat=True)]
    problems += checks.unsealed(stored, entries)
    problems += _truncation(entries)
    if record:
        head = entries[-1] if entries else None
        LedgerCheck.objects.create(
            intact=not problems, entries=len(entries), head_position=head.position if head else None,
            head_seal=head.seal if head else "", problems=[p.as_dict() for p in problems],
        )
    return problems, len(entries)


def _run_checked(run: Run, content_sha256: str | None) -> tuple[dict, list[checks.Problem]]:
    """The run's record as stored (in the format it was sealed in), and whether its counts recomputed give
    its stored results and rows."""
    cells = services.stored_cells(run)
    record = sealed_run_record(run, cells, run.profile_results.all(), content_sha256)
    version = run.methodology_version
    if not version.is_published:
        return record, [checks.Problem(checks.subject(canonical.RUN, run.pk), checks.NOT_REPRODUCED,
                                       f"its methodology version {version.pk} is not published")]
    differences, result = checks.reproduce(record, parameter_set_for(version))
    stored_rows = sorted(DailyResult.objects.filter(run=run).values_list(*services.DAILY_COLUMNS))
    if stored_rows != list(services.daily_rows(run.pk, result)):
        differences.append("daily results")
    return record, [checks.not_reproduced(record, differences)] if differences else []


def _version_problems(versions) -> list[checks.Problem]:
    """A published version whose frozen snapshot or rows no longer hash to its sealed SHA-256."""
    problems = []
    for version in versions:
        try:
            hashes = {parameter_set_from_canonical(version.snapshot).sha256, validate_version(version).sha256}
        except (ConfigError, KeyError, TypeError, AttributeError):
            hashes = set()
        if hashes != {version.sha256}:
            problems.append(checks.Problem(checks.subject(canonical.METHODOLOGY_VERSION, version.number),
                                           checks.ALTERED, "its parameters no longer hash to its SHA-256"))
    return problems


def _truncation(entries: list[checks.Entry]) -> list[checks.Problem]:
    """The last head seen intact must still be in the ledger, with the same seal."""
    anchor = LedgerCheck.objects.filter(intact=True, head_position__isnull=False).first()
    if anchor is None:
        return []
    at_anchor = next((e for e in entries if e.position == anchor.head_position), None)
    if at_anchor is not None and at_anchor.seal == anchor.head_seal:
        return []
    return [checks.Problem(f"ledger position {anchor.head_position}", checks.TRUNCATED,
                           f"the ledger verified intact on {canonical.timestamp(anchor.checked_at)} reached this "
                           "position with another seal: entries were removed or rewritten since")]


def last_check() -> LedgerCheck | None:
    return LedgerCheck.objects.first()
