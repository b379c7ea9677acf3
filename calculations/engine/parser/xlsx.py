"""Excel workbooks (.xlsx) read from memory: the sheet named `analytics`, else the first, with the CSV's columns.

Decisions where the spec is silent:

- The workbook is opened from the upload's bytes (openpyxl, read-only, values not formulas): it is
  never written to disk. A workbook is a zip: before anything is inflated, the sizes its central
  directory declares are added up, and a workbook that would unpack to more than the upload cap is
  refused (code "too_large"), so that a small, highly compressed file cannot fill the memory.
- The first non-empty row is the header, with the CSV's column names (trimmed, case-insensitive);
  empty rows are skipped; a value right of the header's columns is refused.
- Dates: a real Excel date (a date-formatted cell) or ISO text; an unformatted number in the date
  column is read as epoch seconds, as in CSV. Counts: whole numbers (1250 or 1250.0), or text
  holding one, as in CSV; an empty token cell means "not given".
- Refusals name the sheet, the row and the column letter (`analytics!C3`), and give the row as the
  line and the column's number as the column.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from io import BytesIO

from openpyxl import load_workbook

from ..messages import Message, gettext_noop
from .csv_rows import CsvRowReader
from .issues import StopReading

SHEET_NAME = "analytics"
ZIP_MAGIC = b"PK\x03\x04"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # the default upload cap (settings.ANALYTICS_MAX_UPLOAD_BYTES)
NOT_A_WORKBOOK = gettext_noop("not a valid .xlsx workbook: {detail}")


def is_workbook(data: bytes) -> bool:
    return data.startswith(ZIP_MAGIC)


def column_letter(number: int) -> str:
    """A, B, ..., Z, AA, ... for column 1, 2, ..., 26, 27, ..."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class XlsxReader(CsvRowReader):
    """A `CsvRowReader` whose rows come from a worksheet; places issues at sheet!cell."""

    sheet = ""

    def place(self, where, key: str | None = None) -> dict:
        if not isinstance(where, int):
            return super().place(where, key)
        column = self.column_numbers.get(key) if key is not None else None
        cell = f"{column_letter(column)}{where}" if column else f"row {where}"
        return {"line": where, "column": column, "path": f"{self.sheet_reference()}!{cell}"}

    def cell_place(self, line: int, column: int) -> dict:
        return {"line": line, "column": column, "path": f"{self.sheet_reference()}!{column_letter(column)}{line}"}

    def sheet_reference(self) -> str:
        """The sheet's name as Excel writes it in a reference: quoted unless a plain word."""
        name = self.sheet
        return name if name.replace("_", "").isalnum() else "'" + name.replace("'", "''") + "'"

    def read_workbook(self, data: bytes, max_unpacked_bytes: int) -> None:
        _check_unpacked_size(data, max_unpacked_bytes, self)
        try:
            workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 -- openpyxl raises many kinds on a damaged workbook
            self.issues.fatal("parse_error", Message(NOT_A_WORKBOOK, detail=str(exc)))
        try:
            sheet = workbook[SHEET_NAME] if SHEET_NAME in workbook.sheetnames else workbook.worksheets[0]
            self.sheet = sheet.title
            self._read_rows(sheet.iter_rows(values_only=True))
        except StopReading:
            raise
        except Exception as exc:  # noqa: BLE001 -- a damaged sheet fails while its rows are read
            detail = f"{type(exc).__name__}: {exc}"[: 300 - len(NOT_A_WORKBOOK.format(detail=""))]  # the message within 300 characters
            self.issues.fatal("parse_error", Message(NOT_A_WORKBOOK, detail=detail))
        finally:
            workbook.close()

    def _read_rows(self, rows) -> None:
        columns, width = None, 0
        for line, row in enumerate(rows, start=1):
            cells = [_cell_text(value) for value in row]
            if not any(cell != "" for cell in cells):
                continue
            if columns is None:
                width = max(index for index, cell in enumerate(cells) if cell != "") + 1
                columns = self.read_header(cells[:width], line)
                continue
            extra = next((index for index, cell in enumerate(cells[width:], start=width) if cell != ""), None)
            if extra is not None:
                self.issues.add(
                    "invalid_analytics",
                    Message(gettext_noop("a value right of the header's {width} columns"), width=width),
                    **self.cell_place(line, extra + 1),
                    value=str(row[extra])[:80],
                )
                continue
            self.read_row([_cell_value(value) for value in row[:width]] + [""] * (width - len(row)), line, columns)


def _check_unpacked_size(data: bytes, max_unpacked_bytes: int, reader: XlsxReader) -> None:
    """Refuses a workbook whose zip directory declares more than the cap, before inflating anything."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        reader.issues.fatal("parse_error", Message(gettext_noop("not a valid .xlsx workbook (a zip file): {detail}"), detail=str(exc)))
        return
    if unpacked > max_unpacked_bytes:
        reader.issues.fatal(
            "too_large",
            Message(gettext_noop("the workbook unpacks to {unpacked:,} bytes, more than the limit of {limit:,}: "
                                 "send fewer rows or a CSV"), unpacked=unpacked, limit=max_unpacked_bytes),
        )


def _cell_value(value):
    """A worksheet value as the CSV reader's rules take it: text trimmed, whole floats as int, dates as ISO text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if type(value) is float and value.is_integer():
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat() if value.time() != time() else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _cell_text(value) -> str:
    """A header cell (or a test for an empty row) as text."""
    return "" if value is None else str(value).strip()

