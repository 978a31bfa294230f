"""Every list endpoint of the statistics API costs the same number of queries for a page of 1 row or of 100.

Each case makes rows with the factories, selects exactly them with a filter, and counts the queries of the same
request after 1 row and after 100 rows exist. A relation read row by row (a missing ``select_related`` or
``prefetch_related``) makes the second count larger.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from review.roles import Role, ensure_role_groups
from statistics import models
from statistics.tests import factories

API = "/api/v1"


def once(context, key, make):
    """``make()`` the first time ``key`` is asked for, then the same object (shared by the 1-row and 100-row calls)."""
    if key not in context:
        context[key] = make()
    return context[key]


def make_figures(factory_class):
    def make(count, _context):
        factory_class.create_batch(count)
        return {"year": 2030}

    return make


def make_regions(count, _context):
    factories.RegionFactory.create_batch(count)
    return {"q": "测试省"}


def make_countries(count, context):
    joint = once(context, "joint", lambda: factories.CountryFactory(name_zh="测试联合", name_en="Joint test holder"))
    for country in factories.CountryFactory.create_batch(count):
        country.members.add(joint)
    return {"q": "Testland"}


def make_indicator_groups(count, context):
    parent = once(
        context,
        "parent",
        lambda: models.IndicatorGroup.objects.create(framework="regional", name_zh="测试一级组", position=900),
    )
    for _ in range(count):
        models.IndicatorGroup.objects.create(framework="regional", parent=parent, name_zh=next(NAMES), position=901)
    return {"parent": parent.pk}


def make_indicators(count, context):
    group = once(
        context,
        "group",
        lambda: models.IndicatorGroup.objects.create(framework="regional", name_zh="测试指标组", position=900),
    )
    for _ in range(count):
        name = next(NAMES)
        models.Indicator.objects.create(
            framework="regional", code=f"T-{name}", name_zh=name, name_en=name, unit="件", group=group
        )
    return {"group": group.pk}


def make_import_runs(count, context):
    user = once(context, "user", factories.UserFactory)
    for _ in range(count):
        models.ImportRun.objects.create(kind="query-count test", filename="x.csv", sha256="0" * 64, user=user)
    return {"kind": "query-count test"}


def _names():
    number = 0
    while True:
        number += 1
        yield f"测试{number}"


NAMES = _names()


CASES = {
    "regions": make_regions,
    "countries": make_countries,
    "region-patent-figures": make_figures(factories.RegionPatentFigureFactory),
    "country-patent-figures": make_figures(factories.CountryPatentFigureFactory),
    "region-trademark-figures": make_figures(factories.RegionTrademarkFigureFactory),
    "country-trademark-figures": make_figures(factories.CountryTrademarkFigureFactory),
    "region-count-figures": make_figures(factories.RegionCountFigureFactory),
    "country-count-figures": make_figures(factories.CountryCountFigureFactory),
    "indicator-groups": make_indicator_groups,
    "indicators": make_indicators,
    "import-runs": make_import_runs,
}

# Anonymous: the published version (the cache key), count + page. Figures and countries: the page carries its count
# (``CountedPagination``), so version + page; countries + one query for the members. Indicator groups and
# indicators: + the check that the group named in the filter exists. Import runs (signed in, so never cached and no
# version): count + page + the user's and the groups' permissions.
FIGURES = [prefix for prefix in CASES if prefix.endswith("-figures")]
MAX_QUERIES = {**dict.fromkeys(FIGURES, 2), "countries": 3, "indicator-groups": 4, "indicators": 4, "import-runs": 4}


def page_queries(client, prefix, params, expected_rows, user=None) -> int:
    if user is not None:
        client.force_authenticate(type(user).objects.get(pk=user.pk))  # a fresh object: no cached permissions
    # The rows were written in this test's one transaction, which moved the published version once: measure the list
    # as it is built, not a cached answer.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{API}/{prefix}/", params)
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == expected_rows
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", CASES)
def test_a_list_costs_the_same_queries_for_1_and_100_rows(prefix):
    client, user = APIClient(), None
    if prefix == "import-runs":
        user = factories.UserFactory(is_staff=True)
        user.groups.add(ensure_role_groups()[Role.ADMINISTRATOR])
    context = {}
    params = CASES[prefix](1, context)
    one = page_queries(client, prefix, params, 1, user)
    CASES[prefix](99, context)
    hundred = page_queries(client, prefix, params, 100, user)
    assert one == hundred
    assert hundred <= MAX_QUERIES.get(prefix, 3)


@pytest.mark.django_db
def test_filtering_by_entity_name_adds_one_query_whatever_the_page_size():
    client = APIClient()
    factories.RegionPatentFigureFactory(region__name_zh="测试省甲")
    with CaptureQueriesContext(connection) as plain:
        client.get(f"{API}/region-patent-figures/", {"year": 2030})
    with CaptureQueriesContext(connection) as named:
        rows = client.get(f"{API}/region-patent-figures/", {"year": 2030, "region": "测试省甲"}).json()["results"]
    assert len(rows) == 1
    assert len(named) == len(plain) + 1
