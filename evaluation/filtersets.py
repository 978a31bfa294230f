"""One FilterSet per model of the evaluation app, shared by the API and the pages.

Results are filtered the way the report names things: ``?index=regional`` (or 地区知识产权发展指数),
``?component=composite`` (or 综合指数) or a sub-index by its group or printed sub-index name (市场运行,
地区知识产权市场运行指数), ``?scope=东部`` or a scope kind (``?scope_kind=strategic_region``). A name that matches
nothing is refused with a message (HTTP 400), rather than quietly giving an empty list that looks like "no results".
"""

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import BooleanFilter, FilterSet, SearchFilter

from .models import (
    COMPOSITE_NAME_ZH,
    INDEX_NAMES_ZH,
    FrameworkGroup,
    FrameworkIndicator,
    IndexKind,
    Membership,
    PublishedResult,
    Scope,
    ScopeKind,
)

YEAR_LOOKUPS = ["exact", "gte", "lte"]
COMPOSITE_WORDS = ("composite", COMPOSITE_NAME_ZH, "综合得分")


class IndexField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        value = value.strip()
        for kind in IndexKind:
            if value in (kind.value, INDEX_NAMES_ZH[kind]):
                return kind.value
        raise ValidationError(
            _("No index is called “%(term)s”: use national, regional or the index's Chinese name."),
            params={"term": value},
            code="not_found",
        )


class IndexFilter(filters.Filter):
    field_class = IndexField


class ComponentField(forms.CharField):
    """ "composite", or a first-level group by its name or its sub-index's printed name; cleaned to a Q."""

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        value = value.strip()
        if value in COMPOSITE_WORDS:
            return Q(component=None)
        groups = FrameworkGroup.objects.filter(parent=None).filter(Q(name_zh=value) | Q(subindex_name_zh=value))
        ids = list(groups.values_list("pk", flat=True))
        if not ids:
            raise ValidationError(
                _("No sub-index is called “%(term)s”: use composite or a first-level group's name."),
                params={"term": value},
                code="not_found",
            )
        return Q(component__in=ids)


class ComponentFilter(filters.Filter):
    field_class = ComponentField

    def filter(self, qs, value):
        return qs if value is None else qs.filter(value)


class ScopeField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        scope = Scope.objects.filter(Q(name_zh=value.strip()) | Q(region__code=value.strip())).first()
        if scope is None:
            raise ValidationError(
                _("No result scope is called “%(term)s”."), params={"term": value.strip()}, code="not_found"
            )
        return scope


class ScopeFilter(filters.Filter):
    field_class = ScopeField


class PublishedResultFilterSet(FilterSet):
    index = IndexFilter(field_name="index", label=_("index (national, regional or its Chinese name)"))
    component = ComponentFilter(label=_("component (composite or a first-level group)"))
    scope = ScopeFilter(field_name="scope", label=_("scope (its Chinese name, or a province's code)"))
    scope_kind = filters.ChoiceFilter(field_name="scope__kind", choices=ScopeKind.choices, label=_("kind of scope"))

    class Meta:
        model = PublishedResult
        fields = {"year": YEAR_LOOKUPS, "measure": ["exact"], "status": ["exact"]}


class FrameworkGroupFilterSet(FilterSet):
    q = SearchFilter(search_fields=("name_zh", "name_en", "subindex_name_zh"))
    level = filters.ChoiceFilter(
        method="filter_level", choices=((1, _("first level")), (2, _("second level"))), label=_("level")
    )

    class Meta:
        model = FrameworkGroup
        fields = ["framework", "parent", "count_basis", "range_basis"]

    def filter_level(self, qs, name, value):
        return qs.filter(parent__isnull=str(value) == "1")


class FrameworkIndicatorFilterSet(FilterSet):
    q = SearchFilter(search_fields=("catalogue_indicator__name_zh", "catalogue_indicator__code"))
    placeholder = BooleanFilter(
        field_name="catalogue_indicator", lookup_expr="isnull", label=_("placeholder (no catalogue indicator yet)")
    )

    class Meta:
        model = FrameworkIndicator
        fields = ["framework", "group", "in_source_text", "direction", "value_kind"]


class MembershipFilterSet(FilterSet):
    group = ScopeFilter(field_name="group", label=_("group (its Chinese name)"))
    group_kind = filters.ChoiceFilter(
        field_name="group__kind",
        choices=[(k.value, k.label) for k in (ScopeKind.FOUR_REGION, ScopeKind.STRATEGIC_REGION)],
        label=_("kind of group"),
    )

    class Meta:
        model = Membership
        fields = ["source_kind"]
