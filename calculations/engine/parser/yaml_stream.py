"""YAML, streamed: a valid native document read straight from libyaml's events, without a tree.

Nearly every upload is a `records:` or `days:` document (or a list of records) whose values are
all valid; building its tree first cost most of the parse time and about 12 times the file in
memory. Anything else (a real export, a refusal, a parse error, a shape not read here) makes this
reader fall back to the tree path (`yaml_tree.py`), which reads the file again: the refusals and
their wording come from one code path whatever the input.
"""

from __future__ import annotations

from datetime import date

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from ..analytics import CellColumns
from .reader import Reader
from .values import COUNT_NAMES, DAY_ENTRY_NAMES, FIELD_NAMES, TOP_LEVEL_KEYS, NotPlainlyValid, Quoted, count_of_plain_text


class FallBackToTree(Exception):
    """Not a plain, valid native document: the tree path reads it and words the issues, if any."""


def stream_native_yaml(body: bytes, reader: Reader) -> CellColumns | None:
    """The cells of a valid native YAML document, read straight from libyaml's events, or None (read it as a tree)."""
    try:
        stream = NativeStream(reader, may_have_properties=b"&" in body or b"!" in body)
        return stream.read(iter(yaml.CSafeLoader(body).get_event, None))
    except (FallBackToTree, NotPlainlyValid, LookupError, StopIteration, yaml.YAMLError):
        return None


def _scalar_text(event) -> str:
    """The text of a scalar without anchor or tag (the tree path refuses both)."""
    if event.__class__ is not ScalarEvent or event.anchor or event.tag:
        raise FallBackToTree
    return event.value


def _scalar_raw(event) -> str:
    """A scalar as the tree path holds it: str when plain, Quoted when quoted or a block."""
    text = _scalar_text(event)
    return Quoted(text) if event.style else text


def _starts(event, kind) -> None:
    """`event` starts a mapping or a list (`kind`) without anchor or tag."""
    if event.__class__ is not kind or event.anchor or event.tag:
        raise FallBackToTree


def _optional_count(raw) -> int | None:
    return None if raw is None else count_of_plain_text(raw)


class SmallCounts(dict):
    """Plain count text -> int, kept for texts of up to 4 digits (at most 11 110 of them).

    Small counts recur from cell to cell: a look-up is several times cheaper than checking
    and converting the text again, and the cells share one int object per value.
    """

    __slots__ = ()
    count_of = staticmethod(count_of_plain_text)  # the text's count, or NotPlainlyValid

    def __missing__(self, text: str) -> int:
        count = self.count_of(text)
        if len(text) <= 4:
            self[text] = count
        return count


class NativeStream:
    """The native structures of section 1 read from libyaml's events into five cell columns.

    It takes only what the tree path would take at first sight, and raises FallBackToTree (or lets
    NotPlainlyValid and LookupError through) at anything else. Cells come in file order; the file is
    usually sorted by (day, profile), which is checked on the way so that sorting (and looking
    for duplicates, which sorting puts side by side) is only needed when it is not.
    """

    def __init__(self, reader: Reader, *, may_have_properties: bool = True):
        self.codes = reader.codes
        self.known_days = reader.known_days  # shared with the tree path: valid date texts only
        self.new_day = reader.new_day
        # An anchor (&name) or a tag (!...) needs its character in the file: without either, the
        # hot loops skip looking for them on every key and value.
        self.may_have_properties = may_have_properties
        self.small_counts = SmallCounts()  # only ever looked up with plain (str) texts
        self.columns: tuple[list, list, list, list, list] = ([], [], [], [], [])
        self.in_order = True
        self.last_day, self.last_profile = date.min, ""

    def read(self, events) -> CellColumns:
        events = iter(events)
        if next(events).__class__ is not StreamStartEvent or next(events).__class__ is not DocumentStartEvent:
            raise FallBackToTree  # an empty stream
        root = next(events)
        if root.__class__ is MappingStartEvent:
            _starts(root, MappingStartEvent)
            self._read_top_level(events)
        else:
            _starts(root, SequenceStartEvent)
            self._read_records(events)
        if next(events).__class__ is not DocumentEndEvent or next(events).__class__ is not StreamEndEvent:
            raise FallBackToTree  # several documents
        return cells_in_order(self.columns, self.in_order)

    def _read_top_level(self, events) -> None:
        seen = set()
        for key in events:
            if key.__class__ is MappingEndEvent:
                return
            name = _scalar_text(key)
            if name not in TOP_LEVEL_KEYS or name in seen:
                raise FallBackToTree
            seen.add(name)
            value = next(events)
            if name == "source" or name == "tenant":
                _scalar_text(value)  # free text, not stored
                continue
            _starts(value, SequenceStartEvent)
            if name == "days":
                self._read_days(events)
            else:
                self._read_records(events)

    def _day(self, text: str) -> date:
        return self.known_days.get(text) or self.new_day(text)

    def _next_day(self, day: date) -> str:
        """Keeps track of the order at a new day; the last profile of the same day, if any."""
        if day == self.last_day:
            return self.last_profile
        if day < self.last_day:
            self.in_order = False
        self.last_day = day
        return ""

    def _read_records(self, events) -> None:
        """Flat records, after the list's start: one mapping of FIELD_NAMES per (day, profile).

        The hot loop of a large upload: helpers are inlined, and a record's fields are held as
        the tree path holds them (str, or Quoted when the scalar was quoted).
        """
        days, profiles, inferences, input_tokens, output_tokens = self.columns
        codes, field_names, known_days, new_day = self.codes, FIELD_NAMES, self.known_days, self.new_day
        small_counts, optional_count, may_have_properties = self.small_counts, _optional_count, self.may_have_properties
        last_day, last_profile, in_order = self.last_day, self.last_profile, self.in_order
        for start in events:
            if start.__class__ is not MappingStartEvent or start.anchor or start.tag:
                break
            record = {}
            for key in events:
                if key.__class__ is not ScalarEvent:
                    break
                value = next(events)
                if value.__class__ is not ScalarEvent or (
                    may_have_properties and (key.anchor or key.tag or value.anchor or value.tag)
                ):
                    raise FallBackToTree
                name = field_names[key.value]
                if name in record:
                    raise FallBackToTree  # a key twice, or one field under two of its names
                record[name] = Quoted(value.value) if value.style else value.value
            if key.__class__ is not MappingEndEvent:
                raise FallBackToTree
            text = record["date"]
            day = known_days.get(text) or new_day(text)
            profile = codes[record["profile"]]
            if day != last_day:
                in_order = in_order and day > last_day
                last_day = day
            elif profile <= last_profile:
                in_order = False
            last_profile = profile
            text = record["inferences"]
            if type(text) is not str:
                raise FallBackToTree  # quoted
            inferences.append(small_counts[text])
            if len(record) == 3:  # no token counts, the common case
                input_tokens.append(None)
                output_tokens.append(None)
            else:
                if "cached_input_tokens" in record:
                    raise FallBackToTree  # checked against the input tokens by the tree path
                input_tokens.append(optional_count(record.get("input_tokens")))
                output_tokens.append(optional_count(record.get("output_tokens")))
            days.append(day)
            profiles.append(profile)
        if start.__class__ is not SequenceEndEvent:
            raise FallBackToTree
        self.last_day, self.last_profile, self.in_order = last_day, last_profile, in_order

    def _read_days(self, events) -> None:
        """Nested form, after the list's start: one mapping per day, its date then its usages."""
        for start in events:
            if start.__class__ is SequenceEndEvent:
                return
            _starts(start, MappingStartEvent)
            day = None
            usages_read = False
            for key in events:
                if key.__class__ is MappingEndEvent:
                    break
                name = DAY_ENTRY_NAMES[_scalar_text(key)]
                value = next(events)
                if name == "date" and day is None:
                    day = self._day(_scalar_text(value))
                elif name == "usages" and day is not None and not usages_read:
                    _starts(value, MappingStartEvent)
                    self._read_usages(day, events)
                    usages_read = True
                else:
                    raise FallBackToTree  # a field twice, or usages before the date
            if not usages_read:
                raise FallBackToTree
        raise FallBackToTree

    def _read_usages(self, day: date, events) -> None:
        """One day's `profile: count` or `profile: {inferences, ...}`, after the mapping's start."""
        days, profiles, inferences, input_tokens, output_tokens = self.columns
        codes, small_counts, may_have_properties = self.codes, self.small_counts, self.may_have_properties
        last_profile = self._next_day(day)
        for key in events:
            if key.__class__ is not ScalarEvent:
                break
            value = next(events)
            if may_have_properties and (key.anchor or key.tag):
                raise FallBackToTree
            profile = codes[key.value]
            if profile <= last_profile:
                self.in_order = False
            last_profile = profile
            days.append(day)
            profiles.append(profile)
            if value.__class__ is ScalarEvent:
                if value.style or (may_have_properties and (value.anchor or value.tag)):
                    raise FallBackToTree
                inferences.append(small_counts[value.value])
                input_tokens.append(None)
                output_tokens.append(None)
            else:
                counts = self._read_counts(value, events)
                if "cached_input_tokens" in counts:
                    raise FallBackToTree  # checked against the input tokens by the tree path
                inferences.append(counts["inferences"])
                input_tokens.append(counts.get("input_tokens"))
                output_tokens.append(counts.get("output_tokens"))
        if key.__class__ is not MappingEndEvent:
            raise FallBackToTree
        self.last_profile = last_profile

    def _read_counts(self, start, events) -> dict[str, int]:
        """canonical name -> count of a `{inferences, input_tokens, output_tokens}` usage."""
        _starts(start, MappingStartEvent)
        counts: dict[str, int] = {}
        for key in events:
            if key.__class__ is MappingEndEvent:
                return counts
            name = COUNT_NAMES[_scalar_text(key)]
            if name in counts:
                raise FallBackToTree
            counts[name] = count_of_plain_text(_scalar_raw(next(events)))
        raise FallBackToTree


def cells_in_order(columns: tuple[list, list, list, list, list], in_order: bool) -> CellColumns:
    """The five columns as cells sorted by (day, profile); `in_order` when they already are, each pair
    once. FallBackToTree for no cell (refused as empty) or a (day, profile) twice (the tree path names both)."""
    if not columns[0]:
        raise FallBackToTree
    if not in_order:
        keys = list(zip(columns[0], columns[1]))
        order = sorted(range(len(keys)), key=keys.__getitem__)
        if any(keys[first] == keys[second] for first, second in zip(order, order[1:])):
            raise FallBackToTree
        columns = tuple([column[index] for index in order] for column in columns)
    return CellColumns(*columns)
