"""Figures in long format (one row per entity, year and measure), turned into tables the rules can check.

The admin's spreadsheet import of a figures model, and the benchmark, read files with one row per record:
``地区, 年度, 指标, 发明, 实用新型, 外观设计``. Each (appendix table, year) becomes one ``TableData`` whose rows
keep their file row numbers, so the same rules and the same bulk writer serve both layouts.
"""

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from core.problems import Location, Problem
from core.progress import NoProgress

from .appendix import TABLES, AppendixTable
from .models import CountMeasure, Figure, PatentMeasure
from .naming import normalize_label
from .report_layout import parse_count
from .tabledata import TableData, TableRow
from .years import year_problem

ENTITY_HEADERS = {"region": "地区", "country": "国家或地区"}
YEAR_HEADER = "年度"
MEASURE_HEADER = "指标"
TOTAL_HEADER = "合计"


@dataclass(frozen=True)
class LongColumn:
    """A column of the long format: its Chinese header, the names also accepted, and what it holds."""

    header: str
    field: str
    aliases: tuple[str, ...] = ()


def columns_for(model: type[Figure]) -> list[LongColumn]:
    entity = model.entity_field
    columns = [LongColumn(ENTITY_HEADERS[entity], entity, (entity,)), LongColumn(YEAR_HEADER, "year", ("year",))]
    if model.has_measure():
        columns.append(LongColumn(MEASURE_HEADER, "measure", ("measure",)))
    for name in model.value_fields:
        label = value_header(model, name)
        columns.append(LongColumn(label, name, (name,)))
    if model.has_total:
        columns.append(LongColumn(TOTAL_HEADER, "total", ("total",)))
    return columns


def value_header(model: type[Figure], name: str) -> str:
    """The printed Chinese label of a value column (发明, 申请量 …); 数值 for the single-count tables."""
    for table in TABLES.values():
        if model in (table.region_model, table.country_model):
            for column in table.stored_columns:
                if column.field == name and column.field != "value":
                    return column.label
    return "数值"


def measure_choices(model) -> dict[str, str]:
    """Every accepted spelling of a measure (code, Chinese or English label, table title) → its code."""
    choices = PatentMeasure if model.__name__.endswith("PatentFigure") else CountMeasure
    accepted = {}
    for choice in choices:
        accepted[choice.value.casefold()] = choice.value
        labels = [_table_label(model, choice.value)]
        for language in ("zh-hans", "en"):
            with translation.override(language):
                labels.append(str(choice.label))
        for label in labels:
            if label:
                accepted[normalize_label(label).casefold()] = choice.value
    return accepted


def measure_label(measure: str) -> str:
    """The Chinese label a file carries for a measure, whatever the interface language."""
    choices = PatentMeasure if measure in PatentMeasure.values else CountMeasure
    with translation.override("zh-hans"):
        return str(choices(measure).label)


def _table_label(model, measure: str) -> str | None:
    table = table_for(model, measure)
    return table.title if table else None


def table_for(model, measure: str | None) -> AppendixTable | None:
    for table in TABLES.values():
        if model in (table.region_model, table.country_model) and table.measure == measure:
            return table
    return None


def to_tables(
    model: type[Figure], headers: list[str], rows: Iterable[list], sheet: str, first_row: int = 2, progress=None
) -> tuple[list[TableData], list[Problem]]:
    """Group long-format rows into one table per (appendix table, year); unreadable cells become problems."""
    progress = progress or NoProgress()
    columns = columns_for(model)
    index, problems = _header_index(columns, headers, sheet)
    if problems:
        return [], problems
    measures = measure_choices(model) if model.has_measure() else {}
    tables: dict[tuple[int, int], TableData] = {}
    letters = {column.field: get_column_letter(position + 1) for column, position in index.items()}
    value_columns = columns[2 + bool(measures) :]
    year_problems: dict[int, str | None] = {}  # one check per distinct year, not per row
    for number, row in enumerate(rows, start=first_row):
        progress.advance()
        if all(cell is None or str(cell).strip() == "" for cell in row):
            continue
        cells = {column.field: row[position] if position < len(row) else None for column, position in index.items()}
        year, error = parse_count(cells["year"])
        if error or year is None:
            problems.append(
                Problem(
                    _("“%(value)s” is not a year") % {"value": cells["year"]}, Location(sheet, number, letters["year"])
                )
            )
            continue
        if year not in year_problems:
            year_problems[year] = year_problem(year)
        impossible = year_problems[year]
        if impossible:
            problems.append(Problem(impossible, Location(sheet, number, letters["year"])))
            continue
        measure = None
        if measures:
            measure = measures.get(normalize_label(cells["measure"]).casefold())
            if measure is None:
                problems.append(
                    Problem(
                        _("unknown measure “%(value)s”; use one of %(choices)s")
                        % {"value": cells["measure"], "choices": "、".join(sorted(set(measures.values())))},
                        Location(sheet, number, letters["measure"]),
                    )
                )
                continue
        table = table_for(model, measure)
        data = tables.setdefault((table.number, year), TableData(table, [year], sheet=sheet))
        entity_row = TableRow(
            str(cells[model.entity_field] or "").strip(), row=number, label_column=letters[model.entity_field]
        )
        for column in value_columns:
            key = (year, _code_for(table, column.field))
            entity_row.columns[key] = letters.get(column.field, "")
            value, error = parse_count(cells.get(column.field))
            if column.field == "total" and value is None and error is None:
                continue  # the total column is optional; when given, the rules check it
            if error or value is None:
                entity_row.unreadable.add(key)
                message = error or _("the cell is empty; every cell of a data row needs a number")
                problems.append(Problem(message, Location(sheet, number, letters[column.field])))
            else:
                entity_row.values[key] = value
        data.rows.append(entity_row)
    return list(tables.values()), problems


@functools.cache
def _code_for(table: AppendixTable, field: str) -> str:
    if field == "total":
        return "total"
    return next(column.code for column in table.stored_columns if column.field == field)


def _header_index(columns: list[LongColumn], headers: list[str], sheet: str):
    normalized = [normalize_label(header).casefold() for header in headers]
    index, problems = {}, []
    for column in columns:
        names = {normalize_label(name).casefold() for name in (column.header, *column.aliases)}
        found = [position for position, header in enumerate(normalized) if header in names]
        if found:
            index[column] = found[0]
        elif column.field != "total":
            problems.append(
                Problem(
                    _("the header row lacks the column “%(column)s”") % {"column": column.header},
                    Location(sheet, 1),
                )
            )
    return index, problems
