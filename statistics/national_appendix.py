"""National series that the appendix already holds: their values are derived from tables 1–12, never stored twice.

A series names its appendix measure by the domestic table (1, 3, 5, 7, or one of 9–12), the column code of
``appendix.py`` (``invention``, ``total``, ``registrations``, ``value`` …) and the scope (domestic, foreign or grand
total). Domestic totals are the sum of the 34 province-level rows (cities and the XPCC are "of which" rows); the
foreign total is the sum of the country rows; the grand total is both. For tables 1–8 the foreign rows are in the
next table (2 for 1, 4 for 3 …); tables 9–12 hold both blocks.

The prose prints these totals in its own unit (97.2 万件); ``UNIT_SCALE`` says how many appendix units (件) one
prose unit is.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from .appendix import TABLES, measure_name
from .totals import appendix_totals

UNIT_SCALE = {"件": Decimal(1), "个": Decimal(1), "万件": Decimal(10000), "万个": Decimal(10000)}
DOMESTIC_TABLES = (1, 3, 5, 7, 9, 10, 11, 12)


def appendix_problem(series) -> str | None:
    """Why the series' appendix link cannot be read, or None (also None when it has no link)."""
    if not series.appendix_relation and not series.appendix_table:
        return None
    if series.appendix_table not in DOMESTIC_TABLES:
        return _("Name the domestic appendix table (1, 3, 5, 7 or 9–12), not %(table)s.") % {
            "table": series.appendix_table
        }
    codes = {column.code for column in TABLES[series.appendix_table].columns}
    if series.appendix_column not in codes:
        return _("Table %(table)s has no column “%(column)s”; it has %(columns)s.") % {
            "table": series.appendix_table,
            "column": series.appendix_column,
            "columns": ", ".join(sorted(codes)),
        }
    if not series.appendix_scope or not series.appendix_relation:
        return _("Say the appendix scope (domestic, foreign or grand total) and how the series relates to it.")
    if series.unit not in UNIT_SCALE:
        return _("The unit %(unit)s cannot be compared with the appendix's 件.") % {"unit": series.unit}
    return None


class AppendixTotals:
    """The appendix totals a page of national figures asks for, read once (``totals.appendix_totals``: one
    statement, whatever the number of figures) and kept."""

    def __init__(self):
        self._totals = None
        self._years: set[int] = set()
        self._wanted: set[int] = set()

    def want(self, years) -> None:
        """Read the totals of ``years`` (a page's years and the years before) in the same statement."""
        self._wanted |= set(years)

    def count(self, table_number: int, column_code: str, scope: str, year: int) -> int | None:
        """The appendix total in 件 for the measure, scope and year; None when the appendix lacks that year."""
        if self._totals is None or year not in self._years:
            self._years = self._wanted | self._years | {year, year - 1}
            self._totals = appendix_totals(sorted(self._years))
        return self._totals.value(measure_name(table_number, column_code), scope, year)

    def value(self, series, year: int) -> Decimal | None:
        """The series' value for ``year`` in its own unit: the total (HELD) or its change over the year (DIFFERENCE)."""
        if not series.appendix_relation or appendix_problem(series):
            return None
        count = self.count(series.appendix_table, series.appendix_column, series.appendix_scope, year)
        if count is None:
            return None
        if series.appendix_relation == "difference":
            previous = self.count(series.appendix_table, series.appendix_column, series.appendix_scope, year - 1)
            if previous is None:
                return None
            count -= previous
        return Decimal(count) / UNIT_SCALE[series.unit]


def appendix_value(series, year: int) -> Decimal | None:
    """One series' appendix value (a fresh read); pages use one ``AppendixTotals`` for all their figures."""
    return AppendixTotals().value(series, year)


def appendix_reference(series) -> str:
    """表 3+4 发明 (grand total) — the measure a person looks up in the appendix."""
    if not series.appendix_relation:
        return ""
    table = TABLES[series.appendix_table]
    tables = str(table.number)
    if series.appendix_scope == "grand" and not table.has_foreign:
        tables = f"{table.number}+{table.number + 1}"
    elif series.appendix_scope == "foreign" and not table.has_foreign:
        tables = str(table.number + 1)
    label = next(column.label for column in table.columns if column.code == series.appendix_column)
    scope = {"domestic": "国内总计", "foreign": "国外在华总计", "grand": "合计"}[series.appendix_scope]
    return f"表 {tables} {label}（{scope}）"
