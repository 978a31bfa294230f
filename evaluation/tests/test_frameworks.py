"""The two frameworks as the report prints them, their placeholders, and the group memberships."""

import pytest
from django.core.exceptions import ValidationError

from evaluation.models import Basis, FrameworkGroup, FrameworkIndicator, Membership, ScopeKind, ValueKind
from statistics.models import Indicator

from .conftest import squeeze

pytestmark = pytest.mark.django_db


def groups(framework, **filters):
    return list(FrameworkGroup.objects.filter(framework=framework, **filters).order_by("position"))


def test_national_groups_with_their_printed_counts_and_derived_ranges(report_lines):
    """表 3's six groups (lines 1348–1508: "共计 8个指标" … "17个指标"); ranges follow from the counts."""
    national = groups("national")
    assert [(g.name_zh, g.indicator_count) for g in national] == [
        ("知识产权制度", 8),
        ("知识产权保护", 18),
        ("知识产权市场运行", 26),
        ("知识产权公共服务", 9),
        ("知识产权人文社会环境", 7),
        ("参与全球知识产权治理", 17),
    ]
    assert [(g.first_number, g.last_number) for g in national] == [
        (1, 8),
        (9, 26),
        (27, 52),
        (53, 61),
        (62, 68),
        (69, 85),
    ]
    assert {(g.count_basis, g.range_basis) for g in national} == {(Basis.PRINTED, Basis.DERIVED)}
    for group in national:
        assert f"共计{group.indicator_count}个指标" in group.source_text
        assert str(group.indicator_count) in squeeze(report_lines[group.source_line - 1])
    # 表 3 prints the group names 市场运行 before No. 27, 公共服务 before No. 53, 人文社会环境 before No. 62
    assert squeeze(report_lines[2181]) == "市场运行" and report_lines[2183].startswith("27 ")
    assert report_lines[2240].startswith("53 ") and report_lines[2262].startswith("62 ")


def test_regional_groups_as_printed():
    """Appendix line 2284ff: 3 first-level groups, 3 second-level each; 表 4 prints Nos. 1–62 under them."""
    tops = groups("regional", parent=None)
    assert [g.name_zh for g in tops] == ["知识产权保护", "市场运行", "发展环境"]
    assert [g.subindex_name_zh for g in tops] == [
        "地区知识产权保护指数",
        "地区知识产权市场运行指数",
        "地区知识产权发展环境指数",
    ]
    children = {top.name_zh: [c.name_zh for c in groups("regional", parent=top)] for top in tops}
    assert children == {
        "知识产权保护": ["司法保护", "行政保护", "协同保护"],
        "市场运行": ["高质量创造", "运用机制", "市场运营"],
        "发展环境": ["知识产权制度建设", "公共服务", "人才发展"],
    }
    ranges = {g.name_zh: (g.first_number, g.last_number, g.indicator_count) for g in groups("regional")}
    assert ranges["司法保护"] == (1, 5, 5)
    assert ranges["行政保护"] == (6, 10, 5)
    assert ranges["协同保护"] == (11, 17, 7)
    assert ranges["知识产权保护"] == (1, 17, 17)
    assert ranges["高质量创造"] == (18, 41, 24)
    assert ranges["运用机制"] == (42, 58, 17)
    assert ranges["市场运营"] == (59, None, None)  # the extract stops at No. 62
    assert ranges["人才发展"] == (None, None, None)


def test_every_slot_exists_and_placeholders_are_the_numbers_the_extract_cuts_off():
    national = FrameworkIndicator.objects.filter(framework="national")
    regional = FrameworkIndicator.objects.filter(framework="regional")
    assert sorted(national.values_list("number", flat=True)) == list(range(1, 86))
    assert sorted(regional.values_list("number", flat=True)) == list(range(1, 87))
    assert sorted(national.filter(catalogue_indicator=None).values_list("number", flat=True)) == [
        *range(1, 15),
        *range(67, 86),
    ]
    assert sorted(regional.filter(catalogue_indicator=None).values_list("number", flat=True)) == list(range(63, 87))
    assert not national.filter(in_source_text=False).exclude(value_kind=ValueKind.UNKNOWN).exists()
    for slot in national.exclude(catalogue_indicator=None).select_related("catalogue_indicator", "group"):
        assert slot.catalogue_indicator.number == slot.number
        assert slot.group.first_number <= slot.number <= slot.group.last_number
        assert slot.catalogue_indicator.group.name_zh == slot.group.name_zh  # the catalogue's group agrees


def test_kinds_of_value_follow_the_printed_units():
    def kind(framework, number):
        return FrameworkIndicator.objects.get(framework=framework, number=number).value_kind

    assert kind("national", 26) == ValueKind.SCORE  # 知识产权保护社会满意度（分）
    assert kind("national", 27) == ValueKind.INTENSITY  # 每万人口高价值发明专利拥有量（件）
    assert kind("national", 37) == ValueKind.PERCENTAGE  # 专利密集型产业增加值占 GDP比重（%）
    assert kind("national", 38) == ValueKind.AMOUNT  # 专利密集型产品产值（万元）
    assert kind("regional", 1) == ValueKind.COUNT  # 法院知识产权民事一审案件结案量（件）
    assert kind("regional", 62) == ValueKind.PERCENTAGE  # 获得知识产权质押融资普惠贷款的企业占比（%


def test_a_slot_outside_its_group_s_numbers_is_refused():
    slot = FrameworkIndicator.objects.get(framework="national", number=5)
    slot.group = FrameworkGroup.objects.get(framework="national", name_zh="知识产权保护")
    with pytest.raises(ValidationError) as refused:
        slot.full_clean()
    assert "number" in refused.value.message_dict


def test_a_slot_cannot_point_at_another_number_s_indicator():
    slot = FrameworkIndicator.objects.get(framework="national", number=5)
    slot.catalogue_indicator = Indicator.objects.get(code="N15")
    with pytest.raises(ValidationError) as refused:
        slot.full_clean()
    assert "catalogue_indicator" in refused.value.message_dict


def test_a_regional_slot_belongs_to_a_second_level_group():
    slot = FrameworkIndicator.objects.get(framework="regional", number=70)
    slot.group = FrameworkGroup.objects.get(framework="regional", name_zh="发展环境")
    with pytest.raises(ValidationError) as refused:
        slot.full_clean()
    assert "group" in refused.value.message_dict
    slot.group = FrameworkGroup.objects.get(framework="regional", name_zh="人才发展")
    slot.full_clean()


def test_a_count_that_disagrees_with_the_range_is_refused():
    group = FrameworkGroup.objects.get(framework="national", name_zh="知识产权制度")
    group.indicator_count = 9
    with pytest.raises(ValidationError) as refused:
        group.full_clean()
    assert "indicator_count" in refused.value.message_dict


STRATEGIC = {  # footnote 14, lines 1663–1667 and 1696–1698
    "京津冀": {"北京", "天津", "河北"},
    "长江经济带": {"上海", "江苏", "浙江", "安徽", "江西", "湖北", "湖南", "重庆", "四川", "云南", "贵州"},
    "粤港澳大湾区": {"广东"},
    "长三角": {"上海", "江苏", "浙江", "安徽"},
    "黄河流域": {"青海", "四川", "甘肃", "宁夏", "内蒙古", "陕西", "山西", "河南", "山东"},
}
FOUR_REGIONS = {  # the National Bureau of Statistics' division (not printed in the report)
    "东部": {"北京", "天津", "河北", "上海", "江苏", "浙江", "福建", "山东", "广东", "海南"},
    "中部": {"山西", "安徽", "江西", "河南", "湖北", "湖南"},
    "西部": {"内蒙古", "广西", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆"},
    "东北": {"辽宁", "吉林", "黑龙江"},
}


def members(kind):
    found = {}
    for membership in Membership.objects.filter(group__kind=kind).select_related("group", "province"):
        found.setdefault(membership.group.name_zh, set()).add(membership.province.name_zh)
    return found


def test_strategic_regions_as_footnote_14_prints_them(report_lines):
    assert members(ScopeKind.STRATEGIC_REGION) == STRATEGIC
    for membership in Membership.objects.filter(group__kind=ScopeKind.STRATEGIC_REGION).select_related("province"):
        assert membership.source_kind == "report" and membership.source.startswith("脚注14")
        line = squeeze(report_lines[membership.source_line - 1])
        after = squeeze(report_lines[membership.source_line + 1])  # a name may run on to the next line (内蒙古)
        assert membership.province.name_zh in line + after
        assert any(line.endswith(membership.province.name_zh[:cut]) for cut in range(1, 4)) or (
            membership.province.name_zh in line
        )


def test_four_regions_are_the_standard_definition_recorded_as_such():
    assert members(ScopeKind.FOUR_REGION) == FOUR_REGIONS
    four = Membership.objects.filter(group__kind=ScopeKind.FOUR_REGION)
    assert set(four.values_list("source_kind", flat=True)) == {"standard"}
    assert all("国家统计局" in source for source in four.values_list("source", flat=True))
    assert sum(len(provinces) for provinces in FOUR_REGIONS.values()) == 31


def test_a_printed_membership_needs_its_line():
    membership = Membership.objects.filter(source_kind="report").first()
    membership.source_line = None
    with pytest.raises(ValidationError):
        membership.full_clean()
