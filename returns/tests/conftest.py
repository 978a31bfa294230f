"""The report's data (regions, appendix figures, indicator catalogue) loaded once, and people in each role."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from returns.models import ReturnPeriod
from review.models import RegionAssignment
from review.roles import GROUP_NAMES, Role
from statistics.models import Indicator, Region
from statistics.tests.factories import UserFactory

YEAR = 2025  # the report's year: its appendix figures are the approved national statistics


def person(role, region=None, **kwargs):
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    if region is not None:
        RegionAssignment.objects.create(user=user, region=region)
    return user


@pytest.fixture
def beijing(db):
    return Region.objects.get(code="110000")


@pytest.fixture
def guangdong(db):
    return Region.objects.get(code="440000")


@pytest.fixture
def open_period(db):
    """The report's year as an open reporting period: returns are started in open periods only."""
    return ReturnPeriod.objects.get_or_create(year=YEAR, defaults={"deadline": date(YEAR + 1, 3, 31)})[0]


@pytest.fixture
def officer(beijing, open_period):
    return person(Role.OFFICER, beijing, username="officer-bj")


@pytest.fixture
def other_officer(guangdong, open_period):
    return person(Role.OFFICER, guangdong, username="officer-gd")


@pytest.fixture
def reviewer(db):
    return person(Role.REVIEWER, username="reviewer")


@pytest.fixture
def administrator(db):
    return person(Role.ADMINISTRATOR, username="hq-admin")


@pytest.fixture
def entered_codes(db):
    """Every indicator the province types."""
    return list(Indicator.objects.filter(framework="regional", source="entered").values_list("code", flat=True))


def complete_values(codes, value="10") -> dict:
    """A value for every typed indicator that passes every check (percentages within 0–100)."""
    return dict.fromkeys(codes, value)


def as_decimal(text) -> Decimal:
    return Decimal(str(text))
