"""Plain-dict views of methodology versions for the API (and pages)."""

from __future__ import annotations

from calculations.engine.parameters import PARAM_UNITS

from .models import MethodologyVersion
from .selectors import version_canonical


def version_summary(version: MethodologyVersion) -> dict:
    return {
        "number": version.number,
        "status": version.status,
        "label": version.label,
        "changelog": version.changelog,
        "parent": version.parent.number if version.parent_id and version.parent.number else None,
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "published_by": version.published_by.username if version.published_by_id else None,
        "sha256": version.sha256,
        "default_region": version.default_region,
    }


def _with_units(entries: dict) -> dict:
    """Each parameter's range with its unit (the entry's other fields are text)."""
    return {
        code: {key: {**value, "unit": PARAM_UNITS[key]} if key in PARAM_UNITS else value for key, value in entry.items()}
        for code, entry in sorted(entries.items())
    }


def version_detail(version: MethodologyVersion) -> dict:
    """Every parameter with value, range, unit and source."""
    canonical = version_canonical(version)
    return {
        **version_summary(version),
        "regions": _with_units(canonical["regions"]),
        "models": _with_units(canonical["models"]),
        "profiles": _with_units(canonical["profiles"]),
    }
