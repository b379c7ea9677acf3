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

