"""Anonymous API hits answered before the rest of the request path (``core.fast_cache``), exactly as the view would."""

from unittest import mock

import pytest
from django.conf import settings
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core import fast_cache
from core.caching import CachedPublicReadMixin
from core.models import PublishedVersion
from statistics import models
from statistics.services import write_tables

URL = "/api/v1/region-patent-figures/?year=2025&region=110000&measure=filed"
EARLY = "core.fast_cache.EarlyPublicApiMiddleware"


def get(client, url=URL, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return response, len(queries.captured_queries)


def view_never_reached():
    return mock.patch.object(CachedPublicReadMixin, "dispatch", side_effect=AssertionError("reached the view"))


def early_lookups():
    return mock.patch.object(fast_cache, "cache_get", wraps=fast_cache.cache_get)


@pytest.mark.django_db
def test_an_early_hit_is_the_views_hit_byte_for_byte_and_header_for_header(settings):
    get(APIClient())  # built and stored by the view
    with CaptureQueriesContext(connection) as queries, view_never_reached():
        early = APIClient().get(URL)
    assert len(queries.captured_queries) == 1  # the published version, nothing else
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != EARLY]
    by_view, _ = get(APIClient())
    assert by_view["X-Cache"] == early["X-Cache"] == "hit"
    assert early.content == by_view.content
    assert sorted(early.items()) == sorted(by_view.items())
    for header in ("X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options", "Content-Length", "Vary"):
        assert header in early  # security headers, framing, length and Vary: none lost on the early path


@pytest.mark.django_db
def test_the_first_read_is_built_and_the_second_answered_early():
    first, first_queries = get(APIClient())
    assert first_queries > 1 and "X-Cache" not in first
    with view_never_reached():
        second, second_queries = get(APIClient())
    assert second_queries == 1
    assert second.content == first.content
    assert second.json()["results"][0]["region"]


@pytest.mark.django_db
def test_a_session_cookie_or_an_authorization_header_never_takes_the_early_path(admin_user):
    from core.tokens import issue_token

    get(APIClient())
    anonymous_with_cookie = APIClient()
    anonymous_with_cookie.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    signed_in = APIClient()
    signed_in.force_login(admin_user)
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(admin_user)[1]}")
    bad_token = APIClient()
    bad_token.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    with early_lookups() as lookups:
        hit, _ = get(anonymous_with_cookie)
        assert hit["X-Cache"] == "hit"  # still anonymous: the view answers it from the cache, as before
        for client in (signed_in, by_token):
            response, queries = get(client)
            assert queries > 1 and "X-Cache" not in response
        refused = bad_token.get(URL)
        assert refused.status_code in (401, 403) and "X-Cache" not in refused  # refused, never served from cache
    lookups.assert_not_called()


@pytest.mark.django_db
def test_a_saved_figure_shows_on_the_next_request():
    client = APIClient()
    before, _ = get(client)
    get(client)
    figure = models.RegionPatentFigure.objects.get(region__code="110000", year=2025, measure="filed")
    figure.invention += 1
    figure.save()
    after, queries = get(client)
    assert queries > 1 and "X-Cache" not in after
    assert after.json()["results"][0]["invention"] == before.json()["results"][0]["invention"] + 1
    again, queries = get(client)
    assert queries == 1 and again["X-Cache"] == "hit"


@pytest.mark.django_db
def test_an_import_shows_on_the_next_request():
    """(Its own test: a test runs in one transaction, and a transaction moves the version once.)"""
    client = APIClient()
    get(client)
    _, queries = get(client)
    assert queries == 1
    write_tables([])  # the bulk path of every import
    rebuilt, queries = get(client)
    assert queries > 1 and "X-Cache" not in rebuilt


@pytest.mark.django_db
def test_the_language_and_the_accept_header_are_part_of_the_key():
    get(APIClient())
    english = APIClient()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    built, queries = get(english)
    assert queries > 1 and "X-Cache" not in built and built["Content-Language"] == "en"
    with view_never_reached():
        hit, queries = get(english)
    assert queries == 1 and hit["Content-Language"] == "en"
    as_json, queries = get(APIClient(), HTTP_ACCEPT="application/json")
    assert queries > 1 and "X-Cache" not in as_json


@pytest.mark.django_db
def test_an_unreadable_version_or_cache_falls_through_to_the_full_path():
    expected, _ = get(APIClient())
    with mock.patch.object(fast_cache, "public_key", side_effect=DatabaseError("gone")):
        response, _ = get(APIClient())
    assert response.content == expected.content and "X-Cache" not in response  # built anew
    with mock.patch.object(fast_cache, "cache_get", return_value=None):  # a miss, or an unreachable cache
        response, _ = get(APIClient())
    assert response.content == expected.content and "X-Cache" not in response


@pytest.mark.django_db
def test_a_miss_reads_the_published_version_once_as_the_view_alone_did(settings):
    _, early = get(APIClient())
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != EARLY]
    from django.core.cache import cache

    cache.clear()
    _, by_view = get(APIClient())
    assert early == by_view


@pytest.mark.django_db
def test_a_response_the_api_gave_a_signed_in_user_is_never_stored_early(admin_user):
    signed_in = APIClient()
    signed_in.force_authenticate(admin_user)  # no cookie, no header: only DRF knows who it is
    get(signed_in)
    _, queries = get(APIClient())
    assert queries > 1


@pytest.mark.django_db
def test_other_methods_and_paths_are_left_alone():
    get(APIClient())
    with early_lookups() as lookups:
        assert APIClient().head(URL).status_code == 200
        assert APIClient().get("/").status_code in (200, 302)
        with CaptureQueriesContext(connection) as queries:
            assert APIClient().get("/api/v1/import-runs/").status_code == 403  # a view that never caches
            assert APIClient().get("/api/v1/no-such-list/").status_code == 404
    lookups.assert_not_called()
    table = PublishedVersion._meta.db_table
    assert not any(table in query["sql"] for query in queries.captured_queries)  # no version read for them


def test_every_view_under_one_api_route_agrees_on_caching():
    """``core.caching.cached_route`` remembers per route (``/api/v1/<route>``) whether its view caches public reads:
    true only while every view under one route agrees (a nested view that never caches, under a route that does,
    would otherwise be looked up early)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield (prefix + str(pattern.pattern)).replace("^", "").replace("$", ""), pattern.callback

    caching_by_route = {}
    for route, callback in walk(get_resolver().url_patterns):
        if not route.startswith("api/"):
            continue
        key = "/".join(("/" + route).split("/", 4)[:4])
        caches = bool(getattr(getattr(callback, "cls", None), "cache_public_reads", False))
        caching_by_route.setdefault(key, set()).add(caches)
    assert caching_by_route, "no API route found"
    mixed = {key: seen for key, seen in caching_by_route.items() if len(seen) > 1}
    assert not mixed, mixed
