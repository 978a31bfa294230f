"""The admin screens: the whole journey of a return, conflicts between two editors, imports, and the tracker."""

import csv
import re
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from returns.models import AnnualReturn, IndicatorValue, ReturnPeriod, ValueComment
from review.models import State
from statistics.tests.conftest import PROJECT

from .conftest import YEAR, complete_values, person
from .factories import AnnualReturnFactory


def summary_regions_printed() -> set[str]:
    """The regions whose work summaries the 2025 report prints (the source's own list, not the application's)."""
    with open(PROJECT / "fixtures" / "localwork" / "summaries.csv", encoding="utf-8") as rows:
        return {row["region"] for row in csv.DictReader(rows)}


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def sheet_url(annual_return) -> str:
    return reverse("admin:returns_annualreturn_change", args=[annual_return.pk])


def version_on(page) -> str:
    return re.search(r'name="version" value="(\d+)"', page.content.decode()).group(1)


@pytest.fixture
def started(client, officer, beijing):
    client.force_login(officer)
    response = client.post(reverse("admin:returns_annualreturn_add"), {"region": beijing.pk, "year": YEAR})
    assert response.status_code == 302
    return AnnualReturn.objects.get(region=beijing, year=YEAR)


@pytest.mark.django_db
def test_the_whole_journey_through_the_admin(client, started, officer, reviewer, entered_codes):
    url = sheet_url(started)
    # The officer fills in part of the return and saves a draft; the values are there after a reload.
    page = client.get(url)
    response = client.post(url, {"version": version_on(page), "action": "save", "value-R01": "1,234", "note-R01": "n"})
    assert response.status_code == 302
    page = client.get(url)
    assert 'value="1234"' in page.content.decode()
    # Submitting an incomplete return names each missing value, and keeps the draft.
    response = client.post(url, {"version": version_on(page), "action": "submit"})
    problems = dict(response.context["problems"])
    assert "专利行政执法案件量" in problems["R06"]
    assert '<tr id="row-R06" class=" problem">' in response.content.decode()
    assert 'href="#row-R06"' in response.content.decode()
    assert AnnualReturn.objects.get(pk=started.pk).state == State.DRAFT
    # Filled in completely, it is submitted.
    values = {f"value-{code}": "10" for code in entered_codes} | {"value-R01": "1234"}
    response = client.post(url, {"version": version_on(client.get(url)), "action": "submit", **values})
    assert AnnualReturn.objects.get(pk=started.pk).state == State.SUBMITTED
    # The officer can no longer change it.
    client.post(url, {"version": version_on(client.get(url)), "action": "save", "value-R01": "1"})
    assert IndicatorValue.objects.get(annual_return=started, indicator__code="R01").value == 1234
    # The reviewer sees it read-only and returns it with a reason and a comment on one value.
    client.force_login(reviewer)
    page = client.get(url)
    assert 'name="value-R01"' not in page.content.decode()
    response = client.post(
        url,
        {"version": version_on(page), "action": "return", "comment": "R01 looks wrong", "comment-R01": "too high?"},
    )
    assert AnnualReturn.objects.get(pk=started.pk).state == State.RETURNED
    assert ValueComment.objects.get(annual_return=started).text == "too high?"
    # The officer sees the comment, corrects the value and resubmits.
    client.force_login(officer)
    page = client.get(url)
    assert "too high?" in page.content.decode() and "R01 looks wrong" in page.content.decode()
    client.post(url, {"version": version_on(page), "action": "submit", "value-R01": "123"})
    assert AnnualReturn.objects.get(pk=started.pk).state == State.SUBMITTED
    # The reviewer sees the corrected value highlighted, and approves.
    client.force_login(reviewer)
    page = client.get(url).content.decode()
    assert re.search(r'<tr id="row-R01" class="changed', page)
    assert not re.search(r'<tr id="row-R03" class="changed', page)
    client.post(url, {"version": version_on(client.get(url)), "action": "approve"})
    assert AnnualReturn.objects.get(pk=started.pk).state == State.APPROVED
    # Every change of R01 is in its history, with who made it.
    history = IndicatorValue.history.filter(indicator__code="R01", annual_return_id=started.pk).order_by("history_date")
    assert [(entry.value, entry.history_user) for entry in history] == [(1234, officer), (123, officer)]


@pytest.mark.django_db
def test_a_reason_is_required_to_return_on_the_screen(client, started, officer, reviewer, entered_codes):
    url = sheet_url(started)
    values = {f"value-{code}": "10" for code in entered_codes}
    client.post(url, {"version": version_on(client.get(url)), "action": "submit", **values})
    client.force_login(reviewer)
    page = client.post(url, {"version": version_on(client.get(url)), "action": "return", "comment-R01": "why?"})
    assert page.status_code == 200 and "理由" in page.content.decode()
    assert "why?" in page.content.decode()  # what the reviewer typed is still there
    assert AnnualReturn.objects.get(pk=started.pk).state == State.SUBMITTED
    assert not ValueComment.objects.exists()


@pytest.mark.django_db
def test_the_second_of_two_concurrent_saves_is_refused_and_told_why(client, started, officer, beijing):
    colleague = person("officer", beijing, username="colleague")
    url = sheet_url(started)
    opened_at = version_on(client.get(url))  # both open the same version
    other = client.__class__()
    other.force_login(colleague)
    assert other.post(url, {"version": opened_at, "action": "save", "value-R01": "111"}).status_code == 302
    page = client.post(url, {"version": opened_at, "action": "save", "value-R01": "222"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "colleague" in text and "重新加载" in text
    assert 'value="222"' in text  # the refused input is still on the screen
    assert IndicatorValue.objects.get(annual_return=started, indicator__code="R01").value == 111


@pytest.mark.django_db
def test_officers_see_only_their_own_region(client, started, other_officer):
    client.force_login(other_officer)
    assert client.get(sheet_url(started)).status_code == 404
    listing = client.get(reverse("admin:returns_annualreturn_changelist"))
    assert listing.status_code == 200 and list(listing.context["cl"].result_list) == []


@pytest.mark.django_db
def test_officers_start_returns_for_their_own_region_only(client, officer, guangdong):
    client.force_login(officer)
    response = client.post(reverse("admin:returns_annualreturn_add"), {"region": guangdong.pk, "year": YEAR})
    assert response.status_code == 200
    assert not AnnualReturn.objects.filter(region=guangdong).exists()


@pytest.mark.django_db
def test_a_second_return_for_the_same_region_and_year_is_refused(client, started, beijing):
    response = client.post(reverse("admin:returns_annualreturn_add"), {"region": beijing.pk, "year": YEAR})
    assert response.status_code == 200
    assert AnnualReturn.objects.filter(region=beijing, year=YEAR).count() == 1


def workbook(rows) -> bytes:
    book = Workbook()
    book.active.title = "数据"
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_import_fills_the_return_and_records_history(client, started, officer):
    url = sheet_url(started)
    template = client.get(reverse("admin:returns_annualreturn_template", args=[started.pk]))
    sheet = load_workbook(BytesIO(template.content)).active
    assert [cell.value for cell in sheet[1]] == ["代码", "指标", "单位", "数值", "说明"]
    upload = workbook([["代码", "数值", "说明"], ["R01", 321, "from the court"], ["D_GDP", "52,073.4", ""]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        url,
        {"version": version_on(client.get(url)), "action": "import", "file": SimpleUploadedFile("v.xlsx", upload)},
    )
    value = IndicatorValue.objects.get(annual_return=started, indicator__code="R01")
    assert (value.value, value.note) == (321, "from the court")
    assert value.history.latest().history_user == officer
    assert IndicatorValue.objects.get(annual_return=started, indicator__code="D_GDP").value == Decimal("52073.4")


@pytest.mark.django_db
def test_a_bad_import_names_sheet_row_and_column_and_writes_nothing(client, started):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = sheet_url(started)
    upload = workbook([["代码", "数值"], ["R01", 5], ["R99", 1], ["R03", "lots"], ["R24", 9]])
    page = client.post(
        url, {"version": version_on(client.get(url)), "action": "import", "file": SimpleUploadedFile("v.xlsx", upload)}
    )
    text = " ".join(messages_of(page)) or page.content.decode()
    # The interface is Chinese: 工作表“数据”，第 3 行，第 A 列.
    assert "工作表“数据”，第 3 行，第 A 列" in text and "R99" in text
    assert "第 4 行，第 B 列" in text and "lots" in text
    assert "第 5 行，第 B 列" in text and "商标有效注册量" in text
    assert not IndicatorValue.objects.filter(annual_return=started, indicator__code="R01").exists()


@pytest.mark.django_db
def test_tracker_counts_and_filters(client, reviewer, officer, beijing, guangdong, entered_codes):
    ReturnPeriod.objects.update_or_create(year=YEAR, defaults={"deadline": timezone.localdate() + timedelta(days=9)})
    AnnualReturnFactory(region=beijing, year=YEAR, state=State.SUBMITTED, submitted_at=timezone.now())
    AnnualReturnFactory(region=guangdong, year=YEAR, state=State.APPROVED, submitted_at=timezone.now())
    client.force_login(reviewer)
    page = client.get(reverse("returns:tracker"), {"year": YEAR})
    tracker = page.context["tracker"]
    assert (tracker.total, tracker.submitted, tracker.approved, tracker.days_left) == (32, 2, 1, 9)
    # The regions that report are the 32 whose work summaries the report prints: 31 provinces and the XPCC.
    assert {row.region.full_name_zh for row in tracker.rows} == summary_regions_printed()
    only = client.get(reverse("returns:tracker"), {"year": YEAR, "state": "approved"}).context["tracker"]
    assert [row.region for row in only.rows] == [guangdong]
    not_started = client.get(reverse("returns:tracker"), {"year": YEAR, "state": "not_started"}).context["tracker"]
    assert len(not_started.rows) == 30


@pytest.mark.django_db
def test_tracker_is_for_headquarters_only(client, officer):
    client.force_login(officer)
    assert client.get(reverse("returns:tracker")).status_code == 403
    client.logout()
    assert client.get(reverse("returns:tracker")).status_code == 302


@pytest.mark.django_db
def test_complete_values_helper_covers_every_typed_indicator(entered_codes):
    assert len(complete_values(entered_codes)) == len(entered_codes) > 40


@pytest.mark.django_db
def test_a_refused_transition_on_the_screen_says_why(client, started, officer):
    from review import services as review
    from review.models import Action

    url = sheet_url(started)
    response = client.post(url, {"version": version_on(client.get(url)), "action": "approve"})
    with pytest.raises(review.NotAllowed) as refused:
        review.transition(started, Action.APPROVE, officer, expected_version=started.version)
    assert refused.value.messages[0] in response.content.decode()
    assert AnnualReturn.objects.get(pk=started.pk).state == State.DRAFT
