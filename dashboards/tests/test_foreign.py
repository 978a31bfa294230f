"""Foreign origins: the top countries for filings, grants and patents in force, with the change."""

import pytest

from dashboards.measures import label
from statistics.tests.factories import CountryFactory, CountryPatentFigureFactory

from .conftest import printed
from .helpers import chart, count_queries, spec

pytestmark = pytest.mark.django_db

TABLES = {"filed": 2, "granted": 4, "in_force": 6}


def printed_top(report, table: int, year: int) -> list[tuple[str, int, int]]:
    """The ten largest countries of a printed table: (name, 2024, 2025); "其他" and joint holders (a、b) left out."""
    rows = [row for row in report[table].foreign_rows() if row.label != "其他" and "、" not in row.label]
    keyed = [(row.label, report[table].keyed(row)) for row in rows]
    ordered = sorted(keyed, key=lambda item: -item[1][(year, "total")])
    return [(name, values[(year - 1, "total")], values[(year, "total")]) for name, values in ordered[:10]]


@pytest.mark.parametrize("measure", TABLES)
def test_top_countries_as_printed(client, report, measure):
    response = client.get("/foreign/?year=2025")
    assert response.status_code == 200
    expected = printed_top(report, TABLES[measure], 2025)
    rows = chart(response, measure).rows
    assert [(row[1], row[2], row[3]) for row in rows] == expected
    assert [row[4] for row in rows] == [current - previous for _name, previous, current in expected]
    drawn = spec(response, f"chart-{measure}")
    assert drawn["categories"] == [name for name, _previous, _current in expected]
    assert drawn["series"][1]["data"] == [current for _name, _previous, current in expected]


def test_foreign_totals_with_change(client, report):
    response = client.get("/foreign/?year=2025")
    headlines = dict(response.context["headlines"])
    for table in TABLES.values():
        change = headlines[label(f"{table - 1}.total")]  # the foreign table 2 names its measure by table 1
        assert change.current == printed(report, table, "国外在华总计", 2025, "total")
        assert change.previous == printed(report, table, "国外在华总计", 2024, "total")
    content = response.content.decode()
    assert content.count('<table class="figures"') == 3
    for measure in TABLES:
        assert f'id="chart-{measure}"' in content


def test_query_count_does_not_grow_with_countries(client, django_assert_num_queries):
    with django_assert_num_queries(9):  # 8, and the page cache reading the published versions (core.page_cache)
        client.get("/foreign/?year=2025")
    before = count_queries(client, "/foreign/?year=2025")
    for _ in range(3):
        country = CountryFactory()
        for measure in TABLES:
            CountryPatentFigureFactory(country=country, measure=measure, year=2025, invention=10**7)
    response = client.get("/foreign/?year=2025")
    assert count_queries(client, "/foreign/?year=2025") == before
    assert chart(response, "filed").rows[0][0] == 1
