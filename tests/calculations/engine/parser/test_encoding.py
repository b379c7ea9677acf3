"""Where an encoding refusal is placed (encoding.check_encoding with issues.line_column)."""

from __future__ import annotations


def test_a_bad_byte_after_a_blank_first_line_is_placed_on_line_two_column_one(refuse):
    issue = refuse(b"\n\xff,profile\n", content_type="text/csv").issues[0]
    assert (issue.line, issue.column) == (2, 1)
