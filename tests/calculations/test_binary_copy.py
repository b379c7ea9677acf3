"""calculations.binary_copy: the same bytes as a plain encoder that packs one field at a time.

The plain encoder below follows PostgreSQL's documentation of the binary COPY format field by field
(`struct.pack`, no numpy); the columnar one must write exactly its bytes, whatever the mix of types,
NULLs, NaN and texts. The database side (PostgreSQL reading these bytes into the same rows as
psycopg's own `write_row`) is tested in test_bulk.py.
"""

import math
import struct
from array import array
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculations.binary_copy import (
    NULL,
    SIGNATURE,
    TRAILER,
    CopyColumn,
    copy_payloads,
    encode_rows,
)

PACK = {"bigint": ">q", "integer": ">i", "smallint": ">h", "double precision": ">d", "real": ">f"}


def plain_field(column: CopyColumn, value) -> bytes:
    if value is None or (column.nan_is_null and isinstance(value, float) and math.isnan(value)):
        return NULL
    if column.pg_type in ("varchar", "text"):
        data = value.encode()
    elif column.pg_type == "date":
        data = struct.pack(">i", (value - date(2000, 1, 1)).days)
    else:
        data = struct.pack(PACK[column.pg_type], value)
    return struct.pack(">i", len(data)) + data


def plain_rows(columns: list[CopyColumn], count: int) -> bytes:
    out = b""
    for row in range(count):
        out += struct.pack(">h", len(columns))
        for column in columns:
            out += plain_field(column, column.values if column.repeated else column.values[row])
    return out


INTS = st.integers(min_value=-(2**63), max_value=2**63 - 1)
FLOATS = st.floats(allow_nan=True, allow_infinity=True)
DAYS = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
TEXTS = st.text(max_size=20)


@st.composite
def tables(draw):
    """Columns of one length, each of a type, with or without NULLs (None, or NaN taken as NULL)."""
    count = draw(st.integers(min_value=1, max_value=12))
    kinds = draw(st.lists(st.sampled_from(["bigint", "double precision", "date", "varchar", "nan_null",
                                           "repeated", "float_array"]), min_size=1, max_size=8))
    columns = []
    for kind in kinds:
        nulls = draw(st.sampled_from(["none", "some", "all"]))

        def values_of(strategy):
            values = draw(st.lists(strategy, min_size=count, max_size=count))
            if nulls == "all":
                return [None] * count
            if nulls == "some":
                return [None if draw(st.booleans()) else value for value in values]
            return values

        if kind == "bigint":
            columns.append(CopyColumn("bigint", values_of(INTS)))
        elif kind == "double precision":
            columns.append(CopyColumn("double precision", values_of(st.floats(allow_nan=False))))
        elif kind == "date":
            columns.append(CopyColumn("date", values_of(DAYS)))
        elif kind == "varchar":
            columns.append(CopyColumn("varchar", values_of(TEXTS)))
        elif kind == "nan_null":
            columns.append(CopyColumn("double precision", values_of(FLOATS), nan_is_null=True))
        elif kind == "repeated":
            columns.append(CopyColumn("bigint", draw(st.one_of(st.none(), INTS)), repeated=True))
        else:  # the engine's float arrays, NaN for "not assessed"
            values = draw(st.lists(FLOATS, min_size=count, max_size=count))
            columns.append(CopyColumn("double precision", array("d", values), nan_is_null=True))
    return columns, count


@settings(max_examples=300, deadline=None)
@given(tables())
def test_rows_are_the_bytes_of_the_plain_encoder(table):
    columns, count = table
    assert encode_rows(columns, 0, count) == plain_rows(columns, count)


def test_the_payloads_are_the_signature_the_rows_a_chunk_at_a_time_and_the_trailer():
    days = [date(2024, 1, 1 + index % 28) for index in range(10)]
    columns = [CopyColumn("bigint", 7, repeated=True), CopyColumn("date", days),
               CopyColumn("varchar", ["chatbot", "summary"] * 5)]
    payloads = list(copy_payloads(columns, 10, rows_per_chunk=4))
    assert payloads[0] == SIGNATURE and payloads[-1] == TRAILER
    assert [len(block) for block in payloads[1:-1]] == [len(encode_rows(columns, 0, 4))] * 2 + [
        len(encode_rows(columns, 8, 10))]
    assert b"".join(payloads[1:-1]) == plain_rows(columns, 10)


def test_numpy_strided_columns_are_read_in_place():
    figures = np.arange(12, dtype=float).reshape(4, 3)
    column = CopyColumn("double precision", figures[:, 1])  # every third value, a view
    assert encode_rows([column], 0, 4) == plain_rows([CopyColumn("double precision", [1.0, 4.0, 7.0, 10.0])], 4)


def test_a_chunk_of_rows_starts_at_its_first_row():
    column = CopyColumn("bigint", [1, 2, 3, 4])
    assert encode_rows([column], 2, 4) == plain_rows([CopyColumn("bigint", [3, 4])], 2)


@pytest.mark.parametrize("column", [
    CopyColumn("bigint", [1.5, 2.0]),  # a float where an integer is stored: refused, not truncated
    CopyColumn("bigint", [2**64, 1]),  # out of bigint's range
    CopyColumn("bigint", ["1", "2"]),
])
def test_values_that_are_not_numbers_of_the_column_s_type_are_refused(column):
    with pytest.raises((TypeError, OverflowError)):
        encode_rows([column], 0, 2)


def test_unsupported_types_are_refused_when_the_column_is_described():
    with pytest.raises(ValueError, match="jsonb"):
        CopyColumn("jsonb", [{}])
    with pytest.raises(ValueError, match="repeated"):
        CopyColumn("varchar", "chatbot", repeated=True)
