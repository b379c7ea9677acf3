"""Anthropic messages usage report read as it comes (analytics-format.md 6.3), in JSON or YAML."""

from __future__ import annotations

import json

import pytest
import yaml

from calculations.engine.analytics import ProfileMapping
from tests.calculations.engine.parser.refusal_testing import cells

JAN_1 = "2025-01-01T00:00:00Z"


def result(model: str | None = "claude-sonnet-4-20250514", uncached: int = 1000, writes_5m: int = 200,
           writes_1h: int = 100, reads: int = 700, outputs: int = 500, **grouping) -> dict:
    found = {"uncached_input_tokens": uncached,
             "cache_creation": {"ephemeral_5m_input_tokens": writes_5m, "ephemeral_1h_input_tokens": writes_1h},
             "cache_read_input_tokens": reads, "output_tokens": outputs, "server_tool_use": {"web_search_requests": 3},
             "model": model, "workspace_id": None, "api_key_id": None, "service_tier": "standard",
             "context_window": "0-200k"}
    found.update(grouping)
    return found


def bucket(start: str, *results: dict, end: str | None = None) -> dict:
    end = end or start.replace("T00:00:00Z", "T23:59:59Z")
    return {"starting_at": start, "ending_at": end, "results": list(results)}


def page(*buckets: dict, has_more: bool = False) -> dict:
    return {"data": list(buckets), "has_more": has_more, "next_page": "page_x" if has_more else None}


def first(error):
    return error.issues[0]


# --- Anthropic: reading ---------------------------------------------------------------------------


def test_anthropic_input_is_uncached_plus_cache_writes_plus_cache_reads(parse, anthropic_parameters):
    """1000 uncached + 200 + 100 written to the cache + 700 read from it = 2000 input tokens, 700 of them cached."""
    analytics = parse(json.dumps(page(bucket(JAN_1, result()))), parameters=anthropic_parameters)
    assert analytics.format == "anthropic-usage"
    assert cells(analytics) == [("2025-01-01", "chatbot", 0, 2000, 500, 700)]


def test_anthropic_report_says_its_inferences_are_not_reported(parse, anthropic_parameters):
    assert parse(json.dumps(page(bucket(JAN_1, result()))), parameters=anthropic_parameters).inferences_reported is False


def test_other_reports_say_their_inferences_are_reported(parse):
    assert parse("records:\n- {date: 2025-01-01, profile: chatbot, inferences: 3}\n").inferences_reported is True


def test_anthropic_model_matches_its_alias_without_the_date_suffix(parse, anthropic_parameters):
    analytics = parse(json.dumps(page(bucket(JAN_1, result("claude-3-5-haiku-20241022")))),
                      parameters=anthropic_parameters)
    assert analytics.mappings == [ProfileMapping("completion", "alias", "claude-3-5-haiku", 1)]


def test_anthropic_list_of_pages_is_read_as_one_report(parse, anthropic_parameters):
    text = json.dumps([page(bucket(JAN_1, result()), has_more=True), page(bucket("2025-01-02T00:00:00Z", result()))])
    assert [c[0] for c in cells(parse(text, parameters=anthropic_parameters))] == ["2025-01-01", "2025-01-02"]


def test_anthropic_hourly_buckets_of_one_day_are_added(parse, anthropic_parameters):
    hours = [bucket(f"2025-01-01T{hour:02d}:00:00Z", result(uncached=10, writes_5m=0, writes_1h=0, reads=5, outputs=2),
                    end=f"2025-01-01T{hour:02d}:59:59Z") for hour in range(24)]
    assert cells(parse(json.dumps(page(*hours)), parameters=anthropic_parameters)) == [
        ("2025-01-01", "chatbot", 0, 360, 48, 120)]


def test_anthropic_bucket_counts_for_the_utc_day_of_its_start(parse, anthropic_parameters):
    late = bucket("2025-01-01T23:00:00-02:00", result(), end="2025-01-02T00:00:00-02:00")  # 2025-01-02T01:00Z
    assert cells(parse(json.dumps(page(late)), parameters=anthropic_parameters))[0][0] == "2025-01-02"


def test_anthropic_results_differing_by_workspace_are_added(parse, anthropic_parameters):
    text = json.dumps(page(bucket(JAN_1, result(workspace_id="wrkspc_a"), result(workspace_id="wrkspc_b"))))
    analytics = parse(text, parameters=anthropic_parameters)
    assert cells(analytics) == [("2025-01-01", "chatbot", 0, 4000, 1000, 1400)]
    assert "wrkspc_" not in repr(analytics)


def test_anthropic_without_cache_fields_counts_no_cached_tokens(parse, anthropic_parameters):
    bare = result(cache_creation=None)
    del bare["cache_read_input_tokens"]
    assert cells(parse(json.dumps(page(bucket(JAN_1, bare))), parameters=anthropic_parameters)) == [
        ("2025-01-01", "chatbot", 0, 1000, 500, 0)]


def test_anthropic_without_model_goes_to_the_profile_option(parse):
    analytics = parse(json.dumps(page(bucket(JAN_1, result(None)))), profile="summary")
    assert cells(analytics)[0][1] == "summary"
    assert analytics.mappings == [ProfileMapping("summary", "profile_option", "summary", 1)]


def test_anthropic_report_sent_as_yaml_is_read_the_same(parse, anthropic_parameters):
    report = [page(bucket(JAN_1, result(), result("claude-3-5-haiku-20241022")))]
    assert cells(parse(yaml.safe_dump(report), parameters=anthropic_parameters)) == \
        cells(parse(json.dumps(report), parameters=anthropic_parameters))


# --- Anthropic: refusals --------------------------------------------------------------------------


def test_anthropic_unmapped_model_is_refused_once_naming_it(refuse, anthropic_parameters):
    text = json.dumps(page(bucket(JAN_1, result("claude-opus-4-20250514")),
                           bucket("2025-01-02T00:00:00Z", result("claude-opus-4-20250514"))))
    error = refuse(text, parameters=anthropic_parameters)
    assert error.code == "unmappable_profile" and len(error.issues) == 1
    assert "model 'claude-opus-4-20250514'" in first(error).message
    assert "chatbot (aliases: claude-sonnet-4)" in first(error).message


def test_anthropic_page_sent_twice_is_refused_as_duplicate(refuse, anthropic_parameters):
    twice = page(bucket(JAN_1, result()))
    error = refuse(json.dumps([twice, twice]), parameters=anthropic_parameters)
    assert error.code == "duplicate"
    assert first(error).path == "[1].data[0].results[0]" and "(first at [0].data[0].results[0])" in first(error).message


def test_anthropic_bucket_longer_than_a_day_is_refused(refuse, anthropic_parameters):
    week = bucket(JAN_1, result(), end="2025-01-08T00:00:00Z")
    error = refuse(json.dumps(page(week)), parameters=anthropic_parameters)
    assert error.code == "period_not_daily" and first(error).path == "data[0].ending_at"


def test_anthropic_report_continuing_on_further_pages_is_refused(refuse, anthropic_parameters):
    error = refuse(json.dumps(page(bucket(JAN_1, result()), has_more=True)), parameters=anthropic_parameters)
    assert "has_more" in first(error).message


def test_anthropic_missing_token_count_is_refused(refuse, anthropic_parameters):
    incomplete = result()
    del incomplete["uncached_input_tokens"]
    issue = first(refuse(json.dumps(page(bucket(JAN_1, incomplete))), parameters=anthropic_parameters))
    assert issue.path == "data[0].results[0].uncached_input_tokens"


def test_anthropic_negative_cache_write_is_refused_where_it_is(refuse, anthropic_parameters):
    issue = first(refuse(json.dumps(page(bucket(JAN_1, result(writes_1h=-1)))), parameters=anthropic_parameters))
    assert issue.path == "data[0].results[0].cache_creation.ephemeral_1h_input_tokens"


@pytest.mark.parametrize("start", ["2025-01-01", "yesterday", 1735689600])
def test_anthropic_starting_at_must_be_an_rfc_3339_date_time(refuse, anthropic_parameters, start):
    text = json.dumps(page({"starting_at": start, "ending_at": None, "results": [result()]}))
    issue = first(refuse(text, parameters=anthropic_parameters))
    assert issue.path == "data[0].starting_at" and "RFC 3339" in issue.message


def test_anthropic_day_sum_above_ten_to_the_twelve_is_refused(refuse, anthropic_parameters):
    big = 10**12
    text = json.dumps(page(bucket(JAN_1, result(uncached=big), result(uncached=big, api_key_id="k"))))
    assert "exceed 10^12" in first(refuse(text, parameters=anthropic_parameters)).message


def test_a_page_with_an_object_key_other_than_page_is_not_read_as_anthropic(refuse, anthropic_parameters):
    listed = page(bucket(JAN_1, result())) | {"object": "list"}
    error = refuse(json.dumps(listed), parameters=anthropic_parameters)
    assert error.code == "invalid_analytics"
    assert [(issue.path, issue.message) for issue in error.issues] == [
        (key, "unknown key; accepted: days, records, source, tenant") for key in ("data", "has_more", "next_page", "object")]
