"""Imports of any model's records through its admin resource: the run that records each, previews kept with their
file, confirms that name a run (never a file), and large files previewed and imported by a background worker.

Shared by every app's ``RecordsAdmin`` (``core.admin_tools``) and the import commands. The runs are
``statistics.ImportRun`` rows, found through the app registry (``core.import_runs``); the appendix import of the
report's own layout is ``statistics.imports``.
"""

import getpass
import hashlib
from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation
from django_tasks import task

from .import_runs import import_run_model, import_upload_model
from .liveness import Heartbeat, this_process
from .progress import LARGE_IMPORT, Progress


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def command_origin() -> str:
    """Who ran an import from the command line, where there is no user account: the operating-system account."""
    try:
        account = getpass.getuser()
    except (KeyError, OSError):
        account = "?"
    return f"command ({account})"


def end_run(run, status: str, problems: list) -> None:
    """Close a run that ended before its import could report (a file refused as unreadable, an error)."""
    run.status, run.finished_at, run.problems = status, timezone.now(), [str(problem) for problem in problems]
    run.save(update_fields=["status", "finished_at", "problems"])


def start_large_import(model_admin, request, form):
    """For an upload of more than ``LARGE_IMPORT`` rows: keep the file, record a run, preview it in the background.

    Returns None for smaller files (and unreadable ones), which import-export's own preview handles in the request.
    """
    ImportRun = import_run_model()
    format_index = int(form.cleaned_data["format"])
    input_format = model_admin.get_import_formats()[format_index]()
    upload = form.cleaned_data["import_file"]
    content = b"".join(upload.chunks())
    upload.seek(0)
    try:
        dataset = input_format.create_dataset(_decoded(content, input_format, model_admin))
    except Exception:
        return None
    if len(dataset) <= LARGE_IMPORT:
        return None
    run = ImportRun.start(
        kind=model_label(model_admin),
        user=request.user,
        filename=upload.name[:255],
        sha256=sha256(content),
        total_rows=len(dataset),
        source_format=format_index,
        language=translation.get_language() or "",
    )
    keep_upload(run, content)
    enqueue_import(run.pk, dry_run=True)
    return run


def forget_stale_uploads(max_age=timedelta(days=1)) -> int:
    """Uploads previewed but never confirmed are deleted after a day; their runs stay."""
    ImportUpload = import_upload_model()
    deleted, _per_model = ImportUpload.objects.filter(stored_at__lt=timezone.now() - max_age).delete()
    return deleted


def enqueue_import(run_id: int, dry_run: bool) -> None:
    """Hand the run to a background worker (``manage.py run_worker``). The task is a row in the database, written in
    the current transaction: a worker sees it only once the run it names is committed."""
    import_upload.enqueue(run_id, dry_run)


def model_label(model_admin) -> str:
    return f"{model_admin.opts.app_label}.{model_admin.opts.model_name}"


def keep_upload(run, content: bytes):
    """Keep the file a preview read, reachable only through its run, until the preview is confirmed."""
    ImportUpload = import_upload_model()
    return ImportUpload.objects.create(run=run, content=content)


def claim_preview(run_id, user, kind: str) -> tuple | None:
    """The preview ``run_id`` of ``user`` and its file, now marked confirmed; None if there is no such preview.

    None covers a run that is not a preview of this user and this kind, one already confirmed (a doubled click, a
    stale page) and one whose upload was forgotten. The preview is marked confirmed in the same UPDATE that checks
    it still is a preview, so that two clicks on Confirm start one import, not two.
    """
    ImportRun = import_run_model()
    ImportUpload = import_upload_model()
    try:
        run_id = int(run_id)
    except (TypeError, ValueError):
        return None
    previews = ImportRun.objects.filter(
        pk=run_id, status=ImportRun.Status.PREVIEWED, user=user, kind=kind, upload__isnull=False
    )
    if not previews.update(status=ImportRun.Status.CONFIRMED):
        return None
    preview = ImportRun.objects.get(pk=run_id)
    upload = ImportUpload.objects.get(run=preview)
    content = bytes(upload.content)
    upload.delete()
    return preview, content


def confirm_large_import(preview, user):
    """The real import of a previewed file, as a new run, in the background; None if it was already confirmed."""
    ImportRun = import_run_model()
    claimed = claim_preview(preview.pk, user, preview.kind)
    if claimed is None:
        return None
    preview, content = claimed
    run = ImportRun.start(
        language=preview.language,
        kind=preview.kind,
        user=user,
        filename=preview.filename,
        sha256=preview.sha256,
        total_rows=preview.total_rows,
        source_format=preview.source_format,
    )
    keep_upload(run, content)
    enqueue_import(run.pk, dry_run=False)
    return run


def _decoded(content: bytes, input_format, model_admin):
    return content if input_format.is_binary() else content.decode(model_admin.from_encoding)


def run_resource_import(run_id: int, dry_run: bool) -> None:
    """Import (or preview) a stored upload through the model's resource, publishing progress as it goes."""
    ImportRun = import_run_model()
    # The run now belongs to this process (a worker, usually not the server that recorded it): if it dies, the next
    # worker or server to start sees its pid gone and marks the run interrupted.
    ImportRun.objects.filter(pk=run_id).update(**this_process(), heartbeat_at=timezone.now())
    run = ImportRun.objects.select_related("user").get(pk=run_id)
    progress = Progress(run.pk)
    with translation.override(run.language or settings.LANGUAGE_CODE), Heartbeat(run.pk, progress=progress):
        _run_resource_import(run, dry_run, progress)


def _run_resource_import(run, dry_run: bool, progress: Progress) -> None:
    ImportRun = import_run_model()
    ImportUpload = import_upload_model()
    from django.apps import apps
    from django.contrib import admin

    model_admin = admin.site._registry[apps.get_model(run.kind)]
    input_format = model_admin.get_import_formats()[run.source_format]()
    try:
        content = bytes(ImportUpload.objects.get(run=run).content)
        dataset = input_format.create_dataset(_decoded(content, input_format, model_admin))
        resource = model_admin.resource_classes[0]()
        resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            file_name=run.filename,
            user=run.user,
            progress=progress,
            import_run=run,
            file_sha256=run.sha256,
        )
    except Exception as error:
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.FAILED, finished_at=timezone.now(), problems=[str(error)]
        )
        raise
    finally:
        previewed = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.PREVIEWED).exists()
        if not (dry_run and previewed):
            ImportUpload.objects.filter(run=run).delete()  # used, or refused: only a preview keeps its file


# Background work on Django's task framework (``django-tasks``): a worker (``manage.py run_worker``) takes the task
# from the database, so an import started on one application server runs on whichever worker is free; its progress
# and heartbeat are written to its run, where every server reads them. If the worker dies, the import's transaction
# rolls back and the next worker or server to start marks the run as interrupted (``liveness.on_startup``).


@task()
def import_upload(run_id: int, dry_run: bool) -> None:
    """Preview (``dry_run``) or import the upload kept with run ``run_id``."""
    run_resource_import(run_id, dry_run)


@task()
def forget_unconfirmed_uploads() -> int:
    """Delete the uploads of previews never confirmed within a day (their runs stay). Returns how many."""
    return forget_stale_uploads()
