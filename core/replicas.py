"""Read replicas: anonymous reads of published data go to a replica; everything else stays on the primary.

``DATABASE_REPLICA_URLS`` (comma-separated) adds the aliases ``replica1``, ``replica2`` … to ``DATABASES``.
``PublicReadMiddleware`` marks an anonymous GET or HEAD of a public page or of the API as a *public read* for the
duration of that request (a context variable, so it never leaks into another request or thread); while it is set,
``ReplicaRouter`` sends reads to a replica. Signed-in users, writes, the admin and anything a signed-in user reads
right after writing come from the primary, so nobody ever reads their own change from a lagging replica.

The published-data version that keys the response caches is always read from the primary (``core.published``).
"""

import contextvars
import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import dj_database_url
from django.conf import settings

_public_read = contextvars.ContextVar("public_read", default=False)
_turns: Iterator[int] = itertools.count()

# Paths a public read may come from: the dashboards, the public pages and the API (which shows anonymous users
# published data only). The admin and the sign-in pages never read from a replica.
PRIVATE_PREFIXES = ("/admin/", "/returns/", "/i18n/", "/healthz/")


def replica_databases(urls: str, primary: dict) -> dict:
    """``DATABASES`` entries for each URL in ``urls``: ``{"replica1": {...}, …}``.

    In tests a replica mirrors the primary (Django's ``TEST["MIRROR"]``), so the router's choice is exercised on the
    one test database."""
    replicas = {}
    for number, url in enumerate((item.strip() for item in urls.split(",") if item.strip()), start=1):
        config = dj_database_url.parse(url, conn_max_age=primary.get("CONN_MAX_AGE", 0))
        config["TEST"] = {"MIRROR": "default"}
        replicas[f"replica{number}"] = config
    return replicas


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


@contextmanager
def public_read():
    """Reads inside this block may come from a replica."""
    token = _public_read.set(True)
    try:
        yield
    finally:
        _public_read.reset(token)


@contextmanager
def primary_reads():
    """Reads inside this block come from the primary, even during a public read (``core.published_memo`` keys what
    it derives on the primary's version, so it derives from the primary's data)."""
    token = _public_read.set(False)
    try:
        yield
    finally:
        _public_read.reset(token)


class ReplicaRouter:
    """Reads of a public request go to the replicas in turn; every other read and every write to the primary."""

    def db_for_read(self, model, **hints):
        if not _public_read.get():
            return None
        aliases = replica_aliases()
        if not aliases:
            return None
        return aliases[next(_turns) % len(aliases)]

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def is_public_read(request) -> bool:
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    if request.path.startswith(PRIVATE_PREFIXES):
        return False
    return not request.user.is_authenticated


class PublicReadMiddleware:
    """Marks an anonymous GET of a public page or of the API as a public read (after authentication)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_aliases() or not is_public_read(request):
            return self.get_response(request)
        with public_read():
            return self.get_response(request)
