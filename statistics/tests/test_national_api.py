"""``/api/v1/national-figures/``, ``/api/v1/national-returns/`` and the chapter pages (issue 17, item 3)."""

import csv
import io
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from rest_framework.test import APIClient

from core.published_memo import forget_all
from review.roles import Role
from statistics import national_services
from statistics.tests.factories import RegionFactory
from tests.contracts.factories import person

pytestmark = pytest.mark.django_db

FIGURES = Path(__file__).resolve().parents[2] / "fixtures" / "national" / "figures.csv"
URL = "/api/v1/national-figures/"
RETURNS = "/api/v1/national-returns/"


def fixture_rows() -> list[dict]:
    with open(FIGURES, encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


# ---------------------------------------------------------------------------------------------------------------
# National figures
# ---------------------------------------------------------------------------------------------------------------


def test_year_2025_serves_every_figure_the_reports_print_for_2025_with_its_sentence():
    expected = {(row["document"], int(row["line"]), row["printed"], row["series"]) for row in fixture_rows()
                if row["year"] == "2025"}  # fmt: skip
    response = client_for().get(URL, {"year": 2025, "page_size": 1000})
    assert response.status_code == 200
    results = response.json()["results"]
    served = {(item["document"], item["source_line"], item["printed"], item["series"]) for item in results}
    assert served == expected
    for item in results:
        assert item["source_text"] and item["unit"] and item["value"] is not None, item
        assert item["printed"] in item["source_text"] or item["printed"].replace(" ", "") in item[
            "source_text"
        ].replace(" ", "")


def test_a_figure_carries_its_printed_change_apart_from_the_derived_one():
    response = client_for().get(URL, {"year": 2025, "series": "授权发明专利", "chapter": "创造"})
    (item,) = response.json()["results"]
    assert (item["value"], item["value_origin"], item["unit"]) == ("97.1930", "appendix", "万件")
    assert (item["printed_change"], item["printed_change_kind"]) == ("-7.0000", "percent")
    assert item["derived_change_percent"] == "-6.97"  # (971,930 − 1,044,777) / 1,044,777, tables 3 and 4
    assert item["appendix"]["reference"] == "表 3+4 发明（合计）"


def test_qualifiers_are_served_as_printed():
    response = client_for().get(URL, {"year": 2025, "series": "各试点地方颁发数据知识产权登记证书"})
    items = response.json()["results"]
    assert {item["qualifier"] for item in items} == {"超过", "累计 超"}
    assert {item["bound"] for item in items} == {"more_than"}


@pytest.mark.parametrize("term", ["N26", "26", "n26"])
def test_filter_by_indicator_code_or_number(term):
    items = client_for().get(URL, {"indicator": term}).json()["results"]
    assert items and {item["indicator"] for item in items} == {"N26"}
    assert {item["year"] for item in items} == {2020, 2024, 2025}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"series": "no such series %s"}, "series"),
        ({"indicator": "N999"}, "indicator"),
        ({"chapter": "第九章"}, "chapter"),
    ],
)
def test_an_unknown_name_is_refused_with_a_message_not_an_empty_list(params, field):
    response = client_for().get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("derived", ["first request of a version", "derived already"])
def test_the_list_costs_the_same_queries_for_three_hundred_figures_or_all(derived):
    """Appendix totals are read in one statement, whatever the number of figures: the first 300 figures already
    hold patents, trademarks, GI and IC totals, so all 583 cost no more; once derived, a page is one query."""
    counts = []
    for size in (300, 1000):
        if derived == "first request of a version":
            forget_all()
        else:
            client_for().get(URL, {"page_size": 1})
        with CaptureQueriesContext(connection) as queries:
            assert client_for().get(URL, {"page_size": size}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# ---------------------------------------------------------------------------------------------------------------
# National returns
# ---------------------------------------------------------------------------------------------------------------


def test_national_return_over_the_api():
    preparer, approver = person(Role.REVIEWER), person(Role.REVIEWER)
    created = client_for(preparer).post(RETURNS, {"year": 2031}, format="json")
    assert created.status_code == 201, created.content
    item = created.json()
    assert item["prefilled"] == {} and item["version"] == 1
    url = f"{RETURNS}{item['id']}/"
    saved = client_for(preparer).patch(url, {"values": {"N15": "12"}, "version": 1}, format="json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["entered"]["N15"]["value"] == "12.0000"
    stale = client_for(preparer).patch(url, {"values": {"N15": "13"}, "version": 1}, format="json")
    assert stale.status_code == 409
    missing = client_for(preparer).patch(url, {"values": {"N15": "13"}}, format="json")
    assert missing.status_code == 400
    version = saved.json()["version"]
    assert client_for(preparer).post(f"{url}submit/", {"version": version}, format="json").status_code == 200
    assert client_for().get(RETURNS).json()["count"] == 0  # anonymous: not approved yet
    approved = client_for(approver).post(f"{url}approve/", {"version": version + 1}, format="json")
    assert approved.status_code == 200, approved.content
    assert client_for().get(RETURNS).json()["count"] == 1
    public = client_for().get(URL, {"year": 2031}).json()["results"]
    assert [(item["indicator"], item["value"], item["value_origin"]) for item in public] == [
        ("N15", "12.0000", "national return")
    ]


def test_officers_cannot_create_or_see_national_returns():
    officer = person(Role.OFFICER, region=RegionFactory())
    assert client_for(officer).post(RETURNS, {"year": 2032}, format="json").status_code == 403
    national_services.create_return(person(Role.REVIEWER), 2032)
    assert client_for(officer).get(RETURNS).json()["count"] == 0


# ---------------------------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------------------------


def test_the_chapters_page_lists_the_reports_chapters(client):
    page = client.get("/figures/")
    assert page.status_code == 200
    text = page.content.decode()
    for title in ("知识产权“十四五”成就", "局长致辞", "创造", "保护", "第二章知识产权强国建设成效"):
        assert title in text


def test_a_chapter_page_lists_its_figures_with_their_sentences_and_downloads(client):
    page = client.get("/figures/annual_report_2025/4/")  # 法治保障
    text = page.content.decode()
    assert page.status_code == 200
    assert "法治保障" in text and "起诉率仅为 3.9%" in text
    download = client.get("/figures/annual_report_2025/4/", {"format": "csv", "chart": "figures"})
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    expected = [row for row in fixture_rows() if row["chapter"] == "法治保障"]
    assert len(rows) == len(expected) + 1
    assert {row[-1] for row in rows[1:]} == {row["sentence"] for row in expected}
    workbook = client.get("/figures/annual_report_2025/4/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet.max_row == len(expected) + 1


def test_an_unknown_chapter_is_not_found(client):
    assert client.get("/figures/annual_report_2025/99/").status_code == 404
    assert client.get("/figures/no_such_report/1/").status_code == 404


def test_the_overview_shows_the_reports_headline_figures(client):
    text = client.get("/").content.decode()
    for printed in ("15个月", "95.6%", "超过500万件", "82.81分", "129家", "13.38%"):
        assert printed in text
