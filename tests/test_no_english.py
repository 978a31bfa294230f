"""Issue 14: no English on a Chinese page, and no Chinese region or country names on an English page.

Each page of the journeys is rendered with the test client as the role that uses it (anonymous, officer, reviewer,
administrator), in the default language (Chinese). The visible text is scanned: tags, scripts, styles and comments
are stripped and attribute values ignored, then every Latin word must be a code, unit or name of ``ALLOWED`` (or a
country code of the reference table, or a logged-in user's name). A page that shows a word outside the list fails,
and the message names the page and the words, with a piece of their context.

Pages that another change is rewriting right now are left out of the scan below with a comment naming their leak;
they go back in when that work lands.
"""

import html
import re
from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse

from core.templatetags.history_labels import change_reason
from protection.models import Centre
from returns import services as return_services
from returns.models import ReturnPeriod
from review.roles import Role
from statistics.models import Country, ImportRun, Region

from .report import report_loaded
from .write_world import OWN, YEAR, World, _person

OTHER = "440000"

pytestmark = pytest.mark.django_db

# Codes, units, product and format names a Chinese page may show as they are (each with why).
ALLOWED = {
    # abbreviations used in Chinese text too
    "IP",  # 知识产权 (the report writes "IP" in names such as "IP power")
    "API",  # the API link and its documentation
    "PCT",  # PCT international applications
    "GDP",
    "R&D",
    "ID",
    # file formats offered for download
    "CSV",
    "XLSX",
    "DOCX",
    "PDF",
    "JSON",
    "Markdown",
    "ZIP",
    "PNG",
    "JPEG",
    "SVG",
    "A4",
    # the key as printed on keyboards (the return sheet's hint: Tab moves from value to value)
    "Tab",
    # product names
    "ECharts",
    "Swagger",
    "Redoc",
    "Django",
    # the language menu names each language in its own name
    "English",
    # the report's and the index's names for groupings, written in Latin letters in the Chinese original
    "XPCC",
    # abbreviations the report itself prints in brackets after the Chinese name
    "TISC",  # 技术与创新支持中心 (WIPO's Technology and Innovation Support Centres)
    "PPH",  # 专利审查高速路 (Patent Prosecution Highway)
    "WIPO",  # 世界知识产权组织
}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:[&'’.-][A-Za-z0-9_]+)*")
HIDDEN = re.compile(r"(?is)<(script|style|template|textarea)\b.*?</\1\s*>|<!--.*?-->")
TAG = re.compile(r"(?s)<[^>]*>")


def visible_text(page: str) -> str:
    """The text a reader sees: no scripts, styles, comments or tags (so no attribute values), entities decoded."""
    return html.unescape(TAG.sub(" ", HIDDEN.sub(" ", page)))


def english_words(page: str, allowed: set[str]) -> list[str]:
    """Latin words of the visible text that are not allowed, each with 30 characters of context either side."""
    text = re.sub(r"\s+", " ", visible_text(page))
    found = []
    for match in WORD.finditer(text):
        word = match.group()
        if any(ch.isdigit() or ch == "_" for ch in word):
            continue  # a code: indicator R01, base D_GDP, year 2025, A4, ISO 3166-1
        if word in allowed or word.upper() in allowed:
            continue
        if text[match.end() : match.end() + 1] == "/" or text[max(0, match.start() - 1) : match.start()] == "/":
            continue  # a path or a file name: fixtures/, /api/v1/
        found.append(f"{word!r} in …{text[max(0, match.start() - 30) : match.end() + 30]}…")
    return found


def build_world() -> World:
    """The report's data and one user per role; no record goes through the workflow here (the workflow's own tests
    do that), so the scan does not depend on it."""
    report_loaded()
    world = World()
    world.users = {
        "anonymous": None,
        "officer_own": _person("officer-beijing", Role.OFFICER, OWN),
        "reviewer": _person("reviewer", Role.REVIEWER),
        "administrator": _person("administrator", Role.ADMINISTRATOR),
    }
    world.objects = {"protection.centre": Centre.objects.filter(region__code=OWN).order_by("pk").first()}
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at the end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def allowed(world):
    codes = set()
    for alpha2, alpha3, code in Country.objects.values_list("alpha2", "alpha3", "code"):
        codes |= {alpha2 or "", alpha3 or "", code or ""}
    usernames = {user.username for user in world.users.values() if user is not None}
    name_parts = {part for name in usernames for part in re.split(r"[-_.]", name)}
    return ALLOWED | {c for c in codes if c} | usernames | name_parts


def scan(client, world, role, url, allowed, status=200):
    user = world.users.get(role)
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, f"{role} {url}: {response.status_code}"
    assert response["Content-Language"] == "zh-hans"
    page = response.content.decode()
    leaks = english_words(page, allowed)
    assert not leaks, f"English on the Chinese page {url} (as {role}):\n" + "\n".join(leaks[:25])


PUBLIC_PAGES = [
    "/",
    "/map/",
    f"/province/{OWN}/",
    "/foreign/",
    "/summaries/",
    "/protection/",
    "/protection/registry/platforms/",
    "/protection/registry/workstations/",
    "/protection/reconciliation/",
    "/protection/summary/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_are_chinese(client, world, allowed, url):
    scan(client, world, "anonymous", url, allowed)


@pytest.mark.parametrize("role", ["officer_own", "reviewer", "administrator"])
def test_the_home_page_is_chinese_for_each_role(client, world, allowed, role):
    scan(client, world, role, "/", allowed)


@pytest.mark.parametrize("role", ["officer_own", "reviewer", "administrator"])
def test_the_admin_index_is_chinese(client, world, allowed, role):
    scan(client, world, role, reverse("admin:index"), allowed)


def test_the_import_runs_list_is_chinese(client, world, allowed):
    scan(client, world, "administrator", reverse("admin:statistics_importrun_changelist"), allowed)


def test_an_import_run_is_chinese(client, world, allowed):
    run = ImportRun.objects.order_by("pk").first()
    assert run is not None, "load_report_data records its import runs"
    # the host and the operating-system account that ran it are names
    names = {run.host, *re.findall(r"\((.*?)\)", run.origin)}
    scan(client, world, "administrator", reverse("admin:statistics_importrun_change", args=[run.pk]), allowed | names)


def test_a_history_page_is_chinese(client, world, allowed):
    centre = world.objects["protection.centre"]
    scan(client, world, "administrator", reverse("admin:protection_centre_history", args=[centre.pk]), allowed)


def test_a_past_version_is_chinese(client, world, allowed):
    centre = world.objects["protection.centre"]
    record = centre.history.order_by("-history_id").first()
    url = reverse("admin:protection_centre_simple_history", args=[centre.pk, record.history_id])
    scan(client, world, "administrator", url, allowed)


def test_the_refusal_page_is_chinese(client, world, allowed):
    scan(client, world, "officer_own", reverse("returns:tracker"), allowed, status=403)


def test_the_missing_page_is_chinese(client, world, allowed):
    scan(client, world, "anonymous", "/no-such-page/", allowed, status=404)


@pytest.mark.parametrize("role", ["officer_own", "reviewer"])
def test_a_return_sheet_is_chinese(client, world, allowed, role):
    ReturnPeriod.objects.get_or_create(year=YEAR, defaults={"deadline": date(YEAR + 1, 3, 31)})  # an open period
    annual_return = return_services.start_return(Region.objects.get(code=OWN), YEAR, world.users["officer_own"])
    scan(client, world, role, reverse("admin:returns_annualreturn_change", args=[annual_return.pk]), allowed)


def test_a_change_without_reason_shows_a_dash_and_the_loaders_reasons_are_translated():
    assert change_reason(None) == "—"
    assert change_reason("") == "—"
    assert change_reason("load_report_data (import run 7)") == "从年报数据载入（导入记录 7）"
    assert change_reason("import regions.xlsx") == "从 regions.xlsx 导入"
    assert change_reason("整改后重新提交") == "整改后重新提交"  # a person's reason, as written


def test_the_scanner_finds_english_and_lets_codes_through():
    page = (
        "<html><head><style>.x{}</style><script>var Kind=1</script></head>"
        '<body><p title="Status">类型 Kind R01 2025 PCT <!-- Level --> XLSX</p></body></html>'
    )
    leaks = english_words(page, ALLOWED)
    assert [leak.split(" ")[0] for leak in leaks] == ["'Kind'"]


# -- English mode: names are English -----------------------------------------------------------------------------


def test_english_pages_name_regions_in_english(client, world):
    client.cookies["django_language"] = "en"
    for url in ["/protection/summary/", "/summaries/"]:
        page = visible_text(client.get(url).content.decode())
        assert "北京" not in page, url
    assert "Beijing" in visible_text(client.get("/protection/summary/").content.decode())


def test_the_province_page_names_the_province_in_the_readers_language(client, world):
    assert "<h1>北京市" in client.get(f"/province/{OWN}/").content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(f"/province/{OWN}/").content.decode()
    # Content that exists only in Chinese (a work summary's text, registry names) is marked lang="zh-Hans".
    page_names = re.sub(r'<(\w+)[^>]*\blang="zh-Hans"[^>]*>.*?</\1>', " ", page, flags=re.S)
    assert "<h1>Beijing" in page and "北京" not in visible_text(page_names).split("Figures:")[0]
