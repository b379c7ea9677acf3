"""JSON read as a tree: the inputs that are valid JSON but beyond what Python converts or encodes as is."""

from __future__ import annotations

import json

TOO_LONG = "9" * 4301  # one digit over Python's int-string conversion limit


def records(inferences: str = "1", profile: str = '"chatbot"', date: str = '"2025-01-01"') -> str:
    return f'{{"records": [{{"date": {date}, "profile": {profile}, "inferences": {inferences}}}]}}'


def test_count_of_more_digits_than_python_converts_is_refused_as_above_the_cap(refuse):
    issue = refuse(records(inferences=TOO_LONG), content_type="application/json").issues[0]
    assert issue.path == "records[0].inferences"
    assert "got a number above 10^12" in issue.message
    assert issue.value == TOO_LONG[:77] + "..."


def test_negative_count_of_more_digits_than_python_converts_is_refused_as_negative(refuse):
    issue = refuse(records(inferences="-" + TOO_LONG), content_type="application/json").issues[0]
    assert "got a negative number" in issue.message


def test_epoch_date_of_more_digits_than_python_converts_is_refused_as_out_of_range(refuse):
    issue = refuse(records(date=TOO_LONG), content_type="application/json").issues[0]
    assert issue.path == "records[0].date"
    assert "got epoch seconds far out of range" in issue.message


def test_profile_of_more_digits_than_python_converts_is_refused_as_not_a_code(refuse):
    issue = refuse(records(profile=TOO_LONG), content_type="application/json").issues[0]
    assert "must be a usage profile code; got a number above 10^12" in issue.message


def test_long_integer_in_a_field_not_read_leaves_the_counts_read(parse):
    text = f'{{"source": {TOO_LONG}, "records": [{{"date": "2025-01-01", "profile": "chatbot", "inferences": 7}}]}}'
    assert parse(text, content_type="application/json").cells.inferences == [7]


def test_lone_surrogate_in_a_profile_is_quoted_as_its_escape(refuse):
    issue = refuse(records(profile='"\\ud800"'), content_type="application/json").issues[0]
    assert issue.value == "\\ud800"
    assert "unknown profile '\\ud800'" in issue.message
    json.dumps(issue.as_dict()).encode("utf-8")  # renders and encodes


def test_lone_surrogate_in_a_key_is_quoted_as_its_escape_in_the_path(refuse):
    text = '{"records": [{"date": "2025-01-01", "profile": "chatbot", "inferences": 1, "\\udc00x": 1}]}'
    issue = refuse(text, content_type="application/json").issues[0]
    assert issue.path == "records[0].\\udc00x"
    str(issue).encode("utf-8")


def place(issue) -> tuple:
    return issue.line, issue.column, issue.path, issue.value, issue.message


def test_a_json_syntax_error_is_refused_with_the_json_module_s_detail(refuse):
    error = refuse('{"records": [}', content_type="application/json")
    assert error.code == "parse_error"
    assert [place(issue) for issue in error.issues] == [(1, 14, None, None, "not valid JSON: Expecting value")]


def test_a_sniffed_flow_yaml_with_an_anchor_is_refused_as_yaml(refuse):
    error = refuse("{records: &a [{date: 2025-01-01, profile: chatbot, inferences: 1}]}")
    assert [place(issue) for issue in error.issues] == [(1, 11, "records", "&a", "YAML anchors (&name) are refused")]


def test_a_key_twice_in_a_json_object_is_named_even_when_it_is_not_the_object_s_first(refuse):
    error = refuse(records()[:-3] + ', "profile": "summary"}]}', content_type="application/json")
    assert error.code == "duplicate"
    assert [place(issue) for issue in error.issues] == [
        (None, None, "records[0].profile", None, "key 'profile' appears twice in one object")]


def test_a_key_twice_is_refused_in_a_json_read_again_for_a_too_long_integer(refuse):
    text = f'{{"source": {TOO_LONG}, "records": [{{"date": "2025-01-01", "profile": "chatbot", "inferences": 1, "inferences": 2}}]}}'
    error = refuse(text, content_type="application/json")
    assert error.code == "duplicate"
    assert [place(issue) for issue in error.issues] == [
        (None, None, "records[0].inferences", None, "key 'inferences' appears twice in one object")]


def test_nan_is_refused_in_a_json_read_again_for_a_too_long_integer(refuse):
    text = f'{{"source": {TOO_LONG}, "tenant": NaN, "records": [{{"date": "2025-01-01", "profile": "chatbot", "inferences": 1}}]}}'
    error = refuse(text, content_type="application/json")
    assert error.code == "parse_error"
    assert [place(issue) for issue in error.issues] == [
        (1, len(TOO_LONG) + 24, None, "NaN", "NaN is not valid JSON (no NaN or infinity)")]


def test_nan_is_refused_where_it_is_with_its_name_as_the_value(refuse):
    error = refuse(records(inferences="NaN"), content_type="application/json")
    assert [place(issue) for issue in error.issues] == [(1, 73, None, "NaN", "NaN is not valid JSON (no NaN or infinity)")]


def test_a_json_nested_too_deeply_is_refused_without_a_place(refuse):
    error = refuse("[" * 100_000 + "]" * 100_000, content_type="application/json")
    assert error.code == "parse_error"
    assert [place(issue) for issue in error.issues] == [(None, None, None, None, "not valid JSON: nested too deeply")]
