"""The national figures list is built by name (``api.national.figure_data``) and equals the serializer's output,
key for key, on every figure of the reports; the page costs the same queries for 1 figure as for 100."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.published_memo import forget_all
from statistics import selectors
from statistics.api.national import NationalFigureSerializer

pytestmark = pytest.mark.django_db

URL = "/api/v1/national-figures/"


def test_every_listed_figure_is_the_serialized_figure():
    listed = APIClient().get(URL, {"page_size": 1000}).json()["results"]
    assert len(listed) > 100, "the reports' national figures should be loaded"
    figures = {figure.pk: figure for figure in selectors.public_figures()}
    rows = selectors.figure_rows([figures[item["id"]] for item in listed])
    expected = NationalFigureSerializer(rows, many=True).data
    assert listed == [dict(item) for item in expected]


def page_queries(page_size: int, page: int = 1) -> int:
    """The queries of the page as the first request of a published version (the rows are derived then)."""
    forget_all()
    client = APIClient()
    with CaptureQueriesContext(connections["default"]) as queries:
        response = client.get(URL, {"page_size": page_size, "page": page})
    assert response.status_code == 200
    assert len(response.json()["results"]) == page_size
    return len(queries)


def test_a_page_of_1_figure_costs_the_queries_of_a_page_of_100():
    """The appendix totals are read only for a page showing a figure the appendix holds; both pages here do."""
    figures = list(selectors.public_figures())
    held = next(index for index, figure in enumerate(figures) if figure.series.held_by_appendix)
    assert any(figure.series.held_by_appendix for figure in figures[:100])
    assert page_queries(1, page=held + 1) == page_queries(100)
