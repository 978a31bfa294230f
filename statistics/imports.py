"""Importing appendix workbooks laid out like the report: the one path shared by the command and the admin.

``import_appendix`` records an ``ImportRun``, reads the file safely (``spreadsheets``), parses the report layout
(``report_layout``), runs every rule (``services.check_tables``), and only then writes, all in one transaction.
A dry run does the same and rolls the writes back, which gives the admin its preview counts.
"""

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .models import ImportRun
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


def import_appendix(content: bytes, filename: str, *, user=None, dry_run: bool = False) -> ImportOutcome:
    """Import every appendix table found in the file, or nothing; the outcome lists every problem found."""
    run = ImportRun.objects.create(
        kind="appendix", user=user, filename=filename[:255], sha256=sha256(content), status=ImportRun.Status.RUNNING
    )
    outcome = ImportOutcome(run)
    try:
        grids = read_grids(content, filename)
        outcome.tables, outcome.problems = parse_grids(grids)
        outcome.problems += check_tables(outcome.tables)
    except SpreadsheetRefused as refused:
        outcome.problems = refused.problems
    rows = sum(len(data.rows) for data in outcome.tables)
    if outcome.problems:
        rejected = {(problem.location.sheet, problem.location.row) for problem in outcome.problems}
        return _finish(outcome, ImportRun.Status.REFUSED, total_rows=rows, rejected=len(rejected))
    author = Author(user=user, reason=f"import {filename}"[:100])
    try:
        with transaction.atomic():
            outcome.counts = write_tables(outcome.tables, author)
            if dry_run:
                raise DryRunRollback
    except DryRunRollback:
        pass
    status = ImportRun.Status.PREVIEWED if dry_run else ImportRun.Status.SUCCEEDED
    return _finish(outcome, status, total_rows=rows)


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
