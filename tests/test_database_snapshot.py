"""The suite's copy of the loaded database (``tests/database_snapshot.py``) puts back exactly what was loaded."""

import pytest
from django.core.management import call_command
from django.db import connection

from statistics.models import Region

from . import database_snapshot
from .write_world import fingerprint


@pytest.mark.django_db(transaction=True)
def test_a_restored_database_is_the_loaded_one_and_new_rows_get_new_keys():
    if not database_snapshot.restore(connection):  # an earlier transactional test may have emptied it
        pytest.fail(f"no copy of the loaded database is kept on {connection.vendor}")
    loaded = fingerprint()
    assert Region.objects.exists()

    call_command("flush", interactive=False, verbosity=0)
    assert not Region.objects.exists()
    assert database_snapshot.restore(connection)

    assert fingerprint() == loaded
    highest = Region.objects.order_by("-pk").values_list("pk", flat=True).first()
    created = Region.objects.create(
        code="990000", name_zh="测试", name_en="Test", display_order=999
    )  # a key from the sequence
    assert created.pk > highest


class Collected:
    """What ``is_transactional`` reads of a collected test: its ``django_db`` mark and its fixtures."""

    def __init__(self, mark, fixturenames):
        self.mark, self.fixturenames = mark, fixturenames

    def get_closest_marker(self, name):
        return self.mark if name == "django_db" else None


@pytest.mark.parametrize(
    "mark, fixtures, transactional",
    [
        (pytest.mark.django_db(transaction=True).mark, [], True),
        (pytest.mark.django_db(True).mark, [], True),
        (pytest.mark.django_db.mark, ["transactional_db"], True),
        (None, ["live_server"], True),
        (pytest.mark.django_db.mark, ["client"], False),
        (pytest.mark.django_db(transaction=False).mark, [], False),
        (None, ["db"], False),
    ],
)
def test_the_tests_after_which_the_report_is_put_back(mark, fixtures, transactional):
    """The root conftest restores the session's database after exactly the tests Django empties it after, so a worker
    may run any test after any other."""
    from conftest import is_transactional

    assert is_transactional(Collected(mark, fixtures)) is transactional


@pytest.mark.django_db
def test_the_copy_is_never_put_into_another_database(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "ip_records_of_someone")
    with pytest.raises(RuntimeError, match="refusing"):
        database_snapshot.restore(connection)
