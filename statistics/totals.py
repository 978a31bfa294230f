"""The domestic, foreign and grand totals of tables 1–12, added up in one place from the table declarations.

* The domestic total is the sum of the 34 province-level rows: sub-provincial cities and the XPCC are "of which"
  rows, already counted in their province.
* The foreign total is the sum of the country rows (tables 2, 4, 6, 8, and the foreign block of tables 9–12).
* The grand total is domestic plus foreign, where both blocks hold the year.

Totals are keyed by the measure's one name (``appendix.measure_name``: ``1.total``, ``7.in_force``,
``9.gi_products``) and the year. Reading them costs one statement (the six figures models' grouped sums side by
side), whatever the number of regions, countries or measures. ``selectors.national_totals`` is the entry point for
the other apps.
"""

from dataclasses import dataclass, field

from django.db import connections

from .appendix import TABLES, measure_name
from .models import Region

DOMESTIC, FOREIGN, GRAND = "domestic", "foreign", "grand"
SCOPES = (DOMESTIC, FOREIGN, GRAND)

# {measure name: {year: value}}
Values = dict[str, dict[int, int]]


@dataclass
class Totals:
    """The national totals of every measure, per scope; ``grand`` is derived from the two blocks."""

    domestic: Values = field(default_factory=dict)
    foreign: Values = field(default_factory=dict)

    @property
    def grand(self) -> Values:
        combined: Values = {}
        for name, by_year in self.domestic.items():
            foreign = self.foreign.get(name, {})
            years = by_year.keys() & foreign.keys()
            if years:
                combined[name] = {year: by_year[year] + foreign[year] for year in years}
        return combined

    def scope(self, scope: str) -> Values:
        if scope == GRAND:  # derived: built only when asked for (``value`` asks for a block on every call)
            return self.grand
        return {DOMESTIC: self.domestic, FOREIGN: self.foreign}[scope]

    def value(self, name: str, scope: str, year: int) -> int | None:
        """The total of measure ``name`` in ``scope`` for ``year``; None when the appendix lacks it."""
        if scope == GRAND:
            domestic, foreign = self.value(name, DOMESTIC, year), self.value(name, FOREIGN, year)
            return None if domestic is None or foreign is None else domestic + foreign
        return self.scope(scope).get(name, {}).get(year)


def _grouped(model, years):
    """The sums of every value column (and of the row total) per year and measure, over the rows that count in a
    block total."""
    rows = model.objects.all()
    if years is not None:
        rows = rows.filter(year__in=list(years))
    if model.entity_field == "region":
        rows = rows.filter(region__level=Region.Level.PROVINCE)
    keys = ["year", "measure"] if model.has_measure() else ["year"]
    return rows.total_sums(*keys)


def _block_sums(models, years) -> dict:
    """{model: {(year, measure): {column: sum}}} for every model, in one statement.

    Each model's grouped query is compiled by the ORM and the six are read side by side with ``UNION ALL``: one
    round trip instead of six, on every page and API list that shows a total. Each part carries its model's index,
    its year, its measure (NULL where the model has none) and its sums, padded to the widest with NULLs; the pads
    and sums are cast, so that every part's columns have the same types (PostgreSQL types a bare NULL as text)."""
    if not models:
        return {}
    querysets = [_grouped(model, years) for model in models]
    alias = querysets[0].db  # reads of published figures may go to a replica (core.replicas)
    connection = connections[alias]
    quote = connection.ops.quote_name
    width = max(len(queryset.query.annotation_select) for queryset in querysets)
    parts, params, columns = [], [], []
    for index, queryset in enumerate(querysets):
        sql, part_params = queryset.query.get_compiler(using=alias).as_sql()
        sums = list(queryset.query.annotation_select)
        measure = quote("measure") if "measure" in queryset.query.values_select else "CAST(NULL AS TEXT)"
        selected = [f"CAST({quote(name)} AS NUMERIC)" for name in sums]
        selected += ["CAST(NULL AS NUMERIC)"] * (width - len(sums))
        parts.append(f"SELECT {index}, {quote('year')}, {measure}, {', '.join(selected)} FROM ({sql}) AS part{index}")
        params.extend(part_params)
        columns.append(sums)
    result: dict = {model: {} for model in models}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for index, year, measure, *values in cursor.fetchall():
            sums = {name: int(value or 0) for name, value in zip(columns[index], values, strict=False)}
            result[models[index]][(year, measure)] = sums
    return result


def _tables_by_model(tables) -> dict:
    """{model: [(block, {measure: [(column, measure name)]})]}: where each stored row's sums go, worked out once."""
    layout: dict = {}
    for table in TABLES.values():
        if tables is not None and table.number not in tables:
            continue
        columns = [(column.field or column.code, measure_name(table, column.code)) for column in table.columns]
        for model, block in ((table.region_model, DOMESTIC), (table.country_model, FOREIGN)):
            if model is not None:
                layout.setdefault(model, {}).setdefault(block, {})[table.measure] = columns
    return layout


def appendix_totals(years=None, tables=None) -> Totals:
    """The totals of every measure for ``years`` (every year when None), from one statement (``_block_sums``);
    ``tables`` (numbers) reads only those tables' models."""
    totals = Totals()
    layout = _tables_by_model(tables)
    for model, sums_by_key in _block_sums(list(layout), years).items():
        for (year, measure), sums in sums_by_key.items():
            for block, by_measure in layout[model].items():
                target = totals.domestic if block == DOMESTIC else totals.foreign
                for column, name in by_measure.get(measure, ()):
                    target.setdefault(name, {})[year] = sums[column]
    return totals


def national_totals(year: int, tables=None) -> Totals:
    """The totals of ``year`` and the year before (what the overview compares), of every table or of ``tables``."""
    return appendix_totals([year - 1, year], tables)
