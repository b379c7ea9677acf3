"""Excel workbooks built in memory for the tests of every path that reads them (parser, API, pages)."""

from __future__ import annotations

import io

from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(*rows, title: str = "analytics", before: str | None = None) -> bytes:
    """A workbook whose sheet `title` holds the rows; `before` names an empty sheet put first."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    if before is not None:
        book.create_sheet(before, 0)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
