"""The registry's entries and figures that issue 17 found missing, each against the sentence the reports print.

Expected values are read from the reports' text here (``conftest.report_text``), not from the fixtures: each test
finds the number in its sentence and compares it with what the registry holds.
"""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from protection import services
from protection.models import Centre, ProvincialCount, PublishedTotal

from .conftest import region

pytestmark = pytest.mark.django_db


def number_in(text: str, pattern: str) -> str:
    match = re.search(pattern, text)
    assert match, pattern
    return match.group(1)


# ---------------------------------------------------------------------------------------------------------------
# The centre in 温州 whose name the extract cuts off
# ---------------------------------------------------------------------------------------------------------------


def test_the_cut_off_wenzhou_centre_is_stored_and_marked(index_report):
    printed = number_in(index_report, r"温州市知识产权保护中心建成运行，(温州（服饰）知识产权)和行业设立")
    centre = Centre.objects.select_related("region", "city").get(name=printed)
    assert centre.name_incomplete is True
    assert (centre.region, centre.city.name) == (region("浙江"), "温州")
    assert centre.source in index_report
    # The complete names stay complete.
    assert Centre.objects.get(name="温州市知识产权保护中心").name_incomplete is False


def test_the_registry_page_says_the_name_is_cut_off(client):
    response = client.get(reverse("protection:registry"), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    rows = {line.strip().split("</td>")[0]: line for line in page.splitlines() if line.strip().startswith("<tr><td>")}
    cut_off = next(row for first, row in rows.items() if first.startswith("<tr><td>温州（服饰）知识产权"))
    assert "name-incomplete" in cut_off
    assert "name-incomplete" not in rows["<tr><td>温州市知识产权保护中心"]


# ---------------------------------------------------------------------------------------------------------------
# Provincial counts of 湖北, 青海 and 新疆
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("province", "pattern", "kind"),
    [
        ("湖北", r"全省知识产权保护工作站达 (\d+) 家", "protection_ws"),
        ("青海", r"设立首批 (\d+) 家知识产权维权援助工作站", "assistance_ws"),
        ("新疆", r"搭建“(\d+)个地州中心\+\d+个工作站”服务网络", "prefecture_centre"),
        ("新疆", r"搭建“\d+个地州中心\+(\d+)个工作站”服务网络", "network_ws"),
    ],
)
def test_provincial_counts_against_their_sentences(annual_report, province, pattern, kind):
    printed = int(number_in(annual_report, pattern))
    count = ProvincialCount.objects.get(region=region(province), year=2025, register="local_stations", kind=kind)
    assert count.number == printed
    assert count.source in annual_report
    assert count.printed.replace(" ", "") in annual_report.replace(" ", "")


def test_qinghai_first_mediation_workstation(annual_report):
    assert "组建首家知识产权诉调对接工作站" in annual_report  # 首家: the first, so one
    count = ProvincialCount.objects.get(region=region("青海"), register="local_stations", kind="mediation_ws")
    assert (count.number, count.scope) == (1, "added")


def test_station_counts_are_not_added_to_the_registries_counts():
    """The summary's unnamed column counts registry entries; 湖北's 1163 保护工作站 are listed apart."""
    summary = services.summary()
    hubei_unnamed = next((row["unnamed"] for row in summary["rows"] if row["region"] == region("湖北")), 0)
    assert hubei_unnamed < 1163
    assert {(count.region.name_zh, count.number) for count in summary["station_counts"]} >= {("湖北", 1163)}


def test_the_summary_page_lists_the_station_counts(client):
    response = client.get(reverse("protection:summary"))
    page = response.content.decode()
    assert 'id="station-counts"' in page
    assert "1163" in page and "全省知识产权保护工作站达 1163 家" in page


# ---------------------------------------------------------------------------------------------------------------
# Published figures not stored before, each with its qualifier as printed
# ---------------------------------------------------------------------------------------------------------------


PUBLISHED = [
    # year, measure, pattern finding the printed number in its sentence, value in the unit, qualifier, report
    (2025, "case_handling_period", r"平均办理周期在 (\d+) 周以内", 1, "at_most", "annual"),
    (2025, "pre_examined_grant_period", r"平均授权周期压减至 (\d+) 个月以内", 1, "at_most", "annual"),
    (2025, "cases_accepted_cumulative", r"累计受理知识产权保护维权案件 (\d+) 万件", 10000, "cumulative", "annual"),
    (2025, "disputes_guided_cumulative", r"累计指导纠纷应对 (\d+) 余起", 1, "more_than", "annual"),
    (2025, "losses_recovered_cumulative", r"帮助企业挽回损失近 (\d+) 亿元", 1, "nearly", "annual"),
    (2024, "centres_added", r"新建国家级知识产权保护中心和快速维权中心 (\d+)家", 1, "exact", "index"),
    (2024, "centres_provinces", r"覆盖全国(\d+) 个省（自治区、直辖市）", 1, "exact", "index"),
    (2024, "centres_registered_entities", r"备案创新主体超过 (\d+) 万家", 10000, "more_than", "index"),
    (2024, "disputes_guided_cumulative", r"累计指导纠纷应对近 (\d+)次", 1, "nearly", "index"),
    (2024, "losses_recovered_cumulative", r"帮助我国企业挽回经济损失 (\d+)亿元", 1, "exact", "index"),
]


@pytest.mark.parametrize(("year", "measure", "pattern", "scale", "qualifier", "report"), PUBLISHED)
def test_published_figures_against_their_sentences(
    annual_report, index_report, year, measure, pattern, scale, qualifier, report
):
    text = annual_report if report == "annual" else index_report
    printed = Decimal(number_in(text, pattern)) * scale
    total = PublishedTotal.objects.get(year=year, measure=measure)
    assert total.value == printed
    assert total.qualifier == qualifier
    assert total.source in text
    assert re.search(pattern, total.source), "the number is in the stored sentence"
    assert total.printed in text


def test_every_qualifier_as_printed_is_kept():
    """余/超过 → more than, 近 → nearly, 以内 → within, 累计 → cumulative; none is read as an exact figure."""
    words = {"more_than": ("余", "超过"), "nearly": ("近",), "at_most": ("以内",), "cumulative": ("累计",)}
    for total in PublishedTotal.objects.exclude(qualifier="exact"):
        assert any(word in total.printed for word in words[total.qualifier]), total


# ---------------------------------------------------------------------------------------------------------------
# The published centre totals do not add up; the reconciliation says so
# ---------------------------------------------------------------------------------------------------------------


def test_the_published_centre_totals_do_not_add_up(annual_report, index_report):
    before = int(number_in(index_report, r"快速维权中心 \d+家，总数达到 (\d+)家"))
    protection = int(number_in(annual_report, r"新建新疆等 (\d+) 家国家级知识产权保护中心"))
    rapid = int(number_in(annual_report, r"深圳福田等 (\d+) 家快速维权中心"))
    printed = int(number_in(annual_report, r"快速维权中心，总数达 (\d+) 家"))
    assert before + protection + rapid != printed  # the report's own figures: 124 + 5 + 2 ≠ 129
    check = services.published_sum(2025, "centres")
    assert (check.before.value, [added.value for added in check.added], check.total.value) == (
        before,
        [protection, rapid],
        printed,
    )
    assert check.expected == before + protection + rapid
    assert check.difference == printed - (before + protection + rapid)
    assert not check.consistent


def test_the_platform_totals_add_up():
    check = services.published_sum(2025, "platforms")
    assert check.consistent and check.expected == check.total.value


def test_the_reconciliation_page_shows_the_mismatch_with_the_numbers(client):
    response = client.get(
        reverse("protection:reconciliation"), {"year": 2025, "kind": "centres"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    start = page.index('id="published-sum"')
    paragraph = page[start : page.index("</p>", start)]
    assert 'class="mismatch"' in paragraph
    for number in ("124", "5 家", "2 家", "131", "129", "-2"):
        assert number in paragraph, number


def test_the_reconciliation_page_without_the_previous_total_says_nothing_about_it(client):
    response = client.get(reverse("protection:reconciliation"), {"year": 2024, "kind": "centres"})
    assert 'id="published-sum"' not in response.content.decode()


# ---------------------------------------------------------------------------------------------------------------
# The registry pages name the report's 保护 chapter as their source, not the appendix
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["protection:registry", "protection:reconciliation", "protection:summary"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_footer_names_the_protection_chapter(client, name, language):
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    footer = page[page.index('<footer class="site">') : page.index("</footer>")]
    assert "保护" in footer
    assert "附录" not in footer and "appendix" not in footer.lower()
