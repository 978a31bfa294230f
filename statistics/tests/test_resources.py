"""The import-export resources of every model: natural keys, history, and all-or-nothing imports.

Files are built here as rows of cells (the report's own figures, from ``conftest.Report``, or factory data) and go
through the resources the admin and the ``import_records`` command use. The admin's screens are covered in
``test_admin_import.py`` and the command in ``test_import_records.py``; both reuse the builders below.
"""

import csv
import io
import json
import re

import pytest
from django.apps import apps
from django.contrib import admin
from openpyxl import Workbook

from core.formats import CSV, JSON, XLSX
from core.progress import LARGE_IMPORT
from statistics import models, resources

from .conftest import FIGURE_MODELS
from .factories import CountryFactory, UserFactory, unused_code

pytestmark = pytest.mark.django_db

REFERENCE_MODELS = (models.Region, models.Country, models.ForeignRowOrder)
CATALOGUE_MODELS = (models.IndicatorGroup, models.Indicator)
ALL_MODELS = (*REFERENCE_MODELS, *CATALOGUE_MODELS, *FIGURE_MODELS)
FORMAT_TITLES = {"xlsx", "csv", "json"}

PATENT_HEADER = ["地区", "年度", "指标", "发明", "实用新型", "外观设计", "合计"]
COUNTRY_PATENT_HEADER = ["国家或地区", "年度", "指标", "发明", "实用新型", "外观设计", "合计"]
REGION_HEADER = ["代码", "中文名称", "中文全称", "英文名称", "级别", "所属省（区、市）", "显示顺序"]
COUNTRY_HEADER = ["代码", "ISO二字母代码", "ISO三字母代码", "中文名称", "英文名称", "类型", "成员国"]
PATENT_MEASURES = ("filed", "granted", "in_force")
NEW_YEAR = 2031  # a year the report does not cover, so that rows written by a test are easy to find


def model_id(model) -> str:
    return model.__name__


# ---------------------------------------------------------------------------------------------------------------
# Files and imports, shared with the admin and command tests
# ---------------------------------------------------------------------------------------------------------------


def csv_bytes(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["" if cell is None else cell for cell in row] for row in rows])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def json_bytes(rows) -> bytes:
    header, *body = rows
    return json.dumps([dict(zip(header, row, strict=True)) for row in body], ensure_ascii=False).encode("utf-8")


FILE_BUILDERS = {"xlsx": xlsx_bytes, "csv": csv_bytes, "json": json_bytes}
FORMAT_CLASSES = {"xlsx": XLSX, "csv": CSV, "json": JSON}


def read_dataset(content: bytes, extension: str):
    """The file as the admin reads it: through the project's format class (limits and all)."""
    format_class = FORMAT_CLASSES[extension]
    return format_class().create_dataset(content if format_class().is_binary() else content.decode("utf-8-sig"))


def resource_for(model):
    """The resource the admin uses for ``model`` (and the ``import_records`` command)."""
    return admin.site._registry[model].resource_classes[0]()


def import_rows(model, rows, *, dry_run=False, user=None, extension="csv", file_name=None):
    content = FILE_BUILDERS[extension](rows)
    return resource_for(model).import_data(
        read_dataset(content, extension), dry_run=dry_run, user=user, file_name=file_name or f"upload.{extension}"
    )


def history_counts() -> dict[str, int]:
    """Historical records of every model that keeps history."""
    return {
        model.__name__: model.history.count()
        for model in apps.get_app_config("statistics").get_models()
        if hasattr(model, "history") and not model.__name__.startswith("Historical")
    }


def figure_rows(model) -> int:
    return model.objects.count()


def printed(report, number: int, label: str, year: int) -> dict[str, int]:
    """The printed cells of one row and year, keyed by the printed column label (发明, 合计, 申请量 …)."""
    return {
        measure: value for (printed_year, measure), value in report[number].cells(label).items() if printed_year == year
    }


def patent_row(report, number: int, label: str, year: int, *, as_year: int | None = None, measure="专利申请"):
    """A long-format patent row carrying the report's printed figures of ``label`` in ``year``."""
    cells = printed(report, number, label, year)
    return [label, as_year or year, measure, cells["发明"], cells["实用新型"], cells["外观设计"], cells["合计"]]


def good_patent_rows(report) -> list[list]:
    """Three clean rows for a year the report does not cover: 北京, 天津 and 广东 with their 2025 applications."""
    return [patent_row(report, 1, label, 2025, as_year=NEW_YEAR) for label in ("北京", "天津", "广东")]


def bad_rows(report) -> dict[str, tuple[list, str | None]]:
    """One bad row per rule, with the column its problem is found in (None: the row as a whole)."""
    guangdong = printed(report, 1, "广东", 2025)
    return {
        "negative value": (["上海", NEW_YEAR, "专利申请", -1, 2, 3, None], "D"),
        "text in a number cell": (["上海", NEW_YEAR, "专利申请", 1, "十二", 3, None], "E"),
        "empty cell": (["上海", NEW_YEAR, "专利申请", 1, 2, None, None], "F"),
        "unknown region": (["火星", NEW_YEAR, "专利申请", 1, 2, 3, None], None),
        "duplicate region, year and measure": (["北京", NEW_YEAR, "filed", 1, 2, 3, None], None),
        "total not equal to the parts": (["上海", NEW_YEAR, "专利申请", 1, 2, 3, 7], "G"),
        "city larger than its province": (["深圳", NEW_YEAR, "专利申请", guangdong["发明"] + 1, 0, 0, None], "D"),
        "unknown measure": (["上海", NEW_YEAR, "专利转让", 1, 2, 3, None], "C"),
        "bad year": (["上海", "二〇三一", "专利申请", 1, 2, 3, None], "B"),
    }


BAD_ROW_CASES = [
    "negative value",
    "text in a number cell",
    "empty cell",
    "unknown region",
    "duplicate region, year and measure",
    "total not equal to the parts",
    "city larger than its province",
    "unknown measure",
    "bad year",
]


def file_with_bad_row(report, case: str) -> tuple[list[list], int, set[int], str | None]:
    """(rows with the header, the bad row's spreadsheet row, the rows its problem may be reported at, column).

    The bad row sits between 北京 (row 2) and the other good rows. A city larger than its province is one problem
    about two rows, so it may be reported at the city's row or at the province's.
    """
    good = good_patent_rows(report)
    bad, column = bad_rows(report)[case]
    rows = [PATENT_HEADER, good[0], bad, *good[1:]]
    accepted = {3}
    if case == "city larger than its province":
        accepted.add(1 + next(index for index, row in enumerate(rows) if row[0] == "广东"))
    return rows, 3, accepted, column


def problem_texts(result) -> list[tuple[int, str]]:
    """(row number, message) of every problem import-export's result reports."""
    return [(row.number, str(message)) for row in result.invalid_rows for message in row.error.messages]


def large_country_patent_rows(first_year: int = 2040) -> list[list]:
    """More than ``LARGE_IMPORT`` long-format rows: every country × the three patent measures × enough years."""
    countries = list(models.Country.objects.order_by("code").values_list("code", flat=True))
    per_year = len(countries) * len(PATENT_MEASURES)
    years = range(first_year, first_year + LARGE_IMPORT // per_year + 1)
    rows = [COUNTRY_PATENT_HEADER]
    for year in years:
        for measure in PATENT_MEASURES:
            for index, code in enumerate(countries):
                rows.append([code, year, measure, index % 50, index % 7, year % 3, None])
    assert len(rows) - 1 > LARGE_IMPORT
    return rows


def at(row: int, column: str | None = None) -> re.Pattern:
    """The location a problem message names ("row 3, column D"), in English or Chinese."""
    pattern = rf"(row {row}\b|第 {row} 行)"
    if column:
        pattern += rf".*(column {column}\b|第 {column} 列)"
    return re.compile(pattern)


# ---------------------------------------------------------------------------------------------------------------
# Every model has a resource, offered in XLSX, CSV and JSON
# ---------------------------------------------------------------------------------------------------------------


def test_every_model_of_the_app_has_an_import_resource():
    """Each data model of the app (import runs and their uploads aside) is registered in the admin with a resource
    for itself."""
    data_models = [
        model
        for model in apps.get_app_config("statistics").get_models()
        if model not in (models.ImportRun, models.ImportUpload)
        and not model.__name__.startswith("Historical")
        # the national figures and return: their admin and resources are checked in test_national_admin.py
        and model not in (models.NationalSeries, models.NationalFigure, models.NationalReturn)
    ]
    # chapter-table figures: their round trips go through the report layout (test_chapter_tables.py)
    assert set(data_models) == set(ALL_MODELS) | {models.ChapterFigure}
    for model in data_models:
        model_admin = admin.site._registry.get(model)
        assert model_admin is not None, f"{model.__name__} has no admin"
        assert model_admin.resource_classes, f"{model.__name__} has no resource"
        assert all(resource._meta.model is model for resource in model_admin.resource_classes)


@pytest.mark.parametrize("model", ALL_MODELS, ids=model_id)
def test_admin_imports_and_exports_xlsx_csv_and_json(model):
    model_admin = admin.site._registry[model]
    assert {format_class().get_title() for format_class in model_admin.get_import_formats()} == FORMAT_TITLES
    assert {format_class().get_title() for format_class in model_admin.get_export_formats()} == FORMAT_TITLES


@pytest.mark.parametrize("model", ALL_MODELS, ids=model_id)
def test_resource_headers_are_chinese(model):
    headers = resource_for(model).get_export_headers()
    assert headers
    for header in headers:
        assert re.search(r"[\u4e00-\u9fff]", header), f"{model.__name__}: header {header!r} is not Chinese"


# ---------------------------------------------------------------------------------------------------------------
# Natural keys
# ---------------------------------------------------------------------------------------------------------------


def stored_patent(code: str, year: int, measure: str, model=models.RegionPatentFigure):
    entity = "region" if model is models.RegionPatentFigure else "country"
    return model.objects.get(**{f"{entity}__code": code, "year": year, "measure": measure})


@pytest.mark.parametrize("entity", ["北京", "Beijing", "beijing", "110000", "北　京"])
@pytest.mark.parametrize("measure", ["filed", "专利申请"])
def test_figures_match_the_region_by_name_english_name_or_code_and_the_measure_by_code_or_label(
    report, entity, measure
):
    """Whatever spelling the file uses, the import updates 北京's 2025 applications row, and only that row."""
    beijing = printed(report, 1, "北京", 2025)
    assert stored_patent("110000", 2025, "filed").invention == beijing["发明"] == 217495
    granted_before = stored_patent("110000", 2025, "granted").invention
    count = figure_rows(models.RegionPatentFigure)
    row = [entity, 2025, measure, beijing["发明"] + 1, beijing["实用新型"], beijing["外观设计"], None]

    result = import_rows(models.RegionPatentFigure, [PATENT_HEADER, row])

    assert not result.has_validation_errors(), problem_texts(result)
    assert (result.totals["new"], result.totals["update"]) == (0, 1)
    assert stored_patent("110000", 2025, "filed").invention == 217495 + 1
    assert stored_patent("110000", 2025, "granted").invention == granted_before
    assert figure_rows(models.RegionPatentFigure) == count


@pytest.mark.parametrize("entity", ["美国", "United States", "US", "USA"])
def test_foreign_figures_match_the_country_by_name_english_name_or_code(report, entity):
    usa = printed(report, 2, "美国", 2025)
    row = [entity, 2025, "专利申请", usa["发明"], usa["实用新型"] + 5, usa["外观设计"], None]
    result = import_rows(models.CountryPatentFigure, [COUNTRY_PATENT_HEADER, row])
    assert not result.has_validation_errors(), problem_texts(result)
    assert (result.totals["new"], result.totals["update"]) == (0, 1)
    stored = stored_patent("US", 2025, "filed", models.CountryPatentFigure)
    assert (stored.invention, stored.utility_model) == (usa["发明"], usa["实用新型"] + 5)


def test_figures_ignore_a_wrong_id_column(report):
    """An ``id`` column holding 上海's database id does not redirect 北京's row to 上海."""
    shanghai = stored_patent("310000", 2025, "filed")
    beijing = printed(report, 1, "北京", 2025)
    row = [shanghai.pk, "北京", 2025, "专利申请", beijing["发明"] + 9, beijing["实用新型"], beijing["外观设计"], None]

    result = import_rows(models.RegionPatentFigure, [["id", *PATENT_HEADER], row])

    assert not result.has_validation_errors(), problem_texts(result)
    assert stored_patent("110000", 2025, "filed").invention == beijing["发明"] + 9
    shanghai_printed = printed(report, 1, "上海", 2025)
    shanghai.refresh_from_db()
    assert (shanghai.region.name_zh, shanghai.invention) == ("上海", shanghai_printed["发明"])


def test_regions_match_on_their_code_not_on_a_wrong_id_column():
    tianjin = models.Region.objects.get(code="120000")
    beijing = models.Region.objects.get(code="110000")
    row = [tianjin.pk, "110000", "北京", "北京市", "Peking", "province", "", beijing.display_order]

    result = import_rows(models.Region, [["id", *REGION_HEADER], row])

    assert not result.has_validation_errors()
    assert (result.totals["new"], result.totals["update"]) == (0, 1)
    assert models.Region.objects.get(code="110000").name_en == "Peking"
    assert models.Region.objects.get(pk=tianjin.pk).name_en == tianjin.name_en
    assert models.Region.objects.get(pk=tianjin.pk).name_zh == "天津"


@pytest.mark.parametrize("province", ["广东", "Guangdong", "440000"])
def test_a_city_names_its_province_by_name_english_name_or_code(province):
    row = ["449901", "测试市", "测试市全称", "Test City", "city", province, 3001]
    result = import_rows(models.Region, [REGION_HEADER, row])
    assert not result.has_validation_errors(), problem_texts(result)
    city = models.Region.objects.get(code="449901")
    assert city.parent == models.Region.objects.get(code="440000")


@pytest.mark.parametrize("country", ["美国", "United States", "US"])
def test_row_orders_match_on_table_and_country_by_any_name(country):
    """(table, country) is the key: a new position updates the existing row instead of adding one."""
    entry = models.ForeignRowOrder.objects.get(table=2, country__code="US")
    japan = models.ForeignRowOrder.objects.get(table=2, country__code="JP")  # its id goes in the id column
    count = models.ForeignRowOrder.objects.count()

    result = import_rows(models.ForeignRowOrder, [["id", "表", "国家或地区", "位置"], [japan.pk, 2, country, 500]])

    assert not result.has_validation_errors(), problem_texts(result)
    assert models.ForeignRowOrder.objects.count() == count
    entry.refresh_from_db()
    assert entry.position == 500
    assert models.ForeignRowOrder.objects.get(pk=japan.pk).position == japan.position != 500


# ---------------------------------------------------------------------------------------------------------------
# History: nothing for unchanged rows, one record per changed row
# ---------------------------------------------------------------------------------------------------------------


def one_record(model):
    """A record the test may change without breaking a rule: 北京 or 美国 (no "of which" rows), table 2's order."""
    if model is models.Region:
        return model.objects.get(code="110000")
    if model is models.Country:
        return model.objects.get(code="US")
    if model is models.ForeignRowOrder:
        return model.objects.get(table=2, country__code="US")
    if model is models.Indicator:
        return model.objects.get(code="R01")
    if model is models.IndicatorGroup:
        return model.objects.get(framework="regional", name_zh="协同保护")
    entity = {"region": {"region__code": "110000"}, "country": {"country__code": "US"}}[model.entity_field]
    return model.objects.filter(**entity, year=2025).order_by("pk").first()


# The field each test changes, and the column it is exported under (figures: their first value column).
CHANGED_FIELD = {
    models.Region: "name_en",
    models.Country: "name_en",
    models.ForeignRowOrder: "position",
    models.Indicator: "name_en",
    models.IndicatorGroup: "name_en",
}


def changed_field(model) -> str:
    return CHANGED_FIELD.get(model) or model.value_fields[0]


def exported_rows(model, record) -> list[list]:
    """The record exported by its resource, as rows with the header (what a user downloads and edits)."""
    dataset = resource_for(model).export(queryset=model.objects.filter(pk=record.pk))
    return [list(dataset.headers), *[list(row) for row in dataset]]


def column_of(model, name: str) -> str:
    return resource_for(model).fields[name].column_name


@pytest.mark.parametrize("model", ALL_MODELS, ids=model_id)
def test_reimporting_an_unchanged_record_writes_nothing(model):
    record = one_record(model)
    rows = exported_rows(model, record)
    history = history_counts()
    result = import_rows(model, rows, user=UserFactory())
    assert not result.has_validation_errors() and not result.has_errors()
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, 1)
    assert history_counts() == history


@pytest.mark.parametrize("model", ALL_MODELS, ids=model_id)
def test_changing_one_value_records_one_history_row_with_before_after_user_and_reason(model):
    record = one_record(model)
    name = changed_field(model)
    before = getattr(record, name)
    after = f"{before} (renamed)" if isinstance(before, str) else before + 1
    rows = exported_rows(model, record)
    rows[1][rows[0].index(column_of(model, name))] = after
    if "合计" in rows[0]:
        rows[1][rows[0].index("合计")] = None  # the optional row total would no longer add up
    user = UserFactory(username="importer")
    assert hasattr(model, "history"), f"{model.__name__} keeps no history, so an imported change is not recorded"
    history = history_counts()

    result = import_rows(model, rows, user=user, file_name="changed.csv")

    assert not result.has_validation_errors() and not result.has_errors()
    assert (result.totals["new"], result.totals["update"]) == (0, 1)
    expected = dict(history, **{model.__name__: history[model.__name__] + 1})
    assert history_counts() == expected
    latest = model.history.filter(id=record.pk).order_by("-history_id").first()
    assert latest.history_type == "~"
    assert getattr(latest, name) == after
    previous = model.history.filter(id=record.pk, history_id__lt=latest.history_id).order_by("-history_id").first()
    assert previous is not None and getattr(previous, name) == before
    changes = {change.field: (change.old, change.new) for change in latest.diff_against(previous).changes}
    assert changes == {name: (before, after)}
    recorded = {"user": latest.history_user, "reason given": bool(latest.history_change_reason)}
    assert recorded == {"user": user, "reason given": True}


def test_figures_history_names_the_file(report):
    beijing = printed(report, 1, "北京", 2025)
    row = ["北京", 2025, "专利申请", beijing["发明"] + 3, beijing["实用新型"], beijing["外观设计"], None]
    import_rows(models.RegionPatentFigure, [PATENT_HEADER, row], user=UserFactory(), file_name="北京更正.csv")
    latest = models.RegionPatentFigure.history.order_by("-history_id").first()
    assert latest.region.code == "110000"
    assert "北京更正.csv" in latest.history_change_reason


# ---------------------------------------------------------------------------------------------------------------
# All or nothing
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", BAD_ROW_CASES)
def test_one_bad_row_refuses_the_whole_file(report, case):
    """A real (not dry) import of good rows and one bad one writes nothing and names the bad cell."""
    rows, _row, accepted, column = file_with_bad_row(report, case)
    history = history_counts()
    runs = models.ImportRun.objects.count()

    result = import_rows(models.RegionPatentFigure, rows, user=UserFactory(), file_name="bad.csv")

    assert result.has_validation_errors()
    problems = problem_texts(result)
    assert len(problems) == 1, problems
    number, text = problems[0]
    assert number in accepted
    assert at(number, column).search(text), text
    assert not models.RegionPatentFigure.objects.filter(year=NEW_YEAR).exists()
    assert history_counts() == history
    assert models.ImportRun.objects.count() == runs + 1
    run = models.ImportRun.objects.latest("pk")
    assert run.status == models.ImportRun.Status.REFUSED
    assert (run.created, run.updated, run.unchanged, run.rejected) == (0, 0, 0, 1)
    assert len(run.problems) == 1


def test_every_bad_row_is_reported_in_one_pass(report):
    cases = bad_rows(report)
    good = good_patent_rows(report)
    rows = [
        PATENT_HEADER,
        good[0],
        cases["negative value"][0],
        good[1],
        cases["unknown region"][0],
        cases["bad year"][0],
        good[2],
        cases["unknown measure"][0],
    ]
    result = import_rows(models.RegionPatentFigure, rows)
    reported = {number for number, _text in problem_texts(result)}
    assert reported == {3, 5, 6, 8}
    assert not models.RegionPatentFigure.objects.filter(year=NEW_YEAR).exists()


def test_a_file_without_a_required_column_is_refused(report):
    rows = [[cell for cell in row[:-2]] for row in [PATENT_HEADER, *good_patent_rows(report)]]  # no 外观设计, 合计
    result = import_rows(models.RegionPatentFigure, rows)
    assert result.has_validation_errors()
    assert any("外观设计" in text for _number, text in problem_texts(result))
    assert not models.RegionPatentFigure.objects.filter(year=NEW_YEAR).exists()


def test_a_clean_file_is_written_with_history(report):
    """Control for the refusals above: the same good rows alone are written, one history record each."""
    history = history_counts()
    result = import_rows(models.RegionPatentFigure, [PATENT_HEADER, *good_patent_rows(report)], user=UserFactory())
    assert (result.totals["new"], result.totals["update"]) == (3, 0)
    written = models.RegionPatentFigure.objects.filter(year=NEW_YEAR, measure="filed")
    assert {figure.region.name_zh: figure.total for figure in written} == {
        label: printed(report, 1, label, 2025)["合计"] for label in ("北京", "天津", "广东")
    }
    assert history_counts()["RegionPatentFigure"] == history["RegionPatentFigure"] + 3


def test_a_region_file_with_one_bad_row_writes_nothing():
    """An unknown province for a city refuses the file: the good province row before it is not written either."""
    rows = [
        REGION_HEADER,
        ["990100", "新省", "新省全称", "New Province", "province", "", 3101],
        ["990101", "新市", "新市全称", "New City", "city", "火星", 3102],
    ]
    count, history = models.Region.objects.count(), history_counts()

    result = import_rows(models.Region, rows)

    assert result.has_validation_errors()
    assert len(problem_texts(result)) == 1
    assert models.Region.objects.count() == count, "the good rows of a refused file were written"
    assert history_counts() == history


def test_a_country_file_with_one_bad_row_writes_nothing():
    """A country of an unknown kind refuses the file: the good country row before it is not written either."""
    code = unused_code(2, "alpha2", "code")
    rows = [
        COUNTRY_HEADER,
        [code, code, unused_code(3, "alpha3"), "新国", "Newland", "country", ""],
        ["Q" + code, "", "", "坏国", "Badland", "planet", ""],
    ]
    count, history = models.Country.objects.count(), history_counts()

    result = import_rows(models.Country, rows)

    assert result.has_validation_errors()
    assert models.Country.objects.count() == count, "the good rows of a refused file were written"
    assert history_counts() == history


def test_a_joint_holder_lists_its_members_by_code():
    first, second = CountryFactory(), CountryFactory()
    code = f"{first.code}+{second.code}"
    rows = [COUNTRY_HEADER, [code, None, None, "甲乙两国", "First and Second", "joint", code]]
    result = import_rows(models.Country, rows, extension="xlsx")
    assert not result.has_validation_errors(), problem_texts(result)
    joint = models.Country.objects.get(code=code)
    assert set(joint.members.all()) == {first, second}


def test_a_dry_run_writes_nothing_but_counts(report):
    history = history_counts()
    result = import_rows(models.RegionPatentFigure, [PATENT_HEADER, *good_patent_rows(report)], dry_run=True)
    assert result.totals["new"] == 3
    assert not models.RegionPatentFigure.objects.filter(year=NEW_YEAR).exists()
    assert history_counts() == history
    run = models.ImportRun.objects.latest("pk")
    assert (run.status, run.created) == (models.ImportRun.Status.PREVIEWED, 3)


def test_resources_render_the_entity_by_chinese_name():
    """Exports name regions and countries in Chinese, never by database id."""
    record = resources.RegionPatentFigureResource().export(
        queryset=models.RegionPatentFigure.objects.filter(region__code="110000", year=2025, measure="filed")
    )
    assert record.dict[0]["地区"] == "北京"
    assert record.dict[0]["指标"] == "专利申请"
