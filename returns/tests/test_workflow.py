"""The one review workflow, exercised on annual returns: every role × action × own/other region × state, every
legal and illegal transition, reasons, self-approval, locking, and the record of each transition."""

import pytest

from returns import services
from review import services as review
from review.models import Action, ReviewEvent, State
from review.roles import Role

from .conftest import YEAR, complete_values, person

# Written out by hand from the issue, not derived from review.services.RULES.
# Columns: view, edit, submit, return, approve, reopen. "officer" is the officer of the return's own region.
# An approved return is published: everyone reads it (review.selectors.readable).
MATRIX = """
draft      officer        Y Y Y N N N
draft      other_officer  N N N N N N
draft      reviewer       Y N N N N N
draft      administrator  Y N N N N N
draft      nobody         N N N N N N
submitted  officer        Y N N N N N
submitted  other_officer  N N N N N N
submitted  reviewer       Y N N Y Y N
submitted  administrator  Y N N Y Y N
submitted  nobody         N N N N N N
returned   officer        Y Y Y N N N
returned   other_officer  N N N N N N
returned   reviewer       Y N N N N N
returned   administrator  Y N N N N N
returned   nobody         N N N N N N
approved   officer        Y N N N N N
approved   other_officer  Y N N N N N
approved   reviewer       Y N N N N N
approved   administrator  Y N N N N Y
approved   nobody         Y N N N N N
reopened   officer        Y Y Y N N N
reopened   other_officer  N N N N N N
reopened   reviewer       Y N N N N N
reopened   administrator  Y N N N N N
reopened   nobody         N N N N N N
"""
CELLS = [(line.split()[0], line.split()[1], line.split()[2:]) for line in MATRIX.strip().splitlines()]
ACTIONS = ["view", "edit", Action.SUBMIT, Action.RETURN, Action.APPROVE, Action.REOPEN]


@pytest.fixture
def people(officer, other_officer, reviewer, administrator):
    return {
        "officer": officer,
        "other_officer": other_officer,
        "reviewer": reviewer,
        "administrator": administrator,
        "nobody": person(Role.OFFICER, None, username="unassigned"),
    }


def return_in(state, region, submitter, codes):
    """A complete return of ``region`` put into ``state`` through the workflow itself."""
    annual_return = services.start_return(region, YEAR, submitter)
    annual_return = services.save_values(annual_return, submitter, annual_return.version, complete_values(codes)).record
    if state == State.DRAFT:
        return annual_return
    annual_return = review.transition(
        annual_return, Action.SUBMIT, submitter, expected_version=annual_return.version
    ).target
    hq = person(Role.ADMINISTRATOR, username=f"hq-{state}")
    if state == State.RETURNED:
        annual_return = review.transition(
            annual_return, Action.RETURN, hq, "fix it", expected_version=annual_return.version
        ).target
    if state in (State.APPROVED, State.REOPENED):
        annual_return = review.transition(
            annual_return, Action.APPROVE, hq, expected_version=annual_return.version
        ).target
    if state == State.REOPENED:
        annual_return = review.transition(
            annual_return, Action.REOPEN, hq, "reopen it", expected_version=annual_return.version
        ).target
    return annual_return


@pytest.mark.django_db
@pytest.mark.parametrize(("state", "actor", "expected"), CELLS, ids=[f"{cell[0]}-{cell[1]}" for cell in CELLS])
def test_permission_matrix(people, beijing, officer, entered_codes, state, actor, expected):
    user = people[actor]
    for action, allowed in zip(ACTIONS, expected, strict=True):
        annual_return = return_in(state, beijing, officer, entered_codes)
        user = type(user).objects.get(pk=user.pk)  # fresh role cache
        if action == "view":
            outcome = review.can_view(user, annual_return)
            assert outcome == (allowed == "Y"), (action, outcome)
            assert (annual_return in review.visible(user, type(annual_return).objects.all())) == (allowed == "Y")
        elif action == "edit":
            if allowed == "Y":
                annual_return = services.save_values(
                    annual_return, user, annual_return.version, {entered_codes[0]: "11"}
                ).record
            else:
                with pytest.raises(review.NotAllowed):
                    services.save_values(annual_return, user, annual_return.version, {entered_codes[0]: "11"})
        else:
            if allowed == "Y":
                version = annual_return.version
                event = review.transition(annual_return, action, user, "a reason", expected_version=version)
                assert event.actor == user
            else:
                with pytest.raises(review.NotAllowed):
                    review.transition(annual_return, action, user, "a reason", expected_version=annual_return.version)
                assert type(annual_return).objects.get(pk=annual_return.pk).state == state
        annual_return.delete()


@pytest.mark.django_db
def test_full_cycle_records_every_transition(beijing, officer, reviewer, administrator, entered_codes):
    annual_return = return_in(State.DRAFT, beijing, officer, entered_codes)
    steps = [
        (officer, Action.SUBMIT, "", State.SUBMITTED),
        (reviewer, Action.RETURN, "R01 looks too low", State.RETURNED),
        (officer, Action.SUBMIT, "", State.SUBMITTED),
        (reviewer, Action.APPROVE, "", State.APPROVED),
        (administrator, Action.REOPEN, "the court revised its figures", State.REOPENED),
        (officer, Action.SUBMIT, "", State.SUBMITTED),
        (reviewer, Action.APPROVE, "ok", State.APPROVED),
    ]
    for user, action, comment, target in steps:
        annual_return = review.transition(
            annual_return, action, user, comment, expected_version=annual_return.version
        ).target
        assert annual_return.state == target
    events = list(ReviewEvent.objects.filter(object_id=annual_return.pk, content_type__model="annualreturn"))
    assert [(event.actor, event.action, event.to_state, event.comment) for event in events] == [
        (user, action, target, comment) for user, action, comment, target in steps
    ]
    assert events[1].from_state == State.SUBMITTED
    assert all(event.at is not None for event in events)


@pytest.mark.django_db
@pytest.mark.parametrize("action", [Action.RETURN, Action.REOPEN])
def test_return_and_reopen_need_a_reason(beijing, officer, administrator, entered_codes, action):
    state = State.SUBMITTED if action == Action.RETURN else State.APPROVED
    annual_return = return_in(state, beijing, officer, entered_codes)
    with pytest.raises(review.Invalid, match="理由"):
        review.transition(annual_return, action, administrator, "   ", expected_version=annual_return.version)
    assert type(annual_return).objects.get(pk=annual_return.pk).state == state
    assert not ReviewEvent.objects.filter(object_id=annual_return.pk, action=action).exists()


@pytest.mark.django_db
def test_nobody_approves_their_own_submission(beijing, entered_codes, open_period):
    both = person(Role.OFFICER, beijing, username="officer-and-reviewer")
    both.groups.add(*person(Role.REVIEWER, username="tmp").groups.all())
    annual_return = return_in(State.DRAFT, beijing, both, entered_codes)
    annual_return = review.transition(annual_return, Action.SUBMIT, both, expected_version=annual_return.version).target
    with pytest.raises(review.NotAllowed, match="其他人"):
        review.transition(annual_return, Action.APPROVE, both, expected_version=annual_return.version)
    # but the same person may return it (with a reason)
    version = annual_return.version
    annual_return = review.transition(
        annual_return, Action.RETURN, both, "I noticed a typo myself", expected_version=version
    ).target
    assert annual_return.state == State.RETURNED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "action"),
    [
        (State.DRAFT, Action.RETURN),
        (State.DRAFT, Action.APPROVE),
        (State.DRAFT, Action.REOPEN),
        (State.SUBMITTED, Action.SUBMIT),
        (State.SUBMITTED, Action.REOPEN),
        (State.RETURNED, Action.RETURN),
        (State.RETURNED, Action.APPROVE),
        (State.RETURNED, Action.REOPEN),
        (State.APPROVED, Action.SUBMIT),
        (State.APPROVED, Action.RETURN),
        (State.APPROVED, Action.APPROVE),
        (State.REOPENED, Action.RETURN),
        (State.REOPENED, Action.APPROVE),
        (State.REOPENED, Action.REOPEN),
    ],
)
def test_illegal_transitions_are_refused_with_the_state(beijing, officer, entered_codes, state, action):
    annual_return = return_in(state, beijing, officer, entered_codes)
    superuser = person(Role.ADMINISTRATOR, username="root", is_superuser=True)
    actor = officer if action == Action.SUBMIT else superuser
    with pytest.raises(review.NotAllowed) as refused:
        review.transition(annual_return, action, actor, "reason", expected_version=annual_return.version)
    assert str(State(state).label) in str(refused.value)
    assert type(annual_return).objects.get(pk=annual_return.pk).state == state


@pytest.mark.django_db
def test_approved_return_is_locked(beijing, officer, entered_codes):
    annual_return = return_in(State.APPROVED, beijing, officer, entered_codes)
    before = dict(annual_return.values.values_list("indicator__code", "value"))
    with pytest.raises(review.NotAllowed, match="锁定"):
        services.save_values(annual_return, officer, annual_return.version, {entered_codes[0]: "999"})
    assert dict(annual_return.values.values_list("indicator__code", "value")) == before


@pytest.mark.django_db
def test_stale_transition_is_refused(beijing, officer, reviewer, entered_codes):
    annual_return = return_in(State.SUBMITTED, beijing, officer, entered_codes)
    with pytest.raises(review.Stale):
        review.transition(annual_return, Action.APPROVE, reviewer, "", expected_version=annual_return.version - 1)
    assert type(annual_return).objects.get(pk=annual_return.pk).state == State.SUBMITTED
