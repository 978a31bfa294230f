"""History records for bulk writes, in django-simple-history's own tables.

Single saves (admin, shell, API) get their history from simple-history's signals. Bulk writes (imports) must not
skip it, but building a historical model instance per row in Python costs more than the write itself, so the
bulk writer records history here with one ``INSERT … SELECT`` per batch: the database copies the rows it has just
written into the history table, with the same columns simple-history would have filled. The admin's history
view and ``Model.history`` read these records like any other.
"""

from django.db import connection
from django.utils import timezone

CREATED, CHANGED = "+", "~"
BATCH = 500


def record_bulk_history(model, ids: list[int], history_type: str, user=None, reason: str = "") -> None:
    """Add one history record per id, of ``history_type`` ("+" created, "~" changed), stamped now."""
    if not ids:
        return
    history_model = model.history.model
    tracked = [field.column for field in model._meta.concrete_fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in tracked)
    extra = ("history_date", "history_change_reason", "history_type", "history_user_id")
    sql = (
        f"INSERT INTO {quote(history_model._meta.db_table)} ({columns}, {', '.join(quote(c) for c in extra)}) "
        f"SELECT {columns}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} WHERE {quote('id')} IN ({{ids}})"
    )
    stamp = [timezone.now(), reason or None, history_type, getattr(user, "pk", None)]
    with connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            cursor.execute(sql.format(ids=", ".join(["%s"] * len(batch))), [*stamp, *batch])
