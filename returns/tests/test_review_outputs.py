"""The reviewer's side of a return (issue 14): before → after on a resubmission, the reason and the commented rows at
the top, the confirmation before a transition, the approved version kept public while a return is reopened, and the
printable approved return with its XLSX."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from returns import services
from returns.revisions import approved_version, review_summary
from review import services as review
from review.models import Action, State

from .conftest import YEAR, complete_values


def sheet_url(annual_return) -> str:
    return reverse("admin:returns_annualreturn_change", args=[annual_return.pk])


def submitted(region, officer, entered_codes, value="10"):
    annual_return = services.start_return(region, YEAR, officer)
    annual_return = services.save_values(
        annual_return, officer, annual_return.version, complete_values(entered_codes, value)
    ).record
    return review.transition(annual_return, Action.SUBMIT, officer, expected_version=annual_return.version).target


def returned(annual_return, reviewer, reason="R01 与法院年报不符", comments=None):
    return services.review_with_comments(
        annual_return, reviewer, Action.RETURN, reason, comments or {"R01": "请核对"}, annual_return.version
    ).target


def resubmit(annual_return, officer, values: dict):
    annual_return = services.save_values(annual_return, officer, annual_return.version, values).record
    return review.transition(annual_return, Action.SUBMIT, officer, expected_version=annual_return.version).target


@pytest.mark.django_db
def test_a_resubmission_shows_before_and_after_of_each_changed_row(beijing, officer, reviewer, entered_codes):
    annual_return = returned(submitted(beijing, officer, entered_codes), reviewer)
    annual_return = resubmit(annual_return, officer, {"R01": "1,250", "R20": "30"})
    summary = review_summary(annual_return)
    assert summary.changes["R01"].before == Decimal("10") and summary.changes["R01"].after == Decimal("1250")
    assert summary.changes["R20"].before == Decimal("10") and summary.changes["R20"].after == Decimal("30")
    # R21 = R20 / (D_GOODS_EXPORTS / 100): computed from the changed input, so it changed too.
    assert summary.changes["R21"].before == Decimal("100") and summary.changes["R21"].after == Decimal("300")
    assert "R02" not in summary.changes
    assert summary.reason_event.comment == "R01 与法院年报不符"
    assert [indicator.code for indicator, _comments in summary.commented] == ["R01"]


@pytest.mark.django_db
def test_the_diff_costs_the_same_queries_however_many_rows_changed(beijing, officer, reviewer, entered_codes):
    annual_return = returned(submitted(beijing, officer, entered_codes), reviewer)
    annual_return = resubmit(annual_return, officer, {"R01": "11"})
    with CaptureQueriesContext(connection) as one_change:
        assert len(review_summary(annual_return).changes) == 1
    annual_return = returned(annual_return, reviewer, comments={code: "再核" for code in entered_codes[:5]})
    annual_return = resubmit(annual_return, officer, complete_values(entered_codes, "12"))
    with CaptureQueriesContext(connection) as every_change:
        assert len(review_summary(annual_return).changes) > len(entered_codes)
    assert len(every_change.captured_queries) == len(one_change.captured_queries)


@pytest.mark.django_db
def test_the_reviewer_sees_before_after_and_the_officer_the_reason_at_the_top(
    client, beijing, officer, reviewer, entered_codes
):
    annual_return = returned(submitted(beijing, officer, entered_codes), reviewer)
    client.force_login(officer)
    page = client.get(sheet_url(annual_return)).content.decode()
    assert 'id="review-reason-text"' in page and "R01 与法院年报不符" in page
    assert 'id="commented-rows"' in page and 'href="#row-R01"' in page
    annual_return = resubmit(annual_return, officer, {"R01": "1250"})
    client.force_login(reviewer)
    page = client.get(sheet_url(annual_return)).content.decode()
    assert page.index('id="review-reason-top"') < page.index('id="sheet-form"')
    assert 'id="change-R01"' in page and 'id="change-R02"' not in page
    assert 'id="was-R01"' in page
    change_row = page[page.index('id="change-R01"') :]
    change_row = change_row[: change_row.index("</tr>")]
    assert ">10<" in change_row and ">1,250<" in change_row


@pytest.mark.django_db
def test_return_buttons_carry_their_confirmation_and_a_page_without_javascript_asks(
    client, beijing, officer, reviewer, entered_codes
):
    annual_return = submitted(beijing, officer, entered_codes)
    client.force_login(reviewer)
    url = sheet_url(annual_return)
    page = client.get(url).content.decode()
    assert 'id="review-confirm-dialog"' in page
    assert 'id="action-approve-top"' in page and 'id="action-approve"' in page  # at the top and at the bottom
    assert 'data-confirm-reason="review-reason"' in page  # return asks for the reason in the dialog
    # Without JavaScript the form arrives with _confirm=ask: a confirmation page, nothing changed.
    asked = client.post(url, {"action": "approve", "version": annual_return.version, "_confirm": "ask"})
    assert asked.status_code == 200 and 'id="review-confirm-form"' in asked.content.decode()
    annual_return.refresh_from_db()
    assert annual_return.state == State.SUBMITTED
    confirmed = client.post(url, {"action": "approve", "version": annual_return.version, "_confirm": "yes"})
    assert confirmed.status_code == 302
    annual_return.refresh_from_db()
    assert annual_return.state == State.APPROVED


@pytest.mark.django_db
def test_an_empty_reason_is_refused_in_the_users_language(client, beijing, officer, reviewer, entered_codes):
    annual_return = submitted(beijing, officer, entered_codes)
    client.force_login(reviewer)
    response = client.post(
        sheet_url(annual_return), {"action": "return", "comment": "  ", "version": annual_return.version}
    )
    assert response.status_code == 200
    assert "时必须填写理由" in response.content.decode()  # the Chinese of "A reason is required to …"
    annual_return.refresh_from_db()
    assert annual_return.state == State.SUBMITTED


def approve(annual_return, reviewer):
    return review.transition(annual_return, Action.APPROVE, reviewer, expected_version=annual_return.version).target


@pytest.mark.django_db
def test_a_reopened_return_keeps_its_approved_version_on_the_public_pages(
    client, beijing, officer, reviewer, administrator, entered_codes
):
    annual_return = submitted(beijing, officer, entered_codes, "10")
    annual_return = approve(annual_return, reviewer)
    annual_return = review.transition(
        annual_return, Action.REOPEN, administrator, "R01 需更正", annual_return.version
    ).target
    annual_return = services.save_values(
        annual_return, officer, annual_return.version, {"R01": "99"}, {"R01": "更正中"}
    ).record
    province = client.get(reverse("dashboards:province", args=[beijing.code]), {"year": YEAR}).content.decode()
    assert 'id="return-under-revision"' in province
    row = province[province.index('id="approved-R01"') :]
    assert ">10<" in row[: row.index("</tr>")] and ">99<" not in row[: row.index("</tr>")]
    approved = approved_version(annual_return)
    assert approved.under_revision and approved.sheet.row("R01").value == 10 and approved.sheet.row("R01").note == ""
    printed = client.get(reverse("returns:print", args=[beijing.code, YEAR]))
    assert printed.status_code == 200
    text = printed.content.decode()
    assert 'id="print-under-revision"' in text and "@page { size: A4" in text
    # Submitted again and approved: the new value is the public one, no longer under revision.
    annual_return = review.transition(
        annual_return, Action.SUBMIT, officer, expected_version=annual_return.version
    ).target
    annual_return = approve(annual_return, reviewer)
    province = client.get(reverse("dashboards:province", args=[beijing.code]), {"year": YEAR}).content.decode()
    assert 'id="return-under-revision"' not in province
    assert approved_version(annual_return).sheet.row("R01").value == 99


@pytest.mark.django_db
def test_the_approved_return_prints_and_downloads_for_everybody_and_only_once_approved(
    client, beijing, officer, reviewer, entered_codes
):
    annual_return = submitted(beijing, officer, entered_codes)
    note = '=HYPERLINK("http://x","y")'
    assert client.get(reverse("returns:print", args=[beijing.code, YEAR])).status_code == 404
    assert client.get(reverse("returns:xlsx", args=[beijing.code, YEAR])).status_code == 404
    annual_return = returned(annual_return, reviewer)
    annual_return = services.save_values(
        annual_return, officer, annual_return.version, {"R01": "1234.5"}, {"R01": note}
    ).record
    annual_return = review.transition(
        annual_return, Action.SUBMIT, officer, expected_version=annual_return.version
    ).target
    annual_return = approve(annual_return, reviewer)
    printed = client.get(reverse("returns:print", args=[beijing.code, YEAR]))
    assert printed.status_code == 200
    row = printed.content.decode()
    row = row[row.index('id="print-R01"') :]
    assert "1,234.5" in row[: row.index("</tr>")]
    download = client.get(reverse("returns:xlsx", args=[beijing.code, YEAR]))
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith(f'return-{beijing.code}-{YEAR}-approved.xlsx"')
    cells = [
        cell for row in load_workbook(BytesIO(download.content)).active.iter_rows(values_only=True) for cell in row
    ]
    assert 1234.5 in cells
    assert "'" + note in cells and note not in cells
    assert client.get(reverse("returns:print", args=["999999", YEAR])).status_code == 404
    assert client.post(reverse("returns:print", args=[beijing.code, YEAR])).status_code == 405


@pytest.mark.django_db
def test_a_registry_count_from_an_incomplete_registry_is_marked_with_the_published_total(
    client, guangdong, other_officer
):
    annual_return = services.start_return(guangdong, YEAR, other_officer)
    client.force_login(other_officer)
    page = client.get(sheet_url(annual_return)).content.decode()
    for code, published in (("R13", "129"), ("R14", "116")):  # the report: "总数达 129 家", platforms 116
        note = page[page.index(f'id="registry-note-{code}"') :]
        assert published in note[: note.index("</div>")]
    assert annual_return.values.filter(indicator__code="R13", value__isnull=False).exists()


@pytest.mark.django_db
def test_headquarters_may_leave_counts_from_an_incomplete_registry_empty(guangdong, other_officer, settings):
    settings.RETURNS_INCOMPLETE_REGISTRY = "empty"
    annual_return = services.start_return(guangdong, YEAR, other_officer)
    assert not annual_return.values.filter(indicator__code__in=["R13", "R14"], value__isnull=False).exists()
    assert annual_return.values.filter(indicator__code="R24", value__isnull=False).exists()  # the appendix's stay


def workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_the_officers_import_is_previewed_before_after_then_applied(client, beijing, officer, reviewer, entered_codes):
    annual_return = returned(submitted(beijing, officer, entered_codes), reviewer)
    client.force_login(officer)
    url = sheet_url(annual_return)
    content = workbook([["代码", "数值", "说明"], ["R01", 1250, "含再审"], ["R02", 10, ""]])
    data = {"action": "import", "_preview": "1", "version": annual_return.version}
    preview = client.post(url, {**data, "file": SimpleUploadedFile("v.xlsx", content)})
    assert preview.status_code == 200
    page = preview.content.decode()
    row = page[page.index('id="preview-R01"') :]
    row = row[: row.index("</tr>")]
    assert ">10<" in row and ">1,250<" in row and "含再审" in row
    assert 'id="preview-R02"' not in page  # unchanged: not listed
    assert annual_return.values.get(indicator__code="R01").value == 10  # nothing written yet
    fields = dict(re.findall(r'<input type="hidden" name="((?:value|note)-R\d+|version)" value="([^"]*)"', page))
    assert fields == {"version": str(annual_return.version), "value-R01": "1250", "note-R01": "含再审"}
    applied = client.post(url, {**fields, "action": "save"})
    assert applied.status_code == 302
    stored = annual_return.values.get(indicator__code="R01")
    assert (stored.value, stored.note) == (1250, "含再审")
    # A preview made at a version that is no longer current is refused, with why, and writes nothing.
    stale = client.post(url, {**data, "file": SimpleUploadedFile("v.xlsx", content)}, follow=True)
    assert 'id="import-preview"' not in stale.content.decode()
