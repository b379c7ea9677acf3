"""Fluid Topics export refusals (analytics-format.md 5.1): each issue's code, exact message, key path, value and
first place.

The export is sent as JSON, so issues carry a key path and no line. Where a reader could stop at the first
problem of a kind, two are sent: both (or, for what is said once an export, only the first) must be listed.
"""

from __future__ import annotations

import json

import pytest

from tests.calculations.engine.parser.refusal_testing import issues

COUNT_RULE = "must be a whole number from 0 to 10^12 (no floats, booleans, strings, null, NaN or infinity)"
DATE_RULE = ("must be a real calendar date between 2000-01-01 and 2100-12-31 "
             "(YYYY-MM-DD, an ISO datetime or integer epoch seconds)")
ADVICE = ("matches no usage profile: add its id or name to a usage profile's aliases in the methodology, "
          "or name it (or give it a type) after a usage profile code; usage profiles: ")
PROFILES = ("chatbot (aliases: ChatWithMe, gpt-4.1), completion (aliases: 5b754113-503e-48f3-8065-3f29f2960366, "
            "gpt-4.1-mini), search_answer (no aliases), summary (aliases: SummarizeMe), "
            "translation (no aliases)")


def period(start: str, end: str, count=1, key: str = "aiQueryCount") -> dict:
    return {"periodStartDate": start, "periodEndDate": end, key: count}


def day(start: str, count=1, key: str = "aiQueryCount") -> dict:
    """A period of one day starting on 2025-01-DD (`start` is DD)."""
    return period(f"2025-01-{start}", f"2025-01-{int(start) + 1:02d}", count, key)


def source(ident=None, name=None, kind="chatbot", periods=None) -> dict:
    return {"id": ident, "name": name, "type": kind, "periods": [day("01")] if periods is None else periods}


@pytest.fixture
def refuse_export(refuse, aliased_parameters):
    """refuse_export(*sources) -> the AnalyticsError of an export of these source profiles, sent as JSON."""
    return lambda *sources: refuse(json.dumps({"results": list(sources)}), parameters=aliased_parameters)


@pytest.fixture
def parse_export(parse, aliased_parameters):
    return lambda *sources: parse(json.dumps({"results": list(sources)}), parameters=aliased_parameters)


# --- the export and its source profiles -----------------------------------------------------------


@pytest.mark.parametrize(("results", "found"), [({"id": "x"}, "a mapping"), ("x", "a string"), (None, "null")])
def test_results_that_are_not_a_list_are_refused_once_saying_what_they_are(refuse, results, found):
    error = refuse(json.dumps({"results": results}))
    assert error.code == "invalid_analytics"
    assert issues(error) == [("results", None, f"results must be a list of Fluid Topics profiles; got {found}")]


def test_source_profiles_that_are_not_mappings_are_each_refused_by_index(refuse_export):
    error = refuse_export(source("a"), "ChatWithMe", [], source("b", periods=[day("02")]))
    message = "a Fluid Topics profile must be a mapping; got "
    assert error.code == "invalid_analytics"
    assert issues(error) == [("results[1]", None, message + "a string"), ("results[2]", None, message + "a list")]


def test_an_id_name_or_type_that_is_not_text_is_refused_at_its_key_with_its_value(refuse_export):
    error = refuse_export(source(5, True, ["chatbot"]))
    assert error.code == "invalid_analytics"
    assert issues(error)[:3] == [("results[0].id", "5", "id must be text; got a number"),
                                 ("results[0].name", "true", "name must be text; got a boolean"),
                                 ("results[0].type", "[...]", "type must be text; got a list")]


def test_an_id_seen_before_is_refused_once_per_repeat_with_the_first_place(refuse_export):
    error = refuse_export(source("id-1"), source("id-2"), source("id-1"), source("id-1"))
    message = "Fluid Topics profile id 'id-1' appears twice (first at results[0].id)"
    assert error.code == "duplicate"
    assert issues(error) == [("results[2].id", '"id-1"', message), ("results[3].id", '"id-1"', message)]


def test_a_repeated_source_profile_is_not_read_further(refuse_export):
    repeat = source("id-1", "Unmappable", None, periods=[day("01", -1), 7])
    error = refuse_export(source("id-1"), repeat)
    assert [issue.path for issue in error.issues] == ["results[1].id"]


def test_source_profiles_without_an_id_are_never_duplicates(parse_export, rows):
    analytics = parse_export(source(), source(periods=[day("01", 2)]), source(kind="completion"))
    assert rows(analytics) == [("2025-01-01", "chatbot", 3, None, None), ("2025-01-01", "completion", 1, None, None)]


@pytest.mark.parametrize(("periods", "found"), [("MISSING", "nothing (the field is missing)"), ({}, "a mapping"),
                                                (None, "null"), ("2025-01-01", "a string")])
def test_periods_that_are_not_a_list_are_refused_in_each_source_profile(refuse_export, periods, found):
    bad = source("b")
    if periods == "MISSING":
        del bad["periods"]
    else:
        bad["periods"] = periods
    error = refuse_export(source("a"), bad, dict(bad, id="c"))
    assert error.code == "invalid_analytics"
    assert issues(error) == [("results[1].periods", None, f"periods must be a list; got {found}"),
                             ("results[2].periods", None, f"periods must be a list; got {found}")]


def test_a_source_profile_whose_periods_are_not_a_list_needs_no_mapping(refuse_export):
    error = refuse_export(source("a", "Unmappable", None, periods={}))
    assert [issue.path for issue in error.issues] == ["results[0].periods"]


def test_an_unmappable_source_profile_is_refused_whole_with_its_name_as_value(refuse_export):
    error = refuse_export(source("id-9", "Ask the docs", "assistant"), source("id-8", "Ask more", None))
    assert error.code == "unmappable_profile"
    assert issues(error) == [
        ("results[0]", '"Ask the docs"', f"Fluid Topics profile 'Ask the docs' (id 'id-9', type 'assistant') {ADVICE}{PROFILES}"),
        ("results[1]", '"Ask more"', f"Fluid Topics profile 'Ask more' (id 'id-8') {ADVICE}{PROFILES}"),
    ]


def test_an_unmappable_source_profile_without_a_name_has_its_id_as_value(refuse_export):
    error = refuse_export(source("id-9", None, "assistant"))
    assert issues(error) == [("results[0]", '"id-9"', f"Fluid Topics profile (no name) (id 'id-9', type 'assistant') {ADVICE}{PROFILES}")]


def test_the_periods_of_an_unmappable_source_profile_are_still_checked(refuse_export):
    error = refuse_export(source("id-9", "Ask", None, periods=[day("01"), day("02", -1)]))
    assert [(issue.path, issue.value) for issue in error.issues] == [("results[0]", '"Ask"'),
                                                                     ("results[0].periods[1].aiQueryCount", "-1")]


# --- periods ----------------------------------------------------------------------------------------


def test_periods_that_are_not_mappings_are_each_refused_by_index(refuse_export):
    error = refuse_export(source("a", periods=[day("01"), 7, [], day("02")]))
    assert error.code == "invalid_analytics"
    assert issues(error) == [("results[0].periods[1]", None, "a period must be a mapping; got a number"),
                             ("results[0].periods[2]", None, "a period must be a mapping; got a list")]


def test_a_period_s_bad_start_end_and_count_are_all_refused(refuse_export):
    error = refuse_export(source("a", periods=[{"periodStartDate": "someday", "periodEndDate": None, "aiQueryCount": 1.5}]))
    where = "results[0].periods[0]"
    assert error.code == "invalid_analytics"
    assert issues(error) == [(f"{where}.periodStartDate", '"someday"', f"periodStartDate {DATE_RULE}; got not a date"),
                             (f"{where}.periodEndDate", "null", f"periodEndDate {DATE_RULE}; got null"),
                             (f"{where}.aiQueryCount", "1.5", f"aiQueryCount {COUNT_RULE}; got a decimal number")]


@pytest.mark.parametrize("bad", [{"periodStartDate": "someday"}, {"periodEndDate": "someday"}, {"aiQueryCount": -1}])
def test_a_period_with_one_bad_field_is_neither_counted_nor_checked_further(refuse_export, bad):
    backwards_and_bad = period("2025-01-03", "2025-01-01") | bad  # also ends before it starts, unless a date is bad
    error = refuse_export(source("a", periods=[backwards_and_bad, day("03")]))
    assert error.code == "invalid_analytics"
    assert [issue.path for issue in error.issues] == [f"results[0].periods[0].{next(iter(bad))}"]


def test_a_period_without_its_dates_is_refused_at_each_missing_date(refuse_export):
    error = refuse_export(source("a", periods=[{"aiQueryCount": 1}]))
    where, missing = "results[0].periods[0]", "got nothing (the field is missing)"
    assert issues(error) == [(f"{where}.periodStartDate", None, f"periodStartDate {DATE_RULE}; {missing}"),
                             (f"{where}.periodEndDate", None, f"periodEndDate {DATE_RULE}; {missing}")]


def test_a_period_ending_before_it_starts_is_refused_at_its_end(refuse_export):
    error = refuse_export(source("a", periods=[period("2025-01-02", "2025-01-01"), period("2025-01-05", "2025-01-03")]))
    message = "the period ends before it starts"
    assert error.code == "invalid_analytics"
    assert issues(error) == [("results[0].periods[0].periodEndDate", None, message),
                             ("results[0].periods[1].periodEndDate", None, message)]


def test_a_period_of_two_days_is_refused_once_for_the_whole_export(refuse_export):
    error = refuse_export(source("a", periods=[day("01"), period("2025-01-02", "2025-01-04")]),
                          source("b", periods=[period("2025-01-01", "2025-02-01")]))
    assert error.code == "period_not_daily"
    assert issues(error) == [("results[0].periods[1]", None, 'periods must be one day, this one runs 2 days from '
                              '2025-01-02 to 2025-01-04: export with "groupByPeriod": "day"')]


def test_a_period_refused_as_long_is_not_said_twice_beside_other_refusals(refuse_export):
    error = refuse_export(source("a", periods=[period("2025-01-01", "2025-01-08"), period("2025-01-08", "2025-01-15"),
                                               period("2025-01-16", "2025-01-15")]))
    assert [(issue.path, issue.message.split(",")[0]) for issue in error.issues] == [
        ("results[0].periods[0]", "periods must be one day"),
        ("results[0].periods[2].periodEndDate", "the period ends before it starts")]


def test_a_long_period_is_not_counted(refuse_export):
    error = refuse_export(source("a", periods=[period("2025-01-01", "2025-01-08"), day("01")]))
    assert [issue.path for issue in error.issues] == ["results[0].periods[0]"]  # no duplicate start on the 1st


def test_two_periods_of_a_source_profile_starting_on_one_day_are_refused_with_the_first_place(refuse_export):
    error = refuse_export(source("a", periods=[day("01"), day("02"), period("2025-01-01", "2025-01-01"), day("01")]))
    message = "this Fluid Topics profile has two periods starting on 2025-01-01 (first at results[0].periods[0].periodStartDate)"
    assert error.code == "duplicate"
    assert issues(error) == [("results[0].periods[2].periodStartDate", None, message),
                             ("results[0].periods[3].periodStartDate", None, message)]


def test_source_profiles_of_one_usage_profile_may_each_have_a_period_on_one_day(parse_export, rows):
    analytics = parse_export(source("a", periods=[day("01", 3)]), source("b", periods=[period("2025-01-01", "2025-01-01", 4)]))
    assert rows(analytics) == [("2025-01-01", "chatbot", 7, None, None)]


# --- the count key ------------------------------------------------------------------------------------


def test_periods_mixing_the_two_count_keys_are_refused_once_and_read_with_aiquerycount(refuse_export):
    error = refuse_export(source("a", periods=[day("01", key="genaiQueryCount"), day("02")]),
                          source("b", periods=[day("01", key="genaiQueryCount")]))
    missing = f"aiQueryCount {COUNT_RULE}; got nothing (the field is missing)"
    assert error.code == "invalid_analytics"
    assert issues(error) == [
        ("results", None, "periods mix aiQueryCount and genaiQueryCount: send the ai and genai exports separately"),
        ("results[0].periods[0].aiQueryCount", None, missing),
        ("results[1].periods[0].aiQueryCount", None, missing),
    ]


def test_one_period_holding_both_count_keys_is_refused_as_a_mix(refuse_export):
    error = refuse_export(source("a", periods=[day("01") | {"genaiQueryCount": 1}]))
    assert error.code == "invalid_analytics"
    assert issues(error) == [
        ("results", None, "periods mix aiQueryCount and genaiQueryCount: send the ai and genai exports separately")]


def test_the_genai_count_key_is_found_beside_source_profiles_and_periods_of_the_wrong_kind(refuse_export):
    error = refuse_export(7, source("a", periods={"aiQueryCount": 1}), source("b", periods=["aiQueryCount", day("01", key="genaiQueryCount")]))
    assert [issue.path for issue in error.issues] == ["results[0]", "results[1].periods", "results[2].periods[0]"]


def test_the_genai_count_key_is_read_on_each_period(parse_export, rows):
    analytics = parse_export(source("a", periods=[day("01", 5, "genaiQueryCount")]),
                             source("b", "x", "completion", [day("02", 6, "genaiQueryCount")]))
    assert analytics.format == "fluidtopics-genai-activity"
    assert rows(analytics) == [("2025-01-01", "chatbot", 5, None, None), ("2025-01-02", "completion", 6, None, None)]


def test_an_export_without_any_count_key_is_read_with_aiquerycount(refuse_export):
    error = refuse_export(source("a", periods=[{"periodStartDate": "2025-01-01", "periodEndDate": "2025-01-02"}]))
    assert issues(error) == [("results[0].periods[0].aiQueryCount", None,
                              f"aiQueryCount {COUNT_RULE}; got nothing (the field is missing)")]


@pytest.mark.parametrize(("text", "path", "message"), [
    ("results: 7\n", "results", "results must be a list of Fluid Topics profiles; got a number"),
    ("results:\n  - 12\n", "results[0]", "a Fluid Topics profile must be a mapping; got a number"),
    ("results:\n  - {id: a, type: chatbot, periods: 0}\n", "results[0].periods", "periods must be a list; got a number"),
    ("results:\n  - {id: a, type: chatbot, periods: [1000000000001]}\n", "results[0].periods[0]",
     "a period must be a mapping; got a number above 10^12"),
])
def test_a_plain_yaml_number_where_a_list_or_mapping_is_wanted_is_said_to_be_a_number(refuse, text, path, message):
    assert [(issue.path, issue.message) for issue in refuse(text).issues] == [(path, message)]


def test_counts_of_one_usage_profile_adding_up_above_ten_to_the_twelve_on_a_day_are_refused(refuse_export):
    error = refuse_export(source("a", periods=[day("01", 6 * 10**11), day("02", 1)]), source("b", periods=[day("01", 6 * 10**11)]))
    assert error.code == "invalid_analytics"
    assert issues(error) == [(None, "1200000000000", "2025-01-01 chatbot: counts added up exceed 10^12")]
