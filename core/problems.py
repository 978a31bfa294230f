"""A reason to refuse an input, and where in the file it was found (file, sheet, row, column).

Every reader and importer (spreadsheets, appendix tables, returns, registries) reports with these, so that an officer
is always pointed at a sheet, a row and a column in the same words.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Location:
    sheet: str = ""
    row: int | None = None
    column: str | None = None
    file: str = ""  # for problems with the file as a whole (not a spreadsheet, too large …)

    def __str__(self):
        parts = []
        if self.file:
            parts.append(_("file “%(file)s”") % {"file": self.file})
        if self.sheet:
            parts.append(_("sheet “%(sheet)s”") % {"sheet": self.sheet})
        if self.row is not None:
            parts.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            parts.append(_("column %(column)s") % {"column": self.column})
        return _(", ").join(parts)


@dataclass(frozen=True)
class Problem:
    """One reason to refuse the input, with where it was found."""

    message: str
    location: Location = Location()

    def __str__(self):
        where = str(self.location)
        return _("%(where)s: %(message)s") % {"where": where, "message": self.message} if where else self.message
