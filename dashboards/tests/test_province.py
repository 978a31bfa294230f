"""A province's page: every figure of the appendix tables for it, with the change against the previous year."""

import pytest

from dashboards import services
from dashboards.measures import label
from statistics.models import Region
from statistics.tests.factories import RegionFactory, RegionPatentFigureFactory

from .conftest import figure, printed
from .helpers import chart, count_queries, rows_by_label

pytestmark = pytest.mark.django_db

PATENT_TABLES = {"filed": 1, "granted": 3, "in_force": 5}
COUNT_TABLES = {"gi_products": 9, "gi_marks": 10, "ic_applications": 11, "ic_certificates": 12}


def expected_figures(report, name: str) -> dict[str, dict[int, int]]:
    """Every figure the report prints for region ``name``, keyed by measure name ("<domestic table>.<column>")."""
    expected = {}
    for table in PATENT_TABLES.values():
        for column in ("total", "invention", "utility_model", "design"):
            expected[f"{table}.{column}"] = {year: printed(report, table, name, year, column) for year in (2024, 2025)}
    for field in ("applications", "registrations", "in_force"):
        expected[f"7.{field}"] = {year: printed(report, 7, name, year, field) for year in (2024, 2025)}
    for measure, table in COUNT_TABLES.items():
        expected[f"{table}.{measure}"] = {year: printed(report, table, name, year, measure) for year in (2024, 2025)}
    return expected


@pytest.mark.parametrize("name", ["北京", "广东", "西藏", "澳门"])
def test_all_figures_of_a_province_as_printed(report, name):
    region = Region.objects.get(name_zh=name)
    assert services.region_figures(region, 2025) == expected_figures(report, name)


def test_beijing_page_shows_its_2025_figures_with_change(client, report):
    response = client.get("/province/110000/?year=2025")
    assert response.status_code == 200
    content = response.content.decode()
    shown = {}
    for slug in ("patents", "trademarks", "gi-ic"):
        shown |= rows_by_label(chart(response, slug))
    for key, by_year in expected_figures(report, "北京").items():
        row = shown[str(label(key))]
        assert row[1:4] == [by_year[2024], by_year[2025], by_year[2025] - by_year[2024]], key
        assert figure(by_year[2025]) in content
    # 2025 patent applications as printed in table 1: 311455 against 321445 in 2024, −3.1%.
    assert shown[str(label("1.total"))][4] == round((311455 - 321445) * 100 / 321445, 1)
    for slug in ("patents", "trademarks", "gi-ic"):
        assert f'id="chart-{slug}"' in content
    assert content.count('<table class="figures"') == 3


def test_a_city_page_points_to_its_province(client, report):
    response = client.get("/province/440300/?year=2025")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'href="/province/440000/?year=2025"' in content
    filed = rows_by_label(chart(response, "patents"))[str(label("1.total"))]
    assert filed[2] == printed(report, 1, "(深圳)", 2025, "total")


def test_a_province_page_lists_its_cities(client):
    content = client.get("/province/440000/").content.decode()
    assert 'href="/province/440300/?year=2025"' in content


def test_region_without_figures(client):
    region = RegionFactory()
    response = client.get(f"/province/{region.code}/")
    assert response.status_code == 200
    assert response.context["has_figures"] is False
    assert 'class="empty"' in response.content.decode()


def test_unknown_region_is_not_found(client):
    assert client.get("/province/999999/").status_code == 404


def test_query_count_does_not_grow_with_regions(client, django_assert_num_queries, clean_registry):
    """The page's own queries; each registered section's queries are its app's to bound."""
    with django_assert_num_queries(7):  # 6, and the page cache reading the published versions (core.page_cache)
        client.get("/province/110000/?year=2025")
    before = count_queries(client, "/province/110000/?year=2025")
    for _ in range(3):
        RegionPatentFigureFactory(region=RegionFactory(), year=2025)
    assert count_queries(client, "/province/110000/?year=2025") == before
