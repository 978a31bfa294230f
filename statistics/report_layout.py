"""Reading appendix tables laid out the way the report prints them, as people type them into Excel.

A table is found by its title (``分地区国内专利申请年度状况`` …) anywhere in a sheet, not by the sheet's name or
position. Its years and measures come from the two-level header under the title. The reader tolerates what hand-typed
tables contain: numbers stored as text, thousands separators, full-width digits and parentheses, names padded with
full-width spaces, blank rows, unit lines, trailing notes (``注：…``), tables continued under ``(续表)`` with the
header repeated, and tables that start in a column other than A. Everything it cannot read becomes a ``Problem``
with its sheet, row and column; the checks of ``rules.py`` run afterwards on what it read.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from core.problems import Location, Problem
from core.spreadsheets import Grid

from .appendix import TABLES, AppendixTable
from .chapter_tables import find_chapter_title
from .naming import normalize_label
from .tabledata import TableData, TableRow
from .years import year_problem

YEAR = re.compile(r"(\d{4})\s*年")
YEAR_HEADER = re.compile(r"\d{4}\s*年")
INTEGER = re.compile(r"[+-]?\d+(\.0+)?")
SEPARATORS = re.compile(r"[,\s'’]")
CONTINUED = {"(续表)", "续表", "(续)"}
NOTE_PREFIXES = ("注", "说明", "资料来源")
UNIT_PREFIX = "单位"


def _text(value) -> str:
    return normalize_label(value) if value is not None else ""


TITLES = sorted(((normalize_label(table.title), table) for table in TABLES.values()), key=lambda item: -len(item[0]))


def find_title(row: list) -> AppendixTable | None:
    for value in row:
        if isinstance(value, str):
            text = normalize_label(value)
            for title, table in TITLES:
                if title in text:
                    return table
    return None


def _continues(row: list) -> bool:
    return any(isinstance(value, str) and "续" in value for value in row)


def parse_count(value) -> tuple[int | None, str | None]:
    """A cell as a whole number, or the reason it is not one. ``None, None`` means the cell is empty."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, _("“%(value)s” is not a number") % {"value": value}
    if isinstance(value, int):
        return value, None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value), None
    if isinstance(value, float):
        if value.is_integer():
            return int(value), None
        return None, _("%(value)s is not a whole number") % {"value": value}
    text = unicodedata.normalize("NFKC", str(value)).replace("−", "-").strip()
    if not text:
        return None, None
    compact = SEPARATORS.sub("", text)
    if INTEGER.fullmatch(compact):
        return int(float(compact)) if "." in compact else int(compact), None
    return None, _("“%(value)s” is text, not a number") % {"value": value}


@dataclass
class _TableReader:
    """The state of one table while its rows are read."""

    table: AppendixTable
    sheet: str
    title_row: int
    header_rows: list[tuple[int, list]] = field(default_factory=list)  # (row number, cells)
    columns: dict[int, tuple[int, str]] | None = None  # column index → (year, column code)
    rows: list[TableRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    finished: bool = False
    empty_cells: dict[int, list[Problem]] = field(default_factory=dict)  # by year, until the table is complete
    filled_years: set[int] = field(default_factory=set)

    def feed(self, number: int, row: list) -> None:
        filled = [(index, value) for index, value in enumerate(row) if _text(value)]
        if not filled or self.finished:
            return
        first = _text(filled[0][1])
        if first.startswith(UNIT_PREFIX) or first in CONTINUED:
            return
        if first.startswith(NOTE_PREFIXES):
            self.finished = True
            return
        if self._is_header(filled):
            self.header_rows.append((number, row))
            return
        if self.header_rows:
            self._build_columns(number)
            if self.finished:  # the header was refused (a year outside the range, a missing column)
                return
        if self.columns is None:
            self.problems.append(
                Problem(
                    _("a data row comes before the table's header (years and measures)"), Location(self.sheet, number)
                )
            )
            self.finished = True
            return
        self._read_data_row(number, row)

    def _is_header(self, filled: list) -> bool:
        labels = {_text(column.label) for column in self.table.columns} | {_text(self.table.entity_header), "地区"}
        for _index, value in filled:
            text = _text(value)
            if YEAR.search(text) and parse_count(value)[1] is not None:
                return True
            if text in labels or text == "国家和地区":
                return True
        return False

    def _build_columns(self, number: int) -> None:
        """Map each value column to (year, measure) from the header rows just read, then forget them."""
        years: dict[int, int] = {}
        year_rows: dict[int, int] = {}  # column index → the header row that names its year
        measures: dict[int, str] = {}
        by_label = {_text(column.label): column.code for column in self.table.columns}
        for header_number, row in self.header_rows:
            for index, value in enumerate(row):
                text = _text(value)
                match = YEAR.search(text)
                if match:
                    years[index] = int(match.group(1))
                    year_rows[index] = header_number
                elif text in by_label and index > 0:
                    measures[index] = by_label[text]
        self.header_rows = []
        impossible = self._impossible_years(years, year_rows)
        if impossible:
            self.problems += impossible
            self.finished = True
            return
        columns: dict[int, tuple[int, str]] = {}
        if self.table.measure_over_years:
            code = self.table.columns[0].code
            columns = {index: (year, code) for index, year in years.items()}
        else:
            for index, code in measures.items():
                year_columns = [column for column in years if column <= index]
                if year_columns:
                    columns[index] = (years[max(year_columns)], code)
        problem = self._header_problem(columns, number)
        if problem:
            self.problems.append(problem)
            self.finished = True
            return
        if self.columns is not None and self.columns != columns:
            self.problems.append(
                Problem(_("the repeated header does not match the table's first header"), Location(self.sheet, number))
            )
        self.columns = columns

    def _impossible_years(self, years: dict[int, int], year_rows: dict[int, int]) -> list[Problem]:
        """A header year outside ``IMPORT_YEARS`` (3025 for 2025): the whole table is refused, not published."""
        problems = []
        for index, year in sorted(years.items()):
            message = year_problem(year)
            if message:
                where = Location(self.sheet, year_rows[index], get_column_letter(index + 1))
                problems.append(Problem(message, where))
        return problems

    def _header_problem(self, columns, number) -> Problem | None:
        years = sorted({year for year, _code in columns.values()})
        if not years:
            return Problem(_("the table's header names no year (for example “2025 年”)"), Location(self.sheet, number))
        wanted = {column.code for column in self.table.stored_columns}
        for year in years:
            found = {code for column_year, code in columns.values() if column_year == year}
            missing = [column.label for column in self.table.stored_columns if column.code in wanted - found]
            if missing:
                return Problem(
                    _("the header for %(year)s lacks the column(s) %(columns)s")
                    % {"year": year, "columns": "、".join(missing)},
                    Location(self.sheet, number),
                )
        return None

    def _read_data_row(self, number: int, row: list) -> None:
        first_value = min(self.columns)
        label_cells = [(index, value) for index, value in enumerate(row[:first_value]) if _text(value)]
        values_present = any(_text(row[index]) for index in self.columns if index < len(row))
        if not label_cells:
            if values_present:
                self.problems.append(
                    Problem(_("a data row has no region or country name"), Location(self.sheet, number))
                )
            return
        label_index, label = label_cells[-1]
        data_row = TableRow(
            str(label).strip(), row=number, label_column=get_column_letter(label_index + 1), sheet=self.sheet
        )
        for index, key in self.columns.items():
            letter = get_column_letter(index + 1)
            data_row.columns[key] = letter
            value, error = parse_count(row[index] if index < len(row) else None)
            if value is None:
                data_row.unreadable.add(key)
            if error:
                self.problems.append(Problem(error, Location(self.sheet, number, letter)))
            elif value is None:
                self.empty_cells.setdefault(key[0], []).append(
                    Problem(
                        _("the cell is empty; every cell of a data row needs a number"),
                        Location(self.sheet, number, letter),
                    )
                )
            else:
                self.filled_years.add(key[0])
                data_row.values[key] = value
        self.rows.append(data_row)

    def finish(self) -> None:
        """Empty cells are problems, except in a year whose column is empty throughout: that year is simply absent
        (``export_appendix --year Y`` writes the year Y−1 even when nothing is recorded for it)."""
        for year, problems in self.empty_cells.items():
            if year in self.filled_years:
                self.problems += problems
            elif self.columns:
                self.columns = {index: key for index, key in self.columns.items() if key[0] != year}
                for row in self.rows:
                    row.unreadable = {key for key in row.unreadable if key[0] != year}
        self.empty_cells = {}

    def result(self) -> TableData:
        years = sorted({year for year, _code in (self.columns or {}).values()})
        return TableData(self.table, years, self.rows, sheet=self.sheet)


def _looks_like_table(row: list) -> bool:
    """A year header (``2025 年``) or at least two numbers: a table's header or data, not a note or a heading."""
    numbers = 0
    for value in row:
        if isinstance(value, str) and YEAR_HEADER.fullmatch(_text(value)):
            return True
        if _text(value) and parse_count(value)[0] is not None:
            numbers += 1
    return numbers >= 2


def _unrecognised(sheet: str, number: int) -> Problem:
    return Problem(
        _(
            "these rows look like a table but stand under no table title; a table continued here needs its title "
            "followed by “(续表)”"
        ),
        Location(sheet, number),
    )


def parse_grids(grids: list[Grid]) -> tuple[list[TableData], list[Problem]]:
    """Every appendix table found in the sheets, and every problem met while reading them.

    Rows that look like a table but stand under no title (a table continued on a later sheet without its title and
    “(续表)”, say) are reported, once per such block, rather than dropped: dropping them would publish half a table.
    """
    readers: list[_TableReader] = []
    latest: dict[int, _TableReader] = {}
    stray: list[Problem] = []
    chapter_tables_found = False
    for grid in grids:
        current, reported = None, False
        for number, row in enumerate(grid.rows, start=1):
            table = find_title(row)
            if table is None and find_chapter_title(row) is not None:
                # A chapter table (``chapter_layout`` reads it): its rows are neither this table's nor strays.
                current, reported, chapter_tables_found = None, True, True
                continue
            if table is not None and table.number in latest and _continues(row):
                current = latest[table.number]  # "表 7 …（续表）": the table goes on, here or on the next sheet
                current.sheet, current.finished, reported = grid.name, False, False
                continue
            if table is not None:
                current, reported = _TableReader(table, grid.name, number), False
                readers.append(current)
                latest[table.number] = current
            elif current is not None and not current.finished:
                current.feed(number, row)
            elif not reported and not (current and current.problems) and _looks_like_table(row):
                stray.append(_unrecognised(grid.name, number))
                reported = True
    for reader in readers:
        reader.finish()
    # Without any table, "no appendix table was found" (below) says it all; stray rows are reported only beside one.
    problems = [problem for reader in readers for problem in reader.problems] + (stray if readers else [])
    seen: dict[int, _TableReader] = {}
    for reader in readers:
        earlier = seen.setdefault(reader.table.number, reader)
        if earlier is not reader:
            problems.append(
                Problem(
                    _("%(table)s appears twice (also in sheet “%(sheet)s”, row %(row)s)")
                    % {"table": reader.table.heading_short, "sheet": earlier.sheet, "row": earlier.title_row},
                    Location(reader.sheet, reader.title_row),
                )
            )
        elif reader.columns is None and not reader.problems:
            problems.append(Problem(_("the table has no header or no rows"), Location(reader.sheet, reader.title_row)))
    if not readers and not chapter_tables_found:
        names = "、".join(grid.name for grid in grids)
        problems.append(
            Problem(
                _("no appendix table was found in %(sheets)s: a sheet must contain a table title such as “%(title)s”")
                % {"sheets": names, "title": TABLES[1].title},
                Location(),
            )
        )
    return [reader.result() for reader in readers if reader.columns is not None], problems
