"""The line path of the YAML reader (yaml_lines.py): the three common layouts read by regular
expressions give what the streamed and tree paths give, and anything else is left to them."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculations.engine.analytics import AnalyticsError
from calculations.engine.parser import parse_analytics, registry
from calculations.engine.parser.issues import Issues
from calculations.engine.parser.native import NativeReader
from calculations.engine.parser import yaml_lines
from calculations.engine.parser.yaml_lines import read_yaml_lines

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CODES = ["chatbot", "completion", "search_answer", "summary", "translation"]


def read_by_lines(data: str | bytes, parameters):
    """The cells the line path reads, or None when it leaves the file to the other paths."""
    data = data.encode() if isinstance(data, str) else data
    return read_yaml_lines(data, NativeReader(parameters, Issues(parameters), syntax="yaml"))


def outcome(data: bytes, parameters) -> tuple:
    """What parse_analytics gives, as comparable values: the analytics or the refusal."""
    try:
        analytics = parse_analytics(data, parameters, content_type="application/yaml")
    except AnalyticsError as error:
        return "refused", error.code, [issue.as_dict() for issue in error.issues]
    return "parsed", analytics.cells.columns(), analytics.format, analytics.sha256, analytics.mappings


def without_lines(data: bytes, parameters) -> tuple:
    with mock.patch.object(registry, "read_yaml_lines", return_value=None):
        return outcome(data, parameters)


LAYOUTS = {
    "nested days": """\
# exported by hand
source: fluid-topics              # free text
tenant: docs.example.com

days:
  - date: 2025-01-01
    usages:
      chatbot: 1250
      search_answer: 430
  - date: 2025-01-02
    usages:
      completion: 0
""",
    "flat records, block": """\
records:
- date: 2025-01-01
  profile: chatbot
  inferences: 1250
- date: 2025-01-01
  profile: search_answer
  inferences: 430
- date: 2025-01-02
  profile: completion
  inferences: 0
""",
    "flat records, one line each": """\
tenant: docs.example.com
records:   # one per (day, profile)
    - {date: 2025-01-01, profile: chatbot, inferences: 1250}
    - {date: 2025-01-01, profile: search_answer, inferences: 430}
    - {date: 2025-01-02, profile: completion, inferences: 0}

# the end
""",
}


@pytest.mark.parametrize("text", LAYOUTS.values(), ids=LAYOUTS)
def test_each_layout_is_read_by_its_lines_into_the_cells_it_holds(text, parameters):
    cells = read_by_lines(text, parameters)
    assert cells.columns() == (
        [date(2025, 1, 1), date(2025, 1, 1), date(2025, 1, 2)], ["chatbot", "search_answer", "completion"],
        [1250, 430, 0], [None] * 3, [None] * 3,
    )


@pytest.mark.parametrize("text", LAYOUTS.values(), ids=LAYOUTS)
def test_each_layout_parses_as_it_does_without_the_line_path(text, parameters):
    assert outcome(text.encode(), parameters) == without_lines(text.encode(), parameters)


def test_records_out_of_order_are_sorted_by_day_then_profile(parameters):
    text = ("records:\n  - {date: 2025-01-02, profile: chatbot, inferences: 1}\n"
            "  - {date: 2025-01-01, profile: summary, inferences: 2}\n"
            "  - {date: 2025-01-01, profile: chatbot, inferences: 3}\n")
    cells = read_by_lines(text, parameters)
    assert list(zip(cells.days, cells.profiles, cells.inferences)) == [
        (date(2025, 1, 1), "chatbot", 3), (date(2025, 1, 1), "summary", 2), (date(2025, 1, 2), "chatbot", 1)]


OTHER_PATHS = {
    "a (day, profile) twice": "records:\n  - {date: 2025-01-01, profile: chatbot, inferences: 1}\n"
                              "  - {date: 2025-01-01, profile: chatbot, inferences: 2}\n",
    "explicit tokens": "records:\n  - {date: 2025-01-01, profile: chatbot, inferences: 1, input_tokens: 5}\n",
    "another key order": "records:\n  - {profile: chatbot, date: 2025-01-01, inferences: 1}\n",
    "a field's other name": "records:\n  - {date: 2025-01-01, profile: chatbot, count: 1}\n",
    "a quoted count": "records:\n  - {date: 2025-01-01, profile: chatbot, inferences: '1'}\n",
    "a comment after an entry": "records:\n  - {date: 2025-01-01, profile: chatbot, inferences: 1}  # note\n",
    "Windows line ends": "records:\r\n  - {date: 2025-01-01, profile: chatbot, inferences: 1}\r\n",
    "a byte-order mark": "\ufeffrecords:\n  - {date: 2025-01-01, profile: chatbot, inferences: 1}\n",
    "no line end at the end": "records:\n  - {date: 2025-01-01, profile: chatbot, inferences: 1}",
    "a line break inside a comment (NEL)":
        "# a\x85records: 1\nrecords:\n  - {date: 2025-01-01, profile: chatbot, inferences: 1}\n",
    "a control character in a comment": "# a\x07\nrecords:\n  - {date: 2025-01-01, profile: chatbot, inferences: 1}\n",
    "source twice": "source: a\nsource: b\nrecords:\n  - {date: 2025-01-01, profile: chatbot, inferences: 1}\n",
    "a key after the entries": "records:\n  - {date: 2025-01-01, profile: chatbot, inferences: 1}\nsource: a\n",
    "entries at two indentations": "records:\n  - {date: 2025-01-01, profile: chatbot, inferences: 1}\n"
                                   "   - {date: 2025-01-02, profile: chatbot, inferences: 1}\n",
    "a count with a leading zero": "records:\n  - {date: 2025-01-01, profile: chatbot, inferences: 01}\n",
    "a count above 10^12": "records:\n  - {date: 2025-01-01, profile: chatbot, inferences: 1000000000001}\n",
    "a date that is no calendar day": "records:\n  - {date: 2025-02-30, profile: chatbot, inferences: 1}\n",
    "an unknown profile": "days:\n  - date: 2025-01-01\n    usages:\n      chatbox: 1\n",
    "a day without usages": "days:\n  - date: 2025-01-01\n    usages:\n",
    "an empty list": "records: []\n",
    "not UTF-8": b"# \xe9\nrecords:\n  - {date: 2025-01-01, profile: chatbot, inferences: 1}\n",
}


@pytest.mark.parametrize("data", OTHER_PATHS.values(), ids=OTHER_PATHS)
def test_anything_else_is_left_to_the_other_paths_which_read_or_refuse_it_as_before(data, parameters):
    data = data.encode() if isinstance(data, str) else data
    assert read_by_lines(data, parameters) is None
    assert outcome(data, parameters) == without_lines(data, parameters)


@st.composite
def layout_documents(draw) -> str:
    """A document in one of the three layouts: header lines, entries sorted or not, valid or not."""
    lines = draw(st.lists(st.sampled_from(["# note", "#", "", "source: fluid-topics", "tenant: docs.example.com",
                                           "source: a b", "tenant: x  # c"]), max_size=4))
    key = draw(st.sampled_from(["days", "records", "records"]))
    indent = " " * draw(st.integers(0, 3))
    day = st.builds("2025-{:02d}-{:02d}".format, st.integers(1, 12), st.integers(1, 31))
    profile = st.sampled_from([*CODES, "ChatWithMe", "chatbox", "no"])
    count = st.sampled_from(["0", "7", "1250", "007", "1000000000000", "1000000000001"])
    text = "\n".join(lines) + ("\n" if lines else "") + key + ":\n"
    flow = draw(st.booleans())
    for _ in range(draw(st.integers(1, 6))):
        if key == "days":
            text += f"{indent}- date: {draw(day)}\n{indent}  usages:\n"
            text += "".join(f"{indent}    {draw(profile)}: {draw(count)}\n" for _ in range(draw(st.integers(1, 3))))
        elif flow:
            text += f"{indent}- {{date: {draw(day)}, profile: {draw(profile)}, inferences: {draw(count)}}}\n"
        else:
            text += (f"{indent}- date: {draw(day)}\n{indent}  profile: {draw(profile)}\n"
                     f"{indent}  inferences: {draw(count)}\n")
    return text + draw(st.sampled_from(["", "\n", "# end\n"]))


@PROPERTY
@given(layout_documents(), st.sampled_from([yaml_lines.CHUNK_BYTES, 1, 40, 100]))
def test_generated_layouts_parse_as_without_the_line_path(parameters, text, chunk_bytes):
    """Whatever the size of the chunks the entries are read in (small ones put chunk boundaries
    between most entries: an order or a duplicate across a boundary is still seen)."""
    with mock.patch.object(yaml_lines, "CHUNK_BYTES", chunk_bytes):
        assert outcome(text.encode(), parameters) == without_lines(text.encode(), parameters)


@PROPERTY
@given(layout_documents(), st.data())
def test_a_layout_damaged_at_any_character_parses_as_without_the_line_path(parameters, text, data):
    """One character inserted or replaced anywhere, from those that change what YAML reads."""
    at = data.draw(st.integers(0, len(text)))
    character = data.draw(st.sampled_from(list(" \t\r\n#:-'\"&*!{}[],|>%@`?\x85\u2028\x00\ufeff0a")))
    damaged = text[:at] + character + text[at + data.draw(st.integers(0, 1)):]
    assert outcome(damaged.encode(), parameters) == without_lines(damaged.encode(), parameters)


def test_the_line_path_reads_the_generated_valid_layouts(parameters):
    """The properties above are not vacuous: a valid document of each layout is read by its lines."""
    for text in LAYOUTS.values():
        assert read_by_lines(text, parameters) is not None
    sorted_days = "days:\n" + "".join(f"- date: 2025-01-{d:02d}\n  usages:\n    chatbot: {d}\n" for d in range(1, 29))
    assert read_by_lines(sorted_days, parameters).inferences == list(range(1, 29))


def _many_days(days: int) -> bytes:
    start = date(2000, 1, 1).toordinal()
    return b"records:\n" + b"".join(
        b"  - date: %s\n    profile: %s\n    inferences: %d\n" % (date.fromordinal(start + day).isoformat().encode(),
                                                                 profile, day)
        for day in range(days) for profile in (b"chatbot", b"completion", b"summary"))


def test_a_file_of_many_chunks_is_read_whole_and_in_order(parameters):
    data = _many_days(3_000)  # 0.2 MB: four chunks
    cells = read_by_lines(data, parameters)
    assert len(cells) == 9_000 and cells.inferences[-1] == 2_999 and cells.days[-1] == date(2008, 3, 18)
    assert outcome(data, parameters) == without_lines(data, parameters)


def test_a_bad_line_in_a_later_chunk_leaves_the_file_to_the_other_paths(parameters):
    data = _many_days(3_000).replace(b"inferences: 2500\n", b"inferences: 2500  # late\n")
    assert read_by_lines(data, parameters) is None
    assert outcome(data, parameters) == without_lines(data, parameters)


def test_reading_by_lines_holds_no_more_memory_than_the_stream_path(parameters):
    """The texts are matched and converted a chunk at a time: what is held at the peak is the cells, as on
    the stream path, and a chunk's texts (under 16 times CHUNK_BYTES), not every entry's texts at once
    (15 times the file: 22 MB more here)."""
    import tracemalloc

    from calculations.engine.parser.yaml_stream import stream_native_yaml

    data = _many_days(8_000)  # 1.5 MB, 24 000 cells
    peaks = []
    for read in (read_yaml_lines, stream_native_yaml):
        reader = NativeReader(parameters, Issues(parameters), syntax="yaml")
        tracemalloc.start()
        try:
            cells = read(data, reader)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
        assert len(cells) == 24_000
    by_lines, streamed = peaks
    assert by_lines < streamed + 16 * yaml_lines.CHUNK_BYTES


def _flow_records(*entries: tuple[int, str, int]) -> bytes:
    return ("records:\n" + "".join(f"  - {{date: 2025-01-{day:02d}, profile: {profile}, inferences: {count}}}\n"
                                   for day, profile, count in entries)).encode()


ACROSS_CHUNKS = {  # the file, and whether the line path reads it (a pair twice is left to the tree's refusal)
    "in order": (_flow_records((1, "chatbot", 1), (1, "summary", 2), (2, "chatbot", 3)), True),
    "out of order, then in order": (_flow_records((2, "chatbot", 1), (1, "chatbot", 2), (3, "chatbot", 3),
                                                  (4, "chatbot", 4)), True),
    "a pair twice, one chunk after the other": (_flow_records((1, "chatbot", 1), (1, "chatbot", 2)), False),
}


@pytest.mark.parametrize("chunk_bytes", [1, 60], ids=["an entry a chunk", "two entries a chunk"])
@pytest.mark.parametrize("data, read", ACROSS_CHUNKS.values(), ids=ACROSS_CHUNKS)
def test_the_order_of_the_cells_is_followed_from_chunk_to_chunk(parameters, data, read, chunk_bytes):
    """A cell that comes before the last one of the chunk before, or repeats it, is seen: the cells are
    sorted, or the file is refused as the other paths refuse it."""
    with mock.patch.object(yaml_lines, "CHUNK_BYTES", chunk_bytes):
        assert outcome(data, parameters) == without_lines(data, parameters)
        cells = read_by_lines(data, parameters)
    if read:
        assert list(zip(cells.days, cells.profiles)) == sorted(zip(cells.days, cells.profiles))
    else:
        assert cells is None


def test_counts_of_up_to_four_digits_are_one_int_each_as_on_the_stream_path(parameters):
    """The memory of a large file: its many cells share an int per small count."""
    cells = read_by_lines(_flow_records((1, "chatbot", 1234), (2, "chatbot", 1234), (3, "chatbot", 12345),
                                       (4, "chatbot", 12345)), parameters)
    assert cells.inferences[0] is cells.inferences[1]
    assert cells.inferences[2] == cells.inferences[3] == 12345
