"""Background workers: their heartbeats, and the check ``/healthz/`` makes of them.

Background work runs on Django's task framework (``django-tasks``, the backport of Django 6's ``django.tasks``)
with its database backend, so PostgreSQL or SQLite is the only service a worker needs. ``manage.py run_worker``
starts django-tasks-db's ``db_worker`` with a heartbeat thread beside it.
"""

import contextlib
import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import WorkerHeartbeat

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def needs_worker() -> bool:
    """True when tasks wait in the database for a worker (False for the immediate backend of tests)."""
    return settings.TASKS["default"]["BACKEND"] == DATABASE_BACKEND


def live_workers():
    horizon = timezone.now() - timezone.timedelta(seconds=settings.WORKER_HEARTBEAT_TIMEOUT)
    return WorkerHeartbeat.objects.filter(beat_at__gte=horizon)


def worker_problem() -> str | None:
    if not needs_worker():
        return None
    try:
        alive = live_workers().exists()
    except Exception as error:  # the database check reports the database; this one only says "unknown"
        return _("unknown: %(error)s") % {"error": type(error).__name__}
    if alive:
        return None
    return _("no background worker has sent a heartbeat in the last %(seconds)s seconds") % {
        "seconds": settings.WORKER_HEARTBEAT_TIMEOUT
    }


def beat(worker_id: str, started_at) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "started_at": started_at,
            "beat_at": timezone.now(),
        },
    )


class HeartbeatThread(threading.Thread):
    """Beats every ``WORKER_HEARTBEAT_INTERVAL`` seconds on its own database connection until stopped."""

    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while True:  # the first beat at once, then one per interval until stopped
                close_old_connections()
                with contextlib.suppress(Exception):  # a busy SQLite or a restarting database: the next beat retries
                    beat(self.worker_id, self.started_at)
                if self.stopped.wait(settings.WORKER_HEARTBEAT_INTERVAL):
                    return
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
