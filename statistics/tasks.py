"""Background work of the statistics app, on Django's task framework (``django-tasks``).

A worker (``manage.py run_worker``) takes the task from the database, so an import started on one application
server runs on whichever worker is free; its progress and heartbeat are written to its run, where every server
reads them. If the worker dies, the import's transaction rolls back and the next worker or server to start marks
the run as interrupted (``liveness.on_startup``).
"""

from django_tasks import task


@task()
def import_upload(run_id: int, dry_run: bool) -> None:
    """Preview (``dry_run``) or import the upload kept with run ``run_id``."""
    from .imports import run_resource_import

    run_resource_import(run_id, dry_run)


@task()
def forget_unconfirmed_uploads() -> int:
    """Delete the uploads of previews never confirmed within a day (their runs stay). Returns how many."""
    from .imports import forget_stale_uploads

    return forget_stale_uploads()
