"""Spreadsheet import and export in the admin: every model's export, preview then confirm, history, refusals,
blank templates, permissions, formula escaping, upload limits, long imports in the background, and the appendix
workbook upload.

Requests that check message text ask for English (``Accept-Language: en``); the rest use the default, Chinese.
"""

import csv
import hashlib
import html
import io
import json
import re
import zipfile
from collections import defaultdict

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from statistics import models

from .conftest import FIGURE_MODELS, figure_counts, is_of_which
from .factories import CountryFactory, RegionFactory, UserFactory
from .test_resources import (
    ALL_MODELS,
    BAD_ROW_CASES,
    COUNTRY_HEADER,
    FILE_BUILDERS,
    NEW_YEAR,
    PATENT_HEADER,
    REGION_HEADER,
    at,
    bad_rows,
    file_with_bad_row,
    good_patent_rows,
    history_counts,
    large_country_patent_rows,
    model_id,
    patent_row,
    printed,
    read_dataset,
    resource_for,
)

pytestmark = [
    pytest.mark.django_db,
    # WhiteNoise warns that STATIC_ROOT is missing until ``collectstatic`` has run; irrelevant to these tests.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def in_english(client):
    """The interface follows the language the user chose (a cookie), not the browser's Accept-Language."""
    client.cookies["django_language"] = "en"
    return client


CJK = re.compile(r"[\u4e00-\u9fff]")
TITLES = ("xlsx", "csv", "json")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
APPENDIX_IMPORT = "/admin/statistics/appendix-import/"

# The appendix tables whose rows each figures model holds (design brief: tables 1–6 patents, 7–8 trademarks, 9–12).
TABLES_OF = {
    models.RegionPatentFigure: (1, 3, 5),
    models.CountryPatentFigure: (2, 4, 6),
    models.RegionTrademarkFigure: (7,),
    models.CountryTrademarkFigure: (8,),
    models.RegionCountFigure: (9, 10, 11, 12),
    models.CountryCountFigure: (9, 10, 11, 12),
}


@pytest.fixture(autouse=True)
def inline_imports(settings, tmp_path):
    """Background tasks run in the request; the cache is private; media go to a temporary folder."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "imports"}}
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def chief():
    return UserFactory(username="chief", is_staff=True, is_superuser=True)


@pytest.fixture
def chief_client(client, chief):
    client.force_login(chief)
    return client


def staff(username: str, *codenames: str):
    user = UserFactory(username=username, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="statistics", codename__in=codenames))
    return user


def url(model, view: str = "") -> str:
    return f"/admin/statistics/{model._meta.model_name}/{view}"


def links_to(page: str, model, view: str) -> bool:
    """Whether the page holds a link to the model's ``view`` (with or without a query string)."""
    return re.search(rf"""href=["']{re.escape(url(model, view))}["'?]""", page) is not None


# ---------------------------------------------------------------------------------------------------------------
# Driving the admin's forms
# ---------------------------------------------------------------------------------------------------------------


def format_choice(form, title: str) -> str:
    return next(value for value, label in form.fields["format"].choices if label == title)


def export(client, model, title: str, query: str = ""):
    """POST the export form as the page offers it: every column ticked, the format chosen by its title.

    ``query`` carries the changelist's filters, which the export applies.
    """
    page = client.get(url(model, "export/") + query)
    assert page.status_code == 200
    form = page.context["form"]
    data = {"format": format_choice(form, title)}
    for name, field in form.fields.items():
        if name == "resource":
            data[name] = form.initial.get("resource", "0")
        elif field.__class__.__name__ == "BooleanField":
            data[name] = "on"
    return client.post(url(model, "export/") + query, data)


def upload(client, model, content: bytes, filename: str, title: str | None = None):
    """POST the import form with a file; the format is read from the form's choices."""
    page = client.get(url(model, "import/"))
    assert page.status_code == 200
    form = page.context["form"]
    title = title or filename.rsplit(".", 1)[-1]
    data = {"resource": "0", "format": format_choice(form, title), "import_file": SimpleUploadedFile(filename, content)}
    return in_english(client).post(url(model, "import/"), data)


def hidden_fields(page_html: str, action: str) -> dict[str, str]:
    """The hidden inputs of the form posting to ``action`` on the page."""
    form = re.search(rf'<form[^>]*action="[^"]*{re.escape(action)}"[^>]*>(.*?)</form>', page_html, re.S)
    assert form, f"no form posting to {action}"
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(1))
        if name != "csrfmiddlewaretoken"
    }


def confirm(client, model, preview):
    """Submit the confirm form the preview page shows, with its hidden fields."""
    fields = hidden_fields(preview.content.decode(), "process_import/")
    return in_english(client).post(url(model, "process_import/"), fields)


def records(content: bytes, title: str) -> tuple[list[str], list[dict]]:
    """An exported file as (headers, one dict per row)."""
    if title == "xlsx":
        sheet = load_workbook(io.BytesIO(content)).worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        headers, body = rows[0], rows[1:]
    elif title == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        headers, body = rows[0], rows[1:]
    else:
        data = json.loads(content.decode("utf-8"))
        headers = list(data[0])
        body = [[item[header] for header in headers] for item in data]
    return headers, [dict(zip(headers, row, strict=True)) for row in body]


def number(value) -> int:
    return int(value)


def form_error(response) -> str:
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    errors = response.context["form"].errors.get("import_file")
    assert errors, "the form shows no error for the file"
    return " ".join(errors)


def runs_after(pk: int):
    return models.ImportRun.objects.filter(pk__gt=pk).order_by("pk")


def last_run_pk() -> int:
    return models.ImportRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# ---------------------------------------------------------------------------------------------------------------
# 1. Every model: import and export links, XLSX/CSV/JSON, the report's figures in Chinese, round trips
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ALL_MODELS, ids=model_id)
def test_changelist_links_to_import_export_and_the_blank_template(chief_client, model):
    page = chief_client.get(url(model)).content.decode()
    for view in ("import/", "export/", "import-template/"):
        assert links_to(page, model, view), view


@pytest.mark.parametrize("model", ALL_MODELS, ids=model_id)
def test_import_and_export_forms_offer_xlsx_csv_and_json(chief_client, model):
    for view in ("import/", "export/"):
        form = chief_client.get(url(model, view)).context["form"]
        assert {label for value, label in form.fields["format"].choices if value} == set(TITLES)


def assert_chinese_headers(headers):
    assert headers
    for header in headers:
        assert CJK.search(str(header)), f"header {header!r} is not Chinese"


def entity_label(label: str) -> str:
    return label[1:-1] if is_of_which(label) else label


def printed_records(report, model) -> list[tuple[str, int, dict[str, int]]]:
    """(entity, year, {printed column: value}) for every entity row of the model's tables, as the report prints."""
    expected = []
    for number_ in TABLES_OF[model]:
        table = report[number_]
        rows = table.domestic_rows() if model.entity_field == "region" else table.foreign_rows()
        for row in rows:
            for year in table.years:
                cells = printed(report, number_, row.label, year)
                if table.measure_over_years:
                    cells = {"数值": next(iter(cells.values()))}
                expected.append((entity_label(row.label), year, cells))
    return expected


@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("model", FIGURE_MODELS, ids=model_id)
def test_figures_export_holds_the_reports_figures(chief_client, report, model, title):
    response = export(chief_client, model, title)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    headers, exported = records(response.content, title)
    assert_chinese_headers(headers)
    entity_header = headers[0]
    by_entity = defaultdict(list)
    for record in exported:
        by_entity[(record[entity_header], number(record["年度"]))].append(record)
    expected = printed_records(report, model)
    assert len(exported) == len(expected)
    for entity, year, cells in expected:
        candidates = [{key: number(record[key]) for key in cells} for record in by_entity[(entity, year)]]
        assert cells in candidates, (entity, year, cells)


@pytest.mark.parametrize("title", TITLES)
def test_patent_export_spot_value(chief_client, title):
    """Table 1: 北京 2025 发明 217495, on the row of the measure 专利申请."""
    _headers, exported = records(export(chief_client, models.RegionPatentFigure, title).content, title)
    beijing = [r for r in exported if r["地区"] == "北京" and number(r["年度"]) == 2025 and r["指标"] == "专利申请"]
    assert [number(record["发明"]) for record in beijing] == [217495]


@pytest.mark.parametrize("title", TITLES)
def test_region_export(chief_client, report, title):
    headers, exported = records(export(chief_client, models.Region, title).content, title)
    assert_chinese_headers(headers)
    assert len(exported) == len(report[1].domestic_rows())
    by_code = {str(record["代码"]): record for record in exported}
    assert (by_code["110000"]["中文名称"], by_code["110000"]["英文名称"]) == ("北京", "Beijing")
    assert by_code["440300"]["中文名称"] == "深圳"
    assert by_code["440300"]["所属省（区、市）"] == "广东"


@pytest.mark.parametrize("title", TITLES)
def test_country_export(chief_client, title):
    headers, exported = records(export(chief_client, models.Country, title).content, title)
    assert_chinese_headers(headers)
    by_name = {record["中文名称"]: record for record in exported}
    assert (by_name["美国"]["代码"], by_name["美国"]["ISO三字母代码"], by_name["美国"]["英文名称"]) == (
        "US",
        "USA",
        "United States",
    )
    assert sorted(by_name["比利时、德国、法国、荷兰"]["成员国"].split("+")) == ["BE", "DE", "FR", "NL"]


@pytest.mark.parametrize("title", TITLES)
def test_foreign_row_order_export_follows_the_printed_order(chief_client, report, title):
    headers, exported = records(export(chief_client, models.ForeignRowOrder, title).content, title)
    assert_chinese_headers(headers)
    table_9 = sorted((number(r["位置"]), r["国家或地区"]) for r in exported if number(r["表"]) == 9)
    assert [name for _position, name in table_9] == [row.label for row in report[9].foreign_rows()]


@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("model", ALL_MODELS, ids=model_id)
def test_an_admin_export_reimports_without_changes(chief_client, chief, model, title):
    """Export, then import the file through the same resource: nothing new, nothing updated, no history."""
    content = export(chief_client, model, title).content
    history = history_counts()
    count = model.objects.count()
    result = resource_for(model).import_data(read_dataset(content, title), user=chief, file_name=f"export.{title}")
    problems = [str(message) for row in result.invalid_rows for message in row.error.messages]
    problems += [str(error.error) for _number, errors in result.row_errors() for error in errors]
    assert problems == []
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, count)
    assert history_counts() == history


def search_for(model) -> str:
    """A search that keeps a handful of rows: 北京 for regions, 美国 for countries, 保护 in the catalogue."""
    if model in (models.Indicator, models.IndicatorGroup):
        return "?q=保护"
    entity = getattr(model, "entity_field", "") or ("region" if model is models.Region else "country")
    return "?q=北京" if entity == "region" else "?q=美国"


@pytest.mark.parametrize("model", ALL_MODELS, ids=model_id)
def test_export_costs_the_same_queries_for_a_few_rows_or_all(chief_client, model):
    """Related regions, countries and members are fetched with the rows, not once per row."""

    def queries(query: str) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = export(chief_client, model, "csv", query)
        _headers, exported = records(response.content, "csv")
        return len(captured), len(exported)

    queries("")  # warm the session and content types
    few_queries, few_rows = queries(search_for(model))
    all_queries, all_rows = queries("")
    assert 0 < few_rows < all_rows == model.objects.count()
    assert all_queries == few_queries


# ---------------------------------------------------------------------------------------------------------------
# 3. Preview, then confirm; an ImportRun for each
# ---------------------------------------------------------------------------------------------------------------


def preview_then_confirm_rows(report) -> list[list]:
    """Two new rows (2031), one changed (上海 2025, 发明 + 1) and one unchanged (广东 2025)."""
    new = good_patent_rows(report)[:2]
    changed = patent_row(report, 1, "上海", 2025)
    changed[3] += 1
    changed[6] = None
    return [PATENT_HEADER, *new, changed, patent_row(report, 1, "广东", 2025)]


@pytest.mark.parametrize("title", TITLES)
def test_preview_writes_nothing_then_confirm_writes_and_both_are_recorded(chief_client, chief, report, title):
    content = FILE_BUILDERS[title](preview_then_confirm_rows(report))
    filename = f"专利申请.{title}"
    shanghai = printed(report, 1, "上海", 2025)["发明"]
    history, start = history_counts(), last_run_pk()

    preview = upload(chief_client, models.RegionPatentFigure, content, filename)

    assert preview.status_code == 200
    assert "confirm_form" in preview.context
    page = preview.content.decode()
    assert "process_import/" in page
    for label in ("北京", "天津", "上海", "广东"):
        assert f"<td>{label}</td>" in page
    assert not models.RegionPatentFigure.objects.filter(year=NEW_YEAR).exists()
    assert models.RegionPatentFigure.objects.get(region__code="310000", year=2025, measure="filed").invention == (
        shanghai
    )
    assert history_counts() == history
    (previewed,) = runs_after(start)
    digest = hashlib.sha256(content).hexdigest()
    assert (previewed.status, previewed.user, previewed.filename, previewed.sha256) == (
        models.ImportRun.Status.PREVIEWED,
        chief,
        filename,
        digest,
    )
    assert (previewed.created, previewed.updated, previewed.unchanged, previewed.rejected) == (2, 1, 1, 0)

    done = confirm(chief_client, models.RegionPatentFigure, preview)

    assert done.status_code == 302
    assert models.RegionPatentFigure.objects.filter(year=NEW_YEAR).count() == 2
    assert models.RegionPatentFigure.objects.get(region__code="310000", year=2025, measure="filed").invention == (
        shanghai + 1
    )
    assert history_counts()["RegionPatentFigure"] == history["RegionPatentFigure"] + 3
    _previewed, succeeded = runs_after(start)
    assert (succeeded.status, succeeded.user, succeeded.filename, succeeded.sha256) == (
        models.ImportRun.Status.SUCCEEDED,
        chief,
        filename,
        digest,
    )
    assert (succeeded.created, succeeded.updated, succeeded.unchanged, succeeded.rejected) == (2, 1, 1, 0)


def test_region_preview_then_confirm(chief_client, chief):
    rows = [
        REGION_HEADER,
        ["990200", "新省", "新省全称", "New Province", "province", "", 3201],
        ["990201", "新市", "新市全称", "New City", "city", "New Province", 3202],
    ]
    content, start = FILE_BUILDERS["xlsx"](rows), last_run_pk()
    preview = upload(chief_client, models.Region, content, "regions.xlsx")
    assert "confirm_form" in preview.context
    assert not models.Region.objects.filter(code__in=["990200", "990201"]).exists()
    done = confirm(chief_client, models.Region, preview)
    assert done.status_code == 302
    assert models.Region.objects.get(code="990201").parent.code == "990200"
    previewed, succeeded = runs_after(start)
    assert [run.status for run in (previewed, succeeded)] == ["confirmed", "succeeded"]  # the preview was used
    assert {run.sha256 for run in (previewed, succeeded)} == {hashlib.sha256(content).hexdigest()}
    assert (succeeded.created, succeeded.updated, succeeded.unchanged, succeeded.user) == (2, 0, 0, chief)


def country_rows(codes: list[str]) -> list[list]:
    return [
        ["国家或地区", "年度", "指标", "发明", "实用新型", "外观设计", "合计"],
        *([code, NEW_YEAR, "专利申请", 3, 2, 1, 6] for code in codes),
    ]


def test_preview_costs_the_same_queries_for_five_rows_or_eighty(chief_client):
    """The figures preview reads and checks the file in bulk: no query per row."""
    codes = list(models.Country.objects.filter(kind="country").order_by("code").values_list("code", flat=True)[:80])
    upload(chief_client, models.CountryPatentFigure, FILE_BUILDERS["csv"](country_rows(codes[:1])), "warm.csv")

    def queries(rows) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = upload(chief_client, models.CountryPatentFigure, FILE_BUILDERS["csv"](rows), "rows.csv")
        assert "confirm_form" in response.context
        return len(captured)

    assert queries(country_rows(codes[:5])) == queries(country_rows(codes))


# ---------------------------------------------------------------------------------------------------------------
# 4. History through the admin
# ---------------------------------------------------------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing_and_writes_no_history(chief_client):
    content = export(chief_client, models.RegionTrademarkFigure, "csv").content
    count, history, start = models.RegionTrademarkFigure.objects.count(), history_counts(), last_run_pk()
    preview = upload(chief_client, models.RegionTrademarkFigure, content, "trademarks.csv")
    assert confirm(chief_client, models.RegionTrademarkFigure, preview).status_code == 302
    assert history_counts() == history
    _previewed, succeeded = runs_after(start)
    assert (succeeded.status, succeeded.created, succeeded.updated, succeeded.unchanged) == ("succeeded", 0, 0, count)


def latest_history(model, pk):
    latest = model.history.filter(id=pk).order_by("-history_id").first()
    previous = model.history.filter(id=pk, history_id__lt=latest.history_id).order_by("-history_id").first()
    return latest, previous


def test_changing_one_figure_through_the_admin_records_one_history_row(chief_client, chief, report):
    row = patent_row(report, 1, "北京", 2025)
    before = row[3]
    row[3], row[6] = before + 10, None
    figure = models.RegionPatentFigure.objects.get(region__code="110000", year=2025, measure="filed")
    history = history_counts()
    preview = upload(chief_client, models.RegionPatentFigure, FILE_BUILDERS["csv"]([PATENT_HEADER, row]), "fix.csv")
    confirm(chief_client, models.RegionPatentFigure, preview)
    assert history_counts() == dict(history, RegionPatentFigure=history["RegionPatentFigure"] + 1)
    latest, previous = latest_history(models.RegionPatentFigure, figure.pk)
    assert (previous.invention, latest.invention) == (before, before + 10)
    changes = {change.field: (change.old, change.new) for change in latest.diff_against(previous).changes}
    assert changes == {"invention": (before, before + 10)}
    assert latest.history_user == chief
    assert "fix.csv" in latest.history_change_reason


def test_changing_one_region_through_the_admin_records_one_history_row(chief_client, chief):
    beijing = models.Region.objects.get(code="110000")
    row = ["110000", "北京", "北京市", "Peking", "province", "", beijing.display_order]
    history = history_counts()
    preview = upload(chief_client, models.Region, FILE_BUILDERS["csv"]([REGION_HEADER, row]), "regions.csv")
    confirm(chief_client, models.Region, preview)
    assert history_counts() == dict(history, Region=history["Region"] + 1)
    latest, previous = latest_history(models.Region, beijing.pk)
    assert (previous.name_en, latest.name_en) == ("Beijing", "Peking")
    recorded = {"user": latest.history_user, "reason given": bool(latest.history_change_reason)}
    assert recorded == {"user": chief, "reason given": True}


# ---------------------------------------------------------------------------------------------------------------
# 5. Refused previews: every problem with its row and column, no confirm form, nothing written
# ---------------------------------------------------------------------------------------------------------------


def assert_refused(response, start: int, history: dict) -> list[str]:
    """The preview lists problems and offers no confirm form; nothing is written; the run is recorded refused."""
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert "process_import/" not in response.content.decode()
    result = response.context["result"]
    assert result.has_validation_errors()
    assert history_counts() == history
    (run,) = runs_after(start)
    assert run.status == models.ImportRun.Status.REFUSED
    assert (run.created, run.updated, run.unchanged) == (0, 0, 0)
    return [str(message) for row in result.invalid_rows for message in row.error.messages]


@pytest.mark.parametrize("case", BAD_ROW_CASES)
def test_a_bad_row_is_shown_with_its_row_and_column_and_nothing_is_written(chief_client, report, case):
    rows, _bad_row, accepted, column = file_with_bad_row(report, case)
    history, start = history_counts(), last_run_pk()

    response = upload(chief_client, models.RegionPatentFigure, FILE_BUILDERS["xlsx"](rows), "bad.xlsx")

    messages = assert_refused(response, start, history)
    assert len(messages) == 1, messages
    (row,) = response.context["result"].invalid_rows
    assert row.number in accepted
    assert at(row.number, column).search(messages[0]), messages[0]
    assert escape(messages[0]) in response.content.decode()
    assert not models.RegionPatentFigure.objects.filter(year=NEW_YEAR).exists()


def test_several_bad_rows_are_all_shown_at_once(chief_client, report):
    cases = bad_rows(report)
    good = good_patent_rows(report)
    empty = ["重庆", *cases["empty cell"][0][1:]]  # 上海 is already the negative row
    rows = [PATENT_HEADER, cases["negative value"][0], good[0], empty, cases["unknown region"][0]]
    history, start = history_counts(), last_run_pk()
    response = upload(chief_client, models.RegionPatentFigure, FILE_BUILDERS["csv"](rows), "bad.csv")
    messages = assert_refused(response, start, history)
    assert len(messages) == 3
    for row, column, message in zip((2, 4, 5), ("D", "F", None), messages, strict=True):
        assert at(row, column).search(message), message
    page = response.content.decode()
    assert all(escape(message) in page for message in messages)


@pytest.mark.parametrize(
    ("model", "rows"),
    [
        (
            models.Region,
            [
                REGION_HEADER,
                ["990300", "新省", "新省全称", "New Province", "province", "", 3301],
                ["990301", "新市", "新市全称", "New City", "city", "火星", 3302],
            ],
        ),
        (models.Country, [COUNTRY_HEADER, ["QX", "QX", "QXQ", "新国", "Newland", "planet", ""]]),
    ],
    ids=["Region", "Country"],
)
def test_a_bad_reference_row_is_shown_and_nothing_is_written(chief_client, model, rows):
    count, history, start = model.objects.count(), history_counts(), last_run_pk()
    response = upload(chief_client, model, FILE_BUILDERS["csv"](rows), "reference.csv")
    assert assert_refused(response, start, history)
    assert model.objects.count() == count


# ---------------------------------------------------------------------------------------------------------------
# 6. Blank templates
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ALL_MODELS, ids=model_id)
def test_blank_template_has_the_chinese_header_and_explains_each_column(chief_client, model):
    response = chief_client.get(url(model, "import-template/"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    workbook = load_workbook(io.BytesIO(response.content))
    data, notes = workbook.worksheets[:2]
    header = [cell for cell in next(data.iter_rows(values_only=True)) if cell is not None]
    assert data.max_row == 1, "the template holds data rows"
    assert_chinese_headers(header)
    exported, _records = records(export(chief_client, model, "csv").content, "csv")
    assert header == [column for column in exported if column != "合计"]  # the row total is derived
    assert notes.title == "说明"
    explained = {row[0]: row[1] for row in notes.iter_rows(min_row=2, values_only=True) if row and row[0]}
    for column in header:
        assert explained.get(column), f"the column {column!r} is not explained"


def test_a_filled_in_template_imports(chief_client, report):
    """The template's header is what the import expects: fill in one row under it and it previews, then writes."""
    workbook = load_workbook(io.BytesIO(chief_client.get(url(models.RegionPatentFigure, "import-template/")).content))
    header = [cell.value for cell in workbook.worksheets[0][1]]
    cells = printed(report, 1, "北京", 2025)
    row = {"地区": "北京", "年度": NEW_YEAR, "指标": "专利申请"}
    row |= {key: cells[key] for key in ("发明", "实用新型", "外观设计")}
    workbook.worksheets[0].append([row[column] for column in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = upload(chief_client, models.RegionPatentFigure, buffer.getvalue(), "filled.xlsx")
    assert "confirm_form" in preview.context
    confirm(chief_client, models.RegionPatentFigure, preview)
    assert models.RegionPatentFigure.objects.get(region__code="110000", year=NEW_YEAR).total == cells["合计"]


def test_blank_template_is_refused_without_the_import_permission(client):
    client.force_login(staff("reader", "view_region"))
    assert client.get(url(models.Region, "import-template/")).status_code == 403


# ---------------------------------------------------------------------------------------------------------------
# 7. Permissions
# ---------------------------------------------------------------------------------------------------------------

IMPORT_FIGURES = [f"import_{model._meta.model_name}" for model in FIGURE_MODELS]


@pytest.mark.parametrize("model", ALL_MODELS, ids=model_id)
def test_staff_without_the_import_permission_see_no_import_link_and_get_403(client, report, model):
    client.force_login(staff("viewer", f"view_{model._meta.model_name}"))
    page = client.get(url(model))
    assert page.status_code == 200
    links = page.content.decode()
    assert not links_to(links, model, "import/")
    assert not links_to(links, model, "import-template/")
    assert links_to(links, model, "export/")
    content = FILE_BUILDERS["csv"]([PATENT_HEADER, *good_patent_rows(report)])
    assert client.get(url(model, "import/")).status_code == 403
    posted = {"resource": "0", "format": "1", "import_file": SimpleUploadedFile("x.csv", content)}
    assert client.post(url(model, "import/"), posted).status_code == 403
    fields = {"import_file_name": "x", "original_file_name": "x.csv", "format": "1", "resource": "0"}
    assert client.post(url(model, "process_import/"), fields).status_code == 403
    assert client.get(url(model, "import-template/")).status_code == 403
    assert not models.RegionPatentFigure.objects.filter(year=NEW_YEAR).exists()


def test_the_import_permission_opens_the_import(client, report):
    client.force_login(staff("importer", "view_regionpatentfigure", "import_regionpatentfigure"))
    assert links_to(client.get(url(models.RegionPatentFigure)).content.decode(), models.RegionPatentFigure, "import/")
    content = FILE_BUILDERS["csv"]([PATENT_HEADER, *good_patent_rows(report)])
    preview = upload(client, models.RegionPatentFigure, content, "ok.csv")
    assert "confirm_form" in preview.context
    assert confirm(client, models.RegionPatentFigure, preview).status_code == 302
    assert models.RegionPatentFigure.objects.filter(year=NEW_YEAR).count() == 3


def test_export_needs_the_view_permission(client):
    client.force_login(staff("importer", "import_region", "change_country"))
    assert client.get(url(models.Region, "export/")).status_code == 403
    assert client.post(url(models.Region, "export/"), {"format": "1", "resource": "0"}).status_code == 403
    client.force_login(staff("reader", "view_region"))
    assert export(client, models.Region, "csv").status_code == 200


def test_appendix_upload_needs_the_import_permission_on_every_figures_model(client):
    client.force_login(staff("partial", *IMPORT_FIGURES[:-1]))
    assert client.get(APPENDIX_IMPORT).status_code == 403
    assert client.post(APPENDIX_IMPORT, {"file": SimpleUploadedFile("a.csv", b"x")}).status_code == 403
    client.force_login(staff("full", *IMPORT_FIGURES))
    assert client.get(APPENDIX_IMPORT).status_code == 200


# ---------------------------------------------------------------------------------------------------------------
# 8. Formula injection
# ---------------------------------------------------------------------------------------------------------------

FORMULAS = ('=HYPERLINK("http://evil.example","x")', "@SUM(1)", "-cmd", "+1")


@pytest.fixture
def formula_records():
    """A region and a country whose names a spreadsheet would run as formulas."""
    region = RegionFactory(name_en=FORMULAS[0], name_zh=FORMULAS[1], full_name_zh=FORMULAS[1] + "全称")
    country = CountryFactory(name_en=FORMULAS[2], name_zh=FORMULAS[3])
    return region, country


def exported_record(client, model, title, code):
    _headers, exported = records(export(client, model, title).content, title)
    return next(record for record in exported if str(record["代码"]) == code)


@pytest.mark.parametrize("title", ["csv", "xlsx"])
def test_exports_escape_text_that_starts_a_formula(chief_client, formula_records, title):
    region, country = formula_records
    record = exported_record(chief_client, models.Region, title, region.code)
    assert record["英文名称"] == "'" + FORMULAS[0]
    assert record["中文名称"] == "'" + FORMULAS[1]
    assert record["中文全称"] == "'" + FORMULAS[1] + "全称"
    assert str(record["显示顺序"]) == str(region.display_order)
    record = exported_record(chief_client, models.Country, title, country.code)
    assert record["英文名称"] == "'" + FORMULAS[2]
    assert record["中文名称"] == "'" + FORMULAS[3]


def test_xlsx_export_keeps_numbers_numeric(chief_client, formula_records):
    """Numbers are not escaped, and stay numbers: Excel must be able to add them up."""
    region, _country = formula_records
    record = exported_record(chief_client, models.Region, "xlsx", region.code)
    assert record["显示顺序"] == region.display_order
    sheet = load_workbook(io.BytesIO(export(chief_client, models.RegionPatentFigure, "xlsx").content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    beijing = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "北京")
    invention = beijing[header.index("发明")]
    assert (invention.data_type, type(invention.value)) == ("n", int)
    assert beijing[header.index("年度")].data_type == "n"


@pytest.mark.parametrize("title", ["csv", "xlsx"])
def test_an_escaped_export_reimports_to_the_original_text(chief_client, chief, formula_records, title):
    """The quote added on export is taken off again on import: the round trip changes nothing."""
    region, country = formula_records
    updated = {}
    for model, record in ((models.Region, region), (models.Country, country)):
        content = export(chief_client, model, title).content
        result = resource_for(model).import_data(read_dataset(content, title), user=chief)
        updated[model.__name__] = result.totals["update"]
        record.refresh_from_db()
    assert (region.name_en, region.name_zh, country.name_en, country.name_zh) == FORMULAS
    assert updated == {"Region": 0, "Country": 0}


# ---------------------------------------------------------------------------------------------------------------
# 9. Upload limits
# ---------------------------------------------------------------------------------------------------------------


def assert_nothing_written(counts, history, start):
    assert figure_counts() == counts
    assert history_counts() == history
    assert not models.ImportRun.objects.filter(pk__gt=start, status__in=["previewed", "succeeded"]).exists()


@pytest.fixture
def before():
    return figure_counts(), history_counts(), last_run_pk()


@pytest.mark.parametrize("title", TITLES)
def test_a_file_over_the_size_limit_is_refused(chief_client, settings, report, before, title):
    content = FILE_BUILDERS[title]([PATENT_HEADER, *good_patent_rows(report)])
    settings.IMPORT_MAX_FILE_SIZE = len(content) // 2
    message = form_error(upload(chief_client, models.RegionPatentFigure, content, f"big.{title}"))
    assert f"limit of {len(content) // 2} bytes" in message
    assert_nothing_written(*before)


@pytest.mark.parametrize("title", ["csv", "xlsx"])
def test_a_file_one_byte_over_the_size_limit_is_refused(chief_client, settings, report, before, title):
    """The limit applies to the uploaded bytes: a CSV's CRLF line ends count too."""
    content = FILE_BUILDERS[title]([PATENT_HEADER, *good_patent_rows(report)])
    assert title != "csv" or content.count(b"\r\n") == 4
    settings.IMPORT_MAX_FILE_SIZE = len(content) - 1
    message = form_error(upload(chief_client, models.RegionPatentFigure, content, f"big.{title}"))
    assert f"the file is {len(content)} bytes" in message
    assert_nothing_written(*before)


def test_a_file_over_the_row_limit_is_refused(chief_client, settings, report, before):
    settings.IMPORT_MAX_ROWS = 2
    content = FILE_BUILDERS["xlsx"]([PATENT_HEADER, *good_patent_rows(report)])
    message = form_error(upload(chief_client, models.RegionPatentFigure, content, "long.xlsx"))
    assert "3 rows" in message and "limit of 2" in message
    assert_nothing_written(*before)


def zip_bomb() -> bytes:
    """An .xlsx-looking archive whose single sheet unpacks to far more than its packed size."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (8 * 1024 * 1024))
    return buffer.getvalue()


def test_a_zip_bomb_is_refused(chief_client, before):
    message = form_error(upload(chief_client, models.RegionPatentFigure, zip_bomb(), "bomb.xlsx"))
    assert "out of proportion" in message
    assert_nothing_written(*before)


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("picture.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
        ("picture.csv", b"\x89PNG\r\n\x1a\n\xff\xfe\x00" + bytes(range(256)) * 4),
        ("notes.json", b"these are notes, not a table"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_with_a_clear_message(chief_client, before, filename, content):
    message = form_error(upload(chief_client, models.RegionPatentFigure, content, filename))
    assert "encountered while trying to read file" not in message, f"only the exception's name: {message}"
    assert re.search(r"spreadsheet|XLSX|CSV|JSON", message), message
    assert_nothing_written(*before)


# ---------------------------------------------------------------------------------------------------------------
# 10. Long imports: previewed in the background, with a progress page; confirmed by their owner only
# ---------------------------------------------------------------------------------------------------------------


def test_a_long_import_is_previewed_then_confirmed_from_its_progress_page(chief_client, chief):
    rows = large_country_patent_rows()
    content = FILE_BUILDERS["csv"](rows)
    total = len(rows) - 1
    count, history, start = models.CountryPatentFigure.objects.count(), history_counts(), last_run_pk()

    response = upload(chief_client, models.CountryPatentFigure, content, "long.csv")

    (preview,) = runs_after(start)
    progress_url = f"/admin/statistics/importrun/{preview.pk}/progress/"
    assert response.status_code == 302
    assert response["Location"] == progress_url
    assert (preview.status, preview.user, preview.filename, preview.sha256) == (
        "previewed",
        chief,
        "long.csv",
        hashlib.sha256(content).hexdigest(),
    )
    assert (preview.total_rows, preview.created, preview.updated, preview.unchanged) == (total, total, 0, 0)
    assert models.CountryPatentFigure.objects.count() == count
    assert history_counts() == history

    page = chief_client.get(progress_url)
    assert page.status_code == 200
    assert f"/admin/statistics/importrun/{preview.pk}/confirm/" in page.content.decode()
    state = chief_client.get(f"/admin/statistics/importrun/{preview.pk}/progress.json").json()
    assert state["status"] == "previewed"
    assert state["progress"]["done"] == state["progress"]["total"] == total

    deputy = Client()
    deputy.force_login(UserFactory(username="deputy", is_staff=True, is_superuser=True))
    assert deputy.post(f"/admin/statistics/importrun/{preview.pk}/confirm/").status_code == 403
    assert models.CountryPatentFigure.objects.count() == count

    confirmed = chief_client.post(f"/admin/statistics/importrun/{preview.pk}/confirm/")

    (_preview, run) = runs_after(start)
    assert confirmed.status_code == 302
    assert confirmed["Location"] == f"/admin/statistics/importrun/{run.pk}/progress/"
    assert (run.status, run.user, run.sha256, run.created) == ("succeeded", chief, preview.sha256, total)
    assert models.CountryPatentFigure.objects.count() == count + total
    assert history_counts()["CountryPatentFigure"] == history["CountryPatentFigure"] + total
    stored = models.CountryPatentFigure.objects.get(country__code=rows[1][0], year=rows[1][1], measure=rows[1][2])
    assert (stored.invention, stored.utility_model, stored.design) == tuple(rows[1][3:6])
    preview.refresh_from_db()
    assert preview.status == "confirmed"

    again = chief_client.post(f"/admin/statistics/importrun/{preview.pk}/confirm/")
    assert again.status_code == 302
    assert len(runs_after(start)) == 2, "a second click on Confirm must not start a second import"
    assert models.CountryPatentFigure.objects.count() == count + total


def test_someone_elses_import_run_is_hidden_from_staff_without_the_view_permission(client):
    run = models.ImportRun.objects.create(
        kind="statistics.region", user=UserFactory(), filename="x.csv", status="previewed"
    )
    client.force_login(staff("other", "view_region", "import_region"))
    assert client.get(f"/admin/statistics/importrun/{run.pk}/progress/").status_code == 403
    assert client.get(f"/admin/statistics/importrun/{run.pk}/progress.json").status_code == 403
    assert client.post(f"/admin/statistics/importrun/{run.pk}/confirm/").status_code == 403


# ---------------------------------------------------------------------------------------------------------------
# 12. The appendix workbook upload
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture
def appendix_2025(tmp_path) -> bytes:
    """The workbook ``export_appendix`` writes for 2025 (tables 1–12, years 2024 and 2025)."""
    path = tmp_path / "appendix-2025.xlsx"
    call_command("export_appendix", year=2025, output=str(path), stdout=io.StringIO())
    return path.read_bytes()


def test_appendix_upload_previews_then_confirms(chief_client, chief, appendix_2025):
    stored = figure_counts()
    total = sum(stored.values())
    for model in FIGURE_MODELS:
        model.objects.all().delete()
    start = last_run_pk()

    preview = in_english(chief_client).post(APPENDIX_IMPORT, {"file": SimpleUploadedFile("附录.xlsx", appendix_2025)})

    assert preview.status_code == 200
    outcome = preview.context["outcome"]
    assert outcome.ok
    assert (outcome.counts.created, outcome.counts.updated, outcome.counts.unchanged) == (total, 0, 0)
    page = preview.content.decode()
    assert f"<td>{total}</td>" in page
    assert 'name="confirm"' in page
    assert set(figure_counts().values()) == {0}
    (previewed,) = runs_after(start)
    assert (previewed.kind, previewed.status, previewed.user) == ("appendix", "previewed", chief)

    fields = dict(re.findall(r'type="hidden" name="(run)" value="([^"]*)"', page))
    assert fields == {"run": str(previewed.pk)}  # the confirm names the preview's run, never a file
    confirmed = in_english(chief_client).post(APPENDIX_IMPORT, {**fields, "confirm": "1"})

    (_previewed, run) = runs_after(start)
    assert confirmed.status_code == 302
    assert confirmed["Location"] == f"/admin/statistics/importrun/{run.pk}/change/"
    assert figure_counts() == stored
    assert (run.status, run.user, run.filename, run.created) == ("succeeded", chief, "附录.xlsx", total)
    assert run.sha256 == hashlib.sha256(appendix_2025).hexdigest()
    beijing = models.RegionPatentFigure.objects.get(region__code="110000", year=2025, measure="filed")
    assert beijing.invention == 217495


def test_appendix_upload_of_the_stored_figures_changes_nothing(chief_client, appendix_2025):
    history = history_counts()
    preview = chief_client.post(APPENDIX_IMPORT, {"file": SimpleUploadedFile("附录.xlsx", appendix_2025)})
    outcome = preview.context["outcome"]
    assert (outcome.counts.created, outcome.counts.updated, outcome.counts.unchanged) == (
        0,
        0,
        sum(figure_counts().values()),
    )
    assert history_counts() == history


def test_appendix_upload_lists_every_problem_of_a_refused_file(chief_client, appendix_2025, report):
    workbook = load_workbook(io.BytesIO(appendix_2025))
    table_1 = workbook["表1"]
    beijing = next(row for row in table_1.iter_rows() if row[0].value == "北京")
    beijing[-2].value += 1  # 2025 实用新型: the row total and the domestic total no longer add up
    table_7 = workbook["表7"]
    shanghai = next(row for row in table_7.iter_rows() if row[0].value == "上海")
    shanghai[1].value = -5
    buffer = io.BytesIO()
    workbook.save(buffer)
    counts, start = figure_counts(), last_run_pk()

    response = in_english(chief_client).post(
        APPENDIX_IMPORT, {"file": SimpleUploadedFile("bad.xlsx", buffer.getvalue())}
    )

    assert response.status_code == 200
    outcome = response.context["outcome"]
    assert not outcome.ok
    assert len(outcome.problems) >= 3
    page = response.content.decode()
    with translation.override("en"):  # the page was rendered in English; so is each problem's location here
        for problem in outcome.problems:
            assert escape(str(problem)) in page
    assert 'name="confirm"' not in page
    assert any("北京" in str(problem) for problem in outcome.problems)
    assert any("上海" in str(problem) and "-5" in str(problem) for problem in outcome.problems)
    assert figure_counts() == counts
    (run,) = runs_after(start)
    assert run.status == "refused"
    assert len(run.problems) == len(outcome.problems)
