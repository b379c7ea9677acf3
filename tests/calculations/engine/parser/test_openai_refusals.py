"""OpenAI usage report refusals (analytics-format.md 5 and 6.2): each issue's code, exact message, key path and value.

The report is sent as JSON, so issues carry a key path and no line. Where a reader could stop at the first
problem of a kind, two are sent: both (or, for what is said once a report, only the first) must be listed.
"""

from __future__ import annotations

import json

import pytest

from calculations.engine.analytics import ProfileMapping
from tests.calculations.engine.parser.refusal_testing import issues

DAY = 86400
JAN_1 = 1735689600  # 2025-01-01T00:00:00Z

COUNT_RULE = "must be a whole number from 0 to 10^12 (no floats, booleans, strings, null, NaN or infinity)"
DATE_RULE = ("must be a real calendar date between 2000-01-01 and 2100-12-31 "
             "(YYYY-MM-DD, an ISO datetime or integer epoch seconds)")
PROFILES = "chatbot, completion, search_answer, summary, translation"


def result(model: str | None = "gpt-4.1-2025-04-14", requests: int = 5, inputs: int = 1000, outputs: int = 500,
           cached: int | None = 800, **fields) -> dict:
    return {"object": "organization.usage.completions.result", "model": model, "num_model_requests": requests,
            "input_tokens": inputs, "output_tokens": outputs, "input_cached_tokens": cached, "project_id": None,
            "user_id": None, "api_key_id": None, "batch": None, "service_tier": None} | fields


def bucket(start: int, *results: dict, width: int = DAY) -> dict:
    return {"object": "bucket", "start_time": start, "end_time": start + width, "results": list(results)}


def page(*buckets: dict, has_more: bool = False) -> dict:
    return {"object": "page", "has_more": has_more, "next_page": "page_x" if has_more else None, "data": list(buckets)}


@pytest.fixture
def refuse_report(refuse, aliased_parameters):
    """refuse_report(report, **options) -> the AnalyticsError of a report sent as JSON (version 1 with aliases)."""
    return lambda report, **options: refuse(json.dumps(report), parameters=aliased_parameters, **options)


def test_items_of_a_list_that_are_not_pages_are_each_refused_by_index(refuse_report):
    error = refuse_report([page(bucket(JAN_1, result())), {"object": "list"}, 7])
    message = "each item must be an OpenAI usage page (object: page)"
    assert error.code == "invalid_analytics"
    assert issues(error) == [("[1]", None, message), ("[2]", None, message)]


def test_data_that_is_not_a_list_is_refused_on_every_page(refuse_report):
    error = refuse_report([{"object": "page", "data": "x"}, {"object": "page"}])
    assert error.code == "invalid_analytics"
    assert issues(error) == [("[0].data", None, "data must be a list of buckets; got a string"),
                             ("[1].data", None, "data must be a list of buckets; got nothing (the field is missing)")]


def test_buckets_that_are_not_mappings_are_each_refused(refuse_report):
    error = refuse_report(page(5, [], bucket(JAN_1, result())))
    assert error.code == "invalid_analytics"
    assert issues(error) == [("data[0]", None, "a bucket must be a mapping; got a number"),
                             ("data[1]", None, "a bucket must be a mapping; got a list")]


def test_results_that_are_not_a_list_are_refused_in_every_bucket(refuse_report):
    missing = bucket(JAN_1 + DAY)
    del missing["results"]
    error = refuse_report(page(bucket(JAN_1) | {"results": {}}, missing))
    assert error.code == "invalid_analytics"
    assert issues(error) == [("data[0].results", None, "results must be a list; got a mapping"),
                             ("data[1].results", None, "results must be a list; got nothing (the field is missing)")]


def test_results_that_are_not_mappings_are_each_refused(refuse_report):
    error = refuse_report(page(bucket(JAN_1, "gpt-4.1", None, result())))
    assert error.code == "invalid_analytics"
    assert issues(error) == [("data[0].results[0]", None, "a result must be a mapping; got a string"),
                             ("data[0].results[1]", None, "a result must be a mapping; got null")]


def test_a_bucket_without_start_time_is_refused_and_the_next_bucket_read(refuse_report):
    missing = bucket(JAN_1, result())
    del missing["start_time"]
    error = refuse_report(page(missing, bucket(JAN_1, result("o1-unknown"))))
    assert issues(error)[0] == ("data[0].start_time", None,
                                f"start_time {COUNT_RULE}; got nothing (the field is missing)")
    assert error.issues[1].path == "data[1].results[0].model"


def test_a_start_time_before_2000_is_refused_as_a_date_read_as_epoch_seconds(refuse_report):
    error = refuse_report(page(bucket(0, result())))
    assert issues(error) == [("data[0].start_time", "0",
                              f"start_time {DATE_RULE}; got 1970-01-01 (read as epoch seconds)")]


def test_an_end_time_that_is_not_a_count_is_refused(refuse_report):
    wrong = bucket(JAN_1, result())
    wrong["end_time"] = "tomorrow"
    error = refuse_report(page(wrong))
    assert issues(error) == [("data[0].end_time", '"tomorrow"', f"end_time {COUNT_RULE}; got a string")]


@pytest.mark.parametrize("end", [None, "absent"])
def test_a_bucket_without_end_time_is_read(parse, aliased_parameters, rows, end):
    open_ended = bucket(JAN_1, result())
    if end == "absent":
        del open_ended["end_time"]
    else:
        open_ended["end_time"] = end
    assert rows(parse(json.dumps(page(open_ended)), parameters=aliased_parameters)) == [
        ("2025-01-01", "chatbot", 5, 1000, 500)]


def test_a_bucket_of_exactly_one_day_is_read_and_one_second_longer_is_refused(refuse_report):
    longer = bucket(JAN_1 + DAY, result(), width=DAY + 1)
    error = refuse_report(page(bucket(JAN_1, result()), longer))
    assert issues(error) == [("data[1].end_time", str(JAN_1 + 2 * DAY + 1),
                              "buckets must last at most one day: request the report with bucket_width 1d, 1h or 1m")]


def test_buckets_longer_than_a_day_are_refused_once_a_report(refuse_report):
    error = refuse_report(page(bucket(JAN_1, result(), width=7 * DAY), bucket(JAN_1 + 7 * DAY, result(), width=7 * DAY)))
    assert error.code == "period_not_daily"
    assert [issue.path for issue in error.issues] == ["data[0].end_time"]


def test_results_of_another_usage_report_are_refused_once_naming_the_accepted_object(refuse_report):
    embeddings = result(object="organization.usage.embeddings.result")
    error = refuse_report(page(bucket(JAN_1, embeddings, embeddings), bucket(JAN_1 + DAY, result("o1-unknown"))))
    assert issues(error)[0] == (
        "data[0].results[0].object", '"organization.usage.embeddings.result"',
        "only the completions usage report is accepted (object organization.usage.completions.result)")
    assert [issue.path for issue in error.issues[1:]] == ["data[1].results[0].model"]


def test_a_result_without_object_is_a_completions_result(parse, aliased_parameters, rows):
    plain = result()
    del plain["object"]
    assert rows(parse(json.dumps(page(bucket(JAN_1, plain))), parameters=aliased_parameters)) == [
        ("2025-01-01", "chatbot", 5, 1000, 500)]


def test_a_page_sent_twice_is_refused_for_each_repeated_result(refuse_report):
    twice = page(bucket(JAN_1, result(), result("gpt-4.1-mini")))
    error = refuse_report([twice, twice])
    message = ("the same bucket start and grouping (model, project, user, key, batch, service tier) appears twice: "
               "was a page sent twice? (first at {})")
    assert error.code == "duplicate"
    assert issues(error) == [("[1].data[0].results[0]", None, message.format("[0].data[0].results[0]")),
                             ("[1].data[0].results[1]", None, message.format("[0].data[0].results[1]"))]


def test_a_model_that_is_not_text_is_refused(refuse_report):
    error = refuse_report(page(bucket(JAN_1, result(model=4))))
    assert issues(error)[0] == ("data[0].results[0].model", "4", "model must be text; got a number")


def test_each_missing_count_of_a_result_is_refused(refuse_report):
    empty = {"model": "gpt-4.1"}
    error = refuse_report(page(bucket(JAN_1, empty)))
    assert issues(error) == [(f"data[0].results[0].{key}", None, f"{key} {COUNT_RULE}; got nothing (the field is missing)")
                             for key in ("num_model_requests", "input_tokens", "output_tokens")]


def test_a_null_input_cached_tokens_means_none(parse, aliased_parameters):
    analytics = parse(json.dumps(page(bucket(JAN_1, result(cached=None)))),
                      parameters=aliased_parameters)
    assert [(c.input_tokens, c.cached_input_tokens) for c in analytics.cells] == [(1000, None)]


def test_an_input_cached_tokens_that_is_not_a_count_is_refused(refuse_report):
    error = refuse_report(page(bucket(JAN_1, result(cached=-1))))
    assert issues(error) == [("data[0].results[0].input_cached_tokens", "-1",
                              f"input_cached_tokens {COUNT_RULE}; got a negative number")]


def test_input_cached_tokens_above_the_input_tokens_are_refused_with_the_rule(refuse_report):
    error = refuse_report(page(bucket(JAN_1, result(inputs=10, outputs=99, cached=11))))
    assert error.code == "invalid_analytics"
    assert issues(error) == [("data[0].results[0].input_cached_tokens", "11",
                              "input_cached_tokens cannot exceed input_tokens: cached tokens are counted among the "
                              "input tokens")]


def test_input_cached_tokens_equal_to_the_input_tokens_are_read(parse, aliased_parameters):
    analytics = parse(json.dumps(page(bucket(JAN_1, result(inputs=10, outputs=5, cached=10)))), parameters=aliased_parameters)
    assert [(c.input_tokens, c.output_tokens, c.cached_input_tokens) for c in analytics.cells] == [(10, 5, 10)]


def test_input_cached_tokens_beside_a_refused_input_count_are_not_compared(refuse_report):
    error = refuse_report(page(bucket(JAN_1, result(inputs=-5, cached=3))))
    assert [issue.path for issue in error.issues] == ["data[0].results[0].input_tokens"]


def test_a_report_without_model_nor_profile_option_is_refused_once_naming_the_profiles(refuse_report):
    error = refuse_report(page(bucket(JAN_1, result(None), result(None, project_id="p"))))
    assert error.code == "profile_option_required"
    assert issues(error) == [("data[0].results[0].model", None,
                              "the report has no model (not grouped by model): say which usage profile it is with the "
                              f"profile option (CLI --profile); usage profiles: {PROFILES}")]


def test_an_unmapped_model_is_refused_with_every_profile_and_its_aliases(refuse_report):
    error = refuse_report(page(bucket(JAN_1, result("o3-2025-04-16"), result("o4-mini"))))
    profiles = ("chatbot (aliases: ChatWithMe, gpt-4.1), completion (aliases: "
                "5b754113-503e-48f3-8065-3f29f2960366, gpt-4.1-mini), search_answer (no aliases), summary (aliases: SummarizeMe), "
                "translation (no aliases)")
    message = ("model {!r} matches no usage profile: add it (or its name without the date suffix) to a usage profile's "
               "aliases in the methodology, or send the upload with the option unknown_models=generic; usage "
               f"profiles: {profiles}")
    assert error.code == "unmappable_profile"
    assert issues(error) == [("data[0].results[0].model", '"o3-2025-04-16"', message.format("o3-2025-04-16")),
                             ("data[0].results[1].model", '"o4-mini"', message.format("o4-mini"))]


def test_a_single_page_saying_more_follow_is_refused_at_has_more(refuse_report):
    error = refuse_report(page(bucket(JAN_1, result()), has_more=True))
    assert error.code == "invalid_analytics"
    assert issues(error) == [("has_more", None, "the report continues on further pages (has_more: true): send all "
                                                "its pages as one list")]


def test_a_list_whose_every_page_says_more_follow_is_refused_without_a_path(refuse_report):
    error = refuse_report([page(bucket(JAN_1, result()), has_more=True), page(bucket(JAN_1 + DAY, result()), has_more=True)])
    assert issues(error) == [(None, None, "the report continues on further pages (has_more: true): send all "
                                          "its pages as one list")]


def test_counts_added_up_above_ten_to_the_twelve_are_refused_naming_the_day_and_the_sum(refuse_report):
    big = 10**12
    error = refuse_report(page(bucket(JAN_1, result(inputs=big, cached=0), result(inputs=1, cached=0, project_id="p"))))
    assert issues(error) == [(None, str(big + 1), "2025-01-01 chatbot: counts added up exceed 10^12")]


def test_mappings_list_each_profile_s_rules_in_order_with_their_distinct_models(parse, generic_parameters):
    report = page(bucket(JAN_1, result("gpt-4.1"), result("ChatWithMe"), result("o9"), result("o9", project_id="p"),
                         result("o8"), result("gpt-4.1-2025-04-14")))
    analytics = parse(json.dumps(report), parameters=generic_parameters, unknown_models="generic")
    assert analytics.mappings == [ProfileMapping("chatbot", "alias", "ChatWithMe", 1),
                                  ProfileMapping("chatbot", "alias", "gpt-4.1", 2),
                                  ProfileMapping("generic", "unknown_models_option", "generic", 2)]
    assert analytics.generic_models == ["o8", "o9"]


def test_a_repeated_result_is_refused_as_a_duplicate_only(refuse_report):
    """A page sent twice: its results are not read again, so their own issues are not said twice."""
    twice = page(bucket(JAN_1, result(model=4)))
    error = refuse_report([twice, twice], profile="chatbot")
    assert [issue.path for issue in error.issues] == ["[0].data[0].results[0].model", "[1].data[0].results[0]"]


def test_a_report_of_another_usage_is_refused_as_invalid_and_the_bucket_s_next_results_read(refuse_report):
    embeddings = result(object="organization.usage.embeddings.result")
    error = refuse_report(page(bucket(JAN_1, embeddings)))
    assert error.code == "invalid_analytics"
    error = refuse_report(page(bucket(JAN_1, embeddings, result("o1-unknown"))))
    assert [issue.path for issue in error.issues] == ["data[0].results[0].object", "data[0].results[1].model"]


def test_results_differing_only_by_a_structured_grouping_field_are_added_not_duplicates(parse, aliased_parameters, rows):
    text = json.dumps(page(bucket(JAN_1, result(project_id=["a"]), result(project_id=["b"]))))
    assert rows(parse(text, parameters=aliased_parameters)) == [("2025-01-01", "chatbot", 10, 2000, 1000)]


def test_every_day_whose_sum_exceeds_ten_to_the_twelve_is_refused(refuse_report):
    big = 10**12
    over = [result(inputs=big, cached=0), result(inputs=1, cached=0, project_id="p")]
    error = refuse_report(page(bucket(JAN_1, *over), bucket(JAN_1 + DAY, *over)))
    assert error.code == "invalid_analytics"
    assert [issue.message for issue in error.issues] == ["2025-01-01 chatbot: counts added up exceed 10^12",
                                                         "2025-01-02 chatbot: counts added up exceed 10^12"]
