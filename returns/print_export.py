"""The approved return as people keep it: an A4 page to print (``print_views``) and an XLSX workbook.

Both show the last approved version (``revisions.approved_version``), which the province page shows to everybody;
a return never approved has neither. Every row of the workbook goes through ``escape_row``: an officer's note such
as ``=HYPERLINK(…)`` stays text in the workbook.
"""

from io import BytesIO

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.spreadsheet_safety import escape_row
from review.models import State
from statistics.models import Region

from .models import AnnualReturn
from .revisions import ApprovedVersion, approved_version


def approved_return(region_code: str, year: int) -> ApprovedVersion:
    """The approved version of the region's return for ``year``, or 404 (no such region, no return ever approved)."""
    region = get_object_or_404(Region, code=region_code)
    annual_return = (
        AnnualReturn.objects.filter(region=region, year=year).exclude(state=State.DRAFT).select_related("region")
    ).first()
    approved = approved_version(annual_return) if annual_return is not None else None
    if approved is None:
        raise Http404(_("%(region)s has no approved return for %(year)s.") % {"region": region, "year": year})
    return approved


def title(approved: ApprovedVersion) -> str:
    annual_return = approved.annual_return
    return _("%(region)s annual return %(year)s") % {"region": annual_return.region, "year": annual_return.year}


def filename(approved: ApprovedVersion, extension: str) -> str:
    annual_return = approved.annual_return
    return f"return-{annual_return.region.code}-{annual_return.year}-approved.{extension}"


def workbook(approved: ApprovedVersion) -> bytes:
    """One sheet: the title, then per group its name and its rows (No., indicator, unit, value, last year, change %,
    note). Values are numbers (ratios rounded to 2 places, as printed), so the workbook can compute with them."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(approved.annual_return.year)
    sheet.append(escape_row([title(approved)]))
    sheet["A1"].font = Font(bold=True, size=14)
    notes = []
    if approved.approval is not None:
        notes.append(_("Approved on %(date)s.") % {"date": approved.approval.at.date().isoformat()})
    if approved.under_revision:
        notes.append(_("Reopened for correction since; this is the approved version."))
    sheet.append(escape_row([" ".join(notes)]))
    header = [
        _("No."),
        _("Indicator"),
        _("Unit"),
        _("Value"),
        _("Last year's approved value"),
        _("Change %"),
        _("Note"),
    ]
    for group in approved.sheet.groups:
        sheet.append([])
        sheet.append(escape_row([group.name]))
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        sheet.append(escape_row(header))
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in group.rows:
            sheet.append(escape_row(_cells(row)))
    for letter, width in zip("ABCDEFG", (8, 50, 10, 16, 16, 10, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    for cells in sheet.iter_rows(min_row=3):
        cells[1].alignment = Alignment(wrap_text=True)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cells(row) -> list:
    places = 2 if row.computed else None
    change = None if row.change is None else round(float(row.change), 1)
    return [
        row.indicator.number or "",
        row.indicator.name_zh,
        row.indicator.unit,
        _number(row.value, places),
        _number(row.last_year, places),
        change,
        row.note,
    ]


def _number(value, places):
    if value is None:
        return None
    if places is not None:
        return round(float(value), places)
    return int(value) if value == value.to_integral_value() else float(value)
