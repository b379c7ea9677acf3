"""The streamed YAML path of the parser (native documents read straight from libyaml's events)
against the tree path it short-cuts: same cells, format, hash and size on every valid input, and
the same refusals, worded the same, on every invalid one."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculations.engine.parser import encoding, registry
from calculations.engine.analytics import AnalyticsError
from calculations.engine.parser import parse_analytics
from calculations.engine.parser.issues import Issues
from calculations.engine.parser.native import NativeReader
from calculations.engine.parser.values import is_count_text
from calculations.engine.parser.yaml_stream import stream_native_yaml

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CODES = ["chatbot", "completion", "search_answer", "summary", "translation"]


def outcome(data: bytes, parameters, **options) -> tuple:
    """What parse_analytics gives, as comparable values: the analytics or the refusal. The line path
    (yaml_lines.py, test_yaml_lines.py) is switched off: the streamed path is the one under test."""
    with mock.patch.object(registry, "read_yaml_lines", return_value=None):
        return any_outcome(data, parameters, **options)


def any_outcome(data: bytes, parameters, **options) -> tuple:
    """What parse_analytics gives, whichever path reads the file."""
    try:
        analytics = parse_analytics(data, parameters, **options)
    except AnalyticsError as error:
        return "refused", error.code, [issue.as_dict() for issue in error.issues]
    cells = analytics.cells
    return "parsed", cells.columns(), analytics.format, analytics.sha256, analytics.size_bytes, analytics.mappings


def tree_outcome(data: bytes, parameters, **options) -> tuple:
    """The same with the line and streamed paths switched off: the tree path reads everything."""
    with mock.patch.object(registry, "stream_native_yaml", return_value=None):
        return outcome(data, parameters, **options)


def streamed(data: bytes, parameters) -> bool:
    """True when the streamed path reads `data` on its own (no fall back to the tree)."""
    reader = NativeReader(parameters, Issues(parameters), syntax="yaml")
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    return stream_native_yaml(body, reader) is not None


def assert_same(data: str | bytes, parameters, **options) -> tuple:
    data = data.encode("utf-8") if isinstance(data, str) else data
    fast = outcome(data, parameters, **options)
    assert fast == tree_outcome(data, parameters, **options)
    return fast


# --- Valid inputs: the streamed path reads them, and gives what the tree path gives ---------------

VALID_NATIVE = {
    "flat": """
records:
  - {date: 2025-01-01, profile: chatbot, inferences: 1250}
  - {date: 2025-01-01, profile: search_answer, inferences: 430, input_tokens: 1290000, output_tokens: 107500}
  - {date: 2025-01-02, profile: chatbot, inferences: 0}
""",
    "block style with source, tenant and comments": """
# exported by hand
source: fluid-topics
tenant: docs.example.com
records:
  - date: 2025-01-01
    profile: chatbot
    inferences: 1000000000000   # the largest count
    output_tokens: 7
  - date: 2025-01-02
    profile: completion
    inferences: 3
    input_tokens: 0
""",
    "aliases of the field names": """
records:
  - {day: 2025-01-01, usage: chatbot, count: 1, prompt_tokens: 2, completion_tokens: 3}
  - {start_time: 1735776000, use_case: chatbot, requests: 4}
  - {date: "2025-01-03", event_type: 'summary', num_model_requests: 5}
  - {start_time: 2025-01-03T23:30:00-02:00, profile: summary, inferences: 6}
""",
    "quoted keys, dates and profiles": """
"records":
  - {'date': '2025-01-01', "profile": "chatbot", inferences: 1}
  - {date: "2025-01-01T10:00:00Z", profile: 'completion', inferences: 2}
""",
    "top-level list": """
- {date: 2025-03-01, profile: translation, inferences: 9}
- {date: 2025-03-01, profile: chatbot, inferences: 8}
- {date: 2025-02-28, profile: chatbot, inferences: 7}
""",
    "nested days": """
days:
  - date: 2025-01-01
    usages:
      chatbot: 1250
      search_answer: 430
  - date: 2025-01-02
    usages:
      chatbot: {inferences: 1100, input_tokens: 1650000, output_tokens: 420000}
      completion: 75
      summary: {count: 1, prompt_tokens: 2}
      translation: {requests: 1, completion_tokens: 2}
  - day: 2025-01-03
    usages: {}
  - start_time: 1735948800
    usages: {chatbot: 5}
""",
    "nested days out of order": """
days:
  - {date: 2025-01-05, usages: {translation: 1, chatbot: 2}}
  - {date: 2025-01-01, usages: {completion: 3}}
  - {date: 2025-01-05, usages: {completion: 4}}
""",
    "the same day written two ways, in order": """
records:
  - {date: 2025-01-01, profile: chatbot, inferences: 1}
  - {date: "2025-01-01T12:00:00", profile: completion, inferences: 2}
  - {date: 1735689600, profile: summary, inferences: 3}
""",
    "days and records in one document, records first": """
records:
  - {date: 2025-01-02, profile: chatbot, inferences: 1}
days:
  - {date: 2025-01-01, usages: {chatbot: 2}}
""",
    "explicit document markers": "%YAML 1.1\n---\nrecords: [{date: 2025-01-01, profile: chatbot, inferences: 1}]\n...\n",
    "& and ! in text and comments": """
tenant: "R&D, docs!"   # anchors & tags! are refused, not these
days:
  - {date: 2025-01-01, usages: {chatbot: 1, summary: {inferences: 2, output_tokens: 3}}}
records: [{date: 2025-01-02, profile: chatbot, inferences: 4}]
""",
    "flow style root": '{"records": [{"date": "2025-01-01", "profile": "chatbot", "inferences": 1}]}',
}


@pytest.mark.parametrize("text", VALID_NATIVE.values(), ids=VALID_NATIVE.keys())
def test_valid_native_yaml_is_streamed_and_read_as_by_the_tree(text, parameters):
    assert streamed(text.encode(), parameters)
    assert assert_same(text, parameters)[0] == "parsed"
    assert assert_same(text, parameters, filename="usage.yml")[0] == "parsed"


def test_unsorted_records_are_sorted_like_the_tree_path(parameters):
    rng = random.Random(7)
    cells = [(date(2025, 1, 1) + timedelta(days=day), code) for day in range(30) for code in CODES]
    rng.shuffle(cells)
    lines = ["records:"] + [f"  - {{date: {day}, profile: {code}, inferences: {rng.randrange(10**6)}}}" for day, code in cells]
    text = "\n".join(lines) + "\n"
    assert streamed(text.encode(), parameters)
    parsed = assert_same(text, parameters)
    assert parsed[1][0] == sorted(parsed[1][0])


@pytest.mark.parametrize("bom", [b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf"])
def test_a_byte_order_mark_is_skipped_on_both_paths(bom, parameters):
    assert assert_same(bom + VALID_NATIVE["flat"].encode(), parameters)[0] == "parsed"


VALID_ELSEWHERE = {
    "usages before the date": "days:\n  - usages: {chatbot: 1}\n    date: 2025-01-01\n",
    "source as a mapping": "source: {name: x}\nrecords: [{date: 2025-01-01, profile: chatbot, inferences: 1}]\n",
    "Fluid Topics export": json.dumps({
        "startDate": "2025-01-01", "endDate": "2025-01-03",
        "results": [{"id": "a", "name": "chatbot", "periods": [
            {"periodStartDate": "2025-01-01", "periodEndDate": "2025-01-02", "aiQueryCount": 3}]}],
    }),
    "OpenAI usage report as YAML": """
object: page
has_more: false
next_page: null
data:
  - object: bucket
    start_time: 1735689600
    end_time: 1735776000
    results:
      - {object: organization.usage.completions.result, num_model_requests: 5, input_tokens: 1000, output_tokens: 500}
""",
}


@pytest.mark.parametrize("text", VALID_ELSEWHERE.values(), ids=VALID_ELSEWHERE.keys())
def test_other_valid_documents_fall_back_to_the_tree_path(text, parameters):
    assert not streamed(text.encode(), parameters)
    # The profile option only for the OpenAI report without models: elsewhere it is refused (issue 15.4).
    profile = {"profile": "chatbot"} if "organization.usage" in text else {}
    assert assert_same(text, parameters, content_type="application/yaml", **profile)[0] == "parsed"


@pytest.mark.parametrize("options", [{"content_type": "application/json"}, {"filename": "usage.json"}, {}])
def test_json_reads_as_before(options, parameters):
    document = {
        "days": [{"date": "2025-01-02", "usages": {"chatbot": 3, "summary": {"inferences": 1, "input_tokens": 5}}}],
        "records": [{"date": "2025-01-01", "profile": "chatbot", "inferences": 2}],
    }
    parsed = assert_same(json.dumps(document, indent=1), parameters, **options)
    assert parsed[0] == "parsed" and parsed[2] == "json"


# --- Refusals: the same issues, worded the same ----------------------------------------------------

RECORD = "{date: 2025-01-01, profile: chatbot, inferences: 1}"
REFUSED = {
    "duplicate record": f"records:\n  - {RECORD}\n  - {RECORD}\n",
    "duplicate out of order": f"records:\n  - {RECORD}\n  - {{date: 2024-12-31, profile: chatbot, inferences: 1}}\n  - {RECORD}\n",
    "duplicate across days and records": f"records: [{RECORD}]\ndays: [{{date: 2025-01-01, usages: {{chatbot: 5}}}}]\n",
    "duplicate usage key": "days: [{date: 2025-01-01, usages: {chatbot: 1, chatbot: 2}}]\n",
    "duplicate day": "days:\n  - {date: 2025-01-01, usages: {chatbot: 1}}\n  - {date: 2025-01-01, usages: {chatbot: 2}}\n",
    "unknown profile": "records: [{date: 2025-01-01, profile: chatbott, inferences: 1}]\n",
    "unknown profile in usages": "days: [{date: 2025-01-01, usages: {chatbot: 1, nope: 2}}]\n",
    "impossible date": "records: [{date: 2025-02-30, profile: chatbot, inferences: 1}]\n",
    "date out of range": "records: [{date: 1999-12-31, profile: chatbot, inferences: 1}]\n",
    "date as text": "days: [{date: tomorrow, usages: {chatbot: 1}}]\n",
    "float": "records: [{date: 2025-01-01, profile: chatbot, inferences: 1.5}]\n",
    "boolean": "records: [{date: 2025-01-01, profile: chatbot, inferences: yes}]\n",
    "negative": "days: [{date: 2025-01-01, usages: {chatbot: -1}}]\n",
    "above 10^12": "records: [{date: 2025-01-01, profile: chatbot, inferences: 1, input_tokens: 1000000000001}]\n",
    "octal-looking": "records: [{date: 2025-01-01, profile: chatbot, inferences: 0123}]\n",
    "quoted count after the same plain count": (
        "records:\n  - {date: 2025-01-01, profile: chatbot, inferences: 5}\n"
        "  - {date: 2025-01-02, profile: chatbot, inferences: '5'}\n"
    ),
    "quoted usage count after the same plain count": "days: [{date: 2025-01-01, usages: {chatbot: 5, summary: \"5\"}}]\n",
    "block scalar count": "days: [{date: 2025-01-01, usages: {chatbot: |\n    5\n}}]\n",
    "quoted count": "days: [{date: 2025-01-01, usages: {chatbot: {inferences: '5'}}}]\n",
    "null tokens": "records: [{date: 2025-01-01, profile: chatbot, inferences: 1, output_tokens: ~}]\n",
    "missing inferences": "days: [{date: 2025-01-01, usages: {chatbot: {input_tokens: 5}}}]\n",
    "anchor on a record": "records:\n  - &first {date: 2025-01-01, profile: chatbot, inferences: 1}\n",
    "anchor on a value": "records: [{date: &d 2025-01-01, profile: chatbot, inferences: 1}]\n",
    "alias": "records:\n  - {date: &d 2025-01-01, profile: chatbot, inferences: 1}\n  - {date: *d, profile: summary, inferences: 1}\n",
    "tag on a value": "records: [{date: 2025-01-01, profile: chatbot, inferences: !!int 1}]\n",
    "tag on a key": "records: [{!!str date: 2025-01-01, profile: chatbot, inferences: 1}]\n",
    "python tag": "records: !!python/object:os.system [ls]\n",
    "tag on the root": "!!map {records: []}\n",
    "two documents": f"records: [{RECORD}]\n---\nrecords: []\n",
    "unknown field": "records: [{date: 2025-01-01, profile: chatbot, inferences: 1, region: eu}]\n",
    "one field under two names": "records: [{date: 2025-01-01, day: 2025-01-01, profile: chatbot, inferences: 1}]\n",
    "a key twice": "records: [{date: 2025-01-01, profile: chatbot, inferences: 1, inferences: 2}]\n",
    "unknown top-level key": f"records: [{RECORD}]\nextra: 1\n",
    "top-level key twice": f"records: [{RECORD}]\nrecords: [{RECORD}]\n",
    "usages twice": "days: [{date: 2025-01-01, usages: {chatbot: 1}, usages: {summary: 1}}]\n",
    "a day's date twice": "days: [{date: 2025-01-01, day: 2025-01-02, usages: {chatbot: 1}}]\n",
    "anchor on a usage's profile": "days: [{date: 2025-01-01, usages: {&p chatbot: 1}}]\n",
    "anchor on a usage's count": "days: [{date: 2025-01-01, usages: {chatbot: &c 1}}]\n",
    "tag on a usage's count": "days: [{date: 2025-01-01, usages: {chatbot: !!int 1}}]\n",
    "anchor on the source": f"source: &s docs\nrecords: [{RECORD}]\n",
    "unknown top-level key holding records": f"records: [{RECORD}]\nextra: [{{date: 2025-01-02, profile: chatbot, inferences: 1}}]\n",
    "top-level key twice with other records": f"records: [{RECORD}]\nrecords: [{{date: 2025-01-02, profile: chatbot, inferences: 1}}]\n",
    "anchor on the records list": "records: &r\n  - {date: 2025-01-01, profile: chatbot, inferences: 1}\n",
    "no usages": "days: [{date: 2025-01-01}]\n",
    "usages as a list": "days: [{date: 2025-01-01, usages: [chatbot]}]\n",
    "records as a mapping": "records: {date: 2025-01-01}\n",
    "a record as a list": "records: [[2025-01-01, chatbot, 1]]\n",
    "a nested value": "records: [{date: {profile: chatbot}, profile: chatbot, inferences: 1}]\n",
    "a key as a mapping": "records: [{? {a: 1} : 2, date: 2025-01-01, profile: chatbot, inferences: 1}]\n",
    "empty file": "",
    "only comments": "# nothing\n",
    "no records": "source: x\ntenant: y\n",
    "empty lists": "records: []\ndays: []\n",
    "days without usages": "days: [{date: 2025-01-01, usages: {}}]\n",
    "a scalar root": "2025-01-01\n",
    "parse error after valid records": f"records:\n  - {RECORD}\n  - {{date: 2025-01-02\n",
    "tab indentation error": f"records:\n  - {RECORD}\n\t- x\n",
    "many errors": "records:\n" + "".join(f"  - {{date: 2025-01-{day:02d}, profile: nope{day}, inferences: -1}}\n" for day in range(1, 30)),
}


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_refusals_are_the_tree_paths(text, parameters):
    assert not streamed(text.encode(), parameters)
    assert assert_same(text, parameters)[0] == "refused"


def test_encoding_refusals_are_unchanged(parameters):
    for data in (b"records: [{date: 2025-01-01, profile: caf\xe9}]\n", b"\xff\xferecords", b"records:\x00 []\n"):
        assert assert_same(data, parameters, content_type="application/yaml")[0] == "refused"


# --- Generated documents: both paths agree, valid or not -------------------------------------------

_NAMES = {
    "date": ["date", "day", "start_time"],
    "profile": ["profile", "usage", "use_case", "event_type"],
    "inferences": ["inferences", "count", "requests", "num_model_requests"],
    "input_tokens": ["input_tokens", "prompt_tokens"],
    "output_tokens": ["output_tokens", "completion_tokens"],
}
_DAYS = [date(2025, 1, 1) + timedelta(days=n) for n in range(6)]
_GOOD_COUNTS = st.sampled_from(["0", "7", "1250", "1000000000000"]) | st.integers(0, 10**12).map(str)
_BAD_COUNTS = st.sampled_from(["-1", "1.5", "yes", "~", "'5'", "0x10", "1_000", "1000000000001", ".inf", "&a 1", "!!int 3"])
_DATE_TEXTS = st.sampled_from(_DAYS).flatmap(lambda day: st.sampled_from([
    day.isoformat(), f'"{day.isoformat()}"', f"{day.isoformat()}T08:00:00Z",
    str(int((day - date(1970, 1, 1)).total_seconds())),
]))
_BAD_DATES = st.sampled_from(["2025-02-30", "1999-12-31", "soon", "~", "*alias"])


@st.composite
def native_documents(draw) -> str:
    """A flat, listed or nested document of a few cells, sometimes unsorted, duplicated or invalid."""
    invalid = draw(st.integers(0, 4)) == 0

    def count() -> str:
        return draw(_BAD_COUNTS if invalid and draw(st.integers(0, 5)) == 0 else _GOOD_COUNTS)

    def day_text() -> str:
        return draw(_BAD_DATES if invalid and draw(st.integers(0, 8)) == 0 else _DATE_TEXTS)

    keys = draw(st.lists(st.tuples(st.integers(0, len(_DAYS) - 1), st.sampled_from(CODES + ["nope"] * invalid)),
                         min_size=0, max_size=12, unique=not invalid))
    if draw(st.booleans()):
        keys.sort()
    form = draw(st.sampled_from(["records", "list", "days"]))
    if form == "days":
        lines = ["days:"]
        for day in sorted({day for day, _ in keys}, key=lambda d: draw(st.integers(0, 3)) * 10 + d):
            lines += [f"  - {draw(st.sampled_from(_NAMES['date']))}: {day_text() if invalid else _DAYS[day]}", "    usages:"]
            lines += [f"      {code}: " + (count() if draw(st.booleans()) else
                                           f"{{{draw(st.sampled_from(_NAMES['inferences']))}: {count()}, "
                                           f"{draw(st.sampled_from(_NAMES['output_tokens']))}: {count()}}}")
                      for other, code in keys if other == day]
    else:
        lines = ["records:"] if form == "records" else []
        indent = "  " if form == "records" else ""
        for day, code in keys:
            fields = {"date": day_text() if invalid else _DAYS[day].isoformat(), "profile": code, "inferences": count()}
            for name in ("input_tokens", "output_tokens"):
                if draw(st.booleans()):
                    fields[name] = count()
            written = ", ".join(f"{draw(st.sampled_from(_NAMES[name]))}: {value}" for name, value in fields.items())
            lines.append(f"{indent}- {{{written}}}")
    return "\n".join(lines) + "\n"


@PROPERTY
@given(native_documents())
def test_generated_documents_read_the_same_on_both_paths(parameters, text):
    assert_same(text, parameters, content_type="application/yaml")


# --- Encoding checked on the bytes, without decoding a YAML upload whole --------------------------

ONE_RECORD = "records: [{date: 2025-01-01, profile: chatbot, inferences: 1}]\n"


def test_non_ascii_utf8_across_check_chunks_is_accepted(parameters):
    # 2- and 3-byte characters, some cut by the 1 MiB chunks of the check
    padding = "# " + "é€" * (encoding.CHECK_CHUNK // 2) + "\n"
    data = ("\ufeff" + padding + ONE_RECORD).encode("utf-8")
    assert len(data) > 2 * encoding.CHECK_CHUNK
    assert assert_same(data, parameters)[0] == "parsed"


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_bad_byte_far_in_the_file_is_located(bom, parameters):
    lines = "# " + "é" * 100 + "\n"
    head = (lines * (encoding.CHECK_CHUNK // len(lines.encode()) + 5)).encode("utf-8")
    data = bom + head + b"source: caf\xe9\n" + ONE_RECORD.encode()
    error = pytest.raises(AnalyticsError, parse_analytics, data, parameters).value
    (issue,) = error.issues
    line_count = head.count(b"\n")
    assert error.code == "encoding"
    assert (issue.line, issue.column, issue.value) == (line_count + 1, 12, "0xE9")
    assert f"at byte offset {len(bom) + len(head) + 11} " in issue.message


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_nul_byte_is_located_in_characters_and_bytes(bom, parameters):
    data = bom + "# é\nsource: x\x00\n".encode("utf-8") + ONE_RECORD.encode()
    error = pytest.raises(AnalyticsError, parse_analytics, data, parameters).value
    (issue,) = error.issues
    assert (issue.line, issue.column, issue.value) == (2, 10, "0x00")
    assert f"NUL byte at byte offset {len(bom) + 14}:" in issue.message


@pytest.mark.parametrize("blank", [" ", "\n", "\t", "\u3000"])
@pytest.mark.parametrize(("text", "syntax"), [
    ("date,profile,inferences\n2025-01-01,chatbot,1\n", "csv"),
    ('{"records": [{"date": "2025-01-01", "profile": "chatbot", "inferences": 1}]}', "json"),
    (ONE_RECORD, "yaml"),
])
def test_sniffing_after_a_long_blank_start_reads_on(blank, text, syntax):
    """Past _SNIFF_BYTES of blanks the syntax is sniffed from the whole text, as on a short file."""
    for blanks in (3, encoding.SNIFF_BYTES):
        assert registry.choose_syntax((blank * blanks + text).encode("utf-8"), None, None) == (syntax, True)


def test_count_text_rule_is_the_regex_it_replaces():
    import itertools
    import re

    regex = re.compile(r"0|[1-9][0-9]{0,11}|1000000000000").fullmatch
    samples = ["", "1000000000000", "1000000000001", "999999999999", "9999999999999", "٣", "１", "²", "1_0", "+1", " 1"]
    samples += ["".join(chars) for size in range(1, 4) for chars in itertools.product("01²a9-", repeat=size)]
    assert [bool(regex(text)) for text in samples] == [is_count_text(text) for text in samples]


def test_a_plainly_valid_yaml_document_is_read_without_building_its_tree(parse, monkeypatch):
    def tree(*args):
        raise AssertionError("read as a tree")

    monkeypatch.setattr(registry, "load_yaml", tree)
    monkeypatch.setattr(registry, "read_yaml_lines", lambda body, reader: None)  # the streamed path reads it
    assert parse("records:\n  - {date: 2025-01-01, profile: chatbot, inferences: 5}\n").cells.inferences == [5]
