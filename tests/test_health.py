"""``/healthz/`` answers 200 only when the databases, the cache and a background worker are all there."""

import pytest
from django.test import override_settings
from django.utils import timezone

from core import health, workers
from core.models import WorkerHeartbeat

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def beat(seconds_ago: int) -> None:
    when = timezone.now() - timezone.timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.create(worker_id="w1", host="h", pid=1, started_at=when, beat_at=when)


@pytest.mark.django_db
@override_settings(TASKS=DATABASE, WORKER_HEARTBEAT_TIMEOUT=60)
def test_healthy_with_a_recent_worker_heartbeat(client):
    beat(seconds_ago=5)
    response = client.get("/healthz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database:default": "ok", "cache": "ok", "worker": "ok"}


@pytest.mark.django_db
@override_settings(TASKS=DATABASE, WORKER_HEARTBEAT_TIMEOUT=60)
def test_a_worker_that_stopped_beating_fails_the_check(client):
    beat(seconds_ago=61)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert "60" in response.json()["checks"]["worker"]


@pytest.mark.django_db
@override_settings(TASKS=IMMEDIATE)
def test_no_worker_is_needed_when_tasks_run_inside_the_request(client):
    assert client.get("/healthz/").status_code == 200


@pytest.mark.django_db
@override_settings(
    TASKS=IMMEDIATE,
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9"}},
)
def test_an_unreachable_cache_fails_the_check(client):
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] != "ok"


class BrokenConnection:
    def cursor(self):
        raise ConnectionError("the primary is down")


@pytest.mark.django_db
@override_settings(TASKS=IMMEDIATE)
def test_an_unreachable_database_fails_the_check(client, monkeypatch):
    monkeypatch.setattr(health, "connections", {"default": BrokenConnection()})
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert "the primary is down" in response.json()["checks"]["database:default"]


@pytest.mark.django_db(transaction=True)
@override_settings(WORKER_HEARTBEAT_INTERVAL=3600)
def test_the_heartbeat_thread_records_the_worker():
    thread = workers.HeartbeatThread("worker-test")
    thread.start()
    thread.stop()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert WorkerHeartbeat.objects.filter(worker_id="worker-test").exists()
