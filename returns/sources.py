"""Values of a return that the officer does not type: they come from the approved national statistics (the
appendix tables) or from the approved protection registry.
"""

from collections.abc import Callable
from decimal import Decimal

from statistics.appendix import measure_of
from statistics.models import Source

from .registry_notes import counts_when_incomplete, registry_gap


def national_values(region, year, details) -> dict[str, Decimal | None]:
    """The appendix figures named by ``details``, measure names (``statistics.appendix.measure_name``: ``7.in_force``,
    ``5.total``), by name; one query per figures model, however many measures a return pre-fills."""
    wanted: dict = {}
    for detail in details:
        table, column = measure_of(detail)
        wanted.setdefault(table.region_model, []).append((detail, table, column))
    values: dict[str, Decimal | None] = {}
    for model, measures in wanted.items():
        rows = {getattr(row, "measure", None): row for row in model.objects.filter(region=region, year=year)}
        for detail, table, column in measures:
            row = rows.get(table.measure or None)
            value = None if row is None else row.total if column.derived else getattr(row, column.field)
            values[detail] = None if value is None else Decimal(value)
    return values


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
    national = [indicator for indicator in indicators if indicator.source == Source.NATIONAL_STATISTICS]
    held = national_values(region, year, {indicator.source_detail for indicator in national})
    values = {indicator.pk: held[indicator.source_detail] for indicator in national}
    for indicator in indicators:
        if indicator.source == Source.REGISTRY:
            values[indicator.pk] = registry_value(region, year, indicator.source_detail)
    return values
