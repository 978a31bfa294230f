"""Attachments: only PDF, DOCX, XLSX, PNG and JPEG, read from the content, within the size limit. A refused file
leaves the summary exactly as it was, through the service, the admin and the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from ..models import Attachment, WorkSummary
from ..services import AttachmentRefused, add_attachment, check_attachment
from .conftest import EXE, JPEG, PDF, PNG, fake_docx, office_file, plain_zip
from .factories import WorkSummaryFactory

pytestmark = pytest.mark.django_db


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("总结.pdf", PDF, "pdf"),
        ("图.png", PNG, "png"),
        ("照片.jpg", JPEG, "jpg"),
        ("照片.JPEG", JPEG, "jpg"),
        ("报告.docx", office_file("docx"), "docx"),
        ("数据.xlsx", office_file("xlsx"), "xlsx"),
    ],
)
def test_allowed_kinds_are_recognised_from_their_content(name, content, kind):
    assert check_attachment(upload(name, content)) == kind


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("程序.exe", EXE, "not a PDF, DOCX, XLSX, PNG or JPEG"),
        ("程序.pdf", EXE, "not a PDF, DOCX, XLSX, PNG or JPEG"),  # the extension alone is not trusted
        ("page.html", b"<html><script>alert(1)</script></html>", "not a PDF, DOCX, XLSX, PNG or JPEG"),
        ("压缩.docx", plain_zip(), "not a PDF, DOCX, XLSX, PNG or JPEG"),  # a ZIP, but not Word
        ("伪装.docx", fake_docx(), "not a PDF, DOCX, XLSX, PNG or JPEG"),  # word/ folder without its content type
        ("表格.docx", office_file("xlsx"), "holds a XLSX file but is named .docx"),
        ("图.pdf", PNG, "holds a PNG file but is named .pdf"),
        ("空.pdf", b"", "is empty"),
    ],
)
def test_other_content_is_refused_with_the_reason(name, content, reason):
    with translation.override("en"), pytest.raises(AttachmentRefused) as refused:
        check_attachment(upload(name, content))
    message = refused.value.messages[0]
    assert name in message
    assert reason in message or reason.replace("a XLSX", "an XLSX") in message


def test_size_limit_comes_from_the_setting(settings):
    settings.LOCALWORK_ATTACHMENT_MAX_SIZE = 100
    assert check_attachment(upload("小.pdf", PDF)) == "pdf"
    with pytest.raises(AttachmentRefused) as refused:
        check_attachment(upload("大.pdf", PDF + b"0" * 200))
    assert "大.pdf" in refused.value.messages[0]
    assert "100" in refused.value.messages[0]


def test_default_limit_is_ten_megabytes(settings):
    del settings.LOCALWORK_ATTACHMENT_MAX_SIZE
    from ..services import attachment_max_size

    assert attachment_max_size() == 10 * 1024 * 1024


def test_service_attaches_and_counts_as_an_edit(officer):
    summary = WorkSummaryFactory()
    attachment = add_attachment(summary, upload("总结.pdf", PDF), officer, expected_version=summary.version)
    summary.refresh_from_db()
    assert summary.version == 2
    assert attachment.kind == "pdf" and attachment.name == "总结.pdf" and attachment.size == len(PDF)
    assert attachment.uploaded_by == officer
    assert attachment.file.read() == PDF


def snapshot(summary):
    summary = WorkSummary.objects.get(pk=summary.pk)
    return (summary.version, summary.narrative, summary.modified_at, summary.attachments.count())


def test_refused_file_leaves_the_summary_unchanged_in_the_service(officer):
    summary = WorkSummaryFactory()
    before = snapshot(summary)
    with pytest.raises(AttachmentRefused):
        add_attachment(summary, upload("程序.pdf", EXE), officer, expected_version=summary.version)
    assert snapshot(summary) == before


def test_refused_file_leaves_the_summary_unchanged_in_the_admin(client, officer):
    summary = WorkSummaryFactory()
    before = snapshot(summary)
    client.force_login(officer)
    url = reverse("admin:localwork_worksummary_change", args=[summary.pk])
    response = client.post(
        url,
        {
            "narrative": "这次的修改也不应保存。",
            "key_measures": "",
            "expected_version": summary.version,
            "attachments-TOTAL_FORMS": "1",
            "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0",
            "attachments-MAX_NUM_FORMS": "1000",
            "attachments-0-file": upload("程序.pdf", EXE),
        },
    )
    assert response.status_code == 200  # the form again, with the message
    assert "程序.pdf" in response.content.decode()
    assert snapshot(summary) == before


def test_accepted_file_in_the_admin(client, officer):
    summary = WorkSummaryFactory()
    client.force_login(officer)
    url = reverse("admin:localwork_worksummary_change", args=[summary.pk])
    response = client.post(
        url,
        {
            "narrative": summary.narrative,
            "key_measures": summary.key_measures,
            "expected_version": summary.version,
            "attachments-TOTAL_FORMS": "1",
            "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0",
            "attachments-MAX_NUM_FORMS": "1000",
            "attachments-0-file": upload("报告.docx", office_file("docx")),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    attachment = Attachment.objects.get(summary=summary)
    assert (attachment.kind, attachment.name, attachment.uploaded_by) == ("docx", "报告.docx", officer)


def test_refused_file_leaves_the_summary_unchanged_through_the_api(client, officer, settings):
    settings.LOCALWORK_ATTACHMENT_MAX_SIZE = 50
    summary = WorkSummaryFactory()
    before = snapshot(summary)
    client.force_login(officer)
    url = reverse("api:work-summary-attachments", args=[summary.pk])
    for name, content in (("程序.exe", EXE), ("大.pdf", PDF + b"0" * 100)):
        response = client.post(url, {"file": upload(name, content), "version": summary.version})
        assert response.status_code == 400
        assert name in response.json()["detail"]
    assert snapshot(summary) == before


def test_attachment_through_the_api(client, officer):
    summary = WorkSummaryFactory()
    client.force_login(officer)
    url = reverse("api:work-summary-attachments", args=[summary.pk])
    response = client.post(url, {"file": upload("图.png", PNG), "version": summary.version})
    assert response.status_code == 201
    assert [a["kind"] for a in response.json()["attachments"]] == ["png"]
    assert response.json()["version"] == summary.version + 1


def test_other_region_cannot_attach(client, other_officer):
    summary = WorkSummaryFactory()
    client.force_login(other_officer)
    url = reverse("api:work-summary-attachments", args=[summary.pk])
    response = client.post(url, {"file": upload("总结.pdf", PDF)})
    assert response.status_code in (403, 404)
    assert not Attachment.objects.filter(summary=summary).exists()


def test_download_of_an_unpublished_summary_needs_a_viewer(client, officer, other_officer):
    summary = WorkSummaryFactory()
    attachment = add_attachment(summary, upload("总结.pdf", PDF), officer, summary.version)
    url = reverse("localwork:attachment", args=[attachment.pk])
    assert client.get(url).status_code == 404  # anonymous
    client.force_login(other_officer)
    assert client.get(url).status_code == 404
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_admin_links_to_the_checked_download_and_deleting_removes_the_file(
    client, officer, django_capture_on_commit_callbacks
):
    summary = WorkSummaryFactory()
    attachment = add_attachment(summary, upload("总结.pdf", PDF), officer, summary.version)
    client.force_login(officer)
    page = client.get(reverse("admin:localwork_worksummary_change", args=[summary.pk])).content.decode()
    assert reverse("localwork:attachment", args=[attachment.pk]) in page
    assert "/media/" not in page
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        attachment.delete()
    assert not storage.exists(name)
