"""Which reader reads an upload (registry.py): a declared syntax taken at its word, a sniffed CSV, YAML read by its lines first."""

from __future__ import annotations

import pytest

from calculations.engine.parser import registry


def test_a_body_declared_as_json_that_is_only_flow_yaml_is_refused_as_not_json(refuse):
    error = refuse("{records: [{date: 2025-01-01, profile: chatbot, inferences: 1}]}", content_type="application/json")
    assert error.code == "parse_error"
    assert [(issue.line, issue.column, issue.message) for issue in error.issues] == [
        (1, 2, "not valid JSON: Expecting property name enclosed in double quotes")]


def test_a_csv_whose_header_ends_with_its_date_column_is_sniffed_as_csv(parse, rows):
    analytics = parse("profile,inferences,date\nchatbot,1,2025-01-01\nsummary,2,2025-01-02\n")
    assert (analytics.format, rows(analytics)) == ("csv", [("2025-01-01", "chatbot", 1, None, None),
                                                          ("2025-01-02", "summary", 2, None, None)])


def test_a_plain_yaml_file_is_read_by_its_lines_without_libyaml_s_events(parse, rows, monkeypatch):
    monkeypatch.setattr(registry, "stream_native_yaml", lambda data, reader: pytest.fail("read by libyaml's events"))
    analytics = parse("records:\n  - {date: 2025-01-01, profile: chatbot, inferences: 3}\n")
    assert (analytics.format, rows(analytics)) == ("yaml", [("2025-01-01", "chatbot", 3, None, None)])
