"""One FilterSet per model of the review app, for its API lists."""

import django_filters
from django.db.models import Q

from .models import Action, RegionAssignment, ReviewEvent, State


class ReviewEventFilterSet(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(choices=Action.choices)
    state = django_filters.ChoiceFilter(field_name="to_state", choices=State.choices)
    kind = django_filters.CharFilter(
        field_name="content_type__model", help_text="the reviewed model, e.g. annualreturn"
    )
    object_id = django_filters.NumberFilter()

    class Meta:
        model = ReviewEvent
        fields = ["action", "state", "kind", "object_id"]


class RegionAssignmentFilterSet(django_filters.FilterSet):
    region = django_filters.CharFilter(method="filter_region", help_text="region code or Chinese name")

    class Meta:
        model = RegionAssignment
        fields = ["region"]

    def filter_region(self, queryset, name, value):
        return queryset.filter(Q(region__code=value) | Q(region__name_zh=value))
