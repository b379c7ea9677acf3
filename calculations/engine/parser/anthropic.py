"""Anthropic usage report, messages (analytics-format.md 6.3), in JSON or the same structure in YAML.

The answer of `GET /v1/organizations/usage_report/messages` (any `bucket_width`, `group_by` model),
one page or a list of pages: `data[]` buckets with `starting_at`/`ending_at` (RFC 3339) and
`results[]` of token counts.

Decisions where the spec is silent:

- A page is a mapping with `data` (a list) and `has_more`, and no `object` key (OpenAI's pages have
  one): that marks the report. When every page says `has_more: true` the report is incomplete and refused.
- Tokens: `input_tokens` = `uncached_input_tokens` + cache writes (`cache_creation`'s
  `ephemeral_5m_input_tokens` and `ephemeral_1h_input_tokens`: computed like any input token) +
  cache reads (`cache_read_input_tokens`), of which the cache reads are `cached_input_tokens`.
  `uncached_input_tokens` and `output_tokens` are required; the cache fields may be absent or null (0).
  `server_tool_use` (web searches) is no token count and is not read.
- The report counts no requests: a cell's inferences are 0 and the analytics say the inferences
  were not reported (`inferences_reported` False): pages, reports, API and CLI show "not reported",
  and no per-inference figure (analytics-format.md 6.3), never a made-up count. Every token count
  is explicit, so the profiles' typical sizes are never used.
- A bucket longer than one day is refused. Models map by alias (exact, then without a `-YYYYMMDD`
  or `-YYYY-MM-DD` suffix); the `profile` option serves results without a model, the
  `unknown_models` option models no alias matches. Source groups are distinct models.
- The same bucket start and grouping (model, workspace, key, service tier, context window) twice is
  refused as a duplicate: a page sent twice.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from ..analytics import Cell, ProfileMapping, key_path
from ..messages import Message, gettext_noop
from .reader import Reader
from .source_mapping import (
    Match, bucket_results, first_sighting, map_model, mappings_of, refuse_long_bucket, report_pages, summed_cells,
)
from .values import MISSING

FORMAT = "anthropic-usage"
ANTHROPIC_GROUPING = ("model", "workspace_id", "api_key_id", "service_tier", "context_window")
_DATE_SUFFIXES = (re.compile(r"-[0-9]{8}\Z"), re.compile(r"-[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"))
_SECONDS_PER_DAY = 86400
# A result whose bucket start and grouping come again: a page sent twice.
_DUPLICATE = Message(gettext_noop("the same bucket start and grouping (model, workspace, key, service tier, "
                                     "context window) appears twice: was a page sent twice?"))
_CACHE_WRITES = ("ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens")


def is_anthropic_usage(tree) -> bool:
    first = tree[0] if type(tree) is list and tree else tree
    return type(first) is dict and "object" not in first and "has_more" in first and type(first.get("data")) is list


def read_document(tree, reader: Reader, profile_option: str | None) -> tuple[str, list[Cell], list[ProfileMapping]]:
    """The registry's entry: (format, cells, mappings) of an Anthropic usage report."""
    cells, mappings = read_anthropic_usage(tree, reader, profile_option)
    reader.inferences_reported = False
    return FORMAT, cells, mappings


def read_anthropic_usage(tree, reader: Reader, profile_option: str | None) -> tuple[list[Cell], list[ProfileMapping]]:
    items = reader.issues.items
    pages, single = report_pages(tree, reader)
    totals: dict = {}
    groups: dict[Match, set] = {}
    seen: dict[tuple, str] = {}
    state = {"long_bucket": False, "no_model": False, "unmapped": set()}
    for page_index, page in enumerate(pages):
        page_where = "" if single else f"[{page_index}]"
        if not is_anthropic_usage(page):
            reader.issue("invalid_analytics",
                         Message(gettext_noop("each item must be an Anthropic usage report page (data, has_more)")),
                         page_where or None)
            continue
        for bucket_index, bucket in enumerate(page["data"]):
            bucket_where = key_path(page_where, f"data[{bucket_index}]")
            start, day = _bucket_start(bucket, bucket_where, reader, state)
            if day is None:
                continue
            for where, result in bucket_results(bucket, bucket_where, reader):
                if not first_sighting(seen, start, result, ANTHROPIC_GROUPING, where, reader, _DUPLICATE):
                    continue
                issues_before = len(items)
                model = reader.text(result.get("model"), where, "model")
                tokens = _tokens(result, where, reader)
                match = map_model(model, profile_option, where, reader, state, _DATE_SUFFIXES)
                if match is None or tokens is None or len(items) > issues_before:
                    continue
                groups.setdefault(match, set()).add(model)
                cell = totals.setdefault((day, match[0]), [0, 0, 0, 0])
                for position, count in enumerate(tokens, start=1):
                    cell[position] += count
    return summed_cells(totals, reader, tokens=True), mappings_of(groups)


def _tokens(result: dict, where: str, reader: Reader) -> tuple[int, int, int] | None:
    """(input tokens, output tokens, cached input tokens) of a result, or None after an issue."""
    issues_before = len(reader.issues.items)
    uncached = reader.count(result.get("uncached_input_tokens", MISSING), where, "uncached_input_tokens")
    output = reader.count(result.get("output_tokens", MISSING), where, "output_tokens")
    read = _optional_count(result.get("cache_read_input_tokens", MISSING), where, "cache_read_input_tokens", reader)
    writes = 0
    creation = result.get("cache_creation", MISSING)
    if type(creation) is dict:
        creation_where = f"{where}.cache_creation"
        for key in _CACHE_WRITES:
            writes += _optional_count(creation.get(key, MISSING), creation_where, key, reader) or 0
    elif not reader.is_null(creation):
        reader.issue("invalid_analytics", Message(gettext_noop("cache_creation must be a mapping of token counts; got {found}"),
                                                  found=reader.describe(creation)), where, "cache_creation", value=creation)
    if len(reader.issues.items) > issues_before:
        return None
    read = read or 0
    return uncached + writes + read, output, read


def _optional_count(raw, where: str, key: str, reader: Reader) -> int | None:
    """A count that may be absent or null (0 then)."""
    return 0 if reader.is_null(raw) else reader.count(raw, where, key)


def _bucket_start(bucket, where: str, reader: Reader, state: dict) -> tuple[datetime | None, object]:
    """(starting_at, its UTC day) of a bucket lasting at most a day, or (None, None) after an issue."""
    if type(bucket) is not dict:
        reader.issue("invalid_analytics", Message(gettext_noop("a bucket must be a mapping; got {found}"),
                                                  found=reader.describe(bucket)), where)
        return None, None
    start = _moment(bucket.get("starting_at", MISSING), where, "starting_at", reader, required=True)
    end = _moment(bucket.get("ending_at", MISSING), where, "ending_at", reader, required=False)
    if start is None:
        return None, None
    day = reader.day(start.strftime("%Y-%m-%d"), where, "starting_at")
    if day is None:
        return None, None
    if end is not None and (end - start).total_seconds() > _SECONDS_PER_DAY:
        refuse_long_bucket(reader, state, where, "ending_at", bucket.get("ending_at"))
        return None, None
    return start, day


def _moment(raw, where: str, key: str, reader: Reader, *, required: bool) -> datetime | None:
    """An RFC 3339 date-time (UTC when it has no offset), or None (absent and not required, or after an issue)."""
    if reader.is_null(raw) and not required:
        return None
    if isinstance(raw, datetime):  # YAML may resolve a timestamp itself
        moment = raw
    else:
        try:
            text = str(raw) if isinstance(raw, str) else ""  # a plain or quoted YAML scalar, or JSON text
            moment = datetime.fromisoformat(text) if "T" in text.upper() else None
        except ValueError:
            moment = None
    if moment is None:
        reader.issue("invalid_analytics", Message(gettext_noop("{key} must be an RFC 3339 date-time such as "
                                                               "2025-08-01T00:00:00Z; got {found}"),
                                                  key=key, found=reader.describe(raw)), where, key, value=raw)
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)

