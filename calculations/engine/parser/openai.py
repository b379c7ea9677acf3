"""OpenAI usage report, completions (analytics-format.md 5.2), in JSON or the same structure in YAML.

Decisions where the spec is silent: `object: page` (one page or a list of pages) marks the report.
`num_model_requests`, `input_tokens` and `output_tokens` are required; `input_cached_tokens`, optional,
is the cached subset of `input_tokens` (a cell has cached tokens when one of its results gives them).
Reasoning tokens (`output_tokens_details.reasoning_tokens`, where given) are already inside
`output_tokens`: they are never added again. A bucket longer than one day
is refused; when every page says `has_more: true` the report is incomplete and refused. A result
whose `object` is not a completions result (embeddings, images...) is refused. Models are mapped by
alias only (exact, then without a `-YYYY-MM-DD` suffix); the `profile` option only serves results
without a model, the `unknown_models` option models no alias matches. Source groups are distinct models.
"""

from __future__ import annotations

import re

from ..analytics import Cell, ProfileMapping, key_path
from ..messages import Message, gettext_noop
from ..parameters import ParameterSet

from .reader import Reader
from .source_mapping import (
    Match, bucket_results, first_sighting, map_model, mappings_of, refuse_long_bucket, report_pages, summed_cells,
)
from .source_mapping import match_model as match_model_with
from .values import MISSING

FORMAT = "openai-usage"
OPENAI_RESULT_OBJECT = "organization.usage.completions.result"
OPENAI_GROUPING = ("model", "project_id", "user_id", "api_key_id", "batch", "service_tier")
_DATE_SUFFIX = re.compile(r"-[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_SECONDS_PER_DAY = 86400
# A result whose bucket start and grouping come again: a page sent twice.
_DUPLICATE = Message(gettext_noop("the same bucket start and grouping (model, project, user, key, batch, service tier) "
                                     "appears twice: was a page sent twice?"))


def is_openai_usage(tree) -> bool:
    first = tree[0] if type(tree) is list and tree else tree
    return type(first) is dict and first.get("object") == "page"


def read_document(tree, reader: Reader, profile_option: str | None) -> tuple[str, list[Cell], list[ProfileMapping]]:
    """The registry's entry: (format, cells, mappings) of an OpenAI usage report."""
    cells, mappings = read_openai_usage(tree, reader, profile_option)
    return FORMAT, cells, mappings


def match_model(model: str, parameters: ParameterSet) -> Match | None:
    """A usage profile whose aliases hold the model, or the model without its date suffix."""
    return match_model_with(model, parameters, (_DATE_SUFFIX,))


def read_openai_usage(tree, reader: Reader, profile_option: str | None) -> tuple[list[Cell], list[ProfileMapping]]:
    missing, items = MISSING, reader.issues.items
    pages, single = report_pages(tree, reader)
    totals: dict = {}
    groups: dict[Match, set] = {}
    seen: dict[tuple, str] = {}
    refused = {"long_bucket": False, "no_model": False, "object": False, "unmapped": set()}
    for page_index, page in enumerate(pages):
        page_where = "" if single else f"[{page_index}]"
        if type(page) is not dict or page.get("object") != "page":
            reader.issue("invalid_analytics", Message(gettext_noop("each item must be an OpenAI usage page (object: page)")), page_where or None)
            continue
        data = page.get("data", missing)
        if type(data) is not list:
            reader.issue("invalid_analytics", Message(gettext_noop("data must be a list of buckets; got {found}"), found=reader.describe(data)), page_where, "data")
            continue
        for bucket_index, bucket in enumerate(data):
            bucket_where = key_path(page_where, f"data[{bucket_index}]")
            start, day = _bucket_start(bucket, bucket_where, reader, refused)
            if day is None:
                continue
            for where, result in bucket_results(bucket, bucket_where, reader):
                kind = result.get("object", OPENAI_RESULT_OBJECT)
                if kind != OPENAI_RESULT_OBJECT:
                    if not refused["object"]:
                        refused["object"] = True
                        reader.issue(
                            "invalid_analytics",
                            Message(gettext_noop("only the completions usage report is accepted (object {accepted})"), accepted=OPENAI_RESULT_OBJECT),
                            where,
                            "object",
                            value=kind,
                        )
                    continue
                if not first_sighting(seen, start, result, OPENAI_GROUPING, where, reader, _DUPLICATE):
                    continue
                issues_before = len(items)
                model = reader.text(result.get("model"), where, "model")
                counts, cached = _counts(result, where, reader)
                match = map_model(model, profile_option, where, reader, refused, (_DATE_SUFFIX,))
                if match is None or len(items) > issues_before:
                    continue
                groups.setdefault(match, set()).add(model)
                cell = totals.setdefault((day, match[0]), [0, 0, 0, None])
                for position, count in enumerate(counts):
                    cell[position] += count
                if cached is not None:
                    cell[3] = (cell[3] or 0) + cached
    return summed_cells(totals, reader, tokens=True), mappings_of(groups)


def _counts(result: dict, where: str, reader: Reader) -> tuple[list, int | None]:
    """([requests, input tokens, output tokens], cached input tokens or None) of a result; None where refused."""
    counts = [reader.count(result.get(key, MISSING), where, key)
              for key in ("num_model_requests", "input_tokens", "output_tokens")]
    raw_cached = result.get("input_cached_tokens", MISSING)
    cached = None if reader.is_null(raw_cached) else reader.count(raw_cached, where, "input_cached_tokens")
    if cached is not None and counts[1] is not None and cached > counts[1]:
        reader.issue("invalid_analytics", Message(gettext_noop("input_cached_tokens cannot exceed input_tokens: cached "
                                                               "tokens are counted among the input tokens")),
                     where, "input_cached_tokens", value=cached)
    return counts, cached


def _bucket_start(bucket, where: str, reader: Reader, refused: dict) -> tuple[int | None, object]:
    """(start_time, its UTC day) of a bucket lasting at most a day, or (None, None) after an issue."""
    if type(bucket) is not dict:
        reader.issue("invalid_analytics", Message(gettext_noop("a bucket must be a mapping; got {found}"), found=reader.describe(bucket)), where)
        return None, None
    issues_before = len(reader.issues.items)
    start = reader.count(bucket.get("start_time", MISSING), where, "start_time")
    day = reader.day(start, where, "start_time") if start is not None else None
    raw_end = bucket.get("end_time", MISSING)
    end = None if reader.is_null(raw_end) else reader.count(raw_end, where, "end_time")
    if len(reader.issues.items) > issues_before:
        return None, None
    if end is not None and end - start > _SECONDS_PER_DAY:
        refuse_long_bucket(reader, refused, where, "end_time", end)
        return None, None
    return start, day

