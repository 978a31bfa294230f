"""The officer's withdraw button on the return sheet asks for confirmation like every other transition
(``review.confirmation``): it carries what will happen for ``review/confirm.js``'s dialog, and without JavaScript
the form arrives with ``_confirm=ask`` and gets the confirmation page; nothing changes until it is confirmed."""

import html

import pytest
from django.conf import settings
from django.urls import reverse

from review.models import State

from .test_workflow import return_in

pytestmark = pytest.mark.django_db


def withdraw_button(page: str) -> str:
    start = page.index('id="action-withdraw"')
    return page[page.rindex("<button", 0, start) : page.index(">", start) + 1]


def test_the_withdraw_button_carries_its_confirmation_in_the_readers_language(client, beijing, officer, entered_codes):
    annual_return = return_in(State.SUBMITTED, beijing, officer, entered_codes)
    url = reverse("admin:returns_annualreturn_change", args=[annual_return.pk])
    client.force_login(officer)
    page = client.get(url).content.decode()
    button = html.unescape(withdraw_button(page))
    assert 'data-confirm="从审核中撤回' in button and str(annual_return) in button
    assert 'id="review-confirm-dialog"' in page and "review/confirm.js" in page
    assert page.count('id="review-confirm-dialog"') == 1
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = html.unescape(withdraw_button(client.get(url).content.decode()))
    assert 'data-confirm="Withdraw ' in english and "from review" in english


def test_without_javascript_a_withdrawal_is_confirmed_on_a_page_first(client, beijing, officer, entered_codes):
    annual_return = return_in(State.SUBMITTED, beijing, officer, entered_codes)
    url = reverse("admin:returns_annualreturn_change", args=[annual_return.pk])
    client.force_login(officer)
    page = client.get(url).content.decode()
    form = page[page.index('id="sheet-form"') : page.index("</form>", page.index('id="sheet-form"'))]
    assert 'name="_confirm" value="ask"' in form  # what a browser without JavaScript posts
    asked = client.post(url, {"action": "withdraw", "version": annual_return.version, "_confirm": "ask"})
    assert asked.status_code == 200 and 'id="review-confirm-form"' in asked.content.decode()
    annual_return.refresh_from_db()
    assert annual_return.state == State.SUBMITTED  # nothing changed yet
    confirmed = client.post(url, {"action": "withdraw", "version": annual_return.version, "_confirm": "yes"})
    assert confirmed.status_code == 302
    annual_return.refresh_from_db()
    assert annual_return.state == State.DRAFT
