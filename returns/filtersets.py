"""One FilterSet per model, shared by the API and the pages that list the same data."""

import django_filters

from core.filters import BooleanFilter, FilterSet
from review.models import State
from statistics.reference_filters import region_filter

from .models import AnnualReturn, IndicatorValue, ReturnPeriod, ValueComment


class AnnualReturnFilterSet(FilterSet):
    year = django_filters.NumberFilter()
    region = region_filter()
    state = django_filters.ChoiceFilter(choices=State.choices)

    class Meta:
        model = AnnualReturn
        fields = ["year", "region", "state"]


class IndicatorValueFilterSet(FilterSet):
    year = django_filters.NumberFilter(field_name="annual_return__year")
    region = region_filter("annual_return__region")
    state = django_filters.ChoiceFilter(field_name="annual_return__state", choices=State.choices)
    indicator = django_filters.CharFilter(field_name="indicator__code")

    class Meta:
        model = IndicatorValue
        fields = ["year", "region", "state", "indicator"]


class ReturnPeriodFilterSet(FilterSet):
    year = django_filters.NumberFilter()
    closed = BooleanFilter()

    class Meta:
        model = ReturnPeriod
        fields = ["year", "closed"]


class ValueCommentFilterSet(FilterSet):
    year = django_filters.NumberFilter(field_name="annual_return__year")
    region = region_filter("annual_return__region")
    state = django_filters.ChoiceFilter(field_name="annual_return__state", choices=State.choices)
    indicator = django_filters.CharFilter(field_name="indicator__code")

    class Meta:
        model = ValueComment
        fields = ["year", "region", "state", "indicator"]
