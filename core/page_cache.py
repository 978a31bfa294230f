"""Public pages answered from the cache until the published data change, with HTTP validators for proxies.

Every public page (overview, map, province, foreign origins, work summaries, registry, reconciliation, ``/figures/``
and ``/index/``) looks the same to every anonymous visitor who reads it in the same language, until published data
change. So an anonymous GET is answered from the cache under a key made of

* the published statistics version (``core.published``, domain ``public``, moved by every statistics write),
* the published pages version (domain ``pages``, moved after every committed write to the apps whose records the
  pages show: registries, work summaries, index editions, and every review event — submissions, approvals,
  reopenings — so an approval shows on the next request),
* the release (``RELEASE`` and the static manifest: a deployment never serves the previous templates),
* the language and the full path with its query.

Both versions are read with one primary-key query per request. The same key is the response's ``ETag``; a browser
or a reverse proxy revalidates with ``If-None-Match`` and gets 304 without the page being built or fetched.
Signed-in users are never served from or stored into the cache and get ``Cache-Control: private, no-cache``.

The pages version moves only when the writing transaction commits (no row lock is held while a transaction runs).
A request answered inside a transaction that has changed published data — a test, or a writer reading its own work —
is built fresh rather than from the cache, since the version has not moved yet for it.
"""

import functools
import hashlib
import logging
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from . import published
from .models import PublishedVersion

logger = logging.getLogger(__name__)

PAGES = "pages"
TIMEOUT = 60 * 60
# The pages that every anonymous visitor sees alike (URL names; ``tests/test_write_paths.py`` classifies them READ).
PUBLIC_PAGES = frozenset(
    {
        "dashboards:home",
        "dashboards:overview",
        "dashboards:map",
        "dashboards:province",
        "dashboards:foreign",
        "protection:registry",
        "protection:register",
        "protection:reconciliation",
        "protection:summary",
        "localwork:index",
        "localwork:year",
        "localwork:print",
        "evaluation:national",
        "evaluation:regions",
        "evaluation:province",
        "evaluation:method",
        "national:index",
        "national:chapter",
    }
)
# Path prefixes under which no public page lives (the API has its own response cache, core/caching.py).
NEVER_PAGES = ("/api/", "/admin/", "/static/")
# Apps whose committed writes move the pages version. ``statistics`` has its own version (``public``); ``returns``
# reach the pages only through approval, which writes a review event.
PAGE_APPS = ("protection", "localwork", "evaluation", "review")
# Headers the cache layer sets itself, or that must never be replayed to another visitor.
NOT_STORED = {"set-cookie", "vary", "etag", "cache-control", "expires", "x-cache", "content-language"}
ANONYMOUS_CACHE_CONTROL = {"public": True, "max_age": 0, "must_revalidate": True}


@functools.cache
def release() -> str:
    """What identifies the deployed code: ``RELEASE`` if set, and the static manifest (hashed names change with it).

    Read once per process: a deployment starts new processes."""
    manifest = Path(settings.STATIC_ROOT or "") / "staticfiles.json"
    digest = hashlib.sha256(manifest.read_bytes()).hexdigest()[:12] if manifest.is_file() else ""
    return f"{settings.RELEASE}:{digest}"


def versions() -> str:
    """Both published versions in one primary-key query on the primary database: ``"<public>.<pages>"``."""
    connection = connections[DEFAULT_DB_ALIAS]
    table = connection.ops.quote_name(PublishedVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT domain, version FROM {table} WHERE domain IN (%s, %s)", [published.PUBLIC, PAGES])
        found = dict(cursor.fetchall())
    return f"{found.get(published.PUBLIC, 0)}.{found.get(PAGES, 0)}"


# ---------------------------------------------------------------------------------------------------------------
# Moving the pages version
# ---------------------------------------------------------------------------------------------------------------


def _bump_pages() -> None:
    published.bump(PAGES)


def _bump_pending(connection) -> bool:
    return any(callback is _bump_pages for _sids, callback, _robust in connection.run_on_commit)


def pages_changed(**kwargs) -> None:
    """Signal receiver: published page data may have changed; move the version once, when the transaction commits."""
    connection = connections[kwargs.get("using") or DEFAULT_DB_ALIAS]
    if connection.in_atomic_block and _bump_pending(connection):
        return
    transaction.on_commit(_bump_pages, using=connection.alias)


def connect_signals() -> None:
    for label in PAGE_APPS:
        if not apps.is_installed(label):
            continue
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            uid = f"page-cache-{model._meta.label}"
            post_save.connect(pages_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(pages_changed, sender=model, dispatch_uid=f"{uid}-delete")
            for field in model._meta.many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(pages_changed, sender=through, dispatch_uid=f"{uid}-m2m-{field.name}")


# ---------------------------------------------------------------------------------------------------------------
# Answering
# ---------------------------------------------------------------------------------------------------------------


def is_public_page(request) -> bool:
    if request.path_info.startswith(NEVER_PAGES):  # no public page lives there: spare the API a second URL resolve
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in PUBLIC_PAGES


def cacheable_request(request) -> bool:
    """An anonymous GET of a public page, with no flash message waiting to be shown, outside a writing transaction."""
    if not settings.PUBLIC_PAGE_CACHE or request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return False
    if request.user.is_authenticated or not is_public_page(request):
        return False
    if len(get_messages(request)):
        return False
    connection = connections[DEFAULT_DB_ALIAS]
    return not (connection.in_atomic_block and _bump_pending(connection))


def page_key(request) -> str:
    raw = "|".join((release(), versions(), get_language() or "", request.get_full_path()))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def storable(request, response) -> bool:
    """A complete 200 answer that neither set a cookie (a CSRF token, a session) nor asked to stay private."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
        and not request.user.is_authenticated
    )


def _cache_get(key):
    from django.core.cache import cache

    try:
        return cache.get("page:" + key)
    except Exception:  # an unreachable cache server must not take the public pages down with it
        logger.warning("page cache unreachable; answering without it")
        return None


def _cache_set(key, value) -> None:
    from django.core.cache import cache

    try:
        cache.set("page:" + key, value, TIMEOUT)
    except Exception:
        logger.warning("page cache unreachable; page not stored")


def _validated(response, etag: str, state: str):
    response["ETag"] = etag
    response["X-Cache"] = state
    patch_cache_control(response, **ANONYMOUS_CACHE_CONTROL)
    patch_vary_headers(response, ("Cookie",))
    return response


def _matches(request, etag: str) -> bool:
    wanted = request.META.get("HTTP_IF_NONE_MATCH", "")
    tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
    return etag in tags or "*" in tags


class PublicPageCacheMiddleware:
    """Answers anonymous GETs of public pages from the cache (and 304 to a matching ``If-None-Match``).

    Placed after the authentication and messages middleware: it needs to know who asks and whether a message waits.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request):
            response = self.get_response(request)
            if request.user.is_authenticated and "Cache-Control" not in response:
                patch_cache_control(response, private=True, no_cache=True)
            return response
        key = page_key(request)
        etag = f'"{key}"'
        if _matches(request, etag):
            return _validated(HttpResponseNotModified(), etag, "revalidated")
        hit = _cache_get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            return _validated(response, etag, "hit")
        response = self.get_response(request)
        if storable(request, response):
            headers = [(name, value) for name, value in response.items() if name.lower() not in NOT_STORED]
            _cache_set(key, (response.content, headers))
            return _validated(response, etag, "miss")
        return response
