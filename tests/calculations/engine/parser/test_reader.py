"""The value rules every reader shares (reader.Reader): free text and yes/no flags, as a real export gives them."""

from __future__ import annotations

import json

import pytest
import yaml

COUNT_RULE = "must be a whole number from 0 to 10^12 (no floats, booleans, strings, null, NaN or infinity)"


def test_a_json_integer_too_long_to_read_is_not_taken_as_text(refuse):
    """A Fluid Topics name that is a 5000-digit number (kept as its digits, a LongInteger) is refused as a number."""
    text = '{"results": [{"id": "a", "name": ' + "9" * 5000 + ', "periods": []}]}'
    error = refuse(text)
    assert error.code == "invalid_analytics"
    issue = error.issues[0]
    assert (issue.path, issue.message) == ("results[0].name", "name must be text; got a number above 10^12")
    assert issue.value == "9" * 77 + "..."


def test_a_yaml_has_more_true_is_read_as_true(refuse):
    page = {"object": "page", "has_more": True, "data": []}
    error = refuse(yaml.safe_dump(page))
    assert [issue.message for issue in error.issues] == [
        "the report continues on further pages (has_more: true): send all its pages as one list"]


def test_a_json_string_true_is_not_a_yes(refuse):
    """In JSON, "true" in quotes is text: has_more is not true, so only the missing data is refused."""
    error = refuse(json.dumps({"object": "page", "has_more": "true"}))
    assert [issue.path for issue in error.issues] == ["data"]


@pytest.mark.parametrize(("profile", "words"), [("0", "a number"), ("1000000000000", "a number"), ("-1", "a negative number"),
                                                 ("1000000000001", "a number above 10^12"), ("true", "a boolean")])
def test_a_json_profile_that_is_not_text_says_what_it_is(refuse, profile, words):
    error = refuse('{"records": [{"date": "2025-01-01", "profile": ' + profile + ', "inferences": 1}]}')
    assert error.code == "invalid_analytics"
    issue = error.issues[0]
    assert (issue.path, issue.value) == ("records[0].profile", profile)
    assert issue.message == f"profile must be a usage profile code; got {words}"


def test_a_json_count_with_a_decimal_point_is_a_decimal_number(refuse):
    error = refuse('{"records": [{"date": "2025-01-01", "profile": "chatbot", "inferences": 1.0}]}')
    assert error.issues[0].message == f"inferences {COUNT_RULE}; got a decimal number"


def test_a_refused_json_value_is_shown_as_json_written_with_its_own_characters(refuse):
    error = refuse('{"records": [{"date": "2025-01-01", "profile": {"a": 1}, "inferences": "été"}]}')
    assert [issue.value for issue in error.issues] == ["{...}", '"été"']


def test_a_refused_value_of_80_characters_is_shown_whole_and_a_longer_one_cut_to_80(refuse):
    error = refuse(f"date,profile,inferences\n2025-01-01,chatbot,{'x' * 80}\n2025-01-02,chatbot,{'y' * 81}\n")
    assert [issue.value for issue in error.issues] == ["x" * 80, "y" * 77 + "..."]


@pytest.mark.parametrize("number", ["1e999", "-1e999"])
def test_a_json_count_too_large_for_a_float_is_refused_as_infinity(refuse, number):
    error = refuse('{"records": [{"date": "2025-01-01", "profile": "chatbot", "inferences": ' + number + '}]}')
    assert [(issue.path, issue.value, issue.message) for issue in error.issues] == [
        ("records[0].inferences", json.dumps(float(number)), f"inferences {COUNT_RULE}; got infinity")]


def test_a_refused_count_alone_gives_the_invalid_analytics_code(refuse):
    error = refuse("date,profile,inferences\n2025-01-01,chatbot,x\n")
    assert (error.code, [issue.message for issue in error.issues]) == ("invalid_analytics", [f"inferences {COUNT_RULE}; got text"])


CACHED_SUBSET = "cached tokens are counted among the input tokens"


def test_cached_input_tokens_equal_to_the_input_tokens_are_read(parse):
    text = "records:\n- {date: 2025-01-01, profile: chatbot, inferences: 3, input_tokens: 9, cached_input_tokens: 9}\n"
    assert [(cell.input_tokens, cell.cached_input_tokens) for cell in parse(text).cells] == [(9, 9)]


def test_cached_input_tokens_above_the_input_tokens_are_refused_naming_them(refuse):
    error = refuse("records:\n- {date: 2025-01-01, profile: chatbot, inferences: 3, input_tokens: 9, cached_input_tokens: 10}\n")
    assert error.code == "invalid_analytics"
    assert [(issue.path, issue.value, issue.message) for issue in error.issues] == [
        ("records[0].cached_input_tokens", "10", f"cached_input_tokens cannot exceed input_tokens (9): {CACHED_SUBSET}")]


def test_cached_input_tokens_without_input_tokens_are_refused_saying_they_need_them(refuse):
    error = refuse("date,profile,inferences,cached_input_tokens\n2025-01-01,chatbot,3,2\n")
    assert error.code == "invalid_analytics"
    assert [(issue.line, issue.column, issue.path, issue.value, issue.message) for issue in error.issues] == [
        (2, 4, "cached_input_tokens", "2", f"cached_input_tokens needs input_tokens: {CACHED_SUBSET}")]


DATE_RULE = ("must be a real calendar date between 2000-01-01 and 2100-12-31 (YYYY-MM-DD, an ISO datetime or integer "
             "epoch seconds)")


def test_a_refused_date_alone_gives_the_invalid_analytics_code(refuse):
    error = refuse("date,profile,inferences\n2025-02-30,chatbot,1\n")
    assert (error.code, [issue.message for issue in error.issues]) == ("invalid_analytics", [f"date {DATE_RULE}; got not a date"])


def test_a_csv_date_of_5000_digits_is_refused_as_epoch_seconds_out_of_range(refuse):
    error = refuse(f"date,profile,inferences\n{'9' * 5000},chatbot,1\n")
    assert [issue.message for issue in error.issues] == [f"date {DATE_RULE}; got epoch seconds far out of range"]


@pytest.mark.parametrize(("written", "words"), [("true", "a boolean"), ("1.5", "a decimal number"), ("null", "null"),
                                                ("[]", "a list")])
def test_a_json_date_that_is_neither_text_nor_a_whole_number_says_what_it_is(refuse, written, words):
    error = refuse('{"records": [{"date": ' + written + ', "profile": "chatbot", "inferences": 1}]}')
    assert [(issue.path, issue.message) for issue in error.issues] == [("records[0].date", f"date {DATE_RULE}; got {words}")]
