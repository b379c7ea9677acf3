"""The CSV fast path (`csv_columns.read_csv_columns`): the row-by-row reader's cells, or None.

Every test compares with the row-by-row reader run alone (`slow_cells`), so that the fast path is
held to exactly what that reader accepts and returns.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculations.engine.analytics import AnalyticsError, Cell
from calculations.engine.parser import csv_columns, parse_analytics, registry
from calculations.engine.parser.csv_columns import read_csv_columns
from calculations.engine.parser.csv_rows import CsvRowReader
from calculations.engine.parser.issues import Issues, StopReading

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CODES = ["chatbot", "completion", "search_answer", "summary", "translation"]
HEADER = "date,profile,inferences,input_tokens,output_tokens\n"


@pytest.fixture(scope="module")
def many_profiles(parameters):
    """Version 1 with 40 profiles p00..p39 (clones of its first): days long enough to be checked day by day."""
    template = next(iter(parameters.profiles.values()))
    profiles = {f"p{index:02d}": replace(template, code=f"p{index:02d}", aliases=()) for index in range(40)}
    return replace(parameters, profiles=profiles, version=None, _alias_index={})


MANY_CODES = [f"p{index:02d}" for index in range(40)]


def _no_fast_path(*args, **kwargs):
    return None


def slow_cells(text: str, parameters):
    """The cells of the row-by-row reader alone (as parse_analytics runs it), or None when it refuses the text."""
    with pytest.MonkeyPatch.context() as patch:
        # Whatever way the registry calls the fast path, it finds nothing here and reads row by row.
        patch.setattr(csv_columns, "read_csv_columns", _no_fast_path)
        patch.setattr(registry, "read_csv_columns", _no_fast_path)
        issues = Issues(parameters)
        reader = CsvRowReader(parameters, issues, syntax="csv")
        try:
            reader.read_csv(text)
        except StopReading:
            return None
        if issues.items:
            return None
        cells = reader.sorted_cells()
    return cells if len(cells) else None  # no records: refused as empty


def same_as_slow(text: str, parameters):
    """The fast path's cells, checked to be there and equal to the row-by-row reader's."""
    fast = read_csv_columns(text, parameters)
    slow = slow_cells(text, parameters)
    assert slow is not None, "the row-by-row reader refuses this text"
    assert fast is not None, "the fast path gave up on a plainly valid text"
    assert fast.columns() == slow.columns()
    assert [type(value) for value in fast.inferences] == [int] * len(fast)
    return fast


def rows(cells) -> list[tuple]:
    return [(c.day.isoformat(), c.profile, c.inferences, c.input_tokens, c.output_tokens) for c in cells]


def grid(days: int, codes=CODES, *, tokens: str = "empty", seed: int = 0) -> list[str]:
    """Data lines of a complete (day, profile) grid in order; tokens: "empty", "explicit", "mixed" or "none"."""
    rng = random.Random(seed)
    lines = []
    for offset in range(days):
        day = (date(2025, 1, 1) + timedelta(days=offset)).isoformat()
        for code in codes:
            count = rng.randrange(0, 5000)
            if tokens == "none":
                lines.append(f"{day},{code},{count}")
            elif tokens == "explicit" or (tokens == "mixed" and rng.random() < 0.5):
                lines.append(f"{day},{code},{count},{count * 300},{count * 40}")
            else:
                lines.append(f"{day},{code},{count},,")
    return lines


# --- Same cells as the row-by-row reader ----------------------------------------------------------


def test_file_with_empty_token_columns_gives_the_slow_path_cells(parameters):
    cells = same_as_slow(HEADER + "\n".join(grid(30)) + "\n", parameters)
    assert len(cells) == 150 and set(cells.input_tokens) == {None}


def test_file_without_token_columns_gives_the_slow_path_cells(parameters):
    same_as_slow("date,profile,inferences\n" + "\n".join(grid(30, tokens="none")) + "\n", parameters)


def test_explicit_token_counts_give_the_slow_path_cells(parameters):
    cells = same_as_slow(HEADER + "\n".join(grid(30, tokens="explicit")) + "\n", parameters)
    assert None not in cells.input_tokens and None not in cells.output_tokens


def test_partly_empty_token_cells_are_none_where_empty(parameters):
    text = HEADER + "2025-01-01,chatbot,1,,\n2025-01-01,completion,2,20,\n2025-01-01,summary,3,,30\n"
    assert rows(same_as_slow(text, parameters)) == [
        ("2025-01-01", "chatbot", 1, None, None),
        ("2025-01-01", "completion", 2, 20, None),
        ("2025-01-01", "summary", 3, None, 30),
    ]


def test_runs_of_empty_token_cells_between_counts_are_all_none(parameters):
    tokens = ["", "", "5", "", "", "", "7", "", "0", ""]
    lines = [f"2025-01-{day + 1:02d},chatbot,1,{cell},{cell}" for day, cell in enumerate(tokens)]
    cells = same_as_slow(HEADER + "\n".join(lines) + "\n", parameters)
    assert cells.input_tokens == [int(cell) if cell else None for cell in tokens]


def test_mixed_token_cells_over_many_blocks_give_the_slow_path_cells(parameters):
    same_as_slow(HEADER + "\n".join(grid(400, tokens="mixed")) + "\n", parameters)


def test_header_aliases_in_any_case_and_with_spaces_are_read(parameters):
    text = " Day ,USAGE, Count,Prompt_Tokens ,completion_tokens\n2025-01-01,chatbot,5,7,8\n"
    assert rows(same_as_slow(text, parameters)) == [("2025-01-01", "chatbot", 5, 7, 8)]


def test_columns_in_another_order_are_read(parameters):
    text = "output_tokens,inferences,profile,date\n8,5,chatbot,2025-01-02\n,6,summary,2025-01-01\n"
    assert rows(same_as_slow(text, parameters)) == [
        ("2025-01-01", "summary", 6, None, None),
        ("2025-01-02", "chatbot", 5, None, 8),
    ]


def test_windows_line_ends_are_read(parameters):
    same_as_slow((HEADER + "\n".join(grid(20)) + "\n").replace("\n", "\r\n"), parameters)


def test_lone_carriage_returns_end_lines_as_for_csv_reader(parameters):
    same_as_slow((HEADER + "\n".join(grid(3)) + "\n").replace("\n", "\r"), parameters)


def test_blank_lines_before_between_and_after_rows_are_skipped(parameters):
    text = "\n\r\n" + HEADER + "\n2025-01-01,chatbot,1,,\n\n\n2025-01-02,chatbot,2,,\r\n\r\n\n"
    assert rows(same_as_slow(text, parameters)) == [
        ("2025-01-01", "chatbot", 1, None, None),
        ("2025-01-02", "chatbot", 2, None, None),
    ]


def test_file_without_final_line_end_is_read(parameters):
    same_as_slow(HEADER + "\n".join(grid(5)), parameters)


def test_one_row_is_read(parameters):
    assert rows(same_as_slow("date,profile,inferences\n2025-01-01,chatbot,7", parameters)) == [
        ("2025-01-01", "chatbot", 7, None, None)
    ]


def test_unsorted_rows_come_out_sorted_by_day_then_profile(parameters):
    lines = grid(40, tokens="mixed")
    random.Random(1).shuffle(lines)
    cells = same_as_slow(HEADER + "\n".join(lines) + "\n", parameters)
    assert list(zip(cells.days, cells.profiles)) == sorted(zip(cells.days, cells.profiles))


def test_days_in_order_with_profiles_out_of_order_come_out_sorted(parameters):
    lines = grid(40, codes=list(reversed(CODES)))
    same_as_slow(HEADER + "\n".join(lines) + "\n", parameters)


def test_many_days_with_few_profiles_each_give_the_slow_path_cells(parameters):
    same_as_slow(HEADER + "\n".join(grid(3000, codes=["chatbot"])) + "\n", parameters)


def test_long_days_in_order_give_the_slow_path_cells(many_profiles):
    same_as_slow(HEADER + "\n".join(grid(200, codes=MANY_CODES)) + "\n", many_profiles)


def test_long_days_with_profiles_out_of_order_in_one_day_come_out_sorted(many_profiles):
    lines = grid(200, codes=MANY_CODES)
    lines[4005], lines[4006] = lines[4006], lines[4005]
    same_as_slow(HEADER + "\n".join(lines) + "\n", many_profiles)


def test_long_days_out_of_order_come_out_sorted(many_profiles):
    lines = grid(200, codes=MANY_CODES)
    same_as_slow(HEADER + "\n".join(lines[4000:] + lines[:4000]) + "\n", many_profiles)


def test_later_day_first_with_profiles_that_sort_first_comes_out_sorted(many_profiles):
    lines = [f"2025-01-02,{code},1" for code in MANY_CODES[:20]] + [f"2025-01-01,{code},2" for code in MANY_CODES[20:]]
    cells = same_as_slow("date,profile,inferences\n" + "\n".join(lines) + "\n", many_profiles)
    assert cells.days == [date(2025, 1, 1)] * 20 + [date(2025, 1, 2)] * 20


def test_one_long_day_with_every_profile_in_reverse_order_comes_out_sorted(many_profiles):
    lines = [f"2025-01-01,{code},{index}" for index, code in enumerate(reversed(MANY_CODES))]
    cells = same_as_slow("date,profile,inferences\n" + "\n".join(lines) + "\n", many_profiles)
    assert cells.profiles == MANY_CODES


def test_a_profile_repeated_next_to_itself_in_one_long_day_gives_none(many_profiles):
    lines = [f"2025-01-01,{code},1" for code in MANY_CODES]
    text = "date,profile,inferences\n" + "\n".join(lines[:1] + lines) + "\n"
    assert slow_cells(text, many_profiles) is None
    assert read_csv_columns(text, many_profiles) is None


def test_long_days_with_some_profiles_missing_give_the_slow_path_cells(many_profiles):
    lines = [line for index, line in enumerate(grid(200, codes=MANY_CODES)) if index % 7]
    same_as_slow(HEADER + "\n".join(lines) + "\n", many_profiles)


def test_duplicate_within_a_long_day_in_order_gives_none(many_profiles):
    lines = grid(200, codes=MANY_CODES)
    text = HEADER + "\n".join(lines[:4001] + lines[4000:]) + "\n"
    assert slow_cells(text, many_profiles) is None
    assert read_csv_columns(text, many_profiles) is None


def test_a_profile_first_seen_after_the_first_block_is_read_with_the_others(parameters):
    lines = grid(3000, codes=["chatbot"]) + ["2025-01-01,summary,5,,"]
    assert len("\n".join(lines)) > csv_columns.CHUNK
    cells = same_as_slow(HEADER + "\n".join(lines) + "\n", parameters)
    assert cells.profiles[:2] == ["chatbot", "summary"]


def test_large_shuffled_file_over_many_blocks_gives_the_slow_path_cells(parameters):
    lines = grid(500, tokens="explicit")
    random.Random(2).shuffle(lines)
    same_as_slow(HEADER + "\n".join(lines) + "\n", parameters)


def test_quoted_cells_are_read_through_csv_reader(parameters):
    text = 'date,"profile",inferences\r\n"2025-01-01","chatbot","7"\r\n2025-01-02,summary,"8"\r\n'
    assert rows(same_as_slow(text, parameters)) == [
        ("2025-01-01", "chatbot", 7, None, None),
        ("2025-01-02", "summary", 8, None, None),
    ]


def test_a_tab_separated_last_row_ending_in_empty_cells_is_read(parameters):
    text = "date\tprofile\tinferences\tinput_tokens\toutput_tokens\n2025-01-01\tchatbot\t3\t\t\n"
    cells = read_csv_columns(text, parameters, "\t")
    assert (cells.inferences, cells.input_tokens, cells.output_tokens) == ([3], [None], [None])


def test_cells_with_spaces_around_them_are_trimmed(parameters):
    text = HEADER + " 2025-01-01 , chatbot ,\t12 , 3 ,  \n2025-01-02,chatbot,1,,\n"
    assert rows(same_as_slow(text, parameters)) == [
        ("2025-01-01", "chatbot", 12, 3, None),
        ("2025-01-02", "chatbot", 1, None, None),
    ]


def test_epoch_seconds_and_iso_datetimes_give_their_utc_day(parameters):
    text = "start_time,profile,inferences\n1735689600,chatbot,1\n2025-01-01T23:30:00-02:00,chatbot,2\n"
    assert rows(same_as_slow(text, parameters)) == [
        ("2025-01-01", "chatbot", 1, None, None),
        ("2025-01-02", "chatbot", 2, None, None),
    ]


def test_one_day_written_two_ways_for_two_profiles_is_one_day(parameters):
    text = "date,profile,inferences\n2025-01-01T08:00:00,summary,2\n2025-01-01,chatbot,1\n"
    assert rows(same_as_slow(text, parameters)) == [
        ("2025-01-01", "chatbot", 1, None, None),
        ("2025-01-01", "summary", 2, None, None),
    ]


def test_zero_and_ten_to_the_twelve_are_accepted_counts(parameters):
    text = HEADER + "2025-01-01,chatbot,0,1000000000000,0\n"
    assert rows(same_as_slow(text, parameters)) == [("2025-01-01", "chatbot", 0, 10**12, 0)]


def test_profiles_come_out_as_the_methodology_codes(parameters):
    cells = same_as_slow(HEADER + "\n".join(grid(3)) + "\n", parameters)
    known = {code: code for code in parameters.profiles}
    assert all(profile is known[profile] for profile in cells.profiles)


# --- None where the row-by-row reader refuses (it then words the issues) --------------------------

REFUSED = {
    "empty text": "",
    "only blank lines": "\n\r\n\n",
    "header only": "date,profile,inferences\n",
    "unknown column": "date,profile,inferences,cost\n2025-01-01,chatbot,1,0.3\n",
    "missing column": "date,profile\n2025-01-01,chatbot\n",
    "column under two names": "date,day,profile,inferences\n2025-01-01,2025-01-01,chatbot,1\n",
    "row with fewer cells": "date,profile,inferences\n2025-01-01,chatbot\n",
    "row with more cells": "date,profile,inferences\n2025-01-01,chatbot,1,2\n",
    "fewer then more cells": "date,profile,inferences\n2025-01-01,chatbot\n1,2025-01-02,summary,1\n",
    "a cell moved to the next row": (
        "date,profile,inferences,input_tokens\n2025-01-01,chatbot,1\n5,2025-01-02,summary,1,2\n"
    ),
    "empty inferences": "date,profile,inferences\n2025-01-01,chatbot,\n",
    "blank inferences": "date,profile,inferences\n2025-01-01,chatbot, \n",
    "decimal inferences": "date,profile,inferences\n2025-01-01,chatbot,12.5\n",
    "negative inferences": "date,profile,inferences\n2025-01-01,chatbot,-1\n",
    "signed inferences": "date,profile,inferences\n2025-01-01,chatbot,+1\n",
    "underscore in a count": "date,profile,inferences\n2025-01-01,chatbot,1_000\n",
    "leading zero": "date,profile,inferences\n2025-01-01,chatbot,012\n",
    "leading zero in tokens": HEADER + "2025-01-01,chatbot,1,00,\n",
    "above ten to the twelve": "date,profile,inferences\n2025-01-01,chatbot,1000000000001\n",
    "tokens above the cap": HEADER + "2025-01-01,chatbot,1,,9999999999999\n",
    "arabic-indic digits": "date,profile,inferences\n2025-01-01,chatbot,\u0661\u0662\n",
    "fullwidth digits": "date,profile,inferences\n2025-01-01,chatbot,\uff11\n",
    "letter after the last count": "date,profile,inferences\n2025-01-01,chatbot,1X",
    "exponent": "date,profile,inferences\n2025-01-01,chatbot,1e3\n",
    "null count": "date,profile,inferences\n2025-01-01,chatbot,null\n",
    "boolean count": "date,profile,inferences\n2025-01-01,chatbot,true\n",
    "huge digit string": "date,profile,inferences\n2025-01-01,chatbot," + "9" * 5000 + "\n",
    "not a date": "date,profile,inferences\n2025-02-30,chatbot,1\n",
    "date out of range": "date,profile,inferences\n1999-12-31,chatbot,1\n",
    "epoch out of range": "date,profile,inferences\n12345,chatbot,1\n",
    "empty date": "date,profile,inferences\n,chatbot,1\n",
    "unknown profile": "date,profile,inferences\n2025-01-01,image_generation,1\n",
    "profile in another case": "date,profile,inferences\n2025-01-01,Chatbot,1\n",
    "same day and profile twice": "date,profile,inferences\n2025-01-01,chatbot,1\n2025-01-01,chatbot,2\n",
    "same day written differently": "date,profile,inferences\n2025-01-01,chatbot,1\n2025-01-01T12:00:00,chatbot,2\n",
    "duplicate far apart": HEADER + "\n".join(grid(300)) + "\n2025-01-01,chatbot,1,,\n",
    "bad quoting": 'date,profile,inferences\n2025-01-01,chatbot,1\n2025-01-02,"chat"bot,1\n',
    "unclosed quote": 'date,profile,inferences\n2025-01-01,"chatbot,1\n',
    "NUL character": "date,profile,inferences\n2025-01-01,chat\x00bot,1\n",
    "cell above csv field limit": "date,profile,inferences\n2025-01-01," + " " * 200_000 + "chatbot,1\n",
    "count cell above csv field limit": "date,profile,inferences\n2025-01-01,chatbot," + " " * 200_000 + "1\n",
}


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_text_the_slow_path_refuses_gives_none(parameters, text):
    assert slow_cells(text, parameters) is None
    assert read_csv_columns(text, parameters) is None


def test_profile_alias_is_refused_in_csv_as_by_the_slow_path(aliased_parameters):
    text = "date,profile,inferences\n2025-01-01,ChatWithMe,1\n"
    assert slow_cells(text, aliased_parameters) is None
    assert read_csv_columns(text, aliased_parameters) is None


def test_row_of_blank_cells_is_left_to_the_slow_path(parameters):
    text = "date,profile,inferences\n2025-01-01,chatbot,1\n , ,\n"
    assert slow_cells(text, parameters) is not None
    assert read_csv_columns(text, parameters) is None


# --- Properties -----------------------------------------------------------------------------------

VALID_DATES = [(date(2025, 1, 1) + timedelta(days=n)).isoformat() for n in range(8)]
DATE_CELLS = VALID_DATES + ["1735862400", "2025-01-02T10:00:00Z", " 2025-01-01",
              "2025-13-01", "1999-12-31", "", "01/02/2025", "2025-1-1"]
PROFILE_CELLS = CODES + [" chatbot", "Chatbot", "image", "", "summary "]
COUNT_CELLS = ["0", "7", "42", "1000000000000", "1000000000001", "012", "+1", " 3", "", "1.5", "-2", "1_0",
               "\u0661", "x", "3 "]
HEADER_CELLS = {
    "date": ["date", "Date", " day", "start_time"],
    "profile": ["profile", "usage", "USE_CASE"],
    "inferences": ["inferences", "count ", "Requests"],
    "input_tokens": ["input_tokens", "prompt_tokens"],
    "output_tokens": ["output_tokens", "Completion_Tokens"],
}


def mostly(valid: list[str], other: list[str], odds: int):
    """A cell from `valid`, or one time in `odds` (never when 0) from `other`."""
    if not odds:
        return st.sampled_from(valid)
    return st.integers(1, odds).flatmap(lambda pick: st.sampled_from(other if pick == 1 else valid))


@st.composite
def csv_texts(draw, plain: bool):
    """A CSV text; `plain`: only plainly valid pieces (no duplicates, well-formed cells and rows),
    otherwise mostly valid pieces with now and then a bad cell, row, header or line."""
    fields = ["date", "profile", "inferences"] + draw(st.sampled_from([[], ["input_tokens"], ["input_tokens", "output_tokens"]]))
    fields = draw(st.permutations(fields))
    header = [draw(st.sampled_from(HEADER_CELLS[field])) for field in fields]
    if not plain and draw(st.integers(0, 9)) == 0:
        header.append(draw(st.sampled_from(["cost", "date", "count", ""])))
    odds = 0 if plain else draw(st.sampled_from([0, 0, 40, 10]))  # how rare bad cells are, if any
    cells = {
        "date": mostly(VALID_DATES, DATE_CELLS[len(VALID_DATES):], odds),
        "profile": mostly(CODES, PROFILE_CELLS[len(CODES):], odds),
        "inferences": mostly(COUNT_CELLS[:4], COUNT_CELLS[4:], odds),
        "input_tokens": mostly(COUNT_CELLS[:4] + [""], COUNT_CELLS[4:], odds),
        "output_tokens": mostly(COUNT_CELLS[:4] + [""], COUNT_CELLS[4:], odds),
    }
    rows, seen = [], set()
    for _ in range(draw(st.integers(1 if plain else 0, 30))):
        row = {field: draw(cells[field]) for field in fields}
        if (plain or draw(st.integers(0, 9))) and (row["date"], row["profile"]) in seen:
            continue  # one row per (day, profile)
        seen.add((row["date"], row["profile"]))
        row = [row[field] for field in fields]
        if odds and draw(st.integers(0, 39)) == 0:
            row = row[: draw(st.integers(0, len(row)))] + draw(st.lists(st.sampled_from(COUNT_CELLS), max_size=2))
        if draw(st.integers(0, 9)) == 0:
            row = [f'"{value}"' for value in row]
        rows.append(row)
    lines = [",".join(header)] + [",".join(row) for row in rows]
    for _ in range(draw(st.integers(0, 3))):
        blank = ["", "\r"] if not odds else ["", " ", ",,", '"', "\r"]
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(blank)))
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return end.join(lines) + draw(st.sampled_from(["", end, end * 2]))


@PROPERTY
@given(text=csv_texts(plain=False))
def test_fast_path_gives_none_or_the_slow_path_cells(parameters, text):
    fast = read_csv_columns(text, parameters)
    if fast is not None:
        slow = slow_cells(text, parameters)
        assert slow is not None, "the fast path accepted a text the row-by-row reader refuses"
        assert fast.columns() == slow.columns()


@PROPERTY
@given(text=csv_texts(plain=True))
def test_fast_path_reads_every_plainly_valid_text(parameters, text):
    same_as_slow(text, parameters)


# --- parse_analytics takes the fast path ---------------------------------------------------------


def test_parse_analytics_reads_a_plain_csv_without_the_row_by_row_reader(parameters, monkeypatch):
    monkeypatch.setattr(CsvRowReader, "read_csv", lambda self, text: pytest.fail("read row by row"))
    analytics = parse_analytics(HEADER.encode() + b"2025-01-01,chatbot,3,,\n", parameters, content_type="text/csv")
    assert analytics.cells == [Cell(date(2025, 1, 1), "chatbot", 3)]


def test_parse_analytics_words_a_csv_refusal_from_the_row_by_row_reader(parameters):
    with pytest.raises(AnalyticsError) as refused:
        parse_analytics(HEADER.encode() + b"2025-01-01,chatbot,-3,,\n", parameters, content_type="text/csv")
    assert refused.value.issues[0].line == 2 and refused.value.issues[0].value == "-3"
