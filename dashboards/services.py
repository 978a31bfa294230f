"""The figure queries behind the public dashboards.

Every function here reads a fixed number of queries whatever the number of regions or countries: figures are read
with ``values()`` (one row per entity, year and measure) or summed in the database, and never looked up row by row.
Row totals come from ``Figure.with_total()`` and national totals from ``statistics.selectors.national_totals``:
nothing is added up here, and nothing is stored twice.

Figures are keyed by the measure's one name (``statistics.appendix.measure_name``), the same for national totals,
a region and a country: ``"<domestic table>.<column>"``, e.g. ``"1.total"``, ``"3.invention"``,
``"7.registrations"``, ``"9.gi_products"``.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F

from statistics.appendix import TABLES, measure_name, measure_of
from statistics.models import Country, Region, RegionCountFigure, RegionPatentFigure, RegionTrademarkFigure
from statistics.totals import Values

PATENT_TABLES = {table.measure: table.number for table in TABLES.values() if table.has_domestic and table.has_total}
PATENT_MEASURES = tuple(PATENT_TABLES)
PATENT_KINDS = tuple(column.code for column in TABLES[1].stored_columns)
PATENT_COLUMNS = tuple(column.code for column in TABLES[1].columns)
TRADEMARK_FIELDS = tuple(column.code for column in TABLES[7].columns)
COUNT_NAMES = {
    table.measure: measure_name(table, table.measure) for table in TABLES.values() if table.measure_over_years
}


@dataclass(frozen=True)
class Change:
    """A figure for a year beside the previous year's; the difference is derived, never stored."""

    current: int | None
    previous: int | None

    @property
    def delta(self) -> int | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def percent(self) -> float | None:
        """The change in percent of the previous year, to one decimal; None when there is nothing to compare."""
        if self.delta is None or not self.previous:
            return None
        return round(self.delta * 100 / self.previous, 1)


def change(values: Values, key: str, year: int) -> Change:
    by_year = values.get(key, {})
    return Change(by_year.get(year), by_year.get(year - 1))


# ---------------------------------------------------------------------------------------------------------------
# Years
# ---------------------------------------------------------------------------------------------------------------


def available_years() -> list[int]:
    """Every year holding domestic figures, newest first (one query)."""
    years = (
        RegionPatentFigure.objects.order_by()
        .values_list("year", flat=True)
        .union(RegionTrademarkFigure.objects.order_by().values_list("year", flat=True))
        .union(RegionCountFigure.objects.order_by().values_list("year", flat=True))
    )
    return sorted(set(years), reverse=True)


# ---------------------------------------------------------------------------------------------------------------
# One region
# ---------------------------------------------------------------------------------------------------------------


def _add(values: Values, name: str, year: int, value: int | None) -> None:
    if value is not None:
        values.setdefault(name, {})[year] = value


def _tables_of(model) -> dict:
    """{measure (None for trademarks): table} of the tables whose rows ``model`` holds."""
    return {table.measure: table for table in TABLES.values() if model in (table.region_model, table.country_model)}


def region_figures(region: Region, year: int) -> Values:
    """All of a region's figures for ``year`` and the year before, with row totals (three queries)."""
    values: Values = {}
    for model in (RegionPatentFigure, RegionTrademarkFigure, RegionCountFigure):
        tables = _tables_of(model)
        for row in model.objects.filter(region=region, year__in=[year - 1, year]).with_total().values():
            table = tables[row.get("measure")]
            for column in table.columns:
                _add(values, measure_name(table, column.code), row["year"], row[column.field or column.code])
    return values


# ---------------------------------------------------------------------------------------------------------------
# One measure across entities (the map and the foreign origins)
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Ranked:
    """One entity's figure for a year and the year before, with its rank (1 = largest) among the entities shown."""

    entity: object
    change: Change
    rank: int | None = None


def rank(entries: list[Ranked]) -> list[Ranked]:
    """Largest current value first; entities without a value last. Equal values share a rank (1, 2, 2, 4)."""
    ordered = sorted(entries, key=lambda entry: (entry.change.current is None, -(entry.change.current or 0)))
    previous_value, previous_rank = None, 0
    for position, entry in enumerate(ordered, start=1):
        if entry.change.current is None:
            entry.rank = None
            continue
        if entry.change.current != previous_value:
            previous_value, previous_rank = entry.change.current, position
        entry.rank = previous_rank
    return ordered


def _entity_values(name: str, domestic: bool, years, **filters) -> dict[int, Values]:
    """{entity id: {name: {year: value}}} for the measure ``name``, in one query."""
    table, column = measure_of(name)
    model = table.region_model if domestic else TABLES[table.foreign_number].country_model
    entity_id = f"{model.entity_field}_id"
    rows = model.objects.filter(year__in=years, **filters).order_by().with_total()
    if table.measure:
        rows = rows.filter(measure=table.measure)
    per_entity: dict[int, Values] = defaultdict(dict)
    for row in rows.values(entity_id, "year", figure=F(column.field or column.code)):
        _add(per_entity[row[entity_id]], name, row["year"], row["figure"])
    return per_entity


def provinces_ranked(key: str, year: int) -> list[Ranked]:
    """Every province-level division with its figure for ``key`` (two queries), largest first."""
    regions = list(Region.objects.province_level())
    per_region = _entity_values(key, True, [year - 1, year], region__level=Region.Level.PROVINCE)
    return rank([Ranked(region, change(per_region.get(region.pk, {}), key, year)) for region in regions])


def countries_ranked(key: str, year: int) -> list[Ranked]:
    """Countries (not "other", not joint holders) with a figure for ``key`` in either year, largest first.

    "其他" and joint holders are rows of the table but not countries of origin, so they are not ranked; they still
    count in the foreign total.
    """
    per_country = _entity_values(key, False, [year - 1, year], country__kind=Country.Kind.COUNTRY)
    countries = Country.objects.in_bulk(list(per_country))
    return rank(
        [Ranked(countries[pk], change(values, key, year)) for pk, values in per_country.items() if pk in countries]
    )
