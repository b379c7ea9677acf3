"""Excel workbooks read from memory (calculations/engine/parser/xlsx.py); workbooks made here with openpyxl."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculations.engine.analytics import Analytics, AnalyticsError
from calculations.engine.parser import parse_analytics
from calculations.engine.parser.registry import choose_syntax
from calculations.engine.parser.xlsx import column_letter
from xlsx_testing import replaced_sheet, workbook

HEADER = ["date", "profile", "inferences", "input_tokens", "output_tokens"]



def test_workbook_is_read_with_the_csv_columns(parse):
    data = workbook(HEADER, ["2025-01-01", "chatbot", 1250, None, None], ["2025-01-01", "completion", 75, 9000, 0])
    analytics = parse(data)
    assert analytics.format == "xlsx"
    assert list(analytics.cells.columns()) == [
        [date(2025, 1, 1)] * 2, ["chatbot", "completion"], [1250, 75], [None, 9000], [None, 0]]


def test_workbook_is_sniffed_from_its_zip_magic_whatever_its_name():
    assert choose_syntax(workbook(HEADER), "analytics.csv", "text/csv") == ("xlsx", True)


def test_real_excel_dates_give_their_day(parse):
    data = workbook(["Date", "Profile", "Inferences"], [datetime(2025, 3, 1), "chatbot", 5],
                    [datetime(2025, 3, 2, 23, 30), "chatbot", 6], [date(2025, 3, 3), "chatbot", 7])
    assert parse(data).cells.days == [date(2025, 3, 1), date(2025, 3, 2), date(2025, 3, 3)]


def test_whole_numbers_stored_as_floats_are_counts(parse):
    assert parse(workbook(HEADER[:3], ["2025-01-01", "chatbot", 1250.0])).cells.inferences == [1250]


def test_sheet_named_analytics_is_read_before_the_first(parse):
    data = workbook(HEADER[:3], ["2025-01-01", "chatbot", 3], before="cover")
    assert parse(data).cells.inferences == [3]


def test_first_sheet_is_read_when_none_is_named_analytics(parse):
    assert parse(workbook(HEADER[:3], ["2025-01-01", "chatbot", 4], title="Feuil1")).cells.inferences == [4]


def test_empty_rows_are_skipped(parse):
    assert parse(workbook([], HEADER[:3], [], ["2025-01-01", "chatbot", 4])).cells.inferences == [4]


def test_decimal_count_is_refused_at_its_sheet_row_and_column_letter(refuse):
    issue = refuse(workbook(HEADER[:3], ["2025-01-01", "chatbot", 1.5], title="Usage 2025")).issues[0]
    assert (issue.path, issue.line, issue.column) == ("'Usage 2025'!C2", 2, 3)
    assert "got a decimal number" in issue.message


def test_unknown_profile_is_refused_at_its_cell(refuse):
    issue = refuse(workbook(HEADER[:3], ["2025-01-01", "chatbot", 1], ["2025-01-02", "nope", 1])).issues[0]
    assert issue.path == "analytics!B3"


def test_unknown_column_is_refused_at_its_header_cell(refuse):
    issue = refuse(workbook(["date", "profile", "inferences", "cost"], ["2025-01-01", "chatbot", 1, 2])).issues[0]
    assert issue.path == "analytics!D1"
    assert "unknown column 'cost'" in issue.message


def test_value_right_of_the_header_is_refused(refuse):
    issue = refuse(workbook(HEADER[:3], ["2025-01-01", "chatbot", 1, "stray"])).issues[0]
    assert issue.path == "analytics!D2"


def test_boolean_count_is_refused(refuse):
    assert "got a boolean" in refuse(workbook(HEADER[:3], ["2025-01-01", "chatbot", True])).issues[0].message


def test_damaged_workbook_is_a_parse_error(refuse):
    error = refuse(workbook(HEADER[:3])[:200])
    assert error.code == "parse_error"
    assert "not a valid .xlsx workbook" in error.issues[0].message


def test_workbook_with_a_truncated_sheet_is_a_parse_error(refuse):
    error = refuse(replaced_sheet(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row><c'))
    assert error.code == "parse_error"


def test_workbook_without_rows_is_empty(refuse):
    assert refuse(workbook(HEADER[:3])).code == "empty"


@pytest.mark.parametrize(("number", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (702, "ZZ"), (703, "AAA")])
def test_column_letters_are_excel_s(number, letters):
    assert column_letter(number) == letters


def zip_bomb(unpacked_bytes: int) -> bytes:
    """A workbook whose sheet declares `unpacked_bytes` of highly compressible XML (a few kB once packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook(HEADER[:3], ["2025-01-01", "chatbot", 1]))) as good, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for member in good.infolist():
            if member.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(member, good.read(member.filename))
        with bomb.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b" " * (1 << 20)
            for _ in range(unpacked_bytes // len(chunk)):
                sheet.write(chunk)
    return buffer.getvalue()


def test_workbook_unpacking_beyond_the_cap_is_refused_before_inflating(refuse):
    data = zip_bomb(64 << 20)
    assert len(data) < 1 << 20
    tracemalloc.start()
    try:
        error = refuse(data, max_unpacked_bytes=8 << 20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code == "too_large"
    assert "unpacks to 67,1" in error.issues[0].message
    assert peak < 2 << 20  # nothing of the 64 MB was inflated


GOOD_WORKBOOK = workbook(HEADER[:3], ["2025-01-01", "chatbot", 1], ["2025-01-02", "chatbot", 2])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(st.integers(0, len(GOOD_WORKBOOK) - 1), st.integers(0, 255)), min_size=1, max_size=4),
       cut=st.integers(0, len(GOOD_WORKBOOK)))
def test_damaged_workbook_gives_analytics_or_an_analytics_error(parameters, changes, cut):
    data = bytearray(GOOD_WORKBOOK)
    for position, byte in changes:
        data[position] = byte
    try:
        outcome = parse_analytics(bytes(data[:cut] if cut > 4 else data), parameters)
    except AnalyticsError as error:
        assert error.issues
    else:
        assert isinstance(outcome, Analytics)
