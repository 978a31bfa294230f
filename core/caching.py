"""Anonymous reads of published data are answered from the cache until that data changes.

The published figures change rarely (an import, an administrator's correction) and are read often and by
everyone, so an API response for an anonymous client is cached under the current *published version*. Every write
to a statistics model gives a new version (signals for single saves, an explicit call after bulk writes), so a stale
response is never served: the old entries are simply no longer asked for and expire. Which models' writes give a new
version is up to their app (``statistics.signals.connect_published_version`` for the statistics).

The version moves at once and again when the transaction commits: at once so that the writing transaction reads its
own changes, on commit so that a request that ran between the two cannot leave an old response under the new
version.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.translation import get_language

from . import published

logger = logging.getLogger(__name__)
RESPONSE_TIMEOUT = 60 * 60


def published_version() -> str:
    """The version every application server keys its cached public responses on (kept in the database)."""
    return str(published.current())


def _new_version() -> None:
    published.bump()


def statistics_changed(**kwargs) -> None:
    """Signal receiver and explicit hook: the published statistics changed.

    Once per transaction: a transaction that has already moved the version (and will move it again when it commits)
    does not move it for each further row, so a load of thousands of rows costs two updates, not thousands. The
    first move is part of the transaction, invisible to others until it commits, so nothing is lost by skipping the
    rest; a rolled-back savepoint takes its pending move with it, and the next write moves the version again."""
    if bump_pending(transaction.get_connection()):
        return
    _new_version()
    transaction.on_commit(_new_version)


def bump_pending(connection) -> bool:
    """Whether ``connection`` is in a transaction that has moved the published version and not yet committed."""
    pending = (callback for _ids, callback, _robust in connection.run_on_commit)
    return connection.in_atomic_block and any(callback is _new_version for callback in pending)


def cache_get(key):
    """A cached response, or None, also when the cache (Redis) cannot be reached: the page is then built anew."""
    try:
        return cache.get(key)
    except Exception:  # an unreachable cache server must not take the public pages down with it
        logger.warning("response cache unreachable; answering without it")
        return None


def cache_set(key, value) -> None:
    try:
        cache.set(key, value, RESPONSE_TIMEOUT)
    except Exception:
        logger.warning("response cache unreachable; response not stored")


def public_key(request) -> str:
    """The key of a public response: published version, active language, ``Accept`` and the full path.

    The one key function of both paths that answer from this cache (the view below and ``core.fast_cache``); the
    language is the one ``config.middleware.ChosenLanguageMiddleware`` activated for the request."""
    raw = "|".join(
        (published_version(), get_language() or "", request.META.get("HTTP_ACCEPT", ""), request.get_full_path())
    )
    return "statistics:response:" + hashlib.sha256(raw.encode()).hexdigest()


def response_key(request) -> str | None:
    """The cache key of an anonymous GET, or None when the request must not be answered from the cache."""
    if not settings.STATISTICS_RESPONSE_CACHE:
        return None
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META or request.user.is_authenticated:
        return None
    return public_key(request)


EARLY_MIDDLEWARE = "core.fast_cache.EarlyPublicApiMiddleware"
API_PREFIX = "/api/"


# {"/api/v1/<route>": whether the view there caches public reads}: one URL resolve per route and process.
_CACHED_ROUTES: dict[str, bool] = {}
MAX_ROUTES = 512  # beyond this (made-up paths), resolve each time instead of remembering


def cached_route(path_info: str) -> bool:
    """Whether the API view at ``path_info`` has ``cache_public_reads`` (only those views' answers are stored).

    Remembered per route (the path's first three segments): a router route is one viewset, whatever follows it."""
    route = "/".join(path_info.split("/", 4)[:4])
    known = _CACHED_ROUTES.get(route)
    if known is not None:
        return known
    try:
        view = resolve(path_info).func
    except Resolver404:
        return False
    known = bool(getattr(getattr(view, "cls", None), "cache_public_reads", False))
    if len(_CACHED_ROUTES) < MAX_ROUTES:
        _CACHED_ROUTES[route] = known
    return known


def certainly_anonymous_read(request) -> bool:
    """A GET of a cached API view that no authentication class could sign in: no token header, no session cookie."""
    return (
        settings.STATISTICS_RESPONSE_CACHE
        and request.method == "GET"
        and request.path_info.startswith(API_PREFIX)
        and "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and cached_route(request.path_info)
    )


def answered_early(request) -> bool:
    """Whether ``core.fast_cache`` looks this request up and stores its answer (then the view does neither, so the
    published version is read once per request)."""
    return EARLY_MIDDLEWARE in settings.MIDDLEWARE and certainly_anonymous_read(request)


def storable(response) -> bool:
    """A complete 200 answer of a view with ``cache_public_reads`` that DRF answered for an anonymous user (read
    from DRF's own ``renderer_context``, so whatever authenticated the request)."""
    context = getattr(response, "renderer_context", None) or {}
    view, drf_request = context.get("view"), context.get("request")
    return (
        response.status_code == 200
        and not response.streaming
        and getattr(view, "cache_public_reads", False)
        and drf_request is not None
        and not drf_request.user.is_authenticated
    )


def cached_response(hit) -> HttpResponse:
    """A stored ``(content, content type)`` as the response every path answers with."""
    content, content_type = hit
    response = HttpResponse(content, content_type=content_type)
    response["Vary"] = "Accept, Cookie"
    response["X-Cache"] = "hit"
    return response


class CachedPublicReadMixin:
    """For read-only API views of published statistics: the same request, anonymous, gets the same bytes.

    A response is stored only when the API itself saw an anonymous user (whatever authenticated the request).
    Requests that are anonymous before any middleware runs are looked up and stored by ``core.fast_cache`` instead,
    with the same key, entry and response."""

    cache_public_reads = True

    def dispatch(self, request, *args, **kwargs):
        key = response_key(request) if self.cache_public_reads and not answered_early(request) else None
        if key is not None:
            hit = cache_get(key)
            if hit is not None:
                return cached_response(hit)
        response = super().dispatch(request, *args, **kwargs)
        if key is not None and storable(response):
            response.render()
            cache_set(key, (response.content, response["Content-Type"]))
        return response
