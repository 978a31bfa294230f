"""The index pages, the province-page section and the API of editions: who sees what, the printed figures beside
the computed ones (never mixed), rank intervals, downloads, the 演示数据 mark, and a fixed number of queries."""

import csv
import io

import pytest
from django.test import Client

from evaluation import edition_services
from evaluation.models import DemoReturn
from review import services as review
from review.models import Action
from review.roles import Role

from .test_editions import EXAMPLE, WEIGHTS, person, returned


def published(preparer, approver, demo=False, **method):
    made = [returned(code, 2024, {"R01": r01, "R18": r18}) for code, (r01, r18) in EXAMPLE.items()]
    if demo:
        DemoReturn.objects.bulk_create(DemoReturn(annual_return=annual_return) for annual_return in made)
    edition = edition_services.create_edition(
        preparer, 2025, weights=WEIGHTS, scale_low=0.0, scale_high=100.0, mc_draws=200, **method
    )
    edition = edition_services.compute_edition(edition, preparer, edition.version)
    edition = review.transition(edition, Action.SUBMIT, preparer, expected_version=edition.version).target
    edition = review.transition(edition, Action.APPROVE, approver, expected_version=edition.version).target
    return edition


@pytest.fixture
def hq(db):
    return person(Role.REVIEWER), person(Role.REVIEWER)


@pytest.mark.django_db
def test_regions_page_shows_computed_scores_with_rank_intervals_beside_the_printed_averages(hq):
    edition = published(*hq)
    page = Client().get("/index/regions/", {"year": 2025})
    assert page.status_code == 200
    ranking = next(chart for chart in page.context["charts"] if chart.slug == "ranking")
    first = ranking.rows[0]
    assert (first[0], str(first[1]), str(first[2])) == (1, "广东", "80.00")
    assert "–" in first[4] or first[4].isdigit()  # the rank interval
    averages = next(chart for chart in page.context["charts"] if chart.slug == "averages")
    mean = next(row for row in averages.rows if row[0] == "平均值")
    # computed 46.67 beside the report's 81.73 (+0.73), in separate columns
    assert (str(mean[2]), str(mean[4]), str(mean[5])) == ("46.67", "81.73", "0.73")
    east = next(row for row in averages.rows if row[0] == "东部")
    assert (str(east[2]), str(east[4])) == ("60.00", "87.30")
    assert "演示数据" not in page.content.decode()
    assert page.context["edition"] == edition


@pytest.mark.django_db
def test_regions_page_with_a_sub_index_and_downloads(hq):
    published(*hq)
    client = Client()
    protection = next(c for c in Client().get("/index/regions/").context["components"] if c.name_zh == "知识产权保护")
    page = client.get("/index/regions/", {"year": 2025, "component": protection.pk})
    ranking = next(chart for chart in page.context["charts"] if chart.slug == "ranking")
    assert [str(row[1]) for row in ranking.rows] == ["广东", "山西", "北京"]  # R01 alone: 100, 33.33, 0
    response = client.get("/index/regions/", {"year": 2025, "format": "csv", "chart": "averages"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "平均值"
    assert client.get("/index/regions/", {"format": "xlsx"}).status_code == 200
    assert client.get("/index/regions/", {"year": "x"}).status_code == 404
    assert client.get("/index/regions/", {"year": 1999}).status_code == 404
    assert client.get("/index/regions/", {"component": 99999}).status_code == 404


@pytest.mark.django_db
def test_demo_editions_say_so_on_every_page_download_and_api_answer(hq):
    edition = published(*hq, demo=True)
    client = Client()
    for path in ("/index/", "/index/regions/", "/index/province/440000/", "/index/method/"):
        assert "演示数据" in client.get(path).content.decode(), path
    download = client.get("/index/regions/", {"format": "csv", "chart": "ranking"}).content.decode("utf-8-sig")
    assert "演示数据" in download.splitlines()[0]
    rows = client.get("/api/v1/index-scores/", {"year": 2025}).json()["results"]
    assert rows and all(row["demo_data"] and row["data_label"] == "演示数据" for row in rows)
    assert client.get(f"/api/v1/index-editions/{edition.pk}/").json()["demo_data"] is True
    # The published results endpoint stays the report's own: no computed demo row is mixed into it.
    results = client.get("/api/v1/index-results/", {"year": 2025, "page_size": 1000}).json()["results"]
    assert all("demo_data" not in row for row in results)


@pytest.mark.django_db
def test_drafts_are_for_headquarters_only(hq):
    preparer, _approver = hq
    returned("110000", 2024, {"R01": 1})
    draft = edition_services.create_edition(preparer, 2025, mc_draws=200)
    anonymous = Client()
    assert anonymous.get("/index/regions/", {"edition": draft.pk}).status_code == 404
    assert anonymous.get("/api/v1/index-editions/").json()["count"] == 0
    assert anonymous.get(f"/api/v1/index-scores/?edition={draft.pk}").json()["count"] == 0
    officer = Client()
    officer.force_login(person(Role.OFFICER, draft_region()))
    assert officer.get("/index/method/", {"edition": draft.pk}).status_code == 404
    staff = Client()
    staff.force_login(preparer)
    assert staff.get("/index/method/", {"edition": draft.pk}).status_code == 200
    assert staff.get("/api/v1/index-editions/").json()["count"] == 1


def draft_region():
    from statistics.models import Region

    return Region.objects.get(code="110000")


@pytest.mark.django_db
def test_province_page_breakdown_strengths_and_weaknesses(hq):
    published(*hq)
    page = Client().get("/index/province/110000/", {"year": 2025})
    assert page.status_code == 200
    strengths = [row.indicator.catalogue_indicator.code for row in page.context["strengths"]]
    weaknesses = [row.indicator.catalogue_indicator.code for row in page.context["weaknesses"]]
    # 北京: R18 100 against a mean of 50 (weight 0.4): +20 points; R01 0 against 44.44 (weight 0.6): −26.67 points
    assert strengths == ["R18"] and weaknesses == ["R01"]
    breakdown = next(chart for chart in page.context["charts"] if chart.slug == "breakdown")
    r18 = next(row for row in breakdown.rows if row[0].startswith("18."))
    assert (str(r18[2]), str(r18[4]), str(r18[5]), str(r18[6])) == ("50.0000", "100.00", "40.00", "40.000")
    assert Client().get("/index/province/999999/").status_code == 404


@pytest.mark.django_db
def test_method_page_explains_the_edition(hq):
    edition = published(*hq)
    page = Client().get("/index/method/")
    assert page.status_code == 200
    weights = next(chart for chart in page.context["charts"] if chart.slug == "weights")
    assert [str(row[1]) for row in weights.rows] == ["0.3000", "0.2000", "0.5000"]  # 0.6, 0.4, 1 of 2.0
    assert page.context["edition"] == edition
    assert page.context["without_values"] == ["地区知识产权发展环境指数"]  # 表 4 Nos. 63–86 are placeholders
    text = page.content.decode()
    assert str(edition.mc_draws) in text and "63" in text  # the draws, and the placeholders from No. 63


@pytest.mark.django_db
def test_method_page_shows_the_fitted_weights_and_their_residuals(hq):
    preparer, approver = hq
    returned("110000", 2024, {"R01": 1})
    edition = edition_services.create_edition(preparer, 2025, mc_draws=200)
    edition = edition_services.compute_edition(edition, preparer, edition.version)
    edition = review.transition(edition, Action.SUBMIT, preparer, expected_version=edition.version).target
    edition = review.transition(edition, Action.APPROVE, approver, expected_version=edition.version).target
    page = Client().get("/index/method/")
    residuals = next(chart for chart in page.context["charts"] if chart.slug == "residuals")
    stored = edition.weight_fit["regional"]["residuals"]
    assert len(residuals.rows) == len(stored) > 0
    assert [row[0] for row in residuals.rows] == [item["scope"] for item in stored]


@pytest.mark.django_db
def test_dashboards_province_page_gains_the_index_section(hq):
    from statistics.models import Region, RegionPatentFigure
    from statistics.tests.factories import RegionPatentFigureFactory

    published(*hq, demo=True)
    guangdong = Region.objects.get(code="440000")
    for year in (2023, 2024):  # the province page needs national figures for its year (the report's, when loaded)
        if not RegionPatentFigure.objects.filter(region=guangdong, year=year).exists():
            RegionPatentFigureFactory(region=guangdong, year=year)
    page = Client().get("/province/440000/", {"year": 2024})
    text = page.content.decode()
    assert 'id="index-section"' in text and "演示数据" in text
    assert 'id="index-section"' not in Client().get("/province/440000/", {"year": 2023}).content.decode()


@pytest.mark.django_db
def test_national_page_shows_the_printed_series(hq):
    published(*hq)
    page = Client().get("/index/")
    chart = next(chart for chart in page.context["charts"] if chart.slug == "national")
    printed = {row[0]: str(row[1]) for row in chart.rows}
    assert printed["2025"] == "131.8" and printed["2024"] == "125.5"  # 131.8 − 6.3, derived


@pytest.mark.django_db
def test_pages_read_a_fixed_number_of_queries(hq, django_assert_max_num_queries):
    published(*hq)
    client = Client()
    client.get("/index/regions/")  # warm: content types, translations
    with django_assert_max_num_queries(16):
        client.get("/index/regions/", {"year": 2025})
    with django_assert_max_num_queries(16):
        client.get("/index/province/440000/", {"year": 2025})
    with django_assert_max_num_queries(20):
        client.get("/api/v1/index-indicator-scores/", {"region": "440000", "year": 2025})


@pytest.mark.django_db
def test_api_breakdown_and_filters(hq):
    edition = published(*hq)
    client = Client()
    rows = client.get("/api/v1/index-indicator-scores/", {"region": "广东", "year": 2025, "code": "R01"}).json()
    assert rows["count"] == 1
    row = rows["results"][0]
    assert (row["raw"], row["normalised"], row["weight"], row["points"]) == (40.0, 100.0, 0.6, 60.0)
    composite = client.get("/api/v1/index-scores/", {"component": "composite", "region": "440000"}).json()
    assert composite["results"][0]["value"] == pytest.approx(80)
    averages = client.get(
        "/api/v1/index-computed-averages/", {"scope": "平均值", "component": "composite", "edition": edition.pk}
    ).json()
    assert averages["results"][0]["value"] == pytest.approx(140 / 3)
    assert client.get("/api/v1/index-scores/", {"year": "x"}).status_code == 400
