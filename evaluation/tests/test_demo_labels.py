"""Made-up demonstration returns say 演示数据 wherever the returns app shows them: its API and the province page."""

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from evaluation.models import DemoReturn
from returns.models import AnnualReturn
from returns.sections import approved_return_section
from review.models import State
from statistics.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def returns():
    beijing, tianjin = Region.objects.get(code="110000"), Region.objects.get(code="120000")
    demo = AnnualReturn.objects.create(region=beijing, year=2025, state=State.APPROVED)
    real = AnnualReturn.objects.create(region=tianjin, year=2025, state=State.APPROVED)
    DemoReturn.objects.create(annual_return=demo)
    return demo, real


def test_the_api_marks_demonstration_returns_and_only_them(returns):
    rows = APIClient().get("/api/v1/annual-returns/", {"year": 2025}).json()["results"]
    labels = {row["region"]: (row["demo_data"], row["data_label"]) for row in rows}
    assert labels["110000"] == (True, "演示数据")
    assert labels["120000"] == (False, "")


def test_the_province_pages_return_section_says_so(returns):
    demo, real = returns
    assert approved_return_section(demo.region, 2025)[2]["demonstration"] is True
    assert approved_return_section(real.region, 2025)[2]["demonstration"] is False


def test_the_return_sheet_says_so_and_only_for_them(returns, admin_client):
    """The sheet an officer or a reviewer opens (the admin's change page) says so at the top, in the reader's
    language beside the label."""
    demo, real = returns
    page = admin_client.get(f"/admin/returns/annualreturn/{demo.pk}/change/").content.decode()
    assert 'id="demo-banner"' in page and "演示数据" in page
    assert "made up for demonstrations" not in page  # Chinese by default
    assert 'id="demo-banner"' not in admin_client.get(f"/admin/returns/annualreturn/{real.pk}/change/").content.decode()
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = admin_client.get(f"/admin/returns/annualreturn/{demo.pk}/change/")
    assert "made up for demonstrations" in english.content.decode()
