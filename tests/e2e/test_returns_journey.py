"""An annual return in the browser: the officer's draft and submission, the reviewer's return with a comment, the
correction, the approval, and the approved figures on the public pages."""

import re
from datetime import date

import pytest

from returns import services
from returns.models import AnnualReturn, IndicatorValue, ReturnPeriod
from review import services as review
from review.models import Action, State
from statistics.models import Indicator

from .conftest import BEIJING, YEAR
from .pages import column_of, figure, log_in, messages, sheet_url, state_label, table_rows


@pytest.fixture(autouse=True)
def open_period(report_data):
    """The report's year as an open reporting period: returns are started in open periods only."""
    return ReturnPeriod.objects.create(year=YEAR, deadline=date(YEAR + 1, 3, 31))


def indicator_name(code: str) -> str:
    return Indicator.objects.get(code=code).name_zh


def test_officer_saves_a_draft_that_survives_a_reload_then_is_told_what_is_missing(page, officer, beijing):
    log_in(page, officer.username)
    # Start the 2025 return for 北京 from the returns list.
    page.goto("/admin/returns/annualreturn/")
    page.click('a[href$="/admin/returns/annualreturn/add/"]')
    page.select_option("#id_region", str(beijing.pk))
    page.select_option("#id_year", str(YEAR))  # the open reporting periods
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/returns/annualreturn/\d+/change/$"))
    annual_return = AnnualReturn.objects.get(region=beijing, year=YEAR)
    assert page.url.endswith(sheet_url(annual_return))
    assert page.inner_text("#return-state") == state_label(State.DRAFT)

    # Part of it, and a draft saved.
    page.fill("#value-R01", "1,234")
    page.click("#note-toggle-R01")  # notes are behind a toggle per row
    page.fill("#note-R01", "一审结案，含再审")
    page.fill("#value-R02", "96.5")
    page.click("#save-draft")
    page.wait_for_load_state()
    # saved by this click, or already by the autosave (then the click says nothing changed)
    assert (messages(page, "success") or messages(page, "info")) and not messages(page, "error")

    # After a reload the values are still there (as stored: "1,234" became 1234).
    page.reload()
    assert page.input_value("#value-R01") == "1234"
    assert page.input_value("#note-R01") == "一审结案，含再审"
    assert page.input_value("#value-R02") == "96.5"
    assert page.input_value("#value-R03") == ""

    # Submitting the incomplete return says it was not submitted and lists each missing value, linked to its
    # highlighted row; the draft is kept, and stays a draft.
    page.click("#submit-return")
    page.click("#confirm-submit")  # the confirmation (h6's dialog, with the problem count)
    page.wait_for_selector("#submission-problems")
    assert messages(page, "error")
    missing = page.locator('#submission-problems a[href="#row-R03"]')
    assert indicator_name("R03") in missing.inner_text()
    assert page.locator('#submission-problems a[href="#row-R01"]').count() == 0
    assert "problem" in page.get_attribute("#row-R03", "class")
    assert "problem" not in page.get_attribute("#row-R01", "class")
    missing.click()
    assert page.url.endswith("#row-R03")
    assert page.inner_text("#return-state") == state_label(State.DRAFT)
    assert page.input_value("#value-R01") == "1234"
    annual_return.refresh_from_db()
    assert annual_return.state == State.DRAFT
    assert IndicatorValue.objects.get(annual_return=annual_return, indicator__code="R01").value == 1234


def submitted_return(region, officer):
    """A complete return, submitted by the officer (set up through the services: the browser part is above)."""
    annual_return = services.start_return(region, YEAR, officer)
    codes = Indicator.objects.filter(framework="regional", source="entered").values_list("code", flat=True)
    annual_return = services.save_values(
        annual_return, officer, annual_return.version, dict.fromkeys(codes, "10")
    ).record
    return review.transition(annual_return, Action.SUBMIT, officer, expected_version=annual_return.version).target


def test_return_with_a_comment_correction_approval_and_the_public_pages(new_page, officer, reviewer, beijing, report):
    annual_return = submitted_return(beijing, officer)
    url = sheet_url(annual_return)
    reviewer_page, officer_page = new_page(), new_page()

    # The reviewer returns it with a reason and a comment on one value.
    log_in(reviewer_page, reviewer.username, url)
    assert reviewer_page.inner_text("#return-state") == state_label(State.SUBMITTED)
    assert reviewer_page.locator("input#value-R01").count() == 0  # read-only for headquarters
    reviewer_page.fill("#review-reason", "请核对第 1 项")
    reviewer_page.fill("#comment-R01", "结案量偏低，请核实")
    reviewer_page.click("#action-return")
    with reviewer_page.expect_navigation():  # the confirmation dialog (h7), with the reason already typed
        reviewer_page.click("#review-confirm-dialog-yes")
    assert messages(reviewer_page, "success") and not messages(reviewer_page, "error")
    assert reviewer_page.inner_text("#return-state") == state_label(State.RETURNED)

    # The officer sees the comment and the reason, corrects the value and resubmits.
    log_in(officer_page, officer.username, url)
    assert officer_page.inner_text("#return-state") == state_label(State.RETURNED)
    assert "结案量偏低，请核实" in officer_page.inner_text("#row-R01 .comment")
    assert "请核对第 1 项" in officer_page.inner_text("#review-history")
    officer_page.fill("#value-R01", "1876")
    officer_page.click("#submit-return")
    officer_page.click("#confirm-submit")
    officer_page.wait_for_load_state()
    assert not messages(officer_page, "error"), messages(officer_page, "error")
    assert officer_page.inner_text("#return-state") == state_label(State.SUBMITTED)

    # The reviewer sees the corrected value highlighted (and only it), and approves.
    reviewer_page.goto(url)
    assert "changed" in reviewer_page.get_attribute("#row-R01", "class")
    assert "changed" not in (reviewer_page.get_attribute("#row-R03", "class") or "")
    assert reviewer_page.inner_text("#value-R01") == "1,876"  # read-only values read with separators
    reviewer_page.click("#action-approve")
    with reviewer_page.expect_navigation():  # the confirmation dialog (h7)
        reviewer_page.click("#review-confirm-dialog-yes")
    assert not messages(reviewer_page, "error"), messages(reviewer_page, "error")
    assert reviewer_page.inner_text("#return-state") == state_label(State.APPROVED)
    annual_return.refresh_from_db()
    assert annual_return.state == State.APPROVED

    # Anyone (signed out) sees the approved figures on the province page ...
    public = new_page()
    public.goto(f"/province/{BEIJING}/?year={YEAR}")
    assert public.locator("table#approved-return").count() == 1, "no approved return on the province page"
    assert public.inner_text("#approved-return #approved-R01 td.num >> nth=0") == figure(1876)  # "1,876"
    assert public.inner_text("#approved-return #approved-R03 td.num >> nth=0") == "10"

    # ... and the province on the map, drawn, with its printed figure in the map's table view.
    public.goto(f"/map/?measure=1.total&year={YEAR}")
    public.wait_for_selector("#map[data-drawn=true] canvas")
    table = "table.figures[data-figures=map]"
    row = next(row for row in table_rows(public, table) if "北京" in row)
    printed = report[1].value("北京", YEAR, "合计")
    assert row[column_of(public, table, str(YEAR))] == figure(printed)
