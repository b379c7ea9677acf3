"""CSV read row by row (csv_rows.CsvRowReader.read_row): each refusal at its line, its column and the header as written."""

from __future__ import annotations

COUNT_RULE = "must be a whole number from 0 to 10^12 (no floats, booleans, strings, null, NaN or infinity)"


def where(error) -> list[tuple]:
    return [(issue.line, issue.column, issue.path, issue.value, issue.message) for issue in error.issues]


def test_a_refused_token_count_is_placed_under_its_header_as_written(refuse):
    error = refuse("date,profile,inferences,Prompt_Tokens\n2025-01-01,chatbot,1,2.5\n")
    assert where(error) == [(2, 4, "Prompt_Tokens", "2.5", f"Prompt_Tokens {COUNT_RULE}; got a decimal number")]


def test_cached_tokens_above_the_input_tokens_are_refused_under_their_header_as_written(refuse):
    error = refuse("date,profile,inferences,input_tokens,Cached_Input_Tokens\n2025-01-01,chatbot,1,10,11\n")
    assert where(error) == [(2, 5, "Cached_Input_Tokens", "11",
                             "cached_input_tokens cannot exceed input_tokens (10): cached tokens are counted among "
                             "the input tokens")]


def test_rows_with_refused_counts_are_not_also_said_to_repeat_their_day_and_profile(refuse):
    error = refuse("date,profile,inferences\n2025-01-01,chatbot,x\n2025-01-01,chatbot,y\n")
    assert [(issue.line, issue.path) for issue in error.issues] == [(2, "inferences"), (3, "inferences")]



def test_a_refused_quoted_cell_holding_a_windows_line_break_is_shown_with_it(refuse):
    error = refuse('date,profile,inferences\r\n2025-01-01,"chat\r\nbot",1\r\n')
    assert [(issue.path, issue.value) for issue in error.issues] == [("profile", "chat\r\nbot")]


ACCEPTED = ("date, day, start_time, profile, usage, use_case, event_type, inferences, count, requests, num_model_requests, "
            "input_tokens, prompt_tokens, output_tokens, completion_tokens, cached_input_tokens")


def test_an_unknown_column_is_refused_at_its_header_cell_with_the_accepted_names(refuse):
    error = refuse("date,profile,inferences,cost\n2025-01-01,chatbot,1,0.3\n")
    assert error.code == "invalid_analytics"
    assert where(error) == [(1, 4, None, "cost", f"unknown column 'cost'; accepted columns: {ACCEPTED}")]


def test_a_column_under_a_second_name_is_refused_at_its_header_cell_naming_the_first(refuse):
    error = refuse("date,Day,profile,inferences\n2025-01-01,2025-01-01,chatbot,1\n")
    assert error.code == "invalid_analytics"
    assert where(error) == [(1, 2, None, "Day", "column 'Day' repeats 'date'")]


def test_a_header_without_two_required_columns_names_both_in_one_refusal(refuse):
    error = refuse("date,input_tokens\n2025-01-01,5\n")
    assert error.code == "invalid_analytics"
    assert where(error) == [(1, None, None, None, "the header has no profile, inferences column")]


def test_a_row_of_another_width_is_refused_at_its_line_with_its_cells_as_written(refuse):
    error = refuse("date,profile,inferences\n2025-01-01,chatbot\n2025-01-02,chatbot,1\n")
    assert error.code == "invalid_analytics"
    assert where(error) == [(2, None, None, "2025-01-01,chatbot", "expected 3 cells like the header, got 2")]


def test_a_row_of_another_width_is_shown_by_its_first_80_characters(refuse):
    row = "2025-01-02,chatbot,1," + "x" * 100
    error = refuse(f"date,profile,inferences\n{row}\n")
    assert [issue.value for issue in error.issues] == [row[:80]]


def test_the_rows_after_a_row_of_another_width_are_still_read(refuse):
    error = refuse("date,profile,inferences\n2025-01-01,chatbot\n2025-01-02,nope,1\n")
    assert [(issue.line, issue.path, issue.value) for issue in error.issues] == [(2, None, "2025-01-01,chatbot"),
                                                                               (3, "profile", "nope")]


def test_bad_quoting_is_refused_at_its_line_with_the_csv_module_s_detail(refuse):
    error = refuse('date,profile,inferences\n2025-01-01,chatbot,1\n2025-01-02,"chat"bot,1\n')
    assert error.code == "parse_error"
    assert where(error) == [(3, None, None, None, "not valid CSV: ',' expected after '\"'")]
