"""Which reader reads an upload: the syntax from its declared type, name or bytes, then the format from its content.

Decisions where the spec is silent:

- Syntax: bytes that start as a zip file (`PK\\x03\\x04`) are an Excel workbook whatever they are
  called. Otherwise a known content type wins (application/yaml, application/x-yaml, text/yaml,
  text/x-yaml, application/json, text/csv, the .xlsx type); any other content type (multipart/...,
  application/octet-stream, text/plain, none) falls back to the file extension (.yaml, .yml,
  .json, .csv, .xlsx), then to sniffing. Sniffing picks JSON when the first non-blank character is
  `{` or `[`, CSV when the first non-blank line has a separator (`,`, `;`, tab) and a date column,
  otherwise YAML.
- Format: a document tree (YAML or JSON) is a real export when one of DOCUMENT_FORMATS
  recognises it (section 5), else the native structures (sections 1 and 2).

A new syntax is one reader module and one entry in SYNTAX_READERS (with its content types and
extensions); a new real export is one module and one entry in DOCUMENT_FORMATS.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath
from typing import NamedTuple

from ..analytics import Cell, CellColumns, ProfileMapping
from ..parameters import ParameterSet
from . import anthropic, fluidtopics, openai, xlsx
from .csv_columns import read_csv_columns
from .csv_rows import CsvRowReader, csv_separator, header_separator
from .encoding import sniff_text, text_of, without_bom
from .issues import Issues, Locate
from .json_tree import load_json_or_yaml
from .native import NativeReader
from .reader import Reader
from .yaml_lines import read_yaml_lines
from .yaml_stream import stream_native_yaml
from .yaml_tree import load_yaml, locate_yaml

# Declared content types the parser knows, and the syntax each announces.
CONTENT_TYPES = {
    "application/yaml": "yaml",
    "application/x-yaml": "yaml",
    "text/yaml": "yaml",
    "text/x-yaml": "yaml",
    "application/json": "json",
    "text/csv": "csv",
    xlsx.CONTENT_TYPE: "xlsx",
}
EXTENSIONS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".csv": "csv", ".xlsx": "xlsx"}
TEXT_SYNTAXES = frozenset({"yaml", "json", "csv"})  # checked as UTF-8 before they are read

Read = tuple[str, list[Cell] | CellColumns, list[ProfileMapping]]  # (format, cells, mappings)


class DocumentFormat(NamedTuple):
    """A real export recognised from a document tree, and how to read it."""

    recognises: Callable[[object], bool]
    read: Callable[[object, Reader, "str | None"], Read]


DOCUMENT_FORMATS = (
    DocumentFormat(openai.is_openai_usage, openai.read_document),
    DocumentFormat(anthropic.is_anthropic_usage, anthropic.read_document),
    DocumentFormat(fluidtopics.is_fluidtopics_activity, fluidtopics.read_document),
)


class Upload(NamedTuple):
    """An upload that passed the encoding check, and what the registry knows of it."""

    data: bytes
    sniffed: bool  # the syntax was sniffed from the bytes, not declared
    profile: str | None  # the `profile` option
    max_unpacked_bytes: int  # the most a workbook may unpack to


def choose_syntax(data: bytes, filename: str | None, content_type: str | None) -> tuple[str, bool]:
    """(syntax, sniffed): a workbook's magic bytes, else the declared content type, else the file extension, else a sniff."""
    if xlsx.is_workbook(data):
        return "xlsx", True
    declared = CONTENT_TYPES.get((content_type or "").split(";")[0].strip().lower())
    if declared:
        return declared, False
    if filename:
        by_extension = EXTENSIONS.get(PurePosixPath(filename.replace("\\", "/")).suffix.lower())
        if by_extension:
            return by_extension, False
    start = sniff_text(data).lstrip()
    if start[:1] in ("{", "["):
        return "json", True
    if header_separator(start.split("\n", 1)[0]) is not None:
        return "csv", True
    return "yaml", True


class SyntaxReader(NamedTuple):
    """How one syntax is read: the Reader it needs, and the function that reads an upload with it."""

    reader: type[Reader]
    read: Callable[[Upload, Reader], Read]
    locate: Callable[[Upload], "Locate | None"] = lambda upload: None  # key paths -> line/column, for errors


def read_document(tree, reader: NativeReader, profile: str | None) -> Read:
    """Dispatch a document tree on content: a real export (section 5) or the native structures."""
    for document_format in DOCUMENT_FORMATS:
        if document_format.recognises(tree):
            return document_format.read(tree, reader, profile)
    reader.read_native(tree)
    return reader.syntax, reader.sorted_cells(), []


def _read_csv(upload: Upload, reader: CsvRowReader) -> Read:
    text = text_of(upload.data)
    separator = csv_separator(text)
    cells = read_csv_columns(text, reader.parameters, separator)  # None: not plainly valid, read row by row
    if cells is not None:
        return "csv", cells, []
    reader.read_csv(text, separator)
    return "csv", reader.sorted_cells(), []


def _read_xlsx(upload: Upload, reader: xlsx.XlsxReader) -> Read:
    reader.read_workbook(upload.data, upload.max_unpacked_bytes)
    return "xlsx", reader.sorted_cells(), []


def _read_json(upload: Upload, reader: NativeReader) -> Read:
    tree, syntax = load_json_or_yaml(text_of(upload.data), without_bom(upload.data), reader.issues, upload.sniffed)
    reader.use_syntax(syntax)
    return read_document(tree, reader, upload.profile)


def _read_yaml(upload: Upload, reader: NativeReader) -> Read:
    # The common layouts by their lines, else libyaml's events (which skip a BOM as without_bom
    # does), else the tree, which words the refusals.
    cells = read_yaml_lines(upload.data, reader)
    if cells is None:
        cells = stream_native_yaml(upload.data, reader)
    if cells is not None:
        return "yaml", cells, []
    return read_document(load_yaml(without_bom(upload.data), reader.issues), reader, upload.profile)


def _yaml_locator(upload: Upload) -> Locate:
    body = without_bom(upload.data)
    return lambda paths: locate_yaml(body, paths)


SYNTAX_READERS = {
    "csv": SyntaxReader(CsvRowReader, _read_csv),
    "json": SyntaxReader(NativeReader, _read_json),
    "yaml": SyntaxReader(NativeReader, _read_yaml, _yaml_locator),
    "xlsx": SyntaxReader(xlsx.XlsxReader, _read_xlsx),
}


def syntax_reader(syntax: str, parameters: ParameterSet, issues: Issues) -> tuple[SyntaxReader, Reader]:
    entry = SYNTAX_READERS[syntax]
    return entry, entry.reader(parameters, issues, syntax=syntax)


def locator(upload: Upload, reader: Reader) -> Locate | None:
    """How to place issues known by key path only, in the syntax the reader ended with (sniffed JSON may be YAML)."""
    return SYNTAX_READERS[reader.syntax].locate(upload)
