"""Shared by the parser's refusal tests: a refusal's issues and an analytics' cells as comparable tuples."""

from __future__ import annotations


def issues(error) -> list[tuple]:
    """(path, value, message) of each issue, in order."""
    return [(issue.path, issue.value, issue.message) for issue in error.issues]


def cells(analytics) -> list[tuple]:
    return [(c.day.isoformat(), c.profile, c.inferences, c.input_tokens, c.output_tokens, c.cached_input_tokens)
            for c in analytics.cells]
