"""YAML, line by line: the three layouts people and exporters write, read by regular expressions (issue 19).

libyaml's events were most of a typical upload's parse: about 12 ms of 1 825 records, where matching
the same lines costs about 2. Three layouts of analytics-format.md sections 2.1 and 2.2 are read
here, with inference counts only:

    days:                       records:                    records:
      - date: 2025-01-01          - date: 2025-01-01          - {date: 2025-01-01, profile: chatbot, inferences: 1}
        usages:                     profile: chatbot
          chatbot: 1250             inferences: 1250

at any indentation (the same for every entry), after optional `source:` and `tenant:` lines,
comment lines and empty lines. A file is read here only when each of its lines is one of these
lines, character for character: every value is then a plain scalar whose text is exactly what the
stream path reads (no quote, tag, anchor, escape or flow indicator can be in it), and every
comment is only a comment (no other YAML line break, no control character libyaml refuses). Any
other file, or any value the reader does not take as it is, gives None, and the stream path
(`yaml_stream.py`) reads the file from its start, then the tree path for the refusals: one wording
of every issue whatever the layout. `tests/calculations/engine/parser/test_yaml_lines.py` holds the
cells read here to the stream path's, on generated files and on files damaged character by character.
"""

from __future__ import annotations

import functools
import re

from ..analytics import CellColumns
from .reader import Reader
from .values import NotPlainlyValid
from .yaml_stream import FallBackToTree, cells_in_order

_DATE = r"([0-9]{4}-[0-9]{2}-[0-9]{2})"
_PROFILE_TEXT = r"[A-Za-z0-9_][A-Za-z0-9_-]*"
_COUNT_TEXT = r"0|[1-9][0-9]{0,11}|1000000000000"  # is_count_text as a regex: int() takes it as is
_PROFILE = f"({_PROFILE_TEXT})"
_COUNT = f"({_COUNT_TEXT})"  # always followed by a line end or "}" in a layout
# What a comment may hold: YAML's printable characters but its line breaks other than \n (\r, NEL,
# U+2028, U+2029) and the byte-order mark; astral characters are left to the stream path.
_COMMENT = "#[\t\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*"
_FREE_TEXT = r"[A-Za-z0-9_][A-Za-z0-9_./-]*(?: [A-Za-z0-9_./-]+)*"  # source and tenant: read, not stored
_HEADER_LINE = re.compile(  # a comment or empty line, a free-text key (group 1) or the entries' key (group 2)
    rf"(?:{_COMMENT})?\n|(source|tenant): {_FREE_TEXT}(?: +{_COMMENT})?\n|(days|records):(?: +{_COMMENT})?\n")
_TRAILING_LINES = re.compile(rf"(?:(?:{_COMMENT})?\n)*")
_INDENT = re.compile(r"( *)- ")

_LAYOUTS = {  # one entry of each layout, "{indent}" for its indentation
    ("records", "- date"):
        rf"{{indent}}- date: {_DATE}\n{{indent}}  profile: {_PROFILE}\n{{indent}}  inferences: {_COUNT}\n",
    ("records", "- {"): rf"{{indent}}- \{{date: {_DATE}, profile: {_PROFILE}, inferences: {_COUNT}\}}\n",
    # the usages' lines as one text (their own groups would give only the last usage's), then `_USAGE` each
    ("days", "- date"):
        rf"{{indent}}- date: {_DATE}\n{{indent}}  usages:\n((?:{{indent}}    {_PROFILE_TEXT}: (?:{_COUNT_TEXT})\n)+)",
}
_USAGE = rf"{{indent}}    {_PROFILE}: {_COUNT}\n"


def read_yaml_lines(body: bytes, reader: Reader) -> CellColumns | None:
    """The cells of a native YAML file in one of the three layouts, or None (the stream path reads it)."""
    try:
        text = body.decode("utf-8")
        key, start = _body_key(text)
        indent = _INDENT.match(text, start).group(1)
        layout = (key, "- {" if text.startswith("- {", start + len(indent)) else "- date")
        end = _entries(layout, indent).match(text, start).end()
        if not _TRAILING_LINES.fullmatch(text, end):
            return None
        entries = _entry(layout, indent).findall(text, start, end)
        texts = _day_usages(entries, indent) if key == "days" else list(zip(*entries))
        columns = _columns(reader, *texts)
        return cells_in_order(columns, _strictly_increasing(columns[0], columns[1]))
    except (UnicodeDecodeError, AttributeError, KeyError, NotPlainlyValid, FallBackToTree):
        # AttributeError: a line of no layout (a None match); KeyError: a profile the reader does not
        # know as written; NotPlainlyValid: a date or count the reader does not take as it is.
        return None


def _body_key(text: str) -> tuple[str, int]:
    """`days` or `records`, and where its entries start, after the header's lines (each key once)."""
    seen, position = set(), 0
    while True:
        line = _HEADER_LINE.match(text, position)
        position = line.end()
        key = line.group(1) or line.group(2)
        if key in seen:
            raise FallBackToTree
        if key:
            seen.add(key)
        if line.group(2):
            return key, position


@functools.lru_cache(maxsize=32)
def _entry(layout: tuple[str, str], indent: str) -> re.Pattern:
    """One entry of a layout at an indentation (spaces only), its values' texts as groups."""
    return re.compile(_LAYOUTS[layout].replace("{indent}", indent))


@functools.lru_cache(maxsize=32)
def _entries(layout: tuple[str, str], indent: str) -> re.Pattern:
    """One entry or more, one after the other."""
    return re.compile(f"(?:{_entry(layout, indent).pattern})+")


@functools.lru_cache(maxsize=32)
def _usage(indent: str) -> re.Pattern:
    return re.compile(_USAGE.replace("{indent}", indent))


def _day_usages(entries: list[tuple[str, str]], indent: str) -> tuple[list, list, list]:
    """Nested days, (date, usages' lines) each: a date text per usage, its profile and count texts."""
    usage = _usage(indent)
    dates, profiles, counts = [], [], []
    for date_text, usages in entries:
        pairs = usage.findall(usages)
        dates += [date_text] * len(pairs)
        profiles += [profile for profile, _ in pairs]
        counts += [count for _, count in pairs]
    return dates, profiles, counts


def _columns(reader: Reader, date_texts, profile_texts, count_texts) -> tuple[list, list, list, list, list]:
    """The five cell columns from the texts, by the reader's own rules (as the stream path applies them;
    the counts' rule is in `_COUNT_TEXT`)."""
    known_days, new_day = reader.known_days, reader.new_day
    day_of = {text: known_days.get(text) or new_day(text) for text in set(date_texts)}
    none = [None] * len(date_texts)
    return (list(map(day_of.__getitem__, date_texts)), list(map(reader.codes.__getitem__, profile_texts)),
            list(map(int, count_texts)), none, list(none))


def _strictly_increasing(days: list, profiles: list) -> bool:
    """Whether the cells come sorted by (day, profile) with no pair twice: then no sort is needed."""
    keys = list(zip(days, profiles))
    return all(map(tuple.__lt__, keys, keys[1:]))
