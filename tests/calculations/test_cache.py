"""The embedded shared cache (calculations/cache.py): on SQLite its writes outside a transaction commit
without a flush of the log; inside one they leave the transaction's durability alone. PostgreSQL: Django's."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from calculations.cache import DatabaseCache

TABLE = "env5001_test_cache"
SETTINGS = {"default": {"BACKEND": "calculations.cache.DatabaseCache", "LOCATION": TABLE}}


@pytest.fixture
def database_cache(transactional_db):
    with override_settings(CACHES=SETTINGS):
        call_command("createcachetable", verbosity=0)
    yield DatabaseCache(TABLE, {})
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(TABLE)}")


@pytest.fixture
def statements():
    """The SQL the connection runs, as it runs it."""
    seen: list[str] = []

    def record(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield seen


def flush_level() -> str:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        return str(cursor.fetchone()[0])


WITHOUT_FLUSH = "PRAGMA synchronous = NORMAL"
sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="PostgreSQL keeps Django's own writes")


@sqlite_only
def test_a_write_outside_a_transaction_commits_without_a_flush_then_restores_the_connection_s_level(
        database_cache, statements):
    level = flush_level()
    database_cache.set("throttle", [1.5, 2.5])
    writes = [i for i, sql in enumerate(statements) if sql.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert statements.index(WITHOUT_FLUSH) < writes[0]
    assert flush_level() == level == "2"  # FULL
    assert database_cache.get("throttle") == [1.5, 2.5]


@pytest.mark.parametrize("write", [
    lambda cache: cache.add("k", 1), lambda cache: cache.touch("k", 60), lambda cache: cache.delete("k"),
    lambda cache: cache.delete_many(["k"]),
], ids=["add", "touch", "delete", "delete_many"])
@sqlite_only
def test_every_kind_of_write_skips_the_flush(database_cache, statements, write):
    database_cache.set("k", 0)
    statements.clear()
    write(database_cache)
    assert WITHOUT_FLUSH in statements


def test_a_write_inside_a_transaction_keeps_that_transaction_s_durability(database_cache, statements):
    with transaction.atomic():
        database_cache.set("throttle", 1)
    assert WITHOUT_FLUSH not in statements
    assert database_cache.get("throttle") == 1


def test_on_postgresql_a_write_is_django_s_own(database_cache, statements):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    database_cache.set("throttle", 1)
    assert not [sql for sql in statements if sql.startswith(("PRAGMA", "SET"))]
    assert database_cache.get("throttle") == 1
