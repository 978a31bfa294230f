"""Notifications (issue 14): who is told of each transition, in the app and by e-mail, the opt-out, marking read, and
the deadline reminders' notifications."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Kind, Notification
from notifications.services import mark_read, set_email_preference
from returns.reminders import send_reminders
from returns.tests.conftest import person
from returns.tests.test_workflow import return_in
from review import services as review
from review.models import Action, State
from review.roles import Role
from tests.contracts.factories import step

pytestmark = pytest.mark.django_db


def kinds_of(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_submit_tells_the_reviewers_and_return_tells_the_officers(
    django_capture_on_commit_callbacks, beijing, officer, other_officer, reviewer, administrator, entered_codes
):
    reviewer.email, officer.email = "reviewer@example.org", "officer@example.org"
    reviewer.save(), officer.save()
    colleague = person(Role.OFFICER, beijing, username="officer-bj-2", email="colleague@example.org")
    annual_return = return_in(State.DRAFT, beijing, officer, entered_codes)
    with django_capture_on_commit_callbacks(execute=True):
        annual_return = step(annual_return, Action.SUBMIT, officer)
    assert kinds_of(reviewer) == [Kind.SUBMIT]
    assert kinds_of(officer) == [] and kinds_of(other_officer) == [] and kinds_of(administrator) == []
    assert [message.to for message in mail.outbox] == [["reviewer@example.org"]]
    assert "北京 2025" in mail.outbox[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review.transition(annual_return, Action.RETURN, reviewer, "表 1 有误", expected_version=annual_return.version)
    assert kinds_of(officer) == [Kind.RETURN] and kinds_of(colleague) == [Kind.RETURN]
    assert kinds_of(other_officer) == [] and kinds_of(reviewer) == [Kind.SUBMIT]
    assert sorted(message.to[0] for message in mail.outbox) == ["colleague@example.org", "officer@example.org"]
    assert all("表 1 有误" in message.body for message in mail.outbox)


def test_an_opted_out_user_is_notified_in_the_app_only(
    django_capture_on_commit_callbacks, beijing, officer, reviewer, entered_codes
):
    reviewer.email = "reviewer@example.org"
    reviewer.save()
    set_email_preference(reviewer, False)
    annual_return = return_in(State.DRAFT, beijing, officer, entered_codes)
    with django_capture_on_commit_callbacks(execute=True):
        review.transition(annual_return, Action.SUBMIT, officer, expected_version=annual_return.version)
    assert kinds_of(reviewer) == [Kind.SUBMIT]
    assert mail.outbox == []


def test_a_rolled_back_transition_tells_nobody(
    django_capture_on_commit_callbacks, beijing, officer, reviewer, entered_codes
):
    annual_return = return_in(State.DRAFT, beijing, officer, entered_codes)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(review.Stale):
        review.transition(annual_return, Action.SUBMIT, officer, expected_version=annual_return.version + 1)
    assert Notification.objects.count() == 0


def test_withdraw_approve_and_reopen_notify(
    django_capture_on_commit_callbacks, beijing, officer, reviewer, administrator, entered_codes
):
    annual_return = return_in(State.SUBMITTED, beijing, officer, entered_codes)
    with django_capture_on_commit_callbacks(execute=True):
        annual_return = step(annual_return, Action.WITHDRAW, officer)
    assert kinds_of(reviewer) == [Kind.WITHDRAW]
    with django_capture_on_commit_callbacks(execute=True):
        annual_return = step(annual_return, Action.SUBMIT, officer)
        annual_return = step(annual_return, Action.APPROVE, reviewer)
        review.transition(annual_return, Action.REOPEN, administrator, "改", expected_version=annual_return.version)
    assert kinds_of(officer) == sorted([Kind.APPROVE, Kind.REOPEN])


def test_the_list_marks_read_only_ones_own(
    client, django_capture_on_commit_callbacks, beijing, officer, reviewer, entered_codes
):
    annual_return = return_in(State.DRAFT, beijing, officer, entered_codes)
    with django_capture_on_commit_callbacks(execute=True):
        annual_return = step(annual_return, Action.SUBMIT, officer)
    (notification,) = Notification.objects.filter(recipient=reviewer)
    client.force_login(officer)
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 404
    client.force_login(reviewer)
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'id="unread-count"' in page and "北京 2025" in page
    response = client.post(reverse("notifications:read", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:returns_annualreturn_change", args=[annual_return.pk])
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'id="unread-count"' not in client.get(reverse("notifications:list")).content.decode()
    assert client.get(reverse("notifications:read", args=[notification.pk])).status_code == 405


def test_the_list_costs_the_same_queries_for_one_or_many(client, django_assert_max_num_queries, reviewer, beijing):
    from django.contrib.contenttypes.models import ContentType

    from notifications.services import notify
    from returns.models import AnnualReturn

    client.force_login(reviewer)
    content_type = ContentType.objects.get_for_model(AnnualReturn)
    notify([reviewer], Kind.DEADLINE, label="北京 2025", content_type=content_type, email=False)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("notifications:list"))
    for _ in range(20):
        notify([reviewer], Kind.DEADLINE, label="北京 2025", content_type=content_type, email=False)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("notifications:list"))
    assert len(many) == len(one)


def test_preference_page_turns_email_off_and_on(client, reviewer):
    client.force_login(reviewer)
    assert client.post(reverse("notifications:preferences"), {}).status_code == 302
    assert reviewer.email_preference.send_email is False
    client.post(reverse("notifications:preferences"), {"send_email": "on"})
    reviewer.email_preference.refresh_from_db()
    assert reviewer.email_preference.send_email is True


def test_deadline_reminders_notify_in_the_app_and_respect_the_opt_out(open_period, beijing, guangdong):
    bj = person(Role.OFFICER, beijing, username="bj", email="bj@example.org")
    gd = person(Role.OFFICER, guangdong, username="gd", email="gd@example.org")
    nomail = person(Role.OFFICER, beijing, username="bj-nomail", email="")
    set_email_preference(gd, False)
    today = open_period.deadline - timedelta(days=3)
    sent = send_reminders(7, today)
    assert sent == 1 and [message.to for message in mail.outbox] == [["bj@example.org"]]
    for user in (bj, gd, nomail):
        assert kinds_of(user) == [Kind.DEADLINE]
    text = Notification.objects.filter(recipient=gd).select_related("content_type").get().text()
    assert "广东 2025" in text


def test_mark_read_of_someone_elses_notification_writes_nothing(reviewer, officer):
    from django.contrib.contenttypes.models import ContentType

    from notifications.services import NotFound, notify
    from returns.models import AnnualReturn

    (notification,) = notify(
        [reviewer], Kind.DEADLINE, label="x", content_type=ContentType.objects.get_for_model(AnnualReturn), email=False
    )
    with pytest.raises(NotFound):
        mark_read(officer, notification.pk)
    notification.refresh_from_db()
    assert notification.read_at is None


def test_in_english_a_notification_names_the_region_in_english(
    client, django_capture_on_commit_callbacks, beijing, officer, reviewer, entered_codes
):
    annual_return = return_in(State.DRAFT, beijing, officer, entered_codes)
    with django_capture_on_commit_callbacks(execute=True):
        annual_return = step(annual_return, Action.SUBMIT, officer)
    client.force_login(reviewer)
    client.cookies["django_language"] = "en"
    english = client.get(reverse("notifications:list")).content.decode()
    assert f"{beijing.name_en} {annual_return.year}" in english and beijing.name_zh not in english
    client.cookies["django_language"] = "zh-hans"
    assert f"{beijing.name_zh} {annual_return.year}" in client.get(reverse("notifications:list")).content.decode()
