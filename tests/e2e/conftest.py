"""Browser tests: Debian's Chromium, driven by Playwright (sync API), against pytest-django's ``live_server``.

The live server serves the test database, so every test here is transactional (Django empties the database after
each one); the root ``conftest.py`` then puts the session's loaded database back (``tests/database_snapshot.py`` on
SQLite and PostgreSQL; elsewhere the report is loaded again), so each test starts on the report's data.
Static files (ECharts, the map of China) are served by the live server's static-files handler from the finders.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from review.models import RegionAssignment
from review.roles import Role, ensure_role_groups
from statistics.models import Region
from statistics.tests.conftest import Report
from tests.report import report_loaded

from .pages import PASSWORD

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CJK_FONTS = Path("/usr/share/fonts/opentype/noto")
INSTALL_HINT = (
    "The browser tests drive Debian's Chromium with CJK fonts (Playwright's own browser download does not work "
    "here). Install them: apt-get install chromium fonts-noto-cjk (.ci/run does this)."
)
TIMEOUT_MS = 15_000  # the longest a single browser step may wait before the test fails (not a speed assertion)

BEIJING = "110000"
YEAR = 2025


@pytest.fixture(scope="session")
def playwright_session():
    """Playwright's sync API runs an event loop in this thread while it is active; Django refuses ORM calls from
    a thread with a running loop unless told otherwise. The tests' own ORM calls are ordinary synchronous ones,
    so the check is lifted for exactly as long as Playwright runs, and put back afterwards."""
    if not CHROMIUM.exists():
        pytest.fail(f"No Chromium at {CHROMIUM}. {INSTALL_HINT}", pytrace=False)
    if not CJK_FONTS.is_dir():
        pytest.fail(f"No CJK fonts in {CJK_FONTS}. {INSTALL_HINT}", pytrace=False)
    from playwright.sync_api import sync_playwright

    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if saved is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture(scope="session")
def browser(playwright_session):
    try:
        browser = playwright_session.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as error:  # Playwright raises its own Error for a browser that will not start
        pytest.fail(f"Chromium at {CHROMIUM} did not start: {error}\n{INSTALL_HINT}", pytrace=False)
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """A function giving a fresh page in its own browser context (own cookies: one signed-in person each)."""
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def report_data(transactional_db, settings, tmp_path):
    """The report's data, role groups, and quick password hashing; imports run inside the request and keep
    pending uploads in a temporary folder."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = str(tmp_path / "media")
    report_loaded()  # the session's database: the root conftest puts it back after every transactional test


@pytest.fixture(scope="session")
def report() -> Report:
    """The report's appendix tables as printed (expected figures come from here, not from the application)."""
    return Report()


def make_person(username: str, role: Role | None, region: Region | None = None, **extra):
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True, **extra)
    if role is not None:
        user.groups.add(ensure_role_groups()[role])
    if region is not None:
        RegionAssignment.objects.create(user=user, region=region)
    return user


@pytest.fixture
def beijing(report_data):
    return Region.objects.get(code=BEIJING)


@pytest.fixture
def officer(beijing):
    return make_person("officer-bj", Role.OFFICER, beijing)


@pytest.fixture
def reviewer(report_data):
    return make_person("reviewer", Role.REVIEWER)


@pytest.fixture
def administrator(report_data):
    return make_person("hq-admin", Role.ADMINISTRATOR)
