"""The API: who reads what, who writes what, the workflow actions, and constant query counts for the lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from review.models import State

from ..models import WorkSummary
from .factories import TypicalCaseFactory, WorkSummaryFactory

pytestmark = pytest.mark.django_db

SUMMARIES = "/api/v1/work-summaries/"
CASES = "/api/v1/typical-cases/"
SEARCH = "/api/v1/work-summary-search/"


def detail(summary):
    return f"{SUMMARIES}{summary.pk}/"


def test_routes_are_named():
    assert reverse("api:work-summary-list") == SUMMARIES
    assert reverse("api:typical-case-list") == CASES
    assert reverse("api:work-summary-search-list") == SEARCH


def test_anonymous_reads_published_summaries_only(client):
    draft = WorkSummaryFactory()
    response = client.get(SUMMARIES, {"page_size": 1000})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 32
    assert all(row["state"] == "approved" for row in rows)
    assert client.get(detail(draft)).status_code == 404
    assert rows[0]["region"]["name_zh"] == "北京" and rows[-1]["region"]["name_zh"] == "新疆生产建设兵团"


def test_anonymous_cannot_write(client):
    assert client.post(SUMMARIES, {"region": "北京", "year": 2026, "narrative": "x"}).status_code in (401, 403)
    assert client.post(CASES, {"year": 2026, "batch": 5, "number": 1, "title": "x", "region": "北京"}).status_code in (
        401,
        403,
    )


def test_filters(client):
    assert client.get(SUMMARIES, {"region": "广东"}).json()["count"] == 1
    assert client.get(SUMMARIES, {"region": "440000", "year": 2025}).json()["count"] == 1
    assert client.get(CASES, {"region": "广东"}).json()["count"] == 2
    assert client.get(CASES, {"batch": 4}).json()["count"] == 30


def test_officer_creates_updates_and_submits_the_own_region(client, officer):
    client.force_login(officer)
    response = client.post(
        SUMMARIES,
        {"region": "北京", "year": 2026, "narrative": "推进专利转化。", "key_measures": ["专利转化", "海外维权"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "draft" and body["key_measures"] == ["专利转化", "海外维权"]
    summary = WorkSummary.objects.get(pk=body["id"])
    assert summary.key_measures == "专利转化\n海外维权"
    response = client.patch(
        detail(summary),
        {"narrative": "**推进**专利转化。", "version": body["version"]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["narrative_html"] == "<p><strong>推进</strong>专利转化。</p>"
    # a stale version is refused with 409 and nothing is written
    response = client.patch(detail(summary), {"narrative": "旧版本", "version": 1}, content_type="application/json")
    assert response.status_code == 409
    summary.refresh_from_db()
    assert summary.narrative == "**推进**专利转化。"
    response = client.post(f"{detail(summary)}submit/", {"version": summary.version}, content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "submitted"


def test_officer_cannot_write_another_region(client, other_officer):
    client.force_login(other_officer)
    response = client.post(
        SUMMARIES, {"region": "北京", "year": 2026, "narrative": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    summary = WorkSummaryFactory()
    assert client.patch(detail(summary), {"narrative": "x"}, content_type="application/json").status_code == 404
    assert client.post(f"{detail(summary)}submit/").status_code == 404


def test_second_summary_is_refused_with_a_clear_message(client, officer):
    client.force_login(officer)
    response = client.post(
        SUMMARIES, {"region": "北京", "year": 2025, "narrative": "x"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "北京 2025" in response.json()["non_field_errors"][0]


def test_region_and_year_do_not_change(client, officer):
    summary = WorkSummaryFactory()
    client.force_login(officer)
    response = client.patch(detail(summary), {"year": 2027}, content_type="application/json")
    assert response.status_code == 400
    summary.refresh_from_db()
    assert summary.year == 2026


def current(summary, **fields) -> dict:
    """A request body with the summary's current version, as a client that read it sends."""
    summary.refresh_from_db()
    return {"version": summary.version, **fields}


def test_empty_narrative_cannot_be_submitted(client, officer):
    summary = WorkSummaryFactory(narrative="")
    client.force_login(officer)
    response = client.post(f"{detail(summary)}submit/", current(summary), content_type="application/json")
    assert response.status_code == 400
    assert "北京 2026" in response.json()["detail"]


def test_reviewer_returns_and_approves_but_does_not_edit(client, officer, reviewer):
    summary = WorkSummaryFactory()

    def post(action, **fields):
        return client.post(f"{detail(summary)}{action}/", current(summary, **fields), content_type="application/json")

    client.force_login(officer)
    assert post("submit").status_code == 200
    client.force_login(reviewer)
    edit = current(summary, narrative="x")
    assert client.patch(detail(summary), edit, content_type="application/json").status_code == 403
    assert post("return").status_code == 400
    response = post("return", comment="请补充。")
    assert response.status_code == 200 and response.json()["state"] == "returned"
    client.force_login(officer)
    assert post("approve").status_code == 403
    assert post("submit").status_code == 200
    client.force_login(reviewer)
    response = post("approve")
    assert response.status_code == 200 and response.json()["state"] == "approved"
    summary.refresh_from_db()
    assert summary.state == State.APPROVED
    client.logout()
    assert client.get(detail(summary)).status_code == 200  # published now


def test_cases_are_written_by_administrators_only(client, officer, administrator):
    payload = {"year": 2026, "batch": 5, "number": 1, "title": "测试案例", "region": "广东"}
    client.force_login(officer)
    assert client.post(CASES, payload, content_type="application/json").status_code == 403
    client.force_login(administrator)
    response = client.post(CASES, payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["region"]["code"] == "440000"
    response = client.post(CASES, {**payload, "batch": 4, "number": 30}, content_type="application/json")
    assert response.status_code == 400
    assert "4" in response.json()["non_field_errors"][0] and "30" in response.json()["non_field_errors"][0]


def test_search_endpoint(client):
    response = client.get(SEARCH, {"q": "海外维权"})
    assert response.status_code == 200
    hits = response.json()
    assert [(hit["kind"], hit["region"]["name_zh"]) for hit in hits] == [("summary", "天津"), ("case", "广东")]
    assert "<mark>海外维权</mark>" in hits[0]["snippet"]
    assert client.get(SEARCH, {"q": "x", "region": "火星"}).status_code == 400
    assert client.get(SEARCH, {"q": "x", "year": "abc"}).status_code == 400


# ---------------------------------------------------------------------------------------------------------------
# Constant query counts: one row or many
# ---------------------------------------------------------------------------------------------------------------


def _count_queries(client, url, params):
    """(queries, rows) of one GET."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), response.json()["count"]


def _assert_same(client, url, one_params, many_params, django_assert_num_queries):
    """The list of many rows costs exactly the queries of the list of one row; returns both row counts."""
    queries, count_one = _count_queries(client, url, one_params)
    with django_assert_num_queries(queries):
        response = client.get(url, many_params)
    return count_one, response.json()["count"]


@pytest.mark.parametrize("who", ["anonymous", "officer", "reviewer"])
def test_summary_list_costs_the_same_for_one_row_or_many(client, who, request, django_assert_num_queries):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    # One row by year, not by region: naming a region costs its one lookup query (statistics.reference_filters),
    # whatever the page size, which the list of many rows would not make.
    WorkSummaryFactory(year=2026, state=State.APPROVED)
    counts = _assert_same(client, SUMMARIES, {"year": 2026}, {"page_size": 1000}, django_assert_num_queries)
    assert counts == (1, 33)


def test_summary_list_with_attachments_costs_the_same(client, officer, reviewer, django_assert_num_queries):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ..services import add_attachment
    from .conftest import PDF

    for year in (2026, 2027, 2028):
        summary = WorkSummaryFactory(year=year)
        add_attachment(summary, SimpleUploadedFile("a.pdf", PDF), officer, summary.version)
        add_attachment(summary, SimpleUploadedFile("b.pdf", PDF), officer, summary.version + 1)
    client.force_login(reviewer)
    counts = _assert_same(client, SUMMARIES, {"year": 2026}, {"page_size": 1000}, django_assert_num_queries)
    assert counts == (1, 35)


def test_case_list_costs_the_same_for_one_row_or_many(client, django_assert_num_queries):
    TypicalCaseFactory()  # one row by year (a region costs its one lookup query, see above)
    counts = _assert_same(client, CASES, {"year": 2026}, {"page_size": 1000}, django_assert_num_queries)
    assert counts == (1, 31)


def test_search_costs_the_same_for_few_or_many_hits(client, django_assert_num_queries):
    with CaptureQueriesContext(connection) as captured:
        few = client.get(SEARCH, {"q": "海外维权"}).json()
    with django_assert_num_queries(len(captured)):
        many = client.get(SEARCH, {"q": "专利"}).json()
    assert len(few) == 2 and len(many) > 30
