"""The native structures read from a JSON tree (native.NativeReader, analytics-format.md sections 1 to 3):
each refusal's code, exact message, key path, value and first place, and the cells read beside them.

JSON gives key paths and no line; each document is sent as JSON (a file name `.json`).
"""

from __future__ import annotations

import json

import pytest

from tests.calculations.engine.parser.refusal_testing import cells, issues

COUNT_RULE = "must be a whole number from 0 to 10^12 (no floats, booleans, strings, null, NaN or infinity)"
DATE_RULE = ("must be a real calendar date between 2000-01-01 and 2100-12-31 "
             "(YYYY-MM-DD, an ISO datetime or integer epoch seconds)")
KNOWN = "known profiles: chatbot, completion, search_answer, summary, translation"
RECORD_FIELDS = "cached_input_tokens, date, inferences, input_tokens, output_tokens, profile"
ALL_NAMES = ("date, day, start_time, profile, usage, use_case, event_type, inferences, count, requests, "
             "num_model_requests, input_tokens, prompt_tokens, output_tokens, completion_tokens, cached_input_tokens")
COUNT_NAMES = ("inferences, count, requests, num_model_requests, input_tokens, prompt_tokens, output_tokens, "
               "completion_tokens, cached_input_tokens")


def record(day: str = "2025-01-01", profile: str = "chatbot", inferences=1, **fields) -> dict:
    return {"date": day, "profile": profile, "inferences": inferences} | fields


@pytest.fixture
def refuse_json(refuse):
    return lambda tree: refuse(json.dumps(tree), filename="usage.json")


@pytest.fixture
def parse_json(parse):
    return lambda tree: parse(json.dumps(tree), filename="usage.json")


# --- the document -------------------------------------------------------------------------------


@pytest.mark.parametrize(("tree", "found"), [(7, "a number"), ("days", "a string"), (True, "a boolean"), (1.5, "a decimal number")])
def test_a_document_that_is_neither_a_mapping_nor_a_list_is_refused_at_line_1(refuse_json, tree, found):
    error = refuse_json(tree)
    assert error.code == "invalid_analytics"
    assert [(i.line, i.column, i.path, i.value, i.message) for i in error.issues] == [
        (1, 1, None, None, f"the document must be one mapping (days or records) or one list of records; got {found}")]


@pytest.mark.parametrize("tree", [None, [], {}, {"source": "tool", "tenant": "t"}, {"days": []}, {"records": [], "days": []}])
def test_a_document_without_records_is_refused_as_empty(refuse_json, tree):
    error = refuse_json(tree)
    assert (error.code, issues(error)) == ("empty", [(None, None, "the file holds no usage records")])


def test_each_unknown_top_level_key_is_refused_and_nothing_else_is_read(refuse_json):
    error = refuse_json({"days": {}, "colour": 1, "records": [record(inferences=-1)], "Days": []})
    message = "unknown key; accepted: days, records, source, tenant"
    assert error.code == "invalid_analytics"
    assert issues(error) == [("colour", None, message), ("Days", None, message)]


@pytest.mark.parametrize(("section", "found", "shown"), [({}, "a mapping", "{...}"), ("x", "a string", '"x"'),
                                                          (None, "null", "null"), (3, "a number", "3")])
def test_days_and_records_that_are_not_lists_are_each_refused_with_their_value(refuse_json, section, found, shown):
    error = refuse_json({"days": section, "records": section})
    assert error.code == "invalid_analytics"
    assert issues(error) == [("days", shown, f"days must be a list; got {found}"),
                             ("records", shown, f"records must be a list; got {found}")]


def test_records_are_read_beside_days_that_are_not_a_list(refuse_json):
    error = refuse_json({"days": {}, "records": [record(inferences=-1)]})
    assert [issue.path for issue in error.issues] == ["days", "records[0].inferences"]


def test_days_are_read_beside_records_that_are_not_a_list(refuse_json):
    error = refuse_json({"records": {}, "days": [{"date": "2025-01-01", "usages": {"chatbot": -1}}]})
    assert [issue.path for issue in error.issues] == ["days[0].usages.chatbot", "records"]


def test_days_and_records_of_one_document_are_read_together(parse_json):
    analytics = parse_json({"source": "tool", "tenant": "t", "records": [record("2025-01-02", inferences=2)],
                            "days": [{"date": "2025-01-01", "usages": {"chatbot": 1}}]})
    assert analytics.format == "json"
    assert cells(analytics) == [("2025-01-01", "chatbot", 1, None, None, None), ("2025-01-02", "chatbot", 2, None, None, None)]


# --- the flat form (records) ------------------------------------------------------------------------


def test_records_with_field_aliases_are_read_with_every_count(parse_json):
    analytics = parse_json([
        record("2025-01-01", inferences=3, input_tokens=30, output_tokens=40),
        {"day": "2025-01-02", "usage": "chatbot", "count": 4, "prompt_tokens": 5, "completion_tokens": 6, "cached_input_tokens": 2},
        {"start_time": "2025-01-03", "use_case": "summary", "requests": 7, "output_tokens": 8},
        {"date": "2025-01-03", "event_type": "completion", "num_model_requests": 9, "input_tokens": 10},
    ])
    assert cells(analytics) == [("2025-01-01", "chatbot", 3, 30, 40, None), ("2025-01-02", "chatbot", 4, 5, 6, 2),
                                ("2025-01-03", "completion", 9, 10, None, None), ("2025-01-03", "summary", 7, None, 8, None)]


def test_a_record_given_twice_is_refused_with_the_first_place(refuse_json):
    error = refuse_json({"records": [record(), record("2025-01-02"), record(inferences=5), {"day": "2025-01-02", "usage": "chatbot", "count": 1}]})
    assert error.code == "duplicate"
    assert issues(error) == [("records[2]", None, "2025-01-01 chatbot is given twice (first at records[0])"),
                             ("records[3]", None, "2025-01-02 chatbot is given twice (first at records[1])")]


def test_a_record_read_the_careful_way_is_placed_for_a_later_duplicate(refuse_json):
    error = refuse_json([{"day": "2025-01-01", "usage": "chatbot", "count": 1}, record(), record()])
    assert issues(error) == [("[1]", None, "2025-01-01 chatbot is given twice (first at [0])"),
                             ("[2]", None, "2025-01-01 chatbot is given twice (first at [0])")]


@pytest.mark.parametrize(("item", "found", "shown"), [(7, "a number", "7"), ([], "a list", "[...]"), ("r", "a string", '"r"'),
                                                       (None, "null", "null")])
def test_records_that_are_not_mappings_are_refused_listing_the_fields(refuse_json, item, found, shown):
    error = refuse_json([record(), item, item])
    message = f"a record must be a mapping with {RECORD_FIELDS}; got {found}"
    assert error.code == "invalid_analytics"
    assert issues(error) == [("[1]", shown, message), ("[2]", shown, message)]


def test_every_unknown_or_repeated_field_of_a_record_is_refused_and_the_record_not_read(refuse_json):
    error = refuse_json([{"day": "2025-01-01", "colour": "red", "date": "2025-01-01", "use_case": "chatbot",
                          "profile": "chatbot", "inferences": -1, "size": 3}])
    assert error.code == "invalid_analytics"
    assert issues(error) == [("[0].colour", '"red"', f"unknown field; accepted: {ALL_NAMES}"),
                             ("[0].date", None, "date and day are the same field, given twice"),
                             ("[0].profile", None, "profile and use_case are the same field, given twice"),
                             ("[0].size", "3", f"unknown field; accepted: {ALL_NAMES}")]


@pytest.mark.parametrize(("extra", "issue"), [
    ({"colour": "red"}, ("[0].colour", '"red"', f"unknown field; accepted: {ALL_NAMES}")),
    ({"day": "2025-01-01"}, ("[0].day", None, "day and date are the same field, given twice")),
])
def test_a_record_with_one_bad_field_name_is_refused_as_invalid_and_not_read_further(refuse_json, extra, issue):
    error = refuse_json([record(inferences=-1) | extra, record(inferences=2)])  # no duplicate of [0] said at [1]
    assert (error.code, issues(error)) == ("invalid_analytics", [issue])


def test_every_bad_value_of_a_record_is_refused_at_its_name_as_written(refuse_json):
    error = refuse_json([{"day": "2025-13-01", "usage": 5, "count": "7", "prompt_tokens": -1, "completion_tokens": 1.5,
                          "cached_input_tokens": True}])
    assert error.code == "invalid_analytics"
    assert issues(error) == [("[0].day", '"2025-13-01"', f"day {DATE_RULE}; got not a date"),
                             ("[0].usage", "5", "usage must be a usage profile code; got a number"),
                             ("[0].count", '"7"', f"count {COUNT_RULE}; got a string"),
                             ("[0].prompt_tokens", "-1", f"prompt_tokens {COUNT_RULE}; got a negative number"),
                             ("[0].completion_tokens", "1.5", f"completion_tokens {COUNT_RULE}; got a decimal number"),
                             ("[0].cached_input_tokens", "true", f"cached_input_tokens {COUNT_RULE}; got a boolean")]


def test_a_record_missing_its_fields_is_refused_at_each_canonical_name(refuse_json):
    error = refuse_json([{"input_tokens": 1}])
    assert issues(error) == [("[0].date", None, f"date {DATE_RULE}; got nothing (the field is missing)"),
                             ("[0].profile", None, "profile must be a usage profile code; got nothing (the field is missing)"),
                             ("[0].inferences", None, f"inferences {COUNT_RULE}; got nothing (the field is missing)")]


def test_a_record_with_an_unknown_profile_is_refused_once_per_profile(refuse_json):
    error = refuse_json([record(profile="bot"), {"day": "2025-01-02", "usage": "bot", "count": 1}, record(profile="Chatbot")])
    assert error.code == "unknown_profile"
    assert issues(error) == [
        ("[0].profile", "bot", f"unknown profile 'bot' (unknown profiles: Chatbot, bot; {KNOWN})"),
        ("[2].profile", "Chatbot", f"unknown profile 'Chatbot' (unknown profiles: Chatbot, bot; {KNOWN})"),
    ]


@pytest.mark.parametrize("bad", [{"inferences": -1}, {"output_tokens": -1}, {"date": "x"}])
def test_a_record_with_one_bad_value_is_not_read(refuse_json, bad):
    error = refuse_json([record(**{"cached_input_tokens": 1, "input_tokens": 2} | bad), record(inferences=2)])
    assert [issue.path for issue in error.issues] == [f"[0].{next(iter(bad))}"]  # no duplicate of [0] said at [1]


@pytest.mark.parametrize(("fields", "message"), [
    ({"prompt_tokens": 5, "cached_input_tokens": 6}, "cached_input_tokens cannot exceed input_tokens (5): cached tokens "
                                                     "are counted among the input tokens"),
    ({"cached_input_tokens": 6}, "cached_input_tokens needs input_tokens: cached tokens are counted among the input tokens"),
])
def test_cached_input_tokens_beyond_the_input_tokens_are_refused_at_their_key(refuse_json, fields, message):
    error = refuse_json([record(**fields)])
    assert issues(error) == [("[0].cached_input_tokens", "6", message)]


def test_cached_input_tokens_equal_to_the_input_tokens_are_read(parse_json):
    analytics = parse_json([{"day": "2025-01-01", "usage": "chatbot", "count": 1, "prompt_tokens": 5, "cached_input_tokens": 5}])
    assert cells(analytics) == [("2025-01-01", "chatbot", 1, 5, None, 5)]


# --- the nested form (days) ---------------------------------------------------------------------------


def test_days_with_aliases_and_usages_as_counts_or_mappings_are_read(parse_json):
    analytics = parse_json({"days": [
        {"date": "2025-01-01", "usages": {"chatbot": 1, "summary": {"count": 2, "prompt_tokens": 3, "cached_input_tokens": 3}}},
        {"day": "2025-01-02", "usages": {"chatbot": {"requests": 4, "completion_tokens": 5}}},
        {"usages": {"translation": {"inferences": 6, "input_tokens": 7, "output_tokens": 8}}, "start_time": "2025-01-03"},
    ]})
    assert cells(analytics) == [("2025-01-01", "chatbot", 1, None, None, None), ("2025-01-01", "summary", 2, 3, None, 3),
                                ("2025-01-02", "chatbot", 4, None, 5, None), ("2025-01-03", "translation", 6, 7, 8, None)]


def test_every_unknown_or_repeated_field_of_a_day_is_refused_and_the_day_not_read(refuse_json):
    error = refuse_json({"days": [{"date": "2025-01-01", "day": "2025-01-02", "usages": {"chatbot": -1}, "note": "x"}]})
    assert error.code == "invalid_analytics"
    assert issues(error) == [("days[0].day", None, "day and date are the same field, given twice"),
                             ("days[0].note", '"x"', "unknown field; accepted: date, day, start_time, usages")]


@pytest.mark.parametrize(("item", "found", "shown"), [(5, "a number", "5"), ([], "a list", "[...]")])
def test_days_that_are_not_mappings_are_each_refused_listing_the_fields(refuse_json, item, found, shown):
    error = refuse_json({"days": [item, {"date": "2025-01-01", "usages": {}}, item]})
    message = f"a day must be a mapping with date, usages; got {found}"
    assert issues(error) == [("days[0]", shown, message), ("days[2]", shown, message)]


def test_a_day_without_its_date_is_refused_at_the_date(refuse_json):
    error = refuse_json({"days": [{"usages": {"chatbot": 1}}]})
    assert issues(error) == [("days[0].date", None, f"date {DATE_RULE}; got nothing (the field is missing)")]


@pytest.mark.parametrize(("usages", "found"), [([], "a list"), ("MISSING", "nothing (the field is missing)")])
def test_usages_that_are_not_a_mapping_alone_are_refused_as_invalid(refuse_json, usages, found):
    entry = {"date": "2025-01-01"} | ({} if usages == "MISSING" else {"usages": usages})
    error = refuse_json({"days": [entry]})
    assert (error.code, [(i.path, i.message) for i in error.issues]) == (
        "invalid_analytics", [("days[0].usages", f"usages must be a mapping of profile -> count; got {found}")])


def test_a_day_given_twice_for_a_profile_is_refused_with_the_first_place(refuse_json):
    error = refuse_json({"days": [{"date": "2025-01-01", "usages": {"chatbot": 1, "summary": 1}},
                                  {"day": "2025-01-01", "usages": {"summary": {"count": 2}, "chatbot": 3}}]})
    assert error.code == "duplicate"
    assert issues(error) == [
        ("days[1].usages.summary", None, "2025-01-01 summary is given twice (first at days[0].usages.summary)"),
        ("days[1].usages.chatbot", None, "2025-01-01 chatbot is given twice (first at days[0].usages.chatbot)")]


def test_a_usage_read_the_careful_way_is_placed_for_a_later_duplicate(refuse_json):
    error = refuse_json({"days": [{"date": "2025-01-01", "usages": {"chatbot": {"count": 1}}},
                                  {"date": "2025-01-01", "usages": {"chatbot": 2}}]})
    assert issues(error) == [("days[1].usages.chatbot", None, "2025-01-01 chatbot is given twice (first at days[0].usages.chatbot)")]


def test_a_usage_count_is_refused_at_its_profile_code(refuse_json):
    error = refuse_json({"days": [{"date": "2025-01-01", "usages": {"chatbot": -1, "summary": "3", "translation": None}}]})
    assert issues(error) == [("days[0].usages.chatbot", "-1", f"chatbot {COUNT_RULE}; got a negative number"),
                             ("days[0].usages.summary", '"3"', f"summary {COUNT_RULE}; got a string"),
                             ("days[0].usages.translation", "null", f"translation {COUNT_RULE}; got null")]


def test_an_unknown_profile_of_a_day_is_refused_at_its_code_with_its_count_checked(refuse_json):
    error = refuse_json({"days": [{"date": "2025-01-01", "usages": {"bot": -1, "Summary": {"count": 1}}}]})
    known = f"(unknown profiles: Summary, bot; {KNOWN})"
    assert issues(error) == [("days[0].usages.bot", "bot", f"unknown profile 'bot' {known}"),
                             ("days[0].usages.bot", "-1", f"bot {COUNT_RULE}; got a negative number"),
                             ("days[0].usages.Summary", "Summary", f"unknown profile 'Summary' {known}")]


def test_every_bad_field_of_a_usage_mapping_is_refused_at_its_name_as_written(refuse_json):
    error = refuse_json({"days": [{"date": "2025-01-01", "usages": {
        "chatbot": {"count": 1, "requests": 2, "size": 3},
        "summary": {"prompt_tokens": -1, "completion_tokens": 1.5, "cached_input_tokens": "2"},
        "translation": {"num_model_requests": 1, "input_tokens": 1, "cached_input_tokens": 2}}}]})
    where = "days[0].usages"
    assert error.code == "invalid_analytics"
    assert issues(error) == [
        (f"{where}.chatbot.requests", None, "requests and count are the same field, given twice"),
        (f"{where}.chatbot.size", "3", f"unknown field; accepted: {COUNT_NAMES}"),
        (f"{where}.summary.inferences", None, f"inferences {COUNT_RULE}; got nothing (the field is missing)"),
        (f"{where}.summary.prompt_tokens", "-1", f"prompt_tokens {COUNT_RULE}; got a negative number"),
        (f"{where}.summary.completion_tokens", "1.5", f"completion_tokens {COUNT_RULE}; got a decimal number"),
        (f"{where}.summary.cached_input_tokens", '"2"', f"cached_input_tokens {COUNT_RULE}; got a string"),
        (f"{where}.translation.cached_input_tokens", "2",
         "cached_input_tokens cannot exceed input_tokens (1): cached tokens are counted among the input tokens"),
    ]


def test_a_usage_with_cached_tokens_but_no_input_tokens_is_refused(refuse_json):
    error = refuse_json({"days": [{"date": "2025-01-01", "usages": {"chatbot": {"count": 1, "cached_input_tokens": 0}}}]})
    assert issues(error) == [("days[0].usages.chatbot.cached_input_tokens", "0",
                              "cached_input_tokens needs input_tokens: cached tokens are counted among the input tokens")]


@pytest.mark.parametrize("usage", [{"count": -1}, {"count": 1, "input_tokens": -1}, {"count": 1, "output_tokens": "x"}])
def test_a_usage_with_one_bad_count_is_not_read(refuse_json, usage):
    error = refuse_json({"days": [{"date": "2025-01-01", "usages": {"chatbot": usage}},
                                  {"date": "2025-01-01", "usages": {"chatbot": 1}}]})
    assert len(error.issues) == 1  # no duplicate said for the second day


def test_a_day_with_a_refused_date_has_its_usages_checked_but_not_read(refuse_json):
    error = refuse_json({"days": [{"date": "x", "usages": {"chatbot": -1}}, {"date": "y", "usages": 3}]})
    assert [issue.path for issue in error.issues] == ["days[0].date", "days[1].date", "days[1].usages"]


@pytest.mark.parametrize(("text", "path", "message"), [
    ("7\n", None, "the document must be one mapping (days or records) or one list of records; got a number"),
    ("- 3\n", "[0]", f"a record must be a mapping with {RECORD_FIELDS}; got a number"),
    ("records: 0\n", "records", "records must be a list; got a number"),
    ("days:\n  - date: 2025-01-01\n    usages: 4\n", "days[0].usages", "usages must be a mapping of profile -> count; got a number"),
    ("days:\n  - 1000000000001\n", "days[0]", "a day must be a mapping with date, usages; got a number above 10^12"),
])
def test_a_plain_yaml_number_where_a_list_or_mapping_is_wanted_is_said_to_be_a_number(refuse, text, path, message):
    assert [(issue.path, issue.message) for issue in refuse(text).issues] == [(path, message)]
