"""YAML, line by line: the three layouts people and exporters write, read by regular expressions (issue 19).

libyaml's events were most of a typical upload's parse: about 12 ms of 1 825 records, where matching
the same lines costs about 2. Three layouts of analytics-format.md sections 2.1 and 2.2 are read
here, with inference counts only:

    days:                       records:                    records:
      - date: 2025-01-01          - date: 2025-01-01          - {date: 2025-01-01, profile: chatbot, inferences: 1}
        usages:                     profile: chatbot
          chatbot: 1250             inferences: 1250

at any indentation (the same for every entry), after optional `source:` and `tenant:` lines,
comment lines and empty lines. A file is read here only when it is ASCII and each of its lines is
one of these lines, character for character: every value is then a plain scalar whose text is
exactly what the stream path reads (no quote, tag, anchor, escape or flow indicator can be in it),
and every comment is only a comment (no control character, which libyaml refuses). The entries are
matched and converted 64 KiB at a time, so the texts found never hold more than a chunk's worth
(a 7 MB file's at once took 15 times its size). Any other file, or any value the reader does not
take as it is, gives None, and the stream path
(`yaml_stream.py`) reads the file from its start, then the tree path for the refusals: one wording
of every issue whatever the layout. `tests/calculations/engine/parser/test_yaml_lines.py` holds the
cells read here to the stream path's, on generated files and on files damaged character by character.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from datetime import date

from ..analytics import CellColumns
from .reader import Reader
from .values import NotPlainlyValid
from .yaml_stream import FallBackToTree, SmallCounts, cells_in_order

CHUNK_BYTES = 1 << 16  # entries matched and converted this much at a time
_DATE = rb"([0-9]{4}-[0-9]{2}-[0-9]{2})"
_PROFILE_TEXT = rb"[A-Za-z0-9_][A-Za-z0-9_-]*"
_COUNT_TEXT = rb"0|[1-9][0-9]{0,11}|1000000000000"  # is_count_text as a regex: int() takes it as is
_PROFILE = b"(" + _PROFILE_TEXT + b")"
_COUNT = b"(" + _COUNT_TEXT + b")"  # always followed by a line end or "}" in a layout
_COMMENT = rb"#[\t\x20-\x7e]*"  # printable ASCII and tabs: no control character (libyaml refuses them)
_FREE_TEXT = rb"[A-Za-z0-9_][A-Za-z0-9_./-]*(?: [A-Za-z0-9_./-]+)*"  # source and tenant: read, not stored
_HEADER_LINE = re.compile(  # a comment or empty line, a free-text key (group 1) or the entries' key (group 2)
    rb"(?:%s)?\n|(source|tenant): %s(?: +%s)?\n|(days|records):(?: +%s)?\n"
    % (_COMMENT, _FREE_TEXT, _COMMENT, _COMMENT))
_TRAILING_LINES = re.compile(rb"(?:(?:%s)?\n)*" % _COMMENT)
_INDENT = re.compile(rb"( *)- ")

_LAYOUTS = {  # one entry of each layout, "{indent}" for its indentation
    (b"records", b"- date"): b"{indent}- date: %s\n{indent}  profile: %s\n{indent}  inferences: %s\n" % (
        _DATE, _PROFILE, _COUNT),
    (b"records", b"- {"): rb"{indent}- \{date: %s, profile: %s, inferences: %s\}\n" % (_DATE, _PROFILE, _COUNT),
    # the usages' lines as one text (their own groups would give only the last usage's), then `_USAGE` each
    (b"days", b"- date"): b"{indent}- date: %s\n{indent}  usages:\n((?:{indent}    %s: (?:%s)\n)+)" % (
        _DATE, _PROFILE_TEXT, _COUNT_TEXT),
}
_USAGE = b"{indent}    %s: %s\n" % (_PROFILE, _COUNT)


def read_yaml_lines(body: bytes, reader: Reader) -> CellColumns | None:
    """The cells of a native YAML file in one of the three layouts, or None (the stream path reads it)."""
    if not body.isascii():
        return None
    try:
        key, start = _body_key(body)
        indent = _INDENT.match(body, start).group(1)
        layout = (key, b"- {" if body.startswith(b"- {", start + len(indent)) else b"- date")
        entries, entry = _entries(layout, indent), _entry(layout, indent)
        cells = _Cells(reader)
        for chunk_start, chunk_end in _entry_chunks(body, start, indent):
            end = entries.match(body, chunk_start, chunk_end).end()
            if end != chunk_end and not (chunk_end == len(body) and _TRAILING_LINES.fullmatch(body, end)):
                return None
            found = entry.findall(body, chunk_start, end)
            cells.add(*(_day_usages(found, indent) if key == b"days" else zip(*found)))
        return cells.in_order_columns()
    except (AttributeError, KeyError, NotPlainlyValid, FallBackToTree):
        # AttributeError: a line of no layout (a None match); KeyError: a profile the reader does not
        # know as written; NotPlainlyValid: a date the reader does not take as it is.
        return None


def _body_key(body: bytes) -> tuple[bytes, int]:
    """`days` or `records`, and where its entries start, after the header's lines (each key once)."""
    seen, position = set(), 0
    while True:
        line = _HEADER_LINE.match(body, position)
        position = line.end()
        key = line.group(1) or line.group(2)
        if key in seen:
            raise FallBackToTree
        if key:
            seen.add(key)
        if line.group(2):
            return key, position


def _entry_chunks(body: bytes, start: int, indent: bytes) -> Iterator[tuple[int, int]]:
    """Spans of about CHUNK_BYTES that each start at an entry; the last one reaches the end of the body."""
    entry_start = b"\n" + indent + b"- "
    while True:
        cut = body.find(entry_start, start + CHUNK_BYTES)
        if cut < 0:
            yield start, len(body)
            return
        yield start, cut + 1
        start = cut + 1


@functools.lru_cache(maxsize=32)
def _entry(layout: tuple[bytes, bytes], indent: bytes) -> re.Pattern:
    """One entry of a layout at an indentation (spaces only), its values' texts as groups."""
    return re.compile(_LAYOUTS[layout].replace(b"{indent}", indent))


@functools.lru_cache(maxsize=32)
def _entries(layout: tuple[bytes, bytes], indent: bytes) -> re.Pattern:
    """One entry or more, one after the other."""
    return re.compile(b"(?:%s)+" % _entry(layout, indent).pattern)


@functools.lru_cache(maxsize=32)
def _usage(indent: bytes) -> re.Pattern:
    return re.compile(_USAGE.replace(b"{indent}", indent))


def _day_usages(entries: list[tuple[bytes, bytes]], indent: bytes) -> tuple[list, list, list]:
    """Nested days, (date, usages' lines) each: a date text per usage, its profile and count texts."""
    usage = _usage(indent)
    dates, profiles, counts = [], [], []
    for date_text, usages in entries:
        pairs = usage.findall(usages)
        dates += [date_text] * len(pairs)
        profiles += [profile for profile, _ in pairs]
        counts += [count for _, count in pairs]
    return dates, profiles, counts


class _Cells:
    """The cells read so far, by the reader's own rules (as the stream path applies them; the counts'
    rule is `_COUNT_TEXT`), whether they come in order, and the texts already converted."""

    def __init__(self, reader: Reader):
        self.reader = reader
        self.days: list[date] = []
        self.profiles: list[str] = []
        self.inferences: list[int] = []
        self.day_of: dict[bytes, date] = {}
        self.code_of: dict[bytes, str] = {}
        self.count_of = _SmallCounts()
        self.in_order = True  # sorted by (day, profile), no pair twice
        self.last: tuple[date, str] | None = None

    def add(self, date_texts, profile_texts, count_texts) -> None:
        read_day, codes = self.reader.read_day, self.reader.codes
        for text in set(date_texts).difference(self.day_of):
            day, _ = read_day(text.decode())  # not through the reader's own memo: one memo of the days is enough
            if day is None:
                raise NotPlainlyValid
            self.day_of[text] = day
        for text in set(profile_texts).difference(self.code_of):
            self.code_of[text] = codes[text.decode()]
        days = list(map(self.day_of.__getitem__, date_texts))
        profiles = list(map(self.code_of.__getitem__, profile_texts))
        keys = list(zip(days, profiles))
        if keys and self.in_order:
            self.in_order = (self.last is None or self.last < keys[0]) and all(map(tuple.__lt__, keys, keys[1:]))
        if keys:
            self.last = keys[-1]
        self.days += days
        self.profiles += profiles
        self.inferences += map(self.count_of.__getitem__, count_texts)

    def in_order_columns(self) -> CellColumns:
        none = [None] * len(self.days)
        return cells_in_order((self.days, self.profiles, self.inferences, none, list(none)), self.in_order)


class _SmallCounts(SmallCounts):
    """The stream path's SmallCounts for texts already matched by `_COUNT_TEXT`: the cells share one int a
    small count (a large file's counts took 5 MB more as ints of their own)."""

    __slots__ = ()
    count_of = staticmethod(int)
