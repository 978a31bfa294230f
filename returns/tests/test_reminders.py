"""Deadline reminders go by e-mail to the officers whose return is not with headquarters, as a background task."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from returns.models import AnnualReturn
from returns.reminders import due_reminders
from review.models import RegionAssignment, State
from statistics.models import Region
from statistics.tests.factories import UserFactory

from .factories import ReturnPeriodFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 1)


def officer(code: str, email: str):
    user = UserFactory(email=email)
    RegionAssignment.objects.create(user=user, region=Region.objects.get(code=code))
    return user


@pytest.fixture
def period():
    return ReturnPeriodFactory(year=2025, deadline=TODAY + timedelta(days=5))


def test_officers_whose_return_is_not_with_headquarters_are_reminded(period):
    officer("110000", "beijing@example.org")
    officer("440000", "guangdong@example.org")
    officer("310000", "")  # no address: nobody to write to
    AnnualReturn.objects.create(region=Region.objects.get(code="440000"), year=2025, state=State.SUBMITTED)
    AnnualReturn.objects.create(region=Region.objects.get(code="120000"), year=2025, state=State.RETURNED)
    officer("120000", "tianjin@example.org")
    reminders = due_reminders(days=7, today=TODAY)
    assert sorted(reminder.email for reminder in reminders) == ["beijing@example.org", "tianjin@example.org"]
    assert {reminder.days_left for reminder in reminders} == {5}


def test_no_reminder_before_the_window_or_after_the_deadline(period):
    officer("110000", "beijing@example.org")
    assert due_reminders(days=4, today=TODAY) == []
    assert due_reminders(days=7, today=period.deadline + timedelta(days=1)) == []


def test_the_command_queues_a_task_and_now_sends_in_chinese(period, settings, monkeypatch):
    officer("110000", "beijing@example.org")
    before = DBTaskResult.objects.filter(task_path="returns.tasks.send_deadline_reminders").count()
    call_command("send_deadline_reminders", "--days", "7")
    assert DBTaskResult.objects.filter(task_path="returns.tasks.send_deadline_reminders").count() == before + 1
    assert mail.outbox == []
    monkeypatch.setattr("returns.reminders.timezone.localdate", lambda: TODAY)
    call_command("send_deadline_reminders", "--days", "7", "--now")
    (message,) = mail.outbox
    assert message.to == ["beijing@example.org"]
    assert "北京" in message.body and "2025" in message.subject
