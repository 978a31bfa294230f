"""Issue 14 in the browser: each role's landing page after signing in, a notification received and read, and an
officer withdrawing a submission. The landing and notification pages are scanned for English as
``tests/test_no_english.py`` scans its pages (its ``english_words`` and ``ALLOWED``)."""

import re
from datetime import timedelta

from django.utils import timezone

from returns import services
from returns.models import AnnualReturn, ReturnPeriod
from review import services as review
from review.models import Action, State
from statistics.models import Country, ImportRun, Indicator
from tests.test_no_english import ALLOWED, english_words

from .conftest import YEAR
from .pages import PASSWORD, sheet_url

WORKSPACE = "/workspace/"
NOTIFICATIONS = "/notifications/"


def sign_in(page, username: str) -> None:
    """The login form without ``?next=``: where the site leads a person who just signed in."""
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form input[type=submit]")
    page.wait_for_url(f"**{WORKSPACE}")


def allowed_words(*users) -> set:
    codes = set()
    for values in Country.objects.values_list("alpha2", "alpha3", "code"):
        codes |= {value for value in values if value}
    names = {user.username for user in users}
    # The operating-system accounts that ran the loaders ("command line (account root)") are names too.
    names |= {origin[len("command (") : -1] for origin in ImportRun.objects.values_list("origin", flat=True) if origin}
    return ALLOWED | codes | names | {part for name in names for part in re.split(r"[-_.]", name)}


def assert_chinese(page, allowed: set) -> None:
    leaks = english_words(page.content(), allowed)
    assert not leaks, f"English on the Chinese page {page.url}:\n" + "\n".join(leaks[:25])


def complete_return(region, officer, submit: bool) -> AnnualReturn:
    ReturnPeriod.objects.get_or_create(year=YEAR, defaults={"deadline": timezone.localdate() + timedelta(days=20)})
    codes = Indicator.objects.filter(framework="regional", source="entered").values_list("code", flat=True)
    annual_return = services.start_return(region, YEAR, officer)
    annual_return = services.save_values(
        annual_return, officer, annual_return.version, dict.fromkeys(codes, "10")
    ).record
    if submit:
        annual_return = review.transition(
            annual_return, Action.SUBMIT, officer, expected_version=annual_return.version
        ).target
    return annual_return


def press_submit(page) -> None:
    """The sheet's submit button, and its confirmation when the sheet asks for one."""
    page.click("#submit-return")
    confirm = page.locator("#confirm-submit")
    try:
        confirm.wait_for(state="visible", timeout=2_000)
    except Exception:  # Playwright's TimeoutError: no confirmation step, the form was sent
        return
    confirm.click()


def test_each_role_lands_on_its_own_work(new_page, officer, reviewer, administrator, beijing):
    annual_return = complete_return(beijing, officer, submit=True)
    ImportRun.objects.create(
        kind="appendix", status=ImportRun.Status.FAILED, filename="appendix_2025.xlsx", sha256="0" * 64
    )
    allowed = allowed_words(officer, reviewer, administrator)

    page = new_page()
    sign_in(page, officer.username)
    assert page.locator(f'#open-periods tr[data-year="{YEAR}"]').count() == 1
    assert page.locator(f'#my-records a[href="{sheet_url(annual_return)}"]').count() == 1
    assert page.locator("#review-queue").count() == 0
    assert_chinese(page, allowed)

    page = new_page()
    sign_in(page, reviewer.username)
    assert page.locator(f'#review-queue a[href="{sheet_url(annual_return)}"]').count() == 1
    assert page.locator('#tracker-summary a[href^="/returns/tracker/"]').count() == 1
    assert page.locator("#import-runs").count() == 0
    assert_chinese(page, allowed)
    page.fill('#queue-filters input[name="region"]', "440000")
    page.click("#queue-filters button[type=submit]")
    page.wait_for_url("**region=440000**")
    assert page.locator(f'#review-queue a[href="{sheet_url(annual_return)}"]').count() == 0
    page.fill('#queue-filters input[name="region"]', beijing.code)
    page.click("#queue-filters button[type=submit]")
    page.wait_for_url(f"**region={beijing.code}**")
    assert page.locator(f'#review-queue a[href="{sheet_url(annual_return)}"]').count() == 1

    page = new_page()
    sign_in(page, administrator.username)
    assert page.locator("#review-queue").count() == 1
    assert "appendix_2025.xlsx" in page.inner_text("#import-runs")
    assert_chinese(page, allowed)


def test_a_submission_notifies_the_reviewer_who_opens_it(new_page, officer, reviewer, beijing):
    annual_return = complete_return(beijing, officer, submit=False)
    allowed = allowed_words(officer, reviewer)

    officer_page = new_page()
    sign_in(officer_page, officer.username)
    officer_page.goto(sheet_url(annual_return))
    press_submit(officer_page)
    officer_page.wait_for_load_state()
    annual_return.refresh_from_db()
    assert annual_return.state == State.SUBMITTED

    reviewer_page = new_page()
    sign_in(reviewer_page, reviewer.username)
    assert reviewer_page.inner_text("#unread-count").strip() == "1"
    reviewer_page.click("#nav-notifications")
    reviewer_page.wait_for_url(f"**{NOTIFICATIONS}")
    assert str(annual_return) in reviewer_page.inner_text("#notifications tr.unread")
    assert_chinese(reviewer_page, allowed)
    reviewer_page.click("#notifications tr.unread .open-notification")
    reviewer_page.wait_for_url(f"**{sheet_url(annual_return)}")
    reviewer_page.goto(NOTIFICATIONS)
    assert reviewer_page.locator("#unread-count").count() == 0
    assert reviewer_page.locator("#notifications tr.read").count() == 1
    assert_chinese(reviewer_page, allowed)


def test_the_officer_withdraws_a_submission_nobody_reviewed(new_page, officer, reviewer, beijing):
    annual_return = complete_return(beijing, officer, submit=True)
    page = new_page()
    sign_in(page, officer.username)
    page.goto(sheet_url(annual_return))
    page.click("#action-withdraw")  # asks first, like every other transition (review/confirm.js)
    assert page.locator("#review-confirm-dialog").is_visible()
    page.click("#review-confirm-dialog-no")  # cancelled: nothing changes
    assert not page.locator("#review-confirm-dialog").is_visible()
    annual_return.refresh_from_db()
    assert annual_return.state == State.SUBMITTED
    page.click("#action-withdraw")
    with page.expect_navigation():
        page.click("#review-confirm-dialog-yes")
    page.wait_for_selector("#submit-return")
    annual_return.refresh_from_db()
    assert annual_return.state == State.DRAFT
    assert annual_return.review_events.order_by("-at", "-pk").first().action == Action.WITHDRAW
    assert page.locator("#action-withdraw").count() == 0

    page.goto(WORKSPACE)
    assert page.locator(f'#my-records tr.state-draft a[href="{sheet_url(annual_return)}"]').count() == 1
    assert_chinese(page, allowed_words(officer, reviewer))
