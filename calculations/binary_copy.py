"""PostgreSQL's binary COPY format, written from columns a chunk of rows at a time (numpy).

Why: psycopg's `Copy.write_row` takes one tuple a row. A typical run's 1 825 daily cells were
first made 1 825 tuples of 27 Python objects (the 18 estimates read one by one out of the engine's
float array), then formatted field by field: the largest part of a typical POST's save on PostgreSQL
(bench/README.md, "Fifth session of 2026-11-27"). Here each column is converted at once (numpy's
big-endian casts), the columns that take the same room in every row are laid out together in one
structured array, and the rows are joined from those blocks and the variable fields (text, or a
column that is NULL in some rows only). Tested byte for byte against a plain encoder
(tests/calculations/test_binary_copy.py) and, through calculations.bulk, against the rows psycopg writes.

The format (PostgreSQL documentation, COPY, "Binary Format"): a signature; per row a 16-bit field
count, then per field a 32-bit length (-1: NULL) and that many bytes; a 16-bit -1 at the end. Values
are big-endian: int2/int4/int8, float4/float8 (IEEE 754), date (int4 days since 2000-01-01), and
text/varchar as UTF-8.

No Django here: calculations.bulk hands the columns and the PostgreSQL type of each.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain
from typing import Any

import numpy as np

SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(4) + bytes(4)  # then the flags and the header extension's length: 0
TRAILER = b"\xff\xff"
NULL = b"\xff\xff\xff\xff"  # a field's length of -1
# Rows encoded at once: bounds the temporary arrays (a row of the daily cells takes about 300 bytes).
ROWS_PER_CHUNK = 4096

_POSTGRES_EPOCH = date(2000, 1, 1).toordinal()
# Fixed-width types: the numpy type of their binary form (big-endian).
FIXED_WIDTH = {
    "bigint": ">i8", "integer": ">i4", "smallint": ">i2",
    "double precision": ">f8", "real": ">f4",
    "date": ">i4",  # days since 2000-01-01
}
TEXT_TYPES = frozenset({"varchar", "character varying", "text"})


@dataclass(frozen=True)
class CopyColumn:
    """One column's values in row order: a list (None: NULL), an array.array or a 1-d numpy array.

    `nan_is_null`: a float NaN is written NULL (the engine's "not assessed"). `repeated`: `values` is
    one value, the same in every row (a run's id)."""

    pg_type: str
    values: Any
    nan_is_null: bool = False
    repeated: bool = False

    def __post_init__(self):
        if self.pg_type not in FIXED_WIDTH and self.pg_type not in TEXT_TYPES:
            raise ValueError(f"binary COPY of {self.pg_type!r} is not supported")
        if self.repeated and self.pg_type not in FIXED_WIDTH:
            raise ValueError("a repeated column must be of a fixed-width type")


def copy_payloads(columns: Sequence[CopyColumn], row_count: int, rows_per_chunk: int = ROWS_PER_CHUNK) -> Iterator[bytes]:
    """The whole COPY data (signature, rows, trailer), as blocks to write one after another."""
    yield SIGNATURE
    for start in range(0, row_count, rows_per_chunk):
        yield encode_rows(columns, start, min(row_count, start + rows_per_chunk))
    yield TRAILER


def encode_rows(columns: Sequence[CopyColumn], start: int, stop: int) -> bytes:
    """Rows `start` to `stop` (excluded) of `columns`, each row its field count then its fields."""
    count = stop - start
    if count <= 0:
        return b""
    segments: list[Sequence[bytes]] = []  # each: count byte strings, one per row, joined row after row
    block = _FixedBlock(count)
    block.add_field_count(len(columns))
    for column in columns:
        if not block.add(column, start, stop):  # a field whose width differs between rows
            if block:
                segments.append(block.rows())
                block = _FixedBlock(count)
            segments.append(_variable_field(column, start, stop))
    if not segments:
        return block.tobytes()  # every row the same width: one buffer as it is
    if block:
        segments.append(block.rows())
    return b"".join(chain.from_iterable(zip(*segments)))


class _FixedBlock:
    """Consecutive fields of the same width in every row (a length, then a value unless NULL in all
    rows), as one structured array: numpy converts each column to big-endian on assignment."""

    def __init__(self, count: int):
        self.count = count
        self.names: list[tuple[str, str]] = []
        self.values: list[Any] = []

    def __bool__(self) -> bool:
        return bool(self.names)

    def add_field_count(self, fields: int) -> None:
        self._add(">i2", fields)

    def add(self, column: CopyColumn, start: int, stop: int) -> bool:
        """Add the column when it takes the same room in every row; False when it does not."""
        dtype = FIXED_WIDTH.get(column.pg_type)
        if dtype is None:
            return False
        values = [column.values] if column.repeated else column.values[start:stop]
        if isinstance(values, list) and values.count(None) == len(values):  # a count no cell reported
            self._add(">i4", -1)
            return True
        values = _numbers(column, values)
        nulls = _nulls(column, values)
        if nulls is not None and nulls.all():
            self._add(">i4", -1)
            return True
        if nulls is not None:
            return False
        self._add(">i4", np.dtype(dtype).itemsize)
        self._add(dtype, values[0] if column.repeated else values)
        return True

    def _add(self, dtype: str, value) -> None:
        self.names.append((f"f{len(self.names)}", dtype))
        self.values.append(value)

    def _array(self) -> np.ndarray:
        block = np.empty(self.count, dtype=np.dtype(self.names))
        for (name, _), value in zip(self.names, self.values):
            block[name] = value
        return block

    def tobytes(self) -> bytes:
        return self._array().tobytes()

    def rows(self) -> list[bytes]:
        """Each row's bytes (a void scalar of the row's width: numpy makes the bytes objects in C)."""
        block = self._array()
        return block.view(f"V{block.dtype.itemsize}").tolist()


def _numbers(column: CopyColumn, values) -> np.ndarray:
    """The values as a numpy array of numbers (a date: its days since 2000-01-01), or of objects
    when one is None."""
    if column.pg_type == "date":
        days = _DayNumbers()
        if None not in values:
            return np.fromiter(map(days.__getitem__, values), np.int64, len(values))
        values = list(map(days.__getitem__, values))
    if isinstance(values, array):
        return np.frombuffer(values, dtype=values.typecode)
    numbers = np.asarray(values)
    integers = FIXED_WIDTH[column.pg_type][1] == "i"
    if numbers.dtype.kind == "O":  # a None among them, or an integer out of int64's range
        kinds = int if integers else (int, float)
        if not all(value is None or (isinstance(value, kinds) and not isinstance(value, bool)) for value in numbers):
            raise TypeError(f"{column.pg_type}: values that are not numbers of that type")
    elif numbers.dtype.kind not in ("iu" if integers else "fiu"):  # psycopg's dumpers refuse them too
        raise TypeError(f"{column.pg_type}: values of numpy type {numbers.dtype}")
    return numbers


def _nulls(column: CopyColumn, numbers: np.ndarray) -> np.ndarray | None:
    """Which values are NULL (None, or NaN when nan_is_null); None when none is."""
    if numbers.dtype.kind == "O":
        nulls = np.equal(numbers, None)
        if column.nan_is_null:
            nulls |= np.array([value is not None and value != value for value in numbers], dtype=bool)
    elif column.nan_is_null and numbers.dtype.kind == "f":
        nulls = np.isnan(numbers)
    else:
        return None
    return nulls if nulls.any() else None


def _variable_field(column: CopyColumn, start: int, stop: int) -> list[bytes]:
    """One field of every row, as bytes each: text, or a fixed-width column NULL in some rows only."""
    values = column.values[start:stop]
    if column.pg_type in TEXT_TYPES:
        return list(map(_TextFields().__getitem__, values))
    numbers = _numbers(column, values)
    nulls = _nulls(column, numbers)
    dtype = np.dtype(FIXED_WIDTH[column.pg_type])
    encoded = np.where(nulls, 0, numbers).astype(dtype).tobytes()
    width, prefix = dtype.itemsize, dtype.itemsize.to_bytes(4, "big")
    return [NULL if null else prefix + encoded[index * width:(index + 1) * width]
            for index, null in enumerate(nulls.tolist())]


class _DayNumbers(dict):
    """date -> its days since 2000-01-01, made once a chunk per distinct day (a day repeats once a profile)."""

    def __missing__(self, day):
        number = self[day] = None if day is None else day.toordinal() - _POSTGRES_EPOCH
        return number


class _TextFields(dict):
    """text -> its field (length, then UTF-8), made once a chunk per distinct value (a run's few profiles)."""

    def __missing__(self, text):
        if text is None:
            return NULL
        data = text.encode()
        field = self[text] = len(data).to_bytes(4, "big") + data
        return field
