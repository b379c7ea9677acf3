"""CSV as office tools save it: `;` or tab separators, a BOM, CRLF line ends, decimal commas."""

from __future__ import annotations

from datetime import date

import pytest

from calculations.engine.parser.csv_columns import read_csv_columns
from calculations.engine.parser.csv_rows import CsvRowReader, csv_separator
from calculations.engine.parser.registry import choose_syntax

FRENCH_EXCEL = "\ufeffdate;profile;inferences\r\n2025-01-01;chatbot;1250\r\n2025-01-02;completion;75\r\n"


def test_french_excel_csv_is_read(parse):
    analytics = parse(FRENCH_EXCEL.encode("utf-8"), filename="analytics.csv")
    assert analytics.format == "csv"
    assert [(cell.day, cell.profile, cell.inferences) for cell in analytics.cells] == [
        (date(2025, 1, 1), "chatbot", 1250), (date(2025, 1, 2), "completion", 75)]


def test_french_excel_csv_is_sniffed_without_name_or_type():
    assert choose_syntax(FRENCH_EXCEL.encode("utf-8"), None, None) == ("csv", True)


def test_tab_separated_csv_is_read(parse):
    analytics = parse(b"date\tprofile\tinferences\tinput_tokens\n2025-01-01\tchatbot\t7\t90\n", content_type="text/csv")
    assert (analytics.cells.inferences, analytics.cells.input_tokens) == ([7], [90])


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_fast_path_reads_each_separator(parameters, separator):
    text = separator.join(["date", "profile", "inferences"]) + "\n" + separator.join(["2025-01-01", "chatbot", "3"]) + "\n"
    assert read_csv_columns(text, parameters, separator).inferences == [3]


def test_decimal_comma_in_a_count_is_named(refuse):
    issue = refuse(b"date;profile;inferences\r\n2025-01-01;chatbot;1,5\r\n", content_type="text/csv").issues[0]
    assert (issue.line, issue.column, issue.value) == (2, 3, "1,5")
    assert "got a decimal number with a decimal comma" in issue.message


def test_decimal_comma_refusal_is_worded_by_the_row_reader_not_lost_by_the_fast_path(parameters):
    assert read_csv_columns("date;profile;inferences\n2025-01-01;chatbot;1,5\n", parameters, ";") is None


def test_separator_is_the_one_that_names_the_most_columns():
    assert csv_separator("date;profile;inferences\n") == ";"
    assert csv_separator("date,profile;x,inferences\n") == ","
    assert csv_separator("\n\ndate\tprofile\tinferences\n") == "\t"


def test_a_comma_is_assumed_when_the_header_tells_nothing():
    assert csv_separator("date\n2025-01-01\n") == ","


def test_unknown_column_with_semicolons_is_still_named_one_by_one(refuse):
    issue = refuse(b"date;profil;inferences\n2025-01-01;chatbot;1\n", content_type="text/csv").issues[0]
    assert "unknown column 'profil'" in issue.message
    assert issue.column == 2


def test_separator_is_found_after_many_blank_lines():
    assert csv_separator("\n" * 5000 + "date;profile;inferences\n2025-01-01;chatbot;1\n") == ";"


def test_the_separator_is_found_after_blank_lines_in_a_long_file():
    text = "\n" * 3 + "date;profile;inferences\n" + "2025-01-01;chatbot;1\n" * 5000
    assert csv_separator(text) == ";"


def test_the_separator_is_found_on_the_last_whole_line_of_the_second_look():
    """The header is the last whole line in the first 64 KiB (the next line is cut there): it still decides."""
    header = "date;profile;inferences\n"
    text = "\n" * (65536 - len(header) - 10) + header + "2025-01-01;chatbot;1\n" * 10
    assert csv_separator(text) == ";"


def test_a_quoted_semicolon_csv_is_read_whole_columns_at_a_time(parameters):
    text = '"date";"profile";"inferences"\n"2025-01-01";"chatbot";"5"\n'
    assert read_csv_columns(text, parameters, ";").inferences == [5]


def test_a_plainly_valid_semicolon_csv_is_read_without_the_row_reader(parse, monkeypatch):
    def row_by_row(*args):
        raise AssertionError("read row by row")

    monkeypatch.setattr(CsvRowReader, "read_csv", row_by_row)
    assert parse("date;profile;inferences\n2025-01-01;chatbot;5\n", content_type="text/csv").cells.inferences == [5]


def test_a_csv_read_row_by_row_is_csv_too(parse):
    """A cached_input_tokens column is checked row by row: the format is still csv."""
    analytics = parse("date,profile,inferences,input_tokens,cached_input_tokens\n2025-01-01,chatbot,5,10,4\n")
    assert analytics.format == "csv"


def test_a_header_with_a_date_column_alone_among_unknown_ones_still_gives_its_separator():
    assert csv_separator("date;comment\n2025-01-01;x\n") == ";"


def test_a_header_without_a_date_column_gives_no_separator():
    assert choose_syntax(b"profile;inferences\nchatbot;5\n", None, None) == ("yaml", True)
    assert csv_separator("profile;inferences\nchatbot;5\n") == ","


def test_a_comma_wins_a_tie_between_separators():
    """`,` splits this header into (None, date), `;` into (date, None): one known name each."""
    assert csv_separator("date;day,date\n") == ","


def test_a_refused_date_is_placed_at_its_line_and_column(refuse):
    issue = refuse("profile,date,inferences\nchatbot,2025-01-01,1\nchatbot,2025-02-30,1\n").issues[0]
    assert (issue.line, issue.column, issue.path, issue.value) == (3, 2, "date", "2025-02-30")
    assert issue.message == ("date must be a real calendar date between 2000-01-01 and 2100-12-31 (YYYY-MM-DD, an ISO "
                             "datetime or integer epoch seconds); got not a date")
