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
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router


class DatabaseCache(DjangoDatabaseCache):
    """django.core.cache.backends.db.DatabaseCache whose writes outside a transaction skip SQLite's disk flush."""

    def set(self, *args, **kwargs):
        with self._without_flush():
            return super().set(*args, **kwargs)

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
