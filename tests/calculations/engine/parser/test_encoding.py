"""Where an encoding refusal is placed (encoding.check_encoding with issues.line_column)."""

from __future__ import annotations

import pytest


def test_a_bad_byte_after_a_blank_first_line_is_placed_on_line_two_column_one(refuse):
    issue = refuse(b"\n\xff,profile\n", content_type="text/csv").issues[0]
    assert (issue.line, issue.column) == (2, 1)


NOT_UTF8 = ("the file is not UTF-8: byte {byte} at byte offset {offset} cannot be decoded (Latin-1, Windows-1252 or "
            "binary data?); save the file as UTF-8")


def place(issue) -> tuple:
    return issue.line, issue.column, issue.path, issue.value, issue.message


@pytest.mark.parametrize("bom", [b"\xff\xfe", b"\xfe\xff"], ids=["little-endian", "big-endian"])
def test_a_utf16_or_utf32_byte_order_mark_is_refused_at_line_1_column_1(refuse, bom):
    error = refuse(bom + "date,profile".encode("utf-16-le" if bom == b"\xff\xfe" else "utf-16-be"), content_type="text/csv")
    assert error.code == "encoding"
    assert [place(issue) for issue in error.issues] == [
        (1, 1, None, None, "the file is UTF-16 or UTF-32 (byte order mark at byte 0); save the file as UTF-8")]


def test_a_bad_byte_is_placed_by_characters_and_its_offset_by_bytes(refuse):
    error = refuse(b"ab\n\xc3\xa9t\xc3\xa9\xff\n", content_type="text/csv")
    assert error.code == "encoding"
    assert [place(issue) for issue in error.issues] == [(2, 4, None, "0xFF", NOT_UTF8.format(byte="0xFF", offset=8))]


def test_a_bad_byte_after_a_utf8_bom_is_placed_after_it_with_the_bom_in_its_offset(refuse):
    issue = refuse(b"\xef\xbb\xbfdate\xff,profile\n", content_type="text/csv").issues[0]
    assert place(issue) == (1, 5, None, "0xFF", NOT_UTF8.format(byte="0xFF", offset=7))


def test_a_nul_after_a_utf8_bom_is_placed_after_it_with_the_bom_in_its_offset(refuse):
    error = refuse(b"\xef\xbb\xbfdate\x00,profile\n", content_type="text/csv")
    assert error.code == "encoding"
    assert [place(issue) for issue in error.issues] == [
        (1, 5, None, "0x00", "NUL byte at byte offset 7: the file looks like UTF-16 or binary data; save the file as UTF-8")]


def test_a_yaml_refusal_on_the_first_line_after_a_bom_is_placed_by_its_column_without_it(refuse):
    issue = refuse(b"\xef\xbb\xbfrecords: [{date: 2025-01-01, profile: nope, inferences: 1}]\n").issues[0]
    assert (issue.line, issue.column, issue.path) == (1, 39, "records[0].profile")


def test_utf16_big_endian_without_byte_order_mark_is_refused_at_its_first_byte(refuse):
    error = refuse("date,profile\n".encode("utf-16-be"), content_type="text/csv")
    assert error.code == "encoding"
    assert [place(issue) for issue in error.issues] == [
        (1, 1, None, "0x00", "NUL byte at byte offset 0: the file looks like UTF-16 or binary data; save the file as UTF-8")]
