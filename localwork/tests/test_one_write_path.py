"""Attachments are written by ``services`` only (``add_attachment`` for the API, ``add_attachment_with_edit`` for the
admin's rows, both checking the file and the right to edit): the admin and the API refuse the same bad file in the
same words. Deletions of summaries go through ``review.services.delete`` from both."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from review import services as review

from ..models import Attachment, WorkSummary
from ..services import AttachmentRefused, add_attachment
from .conftest import EXE, PDF
from .factories import WorkSummaryFactory

pytestmark = pytest.mark.django_db
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def upload(name, content):
    return SimpleUploadedFile(name, content)


def admin_post(summary, **files):
    data = {
        "narrative": summary.narrative,
        "key_measures": summary.key_measures,
        "expected_version": summary.version,
        "attachments-TOTAL_FORMS": str(len(files)),
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    data.update({f"attachments-{index}-file": file for index, file in enumerate(files.values())})
    return data


def test_a_refused_file_gets_the_same_words_from_the_admin_and_the_api(client, officer):
    summary = WorkSummaryFactory()
    with pytest.raises(AttachmentRefused) as refused:
        add_attachment(summary, upload("程序.pdf", EXE), officer, summary.version)
    message = refused.value.messages[0]
    assert CHINESE.search(message), message

    client.force_login(officer)
    response = client.post(
        reverse("api:work-summary-attachments", args=[summary.pk]),
        {"file": upload("程序.pdf", EXE), "version": summary.version},
    )
    assert response.status_code == 400
    assert response.json()["detail"] == message

    page = client.post(
        reverse("admin:localwork_worksummary_change", args=[summary.pk]),
        admin_post(summary, first=upload("程序.pdf", EXE)),
    )
    assert page.status_code == 200
    errors = [
        error
        for form in page.context["inline_admin_formsets"][0].formset.forms
        for error in form.errors.get("file", [])
    ]
    assert errors == [message]
    assert not Attachment.objects.exists()


def test_the_admin_adds_attachments_through_the_service(client, officer):
    summary = WorkSummaryFactory()
    client.force_login(officer)
    response = client.post(
        reverse("admin:localwork_worksummary_change", args=[summary.pk]),
        admin_post(summary, first=upload("总结.pdf", PDF)),
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(summary=summary)
    assert (attachment.kind, attachment.name, attachment.size, attachment.uploaded_by) == (
        "pdf",
        "总结.pdf",
        len(PDF),
        officer,
    )
    assert WorkSummary.objects.get(pk=summary.pk).version == summary.version + 1  # one edit, one version


def test_an_attachment_with_an_edit_is_refused_to_another_region(other_officer):
    summary = WorkSummaryFactory()
    from ..services import add_attachment_with_edit

    with pytest.raises(review.NotAllowed):
        add_attachment_with_edit(summary, upload("总结.pdf", PDF), other_officer)
    assert not Attachment.objects.exists()


def test_a_stale_deletion_gets_the_same_words_from_the_admin_and_the_api(client, officer):
    summary = WorkSummaryFactory()
    opened_at = summary.version
    summary = review.guard_edit(summary, officer, opened_at)  # someone saved in between
    with pytest.raises(review.Stale) as refused:
        review.delete(summary, officer, opened_at)
    message = refused.value.messages[0]

    client.force_login(officer)
    response = client.delete(reverse("api:work-summary-detail", args=[summary.pk]) + f"?version={opened_at}")
    assert response.status_code == 409
    assert response.json()["detail"] == message

    page = client.post(
        reverse("admin:localwork_worksummary_delete", args=[summary.pk]),
        {"post": "yes", "version": opened_at},
        follow=True,
    )
    assert message in [str(item) for item in page.context["messages"]]
    assert WorkSummary.objects.filter(pk=summary.pk).exists()


def test_guard_edit_returns_the_fresh_record_and_leaves_the_callers_alone(officer):
    summary = WorkSummaryFactory()
    opened_at = summary.version
    locked = review.guard_edit(summary, officer, opened_at)
    assert locked is not summary
    assert (summary.version, locked.version, locked.modified_by) == (opened_at, opened_at + 1, officer)
