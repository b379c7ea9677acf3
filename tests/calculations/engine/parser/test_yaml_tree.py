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

