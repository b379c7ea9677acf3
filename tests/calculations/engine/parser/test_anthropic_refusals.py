"""Anthropic usage report refusals (analytics-format.md 5 and 6.3): each issue's code, exact message, key path and value.

The report is sent as JSON, so issues carry a key path and no line. Where a reader could stop at the first
problem of a kind, two are sent: both (or, for what is said once a report, only the first) must be listed.
"""

from __future__ import annotations

import json

import pytest

from calculations.engine.analytics import ProfileMapping
from tests.calculations.engine.parser.refusal_testing import cells, issues

JAN_1 = "2025-01-01T00:00:00Z"
COUNT_RULE = "must be a whole number from 0 to 10^12 (no floats, booleans, strings, null, NaN or infinity)"
MOMENT_RULE = "must be an RFC 3339 date-time such as 2025-08-01T00:00:00Z"


def result(model: str | None = "claude-sonnet-4-20250514", uncached: int = 1000, writes_5m: int = 200,
           writes_1h: int = 100, reads: int = 700, outputs: int = 500, **fields) -> dict:
    return {"uncached_input_tokens": uncached,
            "cache_creation": {"ephemeral_5m_input_tokens": writes_5m, "ephemeral_1h_input_tokens": writes_1h},
            "cache_read_input_tokens": reads, "output_tokens": outputs, "model": model, "workspace_id": None,
            "api_key_id": None, "service_tier": "standard", "context_window": "0-200k"} | fields


def bucket(start, *results: dict, end="2025-01-01T23:59:59Z") -> dict:
    return {"starting_at": start, "ending_at": end, "results": list(results)}


def page(*buckets: dict, has_more: bool = False) -> dict:
    return {"data": list(buckets), "has_more": has_more, "next_page": None}


@pytest.fixture
def refuse_report(refuse, anthropic_parameters):
    return lambda report, **options: refuse(json.dumps(report), parameters=anthropic_parameters, **options)


@pytest.fixture
def read_report(parse, anthropic_parameters):
    return lambda report, **options: parse(json.dumps(report), parameters=anthropic_parameters, **options)


def test_items_of_a_list_that_are_not_report_pages_are_each_refused_by_index(refuse_report):
    error = refuse_report([page(bucket(JAN_1, result())), {"data": []}, 7])
    message = "each item must be an Anthropic usage report page (data, has_more)"
    assert error.code == "invalid_analytics"
    assert issues(error) == [("[1]", None, message), ("[2]", None, message)]


def test_buckets_that_are_not_mappings_are_each_refused(refuse_report):
    error = refuse_report(page(5, [], bucket(JAN_1, result())))
    assert error.code == "invalid_analytics"
    assert issues(error) == [("data[0]", None, "a bucket must be a mapping; got a number"),
                             ("data[1]", None, "a bucket must be a mapping; got a list")]


def test_a_bucket_without_starting_at_is_refused(refuse_report):
    error = refuse_report(page({"ending_at": None, "results": [result()]}))
    assert error.code == "invalid_analytics"
    assert issues(error) == [("data[0].starting_at", None, f"starting_at {MOMENT_RULE}; got nothing (the field is missing)")]


def test_a_starting_at_that_is_not_a_date_time_is_refused_with_its_value(refuse_report):
    error = refuse_report(page(bucket("2025-01-01", result()), bucket("2025-01-01T25:00:00Z", result())))
    assert issues(error) == [("data[0].starting_at", '"2025-01-01"', f"starting_at {MOMENT_RULE}; got a string"),
                             ("data[1].starting_at", '"2025-01-01T25:00:00Z"', f"starting_at {MOMENT_RULE}; got a string")]


def test_a_starting_at_out_of_the_date_range_is_refused_as_a_date(refuse_report):
    error = refuse_report(page(bucket("1999-12-31T00:00:00Z", result(), end=None)))
    assert issues(error) == [("data[0].starting_at", '"1999-12-31"',
                              "starting_at must be a real calendar date between 2000-01-01 and 2100-12-31 "
                              "(YYYY-MM-DD, an ISO datetime or integer epoch seconds); got 1999-12-31")]


def test_an_ending_at_that_is_not_a_date_time_is_refused_with_its_value(refuse_report):
    error = refuse_report(page(bucket(JAN_1, result(), end=86400)))
    assert issues(error) == [("data[0].ending_at", "86400", f"ending_at {MOMENT_RULE}; got a number")]


@pytest.mark.parametrize("end", [None, "absent"])
def test_a_bucket_without_ending_at_is_read(read_report, end):
    open_ended = bucket(JAN_1, result(), end=end)
    if end == "absent":
        del open_ended["ending_at"]
    assert cells(read_report(page(open_ended))) == [("2025-01-01", "chatbot", 0, 2000, 500, 700)]


def test_a_bucket_of_exactly_one_day_is_read_and_one_second_longer_is_refused_with_its_end(refuse_report):
    error = refuse_report(page(bucket(JAN_1, result(), end="2025-01-02T00:00:00Z"),
                               bucket("2025-01-02T00:00:00Z", result(), end="2025-01-03T00:00:01Z")))
    assert error.code == "period_not_daily"
    assert issues(error) == [("data[1].ending_at", '"2025-01-03T00:00:01Z"',
                              "buckets must last at most one day: request the report with bucket_width 1d, 1h or 1m")]


def test_a_date_time_without_offset_is_utc_whatever_the_server_s_time_zone(read_report, far_time_zone):
    late = bucket("2025-01-01T10:00:00", result(), end="2025-01-01T11:00:00")  # as UTC+14 time: 2024-12-31 in UTC
    assert cells(read_report(page(late)))[0][0] == "2025-01-01"


def test_a_date_time_with_an_offset_counts_for_its_utc_day_whatever_the_server_s_time_zone(read_report, far_time_zone):
    late = bucket("2025-01-01T20:00:00+00:00", result(), end="2025-01-01T21:00:00+00:00")
    assert cells(read_report(page(late)))[0][0] == "2025-01-01"


def test_each_missing_required_token_count_is_refused(refuse_report):
    error = refuse_report(page(bucket(JAN_1, {"model": "claude-sonnet-4"})))
    assert issues(error) == [(f"data[0].results[0].{key}", None, f"{key} {COUNT_RULE}; got nothing (the field is missing)")
                             for key in ("uncached_input_tokens", "output_tokens")]


def test_a_cache_read_count_that_is_not_a_count_is_refused(refuse_report):
    error = refuse_report(page(bucket(JAN_1, result(reads=1.5))))
    assert issues(error) == [("data[0].results[0].cache_read_input_tokens", "1.5",
                              f"cache_read_input_tokens {COUNT_RULE}; got a decimal number")]


def test_cache_writes_that_are_not_counts_are_each_refused_where_they_are(refuse_report):
    error = refuse_report(page(bucket(JAN_1, result(writes_5m=True, writes_1h="3"))))
    where = "data[0].results[0].cache_creation"
    assert issues(error) == [
        (f"{where}.ephemeral_5m_input_tokens", "true", f"ephemeral_5m_input_tokens {COUNT_RULE}; got a boolean"),
        (f"{where}.ephemeral_1h_input_tokens", '"3"', f"ephemeral_1h_input_tokens {COUNT_RULE}; got a string")]


def test_absent_or_null_cache_writes_count_zero(read_report):
    partial = result(cache_creation={"ephemeral_5m_input_tokens": None})
    assert cells(read_report(page(bucket(JAN_1, partial)))) == [("2025-01-01", "chatbot", 0, 1700, 500, 700)]


def test_a_cache_creation_that_is_not_a_mapping_is_refused_with_its_value(refuse_report):
    error = refuse_report(page(bucket(JAN_1, result(cache_creation=300))))
    assert issues(error) == [("data[0].results[0].cache_creation", "300",
                              "cache_creation must be a mapping of token counts; got a number")]


def test_a_model_that_is_not_text_is_refused(refuse_report):
    error = refuse_report(page(bucket(JAN_1, result(model=["claude"]))), profile="chatbot")
    assert issues(error) == [("data[0].results[0].model", "[...]", "model must be text; got a list")]


def test_a_refused_result_adds_nothing_to_its_day(refuse_report):
    """Its model refused, a result is not added to its day's sum (which would then exceed 10^12 too)."""
    big = 10**12
    error = refuse_report(page(bucket(JAN_1, result(None, uncached=big, reads=0, writes_5m=0, writes_1h=0),
                                      result(4, uncached=big, reads=0, writes_5m=0, writes_1h=0, api_key_id="k"))),
                          profile="chatbot")
    assert [issue.path for issue in error.issues] == ["data[0].results[1].model"]


def test_a_report_without_model_nor_profile_option_is_refused_once(refuse_report):
    error = refuse_report(page(bucket(JAN_1, result(None), result(None, api_key_id="k"))))
    assert error.code == "profile_option_required"
    assert issues(error) == [("data[0].results[0].model", None,
                              "the report has no model (not grouped by model): say which usage profile it is with the "
                              "profile option (CLI --profile); usage profiles: chatbot, completion, search_answer, "
                              "summary, translation")]


def test_a_page_sent_twice_is_refused_for_each_repeated_result(refuse_report):
    twice = page(bucket(JAN_1, result(), result(api_key_id="k")))
    error = refuse_report([twice, twice])
    message = ("the same bucket start and grouping (model, workspace, key, service tier, context window) appears "
               "twice: was a page sent twice? (first at {})")
    assert error.code == "duplicate"
    assert issues(error) == [("[1].data[0].results[0]", None, message.format("[0].data[0].results[0]")),
                             ("[1].data[0].results[1]", None, message.format("[0].data[0].results[1]"))]


def test_mappings_count_the_distinct_models_of_each_alias(read_report):
    analytics = read_report(page(bucket(JAN_1, result("claude-sonnet-4-20250514"), result("claude-sonnet-4"),
                                        result("claude-sonnet-4", api_key_id="k"))))
    assert analytics.mappings == [ProfileMapping("chatbot", "alias", "claude-sonnet-4", 2)]


def test_results_that_are_not_a_list_are_refused(refuse_report):
    error = refuse_report(page({"starting_at": JAN_1, "ending_at": None, "results": "none"}))
    assert error.code == "invalid_analytics"
    assert issues(error) == [("data[0].results", None, "results must be a list; got a string")]


def test_each_unmapped_model_of_a_bucket_is_refused(refuse_report):
    error = refuse_report(page(bucket(JAN_1, result("claude-opus-4"), result("claude-opus-3"))))
    assert [issue.path for issue in error.issues] == ["data[0].results[0].model", "data[0].results[1].model"]


def test_a_cache_creation_that_is_not_a_mapping_is_invalid_analytics(refuse_report):
    assert refuse_report(page(bucket(JAN_1, result(cache_creation="x")))).code == "invalid_analytics"
