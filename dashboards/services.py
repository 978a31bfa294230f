"""The figure queries behind the public dashboards.

Every function here reads a fixed number of queries whatever the number of regions or countries: figures are read
with ``values()`` (one row per entity, year and measure) or summed in the database, and never looked up row by row.
Totals and changes are derived here, as the statistics app derives them: nothing is stored twice.

Figures are keyed by a short string that names the measure and the column, the same for national totals, a region
and a country:

* patents (tables 1–6): ``"<measure>.<kind>"``, e.g. ``"filed.invention"``, ``"in_force.total"``;
* trademarks (tables 7–8): ``"trademarks.<field>"``, e.g. ``"trademarks.applications"``;
* single counts (tables 9–12): the measure, e.g. ``"gi_products"``.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Sum

from statistics.models import (
    CountMeasure,
    Country,
    CountryCountFigure,
    CountryPatentFigure,
    CountryTrademarkFigure,
    PatentMeasure,
    Region,
    RegionCountFigure,
    RegionPatentFigure,
    RegionTrademarkFigure,
)

PATENT_KINDS = ("invention", "utility_model", "design")
PATENT_COLUMNS = ("total", *PATENT_KINDS)
PATENT_MEASURES = tuple(PatentMeasure.values)
TRADEMARK_FIELDS = ("applications", "registrations", "in_force")
COUNT_MEASURES = tuple(CountMeasure.values)

# {key: {year: value}}
Values = dict[str, dict[int, int]]


def patent_key(measure: str, kind: str) -> str:
    return f"{measure}.{kind}"


def trademark_key(field: str) -> str:
    return f"trademarks.{field}"


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
# Adding rows up
# ---------------------------------------------------------------------------------------------------------------


def _add(values: Values, key: str, year: int, value: int | None) -> None:
    if value is None:
        return
    by_year = values.setdefault(key, {})
    by_year[year] = by_year.get(year, 0) + value


def _add_patent_row(values: Values, row: dict) -> None:
    parts = [row[kind] for kind in PATENT_KINDS]
    for kind, value in zip(PATENT_KINDS, parts, strict=True):
        _add(values, patent_key(row["measure"], kind), row["year"], value)
    if all(part is not None for part in parts):
        _add(values, patent_key(row["measure"], "total"), row["year"], sum(parts))


def _add_trademark_row(values: Values, row: dict) -> None:
    for field in TRADEMARK_FIELDS:
        _add(values, trademark_key(field), row["year"], row[field])


def _add_count_row(values: Values, row: dict) -> None:
    _add(values, row["measure"], row["year"], row["value"])


def _years(year: int) -> list[int]:
    return [year - 1, year]


# ---------------------------------------------------------------------------------------------------------------
# National totals
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class NationalFigures:
    """The domestic, foreign and grand totals of every table for a year and the year before."""

    year: int
    domestic: Values
    foreign: Values

    @property
    def total(self) -> Values:
        """Domestic plus foreign, as the report's 合计 row (tables 1–6 print the two blocks as separate tables)."""
        combined: Values = {}
        for block in (self.domestic, self.foreign):
            for key, by_year in block.items():
                for year, value in by_year.items():
                    _add(combined, key, year, value)
        return combined

    def change(self, key: str, scope: str = "total") -> Change:
        return change(getattr(self, scope), key, self.year)


def _patent_sums(model, years, **filters) -> Values:
    values: Values = {}
    rows = (
        model.objects.filter(year__in=years, **filters)
        .order_by()
        .values("year", "measure")
        .annotate(**{kind: Sum(kind) for kind in PATENT_KINDS})
    )
    for row in rows:
        _add_patent_row(values, row)
    return values


def _trademark_sums(model, years, **filters) -> Values:
    values: Values = {}
    rows = (
        model.objects.filter(year__in=years, **filters)
        .order_by()
        .values("year")
        .annotate(**{field: Sum(field) for field in TRADEMARK_FIELDS})
    )
    for row in rows:
        _add_trademark_row(values, row)
    return values


def _count_sums(model, years, **filters) -> Values:
    values: Values = {}
    rows = (
        model.objects.filter(year__in=years, **filters)
        .order_by()
        .values("year", "measure")
        .annotate(value=Sum("value"))
    )
    for row in rows:
        _add_count_row(values, row)
    return values


def national_figures(year: int) -> NationalFigures:
    """Six queries: the domestic total adds up the 34 province-level rows only (city and XPCC rows are "of which")."""
    years = _years(year)
    provinces = {"region__level": Region.Level.PROVINCE}
    domestic: Values = {}
    foreign: Values = {}
    domestic |= _patent_sums(RegionPatentFigure, years, **provinces)
    domestic |= _trademark_sums(RegionTrademarkFigure, years, **provinces)
    domestic |= _count_sums(RegionCountFigure, years, **provinces)
    foreign |= _patent_sums(CountryPatentFigure, years)
    foreign |= _trademark_sums(CountryTrademarkFigure, years)
    foreign |= _count_sums(CountryCountFigure, years)
    return NationalFigures(year, domestic, foreign)


def foreign_patent_totals(year: int) -> Values:
    """The foreign totals of tables 2, 4 and 6 (one query)."""
    return _patent_sums(CountryPatentFigure, _years(year))


# ---------------------------------------------------------------------------------------------------------------
# One region
# ---------------------------------------------------------------------------------------------------------------


def region_figures(region: Region, year: int) -> Values:
    """All of a region's figures for ``year`` and the year before (three queries)."""
    years = _years(year)
    values: Values = {}
    for row in RegionPatentFigure.objects.filter(region=region, year__in=years).values(
        "year", "measure", *PATENT_KINDS
    ):
        _add_patent_row(values, row)
    for row in RegionTrademarkFigure.objects.filter(region=region, year__in=years).values("year", *TRADEMARK_FIELDS):
        _add_trademark_row(values, row)
    for row in RegionCountFigure.objects.filter(region=region, year__in=years).values("year", "measure", "value"):
        _add_count_row(values, row)
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


def _entity_values(model, entity_field: str, years, key: str, **filters) -> dict[int, Values]:
    """{entity id: {key: {year: value}}} for the measure of ``key``, in one query."""
    family = key.partition(".")[0]
    queryset = model.objects.filter(year__in=years, **filters).order_by()
    per_entity: dict[int, Values] = defaultdict(dict)
    if family in PATENT_MEASURES:
        rows = queryset.filter(measure=family).values(f"{entity_field}_id", "year", "measure", *PATENT_KINDS)
        add = _add_patent_row
    elif family == "trademarks":
        rows = queryset.values(f"{entity_field}_id", "year", *TRADEMARK_FIELDS)
        add = _add_trademark_row
    elif family in COUNT_MEASURES:
        rows = queryset.filter(measure=family).values(f"{entity_field}_id", "year", "measure", "value")
        add = _add_count_row
    else:
        raise ValueError(f"unknown figure key {key!r}")
    for row in rows:
        add(per_entity[row[f"{entity_field}_id"]], row)
    return per_entity


def _model_for(key: str, domestic: bool):
    family = key.partition(".")[0]
    if family in PATENT_MEASURES:
        return RegionPatentFigure if domestic else CountryPatentFigure
    if family == "trademarks":
        return RegionTrademarkFigure if domestic else CountryTrademarkFigure
    return RegionCountFigure if domestic else CountryCountFigure


def provinces_ranked(key: str, year: int) -> list[Ranked]:
    """Every province-level division with its figure for ``key`` (two queries), largest first."""
    years = _years(year)
    regions = list(Region.objects.province_level())
    per_region = _entity_values(_model_for(key, True), "region", years, key, region__level=Region.Level.PROVINCE)
    return rank([Ranked(region, change(per_region.get(region.pk, {}), key, year)) for region in regions])


def countries_ranked(key: str, year: int) -> list[Ranked]:
    """Countries (not "other", not joint holders) with a figure for ``key`` in either year, largest first.

    "其他" and joint holders are rows of the table but not countries of origin, so they are not ranked; they still
    count in the foreign total.
    """
    years = _years(year)
    per_country = _entity_values(_model_for(key, False), "country", years, key, country__kind=Country.Kind.COUNTRY)
    countries = Country.objects.in_bulk(list(per_country))
    return rank(
        [Ranked(countries[pk], change(values, key, year)) for pk, values in per_country.items() if pk in countries]
    )
