"""Edge cases of the admin's one-row-per-record import: repeated keys, and CSV files saved by Chinese Excel."""

import pytest

from statistics import models

from .test_admin_import import chief, chief_client, form_error, upload  # noqa: F401  (chief, chief_client: fixtures)
from .test_resources import PATENT_HEADER, good_patent_rows

pytestmark = pytest.mark.django_db


def test_two_rows_for_the_same_region_are_refused(chief_client):  # noqa: F811
    """The same key twice (by code and by name) would let the later row silently win: the file is refused."""
    content = "代码,中文名称,中文全称,英文名称,级别,所属省（区、市）,显示顺序\n".encode()
    content += "110000,北京,北京市,Beijing,province,,1\n".encode()
    content += "110000,北京,北京市,Peking,province,,1\n".encode()
    response = upload(chief_client, models.Region, content, "regions.csv")
    page = response.content.decode()
    assert "row 3 repeats row 2" in page
    assert "process_import" not in page  # no confirm form is offered
    assert models.Region.objects.get(code="110000").name_en == "Beijing"


def test_a_gb18030_csv_imports_through_the_admin(chief_client, report):  # noqa: F811
    rows = [PATENT_HEADER, *good_patent_rows(report)]
    text = "\n".join(",".join("" if cell is None else str(cell) for cell in row) for row in rows) + "\n"
    content = text.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    response = upload(chief_client, models.RegionPatentFigure, content, "gbk.csv")
    assert response.status_code == 200
    assert "process_import" in response.content.decode(), form_error(response)
