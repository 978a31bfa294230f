"""One FilterSet per registry model, shared by the API and the public registry pages.

Regions and countries are named as people name them (``?region=北京``, ``?region=110000``, ``?host_country=RU``),
through the statistics app's lookup filters. ``?operating_in=2025`` keeps the entries operating at the end of 2025,
by the same rule as the counts (``lifecycle.operating_at_end_of``).
"""

import django_filters as filters
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet, SearchFilter
from statistics.reference_filters import country_filter, region_filter

from . import lifecycle, models


class LabelledFilterSet(FilterSet):
    """Filters generated from ``Meta.fields`` are labelled with their model field's verbose name, kept lazy: the
    label is translated when the form is shown, in the reader's language, never frozen in the language that
    happened to be active when it was first computed (the registry once said "Kind / Level / Status" in Chinese)."""

    @classmethod
    def filter_for_field(cls, field, field_name, lookup_expr=None):
        generated = super().filter_for_field(field, field_name, lookup_expr)
        if generated is not None and generated._label is None and getattr(field, "verbose_name", None):
            generated.label = capfirst(field.verbose_name)
        return generated


class OperatingInFilter(filters.NumberFilter):
    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(lifecycle.operating_at_end_of(int(value), qs.model.start_field))


class EntryFilterSet(LabelledFilterSet):
    q = SearchFilter(search_fields=("name",), label=_("search names"))
    region = region_filter()
    operating_in = OperatingInFilter(label=_("operating at the end of year"))


class CityFilterSet(LabelledFilterSet):
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


class CentreFiguresFilterSet(LabelledFilterSet):
    region = region_filter("centre__region")

    class Meta:
        model = models.CentreFigures
        fields = ["year", "centre"]


class PlatformFiguresFilterSet(LabelledFilterSet):
    region = region_filter("platform__region")

    class Meta:
        model = models.PlatformFigures
        fields = ["year", "platform"]


class ProvincialCountFilterSet(LabelledFilterSet):
    region = region_filter()

    class Meta:
        model = models.ProvincialCount
        fields = ["year", "register", "kind", "level", "status", "exact"]


class PublishedTotalFilterSet(LabelledFilterSet):
    class Meta:
        model = models.PublishedTotal
        fields = ["year", "measure", "document"]


class RegistryChangeFilterSet(LabelledFilterSet):
    region = region_filter()

    class Meta:
        model = models.RegistryChange
        fields = ["state", "target_type", "target_id"]
