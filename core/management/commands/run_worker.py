"""``manage.py run_worker``: django-tasks-db's ``db_worker`` with a heartbeat, after the start-up checks.

On start it marks the import runs whose process died as interrupted (as every server does on start) and queues the
clean-up of unconfirmed uploads, then beats while it takes tasks from the database. Run as many as needed, on any
machine that reaches the database.
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from core.workers import HeartbeatThread


class Command(DatabaseWorkerCommand):
    help = "Run a background worker (django-tasks-db's db_worker) that records its heartbeat."

    def handle(self, *args, **options):
        from core.imports import forget_unconfirmed_uploads
        from core.liveness import on_startup

        on_startup()
        forget_unconfirmed_uploads.enqueue()
        heartbeat = HeartbeatThread(options["worker_id"])
        heartbeat.start()
        try:
            return super().handle(*args, **options)
        finally:
            heartbeat.stop()
