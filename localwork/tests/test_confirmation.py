"""The confirmation before a transition on a reviewed record's admin page (``review.confirmation``), shown on a work
summary: each button says what will happen (submit with its problem count), the primary button is at the top and at
the bottom, and a browser without JavaScript gets a confirmation page before anything is written."""

import pytest
from django.urls import reverse

from review import services as review
from review.models import Action, State

from .factories import WorkSummaryFactory
from .test_workflow import form_data

pytestmark = pytest.mark.django_db


def change_url(summary):
    return reverse("admin:localwork_worksummary_change", args=[summary.pk])


def test_save_and_submit_is_at_the_top_and_bottom_and_says_how_many_problems(client, officer):
    summary = WorkSummaryFactory(region=officer.region_assignment.region, year=2026, narrative=" ")
    client.force_login(officer)
    page = client.get(change_url(summary)).content.decode()
    assert 'id="review-save-and-submit-top"' in page and 'id="review-save-and-submit"' in page
    assert 'id="review-confirm-dialog"' in page
    problems = len(summary.submission_problems())
    assert problems >= 1
    assert f"有 {problems} 个问题阻止提交" in page  # the Chinese of "%(count)s problem stops the submission"


def test_without_javascript_save_and_submit_asks_first_and_saves_nothing(client, officer):
    summary = WorkSummaryFactory(region=officer.region_assignment.region, year=2026, narrative="原文。")
    client.force_login(officer)
    data = {**form_data(summary, narrative="新文本。"), "_review_submit": "1", "_confirm": "ask"}
    asked = client.post(change_url(summary), data)
    assert asked.status_code == 200
    text = asked.content.decode()
    assert 'id="review-confirm-form"' in text and 'value="新文本。"' in text
    summary.refresh_from_db()
    assert (summary.narrative, summary.state) == ("原文。", State.DRAFT)
    confirmed = client.post(change_url(summary), {**data, "_confirm": "yes"}, follow=True)
    assert confirmed.status_code == 200
    summary.refresh_from_db()
    assert (summary.narrative, summary.state) == ("新文本。", State.SUBMITTED)


def test_without_javascript_approve_asks_first_then_approves(client, officer, reviewer):
    summary = WorkSummaryFactory(region=officer.region_assignment.region, year=2026, narrative="推进专利转化。")
    summary = review.transition(summary, Action.SUBMIT, officer, expected_version=summary.version).target
    client.force_login(reviewer)
    page = client.get(change_url(summary)).content.decode()
    assert 'id="review-action-approve"' in page and 'id="review-action-approve-bottom"' in page
    assert 'data-confirm-reason="review-comment"' in page  # return and reopen ask for the reason in the dialog
    url = reverse("admin:localwork_worksummary_review", args=[summary.pk])
    asked = client.post(url, {"action": "approve", "version": summary.version, "_confirm": "ask"})
    assert asked.status_code == 200 and 'id="review-confirm-yes"' in asked.content.decode()
    summary.refresh_from_db()
    assert summary.state == State.SUBMITTED
    done = client.post(url, {"action": "approve", "version": summary.version, "_confirm": "yes"})
    assert done.status_code == 302
    summary.refresh_from_db()
    assert summary.state == State.APPROVED


def test_a_return_without_reason_is_refused_even_when_confirmed(client, officer, reviewer):
    summary = WorkSummaryFactory(region=officer.region_assignment.region, year=2026, narrative="推进专利转化。")
    summary = review.transition(summary, Action.SUBMIT, officer, expected_version=summary.version).target
    client.force_login(reviewer)
    url = reverse("admin:localwork_worksummary_review", args=[summary.pk])
    response = client.post(url, {"action": "return", "comment": " ", "version": summary.version, "_confirm": "yes"})
    assert response.status_code == 302
    page = client.get(change_url(summary)).content.decode()
    assert "时必须填写理由" in page
    summary.refresh_from_db()
    assert summary.state == State.SUBMITTED
