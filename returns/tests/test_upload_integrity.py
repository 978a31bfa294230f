"""Issue 11: an officer's value upload refuses formula cells with their address and a damaged sheet with a message;
neither writes anything, and neither is an error page."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from returns.models import IndicatorValue

from .test_screens import messages_of, sheet_url, started, version_on, workbook  # noqa: F401  (started: fixture)

pytestmark = pytest.mark.django_db


def post_upload(client, annual_return, content: bytes):
    url = sheet_url(annual_return)
    data = {"version": version_on(client.get(url)), "action": "import", "file": SimpleUploadedFile("v.xlsx", content)}
    return client.post(url, data)


def shown(response) -> str:
    return " ".join(messages_of(response)) or response.content.decode()


def test_a_formula_cell_is_refused_with_its_address(client, started):  # noqa: F811
    """A formula's stored result may be missing (openpyxl writes none): it was read as empty, "0 values changed"."""
    content = workbook([["代码", "数值"], ["R01", "=300+21"]])

    response = post_upload(client, started, content)

    assert response.status_code in (200, 302)
    assert "数据!B2" in shown(response)
    assert not IndicatorValue.objects.filter(annual_return=started, indicator__code="R01").exists()


def test_a_damaged_sheet_is_a_message_not_an_error(client, started):  # noqa: F811
    source, target = zipfile.ZipFile(io.BytesIO(workbook([["代码", "数值"], ["R01", 321]]))), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            archive.writestr(member, data)

    response = post_upload(client, started, target.getvalue())

    assert response.status_code in (200, 302)
    assert "工作表“数据”已损坏" in shown(response)  # the interface is Chinese by default
    assert not IndicatorValue.objects.filter(annual_return=started, indicator__code="R01").exists()
