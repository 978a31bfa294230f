"""Filters every app's FilterSets share and that know nothing of regions or countries."""

import django_filters as filters
from django import forms
from django.db import models
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


TRUE_TEXTS = frozenset({"true", "1", "yes", "on"})
FALSE_TEXTS = frozenset({"false", "0", "no", "off"})


class StrictNullBooleanField(forms.NullBooleanField):
    """Django's field (and its widget, before it) read any text they do not know as "no filter", so ``?closed=abc``
    listed every row as if the filter had not been given; here it is refused (400) with the parameter's name, as
    other bad filters are. The widget hands the text over as it came."""

    def __init__(self, *args, **kwargs):
        kwargs["widget"] = forms.Select(choices=[("", "---------"), ("true", _("Yes")), ("false", _("No"))])
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in (None, "") or isinstance(value, bool):
            return value if isinstance(value, bool) else None
        text = str(value).strip().lower()
        if text in TRUE_TEXTS:
            return True
        if text in FALSE_TEXTS:
            return False
        raise forms.ValidationError(_("Enter true or false."), code="invalid")


class BooleanFilter(filters.BooleanFilter):
    """``true``/``false`` (also 1/0, yes/no, on/off, in any case); anything else is refused."""

    field_class = StrictNullBooleanField


class FilterSet(filters.FilterSet):
    """The base of every FilterSet of the project: a model's yes/no field filtered by name (``Meta.fields``) gets the
    strict ``BooleanFilter`` too, not django-filter's lenient one."""

    FILTER_DEFAULTS = {**filters.FilterSet.FILTER_DEFAULTS, models.BooleanField: {"filter_class": BooleanFilter}}
