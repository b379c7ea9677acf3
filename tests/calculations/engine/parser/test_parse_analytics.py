"""The analytics parser on the native formats (analytics-format.md sections 1 to 4)."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest

from calculations.engine.analytics import MAX_ERRORS
from calculations.engine.parser.yaml_tree import MAX_DEPTH

NESTED_YAML = """\
source: fluid-topics
tenant: docs.example.com
days:
  - date: 2025-01-02
    usages:
      chatbot:
        inferences: 1100
        input_tokens: 1650000
        output_tokens: 420000
      completion: 75
  - date: 2025-01-01
    usages:
      search_answer: 430
      chatbot: 1250
"""

FLAT_YAML = """\
records:
  - {date: 2025-01-01, profile: chatbot, inferences: 1250}
  - {date: 2025-01-01, profile: search_answer, inferences: 430, input_tokens: 1290000, output_tokens: 107500}
"""

CSV_TEXT = """\
date,profile,inferences,input_tokens,output_tokens
2025-01-01,chatbot,1250,,
2025-01-01,search_answer,430,1290000,107500
"""

FLAT_ROWS = [
    ("2025-01-01", "chatbot", 1250, None, None),
    ("2025-01-01", "search_answer", 430, 1290000, 107500),
]


def record_yaml(**fields) -> str:
    """One flat record with the given fields written as is (YAML flow style)."""
    record = {"date": "2025-01-01", "profile": "chatbot", "inferences": "1", **fields}
    return "records:\n  - {" + ", ".join(f"{k}: {v}" for k, v in record.items()) + "}\n"


def first(error):
    return error.issues[0]


# --- Accepted native content ----------------------------------------------------------------------


def test_nested_yaml_gives_cells_sorted_by_day_then_profile(parse, rows):
    assert rows(parse(NESTED_YAML)) == [
        ("2025-01-01", "chatbot", 1250, None, None),
        ("2025-01-01", "search_answer", 430, None, None),
        ("2025-01-02", "chatbot", 1100, 1650000, 420000),
        ("2025-01-02", "completion", 75, None, None),
    ]


def test_flat_yaml_records_give_one_cell_each(parse, rows):
    assert rows(parse(FLAT_YAML)) == FLAT_ROWS


def test_top_level_list_of_records_is_the_flat_form(parse, rows):
    text = "- {date: 2025-01-01, profile: chatbot, inferences: 1250}\n" \
           "- {date: 2025-01-01, profile: search_answer, inferences: 430, input_tokens: 1290000, output_tokens: 107500}\n"
    assert rows(parse(text)) == FLAT_ROWS


def test_block_style_records_are_read_like_flow_style(parse, rows):
    text = "records:\n  - date: 2025-01-01\n    profile: chatbot\n    inferences: 1250\n"
    assert rows(parse(text)) == [("2025-01-01", "chatbot", 1250, None, None)]


def test_days_and_records_may_be_given_together(parse, rows):
    text = "days:\n  - {date: 2025-01-02, usages: {chatbot: 2}}\nrecords:\n  - {date: 2025-01-01, profile: chatbot, inferences: 1}\n"
    assert rows(parse(text)) == [("2025-01-01", "chatbot", 1, None, None), ("2025-01-02", "chatbot", 2, None, None)]


def test_json_nested_and_flat_forms_match_yaml(parse, rows):
    nested = {"days": [{"date": "2025-01-01", "usages": {"chatbot": 1250, "search_answer": {
        "inferences": 430, "input_tokens": 1290000, "output_tokens": 107500}}}]}
    flat = [{"date": "2025-01-01", "profile": "chatbot", "inferences": 1250},
            {"date": "2025-01-01", "profile": "search_answer", "inferences": 430,
             "input_tokens": 1290000, "output_tokens": 107500}]
    assert rows(parse(json.dumps(nested))) == FLAT_ROWS
    assert rows(parse(json.dumps(flat))) == FLAT_ROWS


def test_csv_with_empty_token_cells(parse, rows):
    assert rows(parse(CSV_TEXT, filename="usage.csv")) == FLAT_ROWS


def test_analytics_carry_hash_size_and_format(parse):
    data = FLAT_YAML.encode()
    analytics = parse(data)
    assert (analytics.sha256, analytics.size_bytes, analytics.format) == (hashlib.sha256(data).hexdigest(), len(data), "yaml")
    assert analytics.mappings == []


def test_one_token_count_may_be_given_without_the_other(parse, rows):
    assert rows(parse(record_yaml(output_tokens="9"))) == [("2025-01-01", "chatbot", 1, None, 9)]


def test_zero_and_ten_to_the_twelve_are_accepted_counts(parse, rows):
    text = record_yaml(inferences="0", input_tokens="1000000000000")
    assert rows(parse(text)) == [("2025-01-01", "chatbot", 0, 10**12, None)]


def test_quoted_date_and_profile_are_accepted(parse, rows):
    assert rows(parse(record_yaml(date='"2025-01-01"', profile="'chatbot'"))) == [("2025-01-01", "chatbot", 1, None, None)]


def test_free_text_source_and_tenant_are_not_kept(parse):
    analytics = parse(NESTED_YAML)
    assert "fluid-topics" not in repr(analytics) and "docs.example.com" not in repr(analytics)


def test_profile_option_is_refused_by_native_formats_rather_than_ignored(refuse):
    """Issue 15.4: an option is honoured or refused; a native file names its profiles itself."""
    error = refuse(FLAT_YAML, profile="summary")
    assert error.code == "profile_option_unused"
    assert "the profile option 'summary' only names the usage profile of an OpenAI or Anthropic usage report not " \
           "grouped by model; this upload (yaml)" in error.issues[0].message


# --- Field aliases (section 3) --------------------------------------------------------------------


def test_record_field_aliases_mean_the_canonical_fields(parse, rows):
    text = "- {day: 2025-01-01, use_case: chatbot, count: 5, prompt_tokens: 10, completion_tokens: 2}\n" \
           "- {date: 2025-01-02, usage: chatbot, requests: 6}\n" \
           "- {date: 2025-01-03, event_type: chatbot, num_model_requests: 7}\n"
    assert rows(parse(text)) == [
        ("2025-01-01", "chatbot", 5, 10, 2),
        ("2025-01-02", "chatbot", 6, None, None),
        ("2025-01-03", "chatbot", 7, None, None),
    ]


def test_nested_form_accepts_day_and_count_aliases(parse, rows):
    text = "days:\n  - day: 2025-01-01\n    usages:\n      chatbot: {requests: 5, prompt_tokens: 10, completion_tokens: 2}\n"
    assert rows(parse(text)) == [("2025-01-01", "chatbot", 5, 10, 2)]


def test_start_time_in_epoch_seconds_gives_its_utc_day(parse, rows):
    # 1735772399 is 2025-01-01T23:59:59Z
    assert rows(parse('[{"start_time": 1735772399, "profile": "chatbot", "inferences": 1}]'))[0][0] == "2025-01-01"


def test_iso_datetime_with_offset_counts_for_its_utc_day(parse, rows):
    text = record_yaml(date='"2025-01-01T23:30:00-05:00"')
    assert rows(parse(text))[0][0] == "2025-01-02"


def test_naive_iso_datetime_is_taken_as_utc(parse, rows):
    assert rows(parse(record_yaml(date="2025-01-01T23:30:00")))[0][0] == "2025-01-01"


def test_csv_headers_are_trimmed_case_insensitive_and_may_be_aliases(parse, rows):
    text = " Day ,USE_CASE, Count ,Prompt_Tokens\n2025-01-01, chatbot ,5,\n"
    assert rows(parse(text, filename="x.csv")) == [("2025-01-01", "chatbot", 5, None, None)]


def test_one_field_under_two_names_is_refused(refuse):
    error = refuse("- {date: 2025-01-01, day: 2025-01-02, profile: chatbot, inferences: 1}\n")
    assert "same field" in first(error).message
    assert (first(error).path, first(error).line) == ("[0].day", 1)


def test_unknown_record_field_is_refused_with_the_accepted_names(refuse):
    error = refuse(record_yaml(inferenses="3"))
    issue = first(error)
    assert issue.path == "records[0].inferenses"
    assert "unknown field" in issue.message and "inferences" in issue.message and "prompt_tokens" in issue.message


def test_unknown_top_level_key_is_refused(refuse):
    error = refuse("recrods: []\n")
    assert first(error).path == "recrods"
    assert "days, records, source, tenant" in first(error).message


# --- Counts (section 4) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "described"),
    [
        ('"3"', "a quoted string"),
        ("1.0", "a decimal number"),
        ("1e3", "a decimal number"),
        (".nan", "NaN"),
        (".inf", "infinity"),
        ("-.inf", "infinity"),
        ("true", "a boolean"),
        ("yes", "a boolean"),
        ("~", "null"),
        ("null", "null"),
        ("-5", "a negative number"),
        ("+5", "a signed number"),
        ("0123", "leading zeros"),
        ("1000000000001", "above 10^12"),
        ("99999999999999999999999", "above 10^12"),
        ("0x10", "text"),
        ("1_000", "text"),
        ("[1]", "a list"),
        ("{n: 1}", "a mapping"),
    ],
)
def test_yaml_count_that_is_not_a_plain_integer_is_refused_with_its_kind(refuse, written, described):
    issue = first(refuse(record_yaml(inferences=written)))
    assert issue.path == "records[0].inferences"
    assert "whole number from 0 to 10^12" in issue.message and described in issue.message


def test_yaml_empty_count_is_refused(refuse):
    issue = first(refuse("records:\n  - date: 2025-01-01\n    profile: chatbot\n    inferences:\n"))
    assert issue.path == "records[0].inferences" and "an empty value" in issue.message


def test_yaml_count_error_reports_line_column_and_value(refuse):
    issue = first(refuse(FLAT_YAML + "  - {date: 2025-01-02, profile: chatbot, inferences: 1.5}\n"))
    assert (issue.line, issue.column, issue.path, issue.value) == (4, 54, "records[2].inferences", "1.5")


@pytest.mark.parametrize(
    ("written", "described"),
    [('"3"', "a string"), ("3.0", "a decimal number"), ("true", "a boolean"), ("null", "null"), ("-1", "a negative number"),
     ("1e400", "infinity"), ("1000000000001", "above 10^12")],
)
def test_json_count_that_is_not_an_integer_is_refused_with_its_kind(refuse, written, described):
    error = refuse('[{"date": "2025-01-01", "profile": "chatbot", "inferences": ' + written + "}]")
    assert first(error).path == "[0].inferences" and described in first(error).message


def test_missing_inferences_is_refused(refuse):
    issue = first(refuse("- {date: 2025-01-01, profile: chatbot}\n"))
    assert issue.path == "[0].inferences" and "missing" in issue.message


def test_null_token_count_is_refused(refuse):
    assert "null" in first(refuse(record_yaml(input_tokens="~"))).message


# --- Dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "got"),
    [
        ("2025-02-30", "not a date"),
        ("1999-12-31", "got 1999-12-31"),
        ("2101-01-01", "got 2101-01-01"),
        ("20250101", "1970-08-23 (read as epoch seconds)"),
        ("-99999999999", "epoch seconds far out of range"),  # before year 1: no date at all
        ("99999999999", "(read as epoch seconds)"),  # year 5138
        ("yesterday", "not a date"),
        ("true", "not a date"),
    ],
)
def test_date_that_is_not_a_calendar_day_in_range_is_refused(refuse, written, got):
    issue = first(refuse(record_yaml(date=written)))
    assert issue.path == "records[0].date" and "real calendar date" in issue.message and got in issue.message


def test_json_date_as_string_of_digits_is_refused(refuse):
    error = refuse('[{"date": "1735689600", "profile": "chatbot", "inferences": 1}]')
    assert "not a date" in first(error).message


# --- Profiles -------------------------------------------------------------------------------------


def test_unknown_profile_is_refused_listing_unknown_and_known_codes(refuse):
    error = refuse(FLAT_YAML + "  - {date: 2025-01-02, profile: chatbott, inferences: 1}\n"
                   "  - {date: 2025-01-02, profile: image_generation, inferences: 1}\n")
    assert error.code == "unknown_profile"
    assert [issue.path for issue in error.issues] == ["records[2].profile", "records[3].profile"]
    message = first(error).message
    assert "unknown profile 'chatbott'" in message
    assert "unknown profiles: chatbott, image_generation" in message
    assert "known profiles: chatbot, completion, search_answer, summary, translation" in message


def test_an_unknown_profile_is_reported_once_at_its_first_place(refuse):
    text = "".join(f"- {{date: 2025-01-{day:02d}, profile: chatbott, inferences: 1}}\n" for day in range(1, 6))
    error = refuse(text)
    assert [(issue.path, issue.line) for issue in error.issues] == [("[0].profile", 1)]


def test_unknown_profile_in_nested_usages_points_at_its_key(refuse):
    issue = first(refuse("days:\n  - date: 2025-01-01\n    usages:\n      chatbot: 1\n      imagine: 2\n"))
    assert (issue.path, issue.line) == ("days[0].usages.imagine", 5)


def test_unknown_profile_in_csv_points_at_its_line_and_column(refuse):
    error = refuse(CSV_TEXT + "2025-01-02,image_generation,1,,\n", filename="a.csv")
    issue = first(error)
    assert error.code == "unknown_profile"
    assert (issue.line, issue.column, issue.path, issue.value) == (4, 2, "profile", "image_generation")


def test_unknown_profile_in_json_points_at_its_path(refuse):
    error = refuse('{"records": [{"date": "2025-01-01", "profile": "Chatbot", "inferences": 1}]}')
    assert error.code == "unknown_profile" and first(error).path == "records[0].profile"


def test_profile_that_is_not_text_is_refused(refuse):
    issue = first(refuse('[{"date": "2025-01-01", "profile": 3, "inferences": 1}]'))
    assert issue.path == "[0].profile" and issue.message == "profile must be a usage profile code; got a number"


def test_unknown_profile_option_is_refused_whatever_the_format(refuse):
    error = refuse(FLAT_YAML, profile="image_generation")
    assert error.code == "unknown_profile"
    assert "image_generation" in first(error).message and "chatbot, completion" in first(error).message


# --- Duplicates -----------------------------------------------------------------------------------


def test_same_day_and_profile_twice_is_refused_with_both_places(refuse):
    error = refuse(FLAT_YAML + "  - {date: 2025-01-01, profile: chatbot, inferences: 7}\n")
    issue = first(error)
    assert error.code == "duplicate"
    assert (issue.line, issue.path) == (4, "records[2]")
    assert "2025-01-01 chatbot is given twice (first at line 2, records[0])" in issue.message


def test_same_day_in_two_day_entries_is_refused_as_duplicate(refuse):
    text = "days:\n  - date: 2025-01-01\n    usages: {chatbot: 1}\n  - date: 2025-01-01\n    usages: {chatbot: 2}\n"
    issue = first(refuse(text))
    assert (issue.line, issue.path) == (5, "days[1].usages.chatbot")
    assert "first at line 3, days[0].usages.chatbot" in issue.message


def test_duplicate_between_days_and_records_is_refused(refuse):
    text = "days:\n  - {date: 2025-01-01, usages: {chatbot: 2}}\nrecords:\n  - {date: 2025-01-01, profile: chatbot, inferences: 1}\n"
    assert refuse(text).code == "duplicate"


def test_same_key_twice_in_a_yaml_mapping_is_refused(refuse):
    error = refuse("days:\n  - date: 2025-01-01\n    usages:\n      chatbot: 1\n      chatbot: 2\n")
    issue = first(error)
    assert error.code == "duplicate"
    assert (issue.line, issue.path) == (5, "days[0].usages.chatbot")
    assert "first at line 4" in issue.message


def test_same_key_twice_in_a_json_object_is_refused_with_its_path(refuse):
    error = refuse('{"days": [{"date": "2025-01-01", "usages": {"chatbot": 1, "chatbot": 2}}]}')
    assert error.code == "duplicate"
    assert first(error).path == "days[0].usages.chatbot"


def test_same_day_written_differently_is_still_a_duplicate(refuse):
    text = '[{"date": "2025-01-01", "profile": "chatbot", "inferences": 1},' \
           ' {"start_time": 1735689600, "profile": "chatbot", "inferences": 1}]'
    assert refuse(text).code == "duplicate"


# --- Empty and misshapen documents ----------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n", "---\n", "records: []\n", "days: []\n", "[]", "{}",
                                  "source: portal\n", "date,profile,inferences\n"])
def test_no_records_is_refused_as_empty(refuse, text):
    error = refuse(text, filename="x.csv" if text.startswith("date") else None)
    assert error.code == "empty" and "no usage records" in first(error).message


@pytest.mark.parametrize("text", ["hello\n", "42\n", '"text"'])
def test_document_that_is_a_scalar_is_refused(refuse, text):
    issue = first(refuse(text))
    assert "one mapping" in issue.message and issue.line == 1


def test_days_that_is_not_a_list_is_refused(refuse):
    issue = first(refuse('{"days": {"date": "2025-01-01"}}'))
    assert (issue.path, issue.message) == ("days", "days must be a list; got a mapping")


def test_record_that_is_not_a_mapping_is_refused(refuse):
    issue = first(refuse("records:\n  - 2025-01-01\n"))
    assert (issue.path, issue.line) == ("records[0]", 2) and "a record must be a mapping" in issue.message


def test_usages_that_is_not_a_mapping_is_refused(refuse):
    issue = first(refuse("days:\n  - date: 2025-01-01\n    usages: [chatbot]\n"))
    assert issue.path == "days[0].usages" and "usages must be a mapping" in issue.message


def test_errors_of_a_file_are_reported_together_up_to_the_bound(refuse):
    text = "".join(f"- {{date: 2025-01-{day:02d}, profile: chatbot, inferences: -1}}\n" for day in range(1, 31))
    error = refuse(text)
    assert len(error.issues) == MAX_ERRORS
    assert [issue.line for issue in error.issues] == list(range(1, MAX_ERRORS + 1))


def test_issues_of_different_kinds_give_the_general_code(refuse):
    error = refuse(FLAT_YAML + "  - {date: 2025-01-02, profile: nope, inferences: -1}\n")
    assert error.code == "invalid_analytics"
    assert {issue.path for issue in error.issues} == {"records[2].profile", "records[2].inferences"}


# --- YAML safety ----------------------------------------------------------------------------------


def test_yaml_anchor_is_refused(refuse):
    issue = first(refuse("a: &x [1, 2]\nb: *x\n"))
    assert (issue.line, issue.path, issue.value) == (1, "a", "&x")
    assert "anchors (&name) are refused" in issue.message


def test_yaml_alias_is_refused(refuse):
    issue = first(refuse("records:\n  - *x\n"))
    assert (issue.line, issue.path, issue.value) == (2, "records[0]", "*x")
    assert "aliases" in issue.message


@pytest.mark.parametrize(
    "tagged",
    ["!!python/object/apply:os.system ['echo hi']", "!foo 3", "!!str 3", "!!int 3", "! 3", "!!map {a: 1}", "!!seq [1]"],
)
def test_every_explicit_yaml_tag_is_refused(refuse, tagged):
    issue = first(refuse(f"records:\n  - date: 2025-01-01\n    profile: chatbot\n    inferences: {tagged}\n"))
    assert (issue.line, issue.path) == (4, "records[0].inferences")
    assert "explicit YAML tags are refused" in issue.message


def test_several_yaml_documents_are_refused(refuse):
    issue = first(refuse("records: []\n---\nrecords: []\n"))
    assert issue.line == 2 and "several YAML documents" in issue.message


def test_yaml_nesting_deeper_than_the_bound_is_refused(refuse):
    error = refuse("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5))
    assert error.code == "parse_error" and "nesting deeper than" in first(error).message


def test_nesting_at_the_bound_is_only_refused_for_its_content(refuse):
    error = refuse("- " + "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2))
    assert "nesting" not in first(error).message


def test_yaml_mapping_used_as_a_key_is_refused(refuse):
    issue = first(refuse("? {a: 1}\n: 2\n"))
    assert "mapping key must be a plain name" in issue.message and issue.line == 1


def test_yaml_syntax_error_reports_line_and_column(refuse):
    error = refuse("records:\n  - {date: 2025-01-01, profile: chatbot, inferences: 1\n")
    assert error.code == "parse_error"
    assert (first(error).line, first(error).column) == (3, 1) and "not valid YAML" in first(error).message


def test_yaml_control_character_reports_its_line_and_column(refuse):
    error = refuse("records:\n  - {date: 2025-01-01, profile: chat\x01bot, inferences: 1}\n")
    assert error.code == "parse_error"
    assert (first(error).line, first(error).column) == (2, 37)


def test_yaml_keys_are_taken_as_written(refuse):
    issue = first(refuse("days:\n  - date: 2025-01-01\n    usages: {123: 1}\n"))
    assert issue.path == "days[0].usages.123" and "unknown profile '123'" in issue.message


# --- Encoding -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "options"), [(FLAT_YAML, {}), (CSV_TEXT, {"filename": "a.csv"}),
                                               (json.dumps({"records": [{"date": "2025-01-01", "profile": "chatbot",
                                                                         "inferences": 1250}]}), {})])
def test_utf8_bom_is_accepted_in_every_syntax(parse, text, options):
    data = b"\xef\xbb\xbf" + text.encode()
    analytics = parse(data, **options)
    assert analytics.cells[0].inferences == 1250 and analytics.size_bytes == len(data)


def test_utf16_with_byte_order_mark_is_refused(refuse):
    error = refuse(CSV_TEXT.encode("utf-16"), filename="a.csv")
    assert error.code == "encoding" and "UTF-16" in first(error).message


def test_utf16_without_byte_order_mark_is_refused_at_its_first_nul(refuse):
    error = refuse(CSV_TEXT.encode("utf-16-le"), filename="a.csv")
    assert error.code == "encoding"
    assert (first(error).line, first(error).column) == (1, 2) and "byte offset 1" in first(error).message


def test_latin1_is_refused_at_its_first_bad_byte(refuse):
    data = (CSV_TEXT + "2025-01-02,résumé,1,,\n").encode("latin-1")
    error = refuse(data, filename="a.csv")
    issue = first(error)
    assert error.code == "encoding"
    assert (issue.line, issue.column, issue.value) == (4, 13, "0xE9")
    assert f"byte offset {data.index(0xE9)}" in issue.message


def test_binary_data_is_refused_as_encoding(refuse):
    assert refuse(bytes(range(128, 256)) * 4).code == "encoding"


# --- Syntax choice --------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8", "APPLICATION/JSON"])
def test_declared_json_content_type_wins_over_the_file_name(parse, content_type):
    analytics = parse('[{"date": "2025-01-01", "profile": "chatbot", "inferences": 1}]', filename="a.yaml",
                      content_type=content_type)
    assert analytics.format == "json"


@pytest.mark.parametrize("content_type", ["application/yaml", "application/x-yaml", "text/yaml"])
def test_declared_yaml_content_type_reads_yaml(parse, content_type):
    assert parse(FLAT_YAML, filename="a.csv", content_type=content_type).format == "yaml"


def test_declared_csv_content_type_reads_csv(parse):
    assert parse(CSV_TEXT, filename="a.yaml", content_type="text/csv").format == "csv"


@pytest.mark.parametrize("content_type", [None, "application/octet-stream", "multipart/form-data; boundary=x", "text/plain"])
def test_generic_content_type_lets_the_extension_choose(parse, content_type):
    assert parse(CSV_TEXT, filename="dir/usage.CSV", content_type=content_type).format == "csv"


def test_yml_extension_reads_yaml(parse):
    assert parse(FLAT_YAML, filename="usage.yml").format == "yaml"


@pytest.mark.parametrize(
    ("text", "syntax"),
    [
        ('  {"records": [{"date": "2025-01-01", "profile": "chatbot", "inferences": 1}]}', "json"),
        ('[{"date": "2025-01-01", "profile": "chatbot", "inferences": 1}]', "json"),
        ("Date,Profile,Inferences\n2025-01-01,chatbot,1\n", "csv"),
        ('"day","profile","count"\n2025-01-01,chatbot,1\n', "csv"),
        (FLAT_YAML, "yaml"),
        ("# usage, by date\nrecords:\n  - {date: 2025-01-01, profile: chatbot, inferences: 1}\n", "yaml"),
    ],
)
def test_without_content_type_or_extension_the_syntax_is_sniffed(parse, text, syntax):
    assert parse(text, filename="usage.txt", content_type="application/octet-stream").format == syntax


def test_sniffed_flow_yaml_that_is_not_json_is_read_as_yaml(parse, rows):
    analytics = parse("[{date: 2025-01-01, profile: chatbot, inferences: 1}]")
    assert analytics.format == "yaml" and rows(analytics) == [("2025-01-01", "chatbot", 1, None, None)]


def test_sniffed_broken_json_reports_the_json_error(refuse):
    error = refuse('{"records": [1, 2}')
    assert error.code == "parse_error" and "not valid JSON" in first(error).message


# --- JSON -----------------------------------------------------------------------------------------


def test_json_syntax_error_reports_line_and_column(refuse):
    error = refuse('{"records": [\n  {"date": "2025-01-01",}\n]}', filename="a.json")
    assert error.code == "parse_error"
    assert (first(error).line, first(error).column) == (2, 25)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_refused_where_they_are(refuse, constant):
    text = '{"note": "NaN here is text",\n "records": [{"date": "2025-01-01", "profile": "chatbot", "inferences": ' \
           + constant + "}]}"
    error = refuse(text)
    assert error.code == "parse_error"
    assert (first(error).line, first(error).column) == (2, 73) and f"{constant} is not valid JSON" in first(error).message


def test_json_nested_too_deeply_is_a_clean_parse_error(refuse):
    error = refuse("[" * 100_000 + "]" * 100_000, filename="a.json")
    assert error.code == "parse_error" and "nested too deeply" in first(error).message


def test_json_error_paths_name_the_key(refuse):
    error = refuse('{"days": [{"date": "2025-01-01", "usages": {"chatbot": 1}}, '
                   '{"date": "2025-01-02", "usages": {"chatbot": {"inferences": 1, "input_tokens": "many"}}}]}')
    issue = first(error)
    assert (issue.path, issue.value, issue.line) == ("days[1].usages.chatbot.input_tokens", '"many"', None)


# --- CSV ------------------------------------------------------------------------------------------


def test_csv_error_reports_line_column_and_header(refuse):
    issue = first(refuse(CSV_TEXT + "2025-01-02,chatbot,12.5,,\n", filename="a.csv"))
    assert (issue.line, issue.column, issue.path, issue.value) == (4, 3, "inferences", "12.5")
    assert "got a decimal number" in issue.message


def test_csv_unknown_column_is_refused_with_the_accepted_columns(refuse):
    issue = first(refuse("date,profile,inferences,cost\n2025-01-01,chatbot,1,0.3\n", filename="a.csv"))
    assert (issue.line, issue.column, issue.value) == (1, 4, "cost")
    assert "unknown column 'cost'" in issue.message and "date, day, start_time, profile" in issue.message


def test_csv_missing_required_column_is_refused(refuse):
    issue = first(refuse("date,profile\n2025-01-01,chatbot\n", filename="a.csv"))
    assert issue.line == 1 and "no inferences column" in issue.message


def test_csv_column_given_under_two_names_is_refused(refuse):
    issue = first(refuse("date,day,profile,inferences\n2025-01-01,2025-01-01,chatbot,1\n", filename="a.csv"))
    assert (issue.line, issue.column) == (1, 2) and "repeats 'date'" in issue.message


def test_csv_duplicate_is_refused_with_both_lines(refuse):
    error = refuse(CSV_TEXT + "2025-01-01,chatbot,3,,\n", filename="a.csv")
    assert error.code == "duplicate"
    assert first(error).line == 4 and "(first at line 2)" in first(error).message


def test_csv_row_with_another_number_of_cells_is_refused(refuse):
    issue = first(refuse("date,profile,inferences\n2025-01-01,chatbot\n", filename="a.csv"))
    assert issue.line == 2 and "expected 3 cells" in issue.message


def test_csv_blank_lines_are_skipped(parse, rows):
    text = "\n\ndate,profile,inferences\n\n2025-01-01,chatbot,1\n,,\n"
    assert rows(parse(text, filename="a.csv")) == [("2025-01-01", "chatbot", 1, None, None)]


def test_csv_empty_inferences_cell_is_refused(refuse):
    issue = first(refuse("date,profile,inferences\n2025-01-01,chatbot,\n", filename="a.csv"))
    assert issue.path == "inferences" and "an empty value" in issue.message


def test_csv_windows_line_endings_and_quoted_cells_are_read(parse, rows):
    text = 'date,profile,inferences\r\n"2025-01-01","chatbot","7"\r\n'
    assert rows(parse(text, filename="a.csv")) == [("2025-01-01", "chatbot", 7, None, None)]


def test_csv_bad_quoting_is_a_parse_error_with_its_line(refuse):
    error = refuse('date,profile,inferences\n2025-01-01,chatbot,1\n2025-01-02,"chat"bot,1\n', filename="a.csv")
    assert error.code == "parse_error" and first(error).line == 3


def test_csv_epoch_seconds_date_gives_its_utc_day(parse):
    analytics = parse("start_time,profile,inferences\n1735689600,chatbot,1\n", filename="a.csv")
    assert analytics.cells[0].day == date(2025, 1, 1)


def one_record(form: str, day: str) -> str:
    """One chatbot inference on `day`, written in `form`."""
    return {
        "yaml": f"records:\n  - {{date: {day}, profile: chatbot, inferences: 1}}\n",
        "json": json.dumps([{"date": day, "profile": "chatbot", "inferences": 1}]),
        "csv": f"date,profile,inferences\n{day},chatbot,1\n",
    }[form]


@pytest.mark.parametrize("day", ["2000-01-01", "2100-12-31"])
@pytest.mark.parametrize("form", ["yaml", "json", "csv"])
def test_the_first_and_last_valid_dates_are_accepted_in_every_format(parse, rows, form, day):
    """analytics-format.md: a date from 2000-01-01 to 2100-12-31, both included."""
    data = one_record(form, day)
    assert [row[:3] for row in rows(parse(data))] == [(day, "chatbot", 1)]


@pytest.mark.parametrize("day", ["1999-12-31", "2101-01-01"])
@pytest.mark.parametrize("form", ["yaml", "json", "csv"])
def test_the_days_just_outside_the_valid_dates_are_refused_in_every_format(refuse, form, day):
    data = one_record(form, day)
    assert f"got {day}" in first(refuse(data)).message
