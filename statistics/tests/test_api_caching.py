"""Anonymous reads of the statistics API come from the cache until the statistics change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from statistics import models
from statistics.services import write_tables

URL = "/api/v1/region-patent-figures/?year=2025&region=110000&measure=filed"


def get(client, url=URL):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries.captured_queries)


@pytest.mark.django_db
def test_a_repeated_anonymous_read_makes_one_query_for_the_published_version():
    """The version is read from the database, so that every application server agrees on it."""
    client = APIClient()
    first, first_queries = get(client)
    second, second_queries = get(client)
    assert first_queries > 1 and second_queries == 1
    assert second.content == first.content
    assert second["X-Cache"] == "hit"


@pytest.mark.django_db
def test_a_saved_figure_is_served_at_once():
    client = APIClient()
    before, _ = get(client)
    figure = models.RegionPatentFigure.objects.get(region__code="110000", year=2025, measure="filed")
    figure.invention += 1
    figure.save()
    after, queries = get(client)
    assert queries > 0
    assert after.json()["results"][0]["invention"] == before.json()["results"][0]["invention"] + 1


@pytest.mark.django_db
def test_signed_in_users_are_never_served_from_the_cache(admin_user):
    from core.tokens import issue_token

    by_session = APIClient()
    by_session.force_login(admin_user)
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(admin_user)[1]}")
    for client in (by_session, by_token):
        get(client)
        _, queries = get(client)
        assert queries > 0


@pytest.mark.django_db
def test_bulk_writes_give_a_new_version():
    from core.caching import published_version

    version = published_version()
    write_tables([])
    assert published_version() != version


@pytest.mark.django_db
def test_a_response_seen_by_a_signed_in_user_is_never_stored_for_others(admin_user):
    signed_in = APIClient()
    signed_in.force_authenticate(admin_user)  # authenticated by the API alone, as any DRF scheme would
    get(signed_in)
    _, queries = get(APIClient())
    assert queries > 0


@pytest.mark.django_db
def test_the_cache_can_be_switched_off(settings):
    settings.STATISTICS_RESPONSE_CACHE = False
    client = APIClient()
    get(client)
    _, queries = get(client)
    assert queries > 0


@pytest.mark.django_db
def test_the_published_version_is_the_databases_not_one_processs():
    """Another server's approval moves the version in the database; this process's own cache plays no part."""
    from django.core.cache import cache
    from django.db.models import F

    from core.caching import published_version
    from core.models import PublishedVersion

    client = APIClient()
    get(client)
    version = published_version()
    cache.clear()
    assert published_version() == version
    PublishedVersion.objects.update(version=F("version") + 1)
    assert published_version() != version
    _response, queries = get(client)
    assert queries > 1  # not served from the entry stored under the old version


@pytest.mark.django_db
def test_public_reads_are_answered_when_the_cache_server_is_down(settings):
    """A stopped Redis makes /healthz/ fail, but the public API still answers, built anew."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9"}
    }
    response, queries = get(APIClient())
    assert queries > 1
    assert response.json()["results"]
