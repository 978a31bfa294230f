"""One FilterSet per registry model, shared by the API and the public registry pages.

Regions and countries are named as people name them (``?region=北京``, ``?region=110000``, ``?host_country=RU``),
through the statistics app's lookup filters. ``?operating_in=2025`` keeps the entries operating at the end of 2025,
by the same rule as the counts (``lifecycle.operating_at_end_of``).
"""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from statistics.filtersets import SearchFilter, country_filter, region_filter

from . import lifecycle, models


class OperatingInFilter(filters.NumberFilter):
    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(lifecycle.operating_at_end_of(int(value), qs.model.start_field))


class EntryFilterSet(filters.FilterSet):
    q = SearchFilter(search_fields=("name",), label=_("search names"))
    region = region_filter()
    operating_in = OperatingInFilter(label=_("operating at the end of year"))


class CityFilterSet(filters.FilterSet):
    q = SearchFilter(search_fields=("name",), label=_("search names"))
    region = region_filter()

    class Meta:
        model = models.City
        fields = []


class CentreFilterSet(EntryFilterSet):
    city = filters.CharFilter(field_name="city__name", label=_("city"))

    class Meta:
        model = models.Centre
        fields = ["kind", "level", "status", "pre_examination", "remote_hearing", "rapid_protection"]


class PlatformFilterSet(EntryFilterSet):
    host_country = country_filter("host_country", _("host country (code or name)"))

    class Meta:
        model = models.Platform
        fields = ["kind", "status", "established_year"]


class WorkstationFilterSet(EntryFilterSet):
    host_country = country_filter("host_country", _("host country (code or name)"))

    class Meta:
        model = models.Workstation
        fields = ["kind", "status", "established_year", "parent_platform"]


class CentreFiguresFilterSet(filters.FilterSet):
    region = region_filter("centre__region")

    class Meta:
        model = models.CentreFigures
        fields = ["year", "centre"]


class PlatformFiguresFilterSet(filters.FilterSet):
    region = region_filter("platform__region")

    class Meta:
        model = models.PlatformFigures
        fields = ["year", "platform"]


class ProvincialCountFilterSet(filters.FilterSet):
    region = region_filter()

    class Meta:
        model = models.ProvincialCount
        fields = ["year", "register", "kind", "level", "status", "exact"]


class PublishedTotalFilterSet(filters.FilterSet):
    class Meta:
        model = models.PublishedTotal
        fields = ["year", "measure", "document"]


class RegistryChangeFilterSet(filters.FilterSet):
    region = region_filter()

    class Meta:
        model = models.RegistryChange
        fields = ["state", "target_type", "target_id"]
