"""``load_report_data``: every report figure is stored once, in the right row; loading again changes nothing."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from statistics import models, services

pytestmark = pytest.mark.django_db

R, C = "region", "country"
# Where each table's rows live: (model for region rows, model for country rows, the rows' measure).
STORAGE = {
    1: (models.RegionPatentFigure, None, "filed"),
    2: (None, models.CountryPatentFigure, "filed"),
    3: (models.RegionPatentFigure, None, "granted"),
    4: (None, models.CountryPatentFigure, "granted"),
    5: (models.RegionPatentFigure, None, "in_force"),
    6: (None, models.CountryPatentFigure, "in_force"),
    7: (models.RegionTrademarkFigure, None, None),
    8: (None, models.CountryTrademarkFigure, None),
    9: (models.RegionCountFigure, models.CountryCountFigure, "gi_products"),
    10: (models.RegionCountFigure, models.CountryCountFigure, "gi_marks"),
    11: (models.RegionCountFigure, models.CountryCountFigure, "ic_applications"),
    12: (models.RegionCountFigure, models.CountryCountFigure, "ic_certificates"),
}
ALL_MODELS = (
    models.Region,
    models.Country,
    models.Country.members.through,
    models.ForeignRowOrder,
    *(model for pair in STORAGE.values() for model in pair[:2] if model is not None),
)


def snapshot() -> dict[str, list[dict]]:
    """The full contents of every table the loader writes, primary keys included."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in dict.fromkeys(ALL_MODELS)}


def expected_row_counts(report) -> Counter:
    """(model, measure) → entity rows × years, from the printed tables (totals rows are derived, never stored)."""
    counts = Counter()
    for number, (region_model, country_model, measure) in STORAGE.items():
        table = report[number]
        if region_model:
            counts[(region_model.__name__, measure)] += len(table.domestic_rows()) * len(table.years)
        if country_model:
            counts[(country_model.__name__, measure)] += len(table.foreign_rows()) * len(table.years)
    return counts


def stored_row_counts() -> Counter:
    counts = Counter()
    for model in dict.fromkeys(ALL_MODELS[4:]):
        has_measure = any(field.name == "measure" for field in model._meta.fields)
        for measure in (
            model.objects.values_list("measure", flat=True) if has_measure else [None] * model.objects.count()
        ):
            counts[(model.__name__, measure)] += 1
    return counts


def test_stored_rows_are_what_the_report_implies(report):
    """One stored row per entity row and year of each table; the totals rows are not stored."""
    expected = expected_row_counts(report)
    assert sum(expected.values()) == 1954  # 977 entity rows in tables 1–12, two years each
    assert stored_row_counts() == expected


def test_loading_twice_changes_nothing(empty_database, report):
    """A second ``load_report_data`` writes nothing: same rows, same keys, and it says "0 created, 0 updated"."""
    first = io.StringIO()
    call_command("load_report_data", stdout=first)
    after_first = snapshot()
    second = io.StringIO()
    call_command("load_report_data", stdout=second)

    assert snapshot() == after_first
    total = sum(expected_row_counts(report).values())
    assert f"{total} created, 0 updated, 0 unchanged" in first.getvalue()
    assert "reference data: 0 rows created or changed" in second.getvalue()
    assert f"0 created, 0 updated, {total} unchanged" in second.getvalue()


def test_loading_again_over_the_session_database_changes_nothing():
    """On an already loaded database the command neither creates nor updates anything."""
    before = snapshot()
    out = io.StringIO()
    call_command("load_report_data", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()
    assert snapshot() == before


@pytest.mark.parametrize("number", STORAGE)
def test_every_printed_entity_cell_is_stored_in_its_row(report, number):
    """Each printed cell of an entity row is the stored value of that entity, year (and measure); 合计 is derived."""
    table = report[number]
    region_model, country_model, measure = STORAGE[number]
    stored = {}
    for model, entity in ((region_model, R), (country_model, C)):
        if model is None:
            continue
        queryset = model.objects.select_related(entity)
        if measure:
            queryset = queryset.filter(measure=measure)
        for figure in queryset:
            stored[(entity, getattr(figure, entity).name_zh, figure.year)] = figure
    for entity, rows in ((R, table.domestic_rows()), (C, table.foreign_rows())):
        for row in rows:
            name = row.label[1:-1] if row.label.startswith("(") else row.label
            for (year, code), printed in table.keyed(row).items():
                figure = stored[(entity, name, year)]
                field = "value" if table.measure_over_years else code
                value = figure.total if field == "total" else getattr(figure, field)
                assert value == printed, (number, row.label, year, code)


def test_anchor_cells_are_stored():
    """Spot values quoted from the report."""
    beijing_2025 = models.RegionPatentFigure.objects.get(region__name_zh="北京", year=2025, measure="filed")
    assert beijing_2025.invention == 217495
    assert beijing_2025.total == 311455
    other = models.CountryTrademarkFigure.objects.get(country__name_zh="其他", year=2025)
    assert other.in_force == 6267


def test_loading_writes_in_bulk(no_figures, django_assert_max_num_queries):
    """The 1954 figures are written in bulk: a few queries per table (rows and their history), not one per row."""
    # At most 14 statements per table: on PostgreSQL each write is a staging table, COPY, a merge, the history and
    # emptying the stage (statistics/figure_writes.py); one per row would be thousands.
    with django_assert_max_num_queries(14 * 12):
        counts = services.load_report_figures()
    assert counts.created == 1954
