"""The bottom layer of every reader: refusals collected with where they are, and the AnalyticsError they make.

AnalyticsError.code is the issues' code when they all share one, otherwise "invalid_analytics".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..analytics import MAX_ERRORS, AnalyticsError, AnalyticsIssue
from ..messages import Message, gettext_noop
from ..parameters import ParameterSet


class StopReading(Exception):
    """Enough issues (MAX_ERRORS), or a fatal one: stop reading and report what was found."""


@dataclass
class Issue:
    code: str
    message: str  # or a Message, which is a str that can be translated (engine/messages.py)
    path: str | None = None
    line: int | None = None
    column: int | None = None
    value: str | None = None
    also_path: str | None = None  # where the first of two duplicates is
    also_line: int | None = None


# Key paths -> (line, column): how a YAML reader places issues it only knows by key path.
Locate = Callable[[set[str]], dict[str, tuple[int, int]]]


def known_profiles(parameters: ParameterSet) -> str:
    """The known usage profile codes, for messages."""
    return ", ".join(sorted(parameters.profiles))


def line_column(text: str, index: int) -> tuple[int, int]:
    """Line and column (from 1) of a character index in a text."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


class Issues:
    """Collects refusals; stops the parse when MAX_ERRORS are reached."""

    def __init__(self, parameters: ParameterSet):
        self.parameters = parameters
        self.items: list[Issue] = []
        self.unknown_profiles: dict[str, Issue] = {}

    def add(self, code: str, message: str, **where) -> None:
        self.items.append(Issue(code, message, **where))
        if len(self.items) >= MAX_ERRORS:
            raise StopReading

    def unknown_profile(self, code: str, **where) -> None:
        """One issue per unknown code, at its first occurrence; the message lists them all at the end."""
        if code not in self.unknown_profiles:
            self.add("unknown_profile", "", value=code, **where)
            self.unknown_profiles[code] = self.items[-1]

    def fatal(self, code: str, message: str, **where) -> None:
        self.add(code, message, **where)
        raise StopReading

    def error(self, locate: Locate | None = None) -> AnalyticsError:
        """The AnalyticsError for the collected issues, with key paths turned into line/column by `locate`."""
        unknown = ", ".join(sorted(self.unknown_profiles))
        for code, issue in self.unknown_profiles.items():
            issue.message = Message(
                gettext_noop("unknown profile {code!r} (unknown profiles: {unknown}; known profiles: {known})"),
                code=code, unknown=unknown, known=known_profiles(self.parameters),
            )
        positions = {}
        if locate is not None:
            wanted = {issue.path for issue in self.items if issue.line is None and issue.path is not None}
            wanted |= {issue.also_path for issue in self.items if issue.also_path is not None and issue.also_line is None}
            positions = locate(wanted) if wanted else {}
        public = [_public(issue, positions) for issue in self.items]
        codes = {issue.code for issue in self.items}
        return AnalyticsError(public, codes.pop() if len(codes) == 1 else "invalid_analytics")


def encodable(text: str | None) -> str | None:
    """The text with every character UTF-8 cannot encode (a lone surrogate from a JSON escape such as
    "\\ud800") written as its escape, so that a message quoting the input renders and saves whatever it holds."""
    if text is None:
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _public(issue: Issue, positions: dict[str, tuple[int, int]]) -> AnalyticsIssue:
    line, column = issue.line, issue.column
    if line is None and issue.path in positions:
        line, column = positions[issue.path]
    message = issue.message
    if issue.also_path is not None or issue.also_line is not None:
        also_line = issue.also_line or positions.get(issue.also_path, (None,))[0]
        if also_line is not None and issue.also_path:
            message = Message(gettext_noop("{message} (first at line {line}, {path})"), message=message,
                              line=also_line, path=issue.also_path)
        elif also_line is not None:
            message = Message(gettext_noop("{message} (first at line {line})"), message=message, line=also_line)
        else:
            message = Message(gettext_noop("{message} (first at {path})"), message=message, path=issue.also_path)
    return AnalyticsIssue(encodable(message), line, column, encodable(issue.path), encodable(issue.value))
