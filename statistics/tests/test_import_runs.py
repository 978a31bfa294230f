"""The log of imports: read-only in the admin, exportable for audits."""

import pytest

from statistics import models
from statistics.imports import import_appendix

from .test_admin_import import chief, chief_client, export, records  # noqa: F401  (chief, chief_client: fixtures)

pytestmark = pytest.mark.django_db


def test_import_runs_export_as_csv_with_who_and_which_file(chief_client, chief):  # noqa: F811
    import_appendix(b"not a workbook", "audit-me.pdf", user=chief)
    headers, rows = records(export(chief_client, models.ImportRun, "csv").content, "csv")
    assert "用户" in headers
    mine = [row for row in rows if row["filename"] == "audit-me.pdf"]
    assert len(mine) == 1
    assert mine[0]["用户"] == chief.username
    assert mine[0]["status"] == models.ImportRun.Status.REFUSED


def test_import_runs_cannot_be_added_changed_or_imported(chief_client):  # noqa: F811
    assert chief_client.get("/admin/statistics/importrun/add/").status_code == 403
    assert "import_file" not in chief_client.get("/admin/statistics/importrun/import/", follow=True).content.decode()
    page = chief_client.get("/admin/statistics/importrun/").content.decode()
    assert "/admin/statistics/importrun/export/" in page
    assert "/admin/statistics/importrun/import/" not in page


def test_uploads_never_confirmed_are_forgotten_after_a_day(chief_client, chief, settings):  # noqa: F811
    """The file a preview keeps goes after a day; its run stays, and a late confirm gets a message. The clean-up is
    a background task that each upload queues (run here at once by the immediate backend)."""
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    old = models.ImportRun.objects.create(kind="appendix", user=chief, filename="old.xlsx", status="previewed")
    recent = models.ImportRun.objects.create(kind="appendix", user=chief, filename="new.xlsx", status="previewed")
    models.ImportUpload.objects.create(run=old, content=b"old", stored_at=timezone.now() - timedelta(days=2))
    models.ImportUpload.objects.create(run=recent, content=b"recent")

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    chief_client.post("/admin/statistics/appendix-import/", {"file": SimpleUploadedFile("x.csv", b"a,b\n")})

    assert not models.ImportUpload.objects.filter(run=old).exists()
    assert models.ImportUpload.objects.filter(run=recent).exists()
    assert models.ImportRun.objects.filter(pk=old.pk).exists()
    late = chief_client.post("/admin/statistics/appendix-import/", {"run": old.pk, "confirm": "1"}, follow=True)
    assert late.status_code == 200
    assert "old.xlsx" not in [run.filename for run in models.ImportRun.objects.filter(status="succeeded")]


def test_an_upload_queues_the_clean_up_for_a_worker(chief_client):  # noqa: F811
    """With the database backend the clean-up waits in the database for a worker; the request does not do it."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tasks_db.models import DBTaskResult

    before = DBTaskResult.objects.filter(task_path="core.imports.forget_unconfirmed_uploads").count()
    chief_client.post("/admin/statistics/appendix-import/", {"file": SimpleUploadedFile("x.csv", b"a,b\n")})
    assert DBTaskResult.objects.filter(task_path="core.imports.forget_unconfirmed_uploads").count() == before + 1
