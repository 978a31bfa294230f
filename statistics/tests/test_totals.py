"""Totals and measure names are derived in one place (``totals.py``, ``Figure.with_total``, ``appendix.measure_name``)
and equal what the report prints: every table's domestic, foreign and grand totals, and every patent row's total.

Expected values come from the report's text (``conftest.Report``), never from the code under test.
"""

import pytest

from statistics import models
from statistics.appendix import TABLES, measure_name, measure_of
from statistics.selectors import national_totals
from statistics.totals import appendix_totals

from .conftest import DOMESTIC_TOTAL, FOREIGN_TOTAL, GRAND_TOTAL

pytestmark = pytest.mark.django_db

# Each foreign table names its measures by the domestic table before it; tables 9–12 hold both blocks.
DOMESTIC_TABLE = {1: 1, 2: 1, 3: 3, 4: 3, 5: 5, 6: 5, 7: 7, 8: 7, 9: 9, 10: 10, 11: 11, 12: 12}
SCOPE_OF_LABEL = {DOMESTIC_TOTAL: "domestic", FOREIGN_TOTAL: "foreign", GRAND_TOTAL: "grand"}


def printed_totals(report, number: int):
    """(scope, name, year, printed value) for every total cell of table ``number`` as printed."""
    table = report[number]
    for row in table.rows:
        if row.label not in SCOPE_OF_LABEL:
            continue
        for (year, code), value in table.keyed(row).items():
            yield SCOPE_OF_LABEL[row.label], f"{DOMESTIC_TABLE[number]}.{code}", year, value


@pytest.mark.parametrize("number", range(1, 13))
def test_national_totals_are_the_printed_totals(report, number):
    totals = national_totals(2025)
    cells = list(printed_totals(report, number))
    assert cells, f"表 {number} prints totals"
    for scope, name, year, value in cells:
        assert totals.value(name, scope, year) == value, (scope, name, year)


def test_tables_1_to_8_have_their_grand_total_from_both_tables(report):
    """Tables 1–8 print the domestic and the foreign block in two tables; the grand total is their sum."""
    grand = national_totals(2025).grand
    for domestic, foreign in ((1, 2), (3, 4), (5, 6), (7, 8)):
        for _scope, name, year, value in printed_totals(report, domestic):
            other = next(v for s, n, y, v in printed_totals(report, foreign) if (n, y) == (name, year))
            assert grand[name][year] == value + other, (name, year)


@pytest.mark.parametrize("number, model", [(1, models.RegionPatentFigure), (2, models.CountryPatentFigure)])
def test_every_patent_row_total_is_the_printed_row_total(report, number, model):
    printed = {row.label: report[number].keyed(row) for row in report[number].rows}
    entity = model.entity_field
    columns = [f"{entity}__name_zh", "year", "total"] + (["region__level"] if entity == "region" else [])
    checked = 0
    for row in model.objects.filter(measure="filed").with_total().values(*columns):
        label = row[f"{entity}__name_zh"]
        if row.get("region__level", "province") != "province":
            label = f"({label})"
        if label in printed:
            assert row["total"] == printed[label][(row["year"], "total")], (label, row["year"])
            checked += 1
    assert checked >= 2 * 10


def test_an_instance_total_is_the_database_total(report):
    figure = models.RegionPatentFigure.objects.get(region__name_zh="北京", year=2025, measure="filed")
    assert figure.total == report[1].keyed(report[1].row("北京"))[(2025, "total")]
    assert models.RegionTrademarkFigure.objects.with_total().filter(pk__isnull=False).query.annotations == {}


def test_a_measure_has_one_name():
    assert measure_name(1, "total") == "1.total"
    assert measure_name(TABLES[2], "invention") == "1.invention"  # a foreign table names by its domestic table
    assert measure_name(7, "in_force") == "7.in_force"
    assert measure_name(9, "gi_products") == "9.gi_products"
    assert measure_of("5.total") == (TABLES[5], TABLES[5].columns[0])
    assert measure_of("1.filed") == measure_of("1.total")  # the catalogue's older spelling of a patent total
    assert measure_of("4.design")[0] is TABLES[3]


@pytest.mark.parametrize("name", ["13.total", "x.total", "1.applications", "7.total", "total"])
def test_an_unknown_measure_name_is_refused(name):
    with pytest.raises(ValueError):
        measure_of(name)


@pytest.mark.parametrize("tables", [None, {1}, {1, 2, 9, 12}])
def test_every_total_costs_one_statement(django_assert_num_queries, tables):
    """The six figures models' sums are read side by side in one statement (``totals._block_sums``), whatever the
    tables asked for; the totals it gives are the printed ones (the tests above)."""
    with django_assert_num_queries(1):
        totals = appendix_totals([2024, 2025], tables)
    assert totals.value("1.total", "domestic", 2025) is not None


def test_no_table_asked_for_reads_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        totals = appendix_totals([2025], tables=set())
    assert totals.domestic == totals.foreign == {}
