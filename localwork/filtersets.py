"""One FilterSet per model, shared by the API and the pages. A region is given by any of its names or its code."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from review.models import State

from .models import TypicalCase, WorkSummary


def filter_region(queryset, name, value):
    value = (value or "").strip()
    if not value:
        return queryset
    return queryset.filter(
        Q(region__code=value) | Q(region__name_zh=value) | Q(region__full_name_zh=value) | Q(region__name_en=value)
    )


class WorkSummaryFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("year"))
    region = django_filters.CharFilter(label=_("region (name or code)"), method=filter_region)
    state = django_filters.ChoiceFilter(label=_("state"), choices=State.choices)

    class Meta:
        model = WorkSummary
        fields = ["year", "region", "state"]


class TypicalCaseFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("year of publication"))
    batch = django_filters.NumberFilter(label=_("batch"))
    region = django_filters.CharFilter(label=_("region (name or code)"), method=filter_region)

    class Meta:
        model = TypicalCase
        fields = ["year", "batch", "region"]
