"""The officer's sheet in the browser (h6, issue 14): filled in and submitted with the keyboard alone (Tab goes from
value to value), autosave that survives a closed tab, problems shown while typing, and no English on the page."""

import re
import time
from datetime import date

import pytest
from django.db import OperationalError

from returns import services
from returns.models import AnnualReturn, IndicatorValue, ReturnPeriod
from review.models import State
from statistics.models import Country, Indicator
from tests.test_no_english import ALLOWED, english_words

from .conftest import YEAR
from .pages import log_in, sheet_url, state_label


@pytest.fixture
def draft(officer, beijing):
    ReturnPeriod.objects.create(year=YEAR, deadline=date(YEAR + 1, 3, 31))  # returns start in open periods only
    return services.start_return(beijing, YEAR, officer)


def stored(annual_return, code: str):
    found = IndicatorValue.objects.filter(annual_return=annual_return, indicator__code=code).first()
    return None if found is None else found.value


def wait_for_stored(annual_return, code: str, expected, seconds: float = 15):
    """The live server commits in its own thread: poll the database (bounded; not a speed assertion)."""
    deadline, found = time.monotonic() + seconds, None
    while time.monotonic() < deadline:
        try:
            found = stored(annual_return, code)
        except OperationalError:  # SQLite's shared in-memory database: the live server is writing right now
            found = None
        if found == expected:
            return
        time.sleep(0.25)
    raise AssertionError(f"{code} was not saved as {expected}: {found}")


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_an_officer_fills_and_submits_the_return_with_the_keyboard(page, officer, draft):
    log_in(page, officer.username, sheet_url(draft))
    inputs = page.eval_on_selector_all("input.value", "inputs => inputs.map(input => input.id)")
    typed = Indicator.objects.filter(framework="regional", source="entered").count()
    assert len(inputs) == typed  # one input per typed value, nothing else in the value column
    required = page.locator("input.value[data-required]").count()
    assert re.search(rf"\b0\D+{required}\b", page.inner_text("#sheet-progress"))

    page.focus(f"#{inputs[0]}")
    for index, input_id in enumerate(inputs):
        assert focused_id(page) == input_id, f"Tab went to {focused_id(page)} instead of {input_id}"
        page.keyboard.type("10")
        if index + 1 < len(inputs):
            page.keyboard.press("Tab")
    assert re.search(rf"\b{required}\D+{required}\b", page.inner_text("#sheet-progress"))

    # Submit from the top button, confirm in the dialog, which says the checks find no problem.
    page.focus("#submit-return-top")
    page.keyboard.press("Enter")
    page.wait_for_selector("#submit-dialog[open]")
    page.wait_for_selector("#submit-dialog-problems[data-count='0']")
    assert focused_id(page) == "confirm-submit"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/change/$"))
    page.wait_for_selector("#return-state")
    assert page.inner_text("#return-state") == state_label(State.SUBMITTED)
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED
    assert stored(draft, inputs[-1][len("value-") :]) == 10


def test_what_is_typed_survives_a_closed_tab(new_page, officer, draft):
    first = new_page()
    log_in(first, officer.username, sheet_url(draft))
    first.fill("#value-R05", "1,234")
    wait_for_stored(draft, "R05", 1234)  # the autosave, every few seconds, with no click
    first.wait_for_selector("#autosave-status[data-kind=saved]")
    # Typed and the tab closed at once: saved on the way out, and kept in the browser until it is.
    first.fill("#value-R06", "4321")
    context = first.context
    first.close(run_before_unload=True)

    reopened = context.new_page()
    reopened.goto(sheet_url(draft))
    assert reopened.input_value("#value-R05") == "1234"
    assert reopened.input_value("#value-R06") == "4321"
    wait_for_stored(draft, "R06", 4321)

    # Another browser (no local copy) sees both from the server.
    elsewhere = new_page()
    log_in(elsewhere, officer.username, sheet_url(draft))
    assert (elsewhere.input_value("#value-R05"), elsewhere.input_value("#value-R06")) == ("1234", "4321")


def test_problems_appear_while_typing_and_the_page_has_no_english(page, officer, draft):
    log_in(page, officer.username, sheet_url(draft))
    name = Indicator.objects.get(code="R03").name_zh
    page.fill("#value-R03", "-4")
    problem = page.locator('#live-problems a[href="#row-R03"]')
    problem.wait_for()
    assert name in problem.inner_text() and "-4" in problem.inner_text()
    assert "live-problem" in page.get_attribute("#row-R03", "class")
    page.fill("#value-R03", "4")
    problem.wait_for(state="detached")
    assert "live-problem" not in (page.get_attribute("#row-R03", "class") or "")

    # A value's history opens from its row: who, when, before → after.
    wait_for_stored(draft, "R03", 4)
    page.click("#history-R03")
    page.wait_for_selector("#history-dialog[open] #value-history tbody tr")
    cells = page.locator("#value-history tbody tr >> nth=0").locator("td").all_inner_texts()
    assert cells[1] == officer.username and cells[3] == "4"
    page.click("#close-history")

    # The rendered sheet (with what the script wrote into it) shows no English.
    codes = {code for row in Country.objects.values_list("alpha2", "alpha3", "code") for code in row if code}
    allowed = ALLOWED | codes | {officer.username, *re.split(r"[-_.]", officer.username)}
    assert not english_words(page.content(), allowed)
    assert AnnualReturn.objects.get(pk=draft.pk).state == State.DRAFT
