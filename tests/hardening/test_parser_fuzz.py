"""Fuzzing the analytics parser: whatever the bytes, it returns Analytics or raises AnalyticsError
(never another exception), and what it returns obeys the format's rules."""

from __future__ import annotations

import json
import os
from datetime import date

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculations.engine.analytics import MAX_COUNT, MAX_ERRORS, Analytics, AnalyticsError
from calculations.engine.parser import parse_analytics

# HARDENING_FUZZ_EXAMPLES=5000 for a deeper local run.
FUZZ = settings(max_examples=int(os.environ.get("HARDENING_FUZZ_EXAMPLES", 250)), deadline=None, suppress_health_check=[HealthCheck.too_slow])

FILENAMES = st.sampled_from([None, "a.yaml", "a.yml", "a.json", "a.csv", "a.bin", "a.YAML", "dir\\a.csv"])
CONTENT_TYPES = st.sampled_from([None, "application/yaml", "application/json", "text/csv", "text/plain",
                                 "multipart/form-data", "application/json; charset=utf-16"])
PROFILE_OPTIONS = st.sampled_from([None, None, "chatbot", "no_such_profile"])

# The grammar's tokens: every field name of sections 1-5, and values good and hostile.
KEYS = [
    "days", "records", "source", "tenant", "date", "day", "start_time", "usages", "profile", "usage", "use_case",
    "event_type", "inferences", "count", "requests", "num_model_requests", "input_tokens", "prompt_tokens",
    "output_tokens", "completion_tokens", "chatbot", "completion", "summary", "translation", "search_answer",
    "unknown_profile", "results", "periods", "periodStartDate", "periodEndDate", "aiQueryCount", "genaiQueryCount",
    "id", "name", "type", "startDate", "endDate", "object", "data", "has_more", "next_page", "end_time", "model",
    "project_id", "user_id", "api_key_id", "batch", "service_tier", "input_cached_tokens",
]
SCALARS = st.one_of(
    st.sampled_from([
        "2025-01-01", "2025-02-30", "1999-12-31", "2101-01-01", "2025-01-01T23:30:00+02:00", "2025-13-01",
        "chatbot", "completion", "translation", "ChatWithMe", "page", "bucket", "organization.usage.completions.result",
        "gpt-4.1-2025-04-14", "NaN", "Infinity", "-Infinity", ".nan", ".inf", "~", "null", "yes", "0x10", "0123",
        "+5", "1_000", "1e3", "", " ", "\u00e9t\u00e9", "\u202e", "\ufeff",
    ]),
    st.integers(min_value=-(10**13), max_value=10**13),
    st.sampled_from([0, 1, MAX_COUNT, MAX_COUNT + 1, -1, 1735689600, 1735689600 + 3600, 10**20, -(10**20)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.text(max_size=12),
)
TREES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), children, max_size=6),
    ),
    max_leaves=40,
)
TEXT_TOKENS = st.sampled_from([
    "&a ", "*a", "!!python/object/apply:os.system ['true'] ", "!!str ", "!tag ", "---\n", "...\n", "? ", ": ", "- ",
    "{", "}", "[", "]", ",", "\"", "'", "#", "\n", "\t", "\r\n", "\x00", "\ufeff", "\\", "%YAML 1.2\n", "<<: *a\n",
])


def yaml_text(tree) -> str:
    return yaml.safe_dump(tree, allow_unicode=True, default_flow_style=None, sort_keys=False)


def json_text(tree) -> str:
    return json.dumps(tree, ensure_ascii=False)  # NaN and Infinity go out as JSON's forbidden constants


@st.composite
def csv_text(draw) -> str:
    header = draw(st.lists(st.sampled_from(KEYS[4:20] + ["", "Date", " profile ", "extra"]), min_size=1, max_size=6))
    cells = st.one_of(SCALARS.map(lambda v: "" if v is None else str(v)), TEXT_TOKENS)
    rows = draw(st.lists(st.lists(cells, max_size=len(header) + 1), max_size=8))
    return "\n".join(",".join(row) for row in [header, *rows]) + draw(st.sampled_from(["", "\n", "\r\n"]))


@st.composite
def mutated(draw, texts) -> str:
    """A grammar-shaped text with a few hostile tokens spliced in at random places."""
    text = draw(texts)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(TEXT_TOKENS) + text[at:]
    return text


SHAPED_TEXT = st.one_of(TREES.map(yaml_text), TREES.map(json_text), csv_text())
ENCODINGS = st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1"])


def check_outcome(data: bytes, parameters, **options) -> None:
    try:
        analytics = parse_analytics(data, parameters, **options)
    except AnalyticsError as error:
        assert 1 <= len(error.issues) <= MAX_ERRORS
        assert isinstance(error.code, str) and error.code
        for issue in error.issues:  # what the API and the web page show must render
            assert isinstance(str(issue), str)
            json.dumps(issue.as_dict())
        return
    assert isinstance(analytics, Analytics)
    assert analytics.cells, "an accepted file has records"
    keys = [(cell.day, cell.profile) for cell in analytics.cells]
    assert keys == sorted(set(keys)), "cells are sorted and unique per (day, profile)"
    for cell in analytics.cells:
        assert date(2000, 1, 1) <= cell.day <= date(2100, 12, 31)
        assert cell.profile in parameters.profiles
        for count in (cell.inferences, cell.input_tokens, cell.output_tokens):
            assert count is None or (type(count) is int and 0 <= count <= MAX_COUNT)
    assert analytics.size_bytes == len(data)


@FUZZ
@given(data=st.binary(max_size=3000), filename=FILENAMES, content_type=CONTENT_TYPES, profile=PROFILE_OPTIONS)
def test_random_bytes_give_analytics_or_an_analytics_error(default_parameters, data, filename, content_type, profile):
    check_outcome(data, default_parameters, filename=filename, content_type=content_type, profile=profile)


@FUZZ
@given(text=mutated(SHAPED_TEXT), encoding=ENCODINGS, filename=FILENAMES, content_type=CONTENT_TYPES,
       profile=PROFILE_OPTIONS)
def test_grammar_shaped_text_gives_analytics_or_an_analytics_error(default_parameters, text, encoding, filename,
                                                                    content_type, profile):
    data = text.encode(encoding, errors="surrogatepass") if encoding.startswith("utf") else \
        text.encode(encoding, errors="replace")
    check_outcome(data, default_parameters, filename=filename, content_type=content_type, profile=profile)


@FUZZ
@given(
    records=st.lists(
        st.fixed_dictionaries(
            {"date": st.dates(date(1990, 1, 1), date(2110, 12, 31)).map(str),
             "profile": st.sampled_from(["chatbot", "completion", "summary", "nope"]),
             "inferences": st.one_of(st.integers(-5, 10**12 + 5), st.sampled_from(["1", 1.5, True, None]))},
            optional={"input_tokens": st.integers(-1, 10**13), "output_tokens": st.integers(0, 10**6)},
        ),
        max_size=30,
    ),
    syntax=st.sampled_from(["yaml", "json"]),
)
def test_near_valid_records_are_accepted_exactly_when_every_rule_holds(default_parameters, records, syntax):
    """Well-formed documents whose values straddle the rules: accepted iff each value is valid."""
    text = yaml_text({"records": records}) if syntax == "yaml" else json_text({"records": records})

    def valid(record) -> bool:
        counts = [record["inferences"], record.get("input_tokens", 0), record.get("output_tokens", 0)]
        return ("2000-01-01" <= record["date"] <= "2100-12-31" and record["profile"] != "nope"
                and all(type(c) is int and 0 <= c <= MAX_COUNT for c in counts))

    keys = [(r["date"], r["profile"]) for r in records]
    should_pass = bool(records) and all(valid(r) for r in records) and len(set(keys)) == len(keys)
    try:
        analytics = parse_analytics(text.encode(), default_parameters, content_type=f"application/{syntax}")
    except AnalyticsError:
        assert not should_pass
    else:
        assert should_pass
        assert sum(c.inferences for c in analytics.cells) == sum(r["inferences"] for r in records)
