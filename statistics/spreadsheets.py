"""Opening uploaded spreadsheets safely: size and row limits, zip bombs, and files that are not spreadsheets.

Every importer reads its file through ``read_grids``, which returns plain grids of cell values (one per sheet),
so the parsers never touch openpyxl or csv themselves and every limit is enforced in one place.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .naming import FORMULA_PREFIXES
from .tabledata import Location, Problem

XLSX_MAGIC = b"PK\x03\x04"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # Excel on a Chinese system saves CSV as GB18030/GBK


def limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


class SpreadsheetRefused(Exception):
    """The file cannot be read as a spreadsheet, or breaks a limit; nothing was read from it."""

    def __init__(self, problem: Problem):
        self.problems = [problem]
        super().__init__(str(problem))


@dataclass
class Grid:
    """One sheet as rows of cell values, from row 1 and column A, so that ``rows[i][j]`` is row i+1, column j+1."""

    name: str
    rows: list[list] = field(default_factory=list)


def _refuse(name: str, message: str) -> SpreadsheetRefused:
    return SpreadsheetRefused(Problem(message, Location(file=name)))


def escape_formula(value):
    """Neutralise text a spreadsheet would run as a formula (formula injection): prefix it with a quote.

    Numbers stay numbers; only text is escaped. ``naming.normalize_label`` removes the quote again on import.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def check_size(content: bytes, name: str) -> None:
    check_size_of(len(content), name)


def check_size_of(size: int, name: str) -> None:
    max_size = limit("IMPORT_MAX_FILE_SIZE", 20 * 1024 * 1024)
    if size > max_size:
        raise _refuse(
            name,
            _("the file is %(size)s bytes, more than the limit of %(limit)s bytes") % {"size": size, "limit": max_size},
        )


def check_rows(count: int, name: str) -> None:
    max_rows = limit("IMPORT_MAX_ROWS", 200_000)
    if count > max_rows:
        raise _refuse(
            name, _("the file has %(rows)s rows, more than the limit of %(limit)s") % {"rows": count, "limit": max_rows}
        )


def read_grids(content: bytes, filename: str) -> list[Grid]:
    """The sheets of an XLSX workbook or a single CSV table, after every safety check."""
    name = Path(filename).name
    check_size(content, name)
    if content.startswith(XLSX_MAGIC):
        grids = _read_xlsx(content, name)
    elif Path(name).suffix.lower() in {".csv", ".txt"}:
        grids = [_read_csv(content, name)]
    else:
        raise _refuse(name, _("this is not a spreadsheet; upload an XLSX workbook or a CSV file"))
    check_rows(sum(len(grid.rows) for grid in grids), name)
    return grids


def check_zip(content: bytes, name: str) -> None:
    """Refuse zip bombs: an uncompressed size out of proportion to the file, or over the absolute limit."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise _refuse(name, _("this is not a spreadsheet; upload an XLSX workbook or a CSV file")) from error
    uncompressed = sum(member.file_size for member in members)
    ratio = limit("IMPORT_MAX_COMPRESSION_RATIO", 100)
    max_uncompressed = limit("IMPORT_MAX_UNCOMPRESSED_SIZE", 200 * 1024 * 1024)
    if uncompressed > max_uncompressed or uncompressed > ratio * max(len(content), 1):
        raise _refuse(
            name,
            _("the workbook unpacks to %(size)s bytes, out of proportion to its %(packed)s bytes; it was refused")
            % {"size": uncompressed, "packed": len(content)},
        )


def _read_xlsx(content: bytes, name: str) -> list[Grid]:
    from openpyxl import load_workbook

    check_zip(content, name)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise _refuse(name, _("this is not a readable XLSX workbook (%(error)s)") % {"error": error}) from error
    try:
        return [
            Grid(sheet.title, [list(row) for row in sheet.iter_rows(min_row=1, min_col=1, values_only=True)])
            for sheet in workbook
        ]
    finally:
        workbook.close()


def decode_csv(content: bytes, name: str) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM), else GB18030; anything else is refused."""
    for encoding in CSV_ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _refuse(name, _("this CSV file is neither UTF-8 nor GB18030 text"))


def _read_csv(content: bytes, name: str) -> Grid:
    text = decode_csv(content, name)
    if "\x00" in text:
        raise _refuse(name, _("this is not a spreadsheet; upload an XLSX workbook or a CSV file"))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return Grid(Path(name).stem, [list(row) for row in csv.reader(io.StringIO(text), dialect)])
