"""The embedded shared cache (calculations/cache.py): on SQLite its writes outside a transaction commit
without a flush of the log; inside one they leave the transaction's durability alone. PostgreSQL: Django's.
On both, a set of a key already stored is one UPDATE, encoded as Django's own."""

from __future__ import annotations

import pytest
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

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
postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL only")


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


@postgresql_only
def test_on_postgresql_a_write_is_django_s_own(database_cache, statements):
    database_cache.set("throttle", 1)
    assert not [sql for sql in statements if sql.startswith(("PRAGMA", "SET"))]
    assert database_cache.get("throttle") == 1


# A set of a key already in the table (the throttle's count, every API request) is one UPDATE; a new key
# takes Django's path (count, cull, insert).

def writes(captured) -> list[str]:
    """The statements run, but SQLite's pragmas around a write (counted by the tests above)."""
    return [query["sql"] for query in captured.captured_queries if not query["sql"].startswith("PRAGMA")]


def stored_row(key: str) -> tuple:
    """The row of the full cache key `key`, as stored: (cache_key, value, expires)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key, value, expires FROM {connection.ops.quote_name(TABLE)} WHERE cache_key = %s",
                       [key])
        return cursor.fetchone()


def row_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(TABLE)}")
        return cursor.fetchone()[0]


def test_a_set_of_an_existing_key_is_one_statement(database_cache):
    database_cache.set("throttle", [1.5])
    with CaptureQueriesContext(connection) as captured:
        database_cache.set("throttle", [1.5, 2.5])
    assert len(writes(captured)) == 1 and writes(captured)[0].startswith("UPDATE")


@pytest.mark.parametrize("value", [None, [1764259200.125, 1764259199.5, 1764259100.0], {"failures": 3}, "é"],
                         ids=["none", "throttle_history", "dict", "text"])
def test_an_overwritten_value_reads_back_as_set(database_cache, value):
    database_cache.set("k", "before")
    database_cache.set("k", value)
    assert database_cache.get("k", default="absent") == value


def test_an_overwrite_with_no_timeout_never_expires_as_django_s_own_write(database_cache):
    database_cache.set("ours", 1)
    database_cache.set("ours", 2, timeout=None)
    DjangoDatabaseCache(TABLE, {}).set("django_s", 2, timeout=None)
    assert stored_row(database_cache.make_key("ours"))[2] == stored_row(database_cache.make_key("django_s"))[2]
    assert database_cache.get("ours") == 2


def test_an_expired_row_overwritten_gets_the_new_expiry(database_cache):
    database_cache.set("k", 1, timeout=-10)  # expired: stored until a read or a cull deletes it
    assert stored_row(database_cache.make_key("k")) is not None
    with CaptureQueriesContext(connection) as captured:
        database_cache.set("k", 2, timeout=60)
    assert len(writes(captured)) == 1
    assert database_cache.get("k") == 2


def test_a_new_key_is_inserted_through_django_s_path(database_cache):
    with CaptureQueriesContext(connection) as captured:
        database_cache.set("new", 1)
    assert any(sql.startswith("SELECT COUNT(*)") for sql in writes(captured))
    assert any(sql.startswith("INSERT") for sql in writes(captured))
    assert database_cache.get("new") == 1


def test_the_table_is_still_culled_past_max_entries(database_cache):
    small = DatabaseCache(TABLE, {"OPTIONS": {"MAX_ENTRIES": 3, "CULL_FREQUENCY": 2}})
    for index in range(10):
        small.set(f"k{index}", index)
        small.set(f"k{index}", -index)  # overwrites never grow the table
    assert row_count() <= 3 + 1  # Django's bound: a cull when the count passes MAX_ENTRIES, then the insert


def test_a_key_prefix_and_version_give_django_s_own_cache_key(database_cache):
    params = {"KEY_PREFIX": "env5001", "VERSION": 3}
    DjangoDatabaseCache(TABLE, params).set("throttle", "django's")
    ours = DatabaseCache(TABLE, params)
    with CaptureQueriesContext(connection) as captured:
        ours.set("throttle", "ours")  # Django's row, found and overwritten
    assert len(writes(captured)) == 1
    assert stored_row("env5001:3:throttle")[0] == ours.make_key("throttle") == "env5001:3:throttle"
    assert DjangoDatabaseCache(TABLE, params).get("throttle") == "ours"


def test_a_set_of_another_version_is_another_row(database_cache):
    database_cache.set("k", "v1", version=1)
    database_cache.set("k", "v2", version=2)
    database_cache.set("k", "v2 again", version=2)
    assert [database_cache.get("k", version=version) for version in (1, 2)] == ["v1", "v2 again"]


@sqlite_only
def test_an_overwrite_skips_the_flush_too(database_cache, statements):
    database_cache.set("k", 0)
    statements.clear()
    database_cache.set("k", 1)
    assert statements.index(WITHOUT_FLUSH) < statements.index(next(s for s in statements if s.startswith("UPDATE")))
    assert flush_level() == "2"


def test_an_overwrite_inside_a_transaction_is_rolled_back_with_it(database_cache):
    database_cache.set("k", "kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        database_cache.set("k", "rolled back")
        raise RuntimeError
    assert database_cache.get("k") == "kept"
