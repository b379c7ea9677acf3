"""Bulk inserts of plain rows: one statement whatever the number of rows.

A run of a large export has hundreds of thousands of (day, profile) cells. Saving
them through `bulk_create` builds one model instance per cell and, on SQLite, one
INSERT per 43 rows (Django's 999 parameters / 23 columns): the save would dominate the upload
and its number of queries would grow with the number of days. Here the rows are
plain tuples, written:

- on PostgreSQL, with one `COPY table (columns) FROM STDIN` (psycopg 3's `Copy.write_row`);
- on SQLite, with a multi-row INSERT (SQLITE_ROWS_PER_STATEMENT rows) run once per chunk of
  rows, prepared once and streaming the rows, then one INSERT of the rows left over: one
  statement for Django (its query log and execute wrappers); on other databases, one
  `executemany` of a one-row INSERT.

`insert_columns` takes the rows as columns instead (the engine's form of the daily cells): on
PostgreSQL the binary COPY is then written from the columns directly (calculations/binary_copy.py),
without a tuple or a Python float a value; on SQLite each multi-row INSERT's parameters are filled
a column at a time; elsewhere the rows are zipped from the columns a chunk at a time and written as above.

Both run on the caller's connection, so inside the caller's transaction: when a row
is refused (a constraint, a type) the exception propagates and the caller's
`transaction.atomic` rolls the whole run back. Small batches (`ORM_MAX_ROWS` or
fewer rows) keep the ORM's `bulk_create`, which is one INSERT statement on every
backend at that size and costs the same there.
"""

from __future__ import annotations

import functools
import sqlite3
from array import array
from collections import deque
from collections.abc import Collection, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

import numpy as np
from django.db import connections, models, router

from .binary_copy import ROWS_PER_CHUNK, CopyColumn, copy_payloads

# At most this many rows go through bulk_create: 36 rows of DailyResult (23 columns) or
# ProfileResult (21) fit in one INSERT even under the 999-parameter limit Django assumes for
# SQLite, so bulk_create is a single statement there too (the number of queries is the same
# on both paths).
ORM_MAX_ROWS = 36
# Rows per INSERT statement on SQLite (at most its parameter limit / the number of columns).
SQLITE_ROWS_PER_STATEMENT = 200

# Field types whose Python values the drivers take as they are (after the date adaptation below).
_PASS_THROUGH = (
    models.FloatField,
    models.IntegerField,  # and its Big/Positive/Small subclasses
    models.CharField,
    models.TextField,
    models.ForeignKey,
    models.DateField,  # adapted per backend below
)


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert `rows` (tuples of values in the order of `fields`, attribute names such as `run_id`).

    Returns the number of rows written. Values must be what the model fields hold
    (dates, str, int, float, None); they are not validated here.
    """
    rows = iter(rows)
    head = list(islice(rows, ORM_MAX_ROWS + 1))
    if len(head) <= ORM_MAX_ROWS:
        model._default_manager.bulk_create([model(**dict(zip(fields, row))) for row in head])
        return len(head)
    rows = chain(head, rows)
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    columns = [_column(meta, name) for name in fields]
    if connection.vendor == "postgresql":
        return _copy(connection, meta.db_table, columns, rows)
    return _executemany(connection, meta.db_table, columns, rows)


@dataclass(frozen=True)
class Same:
    """A column of `insert_columns` whose value is the same in every row (the run's id)."""

    value: Any


def insert_columns(model: type[models.Model], fields: Sequence[str], columns: Sequence, row_count: int, *,
                   nan_is_null: Collection[str] = ()) -> int:
    """Insert `row_count` rows given as one column per field of `fields`: a list, an array.array or a
    1-d numpy array (views included) of `row_count` values, or `Same(value)`. In the fields named in
    `nan_is_null`, a float NaN is written NULL (the engine's "not assessed"). Returns the rows written.
    """
    if len(columns) != len(fields):
        raise ValueError(f"{len(fields)} fields but {len(columns)} columns")
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    nan_positions = {index for index, name in enumerate(fields) if name in nan_is_null}
    if row_count <= ORM_MAX_ROWS or connection.vendor not in ("postgresql", "sqlite"):
        return insert_rows(model, fields, _zipped_rows(columns, row_count, nan_positions))
    described = [_column(meta, name) for name in fields]
    if connection.vendor == "sqlite":
        return _sqlite_insert(connection, meta.db_table, described, _SQLiteInsert.write_columns,
                              (columns, row_count, nan_positions))
    copied = [
        CopyColumn(_pg_type(field, connection), column.value if isinstance(column, Same) else column,
                   nan_is_null=index in nan_positions, repeated=isinstance(column, Same))
        for index, (field, column) in enumerate(zip(described, columns))
    ]
    return _copy_blocks(connection, meta.db_table, described, copy_payloads(copied, row_count, ROWS_PER_CHUNK))


def _zipped_rows(columns: Sequence, row_count: int, nan_positions: Collection[int]) -> Iterable[tuple]:
    """The rows of `columns`, made a chunk at a time (a large run's rows are never all held)."""
    for values in _python_chunks(columns, row_count, nan_positions, ROWS_PER_CHUNK):
        yield from zip(*values)


def _python_chunks(columns: Sequence, row_count: int, nan_positions: Collection[int], rows: int) -> Iterable[list]:
    """`rows` rows of `columns` at a time (the last chunk may be shorter), as one list of Python values a column."""
    for start in range(0, row_count, rows):
        stop = min(row_count, start + rows)
        yield [[column.value] * (stop - start) if isinstance(column, Same)
               else _python_values(column[start:stop], index in nan_positions)
               for index, column in enumerate(columns)]


def _python_values(values, nan_is_null: bool) -> list:
    """Python values as the drivers take them (numpy's as floats and ints), NaN as None when asked."""
    if isinstance(values, (np.ndarray, array)):
        numbers = np.asarray(values)
        values = numbers.tolist()
        if nan_is_null and numbers.dtype.kind == "f":
            for index in np.flatnonzero(np.isnan(numbers)).tolist():
                values[index] = None
        return values
    if nan_is_null:
        return [None if value != value else value for value in values]
    return values


def _column(meta, name: str) -> models.Field:
    field = next((f for f in meta.concrete_fields if f.attname == name), None)
    if field is None:
        raise ValueError(f"{meta.label} has no column {name!r}")
    if field.primary_key or not isinstance(field, _PASS_THROUGH) or isinstance(field, models.DateTimeField):
        raise ValueError(f"{meta.label}.{name}: {type(field).__name__} is not supported by calculations.bulk")
    return field


def _copy(connection, table: str, fields: list[models.Field], rows: Iterable[tuple]) -> int:
    # Binary COPY: about 10x cheaper than text on this table, whose 15 float columns would
    # each be formatted as text and parsed back. The column types come from the fields.
    types = [_pg_type(field, connection) for field in fields]

    def write(copy, rows: Iterable[tuple]) -> None:
        copy.set_types(types)
        deque(map(copy.write_row, rows), maxlen=0)  # the loop in C

    return _copy_statement(connection, table, fields, write, rows)


def _copy_blocks(connection, table: str, fields: list[models.Field], payloads: Iterable[bytes]) -> int:
    """COPY of data already in the binary format, signature and trailer included."""
    def write(copy, payloads: Iterable[bytes]) -> None:
        for payload in payloads:
            copy.write(payload)

    return _copy_statement(connection, table, fields, write, payloads)


def _copy_statement(connection, table: str, fields: list[models.Field], write, data) -> int:
    quote = connection.ops.quote_name
    statement = f"COPY {quote(table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN (FORMAT BINARY)"
    with connection.cursor() as cursor, connection.wrap_database_errors:
        # Django's cursor wrapper hands `copy` to psycopg (and records it in debug mode,
        # so assertNumQueries counts it). A value of the wrong type raises TypeError.
        def copy_with(sql: str, data) -> None:
            with cursor.copy(sql) as copy:
                write(copy, data)

        _under_execute_wrappers(connection, cursor, copy_with, statement, data)
        return cursor.rowcount


def _under_execute_wrappers(connection, cursor, write, statement: str, rows: Iterable[tuple]) -> None:
    """`write(statement, rows)` through the connection's execute wrappers, as Django runs its own
    statements: instrumentation and fault injection (tests/hardening) see the bulk insert too."""
    def execute(sql, params, many, context):
        return write(sql, params)

    for wrapper in reversed(connection.execute_wrappers):
        execute = functools.partial(wrapper, execute)
    execute(statement, rows, True, {"connection": connection, "cursor": cursor})


def _pg_type(field: models.Field, connection) -> str:
    """The PostgreSQL type name of a column, for psycopg's binary dumpers ("varchar(64)" -> "varchar")."""
    return field.db_type(connection).split("(")[0].strip()


def _executemany(connection, table: str, fields: list[models.Field], rows: Iterable[tuple]) -> int:
    if connection.vendor == "sqlite":  # (its rows get their dates' text a chunk at a time)
        return _sqlite_insert(connection, table, fields, _SQLiteInsert.write, rows)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    dates = [index for index, field in enumerate(fields) if isinstance(field, models.DateField)]
    if dates:
        adapt = connection.ops.adapt_datefield_value
        rows = (_adapt_dates(row, dates, adapt) for row in rows)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quote(table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})", rows)
        return cursor.rowcount


def _sqlite_insert(connection, table: str, fields: list[models.Field], write, data) -> int:
    """`write` (`_SQLiteInsert.write` or `write_columns`) of `data` on the driver's cursor, under Django's
    error wrapping, query log and execute wrappers. (Django's SQLite cursor tee()s the parameters to peek
    at the first row, which keeps every row alive until the last is written: twice a large run's rows in
    memory.)"""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    dates = [index for index, field in enumerate(fields) if isinstance(field, models.DateField)]
    insert = _SQLiteInsert(connection, f"INSERT INTO {quote(table)} ({columns}) VALUES ", len(fields), dates)
    with connection.cursor() as cursor:
        logged = cursor.debug_sql(insert.statement, None, many=True) if hasattr(cursor, "debug_sql") else nullcontext()
        with logged, connection.wrap_database_errors:
            connection.validate_no_broken_transaction()
            _under_execute_wrappers(connection, cursor, functools.partial(write, insert, cursor.cursor),
                                    insert.statement, data)
    return insert.written


class _SQLiteInsert:
    """Rows written `per_statement` at a time: one INSERT of that many rows, run once per chunk,
    then one INSERT of the rows left over (fewer than a chunk).

    SQLite runs a statement once per parameter set; a one-row INSERT run per row pays the
    statement's setup and the AUTOINCREMENT bookkeeping of the surrogate key on every row.
    A multi-row INSERT pays them once per chunk: about 40 % less CPU than one row a run on the
    daily cells (bench/README.md, "Many days on SQLite"). Rows still stream, a chunk at a time.
    """

    def __init__(self, connection, head: str, width: int, dates: Sequence[int] = ()):
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        self.per_statement = max(1, min(SQLITE_ROWS_PER_STATEMENT, limit // width))
        self.head, self.row = head, f"({', '.join(['?'] * width)})"
        self.statement = self._for(self.per_statement)
        self.width, self.dates = width, dates
        self.written = 0

    def _parameters(self, chunk: list[tuple]) -> list:
        """The chunk's values, row after row, each date as the text Django's SQLite backend stores
        (adapt_datefield_value: its isoformat). A day's text is made once a chunk, not once a row: the
        daily cells repeat each day once per profile, and the driver's date adapter was a Python call a
        row. (Once a chunk, not once a run: a memo of every day would grow with the days.)"""
        parameters = list(chain.from_iterable(chunk))
        day_texts = _DayTexts()
        for index in self.dates:
            parameters[index::self.width] = map(day_texts.__getitem__, parameters[index::self.width])
        return parameters

    def _for(self, count: int) -> str:
        return self.head + ", ".join([self.row] * count)

    def write(self, cursor: sqlite3.Cursor, statement: str, rows: Iterable[tuple]) -> None:
        rows, rest = iter(rows), []

        def chunks():
            while True:
                chunk = list(islice(rows, self.per_statement))
                self.written += len(chunk)
                if len(chunk) < self.per_statement:
                    rest.extend(chunk)
                    return
                yield self._parameters(chunk)

        # A loop of execute, not executemany: the driver's executemany kept every chunk alive until
        # the last one with a multi-row statement (the rows would no longer stream).
        # The driver's own execute: Django's SQLite cursor would rewrite each statement's placeholders.
        execute = functools.partial(sqlite3.Cursor.execute, cursor)
        for parameters in chunks():
            execute(statement, parameters)
        if rest:
            execute(self._for(len(rest)), self._parameters(rest))

    def write_columns(self, cursor: sqlite3.Cursor, statement: str, data: tuple) -> None:
        """The rows of `data` (columns, row count, positions where NaN is NULL, as insert_columns takes
        them): each statement's parameters filled a column at a time by slice assignment, with no
        tuple a row. Columns are read a block of statements at a time (a large run is never all held)."""
        columns, row_count, nan_positions = data
        execute = functools.partial(sqlite3.Cursor.execute, cursor)
        block = self.per_statement * max(1, ROWS_PER_CHUNK // self.per_statement)
        for values in _python_chunks(columns, row_count, nan_positions, block):
            day_texts = _DayTexts()
            for index in self.dates:
                values[index] = list(map(day_texts.__getitem__, values[index]))
            for start in range(0, len(values[0]), self.per_statement):
                count = min(self.per_statement, len(values[0]) - start)
                parameters = [None] * (count * self.width)
                for index, column in enumerate(values):
                    parameters[index::self.width] = column[start:start + count]
                execute(statement if count == self.per_statement else self._for(count), parameters)
                self.written += count


class _DayTexts(dict):
    """date -> its isoformat(), made on first use; None (a nullable date column) stays None."""

    def __missing__(self, day):
        text = self[day] = None if day is None else day.isoformat()
        return text


def _adapt_dates(row: tuple, indexes: list[int], adapt) -> list:
    row = list(row)
    for index in indexes:
        row[index] = adapt(row[index])
    return row
