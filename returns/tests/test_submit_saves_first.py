"""The return's sheet submits what is on the screen: "Submit" saves the posted values and submits that version in one
transaction, with the version the sheet was opened at; a missing or stale version saves and submits nothing."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from returns.models import AnnualReturn, IndicatorValue
from review.models import Action, ReviewEvent, State

from .conftest import YEAR


@pytest.fixture
def started(client, officer, beijing):
    client.force_login(officer)
    response = client.post(reverse("admin:returns_annualreturn_add"), {"region": beijing.pk, "year": YEAR})
    assert response.status_code == 302
    return AnnualReturn.objects.get(region=beijing, year=YEAR)


def sheet_url(annual_return) -> str:
    return reverse("admin:returns_annualreturn_change", args=[annual_return.pk])


def version_on(page) -> str:
    return re.search(r'name="version" value="(\d+)"', page.content.decode()).group(1)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_submit_saves_the_values_on_the_screen_and_submits_exactly_them(client, started, officer, entered_codes):
    url = sheet_url(started)
    opened_at = int(version_on(client.get(url)))
    values = {f"value-{code}": "10" for code in entered_codes} | {"value-R01": "4321"}
    response = client.post(url, {"version": opened_at, "action": "submit", **values})
    assert response.status_code == 302
    submitted = AnnualReturn.objects.get(pk=started.pk)
    assert submitted.state == State.SUBMITTED
    assert IndicatorValue.objects.get(annual_return=started, indicator__code="R01").value == 4321
    assert submitted.version == opened_at + 2  # the save, then the submission of what it saved
    event = ReviewEvent.objects.get(object_id=started.pk, content_type__model="annualreturn")
    assert event.action == Action.SUBMIT


@pytest.mark.django_db
@pytest.mark.parametrize("version", [None, "", "abc", "1"])
def test_submit_without_the_current_version_saves_and_submits_nothing(client, started, officer, entered_codes, version):
    url = sheet_url(started)
    client.post(url, {"version": version_on(client.get(url)), "action": "save", "value-R01": "5"})  # now version 2
    values = {f"value-{code}": "10" for code in entered_codes} | {"value-R01": "777"}
    data = {"action": "submit", **values} | ({} if version is None else {"version": version})
    page = client.post(url, data)
    assert page.status_code == 200  # the sheet again, with the refusal and the typed values
    assert any("version" in message or "重新加载" in message for message in messages_of(page))
    after = AnnualReturn.objects.get(pk=started.pk)
    assert (after.state, after.version) == (State.DRAFT, 2)
    assert IndicatorValue.objects.get(annual_return=started, indicator__code="R01").value == 5
