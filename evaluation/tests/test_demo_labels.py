"""Made-up demonstration returns say 演示数据 wherever the returns app shows them: its API and the province page."""

import pytest
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
