"""Reading tables back: every printed cell of tables 1–12, totals included, equals what is stored or derived.

``services.table_from_database`` derives the row totals and the 国内总计 / 国外在华总计 / 合计 rows from the stored
entity rows. Comparing them with the printed values recomputes every printed total from its parts and checks it
against the report.
"""

import pytest

from statistics import services
from statistics.appendix import TABLES

pytestmark = pytest.mark.django_db

NUMBERS = range(1, 13)


def printed_rows(table) -> dict[str, dict]:
    return {row.label: table.keyed(row) for row in table.rows}


def derived_rows(data, keys) -> dict[str, dict]:
    return {row.label: {key: row.values.get(key) for key in keys} for row in data.rows}


@pytest.mark.parametrize("number", NUMBERS)
def test_every_printed_cell_equals_the_stored_or_derived_value(report, number):
    """Labels and values of every row (entity rows, row totals and the totals rows) equal the report, 2024 and 2025."""
    table = report[number]
    expected = printed_rows(table)
    data = services.table_from_database(TABLES[number], 2025)
    assert data.years == [2024, 2025]
    keys = list(next(iter(expected.values())))
    assert derived_rows(data, keys) == expected


@pytest.mark.parametrize("number", NUMBERS)
def test_rows_come_in_the_report_order(report, number):
    """Totals first, then the regions, the "of which" rows, the foreign total and the countries, as printed."""
    data = services.table_from_database(TABLES[number], 2025)
    assert [row.label for row in data.rows] == [row.label for row in report[number].rows]


@pytest.mark.parametrize("number", NUMBERS)
def test_printed_totals_rows_are_recomputed_not_stored(report, number):
    """Changing a stored province-level value moves the derived domestic (and grand) total by as much."""
    table = report[number]
    spec = TABLES[number]
    data = services.table_from_database(spec, 2025)
    if spec.has_domestic:
        model, entity, label = spec.region_model, "region__name_zh", "北京"
        total_labels = ["国内总计"] + (["合计"] if spec.has_grand_total else [])
    else:
        model, entity, label = spec.country_model, "country__name_zh", "美国"
        total_labels = ["国外在华总计"]
    queryset = model.objects.filter(**{entity: label}, year=2025)
    if spec.measure:
        queryset = queryset.filter(measure=spec.measure)
    field = spec.stored_columns[0].field
    figure = queryset.get()
    setattr(figure, field, getattr(figure, field) + 1000)
    figure.save()

    changed = services.table_from_database(spec, 2025)
    key = (2025, spec.stored_columns[0].code)
    before = {row.label: row.values for row in data.rows}
    after = {row.label: row.values for row in changed.rows}
    for total_label in total_labels:
        assert after[total_label][key] == table.keyed(table.row(total_label))[key] + 1000
        assert before[total_label][key] == table.keyed(table.row(total_label))[key]


def test_the_city_rows_are_not_added_into_the_domestic_total(report):
    """Raising (深圳) within 广东 leaves 国内总计 as printed: "of which" rows are already counted in their province."""
    from statistics.models import RegionPatentFigure

    figure = RegionPatentFigure.objects.get(region__name_zh="深圳", year=2025, measure="filed")
    figure.invention += 1
    figure.save()
    data = services.table_from_database(TABLES[1], 2025)
    domestic = next(row for row in data.rows if row.label == "国内总计")
    assert domestic.values[(2025, "invention")] == 1774890
    assert domestic.values[(2025, "total")] == 5149772


def test_a_later_year_without_figures_has_empty_cells():
    """Asking for 2026 gives 2025's figures and no 2026 values (nothing is invented)."""
    data = services.table_from_database(TABLES[1], 2026)
    assert data.years == [2025, 2026]
    beijing = next(row for row in data.rows if row.label == "北京")
    assert beijing.values[(2025, "invention")] == 217495
    assert all(year == 2025 for year, _code in beijing.values)
