"""Encoding checks on the bytes of an upload, and its text when a reader needs one.

Decisions where the spec is silent: UTF-8 only, a UTF-8 BOM is skipped. UTF-16/32 byte order marks,
a NUL character (UTF-16 without BOM, binary data) and undecodable bytes are refused with code
"encoding" and the position of the first bad byte. The check runs on the bytes: only JSON and CSV
are decoded to text (YAML is read from the bytes, and a decoded copy would double the memory of a
large file).
"""

from __future__ import annotations

import codecs

from ..messages import Message, gettext_noop
from .issues import Issues, line_column

BOM = b"\xef\xbb\xbf"
CHECK_CHUNK = 1 << 20  # bytes decoded at a time when checking UTF-8
SNIFF_BYTES = 1 << 16  # enough text to sniff the syntax from, nearly always


def check_encoding(data: bytes, issues: Issues) -> None:
    """Refuses anything but UTF-8 (a BOM is accepted), with where it went wrong.

    The upload is not decoded whole: YAML is read from the bytes, and a decoded copy would
    double the memory of a large file. Only JSON and CSV are decoded (`text_of`).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        issues.add("encoding", Message(gettext_noop("the file is UTF-16 or UTF-32 (byte order mark at byte 0); save the file as UTF-8")),
                   line=1, column=1)
        raise issues.error()
    body_start = len(BOM) if data.startswith(BOM) else 0
    if not data.isascii() and not _is_utf8(data, body_start):
        body = data[body_start:]
        exc = _decode_error(body)
        before = body[: exc.start].decode("utf-8")
        line, column = line_column(before, len(before))
        offset = exc.start + body_start
        issues.add(
            "encoding",
            Message(gettext_noop("the file is not UTF-8: byte {byte} at byte offset {offset} cannot be decoded "
                                 "(Latin-1, Windows-1252 or binary data?); save the file as UTF-8"),
                    byte=f"0x{body[exc.start]:02X}", offset=offset),
            line=line,
            column=column,
            value=f"0x{body[exc.start]:02X}",
        )
        raise issues.error() from None
    nul = data.find(b"\x00", body_start)  # in valid UTF-8, a zero byte is a NUL character
    if nul >= 0:
        before = data[body_start:nul].decode("utf-8")
        line, column = line_column(before, len(before))
        issues.add(
            "encoding",
            Message(gettext_noop("NUL byte at byte offset {offset}: the file looks like UTF-16 or binary data; save the file as UTF-8"),
                    offset=nul),
            line=line,
            column=column,
            value="0x00",
        )
        raise issues.error()


def _is_utf8(data: bytes, start: int) -> bool:
    """Whether data[start:] decodes as UTF-8, decoded a chunk at a time (a character may span two)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for offset in range(start, len(data), CHECK_CHUNK):
            decoder.decode(view[offset : offset + CHECK_CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _decode_error(body: bytes) -> UnicodeDecodeError:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc
    raise AssertionError("the body decodes")


def text_of(data: bytes) -> str:
    """The text of a checked upload, without its BOM."""
    return data.decode("utf-8-sig")


def without_bom(data: bytes) -> bytes:
    return data[len(BOM) :] if data.startswith(BOM) else data


def sniff_text(data: bytes) -> str:
    """The start of the text, up to the end of its first non-blank line (the whole text if need be)."""
    head = data[:SNIFF_BYTES].decode("utf-8-sig", "ignore")  # "ignore": a character cut at the end
    if len(data) <= SNIFF_BYTES or "\n" in head.lstrip():
        return head
    return text_of(data)


