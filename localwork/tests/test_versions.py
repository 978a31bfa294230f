"""Work summaries through the API and the admin: the version on every edit, deleting, "save and submit", and the
browsable API's pages. The rules are ``review/services.py``'s (tested in ``review/tests/test_versions.py``); these
tests check that each entry point passes the version on and answers a refusal with the right status and message."""

import pytest
from django.urls import reverse

from review.models import Action, ReviewEvent, State

from ..models import WorkSummary
from .factories import TypicalCaseFactory, WorkSummaryFactory

pytestmark = pytest.mark.django_db

SUMMARIES = "/api/v1/work-summaries/"


def detail(summary) -> str:
    return f"{SUMMARIES}{summary.pk}/"


def stored(summary) -> WorkSummary:
    return WorkSummary.objects.get(pk=summary.pk)


# API: edits ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["patch", "put"])
def test_an_api_edit_without_a_version_is_refused_naming_the_field(client, officer, method):
    summary = WorkSummaryFactory()
    client.force_login(officer)
    body = {"region": "北京", "year": 2026, "narrative": "没有版本号的修改"}
    response = getattr(client, method)(detail(summary), body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert "“version”" in response.json()["version"][0]
    assert (stored(summary).narrative, stored(summary).version) == (summary.narrative, 1)


@pytest.mark.parametrize("version", ["abc", "1.5", -1, 0, 2**31, 10**30, True, [1], {"v": 1}])
def test_a_malformed_version_is_refused_with_400_not_500(client, officer, version):
    summary = WorkSummaryFactory()
    client.force_login(officer)
    body = {"narrative": "修改", "version": version}
    response = client.patch(detail(summary), body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert "version" in response.json()
    assert stored(summary).version == 1


def test_a_stale_api_edit_gets_409_and_the_current_one_wins(client, officer):
    summary = WorkSummaryFactory()
    client.force_login(officer)
    first = client.patch(detail(summary), {"narrative": "第一次", "version": 1}, content_type="application/json")
    assert first.status_code == 200 and first.json()["version"] == 2
    second = client.patch(detail(summary), {"narrative": "第二次", "version": 1}, content_type="application/json")
    assert second.status_code == 409
    assert stored(summary).narrative == "第一次"


def test_the_version_sent_is_checked_never_stored(client, officer):
    summary = WorkSummaryFactory()
    client.force_login(officer)
    response = client.patch(detail(summary), {"narrative": "改", "version": 1}, content_type="application/json")
    assert response.json()["version"] == 2 and stored(summary).version == 2


@pytest.mark.parametrize("version", [None, "abc", "-2"])
def test_transitions_and_attachments_need_a_valid_version(client, officer, version):
    summary = WorkSummaryFactory()
    client.force_login(officer)
    body = {} if version is None else {"version": version}
    submitted = client.post(f"{detail(summary)}submit/", body, content_type="application/json")
    assert submitted.status_code == 400, submitted.content
    assert "version" in submitted.json()
    assert stored(summary).state == State.DRAFT
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import PDF

    attached = client.post(f"{detail(summary)}attachments/", {"file": SimpleUploadedFile("a.pdf", PDF), **body})
    assert attached.status_code == 400, attached.content
    assert not stored(summary).attachments.exists()


# API: delete --------------------------------------------------------------------------------------------------------


def test_an_officer_deletes_an_own_draft_with_its_version(client, officer):
    summary = WorkSummaryFactory()
    client.force_login(officer)
    refused = client.delete(detail(summary))
    assert refused.status_code == 400 and "version" in refused.json()
    assert client.delete(f"{detail(summary)}?version=1").status_code == 204
    assert not WorkSummary.objects.filter(pk=summary.pk).exists()


def test_a_draft_is_deleted_with_the_version_in_the_body(client, officer):
    summary = WorkSummaryFactory()
    client.force_login(officer)
    response = client.delete(detail(summary), {"version": 1}, content_type="application/json")
    assert response.status_code == 204


def test_deleting_a_submitted_summary_is_refused_with_a_message_and_changes_nothing(client, officer):
    """Before: ``403 {"detail": ""}`` and the version went up anyway."""
    summary = WorkSummaryFactory(state=State.SUBMITTED)
    client.force_login(officer)
    response = client.delete(f"{detail(summary)}?version=1")
    assert response.status_code == 403
    assert "草稿" in response.json()["detail"]
    after = stored(summary)
    assert (after.state, after.version, after.modified_by) == (State.SUBMITTED, 1, None)


def test_a_stale_delete_gets_409(client, officer):
    summary = WorkSummaryFactory()
    client.force_login(officer)
    client.patch(detail(summary), {"narrative": "改", "version": 1}, content_type="application/json")
    assert client.delete(f"{detail(summary)}?version=1").status_code == 409
    assert WorkSummary.objects.filter(pk=summary.pk).exists()


def test_a_reviewer_may_not_delete(client, reviewer):
    summary = WorkSummaryFactory()
    client.force_login(reviewer)
    response = client.delete(f"{detail(summary)}?version=1")
    assert response.status_code == 403 and response.json()["detail"]
    assert WorkSummary.objects.filter(pk=summary.pk).exists()


# The browsable API's HTML pages (they raised "unhashable type: 'dict'" on the region select) ------------------------


@pytest.mark.parametrize("who", ["officer", "reviewer", "administrator"])
def test_the_browsable_pages_of_summaries_and_cases_render(client, request, who):
    summary = WorkSummaryFactory()
    case = TypicalCaseFactory()
    client.force_login(request.getfixturevalue(who))
    for url in (SUMMARIES, detail(summary), "/api/v1/typical-cases/", f"/api/v1/typical-cases/{case.pk}/"):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, (url, response.content[:300])
        assert response["Content-Type"].startswith("text/html")
        assert client.get(url, {"format": "api"}).status_code == 200


def test_the_browsable_form_offers_regions_by_code(client, administrator):
    client.force_login(administrator)
    page = client.get("/api/v1/typical-cases/", HTTP_ACCEPT="text/html").content.decode()
    assert '<option value="110000"' in page


# Admin: the version on the change form ------------------------------------------------------------------------------


def form_data(summary, **fields) -> dict:
    data = {
        "narrative": summary.narrative,
        "key_measures": summary.key_measures,
        "expected_version": summary.version,
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def change_url(summary) -> str:
    return reverse("admin:localwork_worksummary_change", args=[summary.pk])


@pytest.mark.parametrize("version", [None, "", "abc", "-1", "99999999999"])
def test_the_admin_form_without_a_valid_version_is_refused_and_saves_nothing(client, officer, version):
    summary = WorkSummaryFactory()
    client.force_login(officer)
    response = client.post(change_url(summary), form_data(summary, narrative="无版本", expected_version=version))
    assert response.status_code == 200  # the form again, with the message
    assert "“version”" in response.content.decode()
    assert (stored(summary).narrative, stored(summary).version) == (summary.narrative, 1)


def test_a_stale_admin_form_is_refused(client, officer):
    summary = WorkSummaryFactory()
    client.force_login(officer)
    assert client.post(change_url(summary), form_data(summary, narrative="第一次")).status_code == 302
    response = client.post(change_url(summary), form_data(summary, narrative="第二次", expected_version=1))
    assert response.status_code == 200
    assert stored(summary).narrative == "第一次"


# Admin: "Save and submit" submits what is on the screen -------------------------------------------------------------


def test_save_and_submit_submits_the_edited_text(client, officer):
    """Before: the submit button sat in its own form above the editor and submitted the stored (old) text."""
    summary = WorkSummaryFactory(narrative="旧文本。")
    client.force_login(officer)
    page = client.get(change_url(summary)).content.decode()
    assert 'name="_review_submit"' in page
    assert 'value="submit"' not in page  # no submit in the panel's separate form
    response = client.post(
        change_url(summary), {**form_data(summary, narrative="屏幕上的新文本。"), "_review_submit": "1"}, follow=True
    )
    assert response.status_code == 200
    after = stored(summary)
    assert after.state == State.SUBMITTED
    assert after.narrative == "屏幕上的新文本。"
    assert after.version == 3  # one edit, one transition
    event = ReviewEvent.objects.get(object_id=summary.pk, content_type__model="worksummary")
    assert (event.action, event.actor) == (Action.SUBMIT, officer)


def test_save_and_submit_with_a_stale_version_saves_and_submits_nothing(client, officer):
    summary = WorkSummaryFactory(narrative="旧文本。")
    client.force_login(officer)
    client.post(change_url(summary), form_data(summary, narrative="另一个标签页的修改。"))
    response = client.post(
        change_url(summary), {**form_data(summary, narrative="过时的修改。", expected_version=1), "_review_submit": "1"}
    )
    assert response.status_code == 200
    after = stored(summary)
    assert (after.state, after.narrative) == (State.DRAFT, "另一个标签页的修改。")


def test_a_refused_submission_keeps_the_saved_text_and_says_why(client, officer):
    summary = WorkSummaryFactory(narrative="旧文本。")
    client.force_login(officer)
    response = client.post(
        change_url(summary), {**form_data(summary, narrative=" "), "_review_submit": "1"}, follow=True
    )
    after = stored(summary)
    assert after.state == State.DRAFT and after.narrative.strip() == ""
    shown = [str(message) for message in response.context["messages"]]
    assert any("北京 2026" in message for message in shown)


def test_the_panel_does_not_submit_what_the_editor_holds(client, officer):
    summary = WorkSummaryFactory()
    client.force_login(officer)
    url = reverse("admin:localwork_worksummary_review", args=[summary.pk])
    client.post(url, {"action": "submit", "version": summary.version})
    assert stored(summary).state == State.DRAFT


# Admin: delete ------------------------------------------------------------------------------------------------------


def delete_url(summary) -> str:
    return reverse("admin:localwork_worksummary_delete", args=[summary.pk])


def test_the_admin_deletes_a_draft_with_the_version_of_the_confirmation_page(client, officer):
    summary = WorkSummaryFactory()
    client.force_login(officer)
    page = client.get(delete_url(summary)).content.decode()
    assert 'name="version" value="1"' in page
    assert client.post(delete_url(summary), {"post": "yes", "version": "1"}).status_code == 302
    assert not WorkSummary.objects.filter(pk=summary.pk).exists()


@pytest.mark.parametrize("version", [None, "x", "1"])
def test_an_admin_delete_without_the_current_version_is_refused(client, officer, version):
    summary = WorkSummaryFactory()
    client.force_login(officer)
    client.post(change_url(summary), form_data(summary, narrative="改过"))  # now version 2
    data = {"post": "yes"} if version is None else {"post": "yes", "version": version}
    response = client.post(delete_url(summary), data, follow=True)
    assert response.status_code == 200
    assert WorkSummary.objects.filter(pk=summary.pk).exists()
    assert [str(message) for message in response.context["messages"]]


def test_the_admin_does_not_delete_a_submitted_summary(client, officer):
    summary = WorkSummaryFactory(state=State.SUBMITTED)
    client.force_login(officer)
    assert client.post(delete_url(summary), {"post": "yes", "version": "1"}).status_code == 403
    assert stored(summary).version == 1


def test_the_admin_list_has_no_bulk_delete(client, officer):
    client.force_login(officer)
    page = client.get(reverse("admin:localwork_worksummary_changelist"))
    assert "delete_selected" not in page.context["cl"].model_admin.get_actions(page.wsgi_request)


def test_actions_answer_with_a_format_suffix(client, officer):
    """``…/submit.json/`` is routed too; the actions took no ``format`` argument and answered 500."""
    summary = WorkSummaryFactory()
    client.force_login(officer)
    response = client.post(f"{detail(summary)}submit.json/", {"version": 1}, content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == State.SUBMITTED
