"""The admin: changelists, filters and search, the derived total, Chinese names, constant query counts, the rules on
the add/change forms, and the appendix download's permissions."""

import re
from io import BytesIO

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from statistics import models

from .factories import FIGURE_FACTORIES, CityFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    # WhiteNoise warns that STATIC_ROOT is missing until ``collectstatic`` has run; irrelevant to these tests.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

CJK = re.compile(r"[\u4e00-\u9fff]")
ALL_MODELS = [models.Region, models.Country, models.ForeignRowOrder, *FIGURE_FACTORIES]
FIGURE_MODELS = list(FIGURE_FACTORIES)
# Terms of the design's glossary that each model's Chinese name must use.
GLOSSARY_TERMS = {
    models.Region: ["地区"],
    models.Country: ["国家", "地区"],
    models.ForeignRowOrder: [],
    models.RegionPatentFigure: ["国内", "专利"],
    models.CountryPatentFigure: ["国外", "专利"],
    models.RegionTrademarkFigure: ["国内", "商标"],
    models.CountryTrademarkFigure: ["国外", "商标"],
    models.RegionCountFigure: ["地理标志", "集成电路"],
    models.CountryCountFigure: ["地理标志", "集成电路"],
}


def model_id(model):
    return model.__name__


def changelist_url(model) -> str:
    return f"/admin/statistics/{model._meta.model_name}/"


@pytest.fixture
def superuser():
    return UserFactory(username="chief", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def changelist(client, model, query=""):
    response = client.get(changelist_url(model) + query)
    assert response.status_code == 200, (model.__name__, query, response.status_code, response.get("Location"))
    return response.context["cl"]


def has_measure(model) -> bool:
    return any(field.name == "measure" for field in model._meta.fields)


# ---------------------------------------------------------------------------------------------------------------
# Changelists, filters, search
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ALL_MODELS, ids=model_id)
def test_every_changelist_opens_for_a_superuser(admin_client, model):
    """The nine changelists answer 200 and list the stored rows."""
    cl = changelist(admin_client, model)
    assert cl.result_count == model.objects.count() > 0


@pytest.mark.parametrize("model", ALL_MODELS, ids=model_id)
def test_model_names_are_shown_in_chinese(admin_client, model):
    """The default language is zh-hans: the changelist shows the model's Chinese name (glossary terms included)."""
    with translation.override("zh-hans"):
        name = str(model._meta.verbose_name_plural)
    assert CJK.search(name), f"{model.__name__} has no Chinese name: {name!r}"
    for term in GLOSSARY_TERMS[model]:
        assert term in name
    content = admin_client.get(changelist_url(model)).content.decode()
    assert name in content


def test_admin_index_shows_the_app_in_chinese(admin_client):
    """The admin index lists the app and its models under their Chinese names."""
    content = admin_client.get("/admin/").content.decode()
    with translation.override("zh-hans"):
        app_name = str(models.Region._meta.app_config.verbose_name)
        plural = str(models.RegionPatentFigure._meta.verbose_name_plural)
    assert CJK.search(app_name)
    assert app_name in content
    assert plural in content


@pytest.mark.parametrize("query", ["?q=北京", "?q=Beijing", "?q=beijing", "?q=110000", "?q=北京市"])
def test_region_search_by_name_english_name_and_code(admin_client, query):
    """Region search finds 北京 by Chinese name, full name, English name and GB/T code."""
    cl = changelist(admin_client, models.Region, query)
    assert [region.name_zh for region in cl.result_list] == ["北京"]


def test_region_filter_by_level(admin_client):
    """The level filter lists the 15 cities."""
    cl = changelist(admin_client, models.Region, "?level=city")
    assert cl.result_count == 15
    assert {region.level for region in cl.result_list} == {"city"}


@pytest.mark.parametrize("query", ["?q=美国", "?q=United+States", "?q=USA"])
def test_country_search_by_name_english_name_and_code(admin_client, query):
    """Country search finds 美国 by Chinese name, English name and ISO code."""
    cl = changelist(admin_client, models.Country, query)
    assert "US" in {country.code for country in cl.result_list}


def test_country_filter_by_kind(admin_client):
    """The kind filter finds the joint holders."""
    cl = changelist(admin_client, models.Country, "?kind=joint")
    assert {country.name_zh for country in cl.result_list} >= {"比利时、德国、法国、荷兰", "塞浦路斯、希腊"}
    assert {country.kind for country in cl.result_list} == {"joint"}


def test_foreign_row_order_filter_and_search(admin_client, report):
    """Row orders filter by table and search by country."""
    cl = changelist(admin_client, models.ForeignRowOrder, "?table=9")
    assert cl.result_count == len(report[9].foreign_rows())
    cl = changelist(admin_client, models.ForeignRowOrder, "?q=法国")
    names = {entry.country.name_zh for entry in cl.result_list}
    assert "法国" in names
    assert all("法国" in name for name in names)


@pytest.mark.parametrize("model", FIGURE_MODELS, ids=model_id)
@pytest.mark.parametrize("year", [2024, 2025])
def test_figures_filter_by_year(admin_client, model, year):
    """``?year=`` keeps the rows of that year only."""
    cl = changelist(admin_client, model, f"?year={year}")
    assert cl.result_count == model.objects.filter(year=year).count() > 0
    assert {figure.year for figure in cl.result_list} == {year}


@pytest.mark.parametrize("model", [model for model in FIGURE_MODELS if has_measure(model)], ids=model_id)
def test_figures_filter_by_measure(admin_client, model):
    """``?measure=`` keeps the rows of that measure only."""
    measure = model.objects.values_list("measure", flat=True).first()
    cl = changelist(admin_client, model, f"?measure={measure}")
    assert cl.result_count == model.objects.filter(measure=measure).count() > 0
    assert {figure.measure for figure in cl.result_list} == {measure}


@pytest.mark.parametrize("model", [m for m in FIGURE_MODELS if m.entity_field == "region"], ids=model_id)
@pytest.mark.parametrize("term", ["北京", "Beijing", "110000"])
def test_region_figures_search_by_region_name_and_code(admin_client, model, term):
    """Domestic figures are found by the region's Chinese name, English name or code."""
    cl = changelist(admin_client, model, f"?q={term}")
    assert cl.result_count == model.objects.filter(region__code="110000").count() > 0
    assert {figure.region.name_zh for figure in cl.result_list} == {"北京"}


@pytest.mark.parametrize("model", [m for m in FIGURE_MODELS if m.entity_field == "country"], ids=model_id)
@pytest.mark.parametrize("term", ["美国", "United+States", "USA"])
def test_country_figures_search_by_country_name_and_code(admin_client, model, term):
    """Foreign figures are found by the country's Chinese name, English name or ISO code."""
    cl = changelist(admin_client, model, f"?q={term}")
    assert "美国" in {figure.country.name_zh for figure in cl.result_list}


@pytest.mark.parametrize(
    ("model", "number", "label", "query"),
    [
        (models.RegionPatentFigure, 1, "北京", "?q=110000&year=2025&measure=filed"),
        (models.RegionPatentFigure, 5, "(深圳)", "?q=440300&year=2024&measure=in_force"),
        (models.CountryPatentFigure, 2, "美国", "?q=美国&year=2025&measure=filed"),
        (models.CountryPatentFigure, 4, "日本", "?q=日本&year=2024&measure=granted"),
    ],
)
def test_total_column_shows_the_derived_row_total(admin_client, report, model, number, label, query):
    """The read-only total column shows invention + utility model + design, i.e. the printed 合计."""
    year = int(re.search(r"year=(\d+)", query).group(1))
    printed_total = report[number].value(label, year, "合计")
    response = admin_client.get(changelist_url(model) + query)
    assert response.context["cl"].result_count == 1
    assert f'<td class="field-total">{printed_total}</td>' in response.content.decode()


# ---------------------------------------------------------------------------------------------------------------
# Query counts
# ---------------------------------------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", FIGURE_MODELS, ids=model_id)
def test_figures_changelist_makes_a_constant_number_of_queries(admin_client, model):
    """A page of 100 rows costs as many queries as a page of 1 (the entity is joined, not fetched per row)."""
    model.objects.all().delete()
    factory = FIGURE_FACTORIES[model]
    factory()
    url = changelist_url(model)
    admin_client.get(url)  # warm caches (content types, session) so that both counts compare like with like
    one_row = count_queries(admin_client, url)
    factory.create_batch(99)
    assert model.objects.count() == 100
    hundred_rows = count_queries(admin_client, url)
    assert hundred_rows == one_row


@pytest.mark.parametrize("model", [models.Region, models.Country, models.ForeignRowOrder], ids=model_id)
def test_reference_changelists_do_not_query_per_row(admin_client, model):
    """Reference changelists: the query count does not depend on the number of rows shown."""
    url = changelist_url(model)
    admin_client.get(url)
    full = count_queries(admin_client, url)
    single = count_queries(admin_client, url + "?q=北京" if model is models.Region else url + "?q=美国")
    assert full == single


# ---------------------------------------------------------------------------------------------------------------
# Rules on the admin forms
# ---------------------------------------------------------------------------------------------------------------


def add_figure(client, region, **values):
    data = {"region": region.pk, "year": 2040, "measure": "filed", "invention": 1, "utility_model": 1, "design": 1}
    return client.post("/admin/statistics/regionpatentfigure/add/", data | values)


def form_errors(response) -> str:
    assert response.status_code == 200, "the form was accepted"
    form = response.context["adminform"].form
    assert form.errors
    assert "errornote" in response.content.decode()
    return " ".join(str(message) for messages in form.errors.values() for message in messages)


@pytest.mark.parametrize("field", ["invention", "utility_model", "design"])
def test_admin_refuses_a_negative_value(admin_client, field):
    """POSTing a negative value shows a form error and saves nothing."""
    beijing = models.Region.objects.lookup("北京")
    before = models.RegionPatentFigure.objects.count()
    response = add_figure(admin_client, beijing, **{field: -1})
    form_errors(response)
    assert field in response.context["adminform"].form.errors
    assert models.RegionPatentFigure.objects.count() == before


def test_admin_refuses_a_duplicate_row(admin_client):
    """北京 2025 applications are already stored: adding them again shows an error naming the row; nothing saved."""
    beijing = models.Region.objects.lookup("北京")
    before = models.RegionPatentFigure.objects.count()
    errors = form_errors(add_figure(admin_client, beijing, year=2025))
    assert "北京" in errors
    assert "2025" in errors
    assert models.RegionPatentFigure.objects.count() == before
    assert models.RegionPatentFigure.objects.get(region=beijing, year=2025, measure="filed").invention == 217495


def test_admin_refuses_a_city_larger_than_its_province(admin_client):
    """Adding a city row larger than its province's row is refused, naming the province; nothing saved."""
    province = FIGURE_FACTORIES[models.RegionPatentFigure](year=2040, measure="filed", invention=10)
    city = CityFactory(parent=province.region)
    errors = form_errors(add_figure(admin_client, city, invention=11))
    assert str(province.region) in errors
    assert not models.RegionPatentFigure.objects.filter(region=city).exists()


def test_admin_refuses_raising_a_report_city_above_its_province(admin_client):
    """Changing (深圳) 2025 so that 广东's cities exceed 广东 is refused; the stored row is unchanged."""
    shenzhen = models.RegionPatentFigure.objects.get(region__name_zh="深圳", year=2025, measure="filed")
    data = {
        "region": shenzhen.region_id,
        "year": 2025,
        "measure": "filed",
        "invention": 266117,
        "utility_model": shenzhen.utility_model,
        "design": shenzhen.design,
    }
    response = admin_client.post(f"/admin/statistics/regionpatentfigure/{shenzhen.pk}/change/", data)
    assert "广东" in form_errors(response)
    shenzhen.refresh_from_db()
    assert shenzhen.invention == 117478


def test_admin_accepts_a_valid_row(admin_client):
    """Control: a valid row is saved, and its change page shows the derived total."""
    province = FIGURE_FACTORIES[models.RegionPatentFigure](year=2041)
    response = add_figure(admin_client, province.region, invention=7, utility_model=8, design=9)
    assert response.status_code == 302
    saved = models.RegionPatentFigure.objects.get(region=province.region, year=2040, measure="filed")
    page = admin_client.get(f"/admin/statistics/regionpatentfigure/{saved.pk}/change/").content.decode()
    assert re.search(r'class="readonly">\s*24\s*<', page)


# ---------------------------------------------------------------------------------------------------------------
# The appendix download
# ---------------------------------------------------------------------------------------------------------------

EXPORT_URL = "/admin/statistics/appendix-export/?year=2025"


FIGURE_VIEW_PERMISSIONS = [
    f"view_{prefix}{family}figure" for prefix in ("region", "country") for family in ("patent", "trademark", "count")
]


def test_export_view_returns_the_workbook_to_staff_with_the_view_permission(client, report):
    """Staff who may view all six figures models get the .xlsx, with the report's figures."""
    user = UserFactory(username="reader", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=FIGURE_VIEW_PERMISSIONS))
    client.force_login(user)
    response = client.get(EXPORT_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    assert len(workbook.worksheets) == 12
    first = workbook.worksheets[0]
    assert first["A1"].value == report[1].title
    assert [first["A5"].value, first["F5"].value] == ["国内总计", 5149772]


def test_the_admin_download_adds_the_chapter_tables_when_asked_and_they_import_back_unchanged(admin_client):
    """The administrator's download offers the chapter tables (before, only ``export_appendix`` wrote them); the
    workbook goes back through the upload's own check as it is."""
    from statistics.chapter_tables import TABLES as CHAPTER_TABLES
    from statistics.imports import import_appendix

    page = admin_client.get("/admin/statistics/appendix-export/").content.decode()
    assert 'name="chapter_tables"' in page and "包含各章表格" in page
    response = admin_client.get(EXPORT_URL + "&chapter_tables=on")
    assert response.status_code == 200
    assert 'filename="appendix-2025-with-chapter-tables.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames[12:] == [table.title for table in CHAPTER_TABLES.values()]
    sheet = workbook["专利复审请求和结案情况"]
    assert [cell.value for cell in sheet[4]] == ["复审请求", 97141, 112837]  # 2025 annual report, chapter table
    outcome = import_appendix(response.content, "appendix-2025-with-chapter-tables.xlsx")
    assert outcome.problems == [] and outcome.chapter_counts.unchanged > 0
    assert (outcome.chapter_counts.created, outcome.chapter_counts.updated) == (0, 0)


def test_the_chapter_tables_are_neither_offered_nor_given_without_their_view_permission(client):
    user = UserFactory(username="figures-only", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=FIGURE_VIEW_PERMISSIONS))
    client.force_login(user)
    assert 'name="chapter_tables"' not in client.get("/admin/statistics/appendix-export/").content.decode()
    refused = client.get(EXPORT_URL + "&chapter_tables=on")
    assert refused.status_code == 400 and "您无权查看各章表格" in refused.content.decode()
    assert "attachment" not in refused.get("Content-Disposition", "")


def test_an_unchecked_box_downloads_the_appendix_alone_for_those_who_may_not_view_chapter_tables(client):
    user = UserFactory(username="figures-reader", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=FIGURE_VIEW_PERMISSIONS))
    client.force_login(user)
    response = client.get(EXPORT_URL + "&chapter_tables=false")  # how Django's checkbox reads "not checked"
    assert response.status_code == 200 and len(load_workbook(BytesIO(response.content)).sheetnames) == 12


def test_chapter_tables_are_imported_only_by_those_who_may_import_them():
    """The appendix's import permissions do not cover the chapter tables: a workbook with them is refused as a
    whole for a user without ``import_chapterfigure``, sheet by sheet, and nothing is written."""
    from statistics.export import appendix_workbook_bytes
    from statistics.imports import import_appendix

    user = UserFactory(username="figures-importer", is_staff=True)
    codenames = [name.replace("view_", "import_") for name in FIGURE_VIEW_PERMISSIONS]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    content = appendix_workbook_bytes(2025, chapter_tables=True)
    before = list(models.ChapterFigure.objects.order_by("pk").values_list("pk", "value"))
    outcome = import_appendix(content, "appendix-2025-with-chapter-tables.xlsx", user=user)
    refused = [problem for problem in outcome.problems if "您无权导入各章表格" in str(problem)]
    assert not outcome.ok and refused and all(problem.location.sheet for problem in refused)
    assert list(models.ChapterFigure.objects.order_by("pk").values_list("pk", "value")) == before
    plain = import_appendix(appendix_workbook_bytes(2025), "appendix-2025.xlsx", user=user, dry_run=True)
    assert plain.ok  # the twelve tables alone are the user's to import


def test_export_view_needs_the_view_permission_of_every_figures_model(client):
    """The workbook holds all six models: viewing domestic patents alone is not enough."""
    user = UserFactory(username="patents-only", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_regionpatentfigure"))
    client.force_login(user)
    assert client.get(EXPORT_URL).status_code == 403


def test_export_view_offers_the_stored_years(admin_client):
    """Without a year, the page offers the years that have figures."""
    response = admin_client.get("/admin/statistics/appendix-export/")
    assert response.status_code == 200
    choices = [value for value, _label in response.context["form"].fields["year"].choices]
    assert choices == [2025, 2024]


def test_export_view_is_forbidden_without_the_view_permission(client):
    """Staff without the permission get 403."""
    client.force_login(UserFactory(username="clerk", is_staff=True))
    assert client.get(EXPORT_URL).status_code == 403


def test_export_view_redirects_anonymous_users_to_login(client):
    """Anonymous users are sent to the admin login."""
    response = client.get(EXPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
