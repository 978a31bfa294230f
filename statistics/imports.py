"""Imports that the admin and the commands share: appendix workbooks in the report's layout, and long uploads.

``import_appendix`` records an ``ImportRun``, reads the file safely (``spreadsheets``), parses the report layout
(``report_layout``), runs every rule (``services.check_tables``), and only then writes, all in one transaction.
A dry run does the same and rolls the writes back, which gives the admin its preview counts.
"""

import getpass
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from .background import submit
from .models import ImportRun
from .progress import LARGE_IMPORT, Progress
from .report_layout import parse_grids
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
    run = ImportRun.objects.create(
        kind="appendix",
        user=user,
        filename=filename[:255],
        sha256=sha256(content),
        status=ImportRun.Status.RUNNING,
        origin=origin,
    )
    outcome = ImportOutcome(run)
    try:
        return _import(outcome, content, filename, user, dry_run)
    except Exception as error:
        outcome.problems = [Problem(str(error))]
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
            except SpreadsheetRefused as refused:
                outcome.problems = refused.problems
            if outcome.problems:
                raise Refused
            outcome.counts = write_tables(outcome.tables, author)
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


def _finish(outcome: ImportOutcome, status: str, *, total_rows: int, rejected: int = 0) -> ImportOutcome:
    run = outcome.run
    run.status = status
    run.finished_at = timezone.now()
    run.total_rows = run.processed_rows = total_rows
    run.created, run.updated, run.unchanged = outcome.counts.created, outcome.counts.updated, outcome.counts.unchanged
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
    stored = model_admin.write_to_tmp_storage(upload, input_format)
    run = ImportRun.objects.create(
        kind=f"{model_admin.opts.app_label}.{model_admin.opts.model_name}",
        user=request.user,
        filename=upload.name[:255],
        sha256=sha256(content),
        total_rows=len(dataset),
        source=stored.name,
        source_format=format_index,
        language=translation.get_language() or "",
    )
    submit(run_resource_import, run.pk, True)
    return run


def confirm_large_import(preview: ImportRun, user) -> ImportRun | None:
    """The real import of a previewed file, as a new run, in the background; None if it was already confirmed.

    The preview is marked confirmed in the same UPDATE that checks it is still a preview, so that two clicks on
    Confirm start one import, not two.
    """
    claimed = ImportRun.objects.filter(pk=preview.pk, status=ImportRun.Status.PREVIEWED).update(
        status=ImportRun.Status.CONFIRMED
    )
    if not claimed:
        return None
    run = ImportRun.objects.create(
        language=preview.language,
        kind=preview.kind,
        user=user,
        filename=preview.filename,
        sha256=preview.sha256,
        total_rows=preview.total_rows,
        source=preview.source,
        source_format=preview.source_format,
    )
    submit(run_resource_import, run.pk, False)
    return run


def _decoded(content: bytes, input_format, model_admin):
    return content if input_format.is_binary() else content.decode(model_admin.from_encoding)


def run_resource_import(run_id: int, dry_run: bool) -> None:
    """Import (or preview) a stored upload through the model's resource, publishing progress as it goes."""
    run = ImportRun.objects.select_related("user").get(pk=run_id)
    with translation.override(run.language or settings.LANGUAGE_CODE):
        _run_resource_import(run, dry_run)


def _run_resource_import(run: ImportRun, dry_run: bool) -> None:
    from django.apps import apps
    from django.contrib import admin

    model_admin = admin.site._registry[apps.get_model(run.kind)]
    input_format = model_admin.get_import_formats()[run.source_format]()
    storage = model_admin.get_tmp_storage_class()(
        name=run.source,
        encoding=None if input_format.is_binary() else model_admin.from_encoding,
        read_mode=input_format.get_read_mode(),
        **model_admin.get_tmp_storage_class_kwargs(),
    )
    try:
        dataset = input_format.create_dataset(storage.read())
        resource = model_admin.resource_classes[0]()
        resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            file_name=run.filename,
            user=run.user,
            progress=Progress(run.pk),
            import_run=run,
            file_sha256=run.sha256,
        )
    except Exception as error:
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.FAILED, finished_at=timezone.now(), problems=[str(error)]
        )
        raise
    finally:
        refused = ImportRun.objects.filter(pk=run.pk, status__in=[ImportRun.Status.REFUSED, ImportRun.Status.FAILED])
        if not dry_run or refused.exists():
            storage.remove()
