"""The spreadsheet formats offered by the admin's import and export, with our safety rules added.

Import-export's own formula escaping only strips a leading "=" and turns every cell into text, so these formats
escape every text cell that starts with =, +, - or @ (leaving numbers alone), and refuse oversized files, too many
rows and zip bombs before tablib reads anything.
"""

from pathlib import Path

from import_export.formats import base_formats

from .spreadsheets import check_rows, check_size, check_zip, escape_formula


class SafeFormatMixin:
    def create_dataset(self, in_stream, **kwargs):
        content = in_stream.encode() if isinstance(in_stream, str) else in_stream
        check_size(content, "")
        if content.startswith(b"PK\x03\x04"):
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
    pass


class JSON(SafeFormatMixin, base_formats.JSON):
    pass


FORMATS = [XLSX, CSV, JSON]


def is_allowed_upload(name: str) -> bool:
    return Path(name).suffix.lower() in {".xlsx", ".csv", ".json"}
