"""One FilterSet per model, shared by the API and the pages. A region is given by any of its names or its code
(``statistics.reference_filters``)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from review.models import State
from statistics.reference_filters import region_filter

from .models import TypicalCase, WorkSummary


class WorkSummaryFilterSet(FilterSet):
    year = django_filters.NumberFilter(label=_("year"))
    region = region_filter()
    state = django_filters.ChoiceFilter(label=_("state"), choices=State.choices)

    class Meta:
        model = WorkSummary
        fields = ["year", "region", "state"]


class TypicalCaseFilterSet(FilterSet):
    year = django_filters.NumberFilter(label=_("year of publication"))
    batch = django_filters.NumberFilter(label=_("batch"))
    region = region_filter()

    class Meta:
        model = TypicalCase
        fields = ["year", "batch", "region"]
