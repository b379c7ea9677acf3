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
