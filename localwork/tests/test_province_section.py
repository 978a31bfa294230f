"""The province page shows the province's published work summary, and only a published one."""

import pytest

from review.models import State
from statistics.models import Region

from ..models import WorkSummary
from .factories import WorkSummaryFactory

pytestmark = pytest.mark.django_db

# A phrase of 北京's 2025 summary as the report prints it (地方工作, 北京).
BEIJING_PHRASE = "知识产权支撑国际科技创新中心建设若干措施"


def test_the_province_page_shows_the_published_summary(client):
    page = client.get("/province/110000/?year=2025").content.decode()
    assert BEIJING_PHRASE in page
    assert "/summaries/2025/#region-110000" in page


def test_a_summary_that_is_not_published_is_not_shown(client):
    WorkSummary.objects.filter(region__code="110000", year=2025).update(state=State.REOPENED)
    assert BEIJING_PHRASE not in client.get("/province/110000/?year=2025").content.decode()
    draft = WorkSummaryFactory(region=Region.objects.get(code="110000"), year=2024, narrative="草稿里的未公开文字")
    assert draft.state == State.DRAFT
    assert "草稿里的未公开文字" not in client.get("/province/110000/?year=2024").content.decode()
