"""``transition`` and ``record_edit`` leave the object they are given as it was and hand back the fresh record.

A caller that goes on (a second transition, a message with the new state, the next version for the client) uses what
is returned; nobody's object changes under them. Exercised on one reviewed model (annual returns, built by factory)
whose own submission checks are switched off: the workflow treats every reviewed model alike.
"""

import pytest
from django.db import transaction

from returns import services as returns_services
from returns.models import AnnualReturn
from returns.tests.factories import AnnualReturnFactory
from review import services
from review.models import Action, State
from review.roles import Role
from statistics.tests.factories import RegionFactory
from tests.contracts.factories import person


def fields(record) -> dict:
    """Every stored field of ``record`` as the object holds it (not as the database does)."""
    return {field.attname: getattr(record, field.attname) for field in record._meta.concrete_fields}


def stored(record) -> dict:
    return fields(type(record).objects.get(pk=record.pk))


@pytest.fixture
def record(db, monkeypatch):
    # The return's own checks (every required value filled) are not what this test is about.
    monkeypatch.setattr(AnnualReturn, "submission_problems", lambda self: [])
    return AnnualReturnFactory(region=RegionFactory())


@pytest.fixture
def people(record):
    return {
        "officer": person(Role.OFFICER, region=record.region),
        "reviewer": person(Role.REVIEWER),
        "administrator": person(Role.ADMINISTRATOR),
    }


STEPS = [
    ("officer", Action.SUBMIT, "", State.SUBMITTED),
    ("officer", Action.WITHDRAW, "", State.DRAFT),
    ("officer", Action.SUBMIT, "", State.SUBMITTED),
    ("reviewer", Action.RETURN, "R01 looks too low", State.RETURNED),
    ("officer", Action.SUBMIT, "", State.SUBMITTED),
    ("reviewer", Action.APPROVE, "", State.APPROVED),
    ("administrator", Action.REOPEN, "the court revised its figures", State.REOPENED),
]


def test_every_transition_leaves_the_given_object_and_returns_the_fresh_record(record, people):
    current = record
    for role, action, comment, state in STEPS:
        before = fields(current)
        event = services.transition(current, action, people[role], comment, expected_version=current.version)
        assert fields(current) == before, action  # the caller's object is untouched
        fresh = event.target
        assert fresh is not current and fresh.pk == current.pk
        assert (fresh.state, fresh.version, fresh.modified_by) == (state, before["version"] + 1, people[role])
        assert fields(fresh) == stored(current)  # the returned record is what was stored
        current = fresh
    assert fields(record)["state"] == State.DRAFT and record.version == 1  # the first object, as made


def test_a_refused_transition_changes_neither_the_object_nor_the_row(record, people):
    before = fields(record)
    with pytest.raises(services.NotAllowed):
        services.transition(record, Action.APPROVE, people["reviewer"], expected_version=record.version)
    assert fields(record) == before == stored(record)


def test_record_edit_leaves_the_given_object_and_returns_the_fresh_record(record, people):
    officer = people["officer"]
    before = fields(record)
    with transaction.atomic():
        locked = services.guard_edit(record, officer, record.version, bump=False)
        assert fields(locked) == before  # an edit that may change nothing moves no version yet
        fresh = services.record_edit(record, officer)
    assert fields(record) == before
    assert fresh is not record and (fresh.version, fresh.modified_by) == (record.version + 1, officer)
    assert fields(fresh) == stored(record)


def test_saving_values_leaves_the_given_return_and_returns_the_fresh_one(record, people):
    officer = people["officer"]
    before = fields(record)
    saved = returns_services.save_values(record, officer, record.version, {}, {"R01": "a note"})
    assert fields(record) == before
    assert saved.changed == 1 and saved.record.version == record.version + 1
    assert fields(saved.record) == stored(record)
    unchanged = returns_services.save_values(saved.record, officer, saved.record.version, {}, {"R01": "a note"})
    assert unchanged.changed == 0 and fields(unchanged.record) == fields(saved.record)  # no new version
