"""One FilterSet per model of the statistics app, shared by the API and the pages that list the same data.

A region or country is named the way people name it (``?region=110000``, ``北京``, ``Beijing``; ``?country=US``,
``美国``), through the one region and country filter of ``reference_filters``; an unknown one is a 400.
"""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from core.filters import BooleanFilter, FilterSet, SearchFilter

from . import models
from .reference_filters import country_filter, region_filter

# ---------------------------------------------------------------------------------------------------------------
# Reference dimensions
# ---------------------------------------------------------------------------------------------------------------


class RegionFilterSet(FilterSet):
    q = SearchFilter(search_fields=("code", "name_zh", "full_name_zh", "name_en"))
    parent = region_filter("parent", _("province (code or name)"))

    class Meta:
        model = models.Region
        fields = ["level"]


class CountryFilterSet(FilterSet):
    q = SearchFilter(search_fields=("code", "name_zh", "name_en", "alpha3"))

    class Meta:
        model = models.Country
        fields = ["kind"]


# ---------------------------------------------------------------------------------------------------------------
# Appendix figures: year (exact or a range), the entity by code or name, and the measure where rows carry one
# ---------------------------------------------------------------------------------------------------------------

YEAR_LOOKUPS = ["exact", "gte", "lte"]


class RegionFigureFilterSet(FilterSet):
    region = region_filter()
    level = filters.ChoiceFilter(
        field_name="region__level", choices=models.Region.Level.choices, label=_("level of the region")
    )


class CountryFigureFilterSet(FilterSet):
    country = country_filter()
    country_kind = filters.ChoiceFilter(
        field_name="country__kind", choices=models.Country.Kind.choices, label=_("kind of the country entry")
    )


class RegionPatentFigureFilterSet(RegionFigureFilterSet):
    class Meta:
        model = models.RegionPatentFigure
        fields = {"year": YEAR_LOOKUPS, "measure": ["exact"]}


class CountryPatentFigureFilterSet(CountryFigureFilterSet):
    class Meta:
        model = models.CountryPatentFigure
        fields = {"year": YEAR_LOOKUPS, "measure": ["exact"]}


class RegionTrademarkFigureFilterSet(RegionFigureFilterSet):
    class Meta:
        model = models.RegionTrademarkFigure
        fields = {"year": YEAR_LOOKUPS}


class CountryTrademarkFigureFilterSet(CountryFigureFilterSet):
    class Meta:
        model = models.CountryTrademarkFigure
        fields = {"year": YEAR_LOOKUPS}


class RegionCountFigureFilterSet(RegionFigureFilterSet):
    class Meta:
        model = models.RegionCountFigure
        fields = {"year": YEAR_LOOKUPS, "measure": ["exact"]}


class CountryCountFigureFilterSet(CountryFigureFilterSet):
    class Meta:
        model = models.CountryCountFigure
        fields = {"year": YEAR_LOOKUPS, "measure": ["exact"]}


# ---------------------------------------------------------------------------------------------------------------
# Indicator catalogue and import runs
# ---------------------------------------------------------------------------------------------------------------


class IndicatorGroupFilterSet(FilterSet):
    top_level = BooleanFilter(field_name="parent", lookup_expr="isnull", label=_("first-level groups only"))

    class Meta:
        model = models.IndicatorGroup
        fields = ["framework", "parent"]


class IndicatorFilterSet(FilterSet):
    q = SearchFilter(search_fields=("code", "name_zh", "name_en"))

    class Meta:
        model = models.Indicator
        fields = ["framework", "group", "source", "required"]


class ImportRunFilterSet(FilterSet):
    year = filters.NumberFilter(field_name="started_at", lookup_expr="year", label=_("year started"))

    class Meta:
        model = models.ImportRun
        fields = ["status", "kind"]
