"""YAML syntax errors (yaml_tree.yaml_error): libyaml's reason, at its line and column."""

from __future__ import annotations

import pytest


def where(error) -> list[tuple]:
    return [(issue.line, issue.column, issue.value, issue.message) for issue in error.issues]


def test_a_syntax_error_gives_libyaml_s_problem_at_its_line_and_column(refuse):
    error = refuse(b"records: [\n")
    assert error.code == "parse_error"
    assert where(error) == [(2, 1, None, "not valid YAML: did not find expected node content")]


@pytest.mark.parametrize(("body", "line", "column"), [
    (b"records:\n  - {date: 2025-01-01}\n\n  ab\x07\n", 4, 5),
    (b"\n\nab\x07: 1\n", 3, 3),
])
def test_a_control_character_is_refused_at_its_line_and_column(refuse, body, line, column):
    assert where(refuse(body)) == [(line, column, "0x07", "not valid YAML: control characters are not allowed")]



def refusal(error) -> tuple:
    return (error.code, [(issue.line, issue.column, issue.path, issue.value, issue.message) for issue in error.issues])


ANCHOR, ALIAS, TAG = "YAML anchors (&name) are refused", "YAML aliases (*name) are refused", "explicit YAML tags are refused"
KEY_NOT_PLAIN = "a mapping key must be a plain name, not a mapping or a list"


@pytest.mark.parametrize(("body", "place"), [
    ("records: &r\n  - {date: 2025-01-01}\n", (1, 10, "records", "&r")),
    ("records:\n  - {date: &d 2025-01-01}\n", (2, 12, "records[0].date", "&d")),
    ("&a [1]\n", (1, 1, None, "&a")),
], ids=["list", "scalar", "root"])
def test_an_anchor_is_refused_at_its_node_with_its_name(refuse, body, place):
    assert refusal(refuse(body)) == ("invalid_analytics", [(*place, ANCHOR)])


@pytest.mark.parametrize(("body", "place"), [
    ("records:\n  - *x\n", (2, 5, "records[0]", "*x")),
    ("- [1, *a]\n", (1, 7, "[0][1]", "*a")),
    ("*a\n", (1, 1, None, "*a")),
    ("records:\n  - {date: *d}\n", (2, 12, "records[0].date", "*d")),
], ids=["in a list", "nested lists", "root", "a mapping's value"])
def test_an_alias_is_refused_at_its_node_with_its_name(refuse, body, place):
    assert refusal(refuse(body)) == ("invalid_analytics", [(*place, ALIAS)])


@pytest.mark.parametrize(("body", "place"), [
    ("records:\n  - date: 2025-01-01\n    profile: chatbot\n    inferences: !!str 3\n",
     (4, 17, "records[0].inferences", "tag:yaml.org,2002:str")),
    ("records:\n  - !!map {date: 2025-01-01}\n", (2, 5, "records[0]", "tag:yaml.org,2002:map")),
    ("!!seq [1]\n", (1, 1, None, "tag:yaml.org,2002:seq")),
], ids=["scalar", "mapping", "root"])
def test_an_explicit_tag_is_refused_at_its_node_with_the_tag(refuse, body, place):
    assert refusal(refuse(body)) == ("invalid_analytics", [(*place, TAG)])


def test_a_second_document_is_refused_at_its_start(refuse):
    error = refuse("records: []\n---\nrecords: []\n")
    assert refusal(error) == ("invalid_analytics", [(2, 1, None, None, "several YAML documents are refused: send one")])


def test_nesting_deeper_than_the_bound_is_refused_at_the_first_list_too_deep(refuse):
    """The root mapping and 63 lists make 64 levels: the 64th list, at column 3 + 64, is one too many."""
    error = refuse("a: " + "[" * 70 + "]" * 70)
    assert refusal(error) == ("parse_error", [(1, 3 + 64, None, None, "nesting deeper than 64 levels is refused")])


@pytest.mark.parametrize(("body", "place"), [
    ("? {a: 1}\n: 2\n", (1, 3, None)),
    ("records:\n  - {a: 1, ? [b]: 2}\n", (2, 14, "records[0]")),
], ids=["root", "in a record"])
def test_a_mapping_or_list_as_a_key_is_refused_where_it_is(refuse, body, place):
    assert refusal(refuse(body)) == ("invalid_analytics", [(*place, None, KEY_NOT_PLAIN)])


@pytest.mark.parametrize(("body", "place", "key"), [
    ("days:\n  - date: 2025-01-01\n    usages:\n      chatbot: 1\n      chatbot: 2\n", (5, 7, "days[0].usages.chatbot", 4), "chatbot"),
    ("x: [[1], [2, {a: 1, a: 2}]]\n", (1, 21, "x[1][1].a", 1), "a"),
], ids=["usages", "nested lists"])
def test_a_key_twice_in_one_mapping_is_refused_at_the_second_naming_the_first(refuse, body, place, key):
    line, column, path, first = place
    message = f"key '{key}' appears twice in one mapping (first at line {first}, {path})"
    assert refusal(refuse(body)) == ("duplicate", [(line, column, path, None, message)])


def test_a_document_that_is_a_quoted_null_is_refused_as_a_quoted_string_not_as_empty(refuse):
    error = refuse("'~'\n")
    assert refusal(error) == ("invalid_analytics", [(1, 1, None, None, "the document must be one mapping (days or records) "
                                                                       "or one list of records; got a quoted string")])


def test_a_quoted_item_of_a_list_stays_a_quoted_string(refuse):
    error = refuse("- '5'\n")
    assert refusal(error) == ("invalid_analytics", [(1, 3, "[0]", '"5"', "a record must be a mapping with cached_input_tokens, "
                                                                        "date, inferences, input_tokens, output_tokens, profile; "
                                                                        "got a quoted string")])
