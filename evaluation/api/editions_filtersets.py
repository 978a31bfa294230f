"""FilterSets of the editions and their computed scores (one per model), for the API.

``?edition=`` names an edition by id; without it the score lists hold the latest published edition's scores, so
that ``/api/v1/index-scores/?year=2025`` answers like the public page. ``?region=`` takes any spelling of a region
(``statistics.reference_filters``); ``?component=composite`` (or 综合指数) the composite, a number the first-level
group's id.
"""

import django_filters as filters
from django.db.models import Q

from core.filters import BooleanFilter, FilterSet
from statistics.reference_filters import region_filter

from ..models import Edition, EditionAggregate, EditionIndicatorScore, EditionScore

COMPOSITE_WORDS = ("composite", "综合指数", "综合得分")


def filter_component(queryset, name, value):
    if value in COMPOSITE_WORDS:
        return queryset.filter(component=None)
    if value.isdigit():
        return queryset.filter(component_id=int(value))
    return queryset.filter(Q(component__name_zh=value) | Q(component__subindex_name_zh=value))


class EditionFilterSet(FilterSet):
    year = filters.NumberFilter()
    state = filters.CharFilter()
    uses_demo_data = BooleanFilter()

    class Meta:
        model = Edition
        fields = ["year", "state", "uses_demo_data"]


class EditionScoreFilterSet(FilterSet):
    edition = filters.NumberFilter(field_name="edition_id")
    year = filters.NumberFilter()
    region = region_filter()
    component = filters.CharFilter(method=filter_component)
    unstable = BooleanFilter()

    class Meta:
        model = EditionScore
        fields = ["edition", "year", "region", "component", "unstable"]


class EditionIndicatorScoreFilterSet(FilterSet):
    edition = filters.NumberFilter(field_name="edition_id")
    year = filters.NumberFilter()
    region = region_filter()
    number = filters.NumberFilter(field_name="indicator__number")
    code = filters.CharFilter(field_name="indicator__catalogue_indicator__code")
    flag = filters.NumberFilter()

    class Meta:
        model = EditionIndicatorScore
        fields = ["edition", "year", "region", "number", "code", "flag"]


class EditionAggregateFilterSet(FilterSet):
    edition = filters.NumberFilter(field_name="edition_id")
    year = filters.NumberFilter()
    scope = filters.CharFilter(field_name="scope__name_zh")
    component = filters.CharFilter(method=filter_component)

    class Meta:
        model = EditionAggregate
        fields = ["edition", "year", "scope", "component"]


__all__ = [
    "EditionAggregateFilterSet",
    "EditionFilterSet",
    "EditionIndicatorScoreFilterSet",
    "EditionScoreFilterSet",
]
