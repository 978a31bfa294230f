"""Filters every app's FilterSets share and that know nothing of regions or countries."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SearchFilter(filters.CharFilter):
    """A case-insensitive "contains" over several name and code fields."""

    def __init__(self, *args, search_fields=(), **kwargs):
        self.search_fields = search_fields
        kwargs.setdefault("label", _("search names and codes"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value.strip()})
        return qs.filter(condition)
