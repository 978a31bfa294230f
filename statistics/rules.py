"""The rules every appendix table obeys, written once.

Whatever the source (the report's fixture, an uploaded workbook, a single row saved in the admin or the shell),
figures are checked here before anything is written:

* every label names a known region or country, and no entity appears twice;
* no value is negative;
* a patent row's total equals invention + utility model + design;
* the domestic total equals the sum of the 34 province-level rows (cities and the XPCC are "of which" rows and
  are not added in); the foreign total equals the sum of its country rows; the grand total equals domestic plus
  foreign;
* the "of which" rows of a province add up to no more than the province itself.

Each problem names the table, the entity, the year and the measure, and where it was found.
"""

import functools
from collections import defaultdict

from django.utils.translation import gettext as _

from core.problems import Problem

from .appendix import AppendixTable
from .cell_rules import negative_message, of_which_excess, of_which_message
from .models import Country, Region
from .naming import split_of_which
from .tabledata import RowKind, TableData, TableRow, role_of


def cell_name(table: AppendixTable, entity: str, year: int, column_code: str) -> str:
    """“表 1 北京 2025 年 发明”: enough for an officer to find the printed cell."""
    column = next(column for column in table.columns if column.code == column_code)
    return f"表 {table.number} {entity} {table.year_heading(year)} {column.label}"


class References:
    """Regions and countries indexed by every name and code, loaded once per check."""

    def __init__(self):
        self.regions = Region.objects.all().index()
        self.countries = Country.objects.all().index()
        self._found: dict[tuple[str, str], object] = {}

    def region(self, label: str):
        key = ("region", label)
        if key not in self._found:
            self._found[key] = self._region(label)
        return self._found[key]

    def country(self, label: str):
        key = ("country", label)
        if key not in self._found:
            self._found[key] = self._country(label)
        return self._found[key]

    def _region(self, label: str):
        name, of_which = split_of_which(label)
        region = self.regions.get(name.casefold())
        if region is not None and of_which and not region.is_part:
            return None  # "(北京)": a province printed as an "of which" row
        return region

    def _country(self, label: str):
        name, _of_which = split_of_which(label)
        return self.countries.get(name.casefold())


def resolve(data: TableData, references: References) -> list[Problem]:
    """Give each row its role (a total or an entity) and its region or country."""
    problems = []
    in_foreign_block = not data.table.has_domestic
    for row in data.rows:
        row.role = _role_of_label(row.label)
        if row.role == RowKind.FOREIGN_TOTAL:
            in_foreign_block = True
        if row.is_total:
            continue
        if in_foreign_block:
            row.entity = references.country(row.label) if data.table.has_foreign else None
        else:
            row.entity = references.region(row.label) if data.table.has_domestic else None
            if row.entity is None and data.table.has_foreign:
                row.entity = references.country(row.label)
        if row.entity is None:
            kind = _("country or territory") if in_foreign_block else _("region")
            problems.append(
                Problem(
                    _("unknown %(kind)s “%(label)s” in %(table)s")
                    % {"kind": kind, "label": row.label, "table": data.table.heading_short},
                    row.location(data.sheet),
                )
            )
    return problems


@functools.lru_cache(maxsize=4096)
def _role_of_label(label: str) -> str:
    """A row's role by its label, read once per label: a long file repeats its labels in every table and year."""
    return role_of(split_of_which(label)[0])


def check(data: TableData, stored: dict | None = None) -> list[Problem]:
    """Every rule above, on a resolved table. Returns all problems found, in row order.

    ``stored`` holds what the database has for this table's years ({"Region"|"Country": {pk: (entity, values)}}), so
    that a partial table is held to the totals and the "of which" rule against the rows it does not replace.
    """
    problems = []
    problems += _duplicates(data)
    problems += _missing_cells(data)
    problems += _negatives(data)
    problems += _row_totals(data)
    problems += _block_totals(data, stored or {})
    problems += _of_which(data, (stored or {}).get("Region", {}))
    return problems


def _missing_cells(data: TableData) -> list[Problem]:
    """Every entity row carries every stored measure for every year of the table."""
    columns = data.table.stored_columns
    return [
        Problem(
            _("%(cell)s: the cell is empty; every cell of a data row needs a number")
            % {"cell": cell_name(data.table, row.name, year, column.code)},
            row.location(data.sheet, (year, column.code)),
        )
        for row in data.rows
        if row.role == RowKind.ENTITY and row.entity is not None
        for year in data.years
        for column in columns
        if (year, column.code) not in row.values and (year, column.code) not in row.unreadable
    ]


def _duplicates(data: TableData) -> list[Problem]:
    problems, seen = [], {}
    for row in data.rows:
        key = (row.role, type(row.entity).__name__, row.entity.pk if row.entity is not None else row.label)
        if row.role == RowKind.ENTITY and row.entity is None:
            continue
        if key in seen:
            problems.append(
                Problem(
                    _("“%(label)s” appears twice in %(table)s (first at row %(first)s)")
                    % {"label": row.label, "table": data.table.heading_short, "first": seen[key].row},
                    row.location(data.sheet),
                )
            )
        else:
            seen[key] = row
    return problems


def _negatives(data: TableData) -> list[Problem]:
    return [
        Problem(negative_message(cell_name(data.table, row.name, year, code), value), row.location(data.sheet, key))
        for row in data.rows
        for key, value in row.values.items()
        for year, code in [key]
        if value < 0
    ]


def _mismatch(data, row: TableRow, key, printed, expected, parts_description) -> Problem:
    year, code = key
    return Problem(
        _("%(cell)s: the printed total %(printed)s does not equal %(parts)s, %(expected)s")
        % {
            "cell": cell_name(data.table, row.name, year, code),
            "printed": printed,
            "parts": parts_description,
            "expected": expected,
        },
        row.location(data.sheet, key),
    )


def _row_totals(data: TableData) -> list[Problem]:
    derived = [column for column in data.table.columns if column.derived]
    parts = data.table.stored_columns
    if not derived:
        return []
    problems = []
    for row in data.rows:
        for year in data.years:
            for column in derived:
                key = (year, column.code)
                if key not in row.values or not all((year, part.code) in row.values for part in parts):
                    continue
                expected = sum(row.values[(year, part.code)] for part in parts)
                if row.values[key] != expected:
                    description = _("the sum of %(parts)s") % {"parts": "+".join(part.label for part in parts)}
                    problems.append(_mismatch(data, row, key, row.values[key], expected, description))
    return problems


def block_sums(data: TableData, stored: dict | None = None) -> dict[str, dict[tuple[int, str], int]]:
    """Domestic, foreign and grand totals derived from the entity rows, and from the stored rows of entities the
    table does not carry (a partial table's printed total must still equal the sum over all 34 regions)."""
    pairs = [(row.entity, row.values) for row in data.entity_rows()]
    present = {(type(entity).__name__, entity.pk) for entity, _values in pairs}
    for kind, entries in (stored or {}).items():
        pairs += [(entity, values) for pk, (entity, values) in entries.items() if (kind, pk) not in present]
    sums = {RowKind.DOMESTIC_TOTAL: defaultdict(int), RowKind.FOREIGN_TOTAL: defaultdict(int)}
    for entity, values in pairs:
        if isinstance(entity, Region) and entity.is_part:
            continue
        block = RowKind.DOMESTIC_TOTAL if isinstance(entity, Region) else RowKind.FOREIGN_TOTAL
        for key, value in values.items():
            sums[block][key] += value
    grand = defaultdict(int)
    for block in sums.values():
        for key, value in block.items():
            grand[key] += value
    sums[RowKind.GRAND_TOTAL] = grand
    return sums


def _incomplete_keys(data: TableData) -> dict[str, set]:
    """Per block, the cells whose total cannot be checked because a part was unreadable (already reported)."""
    incomplete = {RowKind.DOMESTIC_TOTAL: set(), RowKind.FOREIGN_TOTAL: set()}
    for row in data.entity_rows():
        if isinstance(row.entity, Region) and row.entity.is_part:
            continue
        block = RowKind.DOMESTIC_TOTAL if isinstance(row.entity, Region) else RowKind.FOREIGN_TOTAL
        incomplete[block] |= row.unreadable
    incomplete[RowKind.GRAND_TOTAL] = incomplete[RowKind.DOMESTIC_TOTAL] | incomplete[RowKind.FOREIGN_TOTAL]
    return incomplete


def _block_totals(data: TableData, stored: dict) -> list[Problem]:
    sums = block_sums(data, stored)
    incomplete = _incomplete_keys(data)
    descriptions = {
        RowKind.DOMESTIC_TOTAL: _("the sum of the province-level regions (cities and the XPCC excluded)"),
        RowKind.FOREIGN_TOTAL: _("the sum of the countries and territories"),
        RowKind.GRAND_TOTAL: _("the domestic total plus the foreign total"),
    }
    problems = []
    for row in data.rows:
        if not row.is_total:
            continue
        for key, printed in row.values.items():
            if key in incomplete[row.role]:
                continue
            expected = sums[row.role].get(key, 0)
            if printed != expected:
                problems.append(_mismatch(data, row, key, printed, expected, descriptions[row.role]))
    return problems


def _of_which(data: TableData, stored: dict) -> list[Problem]:
    incoming = {row.entity.pk: row for row in data.entity_rows() if isinstance(row.entity, Region)}
    regions = {pk: region for pk, (region, _values) in stored.items()}
    regions.update({pk: row.entity for pk, row in incoming.items()})
    values = {pk: dict(stored_values) for pk, (_region, stored_values) in stored.items()}
    for pk, row in incoming.items():
        values.setdefault(pk, {}).update(row.values)
    parts_by_parent = defaultdict(list)
    for pk, region in regions.items():
        if region.is_part:
            parts_by_parent[region.parent_id].append(pk)
    problems = []
    for parent_id, parts in parts_by_parent.items():
        touched = [pk for pk in [parent_id, *parts] if pk in incoming]
        if parent_id not in values or not touched:
            continue
        province = regions[parent_id]
        where = incoming[touched[0]]
        for key, total, value, names in of_which_excess(values[parent_id], [(regions[pk], values[pk]) for pk in parts]):
            year, code = key
            cell = cell_name(data.table, str(province), year, code)
            problems.append(Problem(of_which_message(cell, total, value, names), where.location(data.sheet, key)))
    return problems


# ---------------------------------------------------------------------------------------------------------------
# Chapter tables (``chapter_tables.py``): the same rules on tables whose rows are case types, not regions
# ---------------------------------------------------------------------------------------------------------------


def chapter_cell_name(table, label: str, year: int) -> str:
    """“专利复审请求和结案情况 (1) 发明专利 2025 年”: enough to find the printed cell."""
    return f"{table.title} {label} {year} 年"


def resolve_chapter(data) -> list[Problem]:
    """Give each read row its declared row; a label the table does not declare is a problem, with where it is."""
    problems = []
    for row, declared in zip(data.rows, data.table.resolve_rows([row.label for row in data.rows]), strict=True):
        row.declared = declared
        if row.declared is None:
            problems.append(
                Problem(
                    _("unknown row “%(label)s” in %(table)s") % {"label": row.label, "table": data.table.title},
                    row.location(data.sheet),
                )
            )
    return problems


def check_chapter_table(data) -> list[Problem]:
    """Every rule on a resolved chapter table: no row twice, no empty cell, nothing negative, whole counts, and
    every printed total equal to the sum of its parts (a part not printed is derived from its own parts)."""
    problems, seen = [], {}
    table = data.table
    for row in data.rows:
        if row.declared is None:
            continue
        if row.declared.code in seen:
            problems.append(
                Problem(
                    _("“%(label)s” appears twice in %(table)s (first at row %(first)s)")
                    % {"label": row.label, "table": table.title, "first": seen[row.declared.code].row},
                    row.location(data.sheet),
                )
            )
            continue
        seen[row.declared.code] = row
        for year in data.years:
            cell = chapter_cell_name(table, row.declared.label, year)
            value = row.values.get(year)
            if value is None:
                if year not in row.unreadable and not row.declared.derived:
                    problems.append(
                        Problem(
                            _("%(cell)s: the cell is empty; every cell of a data row needs a number") % {"cell": cell},
                            row.location(data.sheet, year),
                        )
                    )
                continue
            if value < 0:
                problems.append(Problem(negative_message(cell, value), row.location(data.sheet, year)))
            elif table.whole_numbers and value != int(value):
                problems.append(
                    Problem(
                        _("%(cell)s: %(value)s is not a whole number") % {"cell": cell, "value": value},
                        row.location(data.sheet, year),
                    )
                )
    problems += _chapter_totals(data, seen)
    return problems


def _chapter_totals(data, rows_by_code: dict) -> list[Problem]:
    table = data.table
    problems = []
    for code, row in rows_by_code.items():
        if not row.declared.derived:
            continue
        for year in data.years:
            printed = row.values.get(year)
            leaves = table.leaves(code)
            parts = [rows_by_code.get(leaf) for leaf in leaves]
            if printed is None or any(part is None or year not in part.values for part in parts):
                continue
            expected = sum(part.values[year] for part in parts)
            if printed != expected:
                description = _("the sum of %(parts)s") % {"parts": "+".join(table.row(leaf).label for leaf in leaves)}
                problems.append(
                    Problem(
                        _("%(cell)s: the printed total %(printed)s does not equal %(parts)s, %(expected)s")
                        % {
                            "cell": chapter_cell_name(table, row.declared.label, year),
                            "printed": _plain(printed),
                            "parts": description,
                            "expected": _plain(expected),
                        },
                        row.location(data.sheet, year),
                    )
                )
    return problems


def _plain(value) -> str:
    """A decimal as printed: 97141, not 97141.0."""
    return str(int(value)) if value == int(value) else str(value)
