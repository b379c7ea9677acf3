"""Reading an analytics upload into daily usage cells (analytics-format.md).

`parse_analytics(data, parameters)` decodes the bytes, picks the syntax (YAML,
JSON or CSV), recognises a real export (section 5, see `exports.py`) or reads
the native structures (sections 1 to 3), checks every rule of section 4, and
returns an `Analytics` or raises an `AnalyticsError` listing up to MAX_ERRORS
issues with their line/column (YAML, CSV) or key path (YAML, JSON).

Decisions where the spec is silent:

- Syntax: a known content type wins (application/yaml, application/x-yaml,
  text/yaml, text/x-yaml, application/json, text/csv); any other content type
  (multipart/..., application/octet-stream, text/plain, none) falls back to the
  file extension (.yaml, .yml, .json, .csv), then to sniffing. Sniffing picks
  JSON when the first non-blank character is `{` or `[`, CSV when the first
  non-blank line has a comma and a date column, otherwise YAML. A sniffed JSON
  that does not parse is read as YAML (flow-style YAML also starts with `{`);
  if that fails too, the JSON error is reported.
- Encoding: UTF-8 only, a UTF-8 BOM is skipped. UTF-16/32 byte order marks, a
  NUL character (UTF-16 without BOM, binary data) and undecodable bytes are
  refused with code "encoding" and the position of the first bad byte. The
  check runs on the bytes: only JSON and CSV are decoded to text.
- YAML: read from libyaml's event stream. A valid native document (the common
  upload) goes straight from the events into cell columns; anything else (real
  exports, refusals, unusual shapes) is read again as a tree, which words the
  refusals, so that both paths accept and refuse exactly the same inputs. Anchors, aliases, every explicit tag
  (even `!!str`), several documents, mapping keys that are not scalars, a
  duplicate key in one mapping and nesting deeper than MAX_DEPTH are refused at
  the first occurrence. Mapping keys are taken as written (`123:` is the key
  "123"). A count must be a plain decimal integer: quoted scalars are strings,
  and `0123` (octal in YAML 1.1), `+5`, `1_000`, `0x10` are refused.
- JSON: NaN/Infinity are refused as a parse error, a key twice in one object is
  refused (code "duplicate"). `null` is refused for a count, as YAML's `~` is.
- CSV: headers are trimmed and case-insensitive, cells are trimmed, blank lines
  are skipped, rows must have as many cells as the header. Unknown columns are
  refused with the list of accepted ones, so that a typo never drops data. Empty
  token cells mean "not given"; an empty inferences cell is refused. A plainly
  valid file is read whole columns at a time (`csv_columns.py`); anything else
  row by row, which words the refusals (the same rules either way, tested).
- Native YAML/JSON: field names are case-sensitive, aliases of section 3 are
  accepted everywhere (also in `days[].usages.<profile>` mappings), a field
  given under two names is refused, and unknown fields are refused (top level:
  `days`, `records`, `source`, `tenant`; both `days` and `records` may be
  present). `input_tokens` and `output_tokens` are each optional.
- Dates: `YYYY-MM-DD`, an ISO datetime (UTC day; no offset means UTC) or
  integer epoch seconds (a JSON number, a plain YAML scalar, CSV digits) under
  any of the date field's names.
- The `profile` option must be a known profile code whatever the format; only
  OpenAI reports without `model` use it.
- AnalyticsError.code is the issues' code when they all share one, otherwise
  "invalid_analytics".
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import PurePosixPath

import yaml
from yaml.events import (
    AliasEvent,
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

from . import exports
from .analytics import (
    MAX_COUNT, MAX_ERRORS, Analytics, AnalyticsError, AnalyticsIssue, Cell, CellColumns, key_path,
)
from .csv_columns import read_csv_columns
from .gc_pause import collector_paused
from .parameters import ParameterSet

MAX_DEPTH = 64  # our structures need 6 levels; this only stops nesting bombs

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)

# Declared content types the parser knows, and the syntax each announces.
CONTENT_TYPES = {
    "application/yaml": "yaml",
    "application/x-yaml": "yaml",
    "text/yaml": "yaml",
    "text/x-yaml": "yaml",
    "application/json": "json",
    "text/csv": "csv",
}
_EXTENSIONS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".csv": "csv"}

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
}
_RECORD_KEYS = frozenset({"date", "profile", "inferences", "input_tokens", "output_tokens"})
_COUNT_NAMES = {name: canonical for name, canonical in FIELD_NAMES.items() if canonical not in ("date", "profile")}
_DAY_ENTRY_NAMES = {**{name: "date" for name, canonical in FIELD_NAMES.items() if canonical == "date"}, "usages": "usages"}
_DATE_AND_USAGES = frozenset({"date", "usages"})
_CANONICAL_DAY_ENTRY = {"date": "date", "usages": "usages"}
_TOP_LEVEL_KEYS = ("days", "records", "source", "tenant")

_MISSING = object()  # a field that is not there, told apart from a null

# Plain YAML scalars (and CSV cells) are text that we resolve ourselves.
_INTEGER_TEXT = re.compile(r"[-+]?[0-9]+").fullmatch
_FLOAT_TEXT = re.compile(r"[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+").fullmatch
_NULL_TEXT = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE_TEXT = frozenset({"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"})
_BOOL_TEXT = _TRUE_TEXT | {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"}
_NAN_TEXT = frozenset({".nan", ".NaN", ".NAN"})
_INF_TEXT = frozenset(sign + inf for sign in ("", "+", "-") for inf in (".inf", ".Inf", ".INF"))
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fullmatch
_DATETIME_TEXT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:[Zz]|[+-][0-9]{2}:?[0-9]{2})?"
).fullmatch
_EPOCH = date(1970, 1, 1)
_COUNT_RULE = "must be a whole number from 0 to 10^12 (no floats, booleans, strings, null, NaN or infinity)"
_DATE_RULE = (
    "must be a real calendar date between 2000-01-01 and 2100-12-31 "
    "(YYYY-MM-DD, an ISO datetime or integer epoch seconds)"
)


def _is_count_text(text: str) -> bool:
    """A count as written: 0 to 10^12 in decimal digits, no sign, no leading zero (YAML 1.1 octal).

    The regex `0|[1-9][0-9]{0,11}|1000000000000` with str methods, twice as fast on the hot path.
    """
    return text.isdigit() and text.isascii() and (text[0] != "0" or text == "0") and (len(text) < 13 or text == "1000000000000")


class Quoted(str):
    """A quoted or block YAML scalar: always a string, never a number."""

    __slots__ = ()


class _Stop(Exception):
    """Enough issues (or a fatal one): stop reading and report."""


class _Slow(Exception):
    """A value the fast path does not take as is: the slow path words the issue, if any."""


def parse_analytics(
    data: bytes,
    parameters: ParameterSet,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    profile: str | None = None,
) -> Analytics:
    """Parse one upload into cells sorted by (day, profile), or raise AnalyticsError."""
    issues = Issues(parameters)
    if profile is not None and profile not in parameters.profiles:
        issues.add("unknown_profile", f"unknown profile option {profile!r}; known profiles: {_codes(parameters)}")
        raise issues.error()

    data = bytes(data)
    _check_encoding(data, issues)
    syntax, sniffed = _choose_syntax(data, filename, content_type)
    reader = Reader(parameters, issues, syntax=syntax)
    read = None
    with collector_paused():
        try:
            read = _read_upload(data, sniffed, reader, profile)
        except _Stop:
            pass
    if issues.items:
        locate = (lambda paths: _locate_yaml(_without_bom(data), paths)) if reader.syntax == "yaml" else None
        raise issues.error(locate=locate)
    fmt, cells, mappings = read
    if not cells:
        issues.add("empty", "the file holds no usage records")
        raise issues.error()
    return Analytics(
        cells=cells,
        format=fmt,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        mappings=mappings,
    )


def _read_upload(data: bytes, sniffed: bool, reader: Reader, profile: str | None):
    """(format, cells, mappings) of the checked upload in the reader's syntax."""
    if reader.syntax == "csv":
        text = _text(data)
        cells = read_csv_columns(text, reader.parameters)  # None: not plainly valid, read row by row
        if cells is not None:
            return "csv", cells, []
        reader.read_csv(text)
        return "csv", reader.sorted_cells(), []
    if reader.syntax == "json":
        tree, syntax = _load_json_or_yaml(_text(data), _without_bom(data), reader.issues, sniffed)
        reader.use_syntax(syntax)
    else:
        cells = _stream_native_yaml(data, reader)  # libyaml skips a BOM as _without_bom does
        if cells is not None:
            return "yaml", cells, []
        tree = _load_yaml(_without_bom(data), reader.issues)
    return _read_document(tree, reader, profile)


def _read_document(tree, reader: Reader, profile: str | None) -> tuple[str, list[Cell], list]:
    """Dispatch on content: a real export (section 5) or the native structures."""
    if exports.is_openai_usage(tree):
        cells, mappings = exports.read_openai_usage(tree, reader, profile)
        return "openai-usage", cells, mappings
    if exports.is_fluidtopics_activity(tree):
        return exports.read_fluidtopics_activity(tree, reader)
    reader.read_native(tree)
    return reader.syntax, reader.sorted_cells(), []


# --- Issues ---------------------------------------------------------------------------------------


@dataclass
class _Issue:
    code: str
    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    value: str | None = None
    also_path: str | None = None  # where the first of two duplicates is
    also_line: int | None = None


class Issues:
    """Collects refusals; stops the parse when MAX_ERRORS are reached."""

    def __init__(self, parameters: ParameterSet):
        self.parameters = parameters
        self.items: list[_Issue] = []
        self.unknown_profiles: dict[str, _Issue] = {}

    def add(self, code: str, message: str, **where) -> None:
        self.items.append(_Issue(code, message, **where))
        if len(self.items) >= MAX_ERRORS:
            raise _Stop

    def unknown_profile(self, code: str, **where) -> None:
        """One issue per unknown code, at its first occurrence; the message lists them all at the end."""
        if code not in self.unknown_profiles:
            self.add("unknown_profile", "", value=code, **where)
            self.unknown_profiles[code] = self.items[-1]

    def fatal(self, code: str, message: str, **where) -> None:
        self.add(code, message, **where)
        raise _Stop

    def error(self, locate=None) -> AnalyticsError:
        """The AnalyticsError for the collected issues, with YAML paths turned into line/column."""
        unknown = ", ".join(sorted(self.unknown_profiles))
        for code, issue in self.unknown_profiles.items():
            issue.message = f"unknown profile {code!r} (unknown profiles: {unknown}; known profiles: {_codes(self.parameters)})"
        positions = {}
        if locate is not None:
            wanted = {issue.path for issue in self.items if issue.line is None and issue.path is not None}
            wanted |= {issue.also_path for issue in self.items if issue.also_path is not None and issue.also_line is None}
            positions = locate(wanted) if wanted else {}
        public = []
        for issue in self.items:
            line, column = issue.line, issue.column
            if line is None and issue.path in positions:
                line, column = positions[issue.path]
            message = issue.message
            if issue.also_path is not None or issue.also_line is not None:
                also_line = issue.also_line or positions.get(issue.also_path, (None,))[0]
                first = [f"line {also_line}"] if also_line is not None else []
                first += [issue.also_path] if issue.also_path else []
                message += f" (first at {', '.join(first)})"
            public.append(AnalyticsIssue(message, line, column, issue.path, issue.value))
        codes = {issue.code for issue in self.items}
        return AnalyticsError(public, codes.pop() if len(codes) == 1 else "invalid_analytics")


def _codes(parameters: ParameterSet) -> str:
    return ", ".join(sorted(parameters.profiles))


# --- Encoding and syntax choice -------------------------------------------------------------------


def _line_column(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


_BOM = b"\xef\xbb\xbf"
_CHECK_CHUNK = 1 << 20  # bytes decoded at a time when checking UTF-8
_SNIFF_BYTES = 1 << 16  # enough text to sniff the syntax from, nearly always


def _check_encoding(data: bytes, issues: Issues) -> None:
    """Refuses anything but UTF-8 (a BOM is accepted), with where it went wrong.

    The upload is not decoded whole: YAML is read from the bytes, and a decoded copy would
    double the memory of a large file. Only JSON and CSV are decoded (`_text`).
    """
    save_as = "save the file as UTF-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        issues.add("encoding", f"the file is UTF-16 or UTF-32 (byte order mark at byte 0); {save_as}", line=1, column=1)
        raise issues.error()
    body_start = len(_BOM) if data.startswith(_BOM) else 0
    if not data.isascii() and not _is_utf8(data, body_start):
        body = data[body_start:]
        exc = _decode_error(body)
        before = body[: exc.start].decode("utf-8")
        line, column = _line_column(before, len(before))
        offset = exc.start + body_start
        issues.add(
            "encoding",
            f"the file is not UTF-8: byte 0x{body[exc.start]:02X} at byte offset {offset} cannot be decoded "
            f"(Latin-1, Windows-1252 or binary data?); {save_as}",
            line=line,
            column=column,
            value=f"0x{body[exc.start]:02X}",
        )
        raise issues.error() from None
    nul = data.find(b"\x00", body_start)  # in valid UTF-8, a zero byte is a NUL character
    if nul >= 0:
        before = data[body_start:nul].decode("utf-8")
        line, column = _line_column(before, len(before))
        issues.add(
            "encoding",
            f"NUL byte at byte offset {nul}: the file looks like UTF-16 or binary data; {save_as}",
            line=line,
            column=column,
            value="0x00",
        )
        raise issues.error()


def _is_utf8(data: bytes, start: int) -> bool:
    """Whether data[start:] decodes as UTF-8, decoded a chunk at a time (a character may span two)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for offset in range(start, len(data), _CHECK_CHUNK):
            decoder.decode(view[offset : offset + _CHECK_CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _decode_error(body: bytes) -> UnicodeDecodeError:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc
    raise AssertionError("the body decodes")


def _text(data: bytes) -> str:
    """The text of a checked upload, without its BOM."""
    return data.decode("utf-8-sig")


def _without_bom(data: bytes) -> bytes:
    return data[len(_BOM) :] if data.startswith(_BOM) else data


def _sniff_text(data: bytes) -> str:
    """The start of the text, up to the end of its first non-blank line (the whole text if need be)."""
    head = data[:_SNIFF_BYTES].decode("utf-8-sig", "ignore")  # "ignore": a character cut at the end
    if len(data) <= _SNIFF_BYTES or "\n" in head.lstrip():
        return head
    return _text(data)


def _choose_syntax(data: bytes, filename: str | None, content_type: str | None) -> tuple[str, bool]:
    """(syntax, sniffed): the declared content type, else the file extension, else a sniff."""
    declared = CONTENT_TYPES.get((content_type or "").split(";")[0].strip().lower())
    if declared:
        return declared, False
    if filename:
        by_extension = _EXTENSIONS.get(PurePosixPath(filename.replace("\\", "/")).suffix.lower())
        if by_extension:
            return by_extension, False
    start = _sniff_text(data).lstrip()
    if start[:1] in ("{", "["):
        return "json", True
    first_line = start.split("\n", 1)[0]
    if "," in first_line:
        cells = {cell.strip().strip('"').strip().lower() for cell in first_line.split(",")}
        if any(FIELD_NAMES.get(cell) == "date" for cell in cells):
            return "csv", True
    return "yaml", True


# --- YAML -----------------------------------------------------------------------------------------


def _load_yaml(body: bytes, issues: Issues):
    try:
        return _build_yaml(body, issues)
    except yaml.YAMLError as exc:
        issues.fatal("parse_error", **_yaml_error(exc, body))


def _yaml_error(exc: yaml.YAMLError, body: bytes) -> dict:
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return {"message": f"not valid YAML: {exc.problem}", "line": mark.line + 1, "column": mark.column + 1}
    if isinstance(exc, yaml.reader.ReaderError):  # libyaml's reader counts bytes, not characters
        line = body.count(b"\n", 0, exc.position) + 1
        column = len(body[body.rfind(b"\n", 0, exc.position) + 1 : exc.position].decode("utf-8", "replace")) + 1
        return {"message": f"not valid YAML: {exc.reason}", "line": line, "column": column, "value": f"0x{exc.character:02X}"}
    return {"message": f"not valid YAML: {exc}"}


def _build_yaml(body: bytes, issues: Issues):
    """The document as dicts, lists, str (plain scalars, resolved later) and Quoted, or None when empty.

    A small state machine over libyaml events: `container` is the dict or list being filled, `key` the
    pending mapping key (None while a key is expected). This loop is the parser's hot path.
    """
    holder: list = []
    container, is_map, key = holder, False, None
    stack: list = []
    documents = 0
    for event in yaml.parse(body, Loader=yaml.CSafeLoader):
        kind = event.__class__
        if kind is ScalarEvent:
            if event.anchor or event.tag:  # None when absent, never empty
                _refuse_node(event, issues, stack, container, is_map, key)
            if is_map:
                if key is None:
                    key = event.value
                    if key in container:
                        where = _build_path(stack, container, is_map, key)
                        issues.fatal(
                            "duplicate",
                            f"key {key!r} appears twice in one mapping",
                            **_mark(event),
                            path=where,
                            also_path=where,
                        )
                    continue
                container[key] = Quoted(event.value) if event.style else event.value
                key = None
            else:
                container.append(Quoted(event.value) if event.style else event.value)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor or event.tag:
                _refuse_node(event, issues, stack, container, is_map, key)
            if len(stack) >= MAX_DEPTH:
                issues.fatal(
                    "parse_error",
                    f"nesting deeper than {MAX_DEPTH} levels is refused",
                    **_mark(event),
                )
            node: dict | list = {} if kind is MappingStartEvent else []
            if is_map:
                if key is None:
                    issues.fatal(
                        "invalid_analytics",
                        "a mapping key must be a plain name, not a mapping or a list",
                        **_mark(event),
                        path=_build_path(stack, container, is_map, None) or None,
                    )
                container[key] = node
                key = None
            else:
                container.append(node)
            stack.append((container, is_map))
            container, is_map = node, kind is MappingStartEvent
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            container, is_map = stack.pop()
        elif kind is AliasEvent:
            issues.fatal(
                "invalid_analytics",
                "YAML aliases (*name) are refused",
                **_mark(event),
                path=_build_path(stack, container, is_map, key) or None,
                value=f"*{event.anchor}",
            )
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                issues.fatal("invalid_analytics", "several YAML documents are refused: send one", **_mark(event))
    root = holder[0] if holder else None
    return None if type(root) is str and root in _NULL_TEXT else root


def _mark(event) -> dict:
    return {"line": event.start_mark.line + 1, "column": event.start_mark.column + 1}


def _refuse_node(event, issues: Issues, stack, container, is_map, key) -> None:
    path = _build_path(stack, container, is_map, key) or None
    if event.anchor is not None:
        issues.fatal("invalid_analytics", "YAML anchors (&name) are refused", **_mark(event), path=path, value=f"&{event.anchor}")
    issues.fatal("invalid_analytics", "explicit YAML tags are refused", **_mark(event), path=path, value=event.tag)


def _build_path(stack, container, is_map, key) -> str:
    """Key path of the node being read, rebuilt from the builder's stack (only on errors).

    Each open container is the last entry of its parent, so its key is the parent's last key.
    """
    if not stack:
        return ""  # the root node
    chain = [parent for parent, _ in stack[1:]] + [container]
    parts = []
    for parent, child in zip(chain, chain[1:] + [None]):
        if isinstance(parent, dict):
            name = next(reversed(parent)) if child is not None else key
            if name is None:
                break
            parts.append(f".{name}" if parts else name)
        else:
            parts.append(f"[{len(parent) - 1 if child is not None else len(parent)}]")
    return "".join(parts)


def _locate_yaml(body: bytes, wanted: set[str]) -> dict[str, tuple[int, int]]:
    """Line and column of the first node at each wanted key path (a second, slow walk, on errors only)."""
    found: dict[str, tuple[int, int]] = {}
    frames: list[list] = []  # [path, is_mapping, pending key (mapping) or next index (list)]
    documents = 0
    try:
        for event in yaml.parse(body, Loader=yaml.CSafeLoader):
            kind = event.__class__
            if kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    break
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                frames.pop()
                continue
            if kind is not ScalarEvent and kind is not MappingStartEvent and kind is not SequenceStartEvent:
                continue
            if frames:
                frame = frames[-1]
                if frame[1]:
                    if frame[2] is None:
                        if kind is not ScalarEvent:
                            break
                        frame[2] = event.value
                        continue
                    path, frame[2] = key_path(frame[0], frame[2]), None
                else:
                    path = f"{frame[0]}[{frame[2]}]"
                    frame[2] += 1
            else:
                path = ""
            if path in wanted and path not in found:
                found[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
                if len(found) == len(wanted):
                    break
            if kind is MappingStartEvent:
                frames.append([path, True, None])
            elif kind is SequenceStartEvent:
                frames.append([path, False, 0])
    except yaml.YAMLError:
        pass
    return found


# --- YAML, streamed: the common case without a tree -----------------------------------------------


class _Unusual(Exception):
    """Not a plain, valid native document: the tree path reads it and words the issues, if any."""


def _stream_native_yaml(body: bytes, reader: Reader) -> CellColumns | None:
    """The cells of a valid native YAML document, read straight from libyaml's events, or None.

    Nearly every upload is a `records:` or `days:` document (or a list of records) whose values
    are all valid; building its tree first cost most of the parse time and about 12 times the
    file in memory. Anything else (a real export, a refusal, a parse error, a shape not read
    here) gives None, and the tree path reads the file again: the refusals and their wording
    come from one code path whatever the input.
    """
    try:
        stream = _NativeStream(reader, may_have_properties=b"&" in body or b"!" in body)
        return stream.read(iter(yaml.CSafeLoader(body).get_event, None))
    except (_Unusual, _Slow, LookupError, StopIteration, yaml.YAMLError):
        return None


def _scalar_text(event) -> str:
    """The text of a scalar without anchor or tag (the tree path refuses both)."""
    if event.__class__ is not ScalarEvent or event.anchor or event.tag:
        raise _Unusual
    return event.value


def _scalar_raw(event) -> str:
    """A scalar as the tree path holds it: str when plain, Quoted when quoted or a block."""
    text = _scalar_text(event)
    return Quoted(text) if event.style else text


def _starts(event, kind) -> None:
    """`event` starts a mapping or a list (`kind`) without anchor or tag."""
    if event.__class__ is not kind or event.anchor or event.tag:
        raise _Unusual


def _count(raw) -> int:
    """A count as the tree path takes it at first sight: a plain (str, not Quoted) decimal up to 10^12."""
    if type(raw) is not str or not _is_count_text(raw):
        raise _Unusual
    return int(raw)


def _optional_count(raw) -> int | None:
    return None if raw is None else _count(raw)


class _SmallCounts(dict):
    """Plain count text -> int, kept for texts of up to 4 digits (at most 11 110 of them).

    Small counts recur from cell to cell: a look-up is several times cheaper than checking
    and converting the text again, and the cells share one int object per value.
    """

    __slots__ = ()

    def __missing__(self, text: str) -> int:
        count = _count(text)
        if len(text) <= 4:
            self[text] = count
        return count


class _NativeStream:
    """The native structures of section 1 read from libyaml's events into five cell columns.

    It takes only what the tree path would take at first sight, and raises _Unusual (or lets
    _Slow and LookupError through) at anything else. Cells come in file order; the file is
    usually sorted by (day, profile), which is checked on the way so that sorting (and looking
    for duplicates, which sorting puts side by side) is only needed when it is not.
    """

    def __init__(self, reader: Reader, *, may_have_properties: bool = True):
        self.codes = reader._codes
        self.known_days = reader._days  # shared with the tree path: valid date texts only
        self.new_day = reader.new_day
        # An anchor (&name) or a tag (!...) needs its character in the file: without either, the
        # hot loops skip looking for them on every key and value.
        self.may_have_properties = may_have_properties
        self.small_counts = _SmallCounts()  # only ever looked up with plain (str) texts
        self.columns: tuple[list, list, list, list, list] = ([], [], [], [], [])
        self.in_order = True
        self.last_day, self.last_profile = date.min, ""

    def read(self, events) -> CellColumns:
        events = iter(events)
        if next(events).__class__ is not StreamStartEvent or next(events).__class__ is not DocumentStartEvent:
            raise _Unusual  # an empty stream
        root = next(events)
        if root.__class__ is MappingStartEvent:
            _starts(root, MappingStartEvent)
            self._read_top_level(events)
        else:
            _starts(root, SequenceStartEvent)
            self._read_records(events)
        if next(events).__class__ is not DocumentEndEvent or next(events).__class__ is not StreamEndEvent:
            raise _Unusual  # several documents
        return self._sorted_columns()

    def _read_top_level(self, events) -> None:
        seen = set()
        for key in events:
            if key.__class__ is MappingEndEvent:
                return
            name = _scalar_text(key)
            if name not in _TOP_LEVEL_KEYS or name in seen:
                raise _Unusual
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
                    raise _Unusual
                name = field_names[key.value]
                if name in record:
                    raise _Unusual  # a key twice, or one field under two of its names
                record[name] = Quoted(value.value) if value.style else value.value
            if key.__class__ is not MappingEndEvent:
                raise _Unusual
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
                raise _Unusual  # quoted
            inferences.append(small_counts[text])
            if len(record) == 3:  # no token counts, the common case
                input_tokens.append(None)
                output_tokens.append(None)
            else:
                input_tokens.append(optional_count(record.get("input_tokens")))
                output_tokens.append(optional_count(record.get("output_tokens")))
            days.append(day)
            profiles.append(profile)
        if start.__class__ is not SequenceEndEvent:
            raise _Unusual
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
                name = _DAY_ENTRY_NAMES[_scalar_text(key)]
                value = next(events)
                if name == "date" and day is None:
                    day = self._day(_scalar_text(value))
                elif name == "usages" and day is not None and not usages_read:
                    _starts(value, MappingStartEvent)
                    self._read_usages(day, events)
                    usages_read = True
                else:
                    raise _Unusual  # a field twice, or usages before the date
            if not usages_read:
                raise _Unusual
        raise _Unusual

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
                raise _Unusual
            profile = codes[key.value]
            if profile <= last_profile:
                self.in_order = False
            last_profile = profile
            days.append(day)
            profiles.append(profile)
            if value.__class__ is ScalarEvent:
                if value.style or (may_have_properties and (value.anchor or value.tag)):
                    raise _Unusual
                inferences.append(small_counts[value.value])
                input_tokens.append(None)
                output_tokens.append(None)
            else:
                counts = self._read_counts(value, events)
                inferences.append(counts["inferences"])
                input_tokens.append(counts.get("input_tokens"))
                output_tokens.append(counts.get("output_tokens"))
        if key.__class__ is not MappingEndEvent:
            raise _Unusual
        self.last_profile = last_profile

    def _read_counts(self, start, events) -> dict[str, int]:
        """canonical name -> count of a `{inferences, input_tokens, output_tokens}` usage."""
        _starts(start, MappingStartEvent)
        counts: dict[str, int] = {}
        for key in events:
            if key.__class__ is MappingEndEvent:
                return counts
            name = _COUNT_NAMES[_scalar_text(key)]
            if name in counts:
                raise _Unusual
            counts[name] = _count(_scalar_raw(next(events)))
        raise _Unusual

    def _sorted_columns(self) -> CellColumns:
        columns = self.columns
        if not columns[0]:
            raise _Unusual  # no records: refused as empty
        if not self.in_order:
            keys = list(zip(columns[0], columns[1]))
            order = sorted(range(len(keys)), key=keys.__getitem__)
            if any(keys[first] == keys[second] for first, second in zip(order, order[1:])):
                raise _Unusual  # a (day, profile) twice: the tree path names both places
            columns = tuple([column[index] for index in order] for column in columns)
        return CellColumns(*columns)


# --- JSON -----------------------------------------------------------------------------------------


class _NonFinite(Exception):
    pass


def _refuse_constant(name: str):
    raise _NonFinite(name)


_JSON_STRING_OR_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)')


def _load_json_or_yaml(text: str, body: bytes, issues: Issues, sniffed: bool):
    """(tree, syntax) of a JSON document; a sniffed one that is not JSON gets a chance as YAML."""
    try:
        return _load_json(text, issues), "json"
    except json.JSONDecodeError as exc:
        json_error = {"message": f"not valid JSON: {exc.msg}", "line": exc.lineno, "column": exc.colno}
        if sniffed:
            try:
                return _build_yaml(body, issues), "yaml"
            except yaml.YAMLError:
                pass
        issues.fatal("parse_error", **json_error)


def _load_json(text: str, issues: Issues):
    duplicates: list[tuple[dict, str]] = []

    def unique_keys(pairs: list) -> dict:
        obj = dict(pairs)
        if len(obj) < len(pairs):
            seen: set = set()
            duplicates.append((obj, next(k for k, _ in pairs if k in seen or seen.add(k))))
        return obj

    try:
        tree = json.loads(text, object_pairs_hook=unique_keys, parse_constant=_refuse_constant)
    except _NonFinite as exc:
        match = next(m for m in _JSON_STRING_OR_CONSTANT.finditer(text) if m.group(1))
        line, column = _line_column(text, match.start(1))
        issues.fatal(
            "parse_error", f"{exc.args[0]} is not valid JSON (no NaN or infinity)", line=line, column=column, value=exc.args[0]
        )
    except RecursionError:
        issues.fatal("parse_error", "not valid JSON: nested too deeply")
    for obj, key in duplicates:
        path = _tree_path(tree, obj)
        issues.add("duplicate", f"key {key!r} appears twice in one object", path=key_path(path, key) if path is not None else key)
    return tree


def _tree_path(tree, target) -> str | None:
    """Key path of `target` inside a parsed JSON tree (errors only)."""
    todo = [(tree, "")]
    while todo:
        node, path = todo.pop()
        if node is target:
            return path
        if isinstance(node, dict):
            todo.extend((child, key_path(path, key)) for key, child in node.items())
        elif isinstance(node, list):
            todo.extend((child, f"{path}[{index}]") for index, child in enumerate(node))
    return None


# --- Values and native structures -----------------------------------------------------------------


class Reader:
    """Rules of section 4 for values, and the native structures; exports.py reads real exports with it.

    `plain_text` is True when a `str` is unresolved text (plain YAML scalars, CSV cells) that may
    hold a number, a date or null, and False for JSON, where a string is only ever a string.
    A location `where` is a key path (a str, or a tuple of its keys and indexes, cheaper to make in
    hot loops) or a CSV line (int); `key` is the field name as written.
    """

    MISSING = _MISSING

    def __init__(self, parameters: ParameterSet, issues: Issues, *, syntax: str):
        self.parameters = parameters
        self.profiles = parameters.profiles
        self.issues = issues
        self.use_syntax(syntax)
        # (day, profile) -> (cell, where it was read): one dict operation per cell in hot loops
        self._cells: dict[tuple[date, str], tuple[Cell, str | tuple | int]] = {}
        self._days: dict[str, date] = {}  # date text -> day: most records repeat a few dates
        self._codes = {code: code for code in self.profiles}  # also turns a Quoted code into a plain str
        self._csv_columns: dict[str, int] = {}

    def use_syntax(self, syntax: str) -> None:
        self.syntax = syntax
        self.plain_text = syntax != "json"

    # Locations and refusals

    def place(self, where, key: str | None = None) -> dict:
        if isinstance(where, int):
            return {"line": where, "column": self._csv_columns.get(key), "path": key}
        if where is None:
            return {"path": key}
        if type(where) is tuple:
            where = "".join(f"[{part}]" if type(part) is int else f".{part}" if i else part for i, part in enumerate(where))
        return {"path": key_path(where, key) if key is not None else (where or None)}

    def issue(self, code: str, message: str, where, key: str | None = None, *, value=_MISSING, also=None) -> None:
        extra = {}
        if value is not _MISSING:
            extra["value"] = self.show(value)
        if also is not None:
            first = self.place(also)
            extra["also_path"], extra["also_line"] = first.get("path"), first.get("line")
        self.issues.add(code, message, **self.place(where, key), **extra)

    def show(self, value) -> str | None:
        """The offending value as written, shortened."""
        if value is _MISSING:
            return None
        if type(value) is str and self.plain_text:
            shown = value
        elif isinstance(value, dict):
            shown = "{...}"
        elif isinstance(value, list):
            shown = "[...]"
        else:
            shown = json.dumps(value, ensure_ascii=False)
        return shown if len(shown) <= 80 else shown[:77] + "..."

    def describe(self, value) -> str:
        """What a refused value is, in words."""
        if value is _MISSING:
            return "nothing (the field is missing)"
        kind = type(value)
        if kind is str and self.plain_text:
            return _describe_text(value)
        if kind is bool:
            return "a boolean"
        if kind is int:
            return "a negative number" if value < 0 else "a number above 10^12" if value > MAX_COUNT else "a number"
        if kind is float:
            return "NaN" if value != value else "infinity" if value in (float("inf"), float("-inf")) else "a decimal number"
        if value is None:
            return "null"
        if isinstance(value, dict):
            return "a mapping"
        if isinstance(value, list):
            return "a list"
        return "a quoted string" if kind is Quoted else "a string"

    # Values

    def quick_count(self, raw) -> int:
        """The count, or _Slow when `count` must look closer (hot loops try this first)."""
        if type(raw) is int:
            if 0 <= raw <= MAX_COUNT:
                return raw
        elif type(raw) is str and self.plain_text and _is_count_text(raw):
            return int(raw)
        raise _Slow

    def count(self, raw, where, key: str) -> int | None:
        """An integer 0..MAX_COUNT, or None after an issue."""
        try:
            return self.quick_count(raw)
        except _Slow:
            self.issue("invalid_analytics", f"{key} {_COUNT_RULE}; got {self.describe(raw)}", where, key, value=raw)
            return None

    def new_day(self, raw) -> date:
        """The day of a value not in the date cache, or _Slow when `day` must word an issue."""
        day, _ = self._read_day(raw)
        if day is None:
            raise _Slow
        if isinstance(raw, str):
            self._days[raw] = day  # valid date texts only
        return day

    def day(self, raw, where, key: str) -> date | None:
        """A day from a date, an ISO datetime (its UTC day) or epoch seconds, or None after an issue."""
        try:
            return self._days.get(raw) or self.new_day(raw)
        except (_Slow, TypeError):  # TypeError: not hashable, so not a date either
            self.issue("invalid_analytics", f"{key} {_DATE_RULE}; got {self._read_day(raw)[1]}", where, key, value=raw)
            return None

    def _read_day(self, raw) -> tuple[date | None, str]:
        """(day, "") or (None, what was found instead)."""
        kind, day = type(raw), None
        if isinstance(raw, str):
            day = _text_day(raw)
            if day is None and self.plain_text and _INTEGER_TEXT(raw):
                kind, raw = int, int(raw) if len(raw) < 20 else None
        if kind is int and raw is not None:
            try:
                day = _EPOCH + timedelta(days=raw // 86400)
            except OverflowError:  # before year 1 or after 9999: far out of range either way
                day = None
        if day is not None and FIRST_DAY <= day <= LAST_DAY:
            return day, ""
        if day is not None:
            return None, day.isoformat() + (" (read as epoch seconds)" if kind is int else "")
        if kind is int:
            return None, "epoch seconds far out of range"
        return None, "not a date" if isinstance(raw, str) else self.describe(raw)

    def profile(self, raw, where, key: str | None) -> str | None:
        """A known usage profile code, or None after an issue."""
        if isinstance(raw, str):
            if raw in self._codes:
                return self._codes[raw]
            self.issues.unknown_profile(str(raw), **self.place(where, key))
            return None
        self.issue(
            "invalid_analytics", f"{key} must be a usage profile code; got {self.describe(raw)}", where, key, value=raw
        )
        return None

    def is_null(self, raw) -> bool:
        """Absent, JSON null or a plain YAML null (`~`, `null`, nothing)."""
        return raw is _MISSING or raw is None or (type(raw) is str and self.plain_text and raw in _NULL_TEXT)

    def text(self, raw, where, key: str) -> str | None:
        """Optional free text (names, ids in real exports): None when absent or null."""
        if self.is_null(raw):
            return None
        if isinstance(raw, str):
            return str(raw)
        self.issue("invalid_analytics", f"{key} must be text; got {self.describe(raw)}", where, key, value=raw)
        return None

    def is_true(self, raw) -> bool:
        return raw is True or (type(raw) is str and self.plain_text and raw in _TRUE_TEXT)

    # Native structures (sections 1 and 2)

    def read_native(self, tree) -> None:
        if tree is None:
            return
        if type(tree) is list:
            self.read_records(tree, "")
            return
        if type(tree) is not dict:
            self.issues.fatal(
                "invalid_analytics",
                f"the document must be one mapping (days or records) or one list of records; got {self.describe(tree)}",
                line=1,
                column=1,
            )
        unknown = [key for key in tree if key not in _TOP_LEVEL_KEYS]
        if unknown:
            for key in unknown:
                self.issue("invalid_analytics", f"unknown key; accepted: {', '.join(_TOP_LEVEL_KEYS)}", "", key)
            return
        if not tree.keys() & {"days", "records"}:
            return  # no records: refused as empty
        for key, read in (("days", self.read_days), ("records", self.read_records)):
            section = tree.get(key, _MISSING)
            if section is _MISSING:
                continue
            if type(section) is not list:
                self.issue("invalid_analytics", f"{key} must be a list; got {self.describe(section)}", "", key, value=section)
                continue
            read(section, key)

    def read_records(self, records: list, base: str) -> None:
        """Flat form: one mapping per (day, profile).

        The loop tries the common case inline (canonical names, good values, no duplicate) and hands
        anything else to `_read_record`, which finds and words the issues.
        """
        cells, codes, days = self._cells, self._codes, self._days
        new_day, quick_count, plain = self.new_day, self.quick_count, self.plain_text
        for index, record in enumerate(records):
            try:
                if not record.keys() <= _RECORD_KEYS:
                    raise _Slow
                raw = record["date"]
                day = days.get(raw) or new_day(raw)
                profile = codes[record["profile"]]
                raw = record["inferences"]
                inferences = int(raw) if plain and type(raw) is str and _is_count_text(raw) else quick_count(raw)
                raw = record.get("input_tokens", _MISSING)
                input_tokens = None if raw is _MISSING else quick_count(raw)
                raw = record.get("output_tokens", _MISSING)
                output_tokens = None if raw is _MISSING else quick_count(raw)
                entry = (Cell(day, profile, inferences, input_tokens, output_tokens), (base, index))
                if cells.setdefault((day, profile), entry) is not entry:
                    raise _Slow  # a duplicate
            except (_Slow, LookupError, TypeError, AttributeError):
                self._read_record(record, (base, index))

    def _read_record(self, record, where: tuple) -> None:
        names = self._field_names(record, where, FIELD_NAMES, "a record")
        if names is None:
            return
        issues_before = len(self.issues.items)
        key = names["date"]
        day = self.day(record.get(key, _MISSING), where, key)
        key = names["profile"]
        profile = self.profile(record.get(key, _MISSING), where, key)
        key = names["inferences"]
        inferences = self.count(record.get(key, _MISSING), where, key)
        tokens = []
        for key in (names["input_tokens"], names["output_tokens"]):
            raw = record.get(key, _MISSING)
            tokens.append(None if raw is _MISSING else self.count(raw, where, key))
        if profile is not None and len(self.issues.items) == issues_before:
            self.add_cell(day, profile, inferences, tokens[0], tokens[1], where)

    def read_days(self, days: list, base: str) -> None:
        """Nested form: one mapping per day with its usages per profile."""
        cells, codes = self._cells, self._codes
        quick_count, plain = self.quick_count, self.plain_text
        for index, entry in enumerate(days):
            where = (base, index)
            if type(entry) is dict and entry.keys() == _DATE_AND_USAGES:
                names = _CANONICAL_DAY_ENTRY
            else:
                names = self._field_names(entry, where, _DAY_ENTRY_NAMES, "a day")
                if names is None:
                    continue
            day = self.day(entry.get(names["date"], _MISSING), where, names["date"])
            usages = entry.get("usages", _MISSING)
            if type(usages) is not dict:
                self.issue(
                    "invalid_analytics",
                    f"usages must be a mapping of profile -> count; got {self.describe(usages)}",
                    where,
                    "usages",
                    value=usages,
                )
                continue
            if day is None:
                continue
            for code, usage in usages.items():
                try:  # the common case inline, as in read_records
                    profile = codes[code]
                    inferences = int(usage) if plain and type(usage) is str and _is_count_text(usage) else quick_count(usage)
                    read = (Cell(day, profile, inferences), (base, index, "usages", code))
                    if cells.setdefault((day, profile), read) is not read:
                        raise _Slow  # a duplicate
                except (_Slow, LookupError, TypeError):
                    self._read_usage(day, code, usage, (base, index, "usages", code))

    def _read_usage(self, day: date, code: str, usage, where: tuple) -> None:
        """One `profile: count` or `profile: {inferences, input_tokens, output_tokens}` of a day."""
        issues_before = len(self.issues.items)
        profile = self.profile(code, where[:-1], code)
        tokens = [None, None]
        if type(usage) is dict:
            fields = self._field_names(usage, where, _COUNT_NAMES, "a usage")
            if fields is None:
                return
            inferences = self.count(usage.get(fields["inferences"], _MISSING), where, fields["inferences"])
            for position, name in enumerate(("input_tokens", "output_tokens")):
                raw = usage.get(fields[name], _MISSING)
                if raw is not _MISSING:
                    tokens[position] = self.count(raw, where, fields[name])
        else:
            inferences = self.count(usage, where[:-1], code)
        if profile is not None and len(self.issues.items) == issues_before:
            self.add_cell(day, profile, inferences, tokens[0], tokens[1], where)

    def _field_names(self, mapping, where: str, accepted: dict[str, str], what: str) -> dict[str, str] | None:
        """canonical -> name as written (the canonical name when absent); None after an issue."""
        if type(mapping) is not dict:
            self.issue(
                "invalid_analytics",
                f"{what} must be a mapping with {', '.join(sorted(set(accepted.values())))}; got {self.describe(mapping)}",
                where,
                value=mapping,
            )
            return None
        names: dict[str, str] = {}
        ok = True
        for key in mapping:
            canonical = accepted.get(key)
            if canonical is None:
                self.issue(
                    "invalid_analytics", f"unknown field; accepted: {', '.join(accepted)}", where, key, value=mapping[key]
                )
                ok = False
            elif canonical in names:
                self.issue("invalid_analytics", f"{key} and {names[canonical]} are the same field, given twice", where, key)
                ok = False
            else:
                names[canonical] = key
        if not ok:
            return None
        return {canonical: names.get(canonical, canonical) for canonical in set(accepted.values())}

    def add_cell(self, day: date, profile: str, inferences: int, input_tokens, output_tokens, where) -> None:
        """One (day, profile) of a native format: a second one is refused with both locations."""
        key = (day, profile)
        first = self._cells.get(key)
        if first is not None:
            self.issue("duplicate", f"{day.isoformat()} {profile} is given twice", where, also=first[1])
            return
        self._cells[key] = (Cell(day, profile, inferences, input_tokens, output_tokens), where)

    def sorted_cells(self) -> CellColumns:
        cells = self._cells
        return CellColumns.of(cells[key][0] for key in sorted(cells))

    # CSV (section 2)

    def read_csv(self, text: str) -> None:
        rows = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = next((row for row in rows if any(cell.strip() for cell in row)), None)
            if header is None:
                return
            columns = self._csv_header(header, rows.line_num)
            width = len(header)
            for row in rows:
                line = rows.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != width:
                    self.issues.add(
                        "invalid_analytics",
                        f"expected {width} cells like the header, got {len(row)}",
                        line=line,
                        value=",".join(row)[:80],
                    )
                    continue
                self._csv_row([cell.strip() for cell in row], line, columns)
        except csv.Error as exc:
            self.issues.fatal("parse_error", f"not valid CSV: {exc}", line=rows.line_num)

    def _csv_header(self, header: list[str], line: int) -> dict[str, tuple[int, str]]:
        """canonical -> (index, header as written); unknown, repeated or missing columns are fatal."""
        columns: dict[str, tuple[int, str]] = {}
        for index, cell in enumerate(header):
            name = cell.strip()
            canonical = FIELD_NAMES.get(name.lower())
            if canonical is None:
                self.issues.add(
                    "invalid_analytics",
                    f"unknown column {name!r}; accepted columns: {', '.join(FIELD_NAMES)}",
                    line=line,
                    column=index + 1,
                    value=name,
                )
            elif canonical in columns:
                self.issues.add(
                    "invalid_analytics",
                    f"column {name!r} repeats {columns[canonical][1]!r}",
                    line=line,
                    column=index + 1,
                    value=name,
                )
            else:
                columns[canonical] = (index, name)
                self._csv_columns[name] = index + 1
        missing = [name for name in ("date", "profile", "inferences") if name not in columns]
        if missing:
            self.issues.add("invalid_analytics", f"the header has no {', '.join(missing)} column", line=line)
        if self.issues.items:
            raise _Stop
        return columns

    def _csv_row(self, row: list[str], line: int, columns: dict[str, tuple[int, str]]) -> None:
        issues_before = len(self.issues.items)
        index, name = columns["date"]
        day = self.day(row[index], line, name)
        index, name = columns["profile"]
        profile = self.profile(row[index], line, name)
        index, name = columns["inferences"]
        inferences = self.count(row[index], line, name)
        tokens = []
        for field in ("input_tokens", "output_tokens"):
            index, name = columns.get(field, (None, field))
            tokens.append(self.count(row[index], line, name) if index is not None and row[index] else None)
        if profile is not None and len(self.issues.items) == issues_before:
            self.add_cell(day, profile, inferences, tokens[0], tokens[1], line)


def _describe_text(text: str) -> str:
    """What a plain YAML scalar or CSV cell holds, when it is not an accepted count."""
    if text == "":
        return "an empty value"
    if text in _NULL_TEXT:
        return "null"
    if text in _BOOL_TEXT:
        return "a boolean"
    if text in _NAN_TEXT:
        return "NaN"
    if text in _INF_TEXT:
        return "infinity"
    if _INTEGER_TEXT(text):
        if text.startswith("-") and text.strip("-0"):
            return "a negative number"
        if text[0] in "+-":
            return "a signed number"
        if len(text) > 1 and text[0] == "0":
            return "a number with leading zeros (YAML 1.1 reads them as octal)"
        return "a number above 10^12"
    if _FLOAT_TEXT(text):
        return "a decimal number"
    return "text"


def _text_day(text: str) -> date | None:
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
