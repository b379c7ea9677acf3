"""The optional `cached_input_tokens` of the native formats (analytics-format.md section 1): the cached
subset of the input tokens."""

from __future__ import annotations

import pytest


def cached(analytics) -> list:
    return [(c.input_tokens, c.cached_input_tokens) for c in analytics.cells]


@pytest.mark.parametrize("text", [
    "records:\n- {date: 2025-01-01, profile: chatbot, inferences: 3, input_tokens: 900, cached_input_tokens: 600}\n",
    "days:\n- date: 2025-01-01\n  usages:\n    chatbot: {inferences: 3, input_tokens: 900, cached_input_tokens: 600}\n",
    '{"records": [{"date": "2025-01-01", "profile": "chatbot", "inferences": 3, "input_tokens": 900, '
    '"cached_input_tokens": 600}]}',
], ids=["yaml-records", "yaml-days", "json"])
def test_native_documents_accept_cached_input_tokens(parse, text):
    assert cached(parse(text)) == [(900, 600)]


def test_csv_accepts_a_cached_input_tokens_column(parse):
    text = "date,profile,inferences,input_tokens,output_tokens,cached_input_tokens\n2025-01-01,chatbot,3,900,30,600\n" \
           "2025-01-02,chatbot,3,900,30,\n"
    assert cached(parse(text, filename="usage.csv")) == [(900, 600), (900, None)]


def test_cells_without_cached_input_tokens_report_none(parse):
    assert cached(parse("records:\n- {date: 2025-01-01, profile: chatbot, inferences: 3, input_tokens: 9}\n")) == [(9, None)]


def test_cached_input_tokens_above_the_input_tokens_are_refused(refuse):
    error = refuse("records:\n- {date: 2025-01-01, profile: chatbot, inferences: 3, input_tokens: 9, "
                   "cached_input_tokens: 10}\n")
    issue = error.issues[0]
    assert issue.path == "records[0].cached_input_tokens"
    assert "cannot exceed input_tokens" in issue.message


def test_cached_input_tokens_without_input_tokens_are_refused(refuse):
    error = refuse("date,profile,inferences,cached_input_tokens\n2025-01-01,chatbot,3,2\n", filename="usage.csv")
    assert error.issues[0].line == 2
    assert "needs input_tokens" in error.issues[0].message
