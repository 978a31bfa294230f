"""The filters of the national figures, shared by the API and the pages.

Like the appendix filters (``filtersets.py``), a name that matches nothing is refused with a message (HTTP 400),
rather than answered with an empty list that looks like "no figures": ``?series=`` takes a series' id or its name as
printed, ``?indicator=`` a 表 3 code (N26) or printed number (26), ``?chapter=`` a chapter's title as printed.
"""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet, SearchFilter

from .models import Indicator
from .models.indicators import Framework
from .models.national import Document, NationalFigure, NationalSeries
from .reference_filters import LookupField

YEAR_LOOKUPS = ["exact", "gte", "lte"]


class LookupFilter(filters.Filter):
    field_class = LookupField


def find_series(term: str):
    if term.isdigit():
        found = NationalSeries.objects.filter(pk=int(term)).first()
        if found is not None:
            return [found.pk]
    ids = list(NationalSeries.objects.filter(name_zh=term).values_list("pk", flat=True))
    return ids or None


def find_indicator(term: str):
    queryset = Indicator.objects.filter(framework=Framework.NATIONAL)
    found = queryset.filter(code__iexact=term).first()
    if found is None and term.isdigit():
        found = queryset.filter(number=int(term)).first()
    return found


def find_chapter(term: str):
    return term if NationalFigure.objects.filter(chapter=term).exists() else None


class NationalFigureFilterSet(FilterSet):
    series = LookupFilter(
        field_name="series_id",
        lookup_expr="in",
        label=_("series (id or name as printed)"),
        finder=find_series,
        not_found=_("No national series has the id or name “%(term)s”."),
    )
    indicator = LookupFilter(
        field_name="series__indicator",
        label=_("表 3 indicator (code or number)"),
        finder=find_indicator,
        not_found=_("No 表 3 indicator has the code or number “%(term)s”."),
    )
    chapter = LookupFilter(
        field_name="chapter",
        label=_("chapter (title as printed)"),
        finder=find_chapter,
        not_found=_("No chapter titled “%(term)s” prints national figures."),
    )
    document = filters.ChoiceFilter(choices=Document.choices, label=_("document"))
    q = SearchFilter(search_fields=("series__name_zh", "source_text"))

    class Meta:
        model = NationalFigure
        fields = {"year": YEAR_LOOKUPS}
