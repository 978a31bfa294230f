"""What an appendix import would change, value by value: before → after, for the preview.

The dry run (``imports.import_appendix(..., dry_run=True)``) rolls its writes back, so after it the database still
holds the values before; the parsed tables hold the values after. This compares the two for every stored cell of
every row that already exists (new rows are counted by the preview, not listed). One query per table and kind of
entity, whatever the number of rows.
"""

from dataclasses import dataclass

from .models import Region
from .tabledata import TableData

# The preview lists at most this many changed values (the count says how many there are).
LISTED = 500


@dataclass(frozen=True)
class ValueChange:
    table: str
    entity: str
    year: int
    column: str
    before: object
    after: object


@dataclass
class ImportChanges:
    changes: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.changes)


def appendix_changes(tables: list[TableData], listed: int = LISTED) -> ImportChanges:
    changes, total = [], 0
    for data in tables:
        for change in _table_changes(data):
            total += 1
            if len(changes) < listed:
                changes.append(change)
    return ImportChanges(changes, total)


def _table_changes(data: TableData):
    table = data.table
    rows_by_model = {}
    for row in data.entity_rows():
        model = table.region_model if isinstance(row.entity, Region) else table.country_model
        rows_by_model.setdefault(model, []).append(row)
    for model, rows in rows_by_model.items():
        entity_id = f"{model.entity_field}_id"
        stored = {
            (getattr(figure, entity_id), figure.year): figure
            for figure in table.queryset(model, set(data.years)).filter(
                **{f"{entity_id}__in": {row.entity.pk for row in rows}}
            )
        }
        for row in rows:
            for year in data.years:
                figure = stored.get((row.entity.pk, year))
                if figure is None:
                    continue
                for column in table.stored_columns:
                    if (year, column.code) not in row.values:
                        continue
                    before, after = getattr(figure, column.field), row.values[(year, column.code)]
                    if before != after:
                        yield ValueChange(table.heading_short, row.name, year, column.label, before, after)
