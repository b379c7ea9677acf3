"""Value rules shared by every reader (analytics-format.md sections 3 and 4): field names, counts, days.

The count rule lives here once: `is_count_text` for text (plain YAML scalars, CSV cells) and
MAX_COUNT (analytics.py) for numbers; every reader and fast path calls them.

Decisions where the spec is silent:

- A count must be a plain decimal integer: quoted YAML scalars are strings, and `0123` (octal in
  YAML 1.1), `+5`, `1_000`, `0x10` are refused. JSON `null` is refused for a count, as YAML's `~` is.
- Dates: `YYYY-MM-DD`, an ISO datetime (UTC day; no offset means UTC) or integer epoch seconds
  (a JSON number, a plain YAML scalar, CSV digits) under any of the date field's names.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

from ..messages import Message, gettext_noop

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
EPOCH = date(1970, 1, 1)

# Section 3: every accepted field name -> canonical name.
FIELD_NAMES = {
    "date": "date",
    "day": "date",
    "start_time": "date",
    "profile": "profile",
    "usage": "profile",
    "use_case": "profile",
    "event_type": "profile",
    "inferences": "inferences",
    "count": "inferences",
    "requests": "inferences",
    "num_model_requests": "inferences",
    "input_tokens": "input_tokens",
    "prompt_tokens": "input_tokens",
    "output_tokens": "output_tokens",
    "completion_tokens": "output_tokens",
    "cached_input_tokens": "cached_input_tokens",
}
# The keys the hot loops take as they are; anything else (cached_input_tokens among them) goes the careful way.
RECORD_KEYS = frozenset({"date", "profile", "inferences", "input_tokens", "output_tokens"})
COUNT_NAMES = {name: canonical for name, canonical in FIELD_NAMES.items() if canonical not in ("date", "profile")}
DAY_ENTRY_NAMES = {**{name: "date" for name, canonical in FIELD_NAMES.items() if canonical == "date"}, "usages": "usages"}
TOP_LEVEL_KEYS = ("days", "records", "source", "tenant")

MISSING = object()  # a field that is not there, told apart from a null

# Plain YAML scalars (and CSV cells) are text that we resolve ourselves.
INTEGER_TEXT = re.compile(r"[-+]?[0-9]+").fullmatch
_FLOAT_TEXT = re.compile(r"[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+").fullmatch
NULL_TEXT = frozenset({"", "~", "null", "Null", "NULL"})
_DECIMAL_COMMA_TEXT = re.compile(r"[-+]?[0-9]+,[0-9]+").fullmatch  # 1,5 from a spreadsheet in French, German...
TRUE_TEXT = frozenset({"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"})
_BOOL_TEXT = TRUE_TEXT | {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"}
_NAN_TEXT = frozenset({".nan", ".NaN", ".NAN"})
_INF_TEXT = frozenset(sign + inf for sign in ("", "+", "-") for inf in (".inf", ".Inf", ".INF"))
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fullmatch
_DATETIME_TEXT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:[Zz]|[+-][0-9]{2}:?[0-9]{2})?"
).fullmatch
COUNT_RULE = Message(gettext_noop(
    "must be a whole number from 0 to 10^12 (no floats, booleans, strings, null, NaN or infinity)"))
DATE_RULE = Message(gettext_noop(
    "must be a real calendar date between 2000-01-01 and 2100-12-31 "
    "(YYYY-MM-DD, an ISO datetime or integer epoch seconds)"
))


class NotPlainlyValid(Exception):
    """A value a hot loop does not take as is: the careful reader looks closer and words the issue, if any."""


class LongInteger(str):
    """A JSON integer with more digits than Python converts (sys.get_int_max_str_digits(), 4300 by
    default), kept as its text: far above any count or date, it is refused wherever it appears."""

    __slots__ = ()


class Quoted(str):
    """A quoted or block YAML scalar: always a string, never a number."""

    __slots__ = ()


def is_count_text(text: str) -> bool:
    """A count as written: 0 to 10^12 in decimal digits, no sign, no leading zero (YAML 1.1 octal).

    The regex `0|[1-9][0-9]{0,11}|1000000000000` with str methods, twice as fast on the hot path.
    """
    return text.isdigit() and text.isascii() and (text[0] != "0" or text == "0") and (len(text) < 13 or text == "1000000000000")


def count_of_plain_text(raw) -> int:
    """The count of a plain text (a `str` that is not Quoted), or NotPlainlyValid."""
    if type(raw) is not str or not is_count_text(raw):
        raise NotPlainlyValid
    return int(raw)


def describe_text(text: str) -> Message:
    """What a plain YAML scalar or CSV cell holds: a refused count, or a value where a list or mapping
    was wanted."""
    if text == "":
        return Message(gettext_noop("an empty value"))
    if text in NULL_TEXT:
        return Message(gettext_noop("null"))
    if text in _BOOL_TEXT:
        return Message(gettext_noop("a boolean"))
    if text in _NAN_TEXT:
        return Message(gettext_noop("NaN"))
    if text in _INF_TEXT:
        return Message(gettext_noop("infinity"))
    if INTEGER_TEXT(text):
        if text.startswith("-") and text.strip("-0"):
            return Message(gettext_noop("a negative number"))
        if text[0] in "+-":
            return Message(gettext_noop("a signed number"))
        if len(text) > 1 and text[0] == "0":
            return Message(gettext_noop("a number with leading zeros (YAML 1.1 reads them as octal)"))
        if is_count_text(text):  # a valid count where a list or mapping was wanted
            return Message(gettext_noop("a number"))
        return Message(gettext_noop("a number above 10^12"))
    if _FLOAT_TEXT(text):
        return Message(gettext_noop("a decimal number"))
    if _DECIMAL_COMMA_TEXT(text):
        return Message(gettext_noop("a decimal number with a decimal comma (counts are whole numbers)"))
    return Message(gettext_noop("text"))


def text_day(text: str) -> date | None:
    """The day of an ISO date or datetime (UTC), or None."""
    try:
        if _DATE_TEXT(text):
            return date.fromisoformat(text)
        if _DATETIME_TEXT(text):
            moment = datetime.fromisoformat(text.replace(" ", "T", 1))
            if moment.tzinfo is not None:
                moment = moment.astimezone(timezone.utc)
            return moment.date()
    except (ValueError, OverflowError):
        pass
    return None
