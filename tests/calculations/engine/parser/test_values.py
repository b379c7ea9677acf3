"""What a refused count is said to be (values.describe_text): a CSV cell or a plain YAML value, in words;
and the day of a date-time (values.text_day)."""

from __future__ import annotations

from datetime import date

import pytest

from calculations.engine.parser.values import text_day

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


@pytest.mark.parametrize(("text", "day"), [
    ("2025-01-01 23:30:00-02:00", date(2025, 1, 2)),  # a space between date and time, an offset: the UTC day
    ("2025-01-01T23:30:00-02:00", date(2025, 1, 2)),
    ("2025-01-01 10:00", date(2025, 1, 1)),  # no offset: UTC
    ("2025-01-01T12:00:00+00:00", date(2025, 1, 1)),  # already Jan 2 in UTC+14
])
def test_a_date_time_gives_its_utc_day_whatever_the_server_s_time_zone(far_time_zone, text, day):
    assert text_day(text) == day
