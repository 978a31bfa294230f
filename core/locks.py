"""Locks that serialise writers of the same data on every application server and worker.

On PostgreSQL, ``hold(...)`` takes a transaction-level advisory lock per key (``pg_advisory_xact_lock``): a second
import of the same (table, year) waits at its check until the first has committed or rolled back, so it checks
against what the first wrote and can never slip between another import's check and write. Keys are taken in sorted
order, so two imports of overlapping tables cannot deadlock.

On SQLite nothing is taken: every transaction there starts with ``BEGIN IMMEDIATE`` (core/database.py), which holds
the database's single write lock from its first statement, so two writers are already serialised.
"""

import hashlib

from django.db import connection, transaction


def key_number(key: str) -> int:
    """A stable signed 64-bit number for ``key`` (PostgreSQL's advisory locks take a bigint)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


def hold(*keys: str) -> None:
    """Hold a lock on each key until the current transaction ends. Must be called inside a transaction."""
    if connection.vendor != "postgresql" or not keys:
        return
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("advisory locks are held until the transaction ends")
    numbers = sorted({key_number(key) for key in keys})
    with connection.cursor() as cursor:  # one round trip: ``unnest`` yields the sorted array in its order
        cursor.execute("SELECT count(pg_advisory_xact_lock(number)) FROM unnest(%s::bigint[]) AS number", [numbers])
