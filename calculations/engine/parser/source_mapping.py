"""What the readers of real exports (analytics-format.md section 5) share: source groups mapped to usage profiles.

Source profile names and ids, models, project/user/key ids are only used to map and to word
errors: what comes out is usage profile codes, and for each mapping the rule and the alias, code
or type from the methodology that matched.

Decisions where the spec is silent:

- Counts added up for one (day, profile) must stay <= 10^12.
- One ProfileMapping per (usage profile, rule, matched), so a usage profile fed by two rules
  (an alias and a type) lists both.
"""

from __future__ import annotations

from ..analytics import MAX_COUNT, Cell, ProfileMapping
from ..parameters import ParameterSet
from .reader import Reader

Match = tuple[str, str, str]  # (usage profile, rule, matched)

_RULE_ORDER = {"alias": 0, "name": 1, "type": 2, "profile_option": 3}


def profiles_and_aliases(parameters: ParameterSet) -> str:
    """For mapping errors: every usage profile with its aliases."""
    return ", ".join(
        f"{code} (aliases: {', '.join(profile.aliases)})" if profile.aliases else f"{code} (no aliases)"
        for code, profile in sorted(parameters.profiles.items())
    )


def summed_cells(totals: dict, reader: Reader, tokens: bool) -> list[Cell]:
    """Cells of summed counts, sorted; a sum above MAX_COUNT is refused."""
    cells = []
    for (day, profile), counts in sorted(totals.items()):
        largest = max(count for count in counts if count is not None)
        if largest > MAX_COUNT:
            reader.issue(
                "invalid_analytics",
                f"{day.isoformat()} {profile}: counts added up exceed 10^12",
                None,
                value=largest,
            )
            continue
        cells.append(Cell(day, profile, *counts) if tokens else Cell(day, profile, counts[0]))
    return cells


def mappings_of(groups: dict[Match, set]) -> list[ProfileMapping]:
    """The ProfileMappings of the matched source groups, by profile, rule and what matched."""
    ordered = sorted(groups, key=lambda match: (match[0], _RULE_ORDER[match[1]], match[2]))
    return [ProfileMapping(profile, rule, matched, len(groups[(profile, rule, matched)])) for profile, rule, matched in ordered]
