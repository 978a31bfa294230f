"""A figures page's SQL is compiled once per shape and reused with other values (``statistics/api/statements.py``).

The rows must be Django's own ``values()`` rows, whether the statement was just compiled or reused; a shape whose
parameters are not its values (``icontains`` wraps them in ``%``) is compiled every time; the page still costs one
query either way.
"""

import pytest
from django.db import connection
from django.db.models import Count, Window
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from statistics import models
from statistics.api import serializers, statements
from statistics.tests import factories

API = "/api/v1"


def page(model, size=100, **conditions):
    rows = serializers.ROWS[model]
    queryset = rows.queryset(model.objects.filter(**conditions))
    return queryset.annotate(rows_in_all_pages=Window(Count("*")))[:size]


@pytest.fixture
def no_statements(monkeypatch):
    monkeypatch.setattr(statements, "_statements", {})
    return statements._statements


@pytest.mark.django_db
def test_a_reused_statement_gives_the_rows_django_gives(no_statements):
    first, second = factories.RegionPatentFigureFactory(year=2031), factories.RegionPatentFigureFactory(year=2032)
    model = models.RegionPatentFigure
    compiled = statements.page_rows(page(model, year=2031))
    assert len(no_statements) == 1
    reused = statements.page_rows(page(model, year=2032))
    assert len(no_statements) == 1, "the same shape with another year reuses the statement"
    assert compiled == list(page(model, year=2031))
    assert reused == list(page(model, year=2032))
    assert [row["id"] for row in compiled] == [first.pk]
    assert [row["id"] for row in reused] == [second.pk]
    assert isinstance(reused[0]["total"], int) and isinstance(reused[0]["rows_in_all_pages"], int)


@pytest.mark.django_db
def test_a_join_condition_and_a_region_are_parameters_too(no_statements):
    one, other = factories.RegionFactory(), factories.RegionFactory()
    factories.RegionTrademarkFigureFactory(region=one, year=2031)
    factories.RegionTrademarkFigureFactory(region=other, year=2031)
    model = models.RegionTrademarkFigure
    for region in (one, other, one):
        for level in (models.Region.Level(region.level).value, "nothing"):
            query = page(model, region=region, region__level=level, year__gte=2031)
            assert statements.page_rows(query) == list(query)
    assert len(no_statements) == 1


@pytest.mark.django_db
def test_other_slices_and_conditions_are_other_statements(no_statements):
    factories.CountryCountFigureFactory.create_batch(3, year=2031)
    model = models.CountryCountFigure
    queries = [page(model, year=2031), page(model, size=2, year=2031), page(model, year__lte=2031), page(model)]
    for query in queries:
        assert statements.page_rows(query) == list(query)
    assert len(no_statements) == len(queries)


@pytest.mark.django_db
def test_a_lookup_that_rewrites_its_value_is_compiled_every_time(no_statements):
    factories.CountryFactory(name_en="Quuxlandia")
    query = models.Country.objects.filter(name_en__icontains="quuxland").values("code", "name_en")[:100]
    rows = statements.page_rows(query)
    assert rows == list(query) and len(rows) == 1
    assert no_statements == {}


@pytest.mark.django_db
def test_an_or_is_left_to_django(no_statements):
    from django.db.models import Q

    factories.CountryFactory(name_en="Quuxlandia")
    query = models.Country.objects.filter(Q(name_en="Quuxlandia") | Q(code="ZZ")).values("code")[:100]
    assert statements.page_rows(query) == list(query)
    assert no_statements == {}


@pytest.mark.django_db
def test_the_api_page_is_one_query_compiled_or_reused(no_statements, settings):
    settings.STATISTICS_RESPONSE_CACHE = False
    factories.CountryPatentFigureFactory(year=2031)
    factories.CountryPatentFigureFactory(year=2032)
    client = APIClient()
    answers = []
    for year in (2031, 2032):
        with CaptureQueriesContext(connection) as queries:
            answers.append(client.get(f"{API}/country-patent-figures/", {"year": year}).json())
        assert len(queries) == 1
    assert len(no_statements) == 1
    assert [answer["count"] for answer in answers] == [1, 1]
    assert [answer["results"][0]["year"] for answer in answers] == [2031, 2032]
