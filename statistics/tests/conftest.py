"""Shared fixtures: the report parsed independently of the application, and a test database holding the report.

Expected figures in this suite come from the report's own text (``fixtures/sources/annual_report_2025.txt``),
read by the small parser below. It is deliberately written apart from ``scripts/extract_appendix.py`` and from
the loader, so that a mistake in either cannot hide in the expectations.
"""

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pytest

from statistics import models

PROJECT = Path(__file__).resolve().parents[2]
REPORT_TEXT = PROJECT / "fixtures" / "sources" / "annual_report_2025.txt"

DOMESTIC_TOTAL, FOREIGN_TOTAL, GRAND_TOTAL = "国内总计", "国外在华总计", "合计"
TOTAL_LABELS = {DOMESTIC_TOTAL, FOREIGN_TOTAL, GRAND_TOTAL}

FIGURE_MODELS = (
    models.RegionPatentFigure,
    models.CountryPatentFigure,
    models.RegionTrademarkFigure,
    models.CountryTrademarkFigure,
    models.RegionCountFigure,
    models.CountryCountFigure,
)


# ---------------------------------------------------------------------------------------------------------------
# The report, as printed
# ---------------------------------------------------------------------------------------------------------------


# The application's names for the printed measure columns (the ``measure`` column of ``fixtures/appendix.csv``).
COLUMN_CODES = {
    "合计": "total",
    "发明": "invention",
    "实用新型": "utility_model",
    "外观设计": "design",
    "申请量": "applications",
    "注册量": "registrations",
    "年末有效注册量": "in_force",
}
SINGLE_MEASURE_CODES = {9: "gi_products", 10: "gi_marks", 11: "ic_applications", 12: "ic_certificates"}


def _cell(text: str) -> str:
    return re.sub(r"</?b>", "", text).strip()


def _years(text: str) -> list[int]:
    return [int(year) for year in re.findall(r"(\d{4})\s*年", text)]


def _squash(cells: list[str]) -> list[str]:
    """Header cells without their spaces (the report prints both "2024 年" and "2024年")."""
    return [re.sub(r"\s+", "", cell) for cell in cells]


def is_of_which(label: str) -> bool:
    """A parenthesized row, e.g. ``(深圳)``: already counted in its province."""
    return label.startswith("(") and label.endswith(")")


@dataclass(frozen=True)
class PrintedRow:
    label: str
    values: tuple[int, ...]


@dataclass
class PrintedTable:
    """One appendix table as printed: title, unit, the two header lines (first printing) and the data rows."""

    number: int
    title: str
    unit: str = ""
    header: list[list[str]] = field(default_factory=list)
    rows: list[PrintedRow] = field(default_factory=list)

    @property
    def measure_over_years(self) -> bool:
        """Tables 9–12 print one measure over the years; the others print the years over the measures."""
        return not _years(self.header[0][1])

    @cached_property
    def years(self) -> list[int]:
        return _years("\t".join(self.header[1] if self.measure_over_years else self.header[0]))

    @cached_property
    def columns(self) -> list[tuple[int, str]]:
        """(year, printed measure label) of every value column, in printed order."""
        if self.measure_over_years:
            return [(year, self.header[0][1]) for year in self.years]
        measures = [cell for cell in self.header[1] if cell]
        per_year = len(measures) // len(self.years)
        groups = [measures[index * per_year : (index + 1) * per_year] for index in range(len(self.years))]
        assert all(group == groups[0] for group in groups), f"表 {self.number}: years with different measures"
        return [(year, measure) for year in self.years for measure in groups[0]]

    def code(self, measure: str) -> str:
        """The application's code for a printed measure column of this table."""
        return SINGLE_MEASURE_CODES[self.number] if self.measure_over_years else COLUMN_CODES[measure]

    def keyed(self, row: PrintedRow) -> dict[tuple[int, str], int]:
        """A row's printed values keyed by (year, column code), the way the application keys them."""
        return {
            (year, self.code(measure)): value for (year, measure), value in zip(self.columns, row.values, strict=True)
        }

    def row(self, label: str) -> PrintedRow:
        return next(row for row in self.rows if row.label == label)

    def cells(self, label: str) -> dict[tuple[int, str], int]:
        return dict(zip(self.columns, self.row(label).values, strict=True))

    def value(self, label: str, year: int, measure: str) -> int:
        return self.cells(label)[(year, measure)]

    @property
    def foreign_only(self) -> bool:
        return all(row.label != DOMESTIC_TOTAL for row in self.rows)

    def domestic_rows(self) -> list[PrintedRow]:
        """Region rows (provinces, then "of which" rows), totals excluded."""
        if self.foreign_only:
            return []
        rows = []
        for row in self.rows:
            if row.label == FOREIGN_TOTAL:
                break
            if row.label not in TOTAL_LABELS:
                rows.append(row)
        return rows

    def province_rows(self) -> list[PrintedRow]:
        return [row for row in self.domestic_rows() if not is_of_which(row.label)]

    def of_which_rows(self) -> list[PrintedRow]:
        return [row for row in self.domestic_rows() if is_of_which(row.label)]

    def foreign_rows(self) -> list[PrintedRow]:
        """Country rows, totals excluded."""
        labels = [row.label for row in self.rows]
        if FOREIGN_TOTAL not in labels:
            return []
        return [row for row in self.rows[labels.index(FOREIGN_TOTAL) + 1 :] if row.label not in TOTAL_LABELS]


def parse_report(text: str) -> dict[int, PrintedTable]:
    """Tables 1–12 of 附录一: every tab-separated line between a ``表 N`` title and ``附录二``."""
    tables: dict[int, PrintedTable] = {}
    current = None
    lines = text.split("\n")
    start = next(index for index, line in enumerate(lines) if line.startswith("## 附录一"))
    for line in lines[start:]:
        if line.startswith("附录二"):
            break
        title = re.match(r"^表 (\d+) ", line)
        if title:
            current = tables.setdefault(int(title.group(1)), PrintedTable(int(title.group(1)), line.strip()))
            continue
        if current is None:
            continue
        if line.strip().startswith("单位") and not current.unit:
            current.unit = line.strip()
            continue
        if "\t" not in line:
            continue
        cells = [_cell(cell) for cell in line.split("\t")]
        label, values = cells[0], cells[1:]
        numbers = [value for value in values if value]
        if label and numbers and all(value.isdigit() for value in numbers):
            assert len(numbers) == len(values), f"表 {current.number} {label}: a blank cell"
            current.rows.append(PrintedRow(label, tuple(int(value) for value in values)))
        elif len(current.header) < 2:
            current.header.append(cells)
        else:  # the header, printed again under (续表): it must repeat the first printing
            first = current.header[0 if label else 1]
            assert _squash(cells) == _squash(first), f"表 {current.number}: unexpected line {line!r}"
    return tables


class Report:
    """The report's appendix tables, keyed by number."""

    def __init__(self, path: Path = REPORT_TEXT):
        self.text = path.read_text(encoding="utf-8")
        self.tables = parse_report(self.text)

    def __getitem__(self, number: int) -> PrintedTable:
        return self.tables[number]


@pytest.fixture(scope="session")
def report() -> Report:
    return Report()


# ---------------------------------------------------------------------------------------------------------------
# The database
# ---------------------------------------------------------------------------------------------------------------


def delete_figures() -> None:
    """One DELETE per figures table, without signals: nothing points at figures, and per-row deletes with their
    history rows cost seconds per test."""
    for model in FIGURE_MODELS:
        model.objects.all()._raw_delete(model.objects.db)


@pytest.fixture
def no_figures(db):
    """Reference data only: the state ``load_report_data --reference-only`` leaves (undone after the test)."""
    delete_figures()


def delete_other_apps_records():
    """Delete every record of the other project apps (returns, registries, summaries …), which may point at regions
    and countries, in whatever order their protected foreign keys allow."""
    from django.apps import apps
    from django.db.models import ProtectedError

    project_apps = {"review", "returns", "protection", "localwork", "dashboards", "evaluation"}
    pending = [model for model in apps.get_models() if model._meta.app_label in project_apps]
    for _attempt in range(len(pending) + 1):
        blocked = []
        for model in pending:
            try:
                model._base_manager.all().delete()
            except ProtectedError as error:
                if all(type(each) is model for each in error.protected_objects):
                    # a tree protecting its own rows (groups within groups): one DELETE takes them all at once
                    model._base_manager.all()._raw_delete(model._base_manager.db)
                else:
                    blocked.append(model)
        pending = blocked
        if not pending:
            return
    raise RuntimeError(f"cannot empty {pending}")


@pytest.fixture
def empty_database(no_figures):
    """No reference data and no figures (undone after the test)."""
    delete_other_apps_records()
    models.ForeignRowOrder.objects.all().delete()
    models.Country.members.through.objects.all().delete()
    models.Country.objects.all().delete()
    models.Region.objects.exclude(level=models.Region.Level.PROVINCE).delete()
    models.Region.objects.all().delete()


def figure_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in FIGURE_MODELS}


@pytest.fixture
def count_figures():
    """A function giving the number of rows of every figures model."""
    return figure_counts
