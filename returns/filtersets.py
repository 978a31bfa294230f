"""One FilterSet per model, shared by the API and the pages that list the same data."""

import django_filters
from django.db.models import Q

from review.models import State

from .models import AnnualReturn, IndicatorValue, ReturnPeriod, ValueComment


def filter_region(queryset, name, value):
    """By GB/T code or Chinese or English name."""
    field = name
    return queryset.filter(
        Q(**{f"{field}__code": value}) | Q(**{f"{field}__name_zh": value}) | Q(**{f"{field}__name_en__iexact": value})
    )


class AnnualReturnFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter()
    region = django_filters.CharFilter(field_name="region", method=filter_region)
    state = django_filters.ChoiceFilter(choices=State.choices)

    class Meta:
        model = AnnualReturn
        fields = ["year", "region", "state"]


class IndicatorValueFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="annual_return__year")
    region = django_filters.CharFilter(field_name="annual_return__region", method=filter_region)
    state = django_filters.ChoiceFilter(field_name="annual_return__state", choices=State.choices)
    indicator = django_filters.CharFilter(field_name="indicator__code")

    class Meta:
        model = IndicatorValue
        fields = ["year", "region", "state", "indicator"]


class ReturnPeriodFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter()

    class Meta:
        model = ReturnPeriod
        fields = ["year"]


class ValueCommentFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="annual_return__year")
    region = django_filters.CharFilter(field_name="annual_return__region", method=filter_region)
    state = django_filters.ChoiceFilter(field_name="annual_return__state", choices=State.choices)
    indicator = django_filters.CharFilter(field_name="indicator__code")

    class Meta:
        model = ValueComment
        fields = ["year", "region", "state", "indicator"]
