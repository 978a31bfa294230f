"""Every bad-input rule, refused with a field-level message and nothing saved: on a direct save, in an import,
and in an officer's change request (the same ``clean()`` behind all three)."""

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from protection import resources, services
from protection.models import Centre, CentreFigures, City, Platform, PlatformFigures, ProvincialCount, Status

from .conftest import region

pytestmark = pytest.mark.django_db


def new_centre(**values):
    fields = {
        "name": "测试知识产权保护中心",
        "kind": Centre.Kind.PROTECTION,
        "level": "national",
        "region": region("北京"),
        "status": Status.OPERATING,
    }
    return Centre(**{**fields, **values})


def problems(entry) -> dict:
    with pytest.raises(ValidationError) as caught:
        entry.full_clean()
    return caught.value.message_dict


# -- lifecycle ------------------------------------------------------------------------------------------------------


def test_a_status_year_going_backwards_is_refused_on_its_field():
    found = problems(new_centre(approved_year=2024, accepted_year=2023, operating_year=2025))
    assert list(found) == ["accepted_year"]
    assert "2023" in found["accepted_year"][0] and "2024" in found["accepted_year"][0]


def test_a_later_stage_may_share_the_year_of_an_earlier_one():
    new_centre(approved_year=2025, construction_year=2025, accepted_year=2025, operating_year=2025).full_clean()


def test_a_year_for_a_stage_not_reached_is_refused():
    assert list(problems(new_centre(status=Status.APPROVED, approved_year=2024, operating_year=2025))) == [
        "operating_year"
    ]


def test_a_closed_entry_needs_its_closing_year():
    assert "closed_year" in problems(new_centre(status=Status.CLOSED))


def test_closed_before_established_is_refused_for_a_platform():
    platform = Platform(
        name="测试平台",
        kind=Platform.Kind.LOCAL,
        region=region("北京"),
        status=Status.CLOSED,
        established_year=2024,
        closed_year=2022,
    )
    assert list(problems(platform)) == ["closed_year"]


def test_nothing_is_saved_when_a_save_is_refused():
    before = Centre.objects.count()
    with pytest.raises(ValidationError):
        new_centre(approved_year=2025, accepted_year=2024).save()
    assert Centre.objects.count() == before


# -- city in its region ------------------------------------------------------------------------------------------


def test_a_centre_in_a_city_of_another_region_is_refused():
    zibo = City.objects.get(name="淄博")  # 山东
    found = problems(new_centre(city=zibo))
    assert list(found) == ["city"]
    assert "山东" in found["city"][0] and "北京" in found["city"][0]


def test_a_city_of_the_region_is_accepted():
    new_centre(region=region("山东"), city=City.objects.get(name="淄博")).full_clean()


def test_a_sub_provincial_city_is_not_a_region():
    assert "region" in problems(new_centre(region=region("深圳")))


# -- overseas platform host country ------------------------------------------------------------------------------


def test_an_overseas_platform_needs_a_host_country():
    platform = Platform(name="测试海外工作平台", kind=Platform.Kind.OVERSEAS, status=Status.OPERATING)
    assert list(problems(platform)) == ["host_country"]


def test_an_industry_platform_needs_its_industry():
    platform = Platform(name="测试产业工作平台", kind=Platform.Kind.INDUSTRY, status=Status.OPERATING)
    assert list(problems(platform)) == ["industry"]


# -- negative figures ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model, entry_field, field",
    [
        (CentreFigures, "centre", "cases_accepted"),
        (CentreFigures, "centre", "pre_examination_requests"),
        (CentreFigures, "centre", "average_handling_days"),
        (PlatformFigures, "platform", "guidance_services"),
        (PlatformFigures, "platform", "losses_recovered"),
    ],
)
def test_a_negative_figure_is_refused(model, entry_field, field):
    entry = Centre.objects.first() if entry_field == "centre" else Platform.objects.first()
    figures = model(**{entry_field: entry, "year": 2025, field: -1})
    found = problems(figures)
    assert list(found) == [field]
    assert "-1" in found[field][0]


def test_a_negative_count_is_refused():
    count = ProvincialCount(region=region("北京"), year=2025, register="platforms", status=Status.OPERATING, number=-3)
    assert list(problems(count)) == ["number"]


def test_the_database_refuses_negative_figures_too():
    figures = CentreFigures.objects.create(centre=Centre.objects.first(), year=2025, cases_accepted=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CentreFigures.objects.filter(pk=figures.pk).update(cases_accepted=-1)


# -- duplicate names -----------------------------------------------------------------------------------------------


def test_a_duplicate_name_within_a_region_is_refused():
    found = problems(new_centre(name="北京知识产权保护中心"))
    assert list(found) == ["name"]
    assert "北京" in found["name"][0]


def test_the_same_name_in_another_region_is_accepted():
    new_centre(name="北京知识产权保护中心", region=region("天津")).full_clean()


def test_duplicate_names_without_a_region_are_refused():
    platform = Platform(name="船舶产业工作平台", kind=Platform.Kind.INDUSTRY, industry="船舶", status=Status.OPERATING)
    assert list(problems(platform)) == ["name"]


# -- the same rules in an import: the whole file refused ----------------------------------------------------------


def centre_rows(*rows):
    resource = resources.CentreResource()
    headers = [field.column_name for field in resource.get_import_fields()]
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append([row.get(header, "") for header in headers])
    return resource, dataset


GOOD_ROW = {
    "名称": "导入测试中心",
    "类型": "知识产权保护中心",
    "级别": "国家级",
    "地区": "北京",
    "状态": "运行",
    "专利预审": "否",
    "远程审理": "否",
    "快速维权": "否",
}


@pytest.mark.parametrize(
    "bad",
    [
        {"获批建设年份": "2025", "通过验收年份": "2024"},
        {"城市": "淄博"},
        {"名称": "导入测试中心"},  # the same region and name twice in one file
        {"状态": "不存在的状态"},
        {"地区": "深圳"},
    ],
)
def test_an_import_with_one_bad_row_writes_nothing(bad):
    resource, dataset = centre_rows(GOOD_ROW, {**GOOD_ROW, "名称": "导入测试中心二", **bad})
    before = Centre.objects.count()
    result = resource.import_data(dataset, dry_run=False)
    assert result.has_errors() or result.has_validation_errors()
    assert Centre.objects.count() == before
    assert not Centre.objects.filter(name="导入测试中心").exists()


def test_an_import_names_the_row_and_field():
    resource, dataset = centre_rows({**GOOD_ROW, "城市": "淄博"})
    result = resource.import_data(dataset, dry_run=True)
    invalid = result.invalid_rows[0]
    assert invalid.number == 1
    assert "city" in invalid.error_dict


def test_an_import_row_with_an_existing_name_updates_that_entry_rather_than_duplicating_it():
    resource, dataset = centre_rows({**GOOD_ROW, "名称": "北京知识产权保护中心", "远程审理": "是", "专利预审": "是"})
    before = Centre.objects.count()
    result = resource.import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Centre.objects.count() == before
    assert Centre.objects.get(name="北京知识产权保护中心").pre_examination is True


def test_a_good_import_writes_the_row():
    resource, dataset = centre_rows(GOOD_ROW)
    result = resource.import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Centre.objects.get(name="导入测试中心").status == Status.OPERATING


# -- the same rules in a change request ----------------------------------------------------------------------------


def test_a_change_request_is_refused_field_by_field(officer):
    beijing = Centre.objects.get(name="北京知识产权保护中心")
    with pytest.raises(services.ChangeRefused) as caught:
        services.propose(
            officer, "centre", beijing.pk, {"status": "closed", "closed_year": 1999, "operating_year": 2020}
        )
    assert "closed_year" in caught.value.fields
    beijing.refresh_from_db()
    assert beijing.status == Status.OPERATING
