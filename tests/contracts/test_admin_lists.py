"""Every admin list, walked from ``admin.site._registry``: it opens for an administrator, and where a factory makes
the rows, it costs the same number of queries for 1 row as for 20."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localwork.tests.factories import TypicalCaseFactory
from review.models import State
from statistics import models as statistics_models
from statistics.tests import factories as statistics_factories
from statistics.tests.factories import RegionFactory, UserFactory

from .factories import (
    AnnualReturnFactory,
    EditionFactory,
    NationalReturnFactory,
    RegistryChangeFactory,
    WorkSummaryFactory,
)

MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)

FACTORIES = {
    AnnualReturnFactory._meta.model: AnnualReturnFactory,
    WorkSummaryFactory._meta.model: WorkSummaryFactory,
    RegistryChangeFactory._meta.model: RegistryChangeFactory,
    NationalReturnFactory._meta.model: NationalReturnFactory,
    EditionFactory._meta.model: EditionFactory,
    statistics_models.Region: RegionFactory,
    statistics_models.Country: statistics_factories.CountryFactory,
    statistics_models.RegionPatentFigure: statistics_factories.RegionPatentFigureFactory,
    statistics_models.CountryPatentFigure: statistics_factories.CountryPatentFigureFactory,
    statistics_models.RegionTrademarkFigure: statistics_factories.RegionTrademarkFigureFactory,
    statistics_models.CountryTrademarkFigure: statistics_factories.CountryTrademarkFigureFactory,
    statistics_models.RegionCountFigure: statistics_factories.RegionCountFigureFactory,
    statistics_models.CountryCountFigure: statistics_factories.CountryCountFigureFactory,
    TypicalCaseFactory._meta.model: lambda: TypicalCaseFactory(region=RegionFactory()),
}
REGION_OWNED = {AnnualReturnFactory, WorkSummaryFactory, RegistryChangeFactory}
COUNTED = [model for model in MODELS if model in FACTORIES]


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def make(model):
    factory = FACTORIES[model]
    if factory in REGION_OWNED:
        return factory(region=RegionFactory(), state=State.APPROVED)
    return factory()


@pytest.fixture
def administrator(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", MODELS, ids=[model._meta.label for model in MODELS])
def test_every_admin_list_opens_for_an_administrator(administrator, model):
    response = administrator.get(changelist(model))
    assert response.status_code == 200


@pytest.mark.parametrize("model", COUNTED, ids=[model._meta.label for model in COUNTED])
def test_an_admin_list_costs_the_same_queries_for_1_row_as_for_20(administrator, model):
    def count():
        administrator.get(changelist(model))  # the session and the site's caches, once
        with CaptureQueriesContext(connection) as queries:
            response = administrator.get(changelist(model))
        assert response.status_code == 200
        return len(queries)

    make(model)
    one = count()
    for _ in range(19):
        make(model)
    assert count() == one, f"{model._meta.label}: the list's queries grow with its rows"
