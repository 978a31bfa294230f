"""The test database as the session loaded it, kept to be put back after a transactional test emptied it.

Transactional tests (the browser tests, whose live server must see committed data) end with Django emptying the
database, so each of them used to load the report again (half a minute each). On SQLite (the suite's in-memory
database) ``sqlite3``'s backup API copies the whole database in a fraction of a second instead: ``take`` once after
the session's load (the root ``conftest.py``), ``restore`` before such a test. On another database ``restore``
returns False and the caller loads the report itself.
"""

import sqlite3

_snapshot: sqlite3.Connection | None = None


def take(connection) -> None:
    """Copy the loaded test database (SQLite only; elsewhere nothing is kept)."""
    global _snapshot
    if connection.vendor != "sqlite":
        return
    connection.ensure_connection()
    _snapshot = sqlite3.connect(":memory:")
    connection.connection.backup(_snapshot)


def restore(connection) -> bool:
    """Put the session's database back, whole; False when there is no copy (not SQLite)."""
    if _snapshot is None or connection.vendor != "sqlite":
        return False
    connection.ensure_connection()
    _snapshot.backup(connection.connection)
    return True
