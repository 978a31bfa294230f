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
