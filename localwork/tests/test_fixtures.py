"""The report's 32 work summaries and 30 typical cases: loaded verbatim, published, attributed to the right region.

Seven paragraphs lost their ``##`` heading in the PDF extraction (河北, 山西, 青海, 宁夏 have a bold line instead;
广东, 广西, 云南 have nothing). Each region is checked by a phrase that occurs once in the whole chapter, in that
region's paragraph; the phrases were chosen by reading the report.
"""

import csv
import io

import pytest
from django.core.management import call_command

from review.models import ReviewEvent, State
from statistics.models import Region

from ..models import Origin, TypicalCase, WorkSummary
from .conftest import PROJECT, REPORT_TEXT, chapter_paragraphs, report_chapter

pytestmark = pytest.mark.django_db

# (region as the report names it, a phrase found only in its paragraph)
UNIQUE_PHRASES = [
    ("北京市", "知识产权支撑国际科技创新中心建设若干措施"),
    ("天津市", "天津市打造现代化知识产权保护体系建设工作举措"),
    ("河北省", "雄安高价值专利大赛"),
    ("山西省", "云冈石窟第13窟"),
    ("内蒙古自治区", "蒙古国知识产权保护国别指南"),
    ("辽宁省", "辽宁省知识产权局关于实施商标品牌战略的指导意见"),
    ("吉林省", "2025年吉林省实施知识产权强国建设纲要"),
    ("黑龙江省", "黑龙江省关于支持高价值发明专利培育的若干政策措施"),
    ("上海市", "上海市知识产权专项资金管理办法"),
    ("江苏省", "江苏省加强专利申请行为管理促进专利申请质量提升工作方案"),
    ("浙江省", "推进创新浙江建设的意见"),
    ("安徽省", "安徽省加强涉外知识产权保护工作若干举措"),
    ("福建省", "福建省专利奖评奖办法"),
    ("江西省", "江西省12条制造业重点产业链专利统计分析报告"),
    ("山东省", "山东省专利条例"),
    ("河南省", "河南省进一步加快高价值专利转化运用行动实施方案"),
    ("湖北省", "湖北省知识产权促进和保护条例"),
    ("湖南省", "湖南企业海外知识产权保护和纠纷应对指南"),
    ("广东省", "共建国际一流湾区知识产权强省建设"),
    ("广西壮族自治区", "共建广西知识产权强区推动边疆民族地区高质量发展实施方案"),
    ("海南省", "海南省知识产权质押融资管理办法"),
    ("重庆市", "渝企出海"),
    ("四川省", "“川字号”商标品牌"),
    ("贵州省", "贵州省知识产权保护条例"),
    ("云南省", "云南省海外知识产权纠纷应对指导服务体系建设工作实施方案"),
    ("西藏自治区", "西藏自治区 2025 年贯彻落实"),
    ("陕西省", "陕西省知识产权保护与发展大会"),
    ("甘肃省", "甘肃省知识产权保护和促进条例"),
    ("青海省", "共建高原绿色生态高质量发展知识产权强省推进大会"),
    ("宁夏回族自治区", "闽宁知识产权对口协作"),
    ("新疆维吾尔自治区", "新疆维吾尔自治区专利奖评奖办法"),
    ("新疆生产建设兵团", "兵团高校和科研机构专利开放许可目录"),
]
HEADLESS = {"河北省", "山西省", "广东省", "广西壮族自治区", "云南省", "青海省", "宁夏回族自治区"}

# (number, region where the case sits), read from the titles of 第四批典型案例
CASE_REGIONS = {
    1: "北京", 2: "北京", 3: "天津", 4: "辽宁", 5: "吉林", 6: "黑龙江", 7: "上海", 8: "上海", 9: "江苏", 10: "江苏",
    11: "浙江", 12: "浙江", 13: "安徽", 14: "福建", 15: "福建", 16: "江西", 17: "山东", 18: "河南", 19: "湖北",
    20: "湖南", 21: "广东", 22: "广东", 23: "广西", 24: "海南", 25: "重庆", 26: "四川", 27: "贵州", 28: "云南",
    29: "陕西", 30: "青海",
}  # fmt: skip


def summaries_2025() -> dict[str, WorkSummary]:
    return {s.region.full_name_zh: s for s in WorkSummary.objects.filter(year=2025).select_related("region")}


def test_all_32_summaries_load_published_from_the_report():
    summaries = summaries_2025()
    assert len(summaries) == 32
    assert [name for name, _phrase in UNIQUE_PHRASES] == [
        s.region.full_name_zh for s in WorkSummary.objects.filter(year=2025).order_by("region__display_order")
    ]
    assert {s.state for s in summaries.values()} == {State.APPROVED}
    assert {s.origin for s in summaries.values()} == {Origin.REPORT}
    # Published from the report, not reviewed here: no review event pretends that someone approved them.
    assert not ReviewEvent.objects.filter(object_id__in=[s.pk for s in summaries.values()]).exists()


def test_each_summary_is_a_paragraph_of_the_chapter_verbatim():
    paragraphs = chapter_paragraphs()
    assert len(paragraphs) == 32
    assert sorted(s.narrative for s in summaries_2025().values()) == sorted(paragraphs)


@pytest.mark.parametrize(("region", "phrase"), UNIQUE_PHRASES, ids=[name for name, _phrase in UNIQUE_PHRASES])
def test_attribution_by_a_phrase_unique_to_the_region(region, phrase):
    assert report_chapter().count(phrase) == 1, "the phrase must occur once in the whole chapter"
    summaries = summaries_2025()
    assert phrase in summaries[region].narrative
    assert [name for name, summary in summaries.items() if phrase in summary.narrative] == [region]


def test_the_seven_headless_paragraphs_are_covered():
    chapter = report_chapter()
    for region in HEADLESS:
        assert f"## {region}" not in chapter
    assert {name for name, _phrase in UNIQUE_PHRASES} >= HEADLESS


def test_the_fixture_records_how_each_paragraph_was_attributed():
    with (PROJECT / "fixtures" / "localwork" / "summaries.csv").open(encoding="utf-8") as handle:
        rows = {row["region"]: row for row in csv.DictReader(handle)}
    assert {name for name, row in rows.items() if row["attribution"] != "heading"} == HEADLESS
    lines = REPORT_TEXT.read_text(encoding="utf-8").split("\n")
    for row in rows.values():
        assert lines[int(row["source_line"]) - 1].strip() == row["narrative"]


def test_thirty_typical_cases_of_the_fourth_batch():
    text = REPORT_TEXT.read_text(encoding="utf-8")
    printed = text[text.index("### 知识产权强国建设第四批典型案例") :].split("\n# ")[0]
    cases = list(TypicalCase.objects.filter(batch=4).select_related("region").order_by("number"))
    assert [case.number for case in cases] == list(range(1, 31))
    for case in cases:
        assert f"\n{case.number}\t{case.title}\n" in printed
        assert case.region == Region.objects.lookup(CASE_REGIONS[case.number]), case
        assert case.year == 2025
    assert cases[4].title.startswith("中国科学院长春光机所")
    assert cases[21].title.startswith("中国科学院深圳先进技术研究院")


def test_loading_twice_changes_nothing():
    counts = (WorkSummary.objects.count(), TypicalCase.objects.count())
    history = (WorkSummary.history.count(), TypicalCase.history.count())
    out = io.StringIO()
    call_command("load_report_data", stdout=out)
    assert (WorkSummary.objects.count(), TypicalCase.objects.count()) == counts
    assert (WorkSummary.history.count(), TypicalCase.history.count()) == history
    assert "work summaries: 0 created, 32 unchanged" in out.getvalue()
    assert "typical cases: 0 created, 30 unchanged" in out.getvalue()


def test_a_summary_changed_through_the_workflow_is_kept_on_reload():
    beijing = summaries_2025()["北京市"]
    WorkSummary.objects.filter(pk=beijing.pk).update(narrative="改过的文本")
    out = io.StringIO()
    call_command("load_report_data", stdout=out)
    beijing.refresh_from_db()
    assert beijing.narrative == "改过的文本"
    assert "1 changed since and kept" in out.getvalue()
