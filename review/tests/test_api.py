"""The review app's own API lists: headquarters only, and a fixed number of queries."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from returns.tests.factories import AnnualReturnFactory
from review.models import Action, RegionAssignment, ReviewEvent, State
from review.roles import GROUP_NAMES, Role
from statistics.tests.factories import RegionFactory, UserFactory


def person(role):
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=GROUP_NAMES[role])[0])
    return user


def make(count):
    for _ in range(count):
        region = RegionFactory()
        officer = UserFactory()
        RegionAssignment.objects.create(user=officer, region=region)
        annual_return = AnnualReturnFactory(region=region)
        ReviewEvent.objects.create(
            target=annual_return, action=Action.SUBMIT, from_state=State.DRAFT, to_state=State.SUBMITTED, actor=officer
        )


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ["/api/v1/review-events/", "/api/v1/region-assignments/"])
def test_lists_are_for_headquarters_with_fixed_queries(endpoint):
    make(1)
    assert APIClient().get(endpoint).status_code in (401, 403)
    officer = APIClient()
    officer.force_authenticate(person(Role.OFFICER))
    assert officer.get(endpoint).status_code == 403
    client = APIClient()
    client.force_authenticate(person(Role.REVIEWER))
    client.get(endpoint)  # the reviewer's roles are read once
    with CaptureQueriesContext(connection) as one:
        assert client.get(endpoint).status_code == 200
    make(40)
    with CaptureQueriesContext(connection) as many:
        response = client.get(endpoint)
    assert response.data["count"] >= 41
    assert len(many) == len(one)


@pytest.mark.django_db
def test_review_events_filter_by_action_and_kind():
    make(2)
    client = APIClient()
    client.force_authenticate(person(Role.ADMINISTRATOR))
    assert client.get("/api/v1/review-events/", {"action": "submit", "kind": "annualreturn"}).data["count"] == 2
    assert client.get("/api/v1/review-events/", {"action": "approve"}).data["count"] == 0
