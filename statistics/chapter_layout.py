"""Reading the chapter tables from a workbook in the report's layout, beside the appendix tables.

A chapter table is found by its title (``专利复审请求和结案情况`` …, see ``chapter_tables.py``) in any cell of a
row, on any sheet. Under it: an optional unit line, the header (``类型 | 2024年 | 2025年``; the cycle table prints
``商标审查审理周期 | 周期 / 月`` and takes its one year from its title, ``商标审查审理周期（2025 年）``), then one
row per printed row, label first. The table ends at the next title (of either kind) or the end of the sheet;
blank rows and notes (``注：…``) are skipped. What cannot be read becomes a ``Problem`` with its sheet, row and
column; the rules (``rules.check_chapter_table``) run afterwards on what was read.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from core.problems import Location, Problem
from core.spreadsheets import Grid

from .chapter_services import parse_value
from .chapter_tables import ChapterRowData, ChapterTable, ChapterTableData, find_chapter_title, normalize_row_label
from .years import year_problem

YEAR = re.compile(r"(\d{4})\s*年")
NOTE_PREFIXES = ("注", "说明", "资料来源")


def _text(value) -> str:
    return normalize_row_label(value) if value is not None else ""


@dataclass
class _ChapterReader:
    table: ChapterTable
    sheet: str
    title_row: int
    title_year: int | None = None
    columns: dict[int, int] | None = None  # column index → year
    rows: list[ChapterRowData] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def header(self, number: int, row: list) -> bool:
        """Read the header if ``row`` is one; True when it was."""
        texts = [_text(value) for value in row]
        if self.table.single_year:
            if normalize_row_label(self.table.value_header) not in texts:
                return False
            index = texts.index(normalize_row_label(self.table.value_header))
            if self.title_year is None:
                self.problems.append(
                    Problem(
                        _("%(table)s: the title names no year (for example “%(example)s”)")
                        % {"table": self.table.title, "example": f"{self.table.title}（2025 年）"},
                        Location(self.sheet, self.title_row),
                    )
                )
                self.columns = {}
                return True
            self.columns = {index: self.title_year}
            return True
        years = {index: int(match.group(1)) for index, text in enumerate(texts) if (match := YEAR.fullmatch(text))}
        if not years:
            return False
        for index, year in years.items():
            message = year_problem(year)
            if message:
                self.problems.append(Problem(message, Location(self.sheet, number, get_column_letter(index + 1))))
        self.columns = {} if self.problems else years
        return True

    def feed(self, number: int, row: list) -> None:
        filled = [(index, value) for index, value in enumerate(row) if _text(value)]
        if not filled:
            return
        first = _text(filled[0][1])
        if first.startswith("单位") or first.startswith(NOTE_PREFIXES):
            return
        if self.columns is None:
            if not self.header(number, row):
                self.problems.append(
                    Problem(
                        _("%(table)s: a data row comes before the table's header (类型 and the years)")
                        % {"table": self.table.title},
                        Location(self.sheet, number),
                    )
                )
                self.columns = {}
            return
        if not self.columns:
            return  # the header was refused; its problem is reported
        first_value = min(self.columns)
        labels = [(index, value) for index, value in filled if index < first_value]
        if not labels:
            self.problems.append(
                Problem(_("a data row has no row label (类型)"), Location(self.sheet, number, get_column_letter(1)))
            )
            return
        data_row = ChapterRowData(str(labels[-1][1]).strip(), row=number)
        for index, year in self.columns.items():
            letter = get_column_letter(index + 1)
            data_row.columns[year] = letter
            value, error = parse_value(row[index] if index < len(row) else None)
            if error:
                data_row.unreadable.add(year)
                self.problems.append(Problem(error, Location(self.sheet, number, letter)))
            elif value is not None:
                data_row.values[year] = value
        self.rows.append(data_row)

    def result(self) -> ChapterTableData:
        return ChapterTableData(self.table, sorted(set((self.columns or {}).values())), self.rows, sheet=self.sheet)


def parse_chapter_grids(grids: list[Grid], is_other_title=lambda row: False) -> tuple[list[ChapterTableData], list]:
    """Every chapter table found in the sheets, and every problem met while reading them.

    ``is_other_title`` tells an appendix table's title row, where a chapter table ends.
    """
    readers: list[_ChapterReader] = []
    for grid in grids:
        current = None
        for number, row in enumerate(grid.rows, start=1):
            table = find_chapter_title(row)
            repeated = table is not None and current is not None and current.table is table
            if repeated and current.columns is None and current.header(number, row):
                continue  # the cycle table's header repeats its title
            if table is not None:
                match = next((YEAR.search(str(value)) for value in row if isinstance(value, str)), None)
                current = _ChapterReader(table, grid.name, number, int(match.group(1)) if match else None)
                readers.append(current)
                if table.single_year:
                    current.header(number, row)  # the report prints the title as the header's first cell
                continue
            if is_other_title(row):
                current = None
            elif current is not None:
                current.feed(number, row)
    problems = [problem for reader in readers for problem in reader.problems]
    seen: dict[str, _ChapterReader] = {}
    for reader in readers:
        earlier = seen.setdefault(reader.table.code, reader)
        if earlier is not reader:
            problems.append(
                Problem(
                    _("%(table)s appears twice (also in sheet “%(sheet)s”, row %(row)s)")
                    % {"table": reader.table.title, "sheet": earlier.sheet, "row": earlier.title_row},
                    Location(reader.sheet, reader.title_row),
                )
            )
        elif not reader.rows and not reader.problems:
            problems.append(Problem(_("the table has no header or no rows"), Location(reader.sheet, reader.title_row)))
    return [reader.result() for reader in readers if reader.columns], problems
