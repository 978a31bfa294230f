"""Public pages of an approved return: the A4 print view and the XLSX download (``print_export``).

They show what the province page shows to everybody (the last approved version), so they need no sign-in; a
return that was never approved is a 404 for everybody, headquarters included (its sheet is in the admin).
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.spreadsheets import XLSX_CONTENT_TYPE

from . import print_export
from .registry_notes import mark_rows


@require_safe
def print_view(request, code, year):
    approved = print_export.approved_return(code, year)
    mark_rows(approved.sheet, year)
    context = {"approved": approved, "sheet": approved.sheet, "title": print_export.title(approved)}
    return render(request, "returns/print.html", context)


@require_safe
def xlsx_view(request, code, year):
    approved = print_export.approved_return(code, year)
    response = HttpResponse(print_export.workbook(approved), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{print_export.filename(approved, "xlsx")}"'
    return response
