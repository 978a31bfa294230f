"""Anonymous reads of published data go to a replica; signed-in users, writes and the admin stay on the primary."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from core import replicas
from statistics.models import Region
from statistics.tests.factories import UserFactory


@pytest.fixture
def two_replicas(monkeypatch):
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica1", "replica2"])


def test_reads_go_to_the_replicas_in_turn_only_inside_a_public_read(two_replicas):
    router = replicas.ReplicaRouter()
    assert router.db_for_read(Region) is None
    with replicas.public_read():
        chosen = {router.db_for_read(Region) for _ in range(4)}
    assert chosen == {"replica1", "replica2"}
    assert router.db_for_read(Region) is None
    with replicas.public_read():
        assert router.db_for_write(Region) == "default"


def test_without_replicas_every_read_stays_on_the_primary():
    with replicas.public_read():
        assert replicas.ReplicaRouter().db_for_read(Region) is None


def request(method="get", path="/api/v1/regions/", user=None, **extra):
    made = getattr(RequestFactory(), method)(path, **extra)
    made.user = user or AnonymousUser()
    return made


@pytest.mark.django_db
def test_only_anonymous_reads_of_public_pages_are_public_reads():
    assert replicas.is_public_read(request())
    assert replicas.is_public_read(request(path="/overview/"))
    assert not replicas.is_public_read(request(method="post"))
    assert not replicas.is_public_read(request(path="/admin/statistics/region/"))
    assert not replicas.is_public_read(request(user=UserFactory()))
    assert not replicas.is_public_read(request(HTTP_AUTHORIZATION="Token abc"))


@pytest.mark.django_db
def test_the_middleware_marks_the_request_and_nothing_after_it(two_replicas):
    seen = []
    middleware = replicas.PublicReadMiddleware(lambda r: seen.append(replicas._public_read.get()) or "response")
    assert middleware(request()) == "response"
    middleware(request(user=UserFactory()))
    assert seen == [True, False]
    assert replicas._public_read.get() is False
