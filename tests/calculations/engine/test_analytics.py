"""What the parser hands the engine (calculations/engine/analytics.py): cells as columns, the upload's
summary, and the refusals as a user reads them."""

from __future__ import annotations

from datetime import date

import pytest

from calculations.engine.analytics import (
    Analytics,
    AnalyticsError,
    AnalyticsIssue,
    Cell,
    CellColumns,
    key_path,
)

D1, D2, D3 = date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 3)
CELLS = [Cell(D1, "chatbot", 12), Cell(D1, "summary", 3, 4500, 900, 1000), Cell(D3, "chatbot", 0, 10, 20)]


def test_columns_keep_the_cells_in_the_caller_s_order_and_give_them_back():
    columns = CellColumns.of(CELLS[::-1])
    assert columns.all_columns() == ([D3, D1, D1], ["chatbot", "summary", "chatbot"], [0, 3, 12], [10, 4500, None],
                                     [20, 900, None], [None, 1000, None])
    assert columns.columns() == columns.all_columns()[:5]
    assert list(columns) == CELLS[::-1] and len(columns) == 3


def test_columns_of_columns_are_the_same_object():
    columns = CellColumns.of(CELLS)
    assert CellColumns.of(columns) is columns


def test_a_cell_and_a_slice_of_columns_read_back_as_cells():
    columns = CellColumns.of(CELLS)
    assert (columns[1], columns[-1]) == (CELLS[1], CELLS[2])
    assert columns[1:] == CELLS[1:] and isinstance(columns[1:], CellColumns)


def test_columns_without_cached_tokens_hold_none_for_each_cell():
    columns = CellColumns([D1, D2], ["a", "b"], [1, 2], [None, None], [None, None])
    assert columns.cached_input_tokens == [None, None] and not columns.has_cached_input_tokens()
    assert CellColumns.of(CELLS).has_cached_input_tokens()


@pytest.mark.parametrize("short", range(6))
def test_columns_of_different_lengths_are_refused(short):
    columns = [[D1, D2], ["a", "b"], [1, 2], [None, None], [None, None], [None, None]]
    columns[short] = columns[short][:1]
    with pytest.raises(ValueError, match="^cell columns differ in length$"):
        CellColumns(*columns)


def test_columns_equal_columns_or_a_list_of_the_same_cells_only():
    columns = CellColumns.of(CELLS)
    assert columns == CellColumns.of(CELLS) and columns == CELLS
    assert columns != CellColumns.of(CELLS[:2]) and columns != CELLS[:2]
    assert columns.__eq__("cells") is NotImplemented
    assert repr(columns) == "CellColumns(3 cells)"


def test_the_analytics_give_their_first_and_last_day_and_distinct_days():
    analytics = Analytics(cells=CELLS, format="yaml", sha256="0" * 64, size_bytes=10)
    assert (analytics.first_day, analytics.last_day, analytics.days) == (D1, D3, 2)
    assert isinstance(analytics.cells, CellColumns)
    assert (analytics.mappings, analytics.inferences_reported, analytics.generic_models) == ([], True, [])


def test_analytics_without_cells_have_no_first_or_last_day():
    analytics = Analytics(cells=[], format="csv", sha256="0" * 64, size_bytes=0)
    assert (analytics.first_day, analytics.last_day, analytics.days) == (None, None, 0)


def test_a_key_path_joins_with_a_dot_under_a_path_and_stands_alone_at_the_top():
    assert (key_path("days.3", "profiles"), key_path("", "records")) == ("days.3.profiles", "records")


@pytest.mark.parametrize(("issue", "text"), [
    (AnalyticsIssue("must be a number", line=4, column=7, path="days.3.inferences", value="'x'"),
     "line 4, column 7; days.3.inferences: must be a number (got 'x')"),
    (AnalyticsIssue("must be a number", line=4), "line 4: must be a number"),
    (AnalyticsIssue("must be a number", path="records"), "records: must be a number"),
    (AnalyticsIssue("the file holds no usage records"), "the file holds no usage records"),
    (AnalyticsIssue("bad", value=""), "bad (got )"),
    (AnalyticsIssue("bad", line=0, column=0), "line 0, column 0: bad"),
])
def test_an_issue_reads_where_it_is_what_was_found_and_the_rule(issue, text):
    assert str(issue) == text


def test_an_issue_s_document_holds_every_field():
    issue = AnalyticsIssue("must be a number", line=4, column=7, path="days.3.inferences", value="'x'")
    assert issue.as_dict() == {"line": 4, "column": 7, "path": "days.3.inferences", "value": "'x'",
                               "message": "must be a number"}


def test_a_refusal_has_a_code_and_reads_one_issue_a_line():
    error = AnalyticsError([AnalyticsIssue("a", line=1), AnalyticsIssue("b", path="p")], code="empty")
    assert (error.code, str(error), len(error.issues)) == ("empty", "line 1: a\np: b", 2)
    assert AnalyticsError([AnalyticsIssue("a")]).code == "invalid_analytics"
