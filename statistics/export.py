"""The appendix workbook: tables 1–12, one sheet each, in the report's own layout (and on request the chapter tables).

Each sheet holds the title line, the unit line, the two-level header (years over measures, or for tables 9–12
the measure over the years, as printed), then one row per entity in the report's order with the totals first.
Cells hold plain numbers, never formulas; every text cell goes through ``core.spreadsheet_safety.escape_cell``.
"""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.spreadsheet_safety import escape_cell, escape_row

from .appendix import TABLES, UNIT_LINE, AppendixTable
from .chapter_services import chapter_table_from_database
from .chapter_tables import TABLES as CHAPTER_TABLES
from .services import table_from_database
from .tabledata import TableData


def sheet_name(table: AppendixTable) -> str:
    return f"表{table.number}"


def header_rows(data: TableData) -> tuple[list, list, list[tuple[int, int]]]:
    """The two header lines and the column spans to merge on the first one (1-based, inclusive)."""
    table = data.table
    first, second, merges = [table.entity_header], [None], []
    if table.measure_over_years:
        column = table.columns[0]
        first += [column.label] + [None] * (len(data.years) - 1)
        second += [table.year_heading(year) for year in data.years]
        merges.append((2, 1 + len(data.years)))
    else:
        for year in data.years:
            start = len(first) + 1
            first += [table.year_heading(year)] + [None] * (len(table.columns) - 1)
            second += [column.label for column in table.columns]
            merges.append((start, start + len(table.columns) - 1))
    return first, second, merges


def data_columns(data: TableData) -> list[tuple[int, str]]:
    """(year, column code) in printed order."""
    table = data.table
    if table.measure_over_years:
        return [(year, table.columns[0].code) for year in data.years]
    return [(year, column.code) for year in data.years for column in table.columns]


def write_table(sheet, data: TableData) -> None:
    table = data.table
    year = data.years[-1]
    sheet.append(escape_row([table.heading(year)]))
    sheet.append(escape_row([UNIT_LINE]))
    first, second, merges = header_rows(data)
    sheet.append(escape_row(first))
    sheet.append(escape_row(second))
    for start, end in merges:
        if end > start:
            sheet.merge_cells(start_row=3, start_column=start, end_row=3, end_column=end)
    sheet.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
    keys = data_columns(data)
    for row in data.rows:
        sheet.append([escape_cell(row.label), *(row.values.get(key) for key in keys)])
    _style(sheet, len(keys) + 1)


def _style(sheet, width: int) -> None:
    sheet["A1"].font = Font(bold=True, size=12)
    for row in sheet.iter_rows(min_row=3, max_row=4):
        for cell in row:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.column_dimensions["A"].width = 22
    for index in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14
    sheet.freeze_panes = "B5"


def appendix_workbook(year: int, tables=None, chapter_tables: bool = False) -> Workbook:
    """Tables 1–12 (or ``tables``), then, with ``chapter_tables``, the chapter tables (``chapter_tables.py``).

    The chapter tables are asked for, not added by default: the appendix workbook keeps its twelve sheets for those
    who exchange it as the report's 附录一."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for number in tables or sorted(TABLES):
        table = TABLES[number]
        write_table(workbook.create_sheet(sheet_name(table)), table_from_database(table, year))
    if chapter_tables:
        for chapter_table in CHAPTER_TABLES.values():
            sheet = workbook.create_sheet(chapter_table.title[:31])
            write_chapter_table(sheet, chapter_table_from_database(chapter_table, year), year)
    return workbook


def _number(value):
    """A stored decimal as the report prints it: 97141, 5.5."""
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def write_chapter_table(sheet, data, year: int) -> None:
    """A chapter table as printed: title (with its years), unit line, one header line, a row per printed row."""
    table = data.table
    sheet.append(escape_row([table.heading(year)]))
    sheet.append(escape_row([table.unit_line]))
    sheet.append(escape_row(table.header(data.years)))
    for row in data.rows:
        sheet.append([escape_cell(row.label), *(_number(row.values.get(each)) for each in data.years)])
    sheet["A1"].font = Font(bold=True, size=12)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 30


def appendix_workbook_bytes(year: int, chapter_tables: bool = False) -> bytes:
    buffer = BytesIO()
    appendix_workbook(year, chapter_tables=chapter_tables).save(buffer)
    return buffer.getvalue()
