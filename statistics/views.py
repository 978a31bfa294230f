"""The appendix workbook in the admin: download it, and upload one (preview, then confirm)."""

import re
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .export import appendix_workbook_bytes
from .imports import import_appendix
from .models import RegionPatentFigure
from .spreadsheets import XLSX_CONTENT_TYPE, SpreadsheetRefused, check_size_of

# The workbook holds all six figures models: downloading it needs view, uploading it import, on each of them.
FIGURE_MODELS = (
    "regionpatentfigure",
    "countrypatentfigure",
    "regiontrademarkfigure",
    "countrytrademarkfigure",
    "regioncountfigure",
    "countrycountfigure",
)


def available_years() -> list[int]:
    return sorted(set(RegionPatentFigure.objects.values_list("year", flat=True).distinct()), reverse=True)


class ExportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("report year"), coerce=int, help_text=_("The sheets show Y−1 and Y."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in available_years()]


@permission_required([f"statistics.view_{model}" for model in FIGURE_MODELS], raise_exception=True)
def appendix_export(request):
    form = ExportForm(request.GET or None)
    if form.is_valid():
        year = form.cleaned_data["year"]
        response = HttpResponse(appendix_workbook_bytes(year), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="appendix-{year}.xlsx"'
        return response
    context = {**admin.site.each_context(request), "form": form, "title": _("Download the appendix workbook")}
    return render(request, "admin/statistics/appendix_export.html", context)


PENDING = "appendix-imports"


class AppendixUploadForm(forms.Form):
    file = forms.FileField(
        label=_("workbook or table"), help_text=_("XLSX workbook or CSV table in the report's layout")
    )

    def clean_file(self):
        """Refuse an oversized upload by its size in bytes, before reading it."""
        upload = self.cleaned_data["file"]
        try:
            check_size_of(upload.size, upload.name)
        except SpreadsheetRefused as refused:
            raise forms.ValidationError(str(refused.problems[0].message)) from refused
        return upload


def _can_import(user) -> bool:
    return all(user.has_perm(f"statistics.import_{model}") for model in FIGURE_MODELS)


def appendix_import(request):
    """Upload an appendix workbook, see what it would do (a dry run), then confirm; all or nothing."""
    if not _can_import(request.user):
        raise PermissionDenied
    context = {**admin.site.each_context(request), "title": _("Import the appendix workbook")}
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm_import(request)
    form = AppendixUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        _forget_old_uploads()
        upload = form.cleaned_data["file"]
        content = upload.read()
        outcome = import_appendix(content, upload.name, user=request.user, dry_run=True)
        context["outcome"] = outcome
        if outcome.ok:
            digest = outcome.run.sha256
            if not default_storage.exists(_pending_name(digest)):
                default_storage.save(_pending_name(digest), ContentFile(content))
            context["confirm"] = {"sha256": digest, "filename": upload.name}
    context["form"] = form
    return render(request, "admin/statistics/appendix_import.html", context)


def _pending_name(digest: str) -> str:
    return f"{PENDING}/{digest}"


def _forget_old_uploads(max_age=timedelta(days=1)) -> None:
    """Uploads previewed but never confirmed are deleted after a day."""
    if not default_storage.exists(PENDING):
        return
    cutoff = timezone.now() - max_age
    for name in default_storage.listdir(PENDING)[1]:
        path = f"{PENDING}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)


def _confirm_import(request):
    digest, filename = request.POST.get("sha256", ""), request.POST.get("filename", "")
    if not re.fullmatch(r"[0-9a-f]{64}", digest) or not default_storage.exists(_pending_name(digest)):
        messages.error(request, _("The uploaded file is no longer available; please upload it again."))
        return redirect("statistics:appendix-import")
    with default_storage.open(_pending_name(digest)) as handle:
        content = handle.read()
    outcome = import_appendix(content, filename, user=request.user)
    default_storage.delete(_pending_name(digest))
    if outcome.ok:
        counts = outcome.counts
        messages.success(
            request,
            _("Imported %(file)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {"file": filename, "created": counts.created, "updated": counts.updated, "unchanged": counts.unchanged},
        )
        return redirect("admin:statistics_importrun_change", outcome.run.pk)
    for problem in outcome.problems:
        messages.error(request, str(problem))
    return redirect("statistics:appendix-import")
