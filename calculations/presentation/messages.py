"""The engine's messages (engine/messages.py) in the request's language: pages and the API render a
refusal with gettext; the CLI prints the engine's English text as it is."""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext, ngettext

from calculations.engine.analytics import AnalyticsIssue
from calculations.engine.messages import render


def translated(text: str | None) -> str | None:
    """A Message in the active language (a plain str unchanged), every character UTF-8 can encode
    (the input's text in the arguments may hold a lone surrogate: written as its escape)."""
    text = render(text, gettext)
    if text is None:
        return None
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def translated_issue(issue: AnalyticsIssue) -> AnalyticsIssue:
    """The issue with its message in the active language."""
    return replace(issue, message=translated(issue.message))


def issue_text(issue: AnalyticsIssue) -> str:
    """"line 3, column 5; days[0].date: <message> (got <value>)" in the active language."""
    where = []
    if issue.line is not None:
        where.append(gettext("line %(line)s, column %(column)s") % {"line": issue.line, "column": issue.column}
                     if issue.column is not None else gettext("line %(line)s") % {"line": issue.line})
    if issue.path:
        where.append(issue.path)
    text = translated(issue.message)
    if where:
        text = "; ".join(where) + ": " + text
    if issue.value is not None:
        text += gettext(" (got %(value)s)") % {"value": issue.value}
    return text


def refusal_summary(issues: list[AnalyticsIssue]) -> str:
    """The API's one-line message for refused analytics, in the active language."""
    count = len(issues)
    if not count:
        return gettext("The analytics were refused.")
    return ngettext(
        "The analytics were refused (%(count)d problem): %(first)s",
        "The analytics were refused (%(count)d problems): %(first)s",
        count,
    ) % {"count": count, "first": issue_text(issues[0])}
