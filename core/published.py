"""The published-data version: read and moved on the primary database, whatever router is in force.

Reading it costs one primary-key lookup per anonymous request; in exchange, every application server agrees on it
without a shared cache, and a replica's lag can never make a server key new figures under an old version.
"""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F

from .models import PublishedVersion

PUBLIC = "public"


def current(domain: str = PUBLIC) -> int:
    """One primary-key lookup, in plain SQL: it runs on every anonymous request, where the ORM's overhead showed."""
    table = connections[DEFAULT_DB_ALIAS].ops.quote_name(PublishedVersion._meta.db_table)
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(f"SELECT version FROM {table} WHERE domain = %s", [domain])
        row = cursor.fetchone()
    return row[0] if row else 0


def bump(domain: str = PUBLIC) -> None:
    moved = PublishedVersion.objects.using(DEFAULT_DB_ALIAS).filter(domain=domain).update(version=F("version") + 1)
    if not moved:
        PublishedVersion.objects.using(DEFAULT_DB_ALIAS).get_or_create(domain=domain, defaults={"version": 1})
