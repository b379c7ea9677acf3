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
