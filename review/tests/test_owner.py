"""Records prepared by headquarters (the national return, index editions) go through the same workflow: headquarters
staff prepare and submit them, another headquarters user approves, and officers neither see nor touch them.

The rules are exercised on a returns model whose ``review_owner`` is switched for the test: the workflow reads only
``review_owner``, the region and the state, so any reviewed model behaves the same.
"""

import pytest

from returns.models import AnnualReturn
from returns.tests.factories import AnnualReturnFactory
from review import services
from review.models import Action, Owner, State
from review.roles import Role
from statistics.tests.factories import RegionFactory
from tests.contracts.factories import person


@pytest.fixture
def headquarters_owned(monkeypatch):
    monkeypatch.setattr(AnnualReturn, "review_owner", Owner.HEADQUARTERS)
    # The return's own checks (every required value filled) are not what this test is about.
    monkeypatch.setattr(AnnualReturn, "submission_problems", lambda self: [])
    return AnnualReturnFactory()


@pytest.mark.django_db
def test_headquarters_prepares_submits_and_another_headquarters_user_approves(headquarters_owned):
    record = headquarters_owned
    preparer, approver = person(Role.REVIEWER), person(Role.REVIEWER)
    assert services.can_edit(preparer, record)
    record = services.transition(record, Action.SUBMIT, preparer, expected_version=record.version).target
    assert record.state == State.SUBMITTED
    with pytest.raises(services.NotAllowed):
        services.transition(record, Action.APPROVE, preparer, expected_version=record.version)
    record = services.transition(record, Action.APPROVE, approver, expected_version=record.version).target
    assert record.state == State.APPROVED
    assert not services.can_edit(preparer, record)


@pytest.mark.django_db
def test_officers_neither_see_nor_change_nor_submit_headquarters_records(headquarters_owned):
    record = headquarters_owned
    officer = person(Role.OFFICER, region=record.region)
    assert not services.can_view(officer, record)
    assert not services.visible(officer, AnnualReturn.objects.all()).exists()
    assert services.edit_refusal(officer, record)
    assert services.refusal(officer, record, Action.SUBMIT)
    with pytest.raises(services.NotAllowed):
        services.check_can_create(officer, record.region, AnnualReturn)
    services.check_can_create(person(Role.ADMINISTRATOR), None, AnnualReturn)


@pytest.mark.django_db
def test_region_owned_records_are_still_prepared_by_their_regions_officer():
    record = AnnualReturnFactory()
    own, other = person(Role.OFFICER, region=record.region), person(Role.OFFICER, region=RegionFactory())
    reviewer = person(Role.REVIEWER)
    assert services.refusal(reviewer, record, Action.SUBMIT)
    assert services.refusal(other, record, Action.SUBMIT)
    assert services.edit_refusal(reviewer, record)
    assert services.can_edit(own, record)
