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

_RULE_ORDER = {"alias": 0, "name": 1, "type": 2, "profile_option": 3, "unknown_models_option": 4}
# The `unknown_models` option's one value, and the usage profile it maps unknown models to (analytics-format.md 6.4).
GENERIC = "generic"


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
        largest = max(count for count in counts if count is not None)
        if largest > MAX_COUNT:
            reader.issue(
                "invalid_analytics",
                Message(gettext_noop("{day} {profile}: counts added up exceed 10^12"), day=day.isoformat(), profile=profile),
                None,
                value=largest,
            )
            continue
        cells.append(Cell(day, profile, *counts) if tokens else Cell(day, profile, counts[0]))
    return cells


def match_model(model: str, parameters: ParameterSet, suffixes) -> Match | None:
    """A usage profile whose aliases hold the model, or the model without a date suffix (`suffixes`: patterns)."""
    aliases = parameters.alias_index()
    for candidate in (model, *(suffix.sub("", model) for suffix in suffixes)):
        if candidate in aliases:
            return aliases[candidate], "alias", candidate
    return None


def map_model(model: str | None, profile_option: str | None, where: str, reader: Reader, state: dict,
              suffixes) -> Match | None:
    """The usage profile of a usage report's result, or None after an issue (said once per model).

    No model: the `profile` option, else refused. A model no alias matches: the usage profile `generic`
    under the `unknown_models=generic` option (the model's name kept in `reader.generic_models`), else
    refused with the known profiles and aliases. `state` holds "no_model" (refused once) and "unmapped" (a set).
    """
    if model is None:
        if profile_option is not None:
            return profile_option, "profile_option", profile_option
        if not state["no_model"]:
            state["no_model"] = True
            reader.issue(
                "profile_option_required",
                Message(gettext_noop("the report has no model (not grouped by model): say which usage profile it is "
                                     "with the profile option (CLI --profile); usage profiles: {profiles}"),
                        profiles=", ".join(sorted(reader.parameters.profiles))),
                where,
                "model",
            )
        return None
    match = match_model(model, reader.parameters, suffixes)
    if match is None and reader.unknown_models == GENERIC:
        reader.generic_models.add(model)
        return GENERIC, "unknown_models_option", GENERIC
    if match is None and model not in state["unmapped"]:
        state["unmapped"].add(model)
        reader.issue(
            "unmappable_profile",
            Message(gettext_noop("model {model!r} matches no usage profile: add it (or its name without the date "
                                 "suffix) to a usage profile's aliases in the methodology, or send the upload with "
                                 "the option unknown_models=generic; usage profiles: {profiles}"),
                    model=model, profiles=profiles_and_aliases(reader.parameters)),
            where,
            "model",
            value=model,
        )
    return match


def mappings_of(groups: dict[Match, set]) -> list[ProfileMapping]:
    """The ProfileMappings of the matched source groups, by profile, rule and what matched."""
    ordered = sorted(groups, key=lambda match: (match[0], _RULE_ORDER[match[1]], match[2]))
    return [ProfileMapping(profile, rule, matched, len(groups[(profile, rule, matched)])) for profile, rule, matched in ordered]
