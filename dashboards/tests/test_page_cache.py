"""Public pages answered from the cache on the published versions (``core/page_cache.py``), with ETag and 304.

The report is loaded once for the session (``dashboards/tests/conftest.py``); users and the 2026 work summary that
gets approved come from factories.
"""

from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import page_cache
from localwork.tests.factories import WorkSummaryFactory
from review import services as review
from review.models import Action, RegionAssignment
from review.roles import GROUP_NAMES, Role, ensure_role_groups
from statistics.models import Region
from statistics.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/overview/",
    "/map/",
    "/province/110000/",
    "/foreign/",
    "/summaries/",
    "/summaries/2025/",
    "/summaries/2025/print/",
    "/protection/",
    "/protection/reconciliation/",
    "/protection/summary/",
    "/figures/",
    "/index/",
    "/index/regions/",
    "/index/method/",
]


def person(role, region=None):
    ensure_role_groups()
    user = UserFactory()
    user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    if region:
        RegionAssignment.objects.create(user=user, region=Region.objects.lookup(region))
    return user


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_is_answered_from_the_cache_the_second_time(client, path):
    first = client.get(path)
    assert first.status_code == 200, path
    assert first["X-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(path)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert len(queries) == 1  # both published versions, in one primary-key query
    assert second["ETag"] == first["ETag"]
    assert "Cookie" in second["Vary"]
    assert "public" in second["Cache-Control"] and "must-revalidate" in second["Cache-Control"]
    assert not second.cookies


def test_languages_and_queries_are_cached_apart(client):
    chinese = client.get("/")
    client.cookies["django_language"] = "en"
    english = client.get("/")
    assert english["X-Cache"] == "miss" and english["ETag"] != chinese["ETag"]
    assert "IP annual records" in english.content.decode()
    year = client.get("/?year=2024")
    assert year["X-Cache"] == "miss" and year["ETag"] != english["ETag"]


def test_a_matching_etag_gets_304_without_the_page(client):
    etag = client.get("/map/")["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/map/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert len(queries) == 1
    assert client.get("/map/", HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_a_new_published_version_is_a_new_etag_and_a_fresh_page(client):
    etag = client.get("/foreign/")["ETag"]
    page_cache.published.bump(page_cache.PAGES)
    response = client.get("/foreign/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["X-Cache"] == "miss" and response["ETag"] != etag


def test_signed_in_users_get_fresh_private_pages_and_store_nothing(client):
    client.force_login(person(Role.REVIEWER))
    response = client.get("/protection/")
    assert response.status_code == 200
    assert "X-Cache" not in response and "ETag" not in response
    assert "private" in response["Cache-Control"]
    client.logout()
    assert client.get("/protection/")["X-Cache"] == "miss"  # the signed-in page was not stored


@contextmanager
def committed():
    """As if the block were a transaction of its own that commits: its on-commit callbacks run, then are forgotten
    (the test's own transaction never commits, so Django would otherwise keep them queued)."""
    start = len(connection.run_on_commit)
    try:
        yield
    finally:
        queued = connection.run_on_commit[start:]
        del connection.run_on_commit[start:]
        for _sids, callback, _robust in queued:
            callback()


def test_an_approval_shows_on_the_next_request(client):
    """The 2026 summary of 北京 is approved between two anonymous requests of the summaries' index."""
    with committed():
        officer, reviewer = person(Role.OFFICER, "北京"), person(Role.REVIEWER)
        summary = WorkSummaryFactory(year=2026)
        summary = review.transition(summary, Action.SUBMIT, officer, expected_version=summary.version).target
    link = reverse("localwork:year", args=[2026])
    before = client.get(reverse("localwork:index"))
    assert client.get(reverse("localwork:index"))["X-Cache"] == "hit"
    versions = page_cache.versions()
    start = len(connection.run_on_commit)
    with committed():
        review.transition(summary, Action.APPROVE, reviewer, expected_version=summary.version)
        queued = [callback for _sids, callback, _robust in connection.run_on_commit[start:]]
        assert queued.count(page_cache._bump_pages) == 1  # once per transaction, however many rows it wrote
    assert page_cache.versions() != versions
    after = client.get(reverse("localwork:index"))
    assert after["X-Cache"] == "miss"
    assert link not in before.content.decode()
    assert link in after.content.decode()
    assert client.get(reverse("localwork:index"))["X-Cache"] == "hit"


def test_a_key_is_fresh_after_the_writing_transaction_commits(client):
    """Outside a test's transaction, the pages version moves on commit; here the commit is simulated."""
    client.get("/protection/")
    key = page_cache.versions()
    page_cache._bump_pages()
    assert page_cache.versions() != key
    assert client.get("/protection/")["X-Cache"] == "miss"


def test_a_request_inside_a_transaction_that_changed_published_data_is_built_fresh(client):
    client.get("/summaries/")
    WorkSummaryFactory(year=2027)  # queues the version's move for this (the test's) transaction's commit
    response = client.get("/summaries/")
    assert "X-Cache" not in response


def test_the_cache_can_be_switched_off(client, settings):
    settings.PUBLIC_PAGE_CACHE = False
    client.get("/")
    assert "X-Cache" not in client.get("/")


def test_pages_that_are_not_public_are_never_cached(client):
    assert "X-Cache" not in client.get("/healthz/")
    assert "X-Cache" not in client.get("/summaries/search/?q=专利")
