"""Import a spreadsheet (XLSX, CSV or JSON) into any model, through the same resource the admin uses."""

from pathlib import Path

from django.apps import apps
from django.contrib import admin
from django.core.management.base import BaseCommand, CommandError
from import_export.results import RowResult

from core.formats import FORMATS
from core.imports import command_origin, end_run, sha256
from core.liveness import Heartbeat, mark_interrupted_runs
from core.progress import LARGE_IMPORT, Progress, bar
from core.spreadsheets import SpreadsheetRefused
from statistics.models import ImportRun


class Command(BaseCommand):
    help = (
        "Import a file into a model (app_label.model, e.g. statistics.regionpatentfigure) with the model's "
        "import resource: rows matched on natural keys, all or nothing. Files of more than 10,000 rows show a "
        "progress bar."
    )

    def add_arguments(self, parser):
        parser.add_argument("model", help="app_label.model_name, e.g. statistics.countrypatentfigure")
        parser.add_argument("file", help="an .xlsx, .csv or .json file")
        parser.add_argument("--dry-run", action="store_true", help="check and count, but write nothing")

    def handle(self, *args, model, file, dry_run=False, **options):
        resource = self._resource(model)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        format_class = self._format(path)
        mark_interrupted_runs()
        # The run is recorded before the file is read: an import killed at any point leaves its trace.
        run = ImportRun.start(
            kind=resource._meta.model._meta.label_lower, filename=path.name[:255], sha256="", origin=command_origin()
        )
        try:
            result = self._import(run, resource, format_class, path, dry_run)
        except CommandError:
            raise
        except BaseException as error:  # KeyboardInterrupt too: the run must not stay "running"
            end_run(run, ImportRun.Status.FAILED, [str(error) or type(error).__name__])
            raise
        if result.has_errors() or result.has_validation_errors():
            lines = [str(error.error) for error in result.base_errors]
            lines += [str(error.error) for _number, errors in result.row_errors() for error in errors]
            lines += [message for row in result.invalid_rows for message in row.error.messages]
            raise CommandError(
                f"{path.name}: refused, nothing was written. {len(lines)} problem(s):\n" + "\n".join(lines)
            )
        totals = result.totals
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{path.name}: {totals[RowResult.IMPORT_TYPE_NEW]} rows {verb} created, "
            f"{totals[RowResult.IMPORT_TYPE_UPDATE]} updated, {totals[RowResult.IMPORT_TYPE_SKIP]} unchanged"
        )

    def _import(self, run: ImportRun, resource, format_class, path: Path, dry_run: bool):
        content = path.read_bytes()
        run.sha256 = sha256(content)
        run.save(update_fields=["sha256"])
        dataset = self._dataset(run, format_class, path, content)
        progress = None
        if len(dataset) > LARGE_IMPORT:
            progress = Progress(printer=self._print_progress, interval=0.5)
        with Heartbeat(run.pk):
            result = resource.import_data(
                dataset,
                dry_run=dry_run,
                file_name=path.name,
                progress=progress,
                import_run=run,
                file_sha256=run.sha256,
                import_origin=command_origin(),
            )
        if progress is not None:
            self.stderr.write("")
        return result

    def _resource(self, label: str):
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError) as error:
            raise CommandError(f"unknown model {label!r}: use app_label.model_name") from error
        model_admin = admin.site._registry.get(model)
        if model_admin is None or not hasattr(model_admin, "resource_classes"):
            raise CommandError(f"{label} has no import resource")
        return model_admin.resource_classes[0]()

    def _format(self, path: Path):
        formats = {format_class().get_extension(): format_class for format_class in FORMATS}
        format_class = formats.get(path.suffix.lower().lstrip("."))
        if format_class is None:
            raise CommandError(f"{path.name}: not a spreadsheet; use .xlsx, .csv or .json")
        return format_class

    def _dataset(self, run: ImportRun, format_class, path: Path, content: bytes):
        """The file as a dataset; a file that cannot be read ends its run as refused, with the reason."""
        try:
            return format_class().create_dataset(content if format_class().is_binary() else content.decode("utf-8-sig"))
        except SpreadsheetRefused as refused:
            end_run(run, ImportRun.Status.REFUSED, refused.problems)
            raise CommandError(f"{path.name}: refused, nothing was written.\n{refused}") from refused
        except Exception as error:  # tablib and openpyxl raise many kinds for a damaged file
            end_run(run, ImportRun.Status.REFUSED, [error])
            raise CommandError(f"{path.name}: cannot be read as {path.suffix} ({error})") from error

    def _print_progress(self, state: dict) -> None:
        self.stderr.write("\r" + bar(state), ending="")
        self.stderr.flush()
