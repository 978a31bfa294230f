"""The appendix import: workbooks in the report's layout, read, checked and written in one transaction.

``import_appendix`` records an ``ImportRun`` (running, in this process) before it reads anything, reads the file
safely (``core.spreadsheets``), parses the report layout (``report_layout``), runs every rule
(``services.check_tables``), and only then writes, all in one transaction, with a heartbeat (``core.liveness``) while
it works. A dry run does the same and rolls the writes back, which gives the admin its preview counts.

The imports of any model's records through its admin resource (previews kept with their file, confirms that name a
run, large files in the background) are ``core.imports``.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.imports import sha256
from core.liveness import Heartbeat
from core.problems import Location, Problem
from core.spreadsheets import SpreadsheetRefused, read_grids

from .chapter_layout import parse_chapter_grids
from .chapter_services import check_chapter_tables, write_chapter_tables
from .models import ImportRun
from .report_layout import find_title, parse_grids
from .services import Author, WriteCounts, check_tables, write_tables
from .tabledata import TableData


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


CHAPTER_IMPORT_PERMISSION = "statistics.import_chapterfigure"


def _chapter_permission_problems(chapter_tables, user) -> list[Problem]:
    """A workbook's chapter tables are written only for a user who may import them (the figures' import permissions
    are the caller's to check); a command's import (no user) may."""
    if user is None or not chapter_tables or user.has_perm(CHAPTER_IMPORT_PERMISSION):
        return []
    return [
        Problem(
            _("You may not import the chapter tables: remove this sheet, or ask an administrator to import it."),
            Location(sheet=data.sheet),
        )
        for data in chapter_tables
    ]


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
                outcome.problems += _chapter_permission_problems(outcome.chapter_tables, user)
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
