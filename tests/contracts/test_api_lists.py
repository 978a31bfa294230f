"""Every API list endpoint, walked from the router, in the spirit of NetBox's ``APIViewTestCases``:

- anonymous reads never fail, and of a reviewed kind anonymous reads see only the published records;
- a writable reviewed endpoint refuses an edit without a version (400) and an edit against an old one (409), and
  writes nothing;
- where a factory makes the rows, a list costs the same number of queries for 1 row as for 100.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from config.api_urls import router
from localwork.tests.factories import TypicalCaseFactory
from review.models import State
from review.roles import Role
from statistics.tests import factories as statistics_factories
from statistics.tests.factories import RegionFactory

from .factories import (
    AnnualReturnFactory,
    EditionFactory,
    NationalReturnFactory,
    RegistryChangeFactory,
    WorkSummaryFactory,
    person,
)

LISTS = [(prefix, basename) for prefix, viewset, basename in router.registry if hasattr(viewset, "list")]

# The reviewed kinds' lists, with the factory of a record (region-owned ones get a fresh region).
REVIEWED = {
    "annual-return": AnnualReturnFactory,
    "work-summary": WorkSummaryFactory,
    "protection-change": RegistryChangeFactory,
    "national-return": NationalReturnFactory,
    "index-edition": EditionFactory,
}

# Writable reviewed endpoints: who edits a draft, and an edit that changes nothing else.
WRITABLE = {
    "annual-return": ({"values": {}}, True),
    "work-summary": ({"narrative": "改过的总结"}, True),
    "protection-change": ({"explanation": "改过的说明"}, True),
    "national-return": ({"values": {}}, False),
}


def rows(basename: str, count: int, **kwargs):
    """``count`` rows of the list ``basename`` (each in its own region or year, so none collide)."""
    region_kw = {"region": RegionFactory} if basename in ("annual-return", "work-summary", "protection-change") else {}
    made = []
    for _ in range(count):
        extra = {name: make() for name, make in region_kw.items()}
        made.append(ROW_FACTORIES[basename](**extra, **kwargs))
    return made


ROW_FACTORIES = {
    **REVIEWED,
    "region": RegionFactory,
    "country": statistics_factories.CountryFactory,
    "region-patent-figure": statistics_factories.RegionPatentFigureFactory,
    "country-patent-figure": statistics_factories.CountryPatentFigureFactory,
    "region-trademark-figure": statistics_factories.RegionTrademarkFigureFactory,
    "country-trademark-figure": statistics_factories.CountryTrademarkFigureFactory,
    "region-count-figure": statistics_factories.RegionCountFigureFactory,
    "country-count-figure": statistics_factories.CountryCountFigureFactory,
    "typical-case": lambda **kwargs: TypicalCaseFactory(region=RegionFactory(), **kwargs),
}


def listed(response) -> list:
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


def ids(response) -> set:
    return {row["id"] for row in listed(response)}


def client_for(user) -> APIClient:
    """A client signed in as a fresh copy of ``user`` (no roles cached from an earlier request)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(get_user_model().objects.get(pk=user.pk))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "basename"), LISTS, ids=[basename for _prefix, basename in LISTS])
def test_anonymous_reads_of_every_list_never_fail(client, prefix, basename):
    response = client.get(reverse(f"api:{basename}-list"))
    assert response.status_code in (200, 401, 403), response.content[:300]


@pytest.mark.django_db
@pytest.mark.parametrize("basename", sorted(REVIEWED))
def test_anonymous_reads_see_only_published_records(basename):
    url = reverse(f"api:{basename}-list")
    before = ids(APIClient().get(url, {"page_size": 1000}))  # what migrations hold (the report's summaries)
    published = rows(basename, 1, state=State.APPROVED)[0]
    for state in (State.DRAFT, State.SUBMITTED, State.RETURNED, State.REOPENED):
        rows(basename, 1, state=state)
    response = APIClient().get(url, {"page_size": 1000})
    assert response.status_code == 200
    assert ids(response) - before == {published.pk}


def editor_of(basename, record):
    _body, region_owned = WRITABLE[basename]
    return person(Role.OFFICER, record.region) if region_owned else person(Role.REVIEWER)


@pytest.mark.django_db
@pytest.mark.parametrize("basename", sorted(WRITABLE))
@pytest.mark.parametrize(("version", "status"), [(None, 400), ("", 400), ("abc", 400), (0, 400), ("stale", 409)])
def test_an_edit_without_the_current_version_is_refused(basename, version, status):
    record = rows(basename, 1)[0]
    type(record).objects.filter(pk=record.pk).update(version=2)  # someone else saved once since
    body = dict(WRITABLE[basename][0])
    if version is not None:
        body["version"] = 1 if version == "stale" else version
    url = reverse(f"api:{basename}-detail", args=[record.pk])
    response = client_for(editor_of(basename, record)).patch(url, body, format="json")
    assert response.status_code == status, response.content[:300]
    if status == 400:
        assert "version" in response.json(), "the refusal names the field"
    fresh = type(record).objects.get(pk=record.pk)
    assert (fresh.version, fresh.modified_at) == (2, record.modified_at), "a refused edit wrote something"


def queries_for(basename, count_rows):
    administrator = person(Role.ADMINISTRATOR)
    url = reverse(f"api:{basename}-list")
    rows(basename, 1, **({"state": State.APPROVED} if basename in REVIEWED else {}))

    def count():
        client = client_for(administrator)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"page_size": 1000})
        assert response.status_code == 200, response.content[:300]
        return len(queries), len(listed(response))

    one, shown = count()
    assert shown >= 1
    rows(basename, count_rows - 1, **({"state": State.APPROVED} if basename in REVIEWED else {}))
    many, shown = count()
    assert shown >= count_rows
    return one, many


@pytest.mark.django_db
@pytest.mark.parametrize("basename", sorted(ROW_FACTORIES))
def test_a_list_costs_the_same_queries_for_1_row_as_for_100(basename):
    one, hundred = queries_for(basename, 100)
    assert hundred == one, f"{basename}: {one} queries for 1 row, {hundred} for 100"
