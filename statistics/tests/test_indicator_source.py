"""The indicator frameworks extracted from the IP-power index report (``fixtures/indicators.csv``).

The catalogue of issue 4 is loaded from this file, so it must hold every numbered indicator of 表 3 (Nos. 15–66 in
the extracted text) and 表 4 (Nos. 1–62), with names, groups and units exactly as printed. The expectations below
are read from the report's text by a separate, line-oriented reading, and anchored with printed examples.
"""

import csv
import re
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
SOURCE = (PROJECT / "fixtures" / "sources" / "ip_power_index_report_2025.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def indicators() -> dict[tuple[str, int], dict]:
    with (PROJECT / "fixtures" / "indicators.csv").open(encoding="utf-8", newline="") as handle:
        return {(row["framework"], int(row["number"])): row for row in csv.DictReader(handle)}


def printed_items(start: str, end: str) -> dict[int, str]:
    """``number → "name（unit）"`` for every line "N name" between two markers of the report."""
    body = SOURCE[SOURCE.index(start) :]
    body = body[: body.index(end)] if end in body else body
    items = {}
    for line in body.split("\n"):
        match = re.match(r"^\s*(\d+) (\S.*?)\s*$", line)
        if match:
            items[int(match.group(1))] = match.group(2)
    return items


NATIONAL = printed_items("表 3  知识产权强国建设指数评价指标体系", "三、地区知识产权发展指数评价指标体系")
REGIONAL = printed_items("表 4  地区知识产权发展指数评价指标体系", "\x00")


def test_every_numbered_indicator_of_both_tables_is_there(indicators):
    assert sorted(number for framework, number in indicators if framework == "national") == list(range(15, 67))
    assert sorted(number for framework, number in indicators if framework == "regional") == list(range(1, 63))
    assert set(NATIONAL) == set(range(15, 67)) and set(REGIONAL) == set(range(1, 63))


@pytest.mark.parametrize(("framework", "printed"), [("national", NATIONAL), ("regional", REGIONAL)])
def test_names_and_units_are_exactly_as_printed(indicators, framework, printed):
    for number, text in printed.items():
        row = indicators[(framework, number)]
        closing = "）" if text.endswith("）") else (")" if text.endswith(")") else "")
        assert text == f"{row['name_zh']}（{row['unit']}{closing}", (framework, number)


@pytest.mark.parametrize(
    ("number", "name", "unit", "group", "subgroup"),
    [
        (1, "法院知识产权民事一审案件结案量", "件", "知识产权保护", "司法保护"),
        (13, "国家级知识产权保护中心数量", "家", "知识产权保护", "协同保护"),
        (14, "海外知识产权纠纷应对指导工作平台数量", "家", "知识产权保护", "协同保护"),
        (24, "商标有效注册量", "件", "市场运行", "高质量创造"),
        (36, "地理标志作为集体商标、证明商标累计注册量", "件", "市场运行", "高质量创造"),
        (38, "地理标志产品累计批准量", "件", "市场运行", "高质量创造"),
        (40, "集成电路布图设计发证量", "件", "市场运行", "高质量创造"),
        (43, "专利密集型产业增加值占 GDP比重", "%", "市场运行", "运用机制"),
        (59, "知识产权质押融资登记金额", "万元", "市场运行", "市场运营"),
        (62, "获得知识产权质押融资普惠贷款的企业占比", "%", "市场运行", "市场运营"),
    ],
)
def test_regional_anchors(indicators, number, name, unit, group, subgroup):
    row = indicators[("regional", number)]
    assert (row["name_zh"], row["unit"], row["group"], row["subgroup"]) == (name, unit, group, subgroup)


@pytest.mark.parametrize(
    ("number", "name", "unit", "group"),
    [
        (15, "公安机关立案侦办侵犯知识产权和制售伪劣商品犯罪案件量", "件", "知识产权保护"),
        (27, "每万人口高价值发明专利拥有量", "件", "知识产权市场运行"),
        (53, "省级知识产权公共服务机构覆盖率", "%", "知识产权公共服务"),
        (57, "每万人口技术与创新支持中心（TISC）数量", "家", "知识产权公共服务"),
        (66, "每百万人口设立知识产权二级学科或交叉学科的高校数量", "家", "知识产权人文社会环境"),
    ],
)
def test_national_anchors(indicators, number, name, unit, group):
    row = indicators[("national", number)]
    assert (row["name_zh"], row["unit"], row["group"]) == (name, unit, group)


def test_the_group_the_extract_does_not_print_is_marked_inferred(indicators):
    """The text starts inside 表 3's first group; its name comes from the report's description, and says so."""
    inferred = sorted(number for (framework, number), row in indicators.items() if row["note"] == "inferred")
    assert inferred == list(range(15, 27))
    assert "知识产权制度、保护、市场运行" in SOURCE.replace("\n", "").replace(" ", "")
