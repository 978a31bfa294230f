"""One FilterSet per model of the review app, for its API lists."""

import django_filters

from core.filters import FilterSet
from statistics.reference_filters import region_filter

from .models import Action, RegionAssignment, ReviewEvent, State


class ReviewEventFilterSet(FilterSet):
    action = django_filters.ChoiceFilter(choices=Action.choices)
    state = django_filters.ChoiceFilter(field_name="to_state", choices=State.choices)
    kind = django_filters.CharFilter(
        field_name="content_type__model", help_text="the reviewed model, e.g. annualreturn"
    )
    object_id = django_filters.NumberFilter()

    class Meta:
        model = ReviewEvent
        fields = ["action", "state", "kind", "object_id"]


class RegionAssignmentFilterSet(FilterSet):
    region = region_filter()

    class Meta:
        model = RegionAssignment
        fields = ["region"]
