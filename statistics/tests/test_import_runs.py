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


def test_a_run_silent_for_too_long_is_shown_as_interrupted(chief_client, chief):  # noqa: F811
    """A background import whose process died never finishes; its page says so instead of polling for ever."""
    from datetime import timedelta

    from django.utils import timezone

    from statistics.progress import STALE_AFTER

    long_ago = timezone.now() - timedelta(seconds=STALE_AFTER + 60)
    dead = models.ImportRun.objects.create(kind="statistics.region", user=chief, filename="x.csv", started_at=long_ago)
    alive = models.ImportRun.objects.create(kind="statistics.region", user=chief, filename="y.csv")

    assert chief_client.get(f"/admin/statistics/importrun/{dead.pk}/progress.json").json()["status"] == "failed"
    assert chief_client.get(f"/admin/statistics/importrun/{alive.pk}/progress.json").json()["status"] == "running"
    dead.refresh_from_db()
    assert dead.finished_at is not None
    assert "中断" in dead.problems[0]  # the interface is Chinese by default


def test_stale_is_measured_from_the_last_published_progress():
    from statistics.progress import STALE_AFTER, is_stale

    assert not is_stale({"at": 1000.0}, started_at_timestamp=0.0, now=1000.0 + STALE_AFTER - 1)
    assert is_stale({"at": 1000.0}, started_at_timestamp=0.0, now=1000.0 + STALE_AFTER + 1)
    assert is_stale(None, started_at_timestamp=0.0, now=STALE_AFTER + 1)
    assert not is_stale(None, started_at_timestamp=0.0, now=STALE_AFTER - 1)


def test_uploads_never_confirmed_are_forgotten_after_a_day(chief_client, settings, tmp_path):  # noqa: F811
    import os
    import time

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    old = default_storage.save("appendix-imports/" + "a" * 64, ContentFile(b"old"))
    recent = default_storage.save("appendix-imports/" + "b" * 64, ContentFile(b"recent"))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))

    chief_client.post("/admin/statistics/appendix-import/", {"file": SimpleUploadedFile("x.csv", b"a,b\n")})

    assert not default_storage.exists(old)
    assert default_storage.exists(recent)
