"""Writing checked figures to the database, with their history, in a fixed number of statements.

The importers decide in Python which rows are new, which change and which stay (``services._upsert_figures``);
this module only writes them. On PostgreSQL the rows go in with ``COPY`` (the database's own bulk path: no SQL to
parse per row) into a temporary staging table, and one ``INSERT … ON CONFLICT … DO UPDATE`` merges them into the
figures table; one ``INSERT … SELECT`` then copies the written rows into the history table, each with ``+``
(created) or ``~`` (changed) as the staging table says. Four statements whatever the number of rows.

Other databases (SQLite for development and the second CI run) keep the portable path: ``bulk_create``,
``bulk_update`` and ``core.history.record_bulk_history``. Both leave the same rows and the same history
(``statistics/tests/test_figure_writes.py`` runs on whichever database is configured; CI runs both).
"""

from django.db import connections, router, transaction
from django.db.models import UniqueConstraint
from django.utils import timezone

from core.history import CHANGED, CREATED, record_bulk_history

BATCH = 1000


def write_figures(model, to_create: list, to_update: list, fields: list[str], user=None, reason: str = "") -> None:
    """Insert ``to_create`` and save ``fields`` of ``to_update`` (model instances), with one history record each."""
    if not (to_create or to_update):
        return
    alias = router.db_for_write(model)
    if connections[alias].vendor == "postgresql":
        _copy_and_merge(connections[alias], model, to_create, to_update, fields, user, reason)
        return
    if to_create:
        model.objects.bulk_create(to_create, batch_size=BATCH)
        record_bulk_history(model, [figure.pk for figure in to_create], CREATED, user, reason)
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=BATCH)
        record_bulk_history(model, [figure.pk for figure in to_update], CHANGED, user, reason)


def unique_columns(model) -> list[str]:
    """The columns of the figures table's natural key (entity, year[, measure]): what ``ON CONFLICT`` names."""
    for constraint in model._meta.constraints:
        if isinstance(constraint, UniqueConstraint) and not constraint.condition:
            return [model._meta.get_field(name).column for name in constraint.fields]
    raise ValueError(f"{model.__name__} has no unique constraint to merge on")


def _copy_and_merge(connection, model, to_create, to_update, fields, user, reason) -> None:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    history_table = quote(model.history.model._meta.db_table)
    stage = quote(f"stage_{model._meta.db_table}")
    written = [field for field in model._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(quote(field.column) for field in written)
    key = [quote(column) for column in unique_columns(model)]
    changed = [quote(model._meta.get_field(name).column) for name in fields]
    updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in changed)
    tracked = ", ".join(f"t.{quote(field.column)}" for field in model._meta.concrete_fields)
    history_columns = ", ".join(quote(field.column) for field in model._meta.concrete_fields)
    joined = " AND ".join(f"t.{column} = s.{column}" for column in key)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # Made once per transaction (an import writes one piece per table and year) and emptied after each merge.
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} ON COMMIT DROP AS "
            f"SELECT {columns}, ''::varchar(1) AS history_type FROM {table} WITH NO DATA"
        )
        names = [field.attname for field in written]  # integers, a measure code and foreign keys: no conversion
        with cursor.copy(f"COPY {stage} ({columns}, history_type) FROM STDIN") as copy:
            for kind, figures in ((CREATED, to_create), (CHANGED, to_update)):
                for figure in figures:
                    values = figure.__dict__
                    copy.write_row([values[name] for name in names] + [kind])
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {stage} "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"
        )
        cursor.execute(
            f"INSERT INTO {history_table} ({history_columns}, history_date, history_change_reason, history_type, "
            f"history_user_id) SELECT {tracked}, %s, %s, s.history_type, %s FROM {table} t JOIN {stage} s ON {joined}",
            [timezone.now(), reason or None, getattr(user, "pk", None)],
        )
        cursor.execute(f"DELETE FROM {stage}")
