"""Excel workbooks built in memory for the tests of every path that reads them (parser, API, pages)."""

from __future__ import annotations

import io
import zipfile

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


SHEET_XML = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def replaced_sheet(xml: bytes) -> bytes:
    """A good workbook whose first sheet's XML is replaced (cells as a program other than openpyxl may write them)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook(["date", "profile", "inferences"], ["2025-01-01", "chatbot", 1]))) as good, \
            zipfile.ZipFile(buffer, "w") as changed:
        for member in good.infolist():
            changed.writestr(member, xml if member.filename == "xl/worksheets/sheet1.xml" else good.read(member.filename))
    return buffer.getvalue()
