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
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(callback is _new_version for _ids, callback, _ in connection.run_on_commit):
        return
    _new_version()
    transaction.on_commit(_new_version)


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


def response_key(request) -> str | None:
    """The cache key of an anonymous GET, or None when the request must not be answered from the cache."""
    if not settings.STATISTICS_RESPONSE_CACHE:
        return None
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META or request.user.is_authenticated:
        return None
    raw = "|".join(
        (published_version(), get_language() or "", request.META.get("HTTP_ACCEPT", ""), request.get_full_path())
    )
    return "statistics:response:" + hashlib.sha256(raw.encode()).hexdigest()


class CachedPublicReadMixin:
    """For read-only API views of published statistics: the same request, anonymous, gets the same bytes.

    A response is stored only when the API itself saw an anonymous user (whatever authenticated the request)."""

    cache_public_reads = True

    def dispatch(self, request, *args, **kwargs):
        key = response_key(request) if self.cache_public_reads else None
        if key is not None:
            hit = cache_get(key)
            if hit is not None:
                content, content_type = hit
                response = HttpResponse(content, content_type=content_type)
                response["Vary"] = "Accept, Cookie"
                response["X-Cache"] = "hit"
                return response
        response = super().dispatch(request, *args, **kwargs)
        drf_user = getattr(getattr(self, "request", None), "user", None)
        if key is not None and response.status_code == 200 and not getattr(drf_user, "is_authenticated", True):
            response.render()
            cache_set(key, (response.content, response["Content-Type"]))
        return response
