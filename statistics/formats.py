"""The spreadsheet formats offered by the admin's import and export, with our safety rules added.

Import-export's own formula escaping only strips a leading "=" and turns every cell into text, so these formats
escape every text cell that starts with =, +, - or @ (leaving numbers alone), and refuse oversized files, too many
rows and zip bombs before tablib reads anything.
"""

from import_export.formats import base_formats

from .spreadsheets import XLSX_MAGIC, check_rows, check_size, check_zip, decode_csv, escape_formula


class SafeFormatMixin:
    def create_dataset(self, in_stream, **kwargs):
        content = in_stream.encode() if isinstance(in_stream, str) else in_stream
        check_size(content, "")
        if content.startswith(XLSX_MAGIC):
            check_zip(content, "")
        dataset = super().create_dataset(in_stream, **kwargs)
        check_rows(len(dataset), "")
        return dataset

    def export_data(self, dataset, **kwargs):
        for index, row in enumerate(dataset):
            if any(isinstance(cell, str) and escape_formula(cell) != cell for cell in row):
                dataset[index] = [escape_formula(cell) for cell in row]
        return super().export_data(dataset, **kwargs)


class XLSX(SafeFormatMixin, base_formats.XLSX):
    pass


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
