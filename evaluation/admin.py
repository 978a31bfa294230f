"""Admin of the index frameworks, the result scopes, the group memberships and the published results.

Frameworks, scopes and memberships are editable by administrators (import, export, history: ``RecordsAdmin``);
an indicator slot is saved through ``services.save_framework_indicator``. The published results are the report's
and are read-only here (export and history only): a correction goes into the extraction script and its fixture,
and ``load_report_data`` adds what is missing.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_tools import RecordsAdmin

from . import resources, services
from .models import FrameworkGroup, FrameworkIndicator, Membership, PublishedResult, Scope


@admin.register(FrameworkGroup)
class FrameworkGroupAdmin(RecordsAdmin):
    resource_classes = [resources.FrameworkGroupResource]
    list_display = (
        "name_zh",
        "framework",
        "parent",
        "subindex_name_zh",
        "indicator_count",
        "count_basis",
        "first_number",
        "last_number",
        "range_basis",
    )
    list_filter = ("framework", "count_basis", "range_basis")
    search_fields = ("name_zh", "name_en", "subindex_name_zh")
    list_select_related = ("parent",)
    autocomplete_fields = ("catalogue_group",)

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).select_related("parent")


class PlaceholderFilter(admin.SimpleListFilter):
    title = _("placeholder")
    parameter_name = "placeholder"

    def lookups(self, request, model_admin):
        return (("yes", _("placeholder (no catalogue indicator yet)")), ("no", _("linked to the catalogue")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(catalogue_indicator=None)
        if self.value() == "no":
            return queryset.exclude(catalogue_indicator=None)
        return queryset


@admin.register(FrameworkIndicator)
class FrameworkIndicatorAdmin(RecordsAdmin):
    """The slots: an administrator completes a placeholder by linking the catalogue indicator (add it first in
    the statistics catalogue), choosing the group where the source text does not say, the direction and kind."""

    resource_classes = [resources.FrameworkIndicatorResource]
    list_display = ("number", "framework", "indicator_name", "group", "direction", "value_kind", "in_source_text")
    list_display_links = ("number", "indicator_name")
    list_filter = ("framework", PlaceholderFilter, "in_source_text", "direction", "value_kind")
    search_fields = ("catalogue_indicator__name_zh", "catalogue_indicator__code", "group__name_zh")
    list_select_related = ("group", "group__parent", "catalogue_indicator")
    autocomplete_fields = ("catalogue_indicator",)
    readonly_fields = ("in_source_text", "source_line")

    @admin.display(description=_("indicator"))
    def indicator_name(self, slot):
        return slot.name_zh or _("(not in the source text)")

    def save_model(self, request, obj, form, change):
        services.save_framework_indicator(obj)

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).select_related("group", "group__parent", "catalogue_indicator")


@admin.register(Scope)
class ScopeAdmin(RecordsAdmin):
    resource_classes = [resources.ScopeResource]
    list_display = ("name_zh", "kind", "region", "position")
    list_filter = ("kind",)
    search_fields = ("name_zh",)
    list_select_related = ("region",)


@admin.register(Membership)
class MembershipAdmin(RecordsAdmin):
    resource_classes = [resources.MembershipResource]
    list_display = ("group", "province", "source_kind", "source_line", "source")
    list_filter = ("source_kind", "group")
    list_select_related = ("group", "province")


@admin.register(PublishedResult)
class PublishedResultAdmin(RecordsAdmin):
    """Read-only: the report's numbers, each with its line and sentence."""

    resource_classes = [resources.PublishedResultResource]
    list_display = ("key", "year", "value", "change", "status", "source_line")
    list_filter = ("index", "year", "status", "measure", "scope__kind", "component")
    search_fields = ("key", "source_sentence")
    list_select_related = ("scope", "component")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_import_permission(self, request):
        return False

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).select_related("scope", "component")


from . import admin_editions  # noqa: E402, F401  (h7: the editions' admin registers itself)
