"""The reviewer's side of a resubmitted return in the browser (issue 14): the reason and the commented rows at the
top, before → after of each changed row, and the approval through the confirmation dialog; then the printable
approved return. The pages are scanned for English with the scanner of ``tests/test_no_english.py``."""

from datetime import date

import pytest

from returns import services
from returns.models import ReturnPeriod
from review import services as review
from review.models import Action, State
from statistics.models import Indicator
from tests.test_no_english import ALLOWED, english_words

from .conftest import BEIJING, YEAR
from .pages import log_in, messages, sheet_url, state_label

REASON = "R01 与法院年报不符，请核对"


@pytest.fixture(autouse=True)
def open_period(report_data):
    """The report's year as an open reporting period: returns are started in open periods only."""
    return ReturnPeriod.objects.create(year=YEAR, deadline=date(YEAR + 1, 3, 31))


def resubmitted_return(region, officer, reviewer):
    """Submitted with 10 everywhere, returned with a reason and a comment on R01, corrected to 1,250, resubmitted."""
    annual_return = services.start_return(region, YEAR, officer)
    codes = Indicator.objects.filter(framework="regional", source="entered").values_list("code", flat=True)
    annual_return = services.save_values(
        annual_return, officer, annual_return.version, dict.fromkeys(codes, "10")
    ).record
    annual_return = review.transition(
        annual_return, Action.SUBMIT, officer, expected_version=annual_return.version
    ).target
    annual_return = services.review_with_comments(
        annual_return, reviewer, Action.RETURN, REASON, {"R01": "请核对"}, annual_return.version
    ).target
    annual_return = services.save_values(annual_return, officer, annual_return.version, {"R01": "1250"}).record
    return review.transition(annual_return, Action.SUBMIT, officer, expected_version=annual_return.version).target


def assert_chinese(page, allowed):
    leaks = english_words(page.content(), allowed)
    assert not leaks, f"English on {page.url}:\n" + "\n".join(leaks[:20])


def test_the_reviewer_sees_before_after_and_approves_through_the_confirmation(
    page, beijing, officer, administrator, reviewer
):
    annual_return = resubmitted_return(beijing, officer, administrator)
    # The people's user names, and the print page's keyboard shortcut as printed on keys ("Ctrl+P"), like "Tab".
    allowed = ALLOWED | {"reviewer", "officer", "bj", "hq", "admin", "officer-bj", "hq-admin", "Ctrl", "P"}
    log_in(page, reviewer.username)
    page.goto(sheet_url(annual_return))

    # The reason and the commented row are at the top, above the sheet.
    assert page.inner_text("#review-reason-text") == REASON
    assert page.locator('#commented-rows a[href="#row-R01"]').count() == 1
    assert page.locator("#review-reason-top").bounding_box()["y"] < page.locator("#sheet-form").bounding_box()["y"]
    # Before → after of the changed row, and of the row computed from nothing that changed: nothing.
    assert page.inner_text("#change-R01 td.before") == "10"
    assert page.inner_text("#change-R01 td.after") == "1,250"
    assert page.locator("#change-R02").count() == 0
    assert "10" in page.inner_text("#was-R01")
    assert_chinese(page, allowed)

    # The approval asks first; cancelling changes nothing.
    page.click("#action-approve-top")
    dialog = page.locator("#review-confirm-dialog")
    assert dialog.is_visible()
    assert str(annual_return) in page.inner_text("#review-confirm-dialog-text")
    assert_chinese(page, allowed)
    page.click("#review-confirm-dialog-no")
    assert not dialog.is_visible()
    annual_return.refresh_from_db()
    assert annual_return.state == State.SUBMITTED

    # Confirmed, it is approved.
    page.click("#action-approve-top")
    with page.expect_navigation():
        page.click("#review-confirm-dialog-yes")
    assert messages(page, "success") and not messages(page, "error")
    assert page.inner_text("#return-state") == state_label(State.APPROVED)
    annual_return.refresh_from_db()
    assert annual_return.state == State.APPROVED

    # The printable approved return, for anybody.
    page.context.clear_cookies()
    page.goto(f"/returns/{BEIJING}/{YEAR}/print/")
    assert "1,250" in page.inner_text("#print-R01")
    assert_chinese(page, allowed)


def test_a_return_asks_for_its_reason_in_the_dialog(page, beijing, officer, administrator, reviewer):
    annual_return = resubmitted_return(beijing, officer, administrator)
    log_in(page, reviewer.username)
    page.goto(sheet_url(annual_return))
    page.click("#action-return-top")
    page.click("#review-confirm-dialog-yes")  # no reason yet: the dialog stays and says so
    assert page.locator("#review-confirm-dialog").is_visible()
    assert page.locator("#review-confirm-dialog-reason-missing").is_visible()
    page.fill("#review-confirm-dialog-reason", "R02 口径有误")
    with page.expect_navigation():
        page.click("#review-confirm-dialog-yes")
    annual_return.refresh_from_db()
    assert annual_return.state == State.RETURNED
    assert annual_return.review_events.order_by("-at", "-pk").first().comment == "R02 口径有误"
