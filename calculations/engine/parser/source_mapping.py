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
from .values import MISSING

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


def report_pages(tree, reader: Reader) -> tuple[list, bool]:
    """(pages, whether one page came alone) of a provider's usage report (OpenAI, Anthropic), refusing a
    report whose every page says more follow (has_more: true): its other pages were not sent."""
    single = type(tree) is dict
    pages = [tree] if single else tree
    if all(type(page) is dict and reader.is_true(page.get("has_more")) for page in pages):
        reader.issue(
            "invalid_analytics",
            Message(gettext_noop("the report continues on further pages (has_more: true): send all its pages as one list")),
            "" if single else None,
            "has_more" if single else None,
        )
    return pages, single


def bucket_results(bucket: dict, bucket_where: str, reader: Reader):
    """(where, result) of each result of a usage report's bucket that is a mapping; the others are refused."""
    results = bucket.get("results", MISSING)
    if type(results) is not list:
        reader.issue("invalid_analytics", Message(gettext_noop("results must be a list; got {found}"),
                                                  found=reader.describe(results)), bucket_where, "results")
        return
    for result_index, result in enumerate(results):
        where = f"{bucket_where}.results[{result_index}]"
        if type(result) is not dict:
            reader.issue("invalid_analytics", Message(gettext_noop("a result must be a mapping; got {found}"),
                                                      found=reader.describe(result)), where)
            continue
        yield where, result


def first_sighting(seen: dict[tuple, str], start, result: dict, grouping_keys: tuple[str, ...], where: str,
                   reader: Reader, duplicate: Message) -> bool:
    """Whether a result's bucket start and grouping fields are new; a repeat (a page sent twice) is refused
    with `duplicate`, naming the first one."""
    grouping = (start, *(_grouping_value(result.get(key)) for key in grouping_keys))
    if grouping in seen:
        reader.issue("duplicate", duplicate, where, also=seen[grouping])
        return False
    seen[grouping] = where
    return True


def _grouping_value(raw):
    """A hashable stand-in for a grouping field (ids, batch flag, tier, context window)."""
    return raw if raw is None or isinstance(raw, (str, int, float)) else repr(raw)


def refuse_long_bucket(reader: Reader, state: dict, where: str, key: str, value) -> None:
    """Refuse a bucket of more than a day, once a report (its buckets all have the width it was asked with);
    `state["long_bucket"]` records that it was said."""
    if state["long_bucket"]:
        return
    state["long_bucket"] = True
    reader.issue(
        "period_not_daily",
        Message(gettext_noop("buckets must last at most one day: request the report with bucket_width 1d, 1h or 1m")),
        where,
        key,
        value=value,
    )


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
