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
from ..messages import Message, gettext_noop
from ..parameters import ParameterSet
from .reader import Reader

Match = tuple[str, str, str]  # (usage profile, rule, matched)

_RULE_ORDER = {"alias": 0, "name": 1, "type": 2, "profile_option": 3}


def profiles_and_aliases(parameters: ParameterSet) -> Message:
    """For mapping errors: every usage profile with its aliases (a Message of Messages, one a profile)."""
    entries = {
        f"profile{index}": Message(gettext_noop("{code} (aliases: {aliases})"), code=code, aliases=", ".join(profile.aliases))
        if profile.aliases else Message(gettext_noop("{code} (no aliases)"), code=code)
        for index, (code, profile) in enumerate(sorted(parameters.profiles.items()))
    }
    return Message(", ".join(f"{{{name}}}" for name in entries), **entries)  # no words of its own to translate


def summed_cells(totals: dict, reader: Reader, tokens: bool) -> list[Cell]:
    """Cells of summed counts, sorted; a sum above MAX_COUNT is refused."""
    cells = []
    for (day, profile), counts in sorted(totals.items()):
        if max(counts) > MAX_COUNT:
            reader.issue(
                "invalid_analytics",
                Message(gettext_noop("{day} {profile}: counts added up exceed 10^12"), day=day.isoformat(), profile=profile),
                None,
                value=max(counts),
            )
            continue
        cells.append(Cell(day, profile, *counts) if tokens else Cell(day, profile, counts[0]))
    return cells


def mappings_of(groups: dict[Match, set]) -> list[ProfileMapping]:
    """The ProfileMappings of the matched source groups, by profile, rule and what matched."""
    ordered = sorted(groups, key=lambda match: (match[0], _RULE_ORDER[match[1]], match[2]))
    return [ProfileMapping(profile, rule, matched, len(groups[(profile, rule, matched)])) for profile, rule, matched in ordered]
