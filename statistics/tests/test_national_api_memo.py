"""The national figures list derives its rows once per published version (``core.published_memo``): a page is then
one query besides the version, a published change shows on the next request, and a writing transaction never keeps
what it derived."""

from decimal import Decimal

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core import published
from core.published_memo import forget_all
from statistics.api.national import PUBLISHED_ROWS
from statistics.models.national import NationalFigure

pytestmark = pytest.mark.django_db

URL = "/api/v1/national-figures/"


@pytest.fixture(autouse=True)
def uncached_responses(settings):
    settings.STATISTICS_RESPONSE_CACHE = False


def printed_figure() -> NationalFigure:
    """A report figure with its own printed value (not the appendix's), alone in its series and year."""
    return NationalFigure.objects.filter(national_return=None, value__isnull=False).order_by("pk").first()


def listed_value(pk: int) -> str | None:
    response = APIClient().get(URL, {"page_size": 1000})
    assert response.status_code == 200
    return next(item["value"] for item in response.json()["results"] if item["id"] == pk)


def test_a_page_of_derived_rows_is_the_version_and_one_query():
    APIClient().get(URL)
    with CaptureQueriesContext(connections["default"]) as queries:
        response = APIClient().get(URL, {"year": 2025})
    assert response.status_code == 200 and response.json()["count"] > 0
    statements = [query["sql"] for query in queries.captured_queries]
    assert len(statements) == 2, statements
    assert not any("UNION ALL" in sql for sql in statements), "the appendix totals are not read again"


def test_a_published_change_shows_on_the_next_request():
    figure = printed_figure()
    before = listed_value(figure.pk)
    NationalFigure.objects.filter(pk=figure.pk).update(value=Decimal("12345.6"))  # no signal: the version stays
    assert listed_value(figure.pk) == before, "derived once per version: the rows are kept until it moves"
    published.bump()
    assert listed_value(figure.pk) == "12345.6000"


def test_a_writing_transaction_reads_its_own_change_and_keeps_nothing():
    figure = printed_figure()
    forget_all()
    figure.value = Decimal("54321")
    figure.save()  # moves the published version now and again on commit
    assert listed_value(figure.pk) == "54321.0000"
    assert not PUBLISHED_ROWS.kept()


def test_a_figure_published_after_the_version_was_read_is_derived_afresh():
    listed_value(printed_figure().pk)
    copy = printed_figure()
    copy.pk = None
    copy.position += 100_000
    copy.printed = copy.printed + " (copy)"
    copy.value = Decimal("777")
    NationalFigure.objects.bulk_create([copy])  # no signal: the kept rows do not know it
    assert listed_value(copy.pk) == "777.0000"


def test_a_figure_withdrawn_while_the_page_is_answered_is_left_out(monkeypatch):
    """Withdrawn after the page's ids were read and before its rows: not listed, and no 500."""
    listed = [item["id"] for item in APIClient().get(URL, {"page_size": 5}).json()["results"]]
    withdrawn = listed[0]
    derive = PUBLISHED_ROWS._build

    def derive_after_the_withdrawal():
        NationalFigure.objects.filter(pk=withdrawn).delete()
        return derive()

    forget_all()
    monkeypatch.setattr(PUBLISHED_ROWS, "_build", derive_after_the_withdrawal)
    response = APIClient().get(URL, {"page_size": 5})
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == listed[1:]
