"""Every workbook and CSV file the project writes is inert: no cell a spreadsheet would run (issue 11, finding 6).

``WRITERS`` lists every module that writes a workbook or a CSV file, with the check that feeds it the payloads through
real data (officer notes, summary text, registry and country names …) and reads what it produced: no formula cell,
and no text starting with ``= + - @``, a tab or a carriage return unless escaped. ``test_the_writer_list_is_complete``
searches the code base for writers, so a new one fails until it is added here (or to ``NOT_EXPORTS``, with why).
"""

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse

from core.admin_tools import blank_template
from core.spreadsheet_safety import FORMULA_PREFIXES, escape_cell, unescape_cell
from localwork.models import TypicalCase, WorkSummary
from protection.models import Centre
from protection.resources import CentreResource
from returns import services as return_services
from returns.models import ReturnPeriod
from review import services as review_services
from review.models import RegionAssignment
from review.roles import GROUP_NAMES, Role
from statistics.export import appendix_workbook_bytes
from statistics.models import Country, Indicator, Region
from statistics.naming import normalize_label
from statistics.tests.factories import UserFactory

from .report import report_loaded

ROOT = Path(settings.BASE_DIR)
PAYLOADS = ('=HYPERLINK("http://x","y")', "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1")
ESCAPED = tuple("'" + payload for payload in PAYLOADS)
NEGATIVE_NUMBER = re.compile(r"-\d+(\.\d+)?")

# What makes a module a writer of workbooks or CSV files.
WRITER_PATTERNS = re.compile(r"Workbook\(|csv\.(?:writer|DictWriter)\(|\.export\(|export_data\(|text/csv|\.to_csv\(")
WRITERS = {
    "core/formats.py": "the admin's XLSX, CSV and JSON exports of every model",
    "statistics/export.py": "the appendix workbook (tables 1–12)",
    "core/admin_tools.py": "the blank import templates of the admin",
    "core/downloads.py": "the dashboards' chart downloads, CSV and XLSX",
    "returns/imports.py": "the annual return's template, with the officer's notes",
    "returns/print_export.py": "the approved annual return's workbook, with the officer's notes",
}
NOT_EXPORTS = {
    "scripts/extract_appendix.py": "writes fixtures/appendix.csv from the report's text, read back by the loader",
    "scripts/extract_indicators.py": "writes fixtures/indicators.csv from the report's text",
    "scripts/extract_localwork.py": "writes fixtures/localwork/*.csv from the report's text",
    "scripts/extract_index_results.py": "writes fixtures/evaluation/*.csv from the report's text",
    "scripts/extract_national_figures.py": "writes fixtures of the national figures from the report's text",
    "scripts/check_national_figures.py": "a developer's check of the national figures against the report",
    "scripts/extract_chapter_tables.py": "writes fixtures/chapter_tables.csv from the report's text",
    "protection/loading.py": "Field.export() renders a stored value for the load's list of differences; no file",
}


def project_sources():
    """Every Python module of the project outside tests, migrations and the virtual environment."""
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        parts = relative.parts
        if parts[0].startswith(".") or "tests" in parts or "migrations" in parts or path.name.startswith("test_"):
            continue
        if path.name == "conftest.py":
            continue
        yield relative.as_posix(), path.read_text(encoding="utf-8")


def test_the_writer_list_is_complete():
    """A module that writes workbooks or CSV files is either checked here or declared not to be an export."""
    found = {name for name, source in project_sources() if WRITER_PATTERNS.search(source)}
    unlisted = found - set(WRITERS) - set(NOT_EXPORTS)
    assert not unlisted, f"new writers: add them to WRITERS (with a check) or NOT_EXPORTS (with why): {unlisted}"
    assert not (set(WRITERS) | set(NOT_EXPORTS)) - found, "listed modules that no longer write: remove them"


def test_every_writer_calls_the_one_escaping_function():
    for name in WRITERS:
        source = (ROOT / name).read_text(encoding="utf-8")
        assert "from core.spreadsheet_safety import" in source, name
    for name, source in project_sources():
        assert "def escape_formula" not in source, f"{name}: a second escaping function"


def test_every_writer_has_a_check():
    assert set(CHECKS) == set(WRITERS)


# ---------------------------------------------------------------------------------------------------------------
# The escaping function itself
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_text_round_trips_through_the_importers_unescape(payload):
    assert escape_cell(payload) == "'" + payload
    assert unescape_cell(escape_cell(payload)) == payload
    assert normalize_label(escape_cell("=北京")) == "=北京"


@pytest.mark.parametrize("value", [-1, -1.5, 0, 12, None])
def test_numbers_stay_numbers(value):
    assert escape_cell(value) is value


def test_plain_text_is_left_alone():
    assert escape_cell("北京") == "北京"
    assert escape_cell("'quoted") == "'quoted"
    assert unescape_cell("'quoted") == "'quoted"


# ---------------------------------------------------------------------------------------------------------------
# Reading what a writer produced
# ---------------------------------------------------------------------------------------------------------------


def inert_text(value: str) -> bool:
    return not value.startswith(FORMULA_PREFIXES) or bool(NEGATIVE_NUMBER.fullmatch(value))


def workbook_texts(content: bytes) -> list[str]:
    """Every text cell of every sheet; fails on any formula cell."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def csv_texts(content: bytes | str) -> list[str]:
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content.lstrip("\ufeff")
    return [field for row in csv.reader(io.StringIO(text, newline="")) for field in row]


def json_texts(content: bytes | str) -> list[str]:
    def walk(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    return list(walk(json.loads(content)))


def assert_inert(texts: list[str], where: str) -> None:
    live = [text for text in texts if not inert_text(text)]
    assert not live, f"{where}: cells a spreadsheet would run: {live[:5]}"


def assert_carries_every_payload(texts: list[str], where: str, expected=ESCAPED) -> None:
    """The payloads reached the file (escaped), so that the inertness check above was not vacuous."""
    missing = [payload for payload in expected if not any(text.startswith(payload) for text in texts)]
    assert not missing, f"{where}: payloads that never reached the file: {missing}"


# ---------------------------------------------------------------------------------------------------------------
# Data: the report, with the payloads typed into notes, names and texts
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report_data(django_db_setup, django_db_blocker):
    """The report's data for this module only (rolled back at the end)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            report_loaded()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def payload(index: int, suffix: str = "") -> str:
    return PAYLOADS[index % len(PAYLOADS)] + suffix


@pytest.fixture
def planted(report_data, db):
    """The payloads in the places people type text: country and province names, registry names and notes, typical
    case titles, work summaries."""
    countries = Country.objects.filter(kind=Country.Kind.COUNTRY).order_by("code")
    for index, country in enumerate(countries):
        Country.objects.filter(pk=country.pk).update(name_zh=payload(index, f" {country.code}"))
    for index, region in enumerate(Region.objects.province_level().order_by("code")):
        # Region names hold 20 characters: the start of the payload (what a spreadsheet reads) and the code.
        Region.objects.filter(pk=region.pk).update(name_zh=payload(index)[:13] + f" {region.code}")
    for index, centre in enumerate(Centre.objects.order_by("pk")[: len(PAYLOADS)]):
        Centre.objects.filter(pk=centre.pk).update(name=payload(index, " 中心"), note=payload(index))
    for index, case in enumerate(TypicalCase.objects.order_by("pk")[: len(PAYLOADS)]):
        TypicalCase.objects.filter(pk=case.pk).update(title=payload(index))
    for index, summary in enumerate(WorkSummary.objects.order_by("pk")[: len(PAYLOADS)]):
        WorkSummary.objects.filter(pk=summary.pk).update(narrative=payload(index, "\n\n正文"))


def superuser_request():
    request = RequestFactory().get("/")
    request.user = UserFactory(username="export-admin", is_staff=True, is_superuser=True)
    return request


# ---------------------------------------------------------------------------------------------------------------
# One check per writer
# ---------------------------------------------------------------------------------------------------------------


def check_admin_exports(client):
    """Every model admin that exports, in every format it offers, over all its records."""
    request = superuser_request()
    seen = []
    for model, model_admin in admin.site._registry.items():
        if not hasattr(model_admin, "get_export_data"):
            continue
        for format_class in model_admin.get_export_formats():
            file_format = format_class()
            content = model_admin.get_export_data(file_format, request, model_admin.get_export_queryset(request))
            extension = file_format.get_extension()
            reader = {"xlsx": workbook_texts, "csv": csv_texts, "json": json_texts}[extension]
            texts = reader(content)
            assert_inert(texts, f"{model._meta.label} as {extension}")
            seen += texts
    assert_carries_every_payload(seen, "admin exports")


def check_appendix_workbook(client):
    texts = workbook_texts(appendix_workbook_bytes(2025))
    assert_inert(texts, "appendix workbook")
    assert_carries_every_payload(texts, "appendix workbook")


def check_import_templates(client):
    """The blank templates of every admin that imports, and one whose column help holds the payloads."""
    request = superuser_request()
    client.force_login(request.user)
    for model, model_admin in admin.site._registry.items():
        if not hasattr(model_admin, "import_template_view") or not model_admin.has_import_permission(request):
            continue
        opts = model._meta
        response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_import_template"))
        assert response.status_code == 200, opts.label
        assert_inert(workbook_texts(response.content), f"{opts.label} import template")

    class PayloadResource(CentreResource):
        column_help = {name: payload(index) for index, name in enumerate(CentreResource.column_help)}

    texts = workbook_texts(blank_template(PayloadResource(), payload(0)))
    assert_inert(texts, "template with payload help")
    assert_carries_every_payload(texts, "template with payload help")


def check_chart_downloads(client):
    """Every chart of three pages as CSV, and each page's charts as one XLSX."""
    seen, csv_seen = [], []
    for url in (reverse("dashboards:foreign"), reverse("dashboards:map"), reverse("dashboards:overview")):
        slugs = [chart.slug for chart in client.get(url).context["charts"]]
        assert slugs, url
        response = client.get(url, {"format": "xlsx"})
        assert response.status_code == 200, url
        texts = workbook_texts(response.content)
        assert_inert(texts, f"{url} xlsx")
        seen += texts
        for slug in slugs:
            response = client.get(url, {"format": "csv", "chart": slug})
            assert response.status_code == 200, (url, slug)
            texts = csv_texts(response.content)
            assert_inert(texts, f"{url} {slug} csv")
            csv_seen += texts
    assert_carries_every_payload(seen, "chart downloads (XLSX)")
    assert_carries_every_payload(csv_seen, "chart downloads (CSV)")


def check_return_template(client):
    """An officer's notes through the returns service, and the template downloaded by a reviewer."""
    beijing = Region.objects.get(code="110000")
    officer = UserFactory(username="notes-officer", is_staff=True)
    officer.groups.add(Group.objects.get(name=GROUP_NAMES[Role.OFFICER]))
    RegionAssignment.objects.create(user=officer, region=beijing)
    codes = list(
        Indicator.objects.filter(framework="regional", source="entered").order_by("code").values_list("code", flat=True)
    )
    ReturnPeriod.objects.get_or_create(year=2025, defaults={"deadline": date(2026, 3, 31)})  # an open period
    annual_return = return_services.start_return(beijing, 2025, officer)
    notes = {code: payload(index) for index, code in enumerate(codes[: len(PAYLOADS)])}
    annual_return = return_services.save_values(annual_return, officer, annual_return.version, {}, notes).record
    reviewer = UserFactory(username="notes-reviewer", is_staff=True)
    reviewer.groups.add(Group.objects.get(name=GROUP_NAMES[Role.REVIEWER]))
    client.force_login(reviewer)
    response = client.get(reverse("admin:returns_annualreturn_template", args=[annual_return.pk]))
    assert response.status_code == 200
    texts = workbook_texts(response.content)
    assert_inert(texts, "return template")
    # The service strips the whitespace around a note, so "\t=1" is stored (and must be escaped) as "=1".
    stored = set(annual_return.values.exclude(note="").values_list("note", flat=True))
    assert len(stored) >= 4
    assert_carries_every_payload(texts, "return template", expected=[escape_cell(note) for note in stored])


def check_approved_return_workbook(client):
    """An officer's notes in an approved return, and its public XLSX download."""
    beijing = Region.objects.get(code="110000")
    officer = UserFactory(username="approved-notes-officer", is_staff=True)
    officer.groups.add(Group.objects.get(name=GROUP_NAMES[Role.OFFICER]))
    RegionAssignment.objects.create(user=officer, region=beijing)
    reviewer = UserFactory(username="approved-notes-reviewer", is_staff=True)
    reviewer.groups.add(Group.objects.get(name=GROUP_NAMES[Role.REVIEWER]))
    codes = list(
        Indicator.objects.filter(framework="regional", source="entered").order_by("code").values_list("code", flat=True)
    )
    ReturnPeriod.objects.get_or_create(year=2025, defaults={"deadline": date(2026, 3, 31)})  # an open period
    annual_return = return_services.start_return(beijing, 2025, officer)
    notes = {code: payload(index) for index, code in enumerate(codes[: len(PAYLOADS)])}
    annual_return = return_services.save_values(
        annual_return, officer, annual_return.version, dict.fromkeys(codes, "10"), notes
    ).record
    annual_return = review_services.transition(
        annual_return, "submit", officer, expected_version=annual_return.version
    ).target
    annual_return = review_services.transition(
        annual_return, "approve", reviewer, expected_version=annual_return.version
    ).target
    response = client.get(reverse("returns:xlsx", args=[beijing.code, 2025]))
    assert response.status_code == 200
    texts = workbook_texts(response.content)
    assert_inert(texts, "approved return workbook")
    stored = set(annual_return.values.exclude(note="").values_list("note", flat=True))
    assert len(stored) >= 4
    assert_carries_every_payload(texts, "approved return workbook", expected=[escape_cell(note) for note in stored])


CHECKS = {
    "core/formats.py": check_admin_exports,
    "statistics/export.py": check_appendix_workbook,
    "core/admin_tools.py": check_import_templates,
    "core/downloads.py": check_chart_downloads,
    "returns/imports.py": check_return_template,
    "returns/print_export.py": check_approved_return_workbook,
}


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_every_file_a_writer_produces_is_inert(writer, planted, client):
    CHECKS[writer](client)
