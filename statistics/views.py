"""The appendix workbook in the admin: download it, and upload one (preview, then confirm).

The preview keeps its file with its run (``ImportUpload``); the confirm names that run, which must be a preview of
the same user not yet confirmed. A doubled or stale confirm gets a message, never an error.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from core.imports import claim_preview, forget_unconfirmed_uploads, keep_upload
from core.spreadsheets import XLSX_CONTENT_TYPE, SpreadsheetRefused, check_size_of

from .export import appendix_workbook_bytes
from .import_diff import appendix_changes
from .imports import import_appendix
from .models import RegionPatentFigure

# The workbook holds all six figures models: downloading it needs view, uploading it import, on each of them; the
# chapter tables, when asked for, view on theirs.
FIGURE_MODELS = (
    "regionpatentfigure",
    "countrypatentfigure",
    "regiontrademarkfigure",
    "countrytrademarkfigure",
    "regioncountfigure",
    "countrycountfigure",
)
CHAPTER_VIEW_PERMISSION = "statistics.view_chapterfigure"


def available_years() -> list[int]:
    return sorted(set(RegionPatentFigure.objects.values_list("year", flat=True).distinct()), reverse=True)


class ExportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("report year"), coerce=int, help_text=_("The sheets show Y−1 and Y."))
    chapter_tables = forms.BooleanField(
        label=_("with the chapter tables"),
        required=False,
        help_text=_(
            "Adds the report's chapter tables after tables 1–12, one sheet each, with the years the report prints; a "
            "year without recorded chapter figures is left empty there."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in available_years()]
        self.may_read_chapter_tables = user.has_perm(CHAPTER_VIEW_PERMISSION)
        if not self.may_read_chapter_tables:
            del self.fields["chapter_tables"]  # not offered; asked for by hand, it is refused below

    def clean(self):
        cleaned = super().clean()
        asked = forms.CheckboxInput().value_from_datadict(self.data, None, "chapter_tables")  # as the box reads it
        if not self.may_read_chapter_tables and asked:
            raise forms.ValidationError(_("You may not view the chapter tables; download the appendix without them."))
        return cleaned


@permission_required([f"statistics.view_{model}" for model in FIGURE_MODELS], raise_exception=True)
def appendix_export(request):
    form = ExportForm(request.GET or None, user=request.user)
    if form.is_valid():
        year, with_chapters = form.cleaned_data["year"], form.cleaned_data.get("chapter_tables", False)
        workbook = appendix_workbook_bytes(year, chapter_tables=with_chapters)
        response = HttpResponse(workbook, content_type=XLSX_CONTENT_TYPE)
        name = f"appendix-{year}-with-chapter-tables" if with_chapters else f"appendix-{year}"
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    context = {**admin.site.each_context(request), "form": form, "title": _("Download the appendix workbook")}
    return render(request, "admin/statistics/appendix_export.html", context, status=400 if form.errors else 200)


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
        forget_unconfirmed_uploads.enqueue()  # a worker's job, not this request's
        upload = form.cleaned_data["file"]
        content = upload.read()
        outcome = import_appendix(content, upload.name, user=request.user, dry_run=True)
        context["outcome"] = outcome
        if outcome.ok:
            keep_upload(outcome.run, content)
            context["confirm"] = {"run": outcome.run.pk}
            context["changes"] = appendix_changes(outcome.tables)  # before → after of each changed value
    context["form"] = form
    return render(request, "admin/statistics/appendix_import.html", context)


def _confirm_import(request):
    claimed = claim_preview(request.POST.get("run"), request.user, "appendix")
    if claimed is None:
        messages.error(
            request,
            _(
                "This preview cannot be confirmed: it was already confirmed, it is not yours, or its file is no "
                "longer kept. Nothing was imported; please upload the file again."
            ),
        )
        return redirect("statistics:appendix-import")
    preview, content = claimed
    filename = preview.filename
    outcome = import_appendix(content, filename, user=request.user)
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
