"""A run's ledger record (audit.canonical.run_record), from what is saved or from what is stored.

The same function serves both sides, so a run sealed at save time and the same run read back from
the database give the same bytes unless a stored value changed. Runs are sealed in the current record
format (audit.canonical.RUN_RECORD_FORMAT); a run sealed in an older one is read back in the format
its sealed content hash pins (`sealed_run_record`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from audit import canonical

from .engine.analytics import CellColumns
from .models import DEFAULT_PROJECT, Run


def project_of(run: Run) -> str | None:
    """The run's project in its record: the project's code, or null for the default project, which holds the
    runs sealed before projects existed (their records said null and keep their bytes)."""
    if getattr(run, "project_id", None) is None:  # historical models before calculations 0007 (audit 0002)
        return None
    code = run.project.code
    return None if code == DEFAULT_PROJECT else code


def run_fields(run: Run) -> dict[str, Any]:
    return {
        "id": run.pk,
        "created_at": run.created_at,
        "user": run.user.username if run.user_id else None,  # also from migrations' historical models
        "source": run.source,
        "label": run.label,
        "project": project_of(run),
        "methodology_number": run.methodology_version.number,
        "methodology_sha256": run.methodology_sha256,
        "region": run.region,
        "profile_option": run.profile_option,
        "engine_version": run.engine_version,
        "input_sha256": run.input_sha256,
        "input_bytes": run.input_bytes,
        "input_format": run.input_format,
        "counts_sha256": getattr(run, "counts_sha256", ""),  # historical models before calculations 0005
        "inferences_reported": getattr(run, "inferences_reported", True),  # before calculations 0007
        "generic_models": getattr(run, "generic_models", []),
        "first_day": run.first_day,
        "last_day": run.last_day,
        "days": run.days,
        "mappings": run.mappings,
        "derived_from": run.derived_from_id,
        # Historical models before calculations 0004 have no Monte Carlo (audit 0002 seals such runs).
        "uncertainty": getattr(run, "uncertainty", None),
    }


def _parts(run: Run, cells: CellColumns, profiles: Iterable[Any]) -> tuple:
    return (run_fields(run), cells.all_columns(), canonical.figures_of(run),
            [{"profile": p.profile, "model": p.model, **canonical.figures_of(p)}
             for p in sorted(profiles, key=lambda p: p.profile)])


def run_record(run: Run, cells: CellColumns, profiles: Iterable[Any],
               record_format: int = canonical.RUN_RECORD_FORMAT) -> dict[str, Any]:
    """The record of `run` (its totals are read from the run's columns), its cells sorted by (day,
    profile), and its per-profile results (stored ProfileResult rows or the engine's subtotals)."""
    return canonical.run_record(*_parts(run, cells, profiles), record_format)


def sealed_run_record(run: Run, cells: CellColumns, profiles: Iterable[Any], content_sha256: str | None) -> dict[str, Any]:
    """The record of `run` in the format it was sealed in: the newest format whose content hash is
    `content_sha256` (the hash covers the record's "format", so only the sealed one can match), else
    the current format (what is stored no longer matches its seal)."""
    profiles = list(profiles)
    parts = _parts(run, cells, profiles)
    for record_format in canonical.RUN_RECORD_FORMATS:
        record = canonical.run_record(*parts, record_format)
        if content_sha256 is None or canonical.content_sha256(record) == content_sha256:
            return record
    return canonical.run_record(*parts, canonical.RUN_RECORD_FORMAT)


def run_content_sha256(run: Run, cells: CellColumns, profiles: Iterable[Any]) -> str:
    """The SHA-256 of that record's canonical bytes, without holding them (what save_run seals)."""
    return canonical.run_content_sha256(*_parts(run, cells, profiles))
