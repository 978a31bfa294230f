"""Import appendix tables from a workbook (XLSX) or a single table (CSV) laid out like the report."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.imports import command_origin, end_run, sha256
from core.liveness import mark_interrupted_runs
from statistics.imports import import_appendix_run
from statistics.models import ImportRun


class Command(BaseCommand):
    help = (
        "Import appendix tables 1–12 laid out like the report (title, unit, two-level header, rows). "
        "All or nothing: any problem refuses the whole file, and every problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="An .xlsx workbook or a .csv table.")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, but write nothing.")

    def handle(self, *args, file, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        mark_interrupted_runs()
        # The run is recorded before the file is read: an import killed at any point leaves its trace.
        run = ImportRun.start(kind="appendix", filename=path.name[:255], sha256="", origin=command_origin())
        try:
            content = path.read_bytes()
        except OSError as error:
            end_run(run, ImportRun.Status.FAILED, [error])
            raise CommandError(f"{path.name}: cannot be read ({error})") from error
        run.sha256 = sha256(content)
        run.save(update_fields=["sha256"])
        outcome = import_appendix_run(run, content, path.name, dry_run=dry_run)
        if not outcome.ok:
            lines = [str(problem) for problem in outcome.problems]
            raise CommandError(
                f"{path.name}: refused, nothing was written. {len(lines)} problem(s):\n" + "\n".join(lines)
            )
        tables = ", ".join(str(data.table.number) for data in outcome.tables)
        counts = outcome.counts
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{path.name}: tables {tables}; {counts.created} rows {verb} created, {counts.updated} updated, "
            f"{counts.unchanged} unchanged"
        )
        if outcome.chapter_tables:
            chapter = outcome.chapter_counts
            titles = "、".join(data.table.title for data in outcome.chapter_tables)
            self.stdout.write(
                f"chapter tables {titles}: {chapter.created} cells {verb} created, {chapter.updated} updated, "
                f"{chapter.unchanged} unchanged"
            )
