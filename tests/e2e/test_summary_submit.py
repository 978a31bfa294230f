"""A work summary in the browser: the officer edits the text and clicks "Save and submit"; what was on the screen is
what is submitted (before, the submit button sat in its own form above the editor and submitted the stored text)."""

import re

from localwork.models import WorkSummary
from review.models import Action, ReviewEvent, State

from .pages import log_in, messages


def test_save_and_submit_submits_the_text_on_the_screen(page, officer, beijing):
    summary = WorkSummary.objects.create(region=beijing, year=2026, narrative="旧的工作总结。")
    change_url = f"/admin/localwork/worksummary/{summary.pk}/change/"
    log_in(page, officer.username, change_url)
    assert page.locator("#review-panel button[value=submit]").count() == 0  # no submit outside the editor's form

    page.fill("#id_narrative", "屏幕上刚写好的工作总结。")
    page.click("#review-save-and-submit")
    assert page.locator("#review-confirm-dialog").is_visible()  # the confirmation (h7) says what will happen
    with page.expect_navigation():
        page.click("#review-confirm-dialog-yes")
    page.wait_for_url(re.compile(rf"{change_url}$"))
    assert messages(page, "success") and not messages(page, "error")

    summary.refresh_from_db()
    assert summary.state == State.SUBMITTED
    assert summary.narrative == "屏幕上刚写好的工作总结。"
    event = ReviewEvent.objects.get(object_id=summary.pk, content_type__model="worksummary")
    assert (event.action, event.actor) == (Action.SUBMIT, officer)
    # Submitted: the editor is read-only now and offers no submit.
    assert page.locator("#id_narrative").count() == 0
    assert page.locator("#review-save-and-submit").count() == 0
