"""Database settings that make SQLite a safe default, and the database errors that are a refusal, not a bug.

SQLite (the default database) is tuned only when it is the engine:

- WAL journal: readers never wait for a writer (a long import no longer stalls every page);
- a busy timeout (``SQLITE_BUSY_TIMEOUT`` seconds, 15 by default): a writer waits for another to finish;
- ``BEGIN IMMEDIATE`` for every transaction (Django's ``transaction_mode``): a transaction takes the write lock
  when it starts, so two transactions that read and then write queue up under the busy timeout instead of one of
  them failing at once with ``database is locked`` (SQLite cannot wait when a reader tries to become a writer).

A write that still cannot get the lock, a write to a read-only database (PostgreSQL's ``default_transaction_read_only``
or a standby, SQLite's read-only file), and PostgreSQL's serialization failures and deadlocks are not the user's
fault nor a bug: ``refusal_for`` names them so that the middleware answers 409 or 503 with a message, not 500.
"""

import os
import sqlite3

SQLITE_ENGINE = "django.db.backends.sqlite3"

# SQLite result codes (the low byte of the extended code) and PostgreSQL SQLSTATEs.
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 5, 6, 8
PG_READ_ONLY = {"25006"}  # read_only_sql_transaction
PG_CONFLICT = {"40001", "40P01", "55P03"}  # serialization_failure, deadlock_detected, lock_not_available

READ_ONLY = "read_only"
BUSY = "busy"


def with_sqlite_tuning(config: dict) -> dict:
    """The database settings, with SQLite's WAL journal, busy timeout and immediate transactions when SQLite is the
    engine; anything already in OPTIONS wins. Other engines are returned unchanged."""
    if config.get("ENGINE") != SQLITE_ENGINE:
        return config
    options = config.setdefault("OPTIONS", {})
    options.setdefault("transaction_mode", "IMMEDIATE")
    options.setdefault("timeout", float(os.environ.get("SQLITE_BUSY_TIMEOUT", "15")))
    options.setdefault("init_command", "PRAGMA journal_mode=WAL")
    return config


def _causes(error: BaseException):
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def refusal_for(error: BaseException) -> str | None:
    """``READ_ONLY``, ``BUSY`` or None (a real error) for an exception raised while a request used the database."""
    for cause in _causes(error):
        sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        if sqlstate in PG_READ_ONLY:
            return READ_ONLY
        if sqlstate in PG_CONFLICT:
            return BUSY
        if isinstance(cause, sqlite3.Error):
            code = (getattr(cause, "sqlite_errorcode", None) or 0) & 0xFF
            text = str(cause).lower()
            if code == SQLITE_READONLY or "readonly database" in text:
                return READ_ONLY
            if code in (SQLITE_BUSY, SQLITE_LOCKED) or "database is locked" in text or "table is locked" in text:
                return BUSY
    return None
