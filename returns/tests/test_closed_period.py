"""A reporting period headquarters has closed: no new return, no submission, no reminder, not on the officer's landing
page, while the returns already at headquarters are still reviewed; opening it again undoes all of it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from returns import services
from returns.periods import open_periods, startable_years
from returns.reminders import due_reminders
from review import services as review
from review.models import Action, State

from .conftest import YEAR, complete_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(beijing, officer, entered_codes):
    annual_return = services.start_return(beijing, YEAR, officer)
    return services.save_values(annual_return, officer, annual_return.version, complete_values(entered_codes)).record


def close(period, closed=True):
    period.closed = closed
    period.save()


def test_a_closed_period_takes_no_new_return(beijing, officer, open_period):
    close(open_period)
    assert YEAR not in startable_years(beijing)
    assert not open_periods().filter(year=YEAR).exists()
    with pytest.raises(review.Invalid) as refused:
        services.start_return(beijing, YEAR, officer)
    [reason] = refused.value.messages
    assert str(YEAR) in reason and "已关闭" in reason
    close(open_period, False)
    assert services.start_return(beijing, YEAR, officer).year == YEAR


def test_a_draft_of_a_closed_period_cannot_be_submitted_and_is_told_why(draft, officer, open_period):
    close(open_period)
    with pytest.raises(review.Invalid) as refused:
        review.transition(draft, Action.SUBMIT, officer, expected_version=draft.version)
    [reason] = [message for message in refused.value.messages if "已关闭" in message]
    assert str(YEAR) in reason and "重新开放" in reason
    assert type(draft).objects.get(pk=draft.pk).state == State.DRAFT
    close(open_period, False)
    assert review.transition(draft, Action.SUBMIT, officer, expected_version=draft.version).target.state == (
        State.SUBMITTED
    )


def test_a_return_submitted_before_the_closing_is_still_reviewed(draft, officer, reviewer, open_period):
    submitted = review.transition(draft, Action.SUBMIT, officer, expected_version=draft.version).target
    close(open_period)
    approved = review.transition(submitted, Action.APPROVE, reviewer, expected_version=submitted.version).target
    assert approved.state == State.APPROVED


def test_the_officers_landing_page_and_the_reminders_leave_it_out(client, officer, open_period):
    open_period.deadline = timezone.localdate() + timedelta(days=5)
    open_period.save()
    assert [reminder.year for reminder in due_reminders(7, without_email=True)] != []
    client.force_login(officer)
    assert f'data-year="{YEAR}"' in client.get(reverse("workspace:home")).content.decode()
    close(open_period)
    assert due_reminders(7, without_email=True) == []
    assert f'data-year="{YEAR}"' not in client.get(reverse("workspace:home")).content.decode()


def test_the_api_and_the_admin_list_say_which_periods_are_closed(client, administrator, open_period):
    close(open_period)
    client.force_login(administrator)
    rows = client.get("/api/v1/return-periods/", {"closed": "true"}, HTTP_ACCEPT="application/json").json()
    assert [(row["year"], row["closed"]) for row in rows["results"]] == [(YEAR, True)]
    assert (
        client.get("/api/v1/return-periods/", {"closed": "false"}, HTTP_ACCEPT="application/json").json()["results"]
        == []
    )
    changelist = client.get(reverse("admin:returns_returnperiod_changelist")).content.decode()
    assert "已关闭" in changelist


def test_the_tracker_says_the_period_is_closed(client, reviewer, open_period):
    client.force_login(reviewer)
    assert 'id="tracker-closed"' not in client.get(reverse("returns:tracker"), {"year": YEAR}).content.decode()
    close(open_period)
    page = client.get(reverse("returns:tracker"), {"year": YEAR})
    assert page.context["tracker"].closed
    assert 'id="tracker-closed"' in page.content.decode() and "已关闭" in page.content.decode()
