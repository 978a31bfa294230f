"""What every model admin of the project shares: spreadsheet import and export through the model's resource, a
blank template to fill in, and the change history of each record.

The other apps' admins use ``RecordsAdmin`` too, so that import, export and history behave the same everywhere.
"""

from io import BytesIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from simple_history.admin import SimpleHistoryAdmin

from .formats import FORMATS
from .imports import sha256, start_large_import
from .spreadsheets import XLSX_CONTENT_TYPE, SpreadsheetRefused, check_size_of


class LimitedImportForm(ImportForm):
    """Refuses an upload over ``IMPORT_MAX_FILE_SIZE`` by its size in bytes, before it is read."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_size_of(upload.size, upload.name)
        except SpreadsheetRefused as refused:
            raise ValidationError(str(refused.problems[0].message)) from refused
        return upload


class RecordsAdmin(ImportExportMixin, SimpleHistoryAdmin):
    change_list_template = "admin/records_change_list.html"
    formats = FORMATS  # XLSX, CSV and JSON, with formula escaping and upload limits
    import_form_class = LimitedImportForm

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

    def import_action(self, request, **kwargs):
        """Files of more than 10,000 rows are previewed in the background, with a progress page."""
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid():
                run = start_large_import(self, request, form)
                if run is not None:
                    return redirect("admin:statistics_importrun_progress", run.pk)
        return super().import_action(request, **kwargs)

    def get_import_data_kwargs(self, **kwargs):
        """Pass the uploaded file's SHA-256 on, so that the ImportRun records it."""
        form = kwargs.get("form")
        data = super().get_import_data_kwargs(**kwargs)
        data["file_sha256"] = upload_sha256(self, form)
        return data

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


def upload_sha256(model_admin, form) -> str:
    if form is None or not form.is_valid():
        return ""
    upload = form.cleaned_data.get("import_file")
    if upload is not None:
        content = b"".join(upload.chunks())
        upload.seek(0)
        return sha256(content)
    name = form.cleaned_data.get("import_file_name")
    if name:
        storage = model_admin.get_tmp_storage_class()(
            name=name, read_mode="rb", **model_admin.get_tmp_storage_class_kwargs()
        )
        return sha256(storage.read())
    return ""


def blank_template(resource, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "数据"
    headers = [field.column_name for field in resource.get_user_visible_fields() if not field.readonly]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    notes = workbook.create_sheet("说明")
    notes.append([_("Column"), _("What to enter")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    help_texts = resource.column_help
    for header in headers:
        notes.append([header, str(help_texts.get(header, ""))])
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
