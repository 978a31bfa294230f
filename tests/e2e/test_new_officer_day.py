"""Issue 14's "done when", in one browser journey: an administrator makes a new officer by assigning a region on the
user page; the officer signs in, sees what is due, starts the return from the landing page, fills and submits it
with the keyboard; a reviewer returns it with a reason through the confirmation; the officer is notified and sees
the reason. Every page of the journey is scanned for English (``tests/test_no_english.py``'s rules)."""

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from returns.models import AnnualReturn, ReturnPeriod
from review.models import RegionAssignment, State
from review.roles import Role, roles_of
from statistics.models import Indicator

from .conftest import YEAR, make_person
from .pages import sheet_url, state_label
from .test_landing_notifications import WORKSPACE, allowed_words, assert_chinese, sign_in


def test_a_new_officer_is_assigned_reports_with_the_keyboard_and_hears_back(new_page, administrator, reviewer, beijing):
    ReturnPeriod.objects.create(year=YEAR, deadline=timezone.localdate() + timedelta(days=12))
    newcomer = make_person("officer-new", None)
    get_user_model().objects.filter(pk=newcomer.pk).update(is_staff=False)  # a plain new account
    allowed = allowed_words(administrator, reviewer, newcomer)

    # The administrator assigns the region on the user's page.
    admin_page = new_page()
    sign_in(admin_page, administrator.username)
    admin_page.goto(f"/admin/auth/user/{newcomer.pk}/change/")
    admin_page.select_option("#id_region_assignment-0-region", str(beijing.pk))
    admin_page.click("input[name=_save]")
    admin_page.wait_for_url("**/admin/auth/user/")
    assignment = RegionAssignment.objects.get(user=newcomer)
    assert assignment.region == beijing
    newcomer = get_user_model().objects.get(pk=newcomer.pk)
    assert newcomer.is_staff and Role.OFFICER in roles_of(newcomer)
    assert_chinese(admin_page, allowed)

    # The officer signs in and sees what is due, with the days left.
    page = new_page()
    sign_in(page, newcomer.username)
    period = page.locator(f'#open-periods tr[data-year="{YEAR}"]')
    assert period.locator(".days-left").inner_text().strip() == "12"
    assert_chinese(page, allowed)
    period.locator("a.start-return").click()
    page.wait_for_url("**/admin/returns/annualreturn/add/**")
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/annualreturn/\d+/change/$"))
    annual_return = AnnualReturn.objects.get(region=beijing, year=YEAR)

    # Fills every typed value with the keyboard: Tab goes from value to value.
    inputs = page.eval_on_selector_all("input.value", "inputs => inputs.map(input => input.id)")
    assert len(inputs) == Indicator.objects.filter(framework="regional", source="entered").count()
    page.focus(f"#{inputs[0]}")
    for index, input_id in enumerate(inputs):
        assert page.evaluate("document.activeElement.id") == input_id
        page.keyboard.type("10")
        if index + 1 < len(inputs):
            page.keyboard.press("Tab")
    page.focus("#submit-return-top")
    page.keyboard.press("Enter")
    page.wait_for_selector("#submit-dialog[open]")
    page.wait_for_selector("#submit-dialog-problems[data-count='0']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("#return-state")
    assert page.inner_text("#return-state") == state_label(State.SUBMITTED)
    annual_return.refresh_from_db()
    assert annual_return.state == State.SUBMITTED
    assert_chinese(page, allowed)

    # The reviewer finds it in the queue and returns it with a reason, through the confirmation.
    review_page = new_page()
    sign_in(review_page, reviewer.username)
    review_page.click(f'#review-queue a[href="{sheet_url(annual_return)}"]')
    review_page.wait_for_url(f"**{sheet_url(annual_return)}")
    review_page.click("#action-return-top")
    review_page.fill("#review-confirm-dialog-reason", "R05 与上年相比变化过大，请核实")
    with review_page.expect_navigation():
        review_page.click("#review-confirm-dialog-yes")
    annual_return.refresh_from_db()
    assert annual_return.state == State.RETURNED

    # The officer is told: an unread notification, and the reason on the landing page.
    page.goto(WORKSPACE)
    assert page.inner_text("#unread-count").strip() == "1"
    assert "R05 与上年相比变化过大" in page.inner_text("#my-records")
    page.click("#nav-notifications")
    page.wait_for_url("**/notifications/")
    assert str(annual_return) in page.inner_text("#notifications tr.unread")
    assert_chinese(page, allowed)
