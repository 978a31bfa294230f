"""A return is started, filled and commented on through ``returns.services`` only: the admin, the API, the sheet and
the spreadsheet import refuse the same bad write with the same translated message, and write nothing."""

import re
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook
from rest_framework.test import APIClient

from returns import imports, services
from returns.models import AnnualReturn, IndicatorValue, ValueComment
from review import services as review
from statistics.models import Indicator

from .conftest import YEAR, person

pytestmark = pytest.mark.django_db
LIST = "/api/v1/annual-returns/"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
PREFILLED = "R24"  # 商标有效注册量: filled in from the national statistics, never typed


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def workbook(rows) -> bytes:
    book = Workbook()
    book.active.title = "数据"
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_admin_starts_a_return_with_its_prefilled_values_as_the_api_does(client, officer, beijing, guangdong):
    """Both go through ``services.start_return``: the same pre-filled values, the same first version."""
    client.force_login(officer)
    response = client.post(reverse("admin:returns_annualreturn_add"), {"region": beijing.pk, "year": YEAR})
    assert response.status_code == 302
    through_admin = AnnualReturn.objects.get(region=beijing, year=YEAR)
    through_service = services.start_return(guangdong, YEAR, person("officer", guangdong))
    prefilled = Indicator.objects.get(code=PREFILLED)
    admin_value = IndicatorValue.objects.get(annual_return=through_admin, indicator=prefilled).value
    assert admin_value is not None
    assert IndicatorValue.objects.filter(annual_return=through_service, indicator=prefilled).exists()
    assert (through_admin.state, through_admin.version, through_admin.modified_by) == (
        through_service.state,
        through_service.version,
        officer,
    )


def test_a_second_return_is_refused_in_the_same_words_by_the_admin_and_the_api(client, officer, beijing):
    services.start_return(beijing, YEAR, officer)
    with pytest.raises(review.Invalid) as refused:
        services.start_return(beijing, YEAR, officer)
    message = refused.value.messages[0]
    assert CHINESE.search(message), message

    response = api(officer).post(LIST, {"region": beijing.code, "year": YEAR}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == message

    # The admin's form offers only the years still open to the region (``periods.startable_years``), so the year is
    # refused there; the model's own uniqueness check, which any form runs, speaks the service's words.
    client.force_login(officer)
    page = client.post(reverse("admin:returns_annualreturn_add"), {"region": beijing.pk, "year": YEAR})
    assert page.status_code == 200 and "year" in page.context["adminform"].form.errors
    with pytest.raises(ValidationError) as duplicate:
        AnnualReturn(region=beijing, year=YEAR).validate_constraints()
    assert duplicate.value.messages == [message]
    assert AnnualReturn.objects.filter(region=beijing, year=YEAR).count() == 1


def test_a_value_that_is_not_typed_is_refused_in_the_same_words_everywhere(client, officer, beijing):
    annual_return = services.start_return(beijing, YEAR, officer)
    prefilled = Indicator.objects.get(code=PREFILLED)
    before = list(IndicatorValue.objects.filter(annual_return=annual_return).values_list("indicator_id", "value"))
    message = services.value_refusal(prefilled)
    assert message and CHINESE.search(message)

    with pytest.raises(review.Invalid) as refused:
        services.save_values(annual_return, officer, annual_return.version, {PREFILLED: "9"})
    assert refused.value.messages == [message]

    response = api(officer).patch(
        f"{LIST}{annual_return.pk}/", {"version": annual_return.version, "values": {PREFILLED: "9"}}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["messages"] == [message]

    with pytest.raises(review.Invalid) as imported:
        imports.import_values(
            annual_return, officer, workbook([["代码", "数值"], [PREFILLED, 9]]), "v.xlsx", annual_return.version
        )
    [problem] = imported.value.messages
    assert problem.endswith(message) and "第 2 行" in problem  # the same words, with the cell

    client.force_login(officer)
    page = client.post(
        reverse("admin:returns_annualreturn_change", args=[annual_return.pk]),
        {"action": "save", "version": annual_return.version, f"value-{PREFILLED}": "9"},
    )
    assert message in [str(item) for item in get_messages(page.wsgi_request)]
    after = list(IndicatorValue.objects.filter(annual_return=annual_return).values_list("indicator_id", "value"))
    assert after == before


def test_comments_follow_one_rule_on_the_sheet_and_in_the_service(client, officer, reviewer, beijing):
    annual_return = services.start_return(beijing, YEAR, officer)  # a draft: nobody comments yet
    refusal = services.comment_refusal(reviewer, annual_return)
    assert isinstance(refusal, review.Invalid)
    with pytest.raises(review.Invalid) as refused:
        services.add_comments(annual_return, reviewer, {"R01": "?"})
    assert refused.value.messages == refusal.messages
    assert isinstance(services.comment_refusal(officer, annual_return), review.NotAllowed)

    client.force_login(reviewer)
    page = client.get(reverse("admin:returns_annualreturn_change", args=[annual_return.pk]))
    assert page.context["can_comment"] is False
    assert not ValueComment.objects.exists()
