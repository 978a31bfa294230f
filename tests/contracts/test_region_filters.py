"""One region filter and one country filter (``statistics.reference_filters``) behind every FilterSet and every page
that takes ``?region=`` or ``?country=``: the same spellings find the same entry, and an unknown one is the same
400 with the same translated message everywhere (never an empty 200, never a 500)."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from rest_framework.test import APIClient

from config.api_urls import router
from review.roles import Role
from statistics.models import Country, Region
from statistics.reference_filters import EntityFilter
from statistics.tests.factories import CountryFactory, RegionFactory

from .factories import person

REGION_SPELLINGS = ["110000", "北京", "北京市", "Beijing", "beijing", "BEIJING", "北　京", " 北 京 ", "ｂｅｉｊｉｎｇ"]
COUNTRY_SPELLINGS = ["ZQ", "zq", "测试国", "测 试 国", "Testland", "TESTLAND"]
UNKNOWN = ["nowhere", "%", "北京省%", "'; drop table x; --"]
REGION_MESSAGE = "没有代码或名称为“{}”的地区。"  # the Chinese entry of the message, written out here on purpose
COUNTRY_MESSAGE = "没有代码或名称为“{}”的国家或地区。"


def filtered_lists():
    """Every API list whose FilterSet takes a region or country: (route basename, parameter, model of the entry)."""
    found = []
    for _prefix, viewset, basename in router.registry:
        filterset_class = getattr(viewset, "filterset_class", None)
        if filterset_class is None:
            continue
        for name, declared in filterset_class.base_filters.items():
            if isinstance(declared, EntityFilter):
                found.append((basename, name, declared.extra["model"]))
    return found


FILTERED = filtered_lists()
REGION_LISTS = [entry for entry in FILTERED if entry[2] is Region]
COUNTRY_LISTS = [entry for entry in FILTERED if entry[2] is Country]


def target_model(model, path: str):
    """The model a filter's ``field_name`` (``annual_return__region``) ends on, or None if it is not a relation."""
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except Exception:
            return None
        if not field.is_relation:
            return None
        model = field.related_model
    return model


def test_every_region_or_country_parameter_is_the_one_filter():
    """A FilterSet parameter on a region or country written another way (a CharFilter with its own lookup, a
    ModelChoiceFilter by id) fails here."""
    for _prefix, viewset, basename in router.registry:
        filterset_class = getattr(viewset, "filterset_class", None)
        if filterset_class is None or filterset_class._meta.model is None:
            continue
        for name, declared in filterset_class.base_filters.items():
            field_name = declared.field_name or name
            if name in ("region", "country") or target_model(filterset_class._meta.model, field_name) in (
                Region,
                Country,
            ):
                assert isinstance(declared, EntityFilter), f"{basename}: ?{name}= is not the one region/country filter"
    assert len(REGION_LISTS) >= 15 and len(COUNTRY_LISTS) >= 5


@pytest.fixture
def beijing(db):
    return Region.objects.filter(code="110000").first() or RegionFactory(
        code="110000", name_zh="北京", full_name_zh="北京市", name_en="Beijing"
    )


@pytest.fixture
def testland(db):
    return CountryFactory(code="ZQ", alpha2="ZQ", name_zh="测试国", name_en="Testland")


@pytest.fixture
def headquarters(db):
    client = APIClient()
    client.force_authenticate(person(Role.ADMINISTRATOR, is_superuser=True))
    return client


def list_url(basename):
    return reverse(f"api:{basename}-list")


@pytest.mark.parametrize(("basename", "parameter", "model"), REGION_LISTS, ids=[f"{e[0]}?{e[1]}" for e in REGION_LISTS])
def test_every_spelling_finds_the_region(headquarters, beijing, basename, parameter, model):
    """The FilterSet resolves each spelling to 北京 and filters on it: the same rows as filtering on the code."""
    by_code = headquarters.get(list_url(basename), {parameter: "110000", "page_size": 1000})
    for spelling in REGION_SPELLINGS:
        response = headquarters.get(list_url(basename), {parameter: spelling, "page_size": 1000})
        assert response.status_code == 200, (spelling, response.content[:300])
        assert response.json() == by_code.json(), spelling


@pytest.mark.parametrize(
    ("basename", "parameter", "model"), COUNTRY_LISTS, ids=[f"{e[0]}?{e[1]}" for e in COUNTRY_LISTS]
)
def test_every_spelling_finds_the_country(headquarters, testland, basename, parameter, model):
    by_code = headquarters.get(list_url(basename), {parameter: "ZQ"})
    for spelling in COUNTRY_SPELLINGS:
        response = headquarters.get(list_url(basename), {parameter: spelling})
        assert response.status_code == 200, (spelling, response.content[:300])
        assert response.json() == by_code.json(), spelling


@pytest.mark.parametrize(("basename", "parameter", "model"), FILTERED, ids=[f"{e[0]}?{e[1]}" for e in FILTERED])
def test_an_unknown_name_is_the_same_400_everywhere(headquarters, db, basename, parameter, model):
    for term in UNKNOWN:
        response = headquarters.get(list_url(basename), {parameter: term})
        assert response.status_code == 400, (term, response.content[:300])
        message = (REGION_MESSAGE if model is Region else COUNTRY_MESSAGE).format(term)
        assert response.json() == {parameter: [message]}


@pytest.mark.parametrize(("basename", "parameter", "model"), FILTERED, ids=[f"{e[0]}?{e[1]}" for e in FILTERED])
@pytest.mark.parametrize("role", [Role.OFFICER, Role.REVIEWER])
def test_an_unknown_name_is_a_400_page_in_the_browsable_api(beijing, role, basename, parameter, model):
    """The browsable API renders a form for whoever may write, and building it must not filter again (a refused
    filter raised while the page rendered: a server error for a signed-in officer, found by hand)."""
    client = APIClient()
    client.force_login(person(role, region=beijing if role == Role.OFFICER else None))
    response = client.get(list_url(basename), {parameter: "%"}, HTTP_ACCEPT="text/html")
    if response.status_code == 403:  # a list the role may not read at all (officers: the region assignments)
        assert role == Role.OFFICER and basename == "region-assignment", basename
        return
    assert response.status_code == 400, response.content[:300]
    message = (REGION_MESSAGE if model is Region else COUNTRY_MESSAGE).format("%")
    assert escape(message) in response.content.decode()


def test_the_filter_finds_the_regions_records(headquarters, beijing):
    """Not only the same answer as the code: 北京's record is in it, another region's is not (a reviewed list)."""
    from .factories import WorkSummaryFactory

    mine, other = WorkSummaryFactory(region=beijing), WorkSummaryFactory()
    for spelling in REGION_SPELLINGS:
        rows = headquarters.get(list_url("work-summary"), {"region": spelling, "page_size": 1000}).json()["results"]
        found = {row["id"] for row in rows}
        assert mine.pk in found and other.pk not in found, spelling
        assert {row["region"]["code"] for row in rows} == {"110000"}, spelling


# -- pages ---------------------------------------------------------------------------------------------------------

PAGES = [
    ("protection:register", ["centres"], "region"),
    ("protection:register", ["platforms"], "region"),
    ("protection:register", ["platforms"], "host_country"),
    ("protection:register", ["workstations"], "region"),
    ("protection:register", ["workstations"], "host_country"),
    ("localwork:search", [], "region"),
]


@pytest.mark.parametrize(("name", "args", "parameter"), PAGES, ids=[f"{p[0]}{p[1]}?{p[2]}" for p in PAGES])
def test_pages_take_every_spelling_and_refuse_an_unknown_one(client, beijing, testland, name, args, parameter):
    url = reverse(name, args=args)
    spellings = REGION_SPELLINGS if parameter == "region" else COUNTRY_SPELLINGS
    for spelling in spellings:
        assert client.get(url, {"q": "专利", parameter: spelling}).status_code == 200, spelling
    for term in UNKNOWN:
        response = client.get(url, {"q": "专利", parameter: term})
        assert response.status_code == 400, term
        message = (REGION_MESSAGE if parameter == "region" else COUNTRY_MESSAGE).format(term)
        assert escape(message) in response.content.decode(), term


def test_the_search_api_takes_every_spelling_and_refuses_an_unknown_one(client, beijing):
    url = reverse("api:work-summary-search-list")
    for spelling in REGION_SPELLINGS:
        assert client.get(url, {"q": "专利", "region": spelling}).status_code == 200, spelling
    for term in UNKNOWN:
        response = client.get(url, {"q": "专利", "region": term})
        assert response.status_code == 400
        assert response.json() == {"region": [REGION_MESSAGE.format(term)]}
