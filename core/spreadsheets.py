"""Opening uploaded spreadsheets safely: size and row limits, zip bombs, formulas, damaged sheets, and files that
are not spreadsheets.

Every importer reads its file through ``read_grids`` (or, for the admin's tablib formats, ``read_xlsx``), which
returns plain grids of cell values (one per sheet), so the parsers never touch openpyxl or csv themselves and every
limit is enforced in one place.

Formula cells are refused with their address: a workbook keeps only the value its program last calculated, and a
file written by a program that does not calculate (or saved before recalculating) holds none, which would read as an
empty cell and import as "nothing changed".
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .problems import Location, Problem

XLSX_MAGIC = b"PK\x03\x04"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # Excel on a Chinese system saves CSV as GB18030/GBK


def limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


MAX_FORMULAS_LISTED = 50
# A formula element in a worksheet part (``<f>``, ``<f t="shared" …/>``, or with a namespace prefix).
FORMULA_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


class SpreadsheetRefused(Exception):
    """The file cannot be read as a spreadsheet, or breaks a limit; nothing was read from it."""

    def __init__(self, problem: Problem | list[Problem]):
        self.problems = list(problem) if isinstance(problem, list) else [problem]
        super().__init__("\n".join(str(item) for item in self.problems))


@dataclass
class Grid:
    """One sheet as rows of cell values, from row 1 and column A, so that ``rows[i][j]`` is row i+1, column j+1."""

    name: str
    rows: list[list] = field(default_factory=list)


def _refuse(name: str, message: str) -> SpreadsheetRefused:
    return SpreadsheetRefused(Problem(message, Location(file=name)))


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


def read_grids(content: bytes, filename: str, only_first: bool = False) -> list[Grid]:
    """The sheets of an XLSX workbook (or only its first) or a single CSV table, after every safety check."""
    name = Path(filename).name
    check_size(content, name)
    if content.startswith(XLSX_MAGIC):
        grids = _read_xlsx(content, name, only_first)
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


def _read_xlsx(content: bytes, name: str, only_first: bool = False) -> list[Grid]:
    return read_xlsx(content, name, sheets="first" if only_first else "all")


def read_xlsx(content: bytes, name: str, sheets: str = "all") -> list[Grid]:
    """The sheets of a workbook as grids: ``all``, the ``first`` or the ``active`` one (what tablib reads).

    A damaged workbook, a damaged sheet (its XML cannot be parsed) and a formula cell in a sheet read are refused
    as problems in the file, never raised as errors of the program.
    """
    from openpyxl import load_workbook

    check_zip(content, name)
    formulas = has_formulas(content, name)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=not formulas)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise _refuse(name, _("this is not a readable XLSX workbook (%(error)s)") % {"error": error}) from error
    try:
        chosen = (
            list(workbook) if sheets == "all" else [workbook.active if sheets == "active" else workbook.worksheets[0]]
        )
        grids, problems = [], []
        for sheet in chosen:
            try:
                grids.append(_sheet_grid(sheet, problems) if formulas else _sheet_values(sheet))
            except Exception as error:  # a corrupt worksheet part: lxml/ElementTree, zlib or openpyxl errors
                raise _refuse(
                    name,
                    _(
                        "the sheet “%(sheet)s” is damaged and cannot be read (%(error)s); "
                        "save the workbook again in Excel"
                    )
                    % {"sheet": sheet.title, "error": error},
                ) from error
        if problems:
            raise SpreadsheetRefused(_listed(problems))
        return grids
    finally:
        workbook.close()


def _sheet_values(sheet) -> Grid:
    return Grid(sheet.title, [list(row) for row in sheet.iter_rows(min_row=1, min_col=1, values_only=True)])


def _sheet_grid(sheet, problems: list[Problem]) -> Grid:
    """The sheet's values cell by cell, with a problem for each formula (the slower path, for files that have one)."""
    rows = []
    for row in sheet.iter_rows(min_row=1, min_col=1):
        values = []
        for cell in row:
            if getattr(cell, "data_type", None) == "f":
                problems.append(_formula_problem(sheet.title, cell))
                values.append(None)
            else:
                values.append(cell.value)
        rows.append(values)
    return Grid(sheet.title, rows)


def _formula_problem(sheet: str, cell) -> Problem:
    formula = cell.value if isinstance(cell.value, str) else getattr(cell.value, "text", "") or ""
    return Problem(
        _("the cell %(address)s holds a formula (%(formula)s); formulas are not imported: enter the value itself")
        % {"address": f"{sheet}!{cell.coordinate}", "formula": formula[:60]},
        Location(sheet, cell.row, cell.column_letter),
    )


def _listed(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_FORMULAS_LISTED:
        return problems
    more = len(problems) - MAX_FORMULAS_LISTED
    return [*problems[:MAX_FORMULAS_LISTED], Problem(_("and %(count)s more cells with formulas") % {"count": more})]


def _holds_formula(archive: zipfile.ZipFile, member: zipfile.ZipInfo, chunk: int = 1 << 20) -> bool:
    """Scan one worksheet part in 1 MiB pieces (a piece keeps the end of the one before, so no element is cut)."""
    tail = b""
    with archive.open(member) as handle:
        while piece := handle.read(chunk):
            if FORMULA_ELEMENT.search(tail + piece):
                return True
            tail = piece[-32:]
    return False


def has_formulas(content: bytes, name: str) -> bool:
    """Whether any worksheet part holds a formula element: a quick scan, so that only such files pay for the slower
    cell-by-cell read that finds their addresses."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for member in archive.infolist():
                part = member.filename
                is_sheet = part.startswith("xl/worksheets/") and part.endswith(".xml")
                if is_sheet and _holds_formula(archive, member):
                    return True
    except Exception as error:  # a damaged member: bad CRC, bad compressed data
        raise _refuse(
            name,
            _("this workbook is damaged and cannot be read (%(error)s); save it again in Excel") % {"error": error},
        ) from error
    return False


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
