"""parse_analytics's own refusals (upload.py): the options checked before the upload is read, an empty upload,
and the profile option a native file does not take; each with its code and exact message."""

from __future__ import annotations

import hashlib
import json

import pytest

KNOWN = "chatbot, completion, search_answer, summary, translation"
RECORDS = b"- {date: 2025-01-01, profile: chatbot, inferences: 2}\n"
OPENAI_PAGE = {"object": "page", "has_more": False, "data": [
    {"object": "bucket", "start_time": 1735689600, "end_time": 1735776000, "results": [
        {"model": "mystery-model", "num_model_requests": 1, "input_tokens": 10, "output_tokens": 5}]}]}


def issues(error) -> list[tuple]:
    """(line, path, value, message) of each issue, in order."""
    return [(issue.line, issue.path, issue.value, issue.message) for issue in error.issues]


@pytest.mark.parametrize("value", ["chatbot", "", "Generic"])
def test_an_unknown_models_option_other_than_generic_is_refused_before_reading(refuse, generic_parameters, value):
    error = refuse(b"not even analytics", parameters=generic_parameters, unknown_models=value)
    assert error.code == "invalid_option"
    assert issues(error) == [(None, None, None, f"unknown_models must be generic; got {value!r}")]


def test_the_generic_option_is_refused_before_reading_when_the_version_has_no_generic_profile(refuse):
    error = refuse(b"not even analytics", unknown_models="generic")
    assert error.code == "generic_profile_missing"
    assert issues(error) == [(None, None, None, (
        "the option unknown_models=generic maps unknown models to the usage profile generic, which this methodology "
        f"version does not have; usage profiles: {KNOWN}"))]


def test_an_unknown_profile_option_is_refused_before_reading(refuse):
    error = refuse(b"not even analytics", profile="Chatbot")
    assert error.code == "unknown_profile"
    assert issues(error) == [(None, None, None, f"unknown profile option 'Chatbot'; known profiles: {KNOWN}")]


def test_an_unknown_profile_option_is_refused_after_a_bad_unknown_models_option_only(refuse):
    error = refuse(b"not even analytics", profile="Chatbot", unknown_models="other")
    assert issues(error) == [(None, None, None, "unknown_models must be generic; got 'other'")]


def test_an_upload_without_records_is_refused_as_empty(refuse):
    error = refuse(b"records: []\n")
    assert error.code == "empty"
    assert issues(error) == [(None, None, None, "the file holds no usage records")]


def test_the_profile_option_is_refused_by_a_file_naming_its_profiles(refuse):
    error = refuse(RECORDS, profile="summary")
    assert error.code == "profile_option_unused"
    assert issues(error) == [(None, None, None, (
        "the profile option 'summary' only names the usage profile of an OpenAI or Anthropic usage report not grouped "
        "by model; this upload (yaml) names its usage profiles itself: send it without the option"))]


def test_issues_found_while_reading_are_placed_by_the_syntax_read(refuse):
    error = refuse(b"- {date: 2025-01-01, profile: chatbot, inferences: -2}\n")
    assert issues(error) == [(1, "[0].inferences", "-2", "inferences must be a whole number from 0 to 10^12 (no floats, "
                              "booleans, strings, null, NaN or infinity); got a negative number")]


def test_an_accepted_upload_is_described_by_its_bytes(parse):
    analytics = parse(bytearray(RECORDS))
    assert (analytics.format, analytics.size_bytes, analytics.sha256) == ("yaml", len(RECORDS), hashlib.sha256(RECORDS).hexdigest())
    assert (analytics.mappings, analytics.inferences_reported, analytics.generic_models) == ([], True, [])


def test_the_generic_option_is_taken_by_a_version_with_a_generic_profile(parse, generic_parameters):
    analytics = parse(json.dumps(OPENAI_PAGE), parameters=generic_parameters, unknown_models="generic")
    assert analytics.generic_models == ["mystery-model"]
