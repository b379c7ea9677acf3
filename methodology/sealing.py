"""A published methodology version's ledger record (audit.canonical.version_record)."""

from __future__ import annotations

from typing import Any

from audit import canonical

from .models import MethodologyVersion


def version_record(version: MethodologyVersion) -> dict[str, Any]:
    return canonical.version_record(
        number=version.number, sha256=version.sha256, published_at=version.published_at,
        published_by=version.published_by.username if version.published_by_id else None,
        label=version.label, changelog=version.changelog,
    )
