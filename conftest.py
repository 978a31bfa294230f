"""Fixtures for every test of the project.

The test database holds the whole report (``load_report_data``: reference data, appendix and chapter figures, the
indicator catalogue and, through ``report_data_loaded``, every app's own fixtures), loaded once per session (once per
pytest-xdist worker) here and nowhere else; every test runs in a transaction that is rolled back on top of it. A test
that needs less removes it inside its transaction (``statistics/tests/conftest.py``: ``no_figures``).
"""

import gc
import io
import time

import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the report once into the test database, with the role groups."""
    from django.db import connection

    from review.roles import ensure_role_groups
    from tests import database_snapshot

    with django_db_blocker.unblock():
        call_command("load_report_data", stdout=io.StringIO())
        ensure_role_groups()
        database_snapshot.take(connection)  # put back by transactional tests (tests/e2e) instead of a new load
    # What is loaded now (modules, the URL resolver, the report's rows) lives until the end: keep it out of the
    # collector's passes, and collect less often (each test allocates many short-lived objects).
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    yield
    with django_db_blocker.unblock():
        other_sessions_ended(connection)


def other_sessions_ended(connection) -> None:
    """pytest-django drops the test database at the end, which PostgreSQL refuses while another session uses it. Seen
    (with each new connection named after its test): an autovacuum worker (the copies put back after transactional
    tests change whole tables), and the live server's request threads, which keep their connections while the
    browser keeps its HTTP connections alive. The test database is thrown away next, so they are ended first."""
    if connection.vendor != "postgresql":
        return
    others = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_terminate_backend(pid) {others}")
        for _ in range(50):  # a terminated session takes a moment to go
            cursor.execute(f"SELECT count(*) {others}")
            if not cursor.fetchone()[0]:
                return
            time.sleep(0.05)


@pytest.fixture(scope="session", autouse=True)
def static_files_looked_up_per_request():
    """WhiteNoise scans every static file (about 700) whenever a middleware chain is built, and each test ``Client``
    builds its own: 0.2 s per client, most of the suite's time. Looking files up per request instead (its
    ``AUTOREFRESH``, as under ``DEBUG``) serves the same files; no test is about the scan."""
    from django.conf import settings

    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached responses and progress of one test never reach another, nor do
    values derived per published version (a rolled-back test's version number comes again in the next test)."""
    from core.published_memo import forget_all

    cache.clear()
    forget_all()
    yield


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language (Chinese), whatever an earlier test or request activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Passwords hashed with MD5 in the tests: PBKDF2's million rounds cost about a second per ``admin_user`` on this
    machine. A test about hashing itself sets its own ``PASSWORD_HASHERS`` (``tests/test_tokens.py``)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def import_years(settings):
    """Tests write synthetic figures for years no report covers (2030–2060), so that their rows are easy to find; the
    importers' year rule (``statistics/years.py``) is widened for them. Tests of that rule set their own range."""
    settings.IMPORT_YEARS = "1985-2100"


# Fixtures that make a test transactional: Django empties every table after it.
TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool(TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items) -> None:
    """Transactional tests first (after pytest-django's ordering, which puts them last). They are the slow ones (the
    browser tests: 3–20 s each), and pytest-xdist's ``load`` scheduler hands tests out in collection order: last, they
    all landed on one worker at the end, which ran them alone for 80 s while the others were done. First, the
    scheduler's opening round spreads them over every worker, and the many quick tests even out the end. The order
    is safe: the report is put back after each transactional test (``pytest_runtest_teardown`` below)."""
    items.sort(key=lambda item: not is_transactional(item))  # stable: pytest-django's order within each part


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test (browser tests, locks, concurrent edits) Django empties every table; the session's
    report is put back at once (``tests/database_snapshot.py``), so every test, in whatever order a worker runs it,
    starts on the database the session loaded (pytest-django runs transactional tests last, but pytest-xdist's
    schedulers do not keep that order: ``--dist worksteal`` failed 256 tests on an empty database without this)."""
    result = yield
    # After the last test (no ``nextitem``) the session's fixtures are gone with it, the test database too: the
    # connection points at the real database again, which must never be touched.
    if nextitem is not None and is_transactional(item):
        from django.db import connection
        from pytest_django.plugin import blocking_manager_key

        from tests import database_snapshot
        from tests.report import report_loaded

        with item.config.stash[blocking_manager_key].unblock():
            if not database_snapshot.restore(connection):
                report_loaded()
    return result
