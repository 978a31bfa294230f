"""The version is required on every edit, deletion and transition of a reviewed record, and deleting is one service.

The rules are the workflow's (``review/services.py``), so they are exercised on one reviewed model (annual returns,
built by factory); every reviewed model goes through the same functions. The API and admin answers are tested in
``localwork/tests/test_versions.py``.
"""

import threading

import pytest
from django.db import connection, connections

from returns.models import AnnualReturn
from returns.tests.factories import AnnualReturnFactory
from review import services
from review.models import Action, State
from review.roles import Role
from statistics.tests.factories import RegionFactory, UserFactory
from tests.contracts.factories import person


@pytest.fixture
def record(db):
    return AnnualReturnFactory(region=RegionFactory())


@pytest.fixture
def officer(record):
    return person(Role.OFFICER, region=record.region)


def stored(record) -> AnnualReturn:
    return AnnualReturn.objects.get(pk=record.pk)


# A missing or malformed version: 400, nothing written ---------------------------------------------------------------


@pytest.mark.parametrize("missing", [None, "", "   "])
def test_an_edit_without_a_version_is_refused_and_writes_nothing(record, officer, missing):
    with pytest.raises(services.BadVersion) as refused:
        services.guard_edit(record, officer, missing)
    assert refused.value.status == 400
    assert refused.value.field == "version"
    assert "“version”" in refused.value.messages[0]
    assert stored(record).version == 1 and stored(record).modified_by is None


@pytest.mark.parametrize(
    "malformed", ["abc", "1.0", "1e3", "-1", "0", "２", "１", "2147483648", "99999999999999999999"]
)
def test_a_malformed_version_is_refused_with_400(record, officer, malformed):
    with pytest.raises(services.BadVersion) as refused:
        services.guard_edit(record, officer, malformed)
    assert refused.value.status == 400
    assert "“version”" in refused.value.messages[0]
    assert stored(record).version == 1


@pytest.mark.parametrize("malformed", [True, 1.5, -3, [1], {"v": 1}])
def test_a_version_of_the_wrong_type_is_refused(record, officer, malformed):
    with pytest.raises(services.BadVersion):
        services.parse_version(malformed)


@pytest.mark.parametrize("written", [1, "1", " 1 "])
def test_a_version_as_sent_by_forms_and_json_is_accepted(record, officer, written):
    services.guard_edit(record, officer, written)
    assert stored(record).version == 2


def test_every_transition_needs_the_version(record, officer):
    with pytest.raises(services.BadVersion):
        services.transition(record, Action.SUBMIT, officer)
    with pytest.raises(services.BadVersion):
        services.transition(record, Action.SUBMIT, officer, expected_version="two")
    assert stored(record).state == State.DRAFT
    assert not record.review_events.exists()


def test_a_stale_version_is_refused_with_409(record, officer):
    services.guard_edit(record, officer, 1)
    with pytest.raises(services.Stale) as refused:
        services.guard_edit(record, officer, 1)
    assert refused.value.status == 409
    assert stored(record).version == 2


def test_the_same_version_wins_once_sequentially(record, officer):
    """What a second tab does: both opened version 1; the first save wins, the second is refused."""
    first, second = stored(record), stored(record)
    services.guard_edit(first, officer, first.version)
    with pytest.raises(services.Stale):
        services.guard_edit(second, officer, second.version)
    assert stored(record).version == 2


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_edits_with_the_same_version_exactly_one_wins():
    """Two threads edit with the same version at the same moment; the check is on the row locked with SELECT … FOR
    UPDATE, so the second waits for the first to commit, then sees version 2 and is refused.

    On SQLite the same rule holds because the database has one writer at a time (``BEGIN IMMEDIATE`` in the
    project's settings on a file database); the in-memory test database cannot be shared by two threads, so there
    the two edits run one after the other through the same code path."""
    record = AnnualReturnFactory(region=RegionFactory())
    officer = person(Role.OFFICER, region=record.region)
    outcomes = []
    if not connection.features.has_select_for_update:
        for _ in range(2):
            try:
                services.guard_edit(stored(record), officer, 1)
                outcomes.append("saved")
            except services.Stale:
                outcomes.append("stale")
    else:
        start = threading.Barrier(2)
        lock = threading.Lock()

        def edit():
            try:
                mine = stored(record)
                start.wait()
                services.guard_edit(mine, officer, 1)
                result = "saved"
            except services.Stale:
                result = "stale"
            except Exception as error:  # the test reports whatever a writer met
                result = repr(error)
            finally:
                connections.close_all()
            with lock:
                outcomes.append(result)

        threads = [threading.Thread(target=edit) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(outcomes) == ["saved", "stale"]
    assert stored(record).version == 2


# Deleting: one service, everything checked before anything is written ----------------------------------------------


def test_the_officer_deletes_an_own_draft_with_its_version(record, officer):
    services.delete(record, officer, record.version)
    assert not AnnualReturn.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("state", [State.SUBMITTED, State.RETURNED, State.APPROVED, State.REOPENED])
def test_only_a_draft_may_be_deleted_and_a_refusal_changes_nothing(db, state):
    record = AnnualReturnFactory(region=RegionFactory(), state=state)
    officer = person(Role.OFFICER, region=record.region)
    with pytest.raises(services.NotAllowed) as refused:
        services.delete(record, officer, record.version)
    assert refused.value.status == 403
    assert refused.value.messages[0]  # a message, never the empty ``{"detail": ""}`` of before
    after = stored(record)
    assert (after.state, after.version, after.modified_by) == (state, 1, None)
    assert services.delete_refusal(officer, record) == refused.value.messages[0]


def test_others_may_not_delete_a_draft(record):
    for stranger in (person(Role.OFFICER, region=RegionFactory()), person(Role.REVIEWER), UserFactory()):
        with pytest.raises(services.NotAllowed):
            services.delete(record, stranger, record.version)
    assert stored(record).version == 1


def test_a_deletion_needs_the_current_version(record, officer):
    with pytest.raises(services.BadVersion):
        services.delete(record, officer, None)
    with pytest.raises(services.BadVersion):
        services.delete(record, officer, "x")
    services.guard_edit(record, officer, 1)
    with pytest.raises(services.Stale):
        services.delete(record, officer, 1)
    assert stored(record).version == 2
