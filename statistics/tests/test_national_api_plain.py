"""The national figures list is read with ``values()`` (``selectors.plain_figure_rows``) and answers byte for byte
what the model instances gave (``selectors.figure_rows`` + ``api.national.figure_data``), at a constant cost."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.published_memo import forget_all
from core.renderers import ORJSONRenderer
from statistics import selectors
from statistics.api.national import figure_data

pytestmark = pytest.mark.django_db

URL = "/api/v1/national-figures/"
# Every figure in pages of 100, a filter on the year, a search: each page compared whole.
QUERIES = [{}, {"year": 2025}, {"year__gte": 2024}, {"q": "专利"}]


def from_instances(body: dict) -> bytes:
    """The page as the model-instance path renders it: the listed ids, read as instances, through ``figure_data``."""
    instances = {figure.pk: figure for figure in selectors.public_figures()}
    rows = selectors.figure_rows([instances[item["id"]] for item in body["results"]])
    page = {key: body[key] for key in ("count", "next", "previous")}
    return ORJSONRenderer().render({**page, "results": figure_data(rows)})


@pytest.mark.parametrize("params", QUERIES, ids=lambda params: "&".join(f"{k}={v}" for k, v in params.items()))
def test_every_page_is_byte_for_byte_what_the_instances_give(settings, params):
    settings.STATISTICS_RESPONSE_CACHE = False
    client, page, seen = APIClient(), 1, 0
    while True:
        response = client.get(URL, {**params, "page": page})
        assert response.status_code == 200
        body = response.json()
        assert body["results"]
        assert response.content == from_instances(body)
        seen += len(body["results"])
        if body["next"] is None:
            break
        page += 1
    assert seen == body["count"]


def test_the_compared_pages_hold_every_kind_of_row():
    """The pages compared above include derived changes, appendix values, figures with and without an indicator."""
    listed = APIClient().get(URL, {"page_size": 1000}).json()["results"]
    assert any(item["derived_change"] is not None for item in listed)
    assert any(item["derived_change_percent"] is not None for item in listed)
    assert any(item["value_origin"] == "appendix" for item in listed)
    assert any(item["appendix"] is not None and item["appendix"]["value"] is not None for item in listed)
    assert {item["indicator"] is None for item in listed} == {True, False}
    assert any(item["note"] for item in listed) and any(item["printed_change"] is not None for item in listed)


def list_queries(**params) -> tuple[int, list]:
    with CaptureQueriesContext(connections["default"]) as queries:
        response = APIClient().get(URL, params)
    assert response.status_code == 200
    return len(queries), response.json()["results"]


@pytest.mark.parametrize("derived", [False, True], ids=["first request of a version", "derived already"])
def test_one_figure_or_a_thousand_cost_the_same_queries(settings, derived):
    """Both pages show a figure the appendix holds; with the rows derived already, or not yet."""
    settings.STATISTICS_RESPONSE_CACHE = False
    forget_all()
    if derived:
        list_queries(page_size=1)
    many, listed = list_queries(page_size=1000)
    assert len(listed) > 500
    held = next(index for index, item in enumerate(listed) if item["value_origin"] == "appendix")
    if not derived:
        forget_all()
    one, single = list_queries(page_size=1, page=held + 1)
    assert len(single) == 1 and single[0]["value_origin"] == "appendix"
    assert one == many
