"""Every chart's figures as CSV or XLSX, and the public access to every page."""

import csv
import io

import pytest
from openpyxl import load_workbook

from core.charts import Chart, Column
from core.downloads import csv_bytes

from .conftest import printed

pytestmark = pytest.mark.django_db

PAGES = ["/", "/overview/", "/map/", "/province/110000/", "/foreign/"]


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_public(client, url):
    response = client.get(url)
    assert response.status_code == 200
    # The language menu is plain links (``core.language``), so a public page carries no CSRF token and caches.
    assert '<nav class="language"' in response.content.decode()
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_map_csv_holds_the_printed_figures(client, report):
    response = client.get("/map/?measure=1.total&year=2025&chart=map&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="map-1.total-2025-map.csv"' in response["Content-Disposition"]
    records = read_csv(response)
    assert records[0][2:4] == ["2024", "2025"]
    beijing = next(record for record in records if record[1] == "北京")
    assert beijing[2:5] == [
        str(printed(report, 1, "北京", 2024, "total")),
        str(printed(report, 1, "北京", 2025, "total")),
        str(printed(report, 1, "北京", 2025, "total") - printed(report, 1, "北京", 2024, "total")),
    ]
    assert len(records) == 1 + 34


def test_province_xlsx_has_a_sheet_per_chart(client, report):
    response = client.get("/province/110000/?year=2025&format=xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    # each sheet is named by its chart's title, in the reader's language (issue 14: no English on a Chinese page)
    assert workbook.sheetnames == ["分类型专利", "商标", "地理标志与集成电路布图设计"]
    values = [row for row in workbook["商标"].iter_rows(values_only=True)]
    assert values[0][1:3] == ("2024", "2025")
    assert [row[2] for row in values[1:]] == [
        printed(report, 7, "北京", 2025, field) for field in ("applications", "registrations", "in_force")
    ]


def test_each_chart_downloads_on_its_own(client):
    for url, slugs in {
        "/overview/?year=2025": ["patents", "trademarks", "gi", "ic"],
        "/foreign/?year=2025": ["filed", "granted", "in_force"],
        "/map/?year=2025": ["map", "top10"],
    }.items():
        content = client.get(url).content.decode()
        for slug in slugs:
            assert f"chart={slug}&amp;format=csv" in content
            assert client.get(f"{url}&chart={slug}&format=csv").status_code == 200
            assert client.get(f"{url}&chart={slug}&format=xlsx").status_code == 200


@pytest.mark.parametrize(
    "query, status",
    [("format=pdf", 400), ("format=csv", 400), ("chart=nope&format=csv", 404), ("format=xlsx", 200)],
)
def test_bad_download_requests(client, query, status):
    assert client.get(f"/overview/?year=2025&{query}").status_code == status


def test_text_cells_cannot_become_formulas():
    chart = Chart("x", "x", "bar", columns=[Column("name", "text"), Column("value")], rows=[["=1+1", 5]])
    records = list(csv.reader(io.StringIO(csv_bytes(chart).decode("utf-8")[1:])))
    assert records[1] == ["'=1+1", "5"]
