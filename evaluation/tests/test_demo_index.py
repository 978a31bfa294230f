"""The demo data of the index: ``create_demo_accounts`` (DEBUG only) makes synthetic approved returns of 2024 and
2025 for the 31 provinces through the real workflow, and a published demo edition; everything says 演示数据."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from evaluation.demo import DEMO_YEARS, create_demo_index_data, synthetic_values
from evaluation.models import DemoReturn, Edition
from returns.models import AnnualReturn, ReturnPeriod
from review.models import Action, ReviewEvent, State
from statistics.models import Indicator, Region


@pytest.mark.django_db
def test_demo_accounts_command_makes_approved_demo_returns_and_a_published_demo_edition(settings):
    settings.DEBUG = True
    call_command("create_demo_accounts", stdout=io.StringIO())
    returns = AnnualReturn.objects.filter(year__in=DEMO_YEARS)
    assert returns.count() == 62 and set(returns.values_list("state", flat=True)) == {State.APPROVED}
    assert DemoReturn.objects.count() == 62
    codes = set(returns.values_list("region__code", flat=True))
    assert not codes & {"710000", "810000", "820000"}  # not 港澳台
    assert not Region.objects.filter(code__in=codes).exclude(level=Region.Level.PROVINCE).exists()  # no XPCC
    approvals = ReviewEvent.objects.filter(action=Action.APPROVE, object_id__in=returns.values("pk"))
    assert set(approvals.values_list("actor__username", flat=True)) == {"reviewer"}
    edition = Edition.objects.get()
    assert edition.uses_demo_data and edition.state == State.APPROVED
    assert edition.inputs["evaluation_years"] == [2025, 2026]
    page = Client().get("/index/regions/")
    assert page.status_code == 200 and "演示数据" in page.content.decode()
    ranking = next(chart for chart in page.context["charts"] if chart.slug == "ranking")
    assert len(ranking.rows) == 31
    # The latest demo year's period stays open; the earlier one, made by the command, is closed once its returns are in.
    assert dict(ReturnPeriod.objects.filter(year__in=DEMO_YEARS).values_list("year", "closed")) == {
        2024: True,
        2025: False,
    }

    # Run again: nothing new.
    call_command("create_demo_accounts", stdout=io.StringIO())
    assert AnnualReturn.objects.filter(year__in=DEMO_YEARS).count() == 62
    assert Edition.objects.count() == 1


@pytest.mark.django_db
def test_no_demo_data_with_debug_off(settings):
    settings.DEBUG = False
    out = io.StringIO()
    assert create_demo_index_data(out) == {"returns": 0, "edition": None}
    assert not AnnualReturn.objects.exists()
    assert "DEBUG" in out.getvalue()


@pytest.mark.django_db
def test_synthetic_values_pass_the_returns_own_plausibility_rules():
    """Percentages stay within 0–100 and the later year moves by less than the 50 % that needs a note."""
    indicators = list(Indicator.objects.filter(framework="regional", source="entered"))
    region = Region.objects.get(code="330000")
    first = synthetic_values(region, DEMO_YEARS[0], indicators, east=True)
    second = synthetic_values(region, DEMO_YEARS[1], indicators, east=True)
    assert set(first) == {indicator.code for indicator in indicators}
    for indicator in indicators:
        a, b = float(first[indicator.code]), float(second[indicator.code])
        if indicator.unit == "%":
            assert 0 <= a <= 100 and 0 <= b <= 100
        assert a > 0 and abs(b - a) / a < 0.5, indicator.code
    assert first == synthetic_values(region, DEMO_YEARS[0], indicators, east=True)  # seeded: the same every run
