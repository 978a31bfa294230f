"""What every model admin of the project shares: spreadsheet import and export through the model's resource, a
blank template to fill in, and the change history of each record (read-only: ``core.history_admin``).

The other apps' admins use ``RecordsAdmin`` too, so that import, export and history behave the same everywhere.
"""

from io import BytesIO

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm
from import_export.tmp_storages import BaseStorage
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.spreadsheet_safety import escape_row  # spelled in full: tests/test_export_escaping.py looks for it

from .admin_guards import WithoutBulkDelete
from .formats import FORMATS
from .history_admin import ReadOnlyHistoryAdmin
from .import_runs import import_run_model, import_upload_model
from .imports import claim_preview, keep_upload, model_label, sha256, start_large_import
from .spreadsheets import XLSX_CONTENT_TYPE, SpreadsheetRefused, check_size_of
from .stale_forms import StaleEditGuard


class LimitedImportForm(ImportForm):
    """Refuses an upload over ``IMPORT_MAX_FILE_SIZE`` by its size in bytes, before it is read."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_size_of(upload.size, upload.name)
        except SpreadsheetRefused as refused:
            raise ValidationError(str(refused.problems[0].message)) from refused
        return upload


class MemoryStorage(BaseStorage):
    """Import-export's "temporary storage" kept in memory for the one request that previews a file.

    Nothing goes to the temporary folder: the file a preview needs later is kept as the run's ``ImportUpload``,
    and the confirm names the run, never a file (import-export's own confirm read any file there by name).
    """

    def save(self, data):
        self.data = data

    def read(self):
        data = self.data
        if self.read_mode == "r" and isinstance(data, bytes):
            return data.decode(self.encoding or "utf-8-sig")
        return data

    def remove(self):
        self.data = b""


class RunConfirmForm(forms.Form):
    """The confirm step of an import: the preview's run, and nothing that names a file."""

    import_run = forms.IntegerField(widget=forms.HiddenInput())
    resource = forms.CharField(widget=forms.HiddenInput(), required=False)


class RecordsAdmin(StaleEditGuard, WithoutBulkDelete, ImportExportMixin, ReadOnlyHistoryAdmin):
    """Import, export, blank template and read-only history; no bulk delete (``core.admin_guards``); a change form
    opened before someone else's save saves nothing (``core.stale_forms``)."""

    change_list_template = "admin/records_change_list.html"
    formats = FORMATS  # XLSX, CSV and JSON, with formula escaping and upload limits
    import_form_class = LimitedImportForm
    confirm_form_class = RunConfirmForm
    tmp_storage_class = MemoryStorage

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        urls = [
            path(
                "import-template/",
                self.admin_site.admin_view(self.import_template_view),
                name="%s_%s_import_template" % info,
            )
        ]
        return urls + super().get_urls()

    def get_import_data_kwargs(self, **kwargs):
        """Record the run before the import reads the rows: a preview keeps its file with it, a confirm is a new run
        with the preview's file and hash."""
        form, preview, request = kwargs.get("form"), kwargs.pop("preview", None), kwargs.get("request")
        data = super().get_import_data_kwargs(**kwargs)
        user = getattr(request, "user", None)
        ImportRun = import_run_model()
        if preview is not None:
            run = ImportRun.start(
                kind=preview.kind,
                user=user,
                filename=preview.filename,
                sha256=preview.sha256,
                source_format=preview.source_format,
            )
        else:
            upload = form.cleaned_data["import_file"]
            content = b"".join(upload.chunks())
            upload.seek(0)
            run = ImportRun.start(
                kind=model_label(self),
                user=user,
                filename=upload.name[:255],
                sha256=sha256(content),
                source_format=int(form.cleaned_data["format"]),
            )
            keep_upload(run, content)
        form.import_run = run
        data.update(import_run=run, file_sha256=run.sha256)
        return data

    def get_confirm_form_initial(self, request, import_form):
        if import_form is None:
            return {}
        return {"import_run": import_form.import_run.pk, "resource": import_form.cleaned_data.get("resource", "")}

    def import_action(self, request, **kwargs):
        """Files of more than 10,000 rows are previewed in the background, with a progress page; a refused preview
        keeps no file."""
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid():
                run = start_large_import(self, request, form)
                if run is not None:
                    return redirect("admin:statistics_importrun_progress", run.pk)
        response = super().import_action(request, **kwargs)
        if request.method == "POST":
            forget_refused_uploads(request.user)
        return response

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """Confirm a preview by its run: this user's, of this model, not yet confirmed; anything else is refused with
        a message (a doubled click, a stale page, a forged form), never read from a file name."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        claimed = (
            claim_preview(form.data.get("import_run"), request.user, model_label(self)) if form.is_valid() else None
        )
        if claimed is None:
            messages.error(
                request,
                _(
                    "This preview cannot be confirmed: it was already confirmed, it is not yours, or its file is no "
                    "longer kept. Nothing was imported; please upload the file again."
                ),
            )
            return redirect("admin:%s_%s_import" % (self.opts.app_label, self.opts.model_name))
        preview, content = claimed
        input_format = self.get_import_formats()[preview.source_format]()
        if not input_format.is_binary():
            content = content.decode(self.from_encoding)
        dataset = input_format.create_dataset(content)
        result = self.process_dataset(dataset, form, request, file_name=preview.filename, preview=preview, **kwargs)
        if result.has_errors() or result.has_validation_errors():
            messages.error(request, _("The import was refused and nothing was written; the import run lists why."))
            return redirect("admin:statistics_importrun_change", form.import_run.pk)
        return self.process_result(result, request)

    def add_data_read_fail_error_to_form(self, form, error):
        """Say why a file was refused (size, zip bomb, not a spreadsheet) rather than only the exception's name."""
        if isinstance(error, SpreadsheetRefused):
            form.add_error("import_file", str(error))
        else:
            form.add_error(
                "import_file",
                _("This file cannot be read in the chosen format: check that it is an XLSX, CSV or JSON file."),
            )

    def get_export_data(self, file_format, request, queryset, **kwargs):
        """Keep numbers as numbers in XLSX: import-export only does so for its own format classes, not ours."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(request, queryset, force_native_type=file_format.is_binary(), **kwargs)
        export_data = file_format.export_data(data)
        encoding = kwargs.get("encoding")
        if not file_format.is_binary() and encoding:
            export_data = export_data.encode(encoding)
        return export_data

    def import_template_view(self, request):
        """A blank XLSX: the header row in Chinese, and a sheet that explains each column."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource = self.get_import_resource_classes(request)[0]()
        response = HttpResponse(blank_template(resource, str(self.opts.verbose_name)), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{self.opts.model_name}-template.xlsx"'
        return response


def forget_refused_uploads(user) -> None:
    """A preview that was refused is never confirmed: its file goes at once (the run stays)."""
    if getattr(user, "pk", None):
        ImportRun = import_run_model()
        refused = [ImportRun.Status.REFUSED, ImportRun.Status.FAILED]
        import_upload_model().objects.filter(run__user=user, run__status__in=refused).delete()


def blank_template(resource, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "数据"
    headers = [field.column_name for field in resource.get_user_visible_fields() if not field.readonly]
    sheet.append(escape_row(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    notes = workbook.create_sheet("说明")
    notes.append(escape_row([_("Column"), _("What to enter")]))
    for cell in notes[1]:
        cell.font = Font(bold=True)
    help_texts = resource.column_help
    for header in headers:
        notes.append(escape_row([header, str(help_texts.get(header, ""))]))
    notes.append([])
    notes.append(
        [
            _("Notes"),
            _(
                "Fill in the sheet “数据”, one row per record, keeping the header row. Rows are matched to existing "
                "records by their keys (names or codes, year), never by database ids. The whole file is imported or, "
                "if any row has a problem, nothing is; the preview lists every problem with its row."
            ),
        ]
    )
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["B"].width = 90
    for row in notes.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    notes["A1"].value = f"{_('Column')} ({title})"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
