"""The registry fixtures against the reports' text: named entries, provincial counts, published totals, sources."""

import csv
import re
from decimal import Decimal

import pytest

from protection import loading
from protection.models import Centre, Level, Platform, ProvincialCount, PublishedTotal, Status, Workstation

from .conftest import PROJECT, region

pytestmark = pytest.mark.django_db


def centre(name):
    return Centre.objects.select_related("region", "city").get(name=name)


def printed_number(text: str, pattern: str) -> str:
    match = re.search(pattern, text)
    assert match, pattern
    return match.group(1)


def test_new_in_2025_xinjiang_and_shenzhen_futian(annual_report):
    assert "新建新疆等 5 家国家级知识产权保护中心、深圳福田等 2 家快速维权中心" in annual_report
    xinjiang = centre("新疆维吾尔自治区知识产权保护中心")
    assert (xinjiang.region, xinjiang.kind, xinjiang.level) == (region("新疆"), Centre.Kind.PROTECTION, Level.NATIONAL)
    assert xinjiang.approved_year == 2025 and xinjiang.status == Status.CONSTRUCTION
    futian = centre("深圳福田快速维权中心")
    assert (futian.region, futian.city.name, futian.kind) == (region("广东"), "深圳", Centre.Kind.RAPID)
    assert futian.approved_year == 2025 and futian.status == Status.APPROVED


def test_haikou_accepted_and_operating(annual_report):
    assert "海口市知识产权保护中心通过验收并投入运行" in annual_report
    haikou = centre("海口市知识产权保护中心")
    assert (haikou.region, haikou.city.name) == (region("海南"), "海口")
    assert (haikou.status, haikou.accepted_year, haikou.operating_year) == (Status.OPERATING, 2025, 2025)


def test_jingdezhen_operating(annual_report):
    assert "景德镇市知识产权保护中心正式运行" in annual_report
    jingdezhen = centre("景德镇市知识产权保护中心")
    assert (jingdezhen.region, jingdezhen.city.name, jingdezhen.status) == (region("江西"), "景德镇", Status.OPERATING)


def test_remote_hearing_centres_named(annual_report):
    listed = printed_number(annual_report, r"在([^。]*?)等25家知识产权保护中心建设了基于互联网的远程审理系统")
    names = listed.split("、")
    assert names == ["北京", "南京", "浙江", "浦东", "淄博", "天津"]
    remote = Centre.objects.filter(remote_hearing=True)
    assert sorted(entry.name.removesuffix("知识产权保护中心") for entry in remote) == sorted(names)
    assert centre("南京知识产权保护中心").region == region("江苏")
    assert centre("浦东知识产权保护中心").region == region("上海")
    assert centre("淄博知识产权保护中心").city.name == "淄博"
    total = PublishedTotal.objects.get(year=2025, measure="remote_hearing_centres")
    assert total.value == 25


def test_zhongshan_and_yangjiang_local_platforms(annual_report):
    assert "获批建设中山、阳江海外知识产权纠纷应对指导地方工作平台" in annual_report
    for city in ("中山", "阳江"):
        platform = Platform.objects.get(city__name=city)
        assert (platform.region, platform.kind) == (region("广东"), Platform.Kind.LOCAL)
        assert (platform.status, platform.established_year) == (Status.APPROVED, 2025)


def test_inner_mongolia_liaison_station_in_russia(annual_report):
    assert "在俄罗斯设立知识产权保护联络站" in annual_report
    station = Workstation.objects.get(region=region("内蒙古"), kind=Workstation.Kind.LIAISON_STATION)
    assert station.host_country.code == "RU"


def test_other_named_workstations(annual_report):
    assert "在哈萨克斯坦、吉尔吉斯斯坦2个中亚国家设立维权援助点" in annual_report
    xinjiang = Workstation.objects.filter(region=region("新疆"), kind=Workstation.Kind.ASSISTANCE_POINT)
    assert sorted(xinjiang.values_list("host_country__code", flat=True)) == ["KG", "KZ"]
    assert Workstation.objects.get(region=region("湖南")).host_country.code == "AU"


def test_industry_platforms_named_by_industry(annual_report):
    assert "船舶、光伏等 2 个产业工作平台" in annual_report
    industries = Platform.objects.filter(kind=Platform.Kind.INDUSTRY).values_list("industry", flat=True)
    assert sorted(industries) == sorted(["船舶", "光伏"])


def test_province_counts_as_printed(annual_report):
    sentence = "累计建成海外知识产权纠纷应对指导产业工作平台 1 个、地方工作平台 3 个和海外维权工作站 39 个"
    assert sentence in annual_report
    tianjin = {(c.register, c.kind): c.number for c in ProvincialCount.objects.filter(region=region("天津"))}
    assert tianjin == {("platforms", "industry"): 1, ("platforms", "local"): 3, ("workstations", "workstation"): 39}
    assert "布局建设 10 家海外知识产权纠纷应对指导山东工作平台、22 个公共服务机构海外服务点" in annual_report
    shandong = {c.kind: c.number for c in ProvincialCount.objects.filter(region=region("山东"))}
    assert shandong == {"local": 10, "service_point": 22}
    assert "2个国家级知识产权快速维权中心顺利通过验收并正式运行" in annual_report
    hebei = ProvincialCount.objects.get(region=region("河北"), register="centres")
    assert (hebei.kind, hebei.level, hebei.number, hebei.status) == ("rapid", "national", 2, Status.OPERATING)
    # 河北's 9 mixes in municipal warning platforms: kept as printed, not added up.
    assert ProvincialCount.objects.get(region=region("河北"), register="platforms").exact is False


@pytest.mark.parametrize(
    "year, measure, pattern, report",
    [
        (2025, "centres", r"快速维权中心，总数达 (\d+) 家", "annual"),
        (2024, "centres", r"2024 年，新建国家级知识产权保护中心 6家、快速维权中心 7家，总数达到 (\d+)家", "index"),
        (2024, "platforms", r"海外工作平台 5 家，总数达到 (\d+)家", "index"),
        (2024, "platforms_local", r"指导地方工作平台 (\d+)家", "index"),
        (2024, "platforms_industry", r"产业工作平台 (\d+) 家", "index"),
        (2024, "platforms_overseas", r"海外工作平台 (\d+) 家，总数达到 80", "index"),
        (2025, "platforms", r"海外知识产权纠纷应对指导工作平台达到 (\d+) 家", "annual"),
        (2025, "platforms_local_added", r"新设 (\d+) 个海外知识产权纠纷应对指导地方工作平台", "annual"),
        (2025, "platforms_industry_added", r"船舶、光伏等 (\d+) 个产业工作平台", "annual"),
        (2025, "platforms_overseas_added", r"以及 (\d+) 个海外工作平台", "annual"),
        (2025, "guidance_services", r"提供指导和咨询服务 (\d+) 余次", "annual"),
        (2025, "losses_recovered", r"挽回损失 ([\d.]+) 亿元。三是", "annual"),
    ],
)
def test_published_totals_as_printed(year, measure, pattern, report, annual_report, index_report):
    text = annual_report if report == "annual" else index_report
    total = PublishedTotal.objects.get(year=year, measure=measure)
    assert total.value == Decimal(printed_number(text, pattern))
    assert total.source in text


@pytest.mark.parametrize(
    "measure, pattern",
    [
        ("cases_accepted", r"共受理维权案件 ([\d.]+) 万件"),
        ("pre_examination_requests", r"受理专利预审请求 ([\d.]+) 万件"),
    ],
)
def test_published_totals_in_wan(measure, pattern, annual_report):
    total = PublishedTotal.objects.get(year=2025, measure=measure)
    printed = printed_number(annual_report, pattern)
    assert total.value == Decimal(printed) * 10000
    assert total.printed == f"{printed} 万件"


def test_every_source_sentence_is_printed(annual_report, index_report):
    both = annual_report + index_report
    for path in sorted((PROJECT / "fixtures" / "protection").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                for part in (row.get("来源") or "").split(" | "):
                    assert part in both, f"{path.name} row {number}: {part}"


def test_every_fixture_row_is_loaded():
    expected = {}
    for name, resource in loading.FIXTURE_RESOURCES:
        with (loading.FIXTURES / name).open(encoding="utf-8") as handle:
            expected[resource._meta.model] = sum(1 for _row in csv.DictReader(handle))
    assert {model: model.objects.count() for model in expected} == expected


def test_loading_twice_changes_nothing():
    history = {model: model.history.count() for model in (Centre, Platform, Workstation, ProvincialCount)}
    counts = loading.load_registry()
    assert counts["new"] == counts["update"] == 0
    assert {model: model.history.count() for model in history} == history
