"""Real exports accepted as they come (analytics-format.md section 5).

Recognised from content alone, in JSON or the same structure in YAML, and read
with the parser's `Reader` (same value rules, same issue locations). Source
profile names and ids, models, project/user/key ids are only used to map and
to word errors: what comes out is usage profile codes, and for each mapping
the rule and the alias, code or type from the methodology that matched.

Decisions where the spec is silent:

- Fluid Topics: `results` at the top level marks the export. The count key is
  `aiQueryCount` or `genaiQueryCount` (both in one export is refused). A period
  may end on its start day or the next one (exclusive or inclusive end); a
  longer one is refused once for the whole export. An alias on the `id` is
  tried before one on the `name`. A source profile without periods needs no
  mapping and is not counted as a source group. The same profile with two
  periods starting on the same day is refused as a duplicate.
- OpenAI: `object: page` (one page or a list of pages) marks the report.
  `num_model_requests`, `input_tokens` and `output_tokens` are required. A
  bucket longer than one day is refused; when every page says `has_more: true`
  the report is incomplete and refused. A result whose `object` is not a
  completions result (embeddings, images...) is refused. Models are mapped by
  alias only (exact, then without a `-YYYY-MM-DD` suffix); the `profile` option
  only serves results without a model. Source groups are distinct models.
- Counts added up for one (day, profile) must stay <= 10^12.
- One ProfileMapping per (usage profile, rule, matched), so a usage profile
  fed by two rules (an alias and a type) lists both.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .analytics import MAX_COUNT, Cell, ProfileMapping, key_path
from .parameters import ParameterSet

if TYPE_CHECKING:
    from .parser import Reader

FLUIDTOPICS_COUNT_KEYS = {"aiQueryCount": "fluidtopics-ai-activity", "genaiQueryCount": "fluidtopics-genai-activity"}
OPENAI_RESULT_OBJECT = "organization.usage.completions.result"
OPENAI_GROUPING = ("model", "project_id", "user_id", "api_key_id", "batch", "service_tier")
_DATE_SUFFIX = re.compile(r"-[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_RULE_ORDER = {"alias": 0, "name": 1, "type": 2, "profile_option": 3}
_SECONDS_PER_DAY = 86400

Match = tuple[str, str, str]  # (usage profile, rule, matched)


def is_fluidtopics_activity(tree) -> bool:
    return type(tree) is dict and "results" in tree


def is_openai_usage(tree) -> bool:
    first = tree[0] if type(tree) is list and tree else tree
    return type(first) is dict and first.get("object") == "page"


def profiles_and_aliases(parameters: ParameterSet) -> str:
    """For mapping errors: every usage profile with its aliases."""
    return ", ".join(
        f"{code} (aliases: {', '.join(profile.aliases)})" if profile.aliases else f"{code} (no aliases)"
        for code, profile in sorted(parameters.profiles.items())
    )


def _cells(totals: dict, reader: Reader, tokens: bool) -> list[Cell]:
    """Cells of summed counts, sorted; a sum above MAX_COUNT is refused."""
    cells = []
    for (day, profile), counts in sorted(totals.items()):
        if max(counts) > MAX_COUNT:
            reader.issue(
                "invalid_analytics",
                f"{day.isoformat()} {profile}: counts added up exceed 10^12",
                None,
                value=max(counts),
            )
            continue
        cells.append(Cell(day, profile, *counts) if tokens else Cell(day, profile, counts[0]))
    return cells


def _mappings(groups: dict[Match, set]) -> list[ProfileMapping]:
    ordered = sorted(groups, key=lambda match: (match[0], _RULE_ORDER[match[1]], match[2]))
    return [ProfileMapping(profile, rule, matched, len(groups[(profile, rule, matched)])) for profile, rule, matched in ordered]


# --- Fluid Topics AI profile activity (5.1) -------------------------------------------------------


def match_fluidtopics_profile(ident: str | None, name: str | None, kind: str | None, parameters: ParameterSet) -> Match | None:
    """The first rule that matches: alias on id or name, then name == code, then type == code (any case)."""
    aliases = parameters.alias_index()
    for candidate in (ident, name):
        if candidate is not None and candidate in aliases:
            return aliases[candidate], "alias", candidate
    if name is not None and name in parameters.profiles:
        return name, "name", name
    if kind is not None and kind.lower() in parameters.profiles:
        return kind.lower(), "type", kind.lower()
    return None


def read_fluidtopics_activity(doc: dict, reader: Reader) -> tuple[str, list[Cell], list[ProfileMapping]]:
    missing, items = reader.MISSING, reader.issues.items
    results = doc["results"]
    if type(results) is not list:
        reader.issue(
            "invalid_analytics",
            f"results must be a list of Fluid Topics profiles; got {reader.describe(results)}",
            "",
            "results",
        )
        return "fluidtopics-ai-activity", [], []
    count_key = _fluidtopics_count_key(results, reader)
    totals: dict = {}
    groups: dict[Match, set] = {}
    seen_ids: dict[str, str] = {}
    refused_long_period = False
    for index, source in enumerate(results):
        where = f"results[{index}]"
        if type(source) is not dict:
            reader.issue("invalid_analytics", f"a Fluid Topics profile must be a mapping; got {reader.describe(source)}", where)
            continue
        ident = reader.text(source.get("id"), where, "id")
        name = reader.text(source.get("name"), where, "name")
        kind = reader.text(source.get("type"), where, "type")
        if ident is not None:
            if ident in seen_ids:
                reader.issue(
                    "duplicate",
                    f"Fluid Topics profile id {ident!r} appears twice",
                    where,
                    "id",
                    value=ident,
                    also=key_path(seen_ids[ident], "id"),
                )
                continue
            seen_ids[ident] = where
        periods = source.get("periods", missing)
        if type(periods) is not list:
            reader.issue(
                "invalid_analytics", f"periods must be a list; got {reader.describe(periods)}", where, "periods"
            )
            continue
        if not periods:
            continue
        match = match_fluidtopics_profile(ident, name, kind, reader.parameters)
        if match is None:
            reader.issue(
                "unmappable_profile",
                f"Fluid Topics profile {_source_label(ident, name, kind)} matches no usage profile: add its id or "
                "name to a usage profile's aliases in the methodology, or name it (or give it a type) after a "
                f"usage profile code; usage profiles: {profiles_and_aliases(reader.parameters)}",
                where,
                value=name if name is not None else ident,
            )
        else:
            groups.setdefault(match, set()).add(index)
        starts: dict = {}
        for period_index, period in enumerate(periods):
            period_where = f"{where}.periods[{period_index}]"
            if type(period) is not dict:
                reader.issue("invalid_analytics", f"a period must be a mapping; got {reader.describe(period)}", period_where)
                continue
            issues_before = len(items)
            start = reader.day(period.get("periodStartDate", missing), period_where, "periodStartDate")
            end = reader.day(period.get("periodEndDate", missing), period_where, "periodEndDate")
            count = reader.count(period.get(count_key, missing), period_where, count_key)
            if start is None or end is None or len(items) > issues_before:
                continue
            span = (end - start).days
            if span < 0:
                reader.issue("invalid_analytics", "the period ends before it starts", period_where, "periodEndDate")
                continue
            if span > 1:
                if not refused_long_period:
                    refused_long_period = True
                    reader.issue(
                        "period_not_daily",
                        f"periods must be one day, this one runs {span} days from {start.isoformat()} to "
                        f"{end.isoformat()}: export with \"groupByPeriod\": \"day\"",
                        period_where,
                    )
                continue
            if start in starts:
                reader.issue(
                    "duplicate",
                    f"this Fluid Topics profile has two periods starting on {start.isoformat()}",
                    period_where,
                    "periodStartDate",
                    also=key_path(starts[start], "periodStartDate"),
                )
                continue
            starts[start] = period_where
            if match is not None:
                totals.setdefault((start, match[0]), [0])[0] += count
    return FLUIDTOPICS_COUNT_KEYS[count_key], _cells(totals, reader, tokens=False), _mappings(groups)


def _fluidtopics_count_key(results: list, reader: Reader) -> str:
    """aiQueryCount (profile-activity of the ai service) or genaiQueryCount (older genai service)."""
    present = {
        key
        for source in results
        if type(source) is dict and type(source.get("periods")) is list
        for period in source["periods"]
        if type(period) is dict
        for key in FLUIDTOPICS_COUNT_KEYS
        if key in period
    }
    if len(present) > 1:
        reader.issue(
            "invalid_analytics",
            "periods mix aiQueryCount and genaiQueryCount: send the ai and genai exports separately",
            "",
            "results",
        )
    return "genaiQueryCount" if present == {"genaiQueryCount"} else "aiQueryCount"


def _source_label(ident: str | None, name: str | None, kind: str | None) -> str:
    details = [f"{label} {value!r}" for label, value in (("id", ident), ("type", kind)) if value is not None]
    shown = repr(name) if name is not None else "(no name)"
    return f"{shown} ({', '.join(details)})" if details else shown


# --- OpenAI usage report, completions (5.2) -------------------------------------------------------


def match_model(model: str, parameters: ParameterSet) -> Match | None:
    """A usage profile whose aliases hold the model, or the model without its date suffix."""
    aliases = parameters.alias_index()
    for candidate in (model, _DATE_SUFFIX.sub("", model)):
        if candidate in aliases:
            return aliases[candidate], "alias", candidate
    return None


def read_openai_usage(tree, reader: Reader, profile_option: str | None) -> tuple[list[Cell], list[ProfileMapping]]:
    missing, items = reader.MISSING, reader.issues.items
    single = type(tree) is dict
    pages = [tree] if single else tree
    if all(type(page) is dict and reader.is_true(page.get("has_more")) for page in pages):
        reader.issue(
            "invalid_analytics",
            "the report continues on further pages (has_more: true): send all its pages as one list",
            "" if single else None,
            "has_more" if single else None,
        )
    totals: dict = {}
    groups: dict[Match, set] = {}
    seen: dict[tuple, str] = {}
    unmapped_models: set[str] = set()
    refused = {"long_bucket": False, "no_model": False, "object": False}
    for page_index, page in enumerate(pages):
        page_where = "" if single else f"[{page_index}]"
        if type(page) is not dict or page.get("object") != "page":
            reader.issue("invalid_analytics", "each item must be an OpenAI usage page (object: page)", page_where or None)
            continue
        data = page.get("data", missing)
        if type(data) is not list:
            reader.issue("invalid_analytics", f"data must be a list of buckets; got {reader.describe(data)}", page_where, "data")
            continue
        for bucket_index, bucket in enumerate(data):
            bucket_where = key_path(page_where, f"data[{bucket_index}]")
            start, day = _bucket_start(bucket, bucket_where, reader, refused)
            if day is None:
                continue
            results = bucket.get("results", missing)
            if type(results) is not list:
                reader.issue(
                    "invalid_analytics", f"results must be a list; got {reader.describe(results)}", bucket_where, "results"
                )
                continue
            for result_index, result in enumerate(results):
                where = f"{bucket_where}.results[{result_index}]"
                if type(result) is not dict:
                    reader.issue("invalid_analytics", f"a result must be a mapping; got {reader.describe(result)}", where)
                    continue
                kind = result.get("object", OPENAI_RESULT_OBJECT)
                if kind != OPENAI_RESULT_OBJECT:
                    if not refused["object"]:
                        refused["object"] = True
                        reader.issue(
                            "invalid_analytics",
                            f"only the completions usage report is accepted (object {OPENAI_RESULT_OBJECT})",
                            where,
                            "object",
                            value=kind,
                        )
                    continue
                grouping = (start, *(_grouping_value(result.get(key)) for key in OPENAI_GROUPING))
                if grouping in seen:
                    reader.issue(
                        "duplicate",
                        "the same bucket start and grouping (model, project, user, key, batch, service tier) "
                        "appears twice: was a page sent twice?",
                        where,
                        also=seen[grouping],
                    )
                    continue
                seen[grouping] = where
                issues_before = len(items)
                model = reader.text(result.get("model"), where, "model")
                counts = [
                    reader.count(result.get(key, missing), where, key)
                    for key in ("num_model_requests", "input_tokens", "output_tokens")
                ]
                match = _match_result(model, profile_option, where, reader, refused, unmapped_models)
                if match is None or len(items) > issues_before:
                    continue
                groups.setdefault(match, set()).add(model)
                cell = totals.setdefault((day, match[0]), [0, 0, 0])
                for position, count in enumerate(counts):
                    cell[position] += count
    return _cells(totals, reader, tokens=True), _mappings(groups)


def _bucket_start(bucket, where: str, reader: Reader, refused: dict) -> tuple[int | None, object]:
    """(start_time, its UTC day) of a bucket lasting at most a day, or (None, None) after an issue."""
    if type(bucket) is not dict:
        reader.issue("invalid_analytics", f"a bucket must be a mapping; got {reader.describe(bucket)}", where)
        return None, None
    issues_before = len(reader.issues.items)
    start = reader.count(bucket.get("start_time", reader.MISSING), where, "start_time")
    day = reader.day(start, where, "start_time") if start is not None else None
    raw_end = bucket.get("end_time", reader.MISSING)
    end = None if reader.is_null(raw_end) else reader.count(raw_end, where, "end_time")
    if len(reader.issues.items) > issues_before:
        return None, None
    if end is not None and end - start > _SECONDS_PER_DAY:
        if not refused["long_bucket"]:
            refused["long_bucket"] = True
            reader.issue(
                "period_not_daily",
                "buckets must last at most one day: request the report with bucket_width 1d, 1h or 1m",
                where,
                "end_time",
                value=end,
            )
        return None, None
    return start, day


def _match_result(model, profile_option, where: str, reader: Reader, refused: dict, unmapped: set) -> Match | None:
    if model is None:
        if profile_option is not None:
            return profile_option, "profile_option", profile_option
        if not refused["no_model"]:
            refused["no_model"] = True
            reader.issue(
                "profile_option_required",
                "the report has no model (not grouped by model): say which usage profile it is with the "
                f"profile option (CLI --profile); usage profiles: {', '.join(sorted(reader.parameters.profiles))}",
                where,
                "model",
            )
        return None
    match = match_model(model, reader.parameters)
    if match is None and model not in unmapped:
        unmapped.add(model)
        reader.issue(
            "unmappable_profile",
            f"model {model!r} matches no usage profile: add it (or its name without the date suffix) to a "
            f"usage profile's aliases in the methodology; usage profiles: {profiles_and_aliases(reader.parameters)}",
            where,
            "model",
            value=model,
        )
    return match


def _grouping_value(raw):
    """A hashable stand-in for a grouping field (ids, batch flag, tier)."""
    return raw if raw is None or isinstance(raw, (str, int, float)) else repr(raw)
