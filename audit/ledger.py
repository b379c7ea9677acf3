"""Appending to the ledger: the chain's order, taken under a lock.

`append` is called inside the transaction that saves the run or publishes the version, after
everything else, so the lock is held only for the head read, one insert and the commit. On
PostgreSQL the lock is a transaction-level advisory lock: it serialises appends across every app
server on the same database and is released at commit or rollback. SQLite has one writer at a time
already (the transaction holds the write lock since its first insert). The unique position is the
last guard: a second writer with the same position would fail rather than fork the chain.
"""

from __future__ import annotations

from django.db import connection, transaction

from . import canonical
from .models import LedgerEntry

LEDGER_LOCK_KEY = 5001_0019


def lock_ledger() -> None:
    """Hold the ledger's lock until the current transaction ends (a no-op outside PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LEDGER_LOCK_KEY])


def head() -> LedgerEntry | None:
    return LedgerEntry.objects.order_by("-position").first()


def append(kind: str, object_id: int, content_sha256: str) -> LedgerEntry:
    """Seal `content_sha256` after the current head. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger.append must run inside the transaction that writes what it seals")
    lock_ledger()
    last = head()
    previous = last.seal if last else canonical.GENESIS_SEAL
    return LedgerEntry.objects.create(
        position=(last.position + 1) if last else 1, kind=kind, object_id=object_id,
        content_sha256=content_sha256, seal=canonical.seal(previous, content_sha256),
    )


def entry_for(kind: str, object_id: int) -> LedgerEntry | None:
    return LedgerEntry.objects.filter(kind=kind, object_id=object_id).first()
