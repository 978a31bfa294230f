"""Every list endpoint of the registry API: readable anonymously, read-only, and a constant number of queries
whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from protection import services
from protection.models import Centre, CentreFigures, Platform, PlatformFigures
from review.roles import Role

from .conftest import make_user, region

pytestmark = pytest.mark.django_db

LISTS = [
    "protection-cities",
    "protection-centres",
    "protection-platforms",
    "protection-workstations",
    "protection-provincial-counts",
    "protection-published-totals",
    "protection-centre-figures",
    "protection-platform-figures",
    "protection-changes",
]


@pytest.fixture
def rows(db):
    """Several rows in every list: figures and change requests are not in the fixtures."""
    for centre in Centre.objects.all()[:6]:
        CentreFigures.objects.create(centre=centre, year=2025, cases_accepted=10)
    for platform in Platform.objects.all()[:6]:
        PlatformFigures.objects.create(platform=platform, year=2025, guidance_services=3)
    officer = make_user(Role.OFFICER, "北京", username="officer-for-lists")
    for centre in Centre.objects.filter(region=region("北京"))[:1]:
        for number in range(4):
            services.propose(officer, "centre", centre.pk, {"note": f"note {number}"})


def queries(api, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(captured), len(response.json()["results"])


@pytest.mark.parametrize("endpoint", LISTS)
def test_a_list_costs_the_same_for_one_row_or_many(api, reviewer, rows, endpoint):
    api.force_authenticate(reviewer)
    api.get(f"/api/v1/{endpoint}/")  # the reviewer's roles are read once per user object, not once per row
    few, few_rows = queries(api, f"/api/v1/{endpoint}/?page_size=1")
    many, many_rows = queries(api, f"/api/v1/{endpoint}/?page_size=1000")
    assert (few_rows, many_rows > 1) == (1, True)
    assert few == many


@pytest.mark.parametrize("endpoint", LISTS[:-1])
def test_anonymous_users_read_every_registry_list(api, endpoint):
    assert api.get(f"/api/v1/{endpoint}/").status_code == 200


@pytest.mark.parametrize("endpoint", ["protection-centres", "protection-platforms", "protection-workstations"])
def test_the_entries_cannot_be_written_through_the_api(api, officer, administrator, endpoint):
    for user in (None, officer, administrator):
        api.force_authenticate(user)
        assert api.post(f"/api/v1/{endpoint}/", {"name": "x"}, format="json").status_code in (401, 403, 405)


def test_filters_by_region_name_and_operating_year(api):
    names = [
        row["name"] for row in api.get("/api/v1/protection-centres/?region=吉林&operating_in=2025").json()["results"]
    ]
    assert sorted(names) == sorted(["吉林省知识产权保护中心", "长春市知识产权保护中心"])
    assert api.get("/api/v1/protection-centres/?region=火星").status_code == 400


def test_the_reconciliation_endpoint(api):
    data = api.get("/api/v1/protection-reconciliation/?year=2025").json()
    centres = next(item for item in data if item["kind"] == "centres")
    assert (centres["rows"][0]["registry"], centres["rows"][0]["gap"]) == (14, 115)
