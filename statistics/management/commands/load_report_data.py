"""Load the report's data: reference dimensions, then the figures of appendix tables 1–12.

Running it twice changes nothing. Other apps add their own fixtures through the ``report_data_loaded`` signal
so that this one command loads everything the report holds.
"""

from django.core.management.base import BaseCommand, CommandError

from statistics.catalogue import load_indicator_catalogue
from statistics.services import TableProblems, load_reference_data, load_report_figures
from statistics.signals import report_data_loaded


class Command(BaseCommand):
    help = "Load the 2025 annual report's reference data and appendix figures (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reference-only", action="store_true", help="Load regions and countries alone, without any figures."
        )

    def handle(self, *args, reference_only=False, **options):
        changed = load_reference_data()
        self.stdout.write(f"reference data: {changed} rows created or changed")
        if reference_only:
            return
        self.stdout.write(f"indicator catalogue: {load_indicator_catalogue()} rows created or changed")
        try:
            counts = load_report_figures()
        except TableProblems as error:
            raise CommandError("\n".join(str(problem) for problem in error.problems)) from error
        self.stdout.write(
            f"appendix figures: {counts.created} created, {counts.updated} updated, {counts.unchanged} unchanged"
        )
        for _receiver, message in report_data_loaded.send(sender=self.__class__, stdout=self.stdout):
            if message:
                self.stdout.write(str(message))
