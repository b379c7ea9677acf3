"""Workbook refusals (analytics-format.md 3.1): the exact message, the sheet!cell, and the cap's bounds."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from xlsx_testing import SHEET_XML, replaced_sheet, workbook

HEADER = ["date", "profile", "inferences"]


def unpacked_size(data: bytes) -> int:
    """What a workbook's zip directory says it unpacks to."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(member.file_size for member in archive.infolist())


def test_each_row_with_a_value_right_of_the_header_is_refused_at_that_cell(refuse):
    error = refuse(workbook(HEADER, ["2025-01-01", "chatbot", 1, None, "stray"], ["2025-01-02", "chatbot", 1, 7]))
    assert error.code == "invalid_analytics"
    assert [(i.line, i.column, i.path, i.value, i.message) for i in error.issues] == [
        (2, 5, "analytics!E2", "stray", "a value right of the header's 3 columns"),
        (3, 4, "analytics!D3", "7", "a value right of the header's 3 columns")]


def test_a_row_shorter_than_the_header_reads_its_missing_token_cells_as_not_given(parse):
    data = workbook(["date", "profile", "inferences", "input_tokens", "output_tokens"], ["2025-01-01", "chatbot", 4, None, None],
                    ["2025-01-02", "chatbot", 5])
    cells = parse(data).cells
    assert (cells.inferences, cells.input_tokens, cells.output_tokens) == ([4, 5], [None, None], [None, None])


def test_a_duplicate_row_is_refused_at_its_row(refuse):
    issue = refuse(workbook(HEADER, ["2025-01-01", "chatbot", 1], ["2025-01-01", "chatbot", 2])).issues[0]
    assert (issue.line, issue.column, issue.path) == (3, None, "analytics!row 3")
    assert issue.message == "2025-01-01 chatbot is given twice (first at line 2, analytics!row 2)"


def test_a_sheet_name_with_an_underscore_is_written_plain(refuse):
    issue = refuse(workbook(HEADER, ["2025-01-01", "nope", 1], title="usage_2025")).issues[0]
    assert issue.path == "usage_2025!B2"


def test_a_sheet_name_with_a_quote_is_quoted_with_the_quote_doubled(refuse):
    issue = refuse(workbook(HEADER, ["2025-01-01", "nope", 1], title="Bob's")).issues[0]
    assert issue.path == "'Bob''s'!B2"


def test_a_date_time_cell_is_shown_with_its_time_when_refused(refuse):
    error = refuse(workbook(HEADER, [datetime(1999, 12, 31, 12, 30), "chatbot", 1], [datetime(1999, 12, 30), "chatbot", 1]))
    assert [issue.value for issue in error.issues] == ["1999-12-31T12:30:00", "1999-12-30"]


def test_a_workbook_unpacking_to_exactly_the_cap_is_read_and_one_byte_more_is_refused(parse, refuse):
    data = workbook(HEADER, ["2025-01-01", "chatbot", 1])
    size = unpacked_size(data)
    assert parse(data, max_unpacked_bytes=size).cells.inferences == [1]
    error = refuse(data, max_unpacked_bytes=size - 1)
    assert error.code == "too_large"
    assert error.issues[0].message == (f"the workbook unpacks to {size:,} bytes, more than the limit of {size - 1:,}: "
                                       "send fewer rows or a CSV")


def test_bytes_that_start_as_a_zip_but_are_none_are_refused_saying_so(refuse):
    error = refuse(b"PK\x03\x04 not really a zip file")
    assert error.code == "parse_error"
    assert error.issues[0].message == "not a valid .xlsx workbook (a zip file): File is not a zip file"


def test_a_formula_is_read_as_its_saved_value_not_its_text(refuse):
    """A workbook saved by a program that does not compute formulas holds no value for them: the cell is empty."""
    issue = refuse(workbook(HEADER, ["2025-01-01", "chatbot", "=1+1"])).issues[0]
    assert issue.path == "analytics!C2" and issue.message.endswith("; got an empty value")


def cells_xml(*rows: list[str]) -> bytes:
    """A sheet's XML with each row's cells as given (`<c .../>` elements), rows numbered from 1."""
    body = "".join(f'<row r="{number}">{"".join(row)}</row>' for number, row in enumerate(rows, start=1))
    return SHEET_XML + f"<sheetData>{body}</sheetData></worksheet>".encode()


def text_cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def date_cell(text: str) -> bytes:
    return replaced_sheet(cells_xml([f'<c r="A1" t="d"><v>{text}</v></c>']))


def test_a_sheet_that_fails_while_its_rows_are_read_is_refused_with_the_error(refuse):
    error = refuse(date_cell("xxxxx"))
    assert error.code == "parse_error"
    assert [(i.line, i.column, i.path, i.value, i.message) for i in error.issues] == [
        (None, None, None, None, "not a valid .xlsx workbook: ValueError: Invalid datetime value xxxxx")]


def test_a_sheet_error_is_cut_to_keep_the_message_within_300_characters(refuse):
    message = refuse(date_cell("x" * 400)).issues[0].message
    start = "not a valid .xlsx workbook: ValueError: Invalid datetime value "
    assert message == start + "x" * (300 - len(start))


def test_a_long_value_right_of_the_header_is_shown_by_its_first_80_characters(refuse):
    issue = refuse(workbook(HEADER, ["2025-01-01", "chatbot", 1, "y" * 100])).issues[0]
    assert (issue.path, issue.value) == ("analytics!D2", "y" * 80)


def test_a_whole_count_stored_as_a_decimal_number_is_read_as_that_count(parse):
    header = [text_cell("A1", "date"), text_cell("B1", "profile"), text_cell("C1", "inferences")]
    row = [text_cell("A2", "2025-01-01"), text_cell("B2", "chatbot"), '<c r="C2"><v>1250.0</v></c>']
    cells = parse(replaced_sheet(cells_xml(header, row))).cells
    assert cells.inferences == [1250] and type(cells.inferences[0]) is int


def test_a_workbook_that_fails_to_open_is_refused_with_the_error(refuse):
    error = refuse(replaced_sheet(SHEET_XML + b"<sheetData><row><c"))
    assert error.code == "parse_error"
    assert [(i.line, i.column, i.path, i.value, i.message) for i in error.issues] == [
        (None, None, None, None, "not a valid .xlsx workbook: unclosed token: line 1, column 93")]
