"""Import previews show before → after for each value they would change (issue 14): the appendix workbook's preview
and the model imports' preview (django-import-export)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import F

from statistics import models
from statistics.appendix import TABLES

from .factories import UserFactory
from .test_admin_import import APPENDIX_IMPORT, upload
from .test_resources import FILE_BUILDERS, REGION_HEADER

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


@pytest.fixture
def chief_client(client):
    client.force_login(UserFactory(username="chief-preview", is_staff=True, is_superuser=True))
    return client


def test_the_appendix_preview_lists_each_changed_value_with_before_and_after(chief_client, report, tmp_path):
    path = tmp_path / "appendix-2025.xlsx"
    call_command("export_appendix", year=2025, output=str(path), stdout=io.StringIO())
    # Since the workbook was written, someone changed 北京's 2025 invention filings (表 1) in the database.
    beijing = models.Region.objects.get(name_zh="北京")
    figures = TABLES[1].queryset(models.RegionPatentFigure, [2025]).filter(region=beijing)
    figures.update(invention=F("invention") + 7)
    printed = report[1].value("北京", 2025, "发明")

    preview = chief_client.post(APPENDIX_IMPORT, {"file": SimpleUploadedFile("附录.xlsx", path.read_bytes())})

    assert preview.status_code == 200
    changes = preview.context["changes"]
    assert changes.total == 1
    (change,) = changes.changes
    assert (change.entity, change.year, change.before, change.after) == ("北京", 2025, printed + 7, printed)
    page = preview.content.decode()
    assert 'id="import-changes"' in page and f"{printed + 7:,}" in page and f"{printed:,}" in page
    assert figures.get().invention == printed + 7  # a preview writes nothing


def test_the_model_import_preview_shows_the_old_and_the_new_value(chief_client):
    beijing = models.Region.objects.get(code="110000")
    row = ["110000", beijing.name_zh, beijing.full_name_zh, "Peking", "province", "", beijing.display_order]
    preview = upload(chief_client, models.Region, FILE_BUILDERS["xlsx"]([REGION_HEADER, row]), "regions.xlsx")
    assert preview.status_code == 200
    page = preview.content.decode()
    assert f'<del class="before">{beijing.name_en}</del> → <ins class="after">Peking</ins>' in page
    beijing.refresh_from_db()
    assert beijing.name_en != "Peking"
