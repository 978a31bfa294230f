"""Builders for the importer tests: the report's printed tables as rows, written out as XLSX or CSV bytes.

Every input starts from the report's own text (``conftest.Report``), never from the application, so a test's input
and its expected figures share one independent source. A table is a plain list of rows (lists of cell values) that a
test bends into the shapes people type by hand before writing it out.
"""

import csv
import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from statistics import models

from .conftest import PrintedTable, is_of_which

Rows = list[list]

# Which figures hold each table's rows: (domestic model, foreign model, measure), as the design brief describes them.
FIGURES = {
    1: (models.RegionPatentFigure, None, "filed"),
    2: (None, models.CountryPatentFigure, "filed"),
    3: (models.RegionPatentFigure, None, "granted"),
    4: (None, models.CountryPatentFigure, "granted"),
    5: (models.RegionPatentFigure, None, "in_force"),
    6: (None, models.CountryPatentFigure, "in_force"),
    7: (models.RegionTrademarkFigure, None, None),
    8: (None, models.CountryTrademarkFigure, None),
    9: (models.RegionCountFigure, models.CountryCountFigure, "gi_products"),
    10: (models.RegionCountFigure, models.CountryCountFigure, "gi_marks"),
    11: (models.RegionCountFigure, models.CountryCountFigure, "ic_applications"),
    12: (models.RegionCountFigure, models.CountryCountFigure, "ic_certificates"),
}

FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


# ---------------------------------------------------------------------------------------------------------------
# Tables as rows
# ---------------------------------------------------------------------------------------------------------------


def printed_rows(table: PrintedTable) -> Rows:
    """The table as the report prints it: title, unit, the two header lines, then one line per row."""
    header = [[cell or None for cell in line] for line in table.header]
    return [[table.title], [table.unit], *header, *([row.label, *row.values] for row in table.rows)]


def find_row(rows: Rows, label: str) -> list:
    """The first row whose first filled cell is ``label``."""
    return next(row for row in rows if next((cell for cell in row if cell is not None), None) == label)


def row_number(rows: Rows, label: str) -> int:
    """The 1-based spreadsheet row of ``label`` in ``rows`` written from A1."""
    return next(index for index, row in enumerate(rows, start=1) if row and row[0] == label)


def column_index(table: PrintedTable, year: int, measure: str) -> int:
    """The 0-based position of the printed column (year, measure) in a row of ``printed_rows``."""
    return 1 + table.columns.index((year, measure))


def column_letter(table: PrintedTable, year: int, measure: str) -> str:
    return get_column_letter(column_index(table, year, measure) + 1)


def add(rows: Rows, table: PrintedTable, label: str, year: int, measure: str, delta: int) -> None:
    """Add ``delta`` to one printed cell."""
    find_row(rows, label)[column_index(table, year, measure)] += delta


def put(rows: Rows, table: PrintedTable, label: str, year: int, measure: str, value) -> None:
    """Replace one printed cell."""
    find_row(rows, label)[column_index(table, year, measure)] = value


def map_numbers(rows: Rows, convert) -> Rows:
    """The rows with every integer cell passed through ``convert``."""
    return [[convert(cell) if isinstance(cell, int) else cell for cell in row] for row in rows]


def map_labels(rows: Rows, convert, start: int = 4) -> Rows:
    """The rows with the label of every data line (from line ``start``) passed through ``convert``."""
    return rows[:start] + [[convert(row[0]), *row[1:]] for row in rows[start:]]


def offset(rows: Rows, *, down: int = 0, right: int = 0) -> Rows:
    """The rows moved ``down`` lines and ``right`` columns away from A1."""
    return [[] for _ in range(down)] + [[None] * right + list(row) for row in rows]


# ---------------------------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------------------------


def xlsx_bytes(*sheets: tuple[str, Rows]) -> bytes:
    """A workbook with one sheet per (name, rows), written from A1."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def float_cells(content: bytes) -> bytes:
    """The workbook with every number stored as a float (``<v>392200.0</v>``), as some tools write them.

    openpyxl writes a whole float as an integer, so the sheets' XML is rewritten; openpyxl reads these back as floats.
    """
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            data = source.read(member)
            if member.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'(t="n"><v>-?\d+)(</v>)', rb"\1.0\2", data)
            archive.writestr(member, data)
    return target.getvalue()


def csv_bytes(rows: Rows, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["" if cell is None else cell for cell in row] for row in rows])
    return buffer.getvalue().encode(encoding)


def workbook_values(content_or_path) -> list[tuple[str, list[tuple]]]:
    """Every sheet of a workbook as (title, rows of values), for comparing two workbooks cell by cell."""
    from openpyxl import load_workbook

    source = io.BytesIO(content_or_path) if isinstance(content_or_path, bytes) else content_or_path
    workbook = load_workbook(source)
    return [(sheet.title, [tuple(row) for row in sheet.iter_rows(values_only=True)]) for sheet in workbook]


# ---------------------------------------------------------------------------------------------------------------
# Figures: expected (from the report) and stored (in the database), keyed alike
# ---------------------------------------------------------------------------------------------------------------


def entity_name(label: str) -> str:
    """The region's name in an "of which" row: ``(深圳)`` → ``深圳``."""
    return label[1:-1] if is_of_which(label) else label


def entity_rows(table: PrintedTable):
    return table.domestic_rows() + table.foreign_rows()


def expected_cells(table: PrintedTable, years: list[int] | None = None) -> dict[tuple[str, int, str], int]:
    """The printed values of the table's entity rows as {(label, year, column code): value}; row totals left out.

    ``years`` re-labels the printed years (for a table typed with other years in its header).
    """
    renamed = dict(zip(table.years, years or table.years, strict=True))
    return {
        (row.label, renamed[year], code): value
        for row in entity_rows(table)
        for (year, code), value in table.keyed(row).items()
        if code != "total"
    }


def stored_cells(table: PrintedTable, years: list[int] | None = None) -> dict[tuple[str, int, str], int]:
    """What the database holds for the table's entity rows and years, keyed like ``expected_cells``."""
    region_model, country_model, measure = FIGURES[table.number]
    years = years or table.years
    cells = {}
    for model, field, rows in (
        (region_model, "region", table.domestic_rows()),
        (country_model, "country", table.foreign_rows()),
    ):
        if model is None or not rows:
            continue
        labels = {entity_name(row.label) if field == "region" else row.label: row.label for row in rows}
        figures = model.objects.filter(**{f"{field}__name_zh__in": list(labels)}, year__in=years)
        if measure:
            figures = figures.filter(measure=measure)
        for figure in figures.select_related(field):
            label = labels[getattr(figure, field).name_zh]
            for name in model.value_fields:
                cells[(label, figure.year, measure if name == "value" else name)] = getattr(figure, name)
    return cells


def entity_count(*tables: PrintedTable) -> int:
    """How many figures rows the tables make: one per entity row and year."""
    return sum(len(entity_rows(table)) * len(table.years) for table in tables)
