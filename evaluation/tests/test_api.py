"""The anonymous API of the published results, the frameworks and the memberships."""

import pytest

from evaluation.models import PublishedResult, Status

pytestmark = pytest.mark.django_db

RESULTS = "/api/v1/index-results/"


def all_rows(api, url):
    response = api.get(url, {"page_size": 1000} if "?" not in url else None)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_year_2025_holds_every_printed_result_anonymously(api):
    rows = all_rows(api, f"{RESULTS}?year=2025&page_size=1000")
    printed = PublishedResult.objects.filter(status=Status.PUBLISHED)
    assert len(rows) == printed.count() == 93
    assert {row["status"] for row in rows} == {"published"}
    composite = next(row for row in rows if row["key"] == "national/2025/全国/composite/score")
    assert composite["index_name"] == "知识产权强国建设指数"
    assert composite["component"] == "综合指数"
    assert composite["scope"] == "全国"
    assert (composite["value"], composite["change"], composite["source_line"]) == ("131.80", "6.30", 1314)


def test_each_result_names_its_index_scope_and_component_in_chinese(api):
    rows = all_rows(api, f"{RESULTS}?page_size=1000")
    assert {row["index_name"] for row in rows} == {"知识产权强国建设指数", "地区知识产权发展指数"}
    components = {row["component"] for row in rows if row["index"] == "regional"}
    assert components == {"综合指数", "地区知识产权保护指数", "地区知识产权市场运行指数", "地区知识产权发展环境指数"}
    scopes = {row["scope_kind"] for row in rows}
    assert scopes == {"national", "mean", "median", "province", "four_region", "strategic_region"}
    derived = [row for row in rows if row["status"] == "derived"]
    assert derived and all(row["year"] == 2024 and row["derived_from"] and row["formula"] for row in derived)


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("year=2025&index=national", 8),
        ("year=2025&index=知识产权强国建设指数", 8),
        ("year=2025&index=regional&component=composite&scope_kind=four_region", 4),
        ("year=2025&component=市场运行&scope=东北", 1),
        ("year=2025&component=地区知识产权发展环境指数&measure=score&scope_kind=strategic_region", 5),
        ("year=2024&status=derived&index=national", 7),
        ("scope=440000&measure=leading", 1),
    ],
)
def test_filters(api, query, count):
    assert len(all_rows(api, f"{RESULTS}?{query}&page_size=1000")) == count


@pytest.mark.parametrize(
    ("query", "field"),
    [("index=world", "index"), ("component=专利指数", "component"), ("scope=火星", "scope"), ("year=abc", "year")],
)
def test_bad_filters_are_refused_with_a_message(api, query, field):
    response = api.get(f"{RESULTS}?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_a_result_by_its_key(api):
    response = api.get(f"{RESULTS}regional/2025/东部/composite/score/")
    assert response.status_code == 200
    assert response.json()["value"] == "87.30"


def test_the_list_costs_the_same_queries_for_any_page(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert len(all_rows(api, f"{RESULTS}?page_size=1000")) == 133


def test_writes_are_refused(api):
    assert api.post(RESULTS, {"year": 2025}).status_code in (401, 403, 405)


def test_framework_groups(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        rows = all_rows(api, "/api/v1/index-framework-groups/?page_size=1000")
    national = [row for row in rows if row["framework"] == "national"]
    assert [row["indicator_count"] for row in national] == [8, 18, 26, 9, 7, 17]
    assert {row["range_basis"] for row in national} == {"derived"}
    regional = [row for row in rows if row["framework"] == "regional"]
    assert sum(row["level"] == 1 for row in regional) == 3
    assert sum(row["level"] == 2 for row in regional) == 9


def test_framework_indicators_with_placeholders(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        rows = all_rows(api, "/api/v1/index-framework-indicators/?page_size=1000")
    assert len(rows) == 85 + 86
    national = {row["number"]: row for row in rows if row["framework"] == "national"}
    assert sorted(n for n, row in national.items() if row["is_placeholder"]) == [*range(1, 15), *range(67, 86)]
    assert national[26]["name_zh"] == "知识产权保护社会满意度" and national[26]["catalogue_code"] == "N26"
    assert national[26]["direction"] == "higher" and national[26]["value_kind"] == "score"
    assert national[1]["name_zh"] == "" and not national[1]["in_source_text"]
    regional = {row["number"]: row for row in rows if row["framework"] == "regional"}
    assert sorted(n for n, row in regional.items() if row["is_placeholder"]) == list(range(63, 87))
    assert regional[63]["group"] is None
    assert regional[2]["value_kind"] == "percentage"
    placeholders = all_rows(api, "/api/v1/index-framework-indicators/?placeholder=true&page_size=1000")
    assert len(placeholders) == 14 + 19 + 24


def test_memberships(api):
    rows = all_rows(api, "/api/v1/index-memberships/?page_size=1000")
    four = [row for row in rows if row["group_kind"] == "four_region"]
    assert len(four) == 31 and {row["source_kind"] for row in four} == {"standard"}
    assert len({row["province"] for row in four}) == 31
    yrd = all_rows(api, "/api/v1/index-memberships/?group=长三角")
    assert [row["province"] for row in yrd] == ["上海", "江苏", "浙江", "安徽"]
    assert all(row["source_kind"] == "report" and row["source_line"] for row in yrd)
