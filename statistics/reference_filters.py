"""The one region filter and the one country filter, for every FilterSet and every page that takes ``?region=`` or
``?country=``.

A region or country is named the way people name it: its code (``110000``, ``US``), its Chinese name with or
without its suffix (``北京``, ``北京市``), its English name (``Beijing``, which is also the pinyin), in any letter
case, with full-width characters or inner spaces (``北　京``). The lookup is the importers' one
(``Region.objects.lookup``). A name that matches nothing is refused with the same translated message everywhere
(HTTP 400), rather than quietly giving an empty list that looks like "no records".

It lives in ``statistics`` because regions and countries are the statistics app's reference data; the other apps may
import from ``statistics``, never the other way round.
"""

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Country, Region

REGION_NOT_FOUND = _("No region has the code or name “%(term)s”.")
COUNTRY_NOT_FOUND = _("No country or territory has the code or name “%(term)s”.")


def entity(model, value: str):
    """The ``model`` entry (``Region`` or ``Country``) that ``value`` names, or None."""
    exact = Q()
    for field in model.objects.none().lookup_fields:
        exact |= Q(**{field: value.strip()})
    found = model.objects.filter(exact).first()  # the usual case: one indexed query
    if found is not None:
        return found
    try:  # full-width characters, inner spaces, other letter case: the importers' normalising lookup
        return model.objects.lookup(value)
    except model.DoesNotExist:
        return None


def not_found(message, value: str) -> ValidationError:
    # The typed text goes in as a parameter, never into the message itself: django-filter formats every message
    # with its params once more, and a "%" in the text would then break it (HTTP 500).
    return ValidationError(message, code="not_found", params={"term": value})


def find_region(value: str) -> Region:
    """The region ``value`` names, or ``ValidationError`` with the one message (for views without a FilterSet)."""
    found = entity(Region, value)
    if found is None:
        raise not_found(REGION_NOT_FOUND, value)
    return found


def find_country(value: str) -> Country:
    found = entity(Country, value)
    if found is None:
        raise not_found(COUNTRY_NOT_FOUND, value)
    return found


class LookupField(forms.CharField):
    """A value typed as an id, a code or a name, cleaned by ``finder`` into what it names (None: refused with
    ``not_found``). The national figures' filters use it for series, indicators and chapters."""

    def __init__(self, *args, finder=None, not_found=None, **kwargs):
        self.finder = finder
        self.not_found = not_found
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        found = self.finder(value.strip())
        if found is None:
            raise not_found(self.not_found, value)
        return found


class EntityField(LookupField):
    """A region or country typed as a code or a name, cleaned into the model instance."""

    def __init__(self, *args, model=None, **kwargs):
        self.model = model
        super().__init__(*args, finder=lambda value: entity(model, value), **kwargs)


def region_field(**kwargs) -> EntityField:
    """The form field of a page's region parameter (its widget may be a select of codes)."""
    kwargs.setdefault("label", _("region (code or name)"))
    return EntityField(model=Region, not_found=REGION_NOT_FOUND, **kwargs)


class EntityFilter(filters.Filter):
    """Filters on a region or country given by code or name (one lookup query, whatever the page size)."""

    field_class = EntityField


def region_filter(field_name="region", label=None):
    return EntityFilter(
        field_name=field_name,
        label=label or _("region (code or name)"),
        model=Region,
        not_found=REGION_NOT_FOUND,
    )


def country_filter(field_name="country", label=None):
    return EntityFilter(
        field_name=field_name,
        label=label or _("country or territory (code or name)"),
        model=Country,
        not_found=COUNTRY_NOT_FOUND,
    )
