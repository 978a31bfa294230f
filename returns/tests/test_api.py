"""The returns over the API: the same rules and messages as the screens, 409 on a stale update, fixed queries."""

import pytest
from rest_framework.test import APIClient

from returns import services
from returns.models import AnnualReturn, IndicatorValue, ValueComment
from review import services as review
from review.models import Action, State
from tests.contracts.factories import step

from .conftest import YEAR, complete_values
from .factories import AnnualReturnFactory

LIST = "/api/v1/annual-returns/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_officer_creates_fills_and_submits_through_the_api(officer, reviewer, entered_codes):
    client = api(officer)
    created = client.post(LIST, {"region": "110000", "year": YEAR}, format="json")
    assert created.status_code == 201, created.content
    url = f"{LIST}{created.data['id']}/"
    version = created.data["version"]
    saved = client.patch(url, {"version": version, "values": {"R01": "7"}, "notes": {"R01": "api"}}, format="json")
    assert saved.status_code == 200, saved.content
    assert saved.data["values"]["R01"]["note"] == "api"
    value = IndicatorValue.objects.get(annual_return_id=created.data["id"], indicator__code="R01")
    assert value.history.latest().history_user == officer
    refused = client.post(f"{url}submit/", {"version": saved.data["version"]}, format="json")
    assert refused.status_code == 400
    assert any("专利行政执法案件量" in message for message in refused.data["messages"])
    filled = client.patch(
        url, {"version": saved.data["version"], "values": complete_values(entered_codes)}, format="json"
    )
    submitted = client.post(f"{url}submit/", {"version": filled.data["version"]}, format="json")
    assert submitted.status_code == 200 and submitted.data["state"] == State.SUBMITTED
    returned = api(reviewer).post(
        f"{url}return/",
        {"comment": "check R01", "comments": {"R01": "seven?"}, "version": submitted.data["version"]},
        format="json",
    )
    assert returned.status_code == 200 and returned.data["state"] == State.RETURNED
    assert ValueComment.objects.get().text == "seven?"


@pytest.mark.django_db
def test_stale_update_gets_409_and_changes_nothing(officer, beijing):
    annual_return = services.start_return(beijing, YEAR, officer)
    url = f"{LIST}{annual_return.pk}/"
    first = api(officer).patch(url, {"version": annual_return.version, "values": {"R01": "1"}}, format="json")
    assert first.status_code == 200
    second = api(officer).patch(url, {"version": annual_return.version, "values": {"R01": "2"}}, format="json")
    assert second.status_code == 409
    assert "重新加载" in second.data["detail"]
    assert IndicatorValue.objects.get(annual_return=annual_return, indicator__code="R01").value == 1


@pytest.mark.django_db
def test_api_refusals_carry_the_workflow_message(officer, other_officer, reviewer, beijing, entered_codes):
    annual_return = services.start_return(beijing, YEAR, officer)
    url = f"{LIST}{annual_return.pk}/"
    assert api(other_officer).patch(url, {"values": {"R01": "1"}}, format="json").status_code == 404
    response = api(reviewer).post(f"{url}approve/", {"version": annual_return.version}, format="json")
    assert response.status_code == 403
    with pytest.raises(review.NotAllowed) as refused:
        review.transition(annual_return, Action.APPROVE, reviewer, expected_version=annual_return.version)
    assert response.data["detail"] == refused.value.messages[0]
    assert api(reviewer).patch(url, {"values": {"R01": "1"}}, format="json").status_code == 403
    assert api(other_officer).post(LIST, {"region": "110000", "year": YEAR + 1}, format="json").status_code == 403


@pytest.mark.django_db
def test_anonymous_users_read_approved_returns_only(officer, reviewer, beijing, guangdong, entered_codes):
    approved = services.start_return(beijing, YEAR, officer)
    approved = services.save_values(approved, officer, approved.version, complete_values(entered_codes)).record
    approved = review.transition(approved, Action.SUBMIT, officer, expected_version=approved.version).target
    review.transition(approved, Action.APPROVE, reviewer, expected_version=approved.version)
    AnnualReturnFactory(region=guangdong, year=YEAR)  # a draft
    listing = api().get(LIST)
    assert [item["region"] for item in listing.data["results"]] == ["110000"]
    values = api().get("/api/v1/indicator-values/", {"region": "440000"})
    assert values.data["count"] == 0
    assert api().post(LIST, {"region": "110000", "year": 2030}, format="json").status_code in (401, 403)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "endpoint", [LIST, "/api/v1/indicator-values/", "/api/v1/return-periods/", "/api/v1/value-comments/"]
)
def test_list_endpoints_make_a_fixed_number_of_queries(endpoint, reviewer, officer, beijing, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from statistics.tests.factories import RegionFactory

    from .factories import ReturnPeriodFactory

    def make(count):
        for index in range(count):
            region = RegionFactory()
            annual_return = AnnualReturnFactory(region=region, year=2000 + index % 20)
            IndicatorValue.objects.create(annual_return=annual_return, indicator_id=1, value=index)
            ValueComment.objects.create(annual_return=annual_return, indicator_id=1, author=reviewer, text="?")
            ReturnPeriodFactory(year=1900 + AnnualReturn.objects.count())

    client = api(reviewer)
    make(1)
    client.get(endpoint)  # the user's roles are read once per user object, as in any request
    with CaptureQueriesContext(connection) as one:
        assert client.get(endpoint).status_code == 200
    make(60)
    with CaptureQueriesContext(connection) as many:
        response = client.get(endpoint)
    assert response.data["count"] >= 61
    assert len(many.captured_queries) == len(one.captured_queries)


@pytest.mark.django_db
def test_value_comments_are_seen_by_those_who_see_the_return(officer, other_officer, reviewer, beijing, entered_codes):
    annual_return = services.start_return(beijing, YEAR, officer)
    annual_return = services.save_values(
        annual_return, officer, annual_return.version, complete_values(entered_codes)
    ).record
    annual_return = step(annual_return, Action.SUBMIT, officer)
    services.review_with_comments(
        annual_return, reviewer, Action.RETURN, "see R01", {"R01": "too low?"}, annual_return.version
    )
    mine = api(officer).get("/api/v1/value-comments/", {"indicator": "R01"})
    assert [item["text"] for item in mine.data["results"]] == ["too low?"]
    assert api(other_officer).get("/api/v1/value-comments/").data["count"] == 0
    assert api().get("/api/v1/value-comments/").status_code in (401, 403)
