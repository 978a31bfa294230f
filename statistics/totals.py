"""The domestic, foreign and grand totals of tables 1–12, added up in one place from the table declarations.

* The domestic total is the sum of the 34 province-level rows: sub-provincial cities and the XPCC are "of which"
  rows, already counted in their province.
* The foreign total is the sum of the country rows (tables 2, 4, 6, 8, and the foreign block of tables 9–12).
* The grand total is domestic plus foreign, where both blocks hold the year.

Totals are keyed by the measure's one name (``appendix.measure_name``: ``1.total``, ``7.in_force``,
``9.gi_products``) and the year. Reading them costs one grouped query per figures model (six), whatever the number
of regions, countries or measures. ``selectors.national_totals`` is the entry point for the other apps.
"""

from dataclasses import dataclass, field

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


def _block_sums(model, years) -> dict[tuple[int, str | None], dict[str, int]]:
    """{(year, measure): {column: sum}} over the rows that count in a block total (one query)."""
    rows = model.objects.all()
    if years is not None:
        rows = rows.filter(year__in=list(years))
    if model.entity_field == "region":
        rows = rows.filter(region__level=Region.Level.PROVINCE)
    keys = ["year", "measure"] if model.has_measure() else ["year"]
    return {(row.pop("year"), row.pop("measure", None)): row for row in rows.total_sums(*keys)}


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
    """The totals of every measure for ``years`` (every year when None), from one grouped query per figures model
    (six); ``tables`` (numbers) reads only those tables' models."""
    totals = Totals()
    for model, blocks in _tables_by_model(tables).items():
        for (year, measure), sums in _block_sums(model, years).items():
            for block, by_measure in blocks.items():
                target = totals.domestic if block == DOMESTIC else totals.foreign
                for column, name in by_measure.get(measure, ()):
                    target.setdefault(name, {})[year] = sums[column] or 0
    return totals


def national_totals(year: int, tables=None) -> Totals:
    """The totals of ``year`` and the year before (what the overview compares), of every table or of ``tables``."""
    return appendix_totals([year - 1, year], tables)
