"""Import and export of every registry model: a round trip changes nothing, each model has a blank template, and
the admin's import is all or nothing."""

from io import BytesIO

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from protection import resources
from protection.models import Centre, CentreFigures, Platform, PlatformFigures

pytestmark = pytest.mark.django_db

MODELS = [
    "city",
    "centre",
    "platform",
    "workstation",
    "centrefigures",
    "platformfigures",
    "provincialcount",
    "publishedtotal",
]
RESOURCES = [resource for _name, resource in resources.FIXTURE_RESOURCES] + [
    resources.CentreFiguresResource,
    resources.PlatformFiguresResource,
]


@pytest.fixture
def figures(db):
    beijing = Centre.objects.get(name="北京知识产权保护中心")
    CentreFigures.objects.create(
        centre=beijing, year=2025, cases_accepted=1200, pre_examination_requests=3400, average_handling_days="12.5"
    )
    shipbuilding = Platform.objects.get(name="船舶产业工作平台")
    PlatformFigures.objects.create(platform=shipbuilding, year=2025, guidance_services=80, losses_recovered="1.25")


@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda resource: resource.__name__)
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(figures, resource_class, file_format):
    model = resource_class._meta.model
    exported = resource_class().export()
    assert len(exported) == model.objects.count() > 0
    data = exported.export(file_format)
    dataset = tablib.Dataset().load(data, format=file_format)
    history = model.history.count()
    result = resource_class().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), [
        row.error_dict for row in result.invalid_rows
    ]
    assert result.totals["skip"] == len(dataset)
    assert model.history.count() == history


def test_an_imported_change_is_recorded_in_the_history(administrator):
    dataset = resources.CentreResource().export()
    row = list(dataset[0])
    note_column = dataset.headers.index("备注")
    row[note_column] = "导入修改"
    changed = tablib.Dataset(row, headers=dataset.headers)
    result = resources.CentreResource().import_data(changed, dry_run=False, user=administrator, file_name="c.csv")
    assert result.totals["update"] == 1
    record = Centre.objects.get(note="导入修改").history.first()
    assert record.history_user == administrator and record.history_change_reason == "import c.csv"


@pytest.mark.parametrize("model", MODELS)
def test_every_model_has_a_blank_template(client, administrator, model):
    client.force_login(administrator)
    response = client.get(reverse(f"admin:protection_{model}_import_template"))
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content))
    headers = [cell.value for cell in workbook["数据"][1]]
    resource = next(r for r in RESOURCES if r._meta.model._meta.model_name == model)()
    assert headers == [field.column_name for field in resource.get_user_visible_fields() if not field.readonly]
    notes = {row[0].value: row[1].value for row in workbook["说明"].iter_rows(min_row=2) if row[0].value}
    assert all(notes.get(header) for header in headers)


def test_the_template_imports_back(client, administrator):
    """A filled-in template is a valid import file."""
    client.force_login(administrator)
    workbook = load_workbook(BytesIO(client.get(reverse("admin:protection_centre_import_template")).content))
    sheet = workbook["数据"]
    values = {
        "名称": "模板测试中心",
        "类型": "快速维权中心",
        "级别": "国家级",
        "地区": "浙江",
        "城市": "温州",
        "服务产业": "服饰",
        "专利预审": "是",
        "远程审理": "否",
        "快速维权": "是",
        "状态": "运行",
        "运行年份": 2024,
    }
    sheet.append([values.get(cell.value, "") for cell in sheet[1]])
    buffer = BytesIO()
    workbook.save(buffer)
    dataset = tablib.Dataset().load(buffer.getvalue(), format="xlsx")
    result = resources.CentreResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    entry = Centre.objects.get(name="模板测试中心")
    assert (entry.city.name, entry.kind, entry.pre_examination) == ("温州", Centre.Kind.RAPID, True)


def test_the_admin_import_refuses_a_file_with_a_negative_figure(client, administrator):
    client.force_login(administrator)
    content = (
        "地区,中心名称,年份,受理维权案件,预审请求,平均办理周期（天）\n"
        "北京,北京知识产权保护中心,2025,100,,\n"
        "天津,天津知识产权保护中心,2025,-4,,\n"
    )
    upload = SimpleUploadedFile("figures.csv", content.encode("utf-8"), content_type="text/csv")
    response = client.post(
        reverse("admin:protection_centrefigures_import"),
        {"import_file": upload, "format": _format_index(client, "csv"), "resource": 0},
    )
    assert response.status_code == 200
    assert CentreFigures.objects.count() == 0
    assert "-4" in response.content.decode()


def _format_index(client, name):
    page = client.get(reverse("admin:protection_centrefigures_import"))
    choices = page.context["form"].fields["format"].choices
    return next(value for value, label in choices if name in str(label).lower())


def test_an_officer_cannot_import(client, officer):
    client.force_login(officer)
    assert client.get(reverse("admin:protection_centre_import")).status_code == 403
