"""The national overview: totals of every table with the change against the previous year."""

import pytest

from dashboards import services
from dashboards.measures import label
from statistics.selectors import national_totals
from statistics.tests.factories import CountryPatentFigureFactory, RegionFactory, RegionPatentFigureFactory

from .conftest import figure, printed
from .helpers import chart, count_queries, rows_by_label

pytestmark = pytest.mark.django_db

PATENT_TABLES = {"filed": (1, 2), "granted": (3, 4), "in_force": (5, 6)}
COLUMNS = ("total", "invention", "utility_model", "design")


@pytest.mark.parametrize("measure", PATENT_TABLES)
@pytest.mark.parametrize("year", [2024, 2025])
def test_patent_totals_match_the_printed_totals(report, measure, year):
    domestic_table, foreign_table = PATENT_TABLES[measure]
    figures = national_totals(year)
    for column in COLUMNS:
        key = f"{domestic_table}.{column}"
        domestic = printed(report, domestic_table, "国内总计", year, column)
        foreign = printed(report, foreign_table, "国外在华总计", year, column)
        assert figures.domestic[key][year] == domestic, key
        assert figures.foreign[key][year] == foreign, key
        assert figures.grand[key][year] == domestic + foreign, key


@pytest.mark.parametrize("field", ["applications", "registrations", "in_force"])
def test_trademark_totals_match_the_printed_totals(report, field):
    figures = national_totals(2025)
    key = f"7.{field}"
    for year in (2024, 2025):
        assert figures.domestic[key][year] == printed(report, 7, "国内总计", year, field)
        assert figures.foreign[key][year] == printed(report, 8, "国外在华总计", year, field)


@pytest.mark.parametrize(
    "table, measure", [(9, "gi_products"), (10, "gi_marks"), (11, "ic_applications"), (12, "ic_certificates")]
)
def test_gi_and_ic_totals_match_the_printed_grand_total(report, table, measure):
    figures = national_totals(2025)
    key = f"{table}.{measure}"
    for year in (2024, 2025):
        assert figures.grand[key][year] == printed(report, table, "合计", year, measure)
        assert figures.domestic[key][year] == printed(report, table, "国内总计", year, measure)
        assert figures.foreign[key][year] == printed(report, table, "国外在华总计", year, measure)


def test_change_is_derived_from_the_two_years(report):
    current = printed(report, 1, "国内总计", 2025, "total") + printed(report, 2, "国外在华总计", 2025, "total")
    previous = printed(report, 1, "国内总计", 2024, "total") + printed(report, 2, "国外在华总计", 2024, "total")
    change = services.change(national_totals(2025).grand, "1.total", 2025)
    assert (change.current, change.previous) == (current, previous)
    assert change.delta == current - previous
    assert change.percent == round((current - previous) * 100 / previous, 1)


def test_overview_page_shows_headlines_charts_and_tables(client, report):
    response = client.get("/overview/?year=2025")
    assert response.status_code == 200
    headlines = dict(response.context["headlines"])
    applications = printed(report, 1, "国内总计", 2025, "total") + printed(report, 2, "国外在华总计", 2025, "total")
    assert headlines[label("1.total")].current == applications
    content = response.content.decode()
    assert figure(applications) in content
    for slug in ("patents", "trademarks", "gi", "ic"):
        assert f'id="chart-{slug}"' in content
    assert content.count('<table class="figures"') == 4


def test_overview_tables_show_domestic_and_foreign_parts(client, report):
    response = client.get("/overview/?year=2025")
    row = rows_by_label(chart(response, "trademarks"))[str(label("7.registrations"))]
    domestic = printed(report, 7, "国内总计", 2025, "registrations")
    foreign = printed(report, 8, "国外在华总计", 2025, "registrations")
    previous = printed(report, 7, "国内总计", 2024, "registrations") + printed(
        report, 8, "国外在华总计", 2024, "registrations"
    )
    assert row[1:] == [previous, domestic + foreign, domestic + foreign - previous, row[4], domestic, foreign]


def test_home_is_the_overview_of_the_latest_year(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["year"] == 2025
    assert 'href="/language/?language=en' in response.content.decode()


def test_without_a_previous_year_the_change_is_a_dash(client):
    response = client.get("/overview/?year=2024")
    assert response.status_code == 200
    for _name, change in response.context["headlines"]:
        assert change.previous is None and change.delta is None and change.percent is None
    assert "—" in response.content.decode()


@pytest.mark.parametrize("year", ["1999", "abc"])
def test_unknown_year_is_not_found(client, year):
    assert client.get(f"/overview/?year={year}").status_code == 404


def test_query_count_does_not_grow_with_regions_and_countries(client, django_assert_num_queries):
    # the appendix totals (one statement for the six figures models, statistics.totals), the year list, the report's
    # headline figures (statistics.selectors) and the page cache's published versions
    with django_assert_num_queries(4):
        client.get("/overview/?year=2025")
    before = count_queries(client, "/overview/?year=2025")
    for _ in range(3):
        RegionPatentFigureFactory(region=RegionFactory(), year=2025)
        CountryPatentFigureFactory(year=2025)
    assert count_queries(client, "/overview/?year=2025") == before


def test_an_empty_database_says_so(client, no_figures):
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["year"] is None
    assert 'class="empty"' in response.content.decode()
    assert client.get("/?format=xlsx").status_code == 404
