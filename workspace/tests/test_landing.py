"""The landing page after login (issue 14): what each role sees, the filters, and constant query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from localwork.tests.factories import WorkSummaryFactory
from returns.tests.conftest import YEAR, person
from returns.tests.factories import ReturnPeriodFactory
from returns.tests.test_workflow import return_in
from review import services as review
from review.models import Action, State
from review.roles import Role
from statistics.models import ImportRun, Region
from workspace.selectors import QueueFilters, review_queue, reviewed_models

pytestmark = pytest.mark.django_db


def page(client, user, query="") -> str:
    client.force_login(user)
    response = client.get(reverse("workspace:home") + query)
    assert response.status_code == 200
    return response.content.decode()


def test_login_leads_to_the_landing_page(client, officer):
    officer.set_password("a-long-password-1")
    officer.save()
    form = client.get(reverse("admin:login")).content.decode()
    assert f'name="next" value="{reverse("workspace:home")}"' in form
    response = client.post(reverse("admin:login"), {"username": officer.username, "password": "a-long-password-1"})
    assert response.status_code == 302 and response["Location"] == reverse("workspace:home")
    asked = client.get(reverse("admin:login") + "?next=/returns/tracker/")
    assert asked.status_code in (200, 302)


def test_the_officer_sees_periods_records_next_steps_and_the_reason(client, beijing, officer, reviewer, entered_codes):
    ReturnPeriodFactory(year=YEAR + 1, deadline=timezone.localdate() + timedelta(days=10))
    annual_return = return_in(State.SUBMITTED, beijing, officer, entered_codes)
    review.transition(
        annual_return, Action.RETURN, reviewer, "请核对表 1 的发明申请", expected_version=annual_return.version
    )
    WorkSummaryFactory(region=beijing, year=2031)
    html = page(client, officer)
    assert 'id="open-periods"' in html and f'data-year="{YEAR}"' in html
    assert '<td class="days-left">10</td>' in html
    assert "请核对表 1 的发明申请" in html
    assert reverse("admin:returns_annualreturn_change", args=[annual_return.pk]) in html
    assert 'id="review-queue"' not in html and 'id="import-runs"' not in html
    assert 'id="nav-workspace"' in html


def test_the_officer_sees_only_the_own_region(client, beijing, guangdong, officer, other_officer, entered_codes):
    annual_return = return_in(State.DRAFT, guangdong, other_officer, entered_codes)
    html = page(client, officer)
    assert reverse("admin:returns_annualreturn_change", args=[annual_return.pk]) not in html


def test_the_queue_holds_every_kind_oldest_first_with_filters(
    beijing, guangdong, officer, other_officer, entered_codes
):
    late = return_in(State.SUBMITTED, beijing, officer, entered_codes)
    early = return_in(State.SUBMITTED, guangdong, other_officer, entered_codes)
    type(early).objects.filter(pk=early.pk).update(submitted_at=timezone.now() - timedelta(days=2))
    summary = WorkSummaryFactory(region=beijing, year=2032, state=State.SUBMITTED, submitted_at=timezone.now())
    records = [item.record for item in review_queue()]
    assert records.index(early) < records.index(late) < records.index(summary)
    assert [item.record for item in review_queue(QueueFilters(region="440000"))] == [early]
    only_summaries = review_queue(QueueFilters(kind=summary._meta.label_lower))
    assert [item.record for item in only_summaries] == [summary]
    assert review_queue(QueueFilters(year=YEAR - 5)) == []


def test_every_reviewed_model_is_a_kind_of_the_queue():
    labels = {model._meta.label_lower for model in reviewed_models()}
    assert {"returns.annualreturn", "localwork.worksummary", "protection.registrychange"} <= labels


def test_bad_filters_are_ignored_not_a_server_error(client, reviewer):
    html = page(client, reviewer, "?kind=nothing&year=20x5&region=" + "x" * 300)
    assert 'id="review-queue"' in html


def test_the_reviewer_sees_the_queue_and_the_tracker_and_no_import_runs(
    client, beijing, officer, reviewer, entered_codes
):
    annual_return = return_in(State.SUBMITTED, beijing, officer, entered_codes)
    html = page(client, reviewer)
    assert reverse("admin:returns_annualreturn_change", args=[annual_return.pk]) in html
    assert reverse("returns:tracker") in html
    assert 'id="import-runs"' not in html and 'id="open-periods"' not in html


def test_the_administrator_also_sees_failed_imports(client, administrator):
    ImportRun.objects.create(kind="appendix", status=ImportRun.Status.FAILED, filename="broken.xlsx", sha256="0" * 64)
    html = page(client, administrator)
    assert 'id="review-queue"' in html and 'id="import-runs"' in html and "broken.xlsx" in html


def queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("workspace:home")).status_code == 200
    return len(captured)


def test_constant_queries_for_the_officer_and_the_administrator(client, beijing, officer, administrator, entered_codes):
    return_in(State.SUBMITTED, beijing, officer, entered_codes)
    queries(client, officer), queries(client, administrator)  # warm the per-process caches (content types)
    few_officer, few_admin = queries(client, officer), queries(client, administrator)
    regions = Region.objects.filter(level=Region.Level.PROVINCE).exclude(code="110000")[:6]
    for year, region in enumerate(regions, start=2001):
        WorkSummaryFactory(region=beijing, year=year, state=State.RETURNED)
        other = person(Role.OFFICER, region, username=f"o-{region.code}")
        return_in(State.SUBMITTED, region, other, entered_codes)
        WorkSummaryFactory(region=region, year=year, state=State.SUBMITTED, submitted_at=timezone.now())
        ImportRun.objects.create(
            kind="appendix", status=ImportRun.Status.FAILED, filename=f"{year}.xlsx", sha256="0" * 64
        )
    assert queries(client, officer) == few_officer
    assert queries(client, administrator) == few_admin


def test_in_english_the_landing_page_names_regions_in_english(client, beijing, officer, entered_codes):
    return_in(State.DRAFT, beijing, officer, entered_codes)
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("workspace:home")).content.decode()
    assert f"{beijing.name_en} {YEAR}" in html and beijing.name_en in html.split('id="who"')[1].split("</p>")[0]
    assert beijing.name_zh not in html
