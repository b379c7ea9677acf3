"""The reader every format shares: section 4's value rules applied with locations, and the cells read so far.

A location `where` is a key path (a str, or a tuple of its keys and indexes, cheaper to make in hot
loops) or a CSV line (int); `key` is the field name as written.
`plain_text` is True when a `str` is unresolved text (plain YAML scalars, CSV cells) that may hold
a number, a date or null, and False for JSON, where a string is only ever a string.

The `profile` option must be a known profile code whatever the format; only OpenAI reports without
`model` use it.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from ..analytics import MAX_COUNT, Cell, CellColumns, key_path
from ..messages import Message, gettext_noop
from ..parameters import ParameterSet
from .issues import Issues
from .values import (
    COUNT_RULE,
    DATE_RULE,
    EPOCH,
    FIRST_DAY,
    INTEGER_TEXT,
    LAST_DAY,
    LongInteger,
    MISSING,
    NULL_TEXT,
    TRUE_TEXT,
    NotPlainlyValid,
    Quoted,
    describe_text,
    is_count_text,
    text_day,
)

_INF = float("inf")
MISSING_WORDS = Message(gettext_noop("nothing (the field is missing)"))
# What a refused value is, in words (translatable: engine/messages.py).
VALUE_WORDS = {key: Message(text) for key, text in {
    "negative": gettext_noop("a negative number"),
    "too large": gettext_noop("a number above 10^12"),
    "number": gettext_noop("a number"),
    "boolean": gettext_noop("a boolean"),
    "NaN": gettext_noop("NaN"),
    "infinity": gettext_noop("infinity"),
    "decimal": gettext_noop("a decimal number"),
    "null": gettext_noop("null"),
    "mapping": gettext_noop("a mapping"),
    "list": gettext_noop("a list"),
    "quoted": gettext_noop("a quoted string"),
    "string": gettext_noop("a string"),
}.items()}
OUT_OF_RANGE = Message(gettext_noop("epoch seconds far out of range"))
NOT_A_DATE = Message(gettext_noop("not a date"))
RULE_GOT = gettext_noop("{key} {rule}; got {found}")


class Reader:
    """Section 4's rules for values, with locations; the cells of a native format as they are read."""

    MISSING = MISSING

    def __init__(self, parameters: ParameterSet, issues: Issues, *, syntax: str):
        self.parameters = parameters
        self.profiles = parameters.profiles
        self.issues = issues
        self.use_syntax(syntax)
        # (day, profile) -> (cell, where it was read): one dict operation per cell in hot loops
        self.cells: dict[tuple[date, str], tuple[Cell, str | tuple | int]] = {}
        self.known_days: dict[str, date] = {}  # date text -> day: most records repeat a few dates
        self.codes = {code: code for code in self.profiles}  # also turns a Quoted code into a plain str
        self.column_numbers: dict[str, int] = {}  # CSV header as written -> column number
        self.unknown_models: str | None = None  # the `unknown_models` option ("generic" or None)
        self.generic_models: set[str] = set()  # model names mapped to `generic` by that option
        self.inferences_reported = True  # False for a report that counts no requests (Anthropic's)

    def use_syntax(self, syntax: str) -> None:
        self.syntax = syntax
        self.plain_text = syntax != "json"

    # Locations and refusals

    def place(self, where, key: str | None = None) -> dict:
        if isinstance(where, int):
            return {"line": where, "column": self.column_numbers.get(key), "path": key}
        if where is None:
            return {"path": key}
        if type(where) is tuple:
            where = "".join(f"[{part}]" if type(part) is int else f".{part}" if i else part for i, part in enumerate(where))
        return {"path": key_path(where, key) if key is not None else (where or None)}

    def issue(self, code: str, message: str, where, key: str | None = None, *, value=MISSING, also=None) -> None:
        extra = {}
        if value is not MISSING:
            extra["value"] = self.show(value)
        if also is not None:
            first = self.place(also)
            extra["also_path"], extra["also_line"] = first.get("path"), first.get("line")
        self.issues.add(code, message, **self.place(where, key), **extra)

    def show(self, value) -> str | None:
        """The offending value as written, shortened."""
        if value is MISSING:
            return None
        if (type(value) is str and self.plain_text) or type(value) is LongInteger:
            shown = value
        elif isinstance(value, dict):
            shown = "{...}"
        elif isinstance(value, list):
            shown = "[...]"
        else:
            shown = json.dumps(value, ensure_ascii=False)
        return shown if len(shown) <= 80 else shown[:77] + "..."

    def describe(self, value) -> Message:
        """What a refused value is, in words."""
        if value is MISSING:
            return MISSING_WORDS
        kind = type(value)
        if kind is str and self.plain_text:
            return describe_text(value)
        if kind is LongInteger:
            return VALUE_WORDS["negative" if value.startswith("-") else "too large"]
        if kind is int:
            return VALUE_WORDS["negative" if value < 0 else "too large" if value > MAX_COUNT else "number"]
        if kind is float:
            return VALUE_WORDS["NaN" if value != value else "infinity" if value in (_INF, -_INF) else "decimal"]
        if kind is bool or value is None:
            return VALUE_WORDS["boolean" if kind is bool else "null"]
        if isinstance(value, (dict, list)):
            return VALUE_WORDS["mapping" if isinstance(value, dict) else "list"]
        return VALUE_WORDS["quoted" if kind is Quoted else "string"]

    # Values

    def quick_count(self, raw) -> int:
        """The count, or NotPlainlyValid when `count` must look closer (hot loops try this first)."""
        if type(raw) is int:
            if 0 <= raw <= MAX_COUNT:
                return raw
        elif type(raw) is str and self.plain_text and is_count_text(raw):
            return int(raw)
        raise NotPlainlyValid

    def count(self, raw, where, key: str) -> int | None:
        """An integer 0..MAX_COUNT, or None after an issue."""
        try:
            return self.quick_count(raw)
        except NotPlainlyValid:
            self.issue("invalid_analytics", Message(RULE_GOT, key=key, rule=COUNT_RULE, found=self.describe(raw)), where, key, value=raw)
            return None

    def new_day(self, raw) -> date:
        """The day of a value not in the date cache, or NotPlainlyValid when `day` must word an issue."""
        day, _ = self.read_day(raw)
        if day is None:
            raise NotPlainlyValid
        if isinstance(raw, str):
            self.known_days[raw] = day  # valid date texts only
        return day

    def day(self, raw, where, key: str) -> date | None:
        """A day from a date, an ISO datetime (its UTC day) or epoch seconds, or None after an issue."""
        try:
            return self.known_days.get(raw) or self.new_day(raw)
        except (NotPlainlyValid, TypeError):  # TypeError: not hashable, so not a date either
            found = self.read_day(raw)[1]
            self.issue("invalid_analytics", Message(RULE_GOT, key=key, rule=DATE_RULE, found=found), where, key, value=raw)
            return None

    def read_day(self, raw) -> tuple[date | None, str | Message]:
        """(day, "") or (None, what was found instead)."""
        kind, day = type(raw), None
        if kind is LongInteger:
            return None, OUT_OF_RANGE
        if isinstance(raw, str):
            day = text_day(raw)
            if day is None and self.plain_text and INTEGER_TEXT(raw):
                kind, raw = int, int(raw) if len(raw) < 20 else None
        if kind is int and raw is not None:
            try:
                day = EPOCH + timedelta(days=raw // 86400)
            except OverflowError:  # before year 1 or after 9999: far out of range either way
                day = None
        if day is not None and FIRST_DAY <= day <= LAST_DAY:
            return day, ""
        if day is not None:
            if kind is int:
                return None, Message(gettext_noop("{day} (read as epoch seconds)"), day=day.isoformat())
            return None, day.isoformat()
        if kind is int:
            return None, OUT_OF_RANGE
        return None, NOT_A_DATE if isinstance(raw, str) else self.describe(raw)

    def profile(self, raw, where, key: str | None) -> str | None:
        """A known usage profile code, or None after an issue."""
        if isinstance(raw, str) and type(raw) is not LongInteger:
            if raw in self.codes:
                return self.codes[raw]
            self.issues.unknown_profile(str(raw), **self.place(where, key))
            return None
        self.issue(
            "invalid_analytics",
            Message(gettext_noop("{key} must be a usage profile code; got {found}"), key=key, found=self.describe(raw)),
            where, key, value=raw,
        )
        return None

    def is_null(self, raw) -> bool:
        """Absent, JSON null or a plain YAML null (`~`, `null`, nothing)."""
        return raw is MISSING or raw is None or (type(raw) is str and self.plain_text and raw in NULL_TEXT)

    def text(self, raw, where, key: str) -> str | None:
        """Optional free text (names, ids in real exports): None when absent or null."""
        if self.is_null(raw):
            return None
        if isinstance(raw, str) and type(raw) is not LongInteger:
            return str(raw)
        message = Message(gettext_noop("{key} must be text; got {found}"), key=key, found=self.describe(raw))
        self.issue("invalid_analytics", message, where, key, value=raw)
        return None

    def is_true(self, raw) -> bool:
        return raw is True or (type(raw) is str and self.plain_text and raw in TRUE_TEXT)

    def add_cell(self, day: date, profile: str, inferences: int, input_tokens, output_tokens, where,
                 cached_input_tokens: int | None = None, cached_key: str = "cached_input_tokens") -> None:
        """One (day, profile) of a native format: a second one is refused with both locations. Cached
        input tokens are a subset of the input tokens: given without them, or above them, they are refused."""
        if cached_input_tokens is not None and (input_tokens is None or cached_input_tokens > input_tokens):
            rule = (gettext_noop("cached_input_tokens needs input_tokens: cached tokens are counted among the input tokens")
                    if input_tokens is None else
                    gettext_noop("cached_input_tokens cannot exceed input_tokens ({input_tokens}): cached tokens are "
                                 "counted among the input tokens"))
            self.issue("invalid_analytics", Message(rule, input_tokens=input_tokens), where, cached_key,
                       value=cached_input_tokens)
            return
        key = (day, profile)
        first = self.cells.get(key)
        if first is not None:
            self.issue("duplicate", Message(gettext_noop("{day} {profile} is given twice"), day=day.isoformat(), profile=profile), where, also=first[1])
            return
        self.cells[key] = (Cell(day, profile, inferences, input_tokens, output_tokens, cached_input_tokens), where)

    def sorted_cells(self) -> CellColumns:
        cells = self.cells
        return CellColumns.of(cells[key][0] for key in sorted(cells))

