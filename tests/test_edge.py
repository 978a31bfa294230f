"""Refusals at the edge (core/middleware.py, core/database.py): NUL characters, a read-only database, a busy SQLite.

- A NUL character in the path, a query parameter, a form field or a JSON body gets 400 naming where it was, before
  any view runs (the URLs below need not even exist).
- A write while the database is read-only gets 503 with a message, on SQLite and on PostgreSQL alike.
- On a file-based SQLite database with the project's settings (WAL, busy timeout, ``BEGIN IMMEDIATE``), two
  writers that read and then write queue up and both succeed; a write that still cannot get the lock gets 409.
"""

import sqlite3
import threading
from unittest import mock

import dj_database_url
import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections, transaction
from rest_framework.test import APIClient

from core.database import BUSY, READ_ONLY, refusal_for, with_sqlite_tuning
from core.models import ApiToken
from statistics.tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def person(username: str = "officer-beijing", **extra):
    user = UserFactory(username=username, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


# NUL characters ----------------------------------------------------------------------------------------------------


def refused_for_nul(response, name: str):
    assert response.status_code == 400, response.content[:300]
    assert "空字符" in response.json()["detail"]
    assert response.json()["field"] == name


@pytest.mark.django_db
def test_a_nul_in_a_query_parameter_is_refused_naming_it():
    client = APIClient()
    refused_for_nul(client.get("/api/v1/region-patent-figures/?year=2025&region=%00"), "region")
    refused_for_nul(client.get("/api/v1/regions/?search=北京\x00"), "search")
    refused_for_nul(client.get("/api/v1/no-such-endpoint/?q=a%00b"), "q")  # before any view, even a 404


@pytest.mark.django_db
def test_a_nul_on_a_page_is_refused_with_a_page():
    response = APIClient().get("/province/110000/?year=%00", HTTP_ACCEPT="text/html")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "“year”含有空字符" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_the_path_is_refused():
    response = APIClient().get("/province/11%000/")
    assert response.status_code == 400
    assert "空字符" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_a_form_field_is_refused_before_the_login_counts_it(client):
    from axes.models import AccessAttempt

    person()
    response = client.post(
        "/admin/login/", {"username": "officer-beijing\x00", "password": PASSWORD}, HTTP_ACCEPT="application/json"
    )
    refused_for_nul(response, "username")
    assert not AccessAttempt.objects.exists()  # no view ran: nothing was counted or written
    response = client.put("/api/v1/annual-returns/1/", "notes=a%00b", content_type="application/x-www-form-urlencoded")
    refused_for_nul(response, "notes")


@pytest.mark.django_db
def test_a_nul_in_a_multipart_form_field_is_refused():
    client = APIClient()
    refused_for_nul(
        client.post("/api/v1/token/", {"username": "a\x00", "password": "x"}, format="multipart"), "username"
    )
    refused_for_nul(client.patch("/api/v1/work-summaries/1/", {"body": "text\x00"}, format="multipart"), "body")


@pytest.mark.django_db
def test_a_nul_in_a_json_body_is_refused_naming_the_field():
    person()
    client = APIClient()
    response = client.post("/api/v1/token/", {"username": "officer-beijing\x00", "password": PASSWORD}, format="json")
    refused_for_nul(response, "username")
    assert not ApiToken.objects.exists()
    response = client.patch("/api/v1/annual-returns/1/", {"values": {"R01": "12\x00"}, "version": 1}, format="json")
    refused_for_nul(response, "values.R01")
    response = client.post("/api/v1/anything/", {"rows": [{"name": "ok"}, {"name": "\x00"}]}, format="json")
    refused_for_nul(response, "rows[1].name")


@pytest.mark.django_db
def test_text_that_only_looks_like_a_nul_passes():
    person()
    client = APIClient()
    # An escaped backslash followed by "u0000" is the six characters \u0000, not a NUL.
    body = '{"username": "officer-beijing", "password": "%s", "note": "\\\\u0000"}' % PASSWORD
    assert client.post("/api/v1/token/", body, content_type="application/json").status_code == 200
    assert client.get("/api/v1/regions/?search=%2500").status_code == 200  # the text "%00"


# A read-only database ----------------------------------------------------------------------------------------------


def set_read_only(on: bool) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SET default_transaction_read_only = {'on' if on else 'off'}")
        elif connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA query_only = {'ON' if on else 'OFF'}")
        else:
            pytest.fail(f"no way to make {connection.vendor} read-only in this test")


@pytest.fixture
def read_only_database(transactional_db):
    """The test's database connection refuses writes for the duration of the test (the server's own setting on
    PostgreSQL, ``query_only`` on SQLite); the test client's requests run on that connection."""
    set_read_only(True)
    yield
    set_read_only(False)


def test_a_write_on_a_read_only_database_answers_503_and_reads_still_work(read_only_database, client):
    set_read_only(False)
    person(is_staff=True)
    set_read_only(True)

    response = APIClient().post("/api/v1/token/", {"username": "officer-beijing", "password": PASSWORD})
    assert response.status_code == 503
    assert "只读" in response.json()["detail"]
    assert response["Retry-After"]

    page = client.post("/admin/login/", {"username": "officer-beijing", "password": PASSWORD, "next": "/admin/"})
    assert page.status_code == 503
    assert "只读" in page.content.decode()

    assert APIClient().get("/api/v1/regions/").status_code == 200  # reads go on

    set_read_only(False)
    assert not ApiToken.objects.exists()


# SQLite: WAL, busy timeout, BEGIN IMMEDIATE; two writers ------------------------------------------------------------


def test_sqlite_gets_wal_a_busy_timeout_and_immediate_transactions_and_postgresql_is_left_alone():
    sqlite = with_sqlite_tuning(dj_database_url.parse("sqlite:////tmp/example.sqlite3"))
    assert sqlite["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert sqlite["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in sqlite["OPTIONS"]["init_command"]
    postgres = with_sqlite_tuning(dj_database_url.parse("postgres://user@localhost/ip_records"))
    assert "transaction_mode" not in postgres.get("OPTIONS", {})
    assert "init_command" not in postgres.get("OPTIONS", {})


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker, settings):
    """A file-based SQLite database configured as the project configures its default one, under its own alias."""
    alias = "edge_sqlite_file"
    url = f"sqlite:///{tmp_path / 'edge.sqlite3'}"
    configured = connections.configure_settings(
        {DEFAULT_DB_ALIAS: settings.DATABASES[DEFAULT_DB_ALIAS], alias: with_sqlite_tuning(dj_database_url.parse(url))}
    )
    connections.settings[alias] = configured[alias]
    with django_db_blocker.unblock():
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
            cursor.execute("INSERT INTO counter (id, value) VALUES (1, 0)")
        yield alias, str(tmp_path / "edge.sqlite3")
        connections[alias].close()
    del connections[alias]
    del connections.settings[alias]


def increment(alias: str) -> None:
    """Read, then write: the pattern that fails at once under SQLite's default deferred transactions."""
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute("SELECT value FROM counter WHERE id = 1")
        (value,) = cursor.fetchone()
        cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])


def test_the_journal_is_wal_on_a_file_database(sqlite_file):
    alias, _path = sqlite_file
    with connections[alias].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_two_concurrent_writers_on_a_file_database_both_succeed(sqlite_file):
    alias, _path = sqlite_file
    rounds = 40
    start = threading.Barrier(2)
    errors = []

    def writer():
        try:
            start.wait()
            for _ in range(rounds):
                increment(alias)
        except Exception as error:  # the test reports whatever a writer met
            errors.append(error)
        finally:
            connections[alias].close()

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT value FROM counter WHERE id = 1")
        assert cursor.fetchone()[0] == 2 * rounds  # no update lost, none refused


def locked_error(alias: str, path: str) -> OperationalError:
    """The genuine error of a writer that waited its whole busy timeout for a lock another connection holds."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    connections.settings[alias]["OPTIONS"]["timeout"] = 0.05
    connections[alias].close()
    try:
        increment(alias)
    except OperationalError as error:
        return error
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    pytest.fail("the write did not wait for the lock")


def test_a_write_that_cannot_get_the_lock_answers_409_not_500(db, sqlite_file):
    alias, path = sqlite_file
    error = locked_error(alias, path)
    assert refusal_for(error) == BUSY
    person()
    with mock.patch("core.tokens.issue_token", side_effect=error):
        response = APIClient().post("/api/v1/token/", {"username": "officer-beijing", "password": PASSWORD})
    assert response.status_code == 409
    assert "请稍后重试" in response.json()["detail"]
    assert response["Retry-After"] == "1"


def test_a_real_error_is_not_mistaken_for_a_refusal(db):
    with pytest.raises(Exception) as raised, connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")
    assert refusal_for(raised.value) is None
    assert refusal_for(ValueError("database is locked")) is None  # only database errors count


def test_the_read_only_error_of_this_backend_is_recognised(read_only_database):
    with pytest.raises(Exception) as raised, transaction.atomic():
        ApiToken.objects.filter(pk="x").delete()
        UserFactory(username="nobody")
    assert refusal_for(raised.value) == READ_ONLY
