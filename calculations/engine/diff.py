"""What changed between two methodologies, parameter by parameter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SECTIONS = ("regions", "models", "profiles", "equivalents")


@dataclass(frozen=True)
class Change:
    """One difference. `kind` is added, removed or changed; `field` is None for a whole entry."""

    kind: str
    section: str  # regions, models, profiles, or default_region
    code: str | None
    field: str | None
    old: Any = None
    new: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "section": self.section,
            "code": self.code,
            "field": self.field,
            "old": self.old,
            "new": self.new,
        }


def diff_canonical(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Differences between two canonical dicts (see canonical.canonical_dict), in a stable order."""
    changes: list[Change] = []
    if old["default_region"] != new["default_region"]:
        changes.append(Change("changed", "default_region", None, None, old["default_region"], new["default_region"]))
    for section in SECTIONS:
        old_entries, new_entries = old.get(section, {}), new.get(section, {})
        for code in sorted(set(old_entries) | set(new_entries)):
            if code not in new_entries:
                changes.append(Change("removed", section, code, None, old_entries[code], None))
            elif code not in old_entries:
                changes.append(Change("added", section, code, None, None, new_entries[code]))
            else:
                before, after = old_entries[code], new_entries[code]
                for field in sorted(set(before) | set(after)):
                    if before.get(field) != after.get(field):
                        changes.append(Change("changed", section, code, field, before.get(field), after.get(field)))
    return changes
