"""Year-end counts for the annual returns (表4 No. 13 and No. 14) and the reconciliation with the published totals.

The expected numbers are worked out from the reports' sentences, not from the code:

Centres operating at the end of 2025 (national level). Named as operating: the six remote-hearing centres (北京、南京、
浙江、浦东、淄博、天津), 河北's provincial centre ("省知识产权保护中心开展…"), 吉林省 and 长春市 ("高效运行吉林省、
长春市知识产权保护中心"), 温州 ("2024年 7月…建成运行"), 海口 ("通过验收并投入运行") and 景德镇 ("正式运行"): 12
protection centres. Counted without names: 河北's "2个国家级知识产权快速维权中心…正式运行": 2 rapid centres.
Together 14, against the published 129. At the end of 2024: the same minus 海口 and 景德镇 (operating from 2025) and
minus 河北's two (accepted in 2025): 10, against 124.

Platforms operating at the end of 2025. Named: 海口, 三亚 (guided in 2025), 宁夏 ("依托…宁夏工作平台") and the two new
industry platforms (船舶, 光伏): 5. Counted: 天津 1 industry + 3 local ("累计建成"), 内蒙古 4 ("设立 4 家"), 山东 10
("布局建设 10 家"), 广西 4 ("建设 4 个"): 22. 河北's 9 include municipal warning platforms and 河南's 3 are newly
approved, so neither counts as operating platforms. Together 27, against 116. At the end of 2024: 海口, 三亚, 宁夏: 3,
against 80 (71 local, 4 industry, 5 overseas).
"""

import pytest

from protection import services
from protection.models import Centre, Status

from .conftest import region

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "year, kind, registry, published, gap",
    [
        (2024, "centres", 10, 124, 114),
        (2025, "centres", 14, 129, 115),
        (2024, "platforms", 3, 80, 77),
        (2025, "platforms", 27, 116, 89),
    ],
)
def test_reconciliation_totals(year, kind, registry, published, gap):
    result = services.reconciliation(year, kind)
    assert (result.total.registry, result.total.published, result.total.gap) == (registry, published, gap)


def test_reconciliation_of_centres_by_kind_2025():
    protection, rapid = services.reconciliation(2025, "centres").parts
    assert (protection.named, protection.counted) == (12, 0)
    assert (rapid.named, rapid.counted) == (0, 2)


def test_reconciliation_of_platforms_by_kind_2024_printed():
    local, industry, overseas = services.reconciliation(2024, "platforms").parts
    assert [(row.registry, row.published, row.derived) for row in (local, industry, overseas)] == [
        (3, 71, False),
        (0, 4, False),
        (0, 5, False),
    ]


def test_reconciliation_of_platforms_by_kind_2025_derived_from_2024_and_the_additions():
    # 71 + 28 local, 4 + 2 industry, 5 + 6 overseas; the report prints only the additions for 2025.
    local, industry, overseas, unstated = services.reconciliation(2025, "platforms").parts
    assert [(row.registry, row.published, row.derived) for row in (local, industry, overseas)] == [
        (20, 99, True),
        (3, 6, True),
        (0, 11, True),
    ]
    assert unstated.registry == 4  # 内蒙古: "设立 4 家海外知识产权纠纷应对指导工作平台", kind not stated


@pytest.mark.parametrize(
    "name, year, what, expected",
    [
        ("北京", 2025, "centres", 1),
        ("吉林", 2025, "centres", 2),
        (
            "河北",
            2025,
            "centres",
            1,
        ),  # the provincial centre; 唐山 is under construction, the 2 rapid centres are not protection centres
        ("海南", 2025, "centres", 1),
        ("海南", 2024, "centres", None),  # 海口 was accepted in 2025: nothing known for 2024
        ("江西", 2025, "centres", 1),  # 景德镇 operating; the provincial national centre only approved
        ("新疆", 2025, "centres", 0),  # known (under construction), not operating
        ("西藏", 2025, "centres", None),
        ("天津", 2025, "platforms", 4),
        ("天津", 2024, "platforms", None),
        ("内蒙古", 2025, "platforms", 4),
        ("广东", 2025, "platforms", 0),  # 中山, 阳江 approved for construction in 2025
        ("河北", 2025, "platforms", None),  # only the mixed count of 9
        ("海南", 2024, "platforms", 2),
    ],
)
def test_operating_count(name, year, what, expected):
    assert services.operating_count(region(name), year, what) == expected


def test_operating_count_takes_a_name_or_a_region():
    assert services.operating_count("北京", 2025, "centres") == services.operating_count(
        region("北京"), 2025, "centres"
    )


def test_a_closed_centre_counts_until_the_year_it_closed():
    beijing = Centre.objects.get(name="北京知识产权保护中心")
    beijing.status, beijing.closed_year = Status.CLOSED, 2025
    beijing.save()
    assert services.operating_count("北京", 2024, "centres") == 1
    assert services.operating_count("北京", 2025, "centres") == 0


def test_summary_counts_by_region_and_kind():
    summary = services.summary()
    rows = {row["region"].name_zh if row["region"] else None: row for row in summary["rows"]}
    labels = [str(label) for label in summary["columns"]]
    protection = labels.index(str(Centre.Kind.PROTECTION.label))
    assert rows["吉林"]["values"][protection] == 2
    assert rows[None]["total"] == 2  # the two industry platforms without a region
    assert summary["grand_total"] == Centre.objects.count() + 9 + 4  # 20 centres, 9 platforms, 4 workstations
