"""Values of a return that the officer does not type: they come from the approved national statistics (the
appendix tables) or from the approved protection registry.
"""

from decimal import Decimal

from statistics.appendix import TABLES
from statistics.models import Source


def national_value(region, year, detail: str) -> Decimal | None:
    """The appendix figure named by ``detail`` (``table.column``, e.g. ``7.in_force`` or ``5.total``)."""
    table_number, column_code = detail.split(".")
    table = TABLES[int(table_number)]
    columns = {column.code: column for column in table.columns}
    column = columns.get(column_code) or columns.get("total" if column_code == table.measure else "")
    if column is None:
        raise ValueError(f"table {table_number} has no column {column_code!r}")
    rows = table.region_model.objects.filter(region=region, year=year)
    if table.measure:
        rows = rows.filter(measure=table.measure)
    row = rows.first()
    if row is None:
        return None
    value = row.total if column.derived else getattr(row, column.field)
    return None if value is None else Decimal(value)


def registry_value(region, year, detail: str) -> Decimal | None:
    """The number of approved registry entries of kind ``detail`` operating at the end of ``year`` in ``region``."""
    try:
        from protection.services import operating_count
    except ImportError:  # the registry is not installed
        return None
    count = operating_count(region, year, detail)
    return None if count is None else Decimal(count)


def prefilled_values(region, year, indicators) -> dict:
    """Indicator id → the value headquarters holds (or None) for every pre-filled indicator among ``indicators``."""
    values = {}
    for indicator in indicators:
        if indicator.source == Source.NATIONAL_STATISTICS:
            values[indicator.pk] = national_value(region, year, indicator.source_detail)
        elif indicator.source == Source.REGISTRY:
            values[indicator.pk] = registry_value(region, year, indicator.source_detail)
    return values
