"""The appendix workbook download, offered from the admin."""

from django import forms
from django.contrib import admin
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .export import appendix_workbook_bytes
from .models import RegionPatentFigure

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def available_years() -> list[int]:
    return sorted(set(RegionPatentFigure.objects.values_list("year", flat=True).distinct()), reverse=True)


class ExportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("report year"), coerce=int, help_text=_("The sheets show Y−1 and Y."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in available_years()]


@permission_required("statistics.view_regionpatentfigure", raise_exception=True)
def appendix_export(request):
    form = ExportForm(request.GET or None)
    if form.is_valid():
        year = form.cleaned_data["year"]
        response = HttpResponse(appendix_workbook_bytes(year), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="appendix-{year}.xlsx"'
        return response
    context = {**admin.site.each_context(request), "form": form, "title": _("Download the appendix workbook")}
    return render(request, "admin/statistics/appendix_export.html", context)
