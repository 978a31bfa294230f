"""Write appendix tables 1–12 for a year as one workbook in the report's layout."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from statistics.export import appendix_workbook


class Command(BaseCommand):
    help = "Export appendix tables 1–12 (years Y−1 and Y) to an XLSX workbook in the report's layout."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="The report year Y; the sheets show Y−1 and Y.")
        parser.add_argument("--output", required=True, help="Path of the .xlsx file to write.")
        parser.add_argument(
            "--with-chapter-tables",
            action="store_true",
            help="Add the chapter tables (专利复审, 无效宣告, 商标评审 …) after tables 1–12, one sheet each.",
        )

    def handle(self, *args, year, output, with_chapter_tables=False, **options):
        path = Path(output)
        if path.suffix.lower() != ".xlsx":
            raise CommandError(f"--output must name an .xlsx file, not {path.name!r}")
        if not 1900 <= year <= 2200:
            raise CommandError(f"--year {year} is not a plausible report year")
        appendix_workbook(year, chapter_tables=with_chapter_tables).save(path)
        self.stdout.write(f"wrote {path}")
