"""``core.published_memo``: a value derived once per published version, from the primary, per language."""

import pytest
from django.utils import translation

from core import published, replicas
from core.published_memo import PublishedMemo
from statistics.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_replicas(monkeypatch):
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica1", "replica2"])


def counting_memo(seen: list) -> PublishedMemo:
    router = replicas.ReplicaRouter()

    def build():
        seen.append(router.db_for_read(Region))  # where a read would go while the value is derived
        return len(seen)

    return PublishedMemo(build)


def test_the_value_is_derived_from_the_primary_during_a_public_read(two_replicas):
    """The version is the primary's; a lagging replica's data must not be kept under it."""
    seen = []
    memo = counting_memo(seen)
    with replicas.public_read():
        memo.get()
        assert replicas.ReplicaRouter().db_for_read(Region) in {"replica1", "replica2"}  # the request's own reads
    assert seen == [None]


def test_derived_once_per_version_and_again_when_it_moves():
    seen = []
    memo = counting_memo(seen)
    assert memo.get() == memo.get() == 1
    published.bump()
    assert memo.get() == 2


def test_each_language_keeps_its_own_value():
    seen = []
    memo = counting_memo(seen)
    with translation.override("zh-hans"):
        chinese = memo.get()
    with translation.override("en"):
        english = memo.get()
    with translation.override("zh-hans"):
        assert memo.get() == chinese
    with translation.override("en"):
        assert memo.get() == english
    assert len(seen) == 2
