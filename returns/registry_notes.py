"""Whether a return's pre-filled registry count (表4 No. 13 centres, No. 14 platforms) comes from an incomplete
registry, and what headquarters decided such a count is worth.

The registry holds the institutions the reports name, and the published national totals beside them
(``protection.services.reconciliation``). While the named entries fall short of the published total for a year, a
province's count may be too low (广东 read 0 national protection centres), and nobody can say which province misses
entries: so for that year every region's count is marked, with the registry's and the published national figures.

``settings.RETURNS_INCOMPLETE_REGISTRY`` is headquarters' choice (environment variable of the same name):
``"count"`` (the default) pre-fills the registry's count anyway, marked; ``"empty"`` leaves the value empty, so a
return never states a count the registry cannot vouch for.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from statistics.models import Source

COUNT, EMPTY = "count", "empty"

# The registry's national reconciliation, given by the registry app (``protection``) from its ``AppConfig.ready()``:
# ``reconciliation(year, what)`` with ``.total.registry``, ``.total.published`` and ``.total.gap``. The returns app
# never imports that app (as ``sources.register_registry_count``).
_RECONCILIATION: dict[str, Callable] = {}


def register_reconciliation(reconciliation: Callable) -> None:
    _RECONCILIATION["national"] = reconciliation


@dataclass(frozen=True)
class RegistryGap:
    """The registry knows ``registry`` entries nationally where the report publishes ``published``."""

    what: str
    registry: int
    published: Decimal

    @property
    def missing(self) -> int:
        return int(self.published) - self.registry


def counts_when_incomplete() -> bool:
    """Headquarters' choice: pre-fill a count from an incomplete registry (marked), or leave it empty."""
    return getattr(settings, "RETURNS_INCOMPLETE_REGISTRY", COUNT) != EMPTY


def registry_gap(year: int, what: str) -> RegistryGap | None:
    """The national shortfall of the registry's ``what`` ("centres", "platforms") at the end of ``year``, or None
    when the registry holds the published total (or no registry app is installed, or nothing is published)."""
    reconciliation = _RECONCILIATION.get("national")
    if reconciliation is None or what not in ("centres", "platforms"):
        return None
    total = reconciliation(year, what).total
    if total.gap is None or total.gap <= 0:
        return None
    return RegistryGap(what, total.registry, total.published)


def incomplete_rows(year: int, indicators) -> dict:
    """Indicator code → ``RegistryGap`` for each registry-filled indicator whose registry is incomplete in ``year``
    (a fixed number of queries per registry, whatever the number of rows)."""
    gaps = {}
    found = {}
    for indicator in indicators:
        if indicator.source != Source.REGISTRY:
            continue
        what = indicator.source_detail
        if what not in found:
            found[what] = registry_gap(year, what)
        if found[what] is not None:
            gaps[indicator.code] = found[what]
    return gaps


def mark_rows(sheet, year: int) -> None:
    """Set ``registry_gap`` (a ``RegistryGap`` or None) on every row of ``sheet``, for the pages' mark and note."""
    gaps = incomplete_rows(year, [row.indicator for row in sheet.rows])
    for row in sheet.rows:
        row.registry_gap = gaps.get(row.code)
