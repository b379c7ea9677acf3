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

Both run on the caller's connection, so inside the caller's transaction: when a row
is refused (a constraint, a type) the exception propagates and the caller's
`transaction.atomic` rolls the whole run back. Small batches (`ORM_MAX_ROWS` or
fewer rows) keep the ORM's `bulk_create`, which is one INSERT statement on every
backend at that size and costs the same there.
"""

from __future__ import annotations

import functools
import sqlite3
from collections import deque
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from itertools import chain, islice

from django.db import connections, models, router

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


def _column(meta, name: str) -> models.Field:
    field = next((f for f in meta.concrete_fields if f.attname == name), None)
    if field is None:
        raise ValueError(f"{meta.label} has no column {name!r}")
    if field.primary_key or not isinstance(field, _PASS_THROUGH) or isinstance(field, models.DateTimeField):
        raise ValueError(f"{meta.label}.{name}: {type(field).__name__} is not supported by calculations.bulk")
    return field


def _copy(connection, table: str, fields: list[models.Field], rows: Iterable[tuple]) -> int:
    quote = connection.ops.quote_name
    statement = f"COPY {quote(table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN (FORMAT BINARY)"
    # Binary COPY: about 10x cheaper than text on this table, whose 15 float columns would
    # each be formatted as text and parsed back. The column types come from the fields.
    types = [_pg_type(field, connection) for field in fields]
    with connection.cursor() as cursor, connection.wrap_database_errors:
        # Django's cursor wrapper hands `copy` to psycopg (and records it in debug mode,
        # so assertNumQueries counts it). A value of the wrong type raises TypeError.
        def write(sql: str, rows: Iterable[tuple]) -> None:
            with cursor.copy(sql) as copy:
                copy.set_types(types)
                deque(map(copy.write_row, rows), maxlen=0)  # the loop in C

        _under_execute_wrappers(connection, cursor, write, statement, rows)
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
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    dates = [index for index, field in enumerate(fields) if isinstance(field, models.DateField)]
    if dates and connection.vendor != "sqlite":  # (SQLite's rows get their dates' text a chunk at a time)
        adapt = connection.ops.adapt_datefield_value
        rows = (_adapt_dates(row, dates, adapt) for row in rows)
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            cursor.executemany(f"INSERT INTO {quote(table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})", rows)
            return cursor.rowcount
        # Django's SQLite cursor tee()s the parameters to peek at the first row, which keeps every
        # row alive until the last is written (twice a large run's rows in memory): the driver's own
        # executemany, which streams them, runs under Django's error wrapping and query log instead.
        insert = _SQLiteInsert(connection, f"INSERT INTO {quote(table)} ({columns}) VALUES ", len(fields), dates)
        logged = cursor.debug_sql(insert.statement, None, many=True) if hasattr(cursor, "debug_sql") else nullcontext()
        with logged, connection.wrap_database_errors:
            connection.validate_no_broken_transaction()
            _under_execute_wrappers(connection, cursor, functools.partial(insert.write, cursor.cursor),
                                    insert.statement, rows)
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
