"""The nested form read from a tree (native.NativeReader.read_days), as JSON gives it: refusals with their key path."""

from __future__ import annotations

import json

DATE_RULE = ("must be a real calendar date between 2000-01-01 and 2100-12-31 "
             "(YYYY-MM-DD, an ISO datetime or integer epoch seconds)")


def test_each_day_s_refused_date_and_usages_are_named_by_key_path(refuse):
    days = [{"date": "2025-02-30", "usages": {"chatbot": 1}}, {"date": "2025-01-02", "usages": ["chatbot"]},
            {"day": "1999-01-01", "usages": {"chatbot": 1}}, {"date": "2025-01-04", "usages": 5}]
    error = refuse(json.dumps({"days": days}))
    assert error.code == "invalid_analytics"
    assert [(issue.path, issue.value, issue.message) for issue in error.issues] == [
        ("days[0].date", '"2025-02-30"', f"date {DATE_RULE}; got not a date"),
        ("days[1].usages", "[...]", "usages must be a mapping of profile -> count; got a list"),
        ("days[2].day", '"1999-01-01"', f"day {DATE_RULE}; got 1999-01-01"),
        ("days[3].usages", "5", "usages must be a mapping of profile -> count; got a number"),
    ]


def test_a_day_without_usages_is_refused(refuse):
    error = refuse(json.dumps({"days": [{"date": "2025-01-01"}]}))
    assert [(issue.path, issue.message) for issue in error.issues] == [
        ("days[0].usages", "usages must be a mapping of profile -> count; got nothing (the field is missing)")]
