"""The review workflow on work summaries, through the admin (the "done when" journey) and the model rules:
one summary per (region, year), no submission of an empty narrative, approval locks."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from review import services as review
from review.models import Action, ReviewEvent, State

from ..models import WorkSummary
from .factories import WorkSummaryFactory

pytestmark = pytest.mark.django_db


def form_data(summary=None, **fields):
    data = {
        "narrative": "",
        "key_measures": "",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    if summary is not None:
        data.update(narrative=summary.narrative, key_measures=summary.key_measures, expected_version=summary.version)
    data.update(fields)
    return data


def act(client, summary, action, comment=""):
    url = reverse("admin:localwork_worksummary_review", args=[summary.pk])
    summary.refresh_from_db()
    response = client.post(url, {"action": action, "comment": comment, "version": summary.version}, follow=True)
    assert response.status_code == 200
    summary.refresh_from_db()
    return response


def save_and_submit(client, summary, **fields):
    """The change form's "Save and submit" button: what is in the form is saved and submitted in one step."""
    url = reverse("admin:localwork_worksummary_change", args=[summary.pk])
    response = client.post(url, {**form_data(summary, **fields), "_review_submit": "1"}, follow=True)
    assert response.status_code == 200
    summary.refresh_from_db()
    return response


def test_officer_edits_and_submits_2026_reviewer_returns_then_approves(client, officer, reviewer):
    beijing = officer.region_assignment.region
    # The officer writes the 2026 summary in the admin.
    client.force_login(officer)
    response = client.post(
        reverse("admin:localwork_worksummary_add"),
        form_data(region=beijing.pk, year=2026, narrative="推进专利转化。", key_measures="专利转化"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    summary = WorkSummary.objects.get(region=beijing, year=2026)
    assert summary.state == State.DRAFT
    change_url = reverse("admin:localwork_worksummary_change", args=[summary.pk])
    response = client.post(change_url, form_data(summary, narrative="推进专利转化运用，强化海外维权。"))
    assert response.status_code == 302
    summary.refresh_from_db()
    save_and_submit(client, summary, narrative="推进专利转化运用，强化海外维权。")
    assert summary.state == State.SUBMITTED

    # Submitted: the officer can no longer change it.
    response = client.post(change_url, form_data(summary, narrative="提交后的修改"))
    summary.refresh_from_db()
    assert summary.narrative == "推进专利转化运用，强化海外维权。"

    # The reviewer returns it with a reason; a return without a reason is refused.
    client.force_login(reviewer)
    page = client.get(change_url)
    assert page.status_code == 200 and 'value="return"' in page.content.decode()
    act(client, summary, Action.RETURN)
    assert summary.state == State.SUBMITTED
    act(client, summary, Action.RETURN, "请补充专利转化的数据。")
    assert summary.state == State.RETURNED

    # The officer corrects and submits again.
    client.force_login(officer)
    save_and_submit(client, summary, narrative="推进专利转化运用，转化专利 120 件。")
    assert summary.state == State.SUBMITTED

    # The reviewer approves; approval locks it.
    client.force_login(reviewer)
    act(client, summary, Action.APPROVE)
    assert summary.state == State.APPROVED
    client.force_login(officer)
    client.post(change_url, form_data(summary, narrative="批准后的修改"))
    summary.refresh_from_db()
    assert summary.narrative == "推进专利转化运用，转化专利 120 件。"
    assert list(ReviewEvent.objects.filter(object_id=summary.pk, content_type__model="worksummary").values_list(
        "action", flat=True
    )) == ["submit", "return", "submit", "approve"]  # fmt: skip

    # The history shows what changed between versions.
    client.force_login(reviewer)
    history = client.get(reverse("admin:localwork_worksummary_history", args=[summary.pk])).content.decode()
    assert "<del>" in history and "<ins>" in history
    assert "<ins>，转化专利 120 件</ins>" in history or "转化专利 120 件" in re.sub(r"<[^>]+>", "", history)


def test_second_summary_for_the_same_region_and_year_is_refused(client, officer):
    WorkSummaryFactory()
    with pytest.raises(ValidationError) as refused:
        WorkSummaryFactory.build().full_clean()
    assert "北京 2026" in str(refused.value)
    client.force_login(officer)
    response = client.post(
        reverse("admin:localwork_worksummary_add"),
        form_data(region=officer.region_assignment.region.pk, year=2026, narrative="第二份"),
    )
    assert response.status_code == 200
    assert "There is already a work summary for 北京 2026" in response.content.decode() or "北京 2026" in (
        response.content.decode()
    )
    assert WorkSummary.objects.filter(year=2026).count() == 1


def test_submitting_an_empty_narrative_is_refused(officer):
    summary = WorkSummaryFactory(narrative="  \n\n ")
    with pytest.raises(review.Invalid) as refused:
        review.transition(summary, Action.SUBMIT, officer, expected_version=summary.version)
    assert "北京 2026" in refused.value.messages[0]
    summary.refresh_from_db()
    assert summary.state == State.DRAFT


def test_markup_without_words_counts_as_empty(officer):
    summary = WorkSummaryFactory(narrative="---\n\n***\n\n")
    with pytest.raises(review.Invalid):
        review.transition(summary, Action.SUBMIT, officer, expected_version=summary.version)


def test_approved_summary_is_locked_for_its_officer(officer, reviewer):
    summary = WorkSummaryFactory()
    summary = review.transition(summary, Action.SUBMIT, officer, expected_version=summary.version).target
    summary = review.transition(summary, Action.APPROVE, reviewer, expected_version=summary.version).target
    with pytest.raises(review.NotAllowed):
        review.guard_edit(summary, officer, summary.version)


def test_the_report_summaries_are_locked(officer):
    beijing_2025 = WorkSummary.objects.get(region=officer.region_assignment.region, year=2025)
    assert not review.can_edit(officer, beijing_2025)


def test_officer_sees_only_the_own_region_in_the_admin(client, officer, other_officer):
    WorkSummaryFactory()
    client.force_login(other_officer)
    response = client.get(reverse("admin:localwork_worksummary_changelist"), {"year": 2026})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0
    summary = WorkSummary.objects.get(year=2026)
    assert client.get(reverse("admin:localwork_worksummary_change", args=[summary.pk])).status_code in (302, 403, 404)


def test_officer_cannot_add_for_another_region(client, other_officer, officer):
    client.force_login(other_officer)
    response = client.post(
        reverse("admin:localwork_worksummary_add"),
        form_data(region=officer.region_assignment.region.pk, year=2027, narrative="别省"),
    )
    assert response.status_code == 200  # the region is not among the choices
    assert not WorkSummary.objects.filter(year=2027).exists()


def test_admin_list_filters_by_year_region_and_state(client, reviewer):
    WorkSummaryFactory()
    client.force_login(reviewer)
    url = reverse("admin:localwork_worksummary_changelist")
    assert client.get(url, {"year": 2025}).context["cl"].result_count == 32
    assert client.get(url, {"year": 2026, "state": "draft"}).context["cl"].result_count == 1
    beijing = WorkSummary.objects.get(year=2026).region
    assert client.get(url, {"region__id__exact": beijing.pk}).context["cl"].result_count == 2
    assert client.get(url, {"state": "approved", "year": 2026}).context["cl"].result_count == 0


def test_summaries_are_not_imported_through_the_admin(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("admin:localwork_worksummary_import"))
    assert response.status_code == 403
