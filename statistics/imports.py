"""Imports that the admin and the commands share: appendix workbooks in the report's layout, and long uploads.

``import_appendix`` records an ``ImportRun`` (running, in this process) before it reads anything, reads the file
safely (``spreadsheets``), parses the report layout (``report_layout``), runs every rule (``services.check_tables``),
and only then writes, all in one transaction, with a heartbeat (``liveness``) while it works. A dry run does the same
and rolls the writes back, which gives the admin its preview counts.

A preview keeps its file as an ``ImportUpload`` of its run; a confirm names the run (``claim_preview``), never a path,
and only the user who previewed it can confirm it, once.
"""

import getpass
import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from .chapter_layout import parse_chapter_grids
from .chapter_services import check_chapter_tables, write_chapter_tables
from .liveness import Heartbeat, this_process
from .models import ImportRun, ImportUpload
from .progress import LARGE_IMPORT, Progress
from .report_layout import find_title, parse_grids
from .services import Author, WriteCounts, check_tables, write_tables
from .spreadsheets import SpreadsheetRefused, read_grids
from .tabledata import Problem, TableData


class DryRunRollback(Exception):
    """Raised inside the transaction of a dry run so that nothing it wrote is kept."""


@dataclass
class ImportOutcome:
    run: ImportRun
    counts: WriteCounts = field(default_factory=WriteCounts)
    problems: list[Problem] = field(default_factory=list)
    tables: list[TableData] = field(default_factory=list)
    chapter_tables: list = field(default_factory=list)  # ``chapter_tables.ChapterTableData``, read beside the appendix
    chapter_counts: WriteCounts = field(default_factory=WriteCounts)  # cells, apart from the appendix's entity rows

    @property
    def ok(self) -> bool:
        return not self.problems


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def command_origin() -> str:
    """Who ran an import from the command line, where there is no user account: the operating-system account."""
    try:
        account = getpass.getuser()
    except (KeyError, OSError):
        account = "?"
    return f"command ({account})"


def import_appendix(
    content: bytes, filename: str, *, user=None, dry_run: bool = False, origin: str = ""
) -> ImportOutcome:
    """Import every appendix table found in the file, or nothing; the outcome lists every problem found."""
    run = ImportRun.start(kind="appendix", user=user, filename=filename[:255], sha256=sha256(content), origin=origin)
    return import_appendix_run(run, content, filename, user=user, dry_run=dry_run)


def import_appendix_run(run: ImportRun, content: bytes, filename: str, *, user=None, dry_run=False) -> ImportOutcome:
    """The import of a run already recorded as running (a command records it before reading the file)."""
    outcome = ImportOutcome(run)
    try:
        with Heartbeat(run.pk):
            return _import(outcome, content, filename, user, dry_run)
    except BaseException as error:  # KeyboardInterrupt too: the run must not stay "running"
        outcome.problems = [Problem(str(error) or type(error).__name__)]
        _finish(outcome, ImportRun.Status.FAILED, total_rows=0)
        raise


class Refused(Exception):
    """Raised inside the transaction when the checks find problems, so that nothing is kept."""


def _import(outcome: ImportOutcome, content: bytes, filename: str, user, dry_run: bool) -> ImportOutcome:
    """Read, check and write in one transaction, so that no other import can change what the checks saw."""
    author = Author(user=user, reason=f"import {filename}"[:100])
    try:
        with transaction.atomic():
            try:
                grids = read_grids(content, filename)
                outcome.tables, outcome.problems = parse_grids(grids)
                outcome.problems += check_tables(outcome.tables)
                outcome.chapter_tables, chapter_problems = parse_chapter_grids(grids, is_other_title=find_title)
                outcome.problems += chapter_problems + check_chapter_tables(outcome.chapter_tables)
            except SpreadsheetRefused as refused:
                outcome.problems = refused.problems
            if outcome.problems:
                raise Refused
            outcome.counts = write_tables(outcome.tables, author)
            outcome.chapter_counts = write_chapter_tables(outcome.chapter_tables, author)
            if dry_run:
                raise DryRunRollback
    except Refused:
        rows = sum(len(data.rows) for data in outcome.tables)
        rejected = {(problem.location.sheet, problem.location.row) for problem in outcome.problems}
        rejected = {(sheet, row) for sheet, row in rejected if row is not None}
        return _finish(outcome, ImportRun.Status.REFUSED, total_rows=rows, rejected=len(rejected))
    except DryRunRollback:
        pass
    status = ImportRun.Status.PREVIEWED if dry_run else ImportRun.Status.SUCCEEDED
    return _finish(outcome, status, total_rows=sum(len(data.rows) for data in outcome.tables))


def end_run(run: ImportRun, status: str, problems: list) -> None:
    """Close a run that ended before its import could report (a file refused as unreadable, an error)."""
    run.status, run.finished_at, run.problems = status, timezone.now(), [str(problem) for problem in problems]
    run.save(update_fields=["status", "finished_at", "problems"])


def _finish(outcome: ImportOutcome, status: str, *, total_rows: int, rejected: int = 0) -> ImportOutcome:
    run = outcome.run
    run.status = status
    run.finished_at = timezone.now()
    run.total_rows = run.processed_rows = total_rows
    counts = outcome.counts + outcome.chapter_counts  # the run records every row and chapter cell written
    run.created, run.updated, run.unchanged = counts.created, counts.updated, counts.unchanged
    run.rejected = rejected
    run.problems = [str(problem) for problem in outcome.problems]
    run.save()
    return outcome


def start_large_import(model_admin, request, form) -> ImportRun | None:
    """For an upload of more than ``LARGE_IMPORT`` rows: keep the file, record a run, preview it in the background.

    Returns None for smaller files (and unreadable ones), which import-export's own preview handles in the request.
    """
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
    deleted, _per_model = ImportUpload.objects.filter(stored_at__lt=timezone.now() - max_age).delete()
    return deleted


def enqueue_import(run_id: int, dry_run: bool) -> None:
    """Hand the run to a background worker (``manage.py run_worker``). The task is a row in the database, written in
    the current transaction: a worker sees it only once the run it names is committed."""
    from .tasks import import_upload

    import_upload.enqueue(run_id, dry_run)


def model_label(model_admin) -> str:
    return f"{model_admin.opts.app_label}.{model_admin.opts.model_name}"


def keep_upload(run: ImportRun, content: bytes) -> ImportUpload:
    """Keep the file a preview read, reachable only through its run, until the preview is confirmed."""
    return ImportUpload.objects.create(run=run, content=content)


def claim_preview(run_id, user, kind: str) -> tuple[ImportRun, bytes] | None:
    """The preview ``run_id`` of ``user`` and its file, now marked confirmed; None if there is no such preview.

    None covers a run that is not a preview of this user and this kind, one already confirmed (a doubled click, a
    stale page) and one whose upload was forgotten. The preview is marked confirmed in the same UPDATE that checks
    it still is a preview, so that two clicks on Confirm start one import, not two.
    """
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


def confirm_large_import(preview: ImportRun, user) -> ImportRun | None:
    """The real import of a previewed file, as a new run, in the background; None if it was already confirmed."""
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
    # The run now belongs to this process (a worker, usually not the server that recorded it): if it dies, the next
    # worker or server to start sees its pid gone and marks the run interrupted.
    ImportRun.objects.filter(pk=run_id).update(**this_process(), heartbeat_at=timezone.now())
    run = ImportRun.objects.select_related("user").get(pk=run_id)
    progress = Progress(run.pk)
    with translation.override(run.language or settings.LANGUAGE_CODE), Heartbeat(run.pk, progress=progress):
        _run_resource_import(run, dry_run, progress)


def _run_resource_import(run: ImportRun, dry_run: bool, progress: Progress) -> None:
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
