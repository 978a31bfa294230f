"""The test database holds the whole report (``load_report_data``, once per session); each test runs in a
transaction that is rolled back. Expected figures come from the report's text, read here apart from the fixtures."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from rest_framework.test import APIClient

from review.models import RegionAssignment
from review.roles import GROUP_NAMES, Role
from statistics.models import Region
from statistics.tests.factories import UserFactory

PROJECT = Path(__file__).resolve().parents[2]
ANNUAL_REPORT = PROJECT / "fixtures" / "sources" / "annual_report_2025.txt"
INDEX_REPORT = PROJECT / "fixtures" / "sources" / "ip_power_index_report_2025.txt"


def report_text(path: Path) -> str:
    """The report with the PDF's line breaks (and the spaces around them) removed, so sentences read whole."""
    return re.sub(r"[ \t\u3000]*\n\s*", "", path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def annual_report() -> str:
    return report_text(ANNUAL_REPORT)


@pytest.fixture(scope="session")
def index_report() -> str:
    return report_text(INDEX_REPORT)


@pytest.fixture(autouse=True)
def default_language():
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def make_user(role: Role, region_name: str | None = None, **kwargs):
    from django.contrib.auth.models import Group

    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    if region_name:
        RegionAssignment.objects.create(user=user, region=Region.objects.lookup(region_name))
    return user


@pytest.fixture
def officer(db):
    """The provincial officer of 北京."""
    return make_user(Role.OFFICER, "北京", username="officer-beijing")


@pytest.fixture
def other_officer(db):
    """The provincial officer of 广东."""
    return make_user(Role.OFFICER, "广东", username="officer-guangdong")


@pytest.fixture
def reviewer(db):
    return make_user(Role.REVIEWER, username="reviewer")


@pytest.fixture
def administrator(db):
    return make_user(Role.ADMINISTRATOR, username="administrator")


@pytest.fixture
def api():
    return APIClient()


def region(name: str) -> Region:
    return Region.objects.lookup(name)
