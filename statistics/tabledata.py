"""A table in the report's shape, held in memory between a source (file, fixture, database) and its checks.

Rows keep their printed labels and, where they came from a file, where they were found, so that every problem
can point an officer at a sheet, a row and a column.
"""

from dataclasses import dataclass, field

from core.problems import Location

from .appendix import DOMESTIC_TOTAL, FOREIGN_TOTAL, GRAND_TOTAL, AppendixTable


class RowKind:
    """What a row of a table is: one region's or country's figures, or one of the printed totals. (Not a user's
    role: that is ``review.roles.Role``.)"""

    ENTITY = "entity"
    DOMESTIC_TOTAL = "domestic_total"
    FOREIGN_TOTAL = "foreign_total"
    GRAND_TOTAL = "grand_total"


ROW_KIND_BY_LABEL = {
    DOMESTIC_TOTAL: RowKind.DOMESTIC_TOTAL,
    FOREIGN_TOTAL: RowKind.FOREIGN_TOTAL,
    GRAND_TOTAL: RowKind.GRAND_TOTAL,
}


@dataclass
class TableRow:
    label: str
    values: dict[tuple[int, str], int] = field(default_factory=dict)
    row: int | None = None
    columns: dict[tuple[int, str], str] = field(default_factory=dict)
    role: str = RowKind.ENTITY
    entity: object = None  # a Region or Country once resolved
    unreadable: set[tuple[int, str]] = field(default_factory=set)  # cells already reported by the reader
    label_column: str | None = None  # where the region or country name was read
    sheet: str = ""  # where the row was read, when a table continues from one sheet to the next

    def location(self, sheet: str, key: tuple[int, str] | None = None) -> Location:
        """The row, and the cell of ``key`` (or of the name, when the problem is about the row's entity)."""
        return Location(self.sheet or sheet, self.row, self.columns.get(key) if key else self.label_column)

    @property
    def is_total(self) -> bool:
        return self.role != RowKind.ENTITY

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
        return [row for row in self.rows if row.role == RowKind.ENTITY and row.entity is not None]


def role_of(label: str) -> str:
    return ROW_KIND_BY_LABEL.get(label, RowKind.ENTITY)


__all__ = ["DOMESTIC_TOTAL", "FOREIGN_TOTAL", "GRAND_TOTAL", "RowKind", "TableData", "TableRow"]
