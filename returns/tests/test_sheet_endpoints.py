"""The sheet's JSON endpoints (autosave, checks while typing, one value's history), the version that stays when
nothing changed, the messages of a save, computed values' problems naming their inputs, and the years a return can
be started for (the open reporting periods)."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from returns import services
from returns.models import AnnualReturn, IndicatorValue, ReturnPeriod
from returns.periods import startable_years
from review import services as review
from review.models import State
from statistics.models import Indicator

from .conftest import YEAR, complete_values

pytestmark = pytest.mark.django_db


def url(name, annual_return, *args) -> str:
    return reverse(f"admin:returns_annualreturn_{name}", args=[annual_return.pk, *args])


def written(annual_return) -> tuple:
    """What a request may have written: the return's version and every value with its history."""
    annual_return.refresh_from_db()
    values = sorted(
        IndicatorValue.objects.filter(annual_return=annual_return).values_list("pk", "value", "text", "note")
    )
    history = IndicatorValue.history.filter(annual_return_id=annual_return.pk).count()
    return annual_return.version, values, history


def name_of(code: str) -> str:
    return Indicator.objects.get(code=code).name_zh


@pytest.fixture
def draft(beijing, officer):
    return services.start_return(beijing, YEAR, officer)


# --- autosave -------------------------------------------------------------------------------------------------


def test_autosave_saves_through_the_service_and_answers_the_new_version(client, draft, officer):
    client.force_login(officer)
    before = draft.version
    response = client.post(url("autosave", draft), {"version": before, "value-R01": "1,234", "note-R01": "含再审"})
    assert response.status_code == 200
    body = response.json()
    assert body["changed"] == 1 and body["version"] == before + 1 and body["message"]
    stored = IndicatorValue.objects.get(annual_return=draft, indicator__code="R01")
    assert (stored.value, stored.note) == (Decimal("1234"), "含再审")
    assert stored.history.first().history_user == officer


def test_autosave_of_nothing_new_keeps_the_version(client, draft, officer):
    client.force_login(officer)
    first = client.post(url("autosave", draft), {"version": draft.version, "value-R01": "12"}).json()
    again = client.post(url("autosave", draft), {"version": first["version"], "value-R01": "12"}).json()
    assert (again["changed"], again["version"], again["message"]) == (0, first["version"], "")


def test_autosave_on_a_stale_version_is_409_with_a_message_and_writes_nothing(client, draft, officer):
    client.force_login(officer)
    old = draft.version
    services.save_values(draft, officer, old, {"R01": "5"})  # someone saved in between (another tab)
    before = written(draft)
    response = client.post(url("autosave", draft), {"version": old, "value-R01": "7"})
    assert response.status_code == 409
    [message] = response.json()["messages"]
    assert str(old) in message and str(old + 1) in message
    assert written(draft) == before


@pytest.mark.parametrize(
    "data",
    [
        {"value-R01": "1"},  # no version
        {"version": "abc", "value-R01": "1"},
        {"version": "{v}", "value-NOPE": "1"},  # unknown indicator
        {"version": "{v}", "value-R24": "1"},  # filled in from the national statistics, not typed
    ],
)
def test_autosave_of_bad_input_is_400_and_writes_nothing(client, draft, officer, data):
    client.force_login(officer)
    before = written(draft)
    data = {key: value.format(v=draft.version) for key, value in data.items()}
    response = client.post(url("autosave", draft), data)
    assert response.status_code == 400
    assert response.json()["messages"]
    assert written(draft) == before


def test_autosave_by_someone_who_may_not_edit_is_refused(client, draft, officer, other_officer, reviewer):
    before = written(draft)
    client.force_login(other_officer)
    assert client.post(url("autosave", draft), {"version": draft.version, "value-R01": "1"}).status_code == 404
    client.force_login(reviewer)  # sees the draft, may not edit it
    assert client.post(url("autosave", draft), {"version": draft.version, "value-R01": "1"}).status_code == 403
    client.logout()
    response = client.post(url("autosave", draft), {"version": draft.version, "value-R01": "1"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert written(draft) == before


def test_autosave_refuses_get(client, draft, officer):
    client.force_login(officer)
    assert client.get(url("autosave", draft)).status_code == 405


# --- checks while typing --------------------------------------------------------------------------------------


def test_check_reports_the_submission_problems_of_what_is_typed_and_writes_nothing(
    client, draft, officer, entered_codes
):
    client.force_login(officer)
    draft = services.save_values(draft, officer, draft.version, complete_values(entered_codes)).record
    before = written(draft)
    typed = {f"value-{code}": "10" for code in entered_codes} | {"value-R03": "-4", "version": draft.version}
    response = client.post(url("check", draft), typed)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [problem] = body["problems"]
    assert problem["code"] == "R03" and problem["rows"] == ["R03"]
    assert name_of("R03") in problem["message"] and "-4" in problem["message"]
    assert written(draft) == before
    # What is stored passes: the same check over the stored values finds nothing.
    assert client.post(url("check", draft), {}).json() == {"count": 0, "problems": []}


def test_a_computed_values_problem_names_its_inputs_with_readable_numbers(client, draft, officer, entered_codes):
    # 专利密集型产业增加值占 GDP 比重 = R42 / D_GDP × 100: value added of 1,000,000 over a GDP of 3 is
    # 33,333,333.33…%, which no share can be.
    client.force_login(officer)
    typed = {f"value-{code}": "10" for code in entered_codes} | {"value-R42": "1000000", "value-D_GDP": "3"}
    problems = client.post(url("check", draft), typed).json()["problems"]
    [problem] = [item for item in problems if "33,333,333.33%" in item["message"]]
    assert set(problem["rows"]) == {"R42", "D_GDP"} and problem["code"] in {"R42", "D_GDP"}
    assert name_of("R42") in problem["message"] and name_of("D_GDP") in problem["message"]
    assert "33333333.3" not in problem["message"]


def test_check_of_input_that_cannot_be_typed_is_400(client, draft, officer):
    client.force_login(officer)
    response = client.post(url("check", draft), {"value-NOPE": "1"})
    assert response.status_code == 400 and response.json()["messages"]
    computed = Indicator.objects.filter(framework="regional", source="computed").values_list("code", flat=True)[0]
    assert client.post(url("check", draft), {f"note-{computed}": "x"}).status_code == 400


def test_check_is_for_those_who_see_the_return(client, draft, other_officer):
    client.force_login(other_officer)
    assert client.post(url("check", draft), {"value-R01": "1"}).status_code == 404
    client.logout()
    assert client.post(url("check", draft), {"value-R01": "1"}).status_code == 302


def test_check_costs_the_same_queries_for_one_value_or_all(client, draft, officer, entered_codes):
    client.force_login(officer)
    client.post(url("check", draft), {"value-R01": "1"})  # the session and the user's roles, read once
    with CaptureQueriesContext(connection) as one:
        client.post(url("check", draft), {"value-R01": "1"})
    with CaptureQueriesContext(connection) as every:
        client.post(url("check", draft), {f"value-{code}": "5" for code in entered_codes})
    assert len(every.captured_queries) == len(one.captured_queries)


# --- one value's history --------------------------------------------------------------------------------------


def test_a_values_history_says_who_when_before_and_after(client, draft, officer):
    draft = services.save_values(draft, officer, draft.version, {"R01": "1000"}).record
    draft = services.save_values(draft, officer, draft.version, {"R01": "1234.5"}, {"R01": "更正"}).record
    client.force_login(officer)
    response = client.get(url("value_history", draft, "R01"))
    assert response.status_code == 200
    newest, oldest = response.json()["versions"]
    assert (newest["before"], newest["after"], newest["note_before"], newest["note_after"]) == (
        "1,000",
        "1,234.5",
        "",
        "更正",
    )
    assert (oldest["before"], oldest["after"]) == ("", "1,000")
    assert newest["by"] == str(officer) and newest["at"]


def test_a_values_history_is_read_only_and_for_those_who_see_the_return(client, draft, officer, other_officer):
    client.force_login(officer)
    assert client.get(url("value_history", draft, "R01")).json()["versions"] == []
    assert client.get(url("value_history", draft, "NOPE")).status_code == 404
    assert client.post(url("value_history", draft, "R01")).status_code == 405
    client.force_login(other_officer)
    assert client.get(url("value_history", draft, "R01")).status_code == 404
    client.logout()
    assert client.get(url("value_history", draft, "R01")).status_code == 302


# --- the sheet's own save: one message per outcome, no new version for nothing --------------------------------


def messages_of(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def test_saving_nothing_new_keeps_the_version_and_says_so(client, draft, officer):
    client.force_login(officer)
    version = draft.version
    response = client.post(reverse("admin:returns_annualreturn_change", args=[draft.pk]), {"version": version})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.version == version
    [(level, text)] = messages_of(response)
    assert level == "info" and "0" not in text


def test_a_refused_submission_shows_no_success_beside_the_refusal(client, draft, officer):
    client.force_login(officer)
    response = client.post(
        reverse("admin:returns_annualreturn_change", args=[draft.pk]),
        {"version": draft.version, "action": "submit", "value-R01": "5"},
    )
    assert response.status_code == 200
    levels = [level for level, _text in messages_of(response)]
    assert levels == ["error"]
    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    assert IndicatorValue.objects.get(annual_return=draft, indicator__code="R01").value == 5  # the draft is kept


def test_the_sheet_renders_the_tools(client, draft, officer):
    client.force_login(officer)
    page = client.get(reverse("admin:returns_annualreturn_change", args=[draft.pk])).content.decode()
    for element in ('id="sheet-progress"', 'id="submit-dialog"', 'id="history-R01"', 'id="note-toggle-R01"'):
        assert element in page
    assert 'id="sheet-config"' in page and url("autosave", draft) in page
    assert 'id="note-R01" rows="1" aria-label' in page and "hidden" in page.split('id="note-R01"')[1][:60]


# --- the years a return may be started for --------------------------------------------------------------------


def test_a_return_is_started_only_for_an_open_reporting_period(beijing, officer, open_period):
    with pytest.raises(review.Invalid) as refused:
        services.start_return(beijing, 2099, officer)
    [message] = refused.value.messages
    assert "2099" in message and str(YEAR) in message
    assert not AnnualReturn.objects.filter(region=beijing, year=2099).exists()
    ReturnPeriod.objects.all().delete()
    with pytest.raises(review.Invalid):
        services.start_return(beijing, YEAR, officer)


def test_the_admin_offers_only_open_years_the_region_has_no_return_for(client, beijing, officer, open_period):
    ReturnPeriod.objects.create(year=YEAR + 1, deadline=open_period.deadline)
    client.force_login(officer)
    page = client.get(reverse("admin:returns_annualreturn_add")).content.decode()
    assert f'<option value="{YEAR}">' in page and f'<option value="{YEAR + 1}">' in page
    assert '<option value="0">' not in page and 'name="year" type' not in page
    refused = client.post(reverse("admin:returns_annualreturn_add"), {"region": beijing.pk, "year": 2099})
    assert refused.status_code == 200 and not AnnualReturn.objects.filter(year=2099).exists()
    services.start_return(beijing, YEAR, officer)
    assert startable_years(beijing) == [YEAR + 1]


def test_the_api_refuses_a_year_outside_the_open_periods(officer, open_period):
    client = APIClient()
    client.force_authenticate(officer)
    response = client.post("/api/v1/annual-returns/", {"region": "110000", "year": 2099}, format="json")
    assert response.status_code == 400
    assert "2099" in str(response.data)
    assert not AnnualReturn.objects.filter(year=2099).exists()
