"""The embedded shared cache: Django's database cache, whose writes on SQLite do not wait for the disk.

What the cache holds (throttle counts, login failures and lockouts) is worth a request's time, not a
flush of the database's log to the disk: a commit with SQLite's `synchronous=FULL` (settings.py) waits
for one (0.3 ms on an idle disk here, 2 to 5 ms on a busy one), and every API request writes its
throttle count (issue 19). A cache write made outside any transaction of the app therefore commits
with the pragma at NORMAL for that write only (WAL mode: the log is flushed at the next FULL commit).
A power cut can then lose the last counts written, never a run, and never corrupts the database. A
write inside a transaction of the app (a run's save) keeps the durability of that transaction.

PostgreSQL keeps Django's own writes: `SET LOCAL synchronous_commit TO OFF` needs a transaction around
the write, and its three more statements cost more than the flush they save (1.13 ms a write against
0.90 ms, measured on this machine). With Redis (CACHE_URL) none of this applies.

On both databases a `set` of a key already in the table (the throttle's count, written by every API
request) is one UPDATE, where Django's runs five statements (COUNT, BEGIN, SELECT, UPDATE, COMMIT): each
is a round trip to the database (0.3 to 0.45 ms on PostgreSQL), and a typical upload has 50 ms in all
(issue 19). Only a new key takes Django's path, its count and cull included: the table grows only
through inserts, so culling there keeps Django's bound on its size.
"""

from __future__ import annotations

import base64
import pickle
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime, timezone

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DatabaseError, connections, router, transaction


class DatabaseCache(DjangoDatabaseCache):
    """django.core.cache.backends.db.DatabaseCache whose writes outside a transaction skip SQLite's disk flush,
    and whose `set` of an existing key is a single UPDATE."""

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._without_flush():
            if not self._overwrite(key, value, timeout, version):
                super().set(key, value, timeout, version)  # a new key: Django's count, cull and insert

    def _overwrite(self, key, value, timeout, version) -> bool:
        """Write `value` over the row of `key` in one UPDATE. False only when the key has no row yet (the
        caller then inserts it); True otherwise, also when the write failed: Django's own writes fail
        silently and are not retried either.

        Key, value and expiry are encoded as Django's DatabaseCache encodes them (django/core/cache/
        backends/db.py, `_base_set`), so that its reads, and its own writes of the same key, agree."""
        key = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        if timeout is None:  # never expires
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(timeout, tz=timezone.utc if settings.USE_TZ else None)
        expires = expires.replace(microsecond=0)
        # The column holds text: the pickle in base64, as latin1 text (Django's #19274).
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        connection = connections[router.db_for_write(self.cache_model_class)]
        quote_name = connection.ops.quote_name
        sql = "UPDATE {} SET {} = %s, {} = %s WHERE {} = %s".format(
            quote_name(self.cache_model_class._meta.db_table), quote_name("value"), quote_name("expires"),
            quote_name("cache_key"))
        # Inside the caller's transaction a failed write must not abort it (PostgreSQL refuses every
        # statement after an error until a rollback): a savepoint contains it, as in Django's. Outside
        # one the UPDATE is its own transaction, and needs no BEGIN and COMMIT around it.
        contained = transaction.atomic(using=connection.alias) if connection.in_atomic_block else nullcontext()
        try:
            with contained, connection.cursor() as cursor:
                cursor.execute(sql, [encoded, connection.ops.adapt_datetimefield_value(expires), key])
                return cursor.rowcount > 0
        except DatabaseError:
            return True  # a lock or a race: as Django's own writes, a silent failure

    def add(self, *args, **kwargs):
        with self._without_flush():
            return super().add(*args, **kwargs)

    def touch(self, *args, **kwargs):
        with self._without_flush():
            return super().touch(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with self._without_flush():
            return super().delete(*args, **kwargs)

    def delete_many(self, *args, **kwargs):
        with self._without_flush():
            return super().delete_many(*args, **kwargs)

    @contextmanager
    def _without_flush(self) -> Iterator[None]:
        connection = connections[router.db_for_write(self.cache_model_class)]
        if connection.in_atomic_block:  # the caller's transaction decides its own durability
            yield
        elif connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous")
                level = int(cursor.fetchone()[0])  # the connection's own (settings.py: FULL, 2)
                cursor.execute("PRAGMA synchronous = NORMAL")
                try:
                    yield
                finally:
                    cursor.execute(f"PRAGMA synchronous = {level}")
        else:
            yield
