"""Telling a running import from one whose process died, without anyone opening a page.

Every run records the process that does it (host, pid and, on Linux, when that process started, so that a pid the
system has since given to another process is not taken for the old one) and a heartbeat: a small thread updates
``heartbeat_at`` from its own database connection while the import works inside its transaction. When any server
process starts (``config/wsgi.py`` and ``config/asgi.py``, which ``runserver`` and gunicorn both load) and before
each command-line import, ``mark_interrupted_runs`` marks as interrupted every run still "running" whose heartbeat
is older than ``IMPORT_HEARTBEAT_TIMEOUT`` seconds, or whose process on this host is gone.
"""

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import Q
from django.utils import timezone

from .import_runs import import_run_model

logger = logging.getLogger(__name__)

HEARTBEAT_INTERVAL = 60  # seconds between two heartbeats of a running import
HEARTBEAT_TIMEOUT = 15 * 60  # seconds without a heartbeat after which a run is taken for interrupted
PROGRESS_INTERVAL = 0.5  # seconds between two writes of a running import's progress to its run


def host_name() -> str:
    return socket.gethostname()[:255]


def process_start(pid: int) -> int | None:
    """When the process started, in clock ticks since boot (Linux ``/proc``); None where that cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        return None
    fields = stat[stat.rfind(b")") + 2 :].split()  # after "pid (command name)"
    try:
        return int(fields[19])  # field 22 of the line: starttime
    except (IndexError, ValueError):
        return None


def this_process() -> dict:
    """The fields of ``ImportRun`` that name the current process."""
    pid = os.getpid()
    return {"host": host_name(), "pid": pid, "process_started": process_start(pid)}


def process_alive(pid: int | None, started: int | None) -> bool:
    """Whether the process ``pid`` of this host still runs, and is the same process (not a reused pid)."""
    if not pid or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, under another account
    if started is not None:
        current = process_start(pid)
        if current is not None and current != started:
            return False
    return True


def timeout() -> int:
    return int(getattr(settings, "IMPORT_HEARTBEAT_TIMEOUT", HEARTBEAT_TIMEOUT))


def mark_interrupted_runs() -> int:
    """Mark every run whose process died as interrupted (failed, with the translated reason); how many were."""
    ImportRun = import_run_model()
    cutoff = timezone.now() - timedelta(seconds=timeout())
    running = ImportRun.objects.filter(status=ImportRun.Status.RUNNING)
    silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    here = host_name()
    fields = ("pk", "host", "pid", "process_started", "heartbeat_at", "started_at")
    marked = 0
    for run in running.filter(silent | Q(host=here)).only(*fields):
        stale = (run.heartbeat_at or run.started_at) < cutoff
        dead = run.host == here and run.pid is not None and not process_alive(run.pid, run.process_started)
        if (stale or dead) and run.mark_interrupted():
            marked += 1
    return marked


def on_startup() -> None:
    """The startup hook of every server process: a database that is not there yet must not stop the server."""
    try:
        marked = mark_interrupted_runs()
    except DatabaseError as error:
        logger.warning("could not check for interrupted imports (is the database migrated?): %s", error)
        return
    if marked:
        logger.warning("%s import run(s) were interrupted and are now marked failed", marked)


class Heartbeat:
    """While the ``with`` block runs, a thread writes the run's ``heartbeat_at`` every ``interval`` seconds and, when
    a ``Progress`` is given, its latest counts to ``ImportRun.progress`` every ``PROGRESS_INTERVAL`` seconds.

    The thread has its own database connection, so both are visible while the import's transaction is open, to
    every application server. A write that fails (SQLite busy while the import writes) is skipped; the next one
    tries again.
    """

    def __init__(self, run_id: int, interval: float | None = None, progress=None):
        self.run_id = run_id
        self.interval = interval or float(getattr(settings, "IMPORT_HEARTBEAT_INTERVAL", HEARTBEAT_INTERVAL))
        self.progress = progress
        self._written = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"import-heartbeat-{run_id}", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()
        return False

    def beat(self, with_heartbeat: bool = True) -> None:
        ImportRun = import_run_model()
        fields = {"heartbeat_at": timezone.now()} if with_heartbeat else {}
        latest = self.progress.latest if self.progress is not None else None
        if latest is not None and latest is not self._written:
            fields["progress"] = latest
        if fields:
            ImportRun.objects.filter(pk=self.run_id, status=ImportRun.Status.RUNNING).update(**fields)
            self._written = latest

    def _run(self) -> None:
        tick = min(self.interval, PROGRESS_INTERVAL) if self.progress is not None else self.interval
        last_beat = 0.0
        try:
            while not self._stop.wait(tick):
                due = time.monotonic() - last_beat >= self.interval
                try:
                    self.beat(with_heartbeat=due)
                except DatabaseError:
                    logger.info("heartbeat of import run %s skipped", self.run_id, exc_info=True)
                    continue
                if due:
                    last_beat = time.monotonic()
        finally:
            connections.close_all()
