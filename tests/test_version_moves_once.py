"""The published version moves once per writing transaction (and again when it commits), not once per row."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.caching import published_version, statistics_changed


def version_updates(queries) -> int:
    return sum(1 for query in queries if query["sql"].startswith("UPDATE") and "publishedversion" in query["sql"])


@pytest.mark.django_db
def test_many_writes_in_one_transaction_move_the_version_once_and_again_on_commit(django_capture_on_commit_callbacks):
    before = int(published_version())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            for _row in range(50):
                statistics_changed()
            assert int(published_version()) == before + 1  # the transaction reads its own change at once
        assert version_updates(queries.captured_queries) == 1
    assert len(callbacks) == 1
    assert int(published_version()) == before + 2


@pytest.mark.django_db
def test_a_rolled_back_savepoint_takes_its_move_with_it(django_capture_on_commit_callbacks):
    before = int(published_version())
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            statistics_changed()
            raise RuntimeError("refused")
        assert int(published_version()) == before
        statistics_changed()
        assert int(published_version()) == before + 1
    assert len(callbacks) == 1
    assert int(published_version()) == before + 2
