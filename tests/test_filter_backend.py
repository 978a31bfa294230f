"""The API's filter backend builds each FilterSet's filters and form class once (``core/filter_backend.py``).

It must answer as django-filter's own backend does: the same rows, the same 400 messages, the form class per
language; a filter with a ``method`` gets its own copy; a filter whose choices depend on the request keeps
django-filter's path.
"""

import django_filters
import pytest
from django.utils import translation
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.test import APIClient, APIRequestFactory

from core.filter_backend import FilterBackend, prepared
from review.filtersets import ReviewEventFilterSet
from statistics import filtersets, models
from statistics.tests import factories


class View:
    filterset_class = filtersets.RegionTrademarkFigureFilterSet


def filtered(backend, params):
    from rest_framework.request import Request

    request = Request(APIRequestFactory().get("/", params))
    queryset = models.RegionTrademarkFigure.objects.all()
    return backend.get_filterset(request, queryset, View())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{"year": "2031"}, {"year__gte": "2031", "level": "province"}, {"year": "x"}, {"region": "no such place"}, {}],
)
def test_the_backend_answers_as_django_filter_does(params):
    one = factories.RegionFactory()
    factories.RegionTrademarkFigureFactory(region=one, year=2031)
    factories.RegionTrademarkFigureFactory(year=2032)
    for language in ("zh-hans", "en"):
        with translation.override(language):
            ours, theirs = filtered(FilterBackend(), params), filtered(DjangoFilterBackend(), params)
            assert ours.is_valid() == theirs.is_valid()
            assert ours.errors == theirs.errors
            if theirs.is_valid():
                assert list(ours.qs.values_list("pk", flat=True)) == list(theirs.qs.values_list("pk", flat=True))


@pytest.mark.django_db
def test_the_form_class_is_made_once_per_language_and_its_forms_keep_their_own_field_dicts():
    forms, labels = {}, {}
    for language in ("en", "zh-hans", "en"):
        with translation.override(language):
            filterset = filtered(FilterBackend(), {"year": "2031"})
            forms.setdefault(language, []).append(filterset.form)
            labels.setdefault(language, set()).update(str(field.label) for field in filterset.form.fields.values())
            with_django_filter = filtered(DjangoFilterBackend(), {"year": "2031"}).form.fields.values()
            assert labels[language] == {str(field.label) for field in with_django_filter}
    first, again = forms["en"]
    assert type(first) is type(again)
    assert type(first) is not type(forms["zh-hans"][0])
    assert first.fields is not again.fields
    assert labels["en"] != labels["zh-hans"]


def test_each_filterset_gets_its_own_filters():
    one, other = filtered(FilterBackend(), {}), filtered(FilterBackend(), {})
    assert isinstance(one, filtersets.RegionTrademarkFigureFilterSet)
    assert one.filters["year"] is not other.filters["year"]
    assert one.filters["year"].parent is one and other.filters["year"].parent is other
    assert "year" in filtersets.RegionTrademarkFigureFilterSet.base_filters


def test_a_filter_with_a_method_is_copied_with_its_method():
    class WithMethod(django_filters.FilterSet):
        odd = django_filters.BooleanFilter(method="only_odd")

        class Meta:
            model = models.Region
            fields = ["level"]

        def only_odd(self, queryset, name, value):
            return queryset

    filterset = prepared(WithMethod)(data={"odd": "true"}, queryset=models.Region.objects.none())
    assert filterset.filters["odd"] is not WithMethod.base_filters["odd"]
    assert filterset.filters["odd"].method == "only_odd"
    assert filterset.filters["odd"].filter.method.__self__ is filterset


def test_a_filterset_whose_choices_depend_on_the_request_keeps_django_filters_path():
    with_request_choices = [
        cls
        for cls in (ReviewEventFilterSet, filtersets.IndicatorFilterSet)
        if any(isinstance(f, django_filters.filters.QuerySetRequestMixin) for f in cls.base_filters.values())
    ]
    assert with_request_choices, "a FilterSet with a model-choice filter"
    for cls in with_request_choices:
        assert prepared(cls) is cls
    assert prepared(filtersets.RegionTrademarkFigureFilterSet) is not filtersets.RegionTrademarkFigureFilterSet


@pytest.mark.django_db
def test_an_unknown_region_is_refused_in_the_users_language_over_the_api(settings):
    settings.STATISTICS_RESPONSE_CACHE = False
    english_reader = APIClient()
    english_reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = english_reader.get("/api/v1/region-trademark-figures/", {"region": "Atlantis"})
    chinese = APIClient().get("/api/v1/region-trademark-figures/", {"region": "Atlantis"})
    assert english.status_code == chinese.status_code == 400
    assert "Atlantis" in english.json()["region"][0] and "Atlantis" in chinese.json()["region"][0]
    assert english.json() != chinese.json()
