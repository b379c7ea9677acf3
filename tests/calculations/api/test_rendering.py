"""The answer's bytes (calculations/api/rendering.py): the fast forms give the plain forms' text."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from calculations.api import rendering


@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
def test_a_day_s_json_text_is_what_the_json_renderer_writes_for_it(day):
    assert rendering.day_json(day) == rendering.json_text(day.isoformat()).encode()


def test_a_day_s_json_text_is_its_iso_date_in_quotes():
    assert rendering.day_json(date(2100, 12, 31)) == b'"2100-12-31"'


_TEXT = st.binary(max_size=6).filter(lambda b: b"%" not in b)


@given(st.integers(0, 4).flatmap(lambda width: st.tuples(
    st.lists(_TEXT, min_size=width + 1, max_size=width + 1),
    st.integers(0, 5).flatmap(lambda count: st.lists(st.lists(_TEXT, min_size=count, max_size=count),
                                                     min_size=width, max_size=width)),
)))
def test_interleaved_pieces_give_the_template_formatted_row_by_row(constants_and_columns):
    constants, columns = constants_and_columns
    count = len(columns[0]) if columns else 3
    template = b"%s".join(constants)
    expected = b",".join(template % row for row in (zip(*columns) if columns else [()] * count))
    assert rendering.interleaved(constants, columns, count) == expected


def test_interleaved_cells_are_comma_separated_in_column_order():
    assert rendering.interleaved([b"{", b":", b"}"], [[b"a", b"b"], [b"1", b"2"]], 2) == b"{a:1},{b:2}"
