"""A table in the report's shape, held in memory between a source (file, fixture, database) and its checks.

Rows keep their printed labels and, where they came from a file, where they were found, so that every problem
can point an officer at a sheet, a row and a column.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .appendix import DOMESTIC_TOTAL, FOREIGN_TOTAL, GRAND_TOTAL, AppendixTable


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


class Role:
    ENTITY = "entity"
    DOMESTIC_TOTAL = "domestic_total"
    FOREIGN_TOTAL = "foreign_total"
    GRAND_TOTAL = "grand_total"


ROLE_BY_LABEL = {DOMESTIC_TOTAL: Role.DOMESTIC_TOTAL, FOREIGN_TOTAL: Role.FOREIGN_TOTAL, GRAND_TOTAL: Role.GRAND_TOTAL}


@dataclass
class TableRow:
    label: str
    values: dict[tuple[int, str], int] = field(default_factory=dict)
    row: int | None = None
    columns: dict[tuple[int, str], str] = field(default_factory=dict)
    role: str = Role.ENTITY
    entity: object = None  # a Region or Country once resolved
    unreadable: set[tuple[int, str]] = field(default_factory=set)  # cells already reported by the reader
    label_column: str | None = None  # where the region or country name was read
    sheet: str = ""  # where the row was read, when a table continues from one sheet to the next

    def location(self, sheet: str, key: tuple[int, str] | None = None) -> Location:
        """The row, and the cell of ``key`` (or of the name, when the problem is about the row's entity)."""
        return Location(self.sheet or sheet, self.row, self.columns.get(key) if key else self.label_column)

    @property
    def is_total(self) -> bool:
        return self.role != Role.ENTITY

    @property
    def name(self) -> str:
        return str(self.entity) if self.entity is not None else self.label


@dataclass
class TableData:
    table: AppendixTable
    years: list[int]
    rows: list[TableRow] = field(default_factory=list)
    sheet: str = ""

    def totals(self, role: str) -> TableRow | None:
        return next((row for row in self.rows if row.role == role), None)

    def entity_rows(self) -> list[TableRow]:
        return [row for row in self.rows if row.role == Role.ENTITY and row.entity is not None]


def role_of(label: str) -> str:
    return ROLE_BY_LABEL.get(label, Role.ENTITY)


__all__ = ["DOMESTIC_TOTAL", "FOREIGN_TOTAL", "GRAND_TOTAL", "Location", "Problem", "Role", "TableData", "TableRow"]
