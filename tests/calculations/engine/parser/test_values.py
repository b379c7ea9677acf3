"""What a refused count is said to be (values.describe_text): a CSV cell or a plain YAML value, in words."""

from __future__ import annotations

import pytest

COUNT_RULE = "must be a whole number from 0 to 10^12 (no floats, booleans, strings, null, NaN or infinity)"


@pytest.mark.parametrize(("cell", "words"), [
    ("", "an empty value"),
    ("null", "null"),
    ("~", "null"),
    ("yes", "a boolean"),
    ("False", "a boolean"),
    (".nan", "NaN"),
    (".inf", "infinity"),
    ("-.INF", "infinity"),
    ("-5", "a negative number"),
    ("-0", "a signed number"),
    ("+5", "a signed number"),
    ("0123", "a number with leading zeros (YAML 1.1 reads them as octal)"),
    ("00", "a number with leading zeros (YAML 1.1 reads them as octal)"),
    ("1000000000001", "a number above 10^12"),
    ("1.5", "a decimal number"),
    ("1,5", "a decimal number with a decimal comma (counts are whole numbers)"),
    ("ten", "text"),
])
def test_a_refused_csv_count_says_what_the_cell_holds(refuse, cell, words):
    text = f"date;profile;inferences\n2025-01-01;chatbot;{cell}\n"
    issue = refuse(text).issues[0]
    assert (issue.line, issue.column, issue.path) == (2, 3, "inferences")
    assert issue.message == f"inferences {COUNT_RULE}; got {words}"
