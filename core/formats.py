"""The spreadsheet formats offered by the admin's import and export, with our safety rules added.

Import-export's own formula escaping only strips a leading "=" and turns every cell into text, so these formats
escape every text cell (headers included) with ``core.spreadsheet_safety.escape_cell`` (leaving numbers alone),
and refuse oversized files, too many rows and zip bombs before tablib reads anything. An XLSX is read by
``spreadsheets.read_xlsx`` (as tablib would: the active sheet, the first row as headers), so formula cells and
damaged sheets are refused there with their place; a file without a header row (an empty or BOM-only CSV) is
refused with a message, never left to fail later.
"""

import tablib
from django.utils.translation import gettext as _
from import_export.formats import base_formats

from core.spreadsheet_safety import escape_cell, escape_row

from .problems import Location, Problem
from .spreadsheets import (
    XLSX_MAGIC,
    SpreadsheetRefused,
    check_rows,
    check_size,
    check_zip,
    decode_csv,
    read_xlsx,
)


def refuse_empty(dataset) -> None:
    if not dataset.headers or not any(str(header or "").strip() for header in dataset.headers):
        raise SpreadsheetRefused(
            Problem(_("the file is empty: the first row must name the columns, and rows follow it"), Location(row=1))
        )


class SafeFormatMixin:
    def create_dataset(self, in_stream, **kwargs):
        content = in_stream.encode() if isinstance(in_stream, str) else in_stream
        check_size(content, "")
        if content.startswith(XLSX_MAGIC):
            check_zip(content, "")
        try:
            dataset = super().create_dataset(in_stream, **kwargs)
        except SpreadsheetRefused:
            raise
        except Exception as error:  # tablib raises many kinds for a file that is not what its format says
            raise SpreadsheetRefused(
                Problem(
                    _("this file cannot be read as %(format)s (%(error)s)")
                    % {"format": self.get_extension().upper(), "error": error}
                )
            ) from error
        refuse_empty(dataset)
        check_rows(len(dataset), "")
        return dataset

    def export_data(self, dataset, **kwargs):
        for index, row in enumerate(dataset):
            if any(escape_cell(cell) is not cell for cell in row):
                dataset[index] = escape_row(row)
        if dataset.headers:
            dataset.headers = escape_row(dataset.headers)
        if not dataset.title:
            dataset.title = _("Data")  # tablib's default sheet name is "Tablib Dataset" (issue 14)
        return super().export_data(dataset, **kwargs)


class XLSX(SafeFormatMixin, base_formats.XLSX):
    def create_dataset(self, in_stream, **kwargs):
        if not isinstance(in_stream, bytes) or not in_stream.startswith(XLSX_MAGIC):
            return super().create_dataset(in_stream, **kwargs)  # not a workbook: refused as unreadable
        check_size(in_stream, "")
        (grid,) = read_xlsx(in_stream, "", sheets="active")
        dataset = _dataset(grid.rows)
        dataset.title = grid.name
        refuse_empty(dataset)
        check_rows(len(dataset), "")
        return dataset


def _dataset(rows: list[list]) -> tablib.Dataset:
    """Rows as tablib reads a sheet: the first row as headers, shorter rows padded, empty cells past the header cut."""
    dataset = tablib.Dataset()
    if not rows:
        return dataset
    headers = list(rows[0])
    while headers and headers[-1] is None:
        headers.pop()
    dataset.headers = headers
    width = len(headers)
    for number, row in enumerate(rows[1:], start=2):
        values = list(row)
        if len(values) > width:
            if any(value not in (None, "") for value in values[width:]):
                raise SpreadsheetRefused(
                    Problem(_("this row has values in columns without a header"), Location(row=number))
                )
            values = values[:width]
        dataset.append(values + [""] * (width - len(values)))
    return dataset


class CSV(SafeFormatMixin, base_formats.CSV):
    """Read as bytes, so that a CSV saved by Excel on a Chinese system (GB18030) is accepted as well as UTF-8."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            check_size(in_stream, "")
            in_stream = decode_csv(in_stream, "")
        return super().create_dataset(in_stream, **kwargs)


class JSON(SafeFormatMixin, base_formats.JSON):
    pass


FORMATS = [XLSX, CSV, JSON]
