"""Load the report's data: reference dimensions, the indicator catalogue, then the figures of appendix tables 1–12.

Other apps add their own fixtures through the ``report_data_loaded`` signal (receivers get ``load``, the shared
``FixtureLoad``) so that this one command loads everything the report holds.

What the database lacks is created. A stored value that differs from the report was imported or edited since, so
it is kept: the command lists it ("kept …") and exits normally, so that a start script stays usable. ``--force``
writes the report's values back and lists every value it replaces. Either way the run is recorded as an
``ImportRun`` of kind "report fixtures" (origin: the operating-system account), and every record written carries
the run in its history's reason. The whole load is one transaction: all of it, or nothing.

``--seed`` loads only into a database without report data (no regions yet) and leaves any other alone; ``bin/run``
uses it, so restarting the application never changes a stored value.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from core.imports import command_origin
from statistics.catalogue import load_indicator_catalogue
from statistics.fixture_loading import RUN_KIND, FixtureLoad, fixtures_sha256
from statistics.models import ImportRun, Region
from statistics.services import TableProblems, load_reference_data, load_report_figures
from statistics.signals import report_data_loaded


class Command(BaseCommand):
    help = (
        "Load the 2025 annual report's reference data, catalogue, figures and the other apps' fixtures. Creates what "
        "is missing; values changed since are kept and listed unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reference-only", action="store_true", help="Load regions and countries alone, without any figures."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Write the report's values over stored values that differ from it, listing each one replaced.",
        )
        parser.add_argument(
            "--seed",
            action="store_true",
            help="Load only into a database that holds no report data yet; leave any other database alone.",
        )

    def handle(self, *args, reference_only=False, force=False, seed=False, **options):
        if seed and Region.objects.exists():
            self.stdout.write(
                "The database already holds the report's data: left alone. Run load_report_data to add what is missing."
            )
            return
        run = ImportRun.start(
            kind=RUN_KIND,
            filename="fixtures/" + (" (--force)" if force else ""),
            sha256=fixtures_sha256(),
            origin=command_origin(),
        )
        load = FixtureLoad(force=force, reason=f"load_report_data{' --force' if force else ''} (import run {run.pk})")
        try:
            with transaction.atomic():
                self._load(load, reference_only)
        except TableProblems as error:
            self._finish(run, load, ImportRun.Status.REFUSED, [str(problem) for problem in error.problems])
            raise CommandError("\n".join(str(problem) for problem in error.problems)) from error
        except CommandError as error:
            self._finish(run, load, ImportRun.Status.REFUSED, [str(error)])
            raise
        except Exception as error:
            self._finish(run, load, ImportRun.Status.FAILED, [str(error)])
            raise
        lines = load.lines()
        self._finish(run, load, ImportRun.Status.SUCCEEDED, lines)
        for line in lines:
            self.stdout.write(line)
        if load.kept:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(load.kept)} stored values differ from the report and were kept; "
                    "use --force to replace them with the report's values."
                )
            )
        if load.replaced:
            self.stdout.write(f"{len(load.replaced)} stored values replaced with the report's values.")
        self.stdout.write(f"recorded as import run {run.pk}")

    def _load(self, load: FixtureLoad, reference_only: bool) -> None:
        changed = load_reference_data(load=load)
        self.stdout.write(f"reference data: {changed} rows created or changed")
        if reference_only:
            return
        self.stdout.write(f"indicator catalogue: {load_indicator_catalogue(load)} rows created or changed")
        counts = load_report_figures(load=load)
        self.stdout.write(
            f"appendix figures: {counts.created} created, {counts.updated} updated, {counts.unchanged} unchanged"
        )
        for _receiver, message in report_data_loaded.send(sender=self.__class__, stdout=self.stdout, load=load):
            if message:
                self.stdout.write(str(message))

    @staticmethod
    def _finish(run: ImportRun, load: FixtureLoad, status: str, problems: list[str]) -> None:
        """Fill in the run; a refused or failed load rolled back, so it wrote nothing whatever its counts say."""
        run.status = status
        run.finished_at = timezone.now()
        if status == ImportRun.Status.SUCCEEDED:
            run.created, run.updated, run.unchanged = load.created, load.updated, load.unchanged
            run.total_rows = run.processed_rows = load.created + load.updated + load.unchanged + len(load.kept)
        run.problems = problems
        run.save()
