"""One FilterSet per model of the statistics app, shared by the API and the pages that list the same data.

A region or country is named the way people name it: ``?region=110000``, ``?region=北京``, ``?region=Beijing``
and ``?country=US``, ``?country=美国`` all work, through the same lookup the importers use
(``Region.objects.lookup``). A name that matches nothing is refused with a message that says so (HTTP 400 in the
API), rather than quietly giving an empty list that looks like "no figures".
"""

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import models


class EntityField(forms.CharField):
    """A region or country typed as a code or a name, cleaned into the model instance."""

    def __init__(self, *args, model=None, not_found=None, **kwargs):
        self.model = model
        self.not_found = not_found
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        exact = Q()
        for field in self.model.objects.none().lookup_fields:
            exact |= Q(**{field: value.strip()})
        found = self.model.objects.filter(exact).first()  # the usual case: one indexed query
        if found is not None:
            return found
        try:  # full-width characters, inner spaces, other letter case: the importers' normalising lookup
            return self.model.objects.lookup(value)
        except self.model.DoesNotExist:
            # The typed text goes in as a parameter, never into the message itself: django-filter formats every
            # message with its params once more, and a "%" in the text would then break it (HTTP 500).
            raise ValidationError(self.not_found, code="not_found", params={"term": value}) from None


class EntityFilter(filters.Filter):
    """Filters on a region or country given by code or name (one lookup query, whatever the page size)."""

    field_class = EntityField


def region_filter(field_name="region", label=None):
    return EntityFilter(
        field_name=field_name,
        label=label or _("region (code or name)"),
        model=models.Region,
        not_found=_("No region has the code or name “%(term)s”."),
    )


def country_filter(field_name="country", label=None):
    return EntityFilter(
        field_name=field_name,
        label=label or _("country or territory (code or name)"),
        model=models.Country,
        not_found=_("No country or territory has the code or name “%(term)s”."),
    )


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


# ---------------------------------------------------------------------------------------------------------------
# Reference dimensions
# ---------------------------------------------------------------------------------------------------------------


class RegionFilterSet(filters.FilterSet):
    q = SearchFilter(search_fields=("code", "name_zh", "full_name_zh", "name_en"))
    parent = region_filter("parent", _("province (code or name)"))

    class Meta:
        model = models.Region
        fields = ["level"]


class CountryFilterSet(filters.FilterSet):
    q = SearchFilter(search_fields=("code", "name_zh", "name_en", "alpha3"))

    class Meta:
        model = models.Country
        fields = ["kind"]


# ---------------------------------------------------------------------------------------------------------------
# Appendix figures: year (exact or a range), the entity by code or name, and the measure where rows carry one
# ---------------------------------------------------------------------------------------------------------------

YEAR_LOOKUPS = ["exact", "gte", "lte"]


class RegionFigureFilterSet(filters.FilterSet):
    region = region_filter()
    level = filters.ChoiceFilter(
        field_name="region__level", choices=models.Region.Level.choices, label=_("level of the region")
    )


class CountryFigureFilterSet(filters.FilterSet):
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


class IndicatorGroupFilterSet(filters.FilterSet):
    top_level = filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label=_("first-level groups only"))

    class Meta:
        model = models.IndicatorGroup
        fields = ["framework", "parent"]


class IndicatorFilterSet(filters.FilterSet):
    q = SearchFilter(search_fields=("code", "name_zh", "name_en"))

    class Meta:
        model = models.Indicator
        fields = ["framework", "group", "source", "required"]


class ImportRunFilterSet(filters.FilterSet):
    year = filters.NumberFilter(field_name="started_at", lookup_expr="year", label=_("year started"))

    class Meta:
        model = models.ImportRun
        fields = ["status", "kind"]
