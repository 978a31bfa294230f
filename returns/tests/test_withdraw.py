"""Withdraw (issue 14): an officer takes back a submission no reviewer has acted on yet, through the one workflow.

Role × state, written out by hand: only the officer of the return's own region, only while it is submitted, and never
after a reviewer returned or approved it. The return goes back to the state it was submitted from, and the
withdrawal is a ``ReviewEvent`` like every other transition.
"""

import pytest
from django.urls import reverse

from review import services as review
from review.models import Action, ReviewEvent, State
from review.roles import Role
from tests.contracts.factories import step

from .conftest import person
from .test_workflow import return_in

pytestmark = pytest.mark.django_db

# state → who may withdraw ("Y") among officer, other_officer, reviewer, administrator, nobody
MATRIX = """
draft      N N N N N
submitted  Y N N N N
returned   N N N N N
approved   N N N N N
reopened   N N N N N
"""
ROLES = ["officer", "other_officer", "reviewer", "administrator", "nobody"]
CELLS = [
    (line.split()[0], role, flag == "Y")
    for line in MATRIX.strip().splitlines()
    for role, flag in zip(ROLES, line.split()[1:], strict=True)
]


@pytest.fixture
def people(officer, other_officer, reviewer, administrator):
    return {
        "officer": officer,
        "other_officer": other_officer,
        "reviewer": reviewer,
        "administrator": administrator,
        "nobody": person(Role.OFFICER, None, username="unassigned"),
    }


@pytest.mark.parametrize(("state", "role", "allowed"), CELLS, ids=[f"{c[0]}-{c[1]}" for c in CELLS])
def test_who_may_withdraw_in_which_state(people, beijing, officer, entered_codes, state, role, allowed):
    annual_return = return_in(state, beijing, officer, entered_codes)
    user = type(people[role]).objects.get(pk=people[role].pk)
    events = ReviewEvent.objects.count()
    if allowed:
        event = review.transition(annual_return, Action.WITHDRAW, user, expected_version=annual_return.version)
        assert (event.action, event.from_state, event.to_state, event.actor) == (
            Action.WITHDRAW,
            State.SUBMITTED,
            State.DRAFT,
            user,
        )
        assert type(annual_return).objects.get(pk=annual_return.pk).state == State.DRAFT
    else:
        with pytest.raises(review.NotAllowed):
            review.transition(annual_return, Action.WITHDRAW, user, expected_version=annual_return.version)
        assert type(annual_return).objects.get(pk=annual_return.pk).state == state
        assert ReviewEvent.objects.count() == events


def test_a_resubmitted_correction_goes_back_to_returned_and_then_cannot_be_deleted(
    beijing, officer, reviewer, entered_codes
):
    annual_return = return_in(State.RETURNED, beijing, officer, entered_codes)
    annual_return = step(annual_return, Action.SUBMIT, officer)
    annual_return = step(annual_return, Action.WITHDRAW, officer)
    assert annual_return.state == State.RETURNED
    assert review.delete_refusal(officer, annual_return) is not None


def test_after_a_reviewer_returned_it_the_submission_is_no_longer_withdrawable(
    beijing, officer, reviewer, entered_codes
):
    annual_return = return_in(State.SUBMITTED, beijing, officer, entered_codes)
    annual_return = step(annual_return, Action.RETURN, reviewer, "fix")
    assert Action.WITHDRAW not in review.allowed_actions(officer, annual_return)
    with pytest.raises(review.NotAllowed):
        review.transition(annual_return, Action.WITHDRAW, officer, expected_version=annual_return.version)


def test_withdraw_through_the_api(client, beijing, officer, other_officer, entered_codes):
    annual_return = return_in(State.SUBMITTED, beijing, officer, entered_codes)
    url = reverse("api:annual-return-withdraw", args=[annual_return.pk])
    client.force_login(other_officer)
    refused = client.post(url, {"version": annual_return.version}, content_type="application/json")
    assert refused.status_code in (403, 404)
    client.force_login(officer)
    stale = client.post(url, {"version": annual_return.version - 1}, content_type="application/json")
    assert stale.status_code == 409
    response = client.post(url, {"version": annual_return.version}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == State.DRAFT
    again = client.post(url, {"version": response.json()["version"]}, content_type="application/json")
    assert again.status_code == 403


def test_the_sheet_shows_the_withdraw_button_to_its_officer_and_withdraws(client, beijing, officer, entered_codes):
    annual_return = return_in(State.SUBMITTED, beijing, officer, entered_codes)
    url = reverse("admin:returns_annualreturn_change", args=[annual_return.pk])
    client.force_login(officer)
    assert 'id="action-withdraw"' in client.get(url).content.decode()
    response = client.post(url, {"action": "withdraw", "version": annual_return.version})
    assert response.status_code == 302
    annual_return.refresh_from_db()
    assert annual_return.state == State.DRAFT
    assert 'id="action-withdraw"' not in client.get(url).content.decode()
