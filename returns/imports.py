"""Filling a return from a spreadsheet: the officer's own values, in a sheet with one row per indicator.

The sheet has a header row with the columns 代码/code, 数值/value and 说明/note (other columns, such as the
indicator's name, are ignored). Only the first sheet is read. Every problem is reported with sheet, row and column,
and then nothing is written; otherwise the rows go through ``services.save_values``, exactly like the values typed on
the screen. The rules of what a province types are the service's (``value_refusal``, ``note_refusal``), given here
with the cell; only "a value cell holds a number" is the file's own rule. A formula cell is refused with its address
(``core.spreadsheets.read_grids``): its stored result may be missing, and reading it as empty would report "0 values
changed" for a file full of numbers.
"""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.problems import Location, Problem
from core.spreadsheet_safety import escape_row
from core.spreadsheets import SpreadsheetRefused, read_grids
from review import services as review

from . import services
from .sheet import catalogue

HEADERS = {"代码": "code", "code": "code", "数值": "value", "value": "value", "说明": "note", "note": "note"}


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def read_values(content: bytes, filename: str) -> tuple[dict, dict]:
    """The values and notes of the file (code → text), or ``review.Invalid`` listing every problem with its place."""
    try:
        grids = read_grids(content, filename, only_first=True)  # formula cells are refused with their address
    except SpreadsheetRefused as refused:
        raise review.Invalid([str(problem) for problem in refused.problems]) from refused
    indicators = {indicator.code: indicator for indicator in catalogue()}
    grid = grids[0]
    problems, values, notes, seen = [], {}, {}, {}
    header = [
        HEADERS.get(_text(cell).lower(), HEADERS.get(_text(cell))) for cell in (grid.rows[0] if grid.rows else [])
    ]
    if "code" not in header or "value" not in header:
        raise review.Invalid(
            [
                str(
                    Problem(
                        _("the first row must name the columns 代码 (code) and 数值 (value)"),
                        Location(sheet=grid.name, row=1),
                    )
                )
            ]
        )
    column = {name: index for index, name in enumerate(header) if name}
    for number, row in enumerate(grid.rows[1:], start=2):
        cells = {name: _text(row[index]) if index < len(row) else "" for name, index in column.items()}
        code = cells.get("code", "").upper()
        if not any(cells.values()):
            continue
        where = Location(sheet=grid.name, row=number, column=get_column_letter(column["code"] + 1))
        indicator = indicators.get(code)
        if indicator is None:
            problems.append(Problem(_("“%(code)s” is not an indicator code") % {"code": code}, where))
            continue
        if code in seen:
            problems.append(
                Problem(_("%(code)s appears again (first in row %(row)s)") % {"code": code, "row": seen[code]}, where)
            )
            continue
        seen[code] = number
        value_at = Location(sheet=grid.name, row=number, column=get_column_letter(column["value"] + 1))
        if cells["value"]:
            refused = services.value_refusal(indicator)
            if refused:
                problems.append(Problem(refused, value_at))
                continue
            try:
                services.parse_number(cells["value"])
            except ValueError:
                problems.append(Problem(_("“%(text)s” is not a number") % {"text": cells["value"]}, value_at))
                continue
            values[code] = cells["value"]
        if cells.get("note"):
            refused = services.note_refusal(indicator)
            if refused:
                problems.append(Problem(refused, where))
                continue
            notes[code] = cells["note"]
    if problems:
        raise review.Invalid([str(problem) for problem in problems])
    return values, notes


def import_values(annual_return, user, content: bytes, filename: str, expected_version=None) -> services.Saved:
    """Save the values of an uploaded sheet as typed ones (``services.save_values``): the fresh return and the count."""
    values, notes = read_values(content, filename)
    return services.save_values(annual_return, user, expected_version, values, notes)


def template_workbook(annual_return) -> bytes:
    """A workbook to fill in: every indicator the province types, with code, name, unit and the current value.

    Every row goes through ``escape_row``: an officer's note such as ``=HYPERLINK(…)`` must stay text in the
    workbook a reviewer opens.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(annual_return.year)
    sheet.append(escape_row(["代码", "指标", "单位", "数值", "说明"]))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    stored = {value.indicator_id: value for value in annual_return.values.all()}
    for indicator in catalogue():
        if indicator.source != "entered":
            continue
        current = stored.get(indicator.pk)
        value = current.value if current and current.value is not None else None
        sheet.append(
            escape_row([indicator.code, indicator.name_zh, indicator.unit, value, current.note if current else ""])
        )
    for letter, width in zip("ABCDE", (16, 50, 8, 16, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
