"""Values of a return that the officer does not type: they come from the approved national statistics (the
appendix tables) or from the approved protection registry.
"""

from collections.abc import Callable
from decimal import Decimal

from statistics.appendix import measure_of
from statistics.models import Source

from .registry_notes import counts_when_incomplete, registry_gap


def national_value(region, year, detail: str) -> Decimal | None:
    """The appendix figure named by ``detail``, a measure name (``statistics.appendix.measure_name``: ``7.in_force``,
    ``5.total``)."""
    table, column = measure_of(detail)
    rows = table.region_model.objects.filter(region=region, year=year)
    if table.measure:
        rows = rows.filter(measure=table.measure)
    row = rows.first()
    if row is None:
        return None
    value = row.total if column.derived else getattr(row, column.field)
    return None if value is None else Decimal(value)


# The registry's count, given by the app that keeps the registry (``protection``) from its ``AppConfig.ready()``:
# ``count(region, year, detail) -> int | None``. The returns app never imports that app.
_REGISTRY: dict[str, Callable] = {}


def register_registry_count(count: Callable) -> None:
    """Called by the registry app once, at start-up: where pre-filled registry indicators get their values."""
    _REGISTRY["count"] = count


def registry_value(region, year, detail: str) -> Decimal | None:
    """The number of approved registry entries of kind ``detail`` operating at the end of ``year`` in ``region``;
    None when the registry has nothing for them, or when no registry app is installed."""
    count_of = _REGISTRY.get("count")
    if count_of is None:
        return None
    count = count_of(region, year, detail)
    if count is not None and not counts_when_incomplete() and registry_gap(year, detail) is not None:
        return None  # headquarters' choice: no count from an incomplete registry (registry_notes)
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
