"""Writing checked figures to the database, with their history, in a fixed number of statements per model.

The importers decide in Python which rows are new, which change and which stay (``services._upsert_figures``), for
the whole import at once; this module only writes them, as plain rows (``{attname: value}``), once per figures
model. On PostgreSQL the rows go in with ``COPY`` (the database's own bulk path: no SQL to parse per row) into a
temporary staging table; one statement then merges them into the figures table (``INSERT … ON CONFLICT … DO
UPDATE … RETURNING``, once for the staged rows marked ``+`` created and once for those marked ``~`` changed) and
copies the rows it wrote, as the table now holds them, into the history table with their mark (no join, no sort).
Four statements per model whatever the number of rows, tables and years.

Other databases (SQLite for development and the second CI run) keep the portable path: ``bulk_create``,
``bulk_update`` and ``core.history.record_bulk_history``. Both leave the same rows and the same history
(``statistics/tests/test_figure_writes.py`` runs on whichever database is configured; CI runs both).
"""

from django.db import connections, router, transaction
from django.db.models import UniqueConstraint
from django.utils import timezone

from core.history import CHANGED, CREATED, record_bulk_history

BATCH = 1000


def row_names(model) -> list[str]:
    """The names a written row carries: every stored column but the id (entity id, year[, measure], values)."""
    return [field.attname for field in model._meta.concrete_fields if not field.primary_key]


def write_figures(model, to_create: list, to_update: list, fields: list[str], user=None, reason: str = "") -> None:
    """Insert the rows ``to_create`` and save ``fields`` of the rows ``to_update``, with one history record each.

    Rows are dicts of ``row_names(model)``; a row to update also carries its ``pk``."""
    if not (to_create or to_update):
        return
    alias = router.db_for_write(model)
    if connections[alias].vendor == "postgresql":
        _copy_and_merge(connections[alias], model, to_create, to_update, fields, user, reason)
        return
    if to_create:
        created = model.objects.bulk_create([model(**row) for row in to_create], batch_size=BATCH)
        record_bulk_history(model, [figure.pk for figure in created], CREATED, user, reason)
    if to_update:
        model.objects.bulk_update([model(**row) for row in to_update], fields, batch_size=BATCH)
        record_bulk_history(model, [row["pk"] for row in to_update], CHANGED, user, reason)


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
    history_columns = ", ".join(quote(field.column) for field in model._meta.concrete_fields)
    returned = ", ".join(f"{table}.{quote(field.column)}" for field in model._meta.concrete_fields)
    merge = (
        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {stage} WHERE history_type = '{{kind}}' "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates} RETURNING {returned}"
    )
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # Dropped at the end of this write (and at commit, should the transaction end first).
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} ON COMMIT DROP AS "
            f"SELECT {columns}, ''::varchar(1) AS history_type FROM {table} WITH NO DATA"
        )
        names = [field.attname for field in written]  # integers, a measure code and foreign keys: no conversion
        with cursor.copy(f"COPY {stage} ({columns}, history_type) FROM STDIN") as copy:
            for kind, rows in ((CREATED, to_create), (CHANGED, to_update)):
                for row in rows:
                    copy.write_row([row.get(name) for name in names] + [kind])
        # One statement: the merge, and the history of exactly the rows it wrote (as the table now holds them).
        cursor.execute(
            f"WITH created AS ({merge.format(kind=CREATED)}), changed AS ({merge.format(kind=CHANGED)}) "
            f"INSERT INTO {history_table} ({history_columns}, history_date, history_change_reason, history_type, "
            f"history_user_id) SELECT {history_columns}, %s, %s, history_type, %s FROM ("
            f"SELECT *, '{CREATED}' AS history_type FROM created UNION ALL "
            f"SELECT *, '{CHANGED}' AS history_type FROM changed) AS written",
            [timezone.now(), reason or None, getattr(user, "pk", None)],
        )
        cursor.execute(f"DROP TABLE {stage}")
