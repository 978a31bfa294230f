"""Figures in long format (one row per entity, year and measure), turned into tables the rules can check.

The admin's spreadsheet import of a figures model, and the benchmark, read files with one row per record:
``地区, 年度, 指标, 发明, 实用新型, 外观设计``. Each (appendix table, year) becomes one ``TableData`` whose rows
keep their file row numbers, so the same rules and the same bulk writer serve both layouts.
"""

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
    """Group long-format rows into one table per (appendix table, year); unreadable cells become problems.

    A long file repeats few distinct years, measures and tables in many rows, so each distinct one is parsed and
    checked once (the caches below); every cell value is still parsed and checked on its own."""
    progress = progress or NoProgress()
    columns = columns_for(model)
    index, problems = _header_index(columns, headers, sheet)
    if problems:
        return [], problems
    measures = measure_choices(model) if model.has_measure() else {}
    tables: dict[tuple[int, int], TableData] = {}
    letters = {column.field: get_column_letter(position + 1) for column, position in index.items()}
    position_of = {column.field: position for column, position in index.items()}
    entity_at, year_at, measure_at = position_of[model.entity_field], position_of["year"], position_of.get("measure")
    needed = max(position_of.values()) + 1
    value_fields = [column.field for column in columns[2 + bool(measures) :]]
    entity_letter = letters[model.entity_field]
    years: dict[tuple[type, object], tuple[int | None, str | None]] = {}  # raw cell → (year, why it is refused)
    found_measures: dict[object, str | None] = {}  # raw cell → measure code
    cells_of: dict[str | None, tuple[AppendixTable, list[tuple[str, str, str]]]] = {}  # measure → table, cells
    for number, row in enumerate(rows, start=first_row):
        progress.advance()
        if len(row) < needed:
            row = [*row, *[None] * (needed - len(row))]
        raw_year = row[year_at]
        if (raw_year is None or str(raw_year).strip() == "") and _blank(row):
            continue
        year_key = (type(raw_year), raw_year)
        if year_key not in years:
            years[year_key] = _read_year(raw_year)
        year, refusal = years[year_key]
        if refusal:
            problems.append(Problem(refusal, Location(sheet, number, letters["year"])))
            continue
        measure = None
        if measures:
            raw_measure = row[measure_at]
            if raw_measure not in found_measures:
                found_measures[raw_measure] = measures.get(normalize_label(raw_measure).casefold())
            measure = found_measures[raw_measure]
            if measure is None:
                problems.append(
                    Problem(
                        _("unknown measure “%(value)s”; use one of %(choices)s")
                        % {"value": raw_measure, "choices": "、".join(sorted(set(measures.values())))},
                        Location(sheet, number, letters["measure"]),
                    )
                )
                continue
        if measure not in cells_of:
            table = table_for(model, measure)
            codes = [
                (field, _code_for(table, field), letters.get(field, ""), position_of.get(field))
                for field in value_fields
            ]
            cells_of[measure] = (table, codes)
        table, codes = cells_of[measure]
        data = tables.get((table.number, year))
        if data is None:
            data = tables[(table.number, year)] = TableData(table, [year], sheet=sheet)
        entity_row = TableRow(str(row[entity_at] or "").strip(), row=number, label_column=entity_letter)
        for field, code, letter, position in codes:
            key = (year, code)
            entity_row.columns[key] = letter
            raw = None if position is None else row[position]
            if type(raw) is str and raw.isdigit() and raw.isascii():
                entity_row.values[key] = int(raw)  # the common case, as ``parse_count`` reads it
                continue
            value, error = parse_count(raw)
            if field == "total" and value is None and error is None:
                continue  # the total column is optional; when given, the rules check it
            if error or value is None:
                entity_row.unreadable.add(key)
                message = error or _("the cell is empty; every cell of a data row needs a number")
                problems.append(Problem(message, Location(sheet, number, letters[field])))
            else:
                entity_row.values[key] = value
        data.rows.append(entity_row)
    return list(tables.values()), problems


def _blank(row) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in row)


def _read_year(raw) -> tuple[int | None, str | None]:
    """A year cell as (year, None), or (None, why it cannot be imported)."""
    year, error = parse_count(raw)
    if error or year is None:
        return None, _("“%(value)s” is not a year") % {"value": raw}
    return year, year_problem(year)


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
