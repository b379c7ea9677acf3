"""Fuzzing `POST /api/energy` over the whole grammar of each syntax: every JSON escape (lone surrogates
included), numbers of any length, any nesting; YAML's escapes, scalars and flow nesting; CSV's quoting.

Whatever the upload holds, the answer is a 2xx or a 4xx with the JSON error shape, never a 5xx, with
saving on so that the database path runs too. An error message that quotes the input must render
whatever the input holds. Bounded (HARDENING_FUZZ_EXAMPLES raises it for a deeper local run) and
derandomised by tests/conftest.py's default hypothesis profile.
"""

from __future__ import annotations

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=int(os.environ.get("HARDENING_FUZZ_EXAMPLES", 60)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)

GOOD = {"date": "2025-01-01", "profile": "chatbot", "count": "1"}
KEYS = ["records", "days", "date", "profile", "inferences", "input_tokens", "usages", "results", "periods", "object"]

# --- JSON ------------------------------------------------------------------------------------------

HEX = "0123456789abcdefABCDEF"
JSON_ESCAPES = st.one_of(
    st.sampled_from(['\\"', "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"]),
    st.text(HEX, min_size=4, max_size=4).map(lambda hexa: "\\u" + hexa),
    st.sampled_from(["\\ud800", "\\udfff", "\\udc00\\ud800", "\\ud83d\\ude00", "\\u0000", "\\ufeff", "\\u202e"]),
)
JSON_CHARS = st.characters(min_codepoint=0x20, blacklist_categories=("Cs",), blacklist_characters='"\\')
JSON_STRINGS = st.lists(st.one_of(JSON_CHARS, JSON_ESCAPES), max_size=10).map(lambda parts: '"' + "".join(parts) + '"')
DIGITS = st.one_of(
    st.text("0123456789", min_size=1, max_size=20),
    st.integers(4290, 5000).map(lambda n: "9" * n),  # around Python's int-string conversion limit (4300 digits)
)
JSON_NUMBERS = st.builds(
    lambda sign, whole, fraction, exponent: sign + whole + fraction + exponent,
    st.sampled_from(["", "-"]),
    st.one_of(st.just("0"), st.builds(lambda first, rest: first + rest, st.sampled_from("123456789"), DIGITS)),
    st.one_of(st.just(""), DIGITS.map(lambda digits: "." + digits)),
    st.one_of(st.just(""), st.builds(lambda e, sign, digits: e + sign + digits, st.sampled_from("eE"),
                                     st.sampled_from(["", "+", "-"]), DIGITS)),
)
JSON_LEAVES = st.one_of(st.sampled_from(["null", "true", "false"]), JSON_NUMBERS, JSON_STRINGS,
                        st.sampled_from(['"2025-01-01"', '"chatbot"', "1", "1735689600"]))
WHITESPACE = st.sampled_from(["", " ", "\n", "\t", "\r\n"])


def json_values(leaves=JSON_LEAVES):
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=4).map(lambda items: "[" + ",".join(items) + "]"),
            st.lists(st.tuples(st.one_of(JSON_STRINGS, st.sampled_from(KEYS).map(lambda k: f'"{k}"')), children),
                     max_size=4).map(lambda pairs: "{" + ",".join(f"{key}:{value}" for key, value in pairs) + "}"),
        ),
        max_leaves=12,
    )


@st.composite
def deeply_nested(draw, inner) -> str:
    depth = draw(st.integers(1, 3000))
    opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}"), ('{"records":[', "]}")]))
    return opener * depth + draw(inner) + closer * depth


@st.composite
def json_documents(draw) -> str:
    value = json_values()
    fields = {name: draw(st.one_of(st.just(f'"{GOOD[name]}"' if name != "count" else GOOD[name]),
                                   JSON_STRINGS, JSON_NUMBERS, value))
              for name in GOOD}
    extra = draw(st.one_of(st.just(""), st.tuples(JSON_STRINGS, value).map(lambda kv: f",{kv[0]}:{kv[1]}")))
    record = f'{{"date":{fields["date"]},"profile":{fields["profile"]},"inferences":{fields["count"]}{extra}}}'
    shapes = [
        f'{{"records":[{record}]}}',
        f'[{record}]',
        f'{{"days":[{{"date":{fields["date"]},"usages":{{{fields["profile"]}:{fields["count"]}}}}}]}}',
        f'{{"results":[{{"id":{fields["profile"]},"name":{fields["profile"]},"periods":[{{"periodStartDate":'
        f'{fields["date"]},"periodEndDate":"2025-01-02","aiQueryCount":{fields["count"]}}}]}}]}}',
        f'{{"object":"page","data":[{{"start_time":{fields["count"]},"end_time":{fields["count"]},"results":'
        f'[{{"model":{fields["profile"]},"num_model_requests":{fields["count"]},"input_tokens":1,"output_tokens":1}}]}}]}}',
        draw(value),
        draw(deeply_nested(value)),
    ]
    return draw(WHITESPACE) + draw(st.sampled_from(shapes)) + draw(WHITESPACE)


# --- YAML ------------------------------------------------------------------------------------------

YAML_ESCAPES = st.one_of(
    st.sampled_from(["\\0", "\\a", "\\b", "\\t", "\\n", "\\v", "\\f", "\\r", "\\e", "\\ ", '\\"', "\\/", "\\\\",
                     "\\N", "\\_", "\\L", "\\P", "\\ud800", "\\U0001F600", "\\U0010FFFF", "\\UFFFFFFFF"]),
    st.text(HEX, min_size=2, max_size=2).map(lambda hexa: "\\x" + hexa),
    st.text(HEX, min_size=4, max_size=4).map(lambda hexa: "\\u" + hexa),
)
YAML_CHARS = st.characters(min_codepoint=0x20, blacklist_categories=("Cs", "Cc"), blacklist_characters='"\\')
YAML_SCALARS = st.one_of(
    st.lists(st.one_of(YAML_CHARS, YAML_ESCAPES), max_size=10).map(lambda parts: '"' + "".join(parts) + '"'),
    st.text(YAML_CHARS, max_size=10).map(lambda text: "'" + text.replace("'", "''") + "'"),
    DIGITS, JSON_NUMBERS,
    st.sampled_from(["~", "null", "yes", "0x10", "0o17", "0123", "+5", "1_000", ".inf", "-.inf", ".nan", "2025-01-01",
                     "2025-01-01T23:30:00+02:00", "chatbot", "&a 1", "*a", "!!str 1", "!!int 1", "? x", "|\n  1\n"]),
)


def yaml_values():
    return st.recursive(
        YAML_SCALARS,
        lambda children: st.one_of(
            st.lists(children, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
            st.lists(st.tuples(st.one_of(YAML_SCALARS, st.sampled_from(KEYS)), children), max_size=4)
            .map(lambda pairs: "{" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}"),
        ),
        max_leaves=12,
    )


@st.composite
def yaml_documents(draw) -> str:
    value = yaml_values()
    fields = {name: draw(st.one_of(st.just(GOOD[name]), YAML_SCALARS, value)) for name in GOOD}
    shapes = [
        f"records:\n- date: {fields['date']}\n  profile: {fields['profile']}\n  inferences: {fields['count']}\n",
        f"records:\n  - {{date: {fields['date']}, profile: {fields['profile']}, inferences: {fields['count']}}}\n",
        f"days:\n- date: {fields['date']}\n  usages:\n    {fields['profile']}: {fields['count']}\n",
        f"results:\n- id: {fields['profile']}\n  periods:\n  - {{periodStartDate: {fields['date']}, "
        f"periodEndDate: 2025-01-02, aiQueryCount: {fields['count']}}}\n",
        draw(value),
        "a: " + "[" * (depth := draw(st.integers(1, 3000))) + draw(value) + "]" * depth,
    ]
    return draw(st.sampled_from(["", "%YAML 1.1\n---\n", "---\n"])) + draw(st.sampled_from(shapes))


# --- CSV -------------------------------------------------------------------------------------------

CSV_CELLS = st.one_of(
    st.sampled_from(["2025-01-01", "chatbot", "1", "", " 7 ", "1,5", "1.5", "-1", "0123", "1e3", "1735689600"]),
    DIGITS,
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=8),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=8).map(lambda text: '"' + text.replace('"', '""') + '"'),
)


@st.composite
def csv_documents(draw) -> str:
    separator = draw(st.sampled_from([",", ";", "\t"]))
    header = draw(st.one_of(st.just(["date", "profile", "inferences"]),
                            st.lists(st.sampled_from(["date", "Profile ", "inferences", "input_tokens", "x", '"date"']),
                                     min_size=1, max_size=5)))
    rows = draw(st.lists(st.lists(CSV_CELLS, min_size=len(header) - 1, max_size=len(header) + 1), max_size=5))
    line_end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return draw(st.sampled_from(["", "\ufeff"])) + line_end.join(separator.join(row) for row in [header, *rows]) + line_end


# --- Through HTTP ----------------------------------------------------------------------------------

CONTENT_TYPES = {"json": "application/json", "yaml": "application/yaml", "csv": "text/csv"}


@pytest.fixture
def post_upload(token_client, methodology_v1):
    """post_upload(text, syntax, multipart) -> response of POST /api/energy (saving on)."""

    def _post(text: str, syntax: str, multipart: bool):
        data = text.encode("utf-8")
        if multipart:
            upload = SimpleUploadedFile(f"analytics.{syntax}", data, "application/octet-stream")
            return token_client.post("/api/energy?save=true", {"analytics_file": upload}, format="multipart")
        return token_client.post("/api/energy?save=true", data=data, content_type=CONTENT_TYPES[syntax])

    return _post


def assert_answered(response) -> None:
    """A 2xx, or a 4xx with the JSON error shape; never a 5xx."""
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"}
        assert isinstance(body["error"]["code"], str) and body["error"]["code"]
        assert isinstance(body["error"]["message"], str) and body["error"]["message"]
        for detail in body["error"].get("details", []):
            assert isinstance(detail["message"], str)


@FUZZ
@given(text=json_documents(), multipart=st.booleans())
def test_any_json_of_the_grammar_gets_a_2xx_or_a_4xx_error(post_upload, text, multipart):
    assert_answered(post_upload(text, "json", multipart))


@FUZZ
@given(text=yaml_documents(), multipart=st.booleans())
def test_any_yaml_of_the_grammar_gets_a_2xx_or_a_4xx_error(post_upload, text, multipart):
    assert_answered(post_upload(text, "yaml", multipart))


@FUZZ
@given(text=csv_documents(), multipart=st.booleans())
def test_any_csv_of_the_grammar_gets_a_2xx_or_a_4xx_error(post_upload, text, multipart):
    assert_answered(post_upload(text, "csv", multipart))
