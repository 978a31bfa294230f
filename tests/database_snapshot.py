"""The test database as the session loaded it, kept to be put back after a transactional test emptied it.

Transactional tests (the browser tests, whose live server must see committed data) end with Django emptying the
database, so each of them used to load the report again (half a minute each, a minute on PostgreSQL). Instead,
``take`` keeps a copy once after the session's load (the root ``conftest.py``) and ``restore`` puts it back before
such a test, in a fraction of a second:

- SQLite (the suite's in-memory database): ``sqlite3``'s backup API copies the whole database;
- PostgreSQL: every table is copied into a schema of its own (``CREATE TABLE … AS TABLE``) and copied back in one
  transaction (``TRUNCATE`` every table, ``INSERT … SELECT``; Django's foreign keys are deferred to the commit), then
  every sequence is set past the highest key, as ``manage.py sqlsequencereset`` does.

On another database ``restore`` returns False and the caller loads the report itself.
"""

import sqlite3

from django.apps import apps
from django.core.management.color import no_style
from django.db import transaction

SCHEMA = "test_snapshot"

_snapshot: sqlite3.Connection | None = None
_tables: list[str] = []
_taken_from: list = []  # the test database's name: a restore anywhere else is refused


def take(connection) -> None:
    """Copy the loaded test database (SQLite and PostgreSQL; elsewhere nothing is kept)."""
    global _snapshot
    connection.ensure_connection()
    _taken_from[:] = [connection.settings_dict["NAME"]]
    if connection.vendor == "sqlite":
        _snapshot = sqlite3.connect(":memory:")
        connection.connection.backup(_snapshot)
    elif connection.vendor == "postgresql":
        _take_postgresql(connection)


def restore(connection) -> bool:
    """Put the session's database back, whole; False when there is no copy. Only ever into the database it was
    taken from: after the session the same connection points at the real database."""
    if _taken_from and connection.settings_dict["NAME"] != _taken_from[0]:
        raise RuntimeError(f"refusing to restore the test database's copy into {connection.settings_dict['NAME']!r}")
    connection.ensure_connection()
    if connection.vendor == "sqlite" and _snapshot is not None:
        _snapshot.backup(connection.connection)
        return True
    if connection.vendor == "postgresql" and _tables:
        _restore_postgresql(connection)
        return True
    return False


def _quoted(connection, table: str, schema: str = "public") -> str:
    quote = connection.ops.quote_name
    return f"{quote(schema)}.{quote(table)}"


def _take_postgresql(connection) -> None:
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {SCHEMA}")
        for table in tables:
            cursor.execute(f"CREATE TABLE {_quoted(connection, table, SCHEMA)} AS TABLE {_quoted(connection, table)}")
    _tables[:] = tables


def _restore_postgresql(connection) -> None:
    models = [model for model in apps.get_models(include_auto_created=True) if model._meta.managed]
    sequences = connection.ops.sequence_reset_sql(no_style(), models)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(_quoted(connection, table) for table in _tables) + " CASCADE")
        for table in _tables:
            copy = _quoted(connection, table, SCHEMA)
            cursor.execute(f"INSERT INTO {_quoted(connection, table)} SELECT * FROM {copy}")
        for statement in sequences:
            cursor.execute(statement)
