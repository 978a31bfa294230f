"""A filter's own text is never formatted twice: ``%`` and other format characters in any filter of any API list
get an answer (an empty list or a 400 that quotes the text back), never a server error.

The lists and their filters are read from the API's router and each list's FilterSet, so a filter added later is
covered without touching this test. Before the fix, ``?region=%25`` raised "not enough arguments for format string"
in every list with a region or country filter: the refusal's message already held the text, and django-filter
formats every message with its parameters once more.
"""

import pytest
from django import forms
from rest_framework.test import APIClient

from config.api_urls import router
from review.roles import Role, ensure_role_groups
from statistics.tests.factories import UserFactory

FORMAT_TEXTS = ["%", "%s", "%(term)s", "100%", "%d%%", "{0}", "{term}"]


def text_filters():
    """(list URL, filter name) for every text-like filter of every list in the API."""
    found = []
    for prefix, viewset, _basename in router.registry:
        filterset_class = getattr(viewset, "filterset_class", None)
        if filterset_class is None:
            continue
        for name, declared in filterset_class.base_filters.items():
            field_class = getattr(declared, "field_class", None)
            if field_class is not None and issubclass(field_class, forms.CharField):
                found.append((f"/api/v1/{prefix}/", name))
    return found


def test_the_region_and_country_filters_are_among_those_checked():
    names = {name for _url, name in text_filters()}
    assert {"region", "country", "host_country"} <= names


@pytest.fixture
def reviewer(db):
    user = UserFactory()
    user.groups.add(ensure_role_groups()[Role.REVIEWER])
    return user


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "name"), text_filters())
def test_format_characters_in_a_filter_never_give_a_server_error(url, name, reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    for text in FORMAT_TEXTS:
        response = client.get(url, {name: text}, HTTP_ACCEPT="application/json")
        assert response.status_code in (200, 400, 403), (url, name, text, response.status_code)
        if response.status_code == 400:
            assert text in str(response.json()), (url, name, text)  # the message quotes what was typed, once


@pytest.mark.django_db
def test_an_unknown_region_with_a_percent_sign_is_refused_with_its_text():
    response = APIClient().get("/api/v1/region-patent-figures/", {"region": "%"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json() == {"region": ["没有代码或名称为“%”的地区。"]}


@pytest.mark.django_db
def test_an_unknown_country_with_a_percent_sign_is_refused_with_its_text():
    response = APIClient().get("/api/v1/country-patent-figures/", {"country": "%s"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert "“%s”" in response.json()["country"][0]


@pytest.mark.django_db
def test_the_registry_page_shows_the_refusal_of_a_percent_sign(client):
    response = client.get("/protection/", {"region": "%"})
    assert response.status_code == 400
    assert "“%”" in response.content.decode()
