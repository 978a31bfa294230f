"""The figures of a page's charts as CSV or XLSX (``?format=csv&chart=<slug>``, or ``?format=xlsx`` for all)."""

import csv
import io

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.spreadsheet_safety import escape_cell
from core.spreadsheets import XLSX_CONTENT_TYPE

from .charts import Chart

FORMATS = ("csv", "xlsx")


def _plain(value):
    """A cell as a file holds it: numbers stay numbers, links keep their text, text is made formula-safe."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    return escape_cell(str(value))


def _records(chart: Chart) -> list[list]:
    return [[str(column.label) for column in chart.columns]] + [[_plain(cell) for cell in row] for row in chart.rows]


def csv_bytes(chart: Chart) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel on a Chinese system reads the names right."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(_records(chart))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


INVALID_IN_SHEET_NAME = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))


def sheet_title(chart: Chart, taken: set[str]) -> str:
    """The chart's title in the reader's language, as Excel allows a sheet name: no []:*?/\\, at most 31
    characters, unique in the workbook (the slug was English on a Chinese page, issue 14)."""
    base = str(chart.title).translate(INVALID_IN_SHEET_NAME).strip("' ")[:31] or chart.slug[:31]
    title, number = base, 2
    while title.casefold() in taken:
        suffix = f" ({number})"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(title.casefold())
    return title


def xlsx_bytes(charts: list[Chart]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for chart in charts:
        sheet = workbook.create_sheet(sheet_title(chart, taken))
        for record in _records(chart):
            sheet.append(record)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 28
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(request, charts: list[Chart], basename: str) -> HttpResponse | None:
    """The download the query asks for, or None when it asks for the page."""
    fmt = request.GET.get("format")
    if not fmt:
        return None
    if fmt not in FORMATS:
        return HttpResponseBadRequest(
            _("Unknown format “%(format)s”: use csv or xlsx.") % {"format": fmt}, content_type="text/plain"
        )
    if not charts:
        raise Http404(_("There are no figures to download."))
    slug = request.GET.get("chart")
    if slug:
        charts = [chart for chart in charts if chart.slug == slug]
        if not charts:
            raise Http404(_("This page has no chart “%(chart)s”.") % {"chart": slug})
        basename = f"{basename}-{slug}"
    if fmt == "csv":
        if len(charts) != 1:
            return HttpResponseBadRequest(
                _("A CSV file holds one chart: add chart=… (one of %(charts)s), or ask for format=xlsx.")
                % {"charts": ", ".join(chart.slug for chart in charts)},
                content_type="text/plain",
            )
        response = HttpResponse(csv_bytes(charts[0]), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(xlsx_bytes(charts), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{basename}.{fmt}"'
    return response
