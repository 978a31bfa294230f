"""Anonymous API reads answered from the response cache before the rest of the request path.

``core.caching.CachedPublicReadMixin`` answers a cached read inside the DRF view, after every middleware (CSRF,
authentication, replicas, messages, the page cache, history, axes) has run for it; under load that path was most
of a hit's cost. This middleware sits just after the language is chosen and answers the same hit earlier, for the
requests that are anonymous whatever the later middleware would decide: a GET of a caching API view
(``core.caching.certainly_anonymous_read``) without an ``Authorization`` header (API tokens) and without a session
cookie (the only other way to sign in).

Same key (``core.caching.public_key``: published version, the language ``ChosenLanguageMiddleware`` activated,
``Accept``, full path), same stored entry, same response (``core.caching.cached_response``). The middleware that add
headers to every response (security, X-Frame-Options, Content-Length, Content-Language) sit before it in
``MIDDLEWARE``, so a hit answered here carries the same headers as one answered by the view
(``statistics/tests/test_api_early_cache.py`` compares them). Any doubt falls through to the full path unchanged:
a session cookie, an ``Authorization`` header, another method or path, a route whose view never caches, a miss,
an unreachable cache or database.

For these requests this middleware also stores the answer (``core.caching.storable``: a 200 of a view with
``cache_public_reads`` that DRF answered for an anonymous user, read from the response's ``renderer_context``) and
the view skips its own lookup (``core.caching.answered_early``), so a miss reads the published version once, as
before. Other requests (an anonymous client with a stale session cookie, say) are cached by the view, as before.
"""

import logging

from django.db import DatabaseError

from .caching import cache_get, cache_set, cached_response, certainly_anonymous_read, public_key, storable

logger = logging.getLogger(__name__)


class EarlyPublicApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not certainly_anonymous_read(request):
            return self.get_response(request)
        try:
            key = public_key(request)
        except DatabaseError:  # the published version could not be read: the full path refuses it properly
            logger.warning("published version unreadable; the API request takes the full path")
            return self.get_response(request)
        hit = cache_get(key)
        if hit is not None:
            return cached_response(hit)
        response = self.get_response(request)
        if storable(response):
            cache_set(key, (response.content, response["Content-Type"]))
        return response
