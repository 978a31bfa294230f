"""Admin screens for the reference dimensions and the appendix figures.

Every figures changelist shows its derived total read-only, filters by year, entity and measure, searches by
the entity's names and codes, and joins the entity in the same query so that the page costs a constant number
of queries however many rows it shows.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin

from core.admin_guards import AppendOnlyAdmin, RefusalsAsMessages
from core.admin_tools import RecordsAdmin
from core.formats import FORMATS
from core.imports import confirm_large_import
from core.progress import published

from . import models, resources, run_labels, services
from .figure_forms import FigureForm


@admin.register(models.Region)
class RegionAdmin(RecordsAdmin):
    resource_classes = [resources.RegionResource]
    list_display = ("display_order", "name_zh", "full_name_zh", "name_en", "code", "level", "parent")
    list_display_links = ("name_zh",)
    list_filter = ("level",)
    search_fields = ("name_zh", "full_name_zh", "name_en", "code")
    list_select_related = ("parent",)
    ordering = ("display_order",)


@admin.register(models.Country)
class CountryAdmin(RecordsAdmin):
    resource_classes = [resources.CountryResource]
    list_display = ("code", "name_zh", "name_en", "alpha2", "alpha3", "kind")
    list_display_links = ("code", "name_zh")
    list_filter = ("kind",)
    search_fields = ("name_zh", "name_en", "code", "alpha2", "alpha3")
    filter_horizontal = ("members",)

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).prefetch_related("members")


@admin.register(models.ForeignRowOrder)
class ForeignRowOrderAdmin(RecordsAdmin):
    resource_classes = [resources.ForeignRowOrderResource]
    list_display = ("table", "position", "country")
    list_filter = ("table",)
    search_fields = ("country__name_zh", "country__name_en", "country__code")
    list_select_related = ("country",)
    autocomplete_fields = ("country",)


class FigureAdmin(RefusalsAsMessages, RecordsAdmin):
    """Shared by the six figures models; subclasses only name their entity field.

    A row edited here is written by ``services.save_figure`` (permission, version, the import's rules and locks,
    history), never by the model's ``save()`` alone; the form shows the service's refusals before anything is
    written (``figure_forms.FigureForm``)."""

    entity_field = ""
    change_list_template = "admin/statistics/figure_change_list.html"
    list_per_page = 100
    form = FigureForm
    refusals = (services.FigureRefused,)

    def save_model(self, request, obj, form, change):
        services.save_figure(obj, request.user, form.cleaned_data.get("version"))

    def get_list_display(self, request):
        measure = ("measure",) if self.model.has_measure() else ()
        total = ("total",) if self.model.has_total else ()
        return (self.entity_field, "year", *measure, *self.model.value_fields, *total)

    def get_list_filter(self, request):
        measure = ("measure",) if self.model.has_measure() else ()
        if self.entity_field == "region":
            return ("year", *measure, "region__level", "region")
        return ("year", *measure, "country__kind", ("country", admin.RelatedOnlyFieldListFilter))

    def get_search_fields(self, request):
        entity = self.entity_field
        names = ("name_zh", "name_en", "code") + (("full_name_zh",) if entity == "region" else ("alpha3",))
        return tuple(f"{entity}__{name}" for name in names)

    def get_list_select_related(self, request):
        return (self.entity_field,)

    def get_autocomplete_fields(self, request):
        return (self.entity_field,)

    def get_readonly_fields(self, request, obj=None):
        return ("total",) if self.model.has_total else ()

    @admin.display(description=_("total"))
    def total(self, obj):
        return obj.total if obj.pk else None


@admin.register(models.RegionPatentFigure)
class RegionPatentFigureAdmin(FigureAdmin):
    resource_classes = [resources.RegionPatentFigureResource]
    entity_field = "region"


@admin.register(models.CountryPatentFigure)
class CountryPatentFigureAdmin(FigureAdmin):
    resource_classes = [resources.CountryPatentFigureResource]
    entity_field = "country"


@admin.register(models.RegionTrademarkFigure)
class RegionTrademarkFigureAdmin(FigureAdmin):
    resource_classes = [resources.RegionTrademarkFigureResource]
    entity_field = "region"


@admin.register(models.CountryTrademarkFigure)
class CountryTrademarkFigureAdmin(FigureAdmin):
    resource_classes = [resources.CountryTrademarkFigureResource]
    entity_field = "country"


@admin.register(models.RegionCountFigure)
class RegionCountFigureAdmin(FigureAdmin):
    resource_classes = [resources.RegionCountFigureResource]
    entity_field = "region"


@admin.register(models.CountryCountFigure)
class CountryCountFigureAdmin(FigureAdmin):
    resource_classes = [resources.CountryCountFigureResource]
    entity_field = "country"


class ImportRunKindFilter(admin.SimpleListFilter):
    """The kinds of the runs there are, by their labels (``run_labels``)."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        kinds = models.ImportRun.objects.order_by("kind").values_list("kind", flat=True).distinct()
        return [(kind, run_labels.kind_label(kind)) for kind in kinds]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(models.ImportRun)
class ImportRunAdmin(AppendOnlyAdmin, ExportMixin, admin.ModelAdmin):
    """The record of every import, read-only and append-only (nobody deletes a run, superusers included): who,
    when, which file and hash, and what it did.

    Long imports run in the background; their progress page polls ``progress.json`` and, once a preview is done,
    offers to confirm it.
    """

    resource_classes = [resources.ImportRunResource]
    formats = FORMATS
    list_display = ("started_at", "kind_label", "filename", "user", "status")
    list_display += ("created", "updated", "unchanged", "rejected")
    list_filter = ("status", ImportRunKindFilter)
    search_fields = ("filename", "sha256", "user__username")
    list_select_related = ("user",)
    # kind and format are codes: shown through run_labels (issue 14: "类型: appendix", "格式: 0").
    readonly_fields = [
        {"kind": "kind_label", "source_format": "format_label", "origin": "origin_label"}.get(field.name, field.name)
        for field in models.ImportRun._meta.fields
    ]
    fields = readonly_fields

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, run):
        return run_labels.kind_label(run.kind)

    @admin.display(description=_("format"))
    def format_label(self, run):
        return run_labels.format_label(run)

    @admin.display(description=_("run from"))
    def origin_label(self, run):
        return run_labels.origin_label(run.origin)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<int:pk>/progress/",
                self.admin_site.admin_view(self.progress_view),
                name="statistics_importrun_progress",
            ),
            path(
                "<int:pk>/progress.json",
                self.admin_site.admin_view(self.progress_json),
                name="statistics_importrun_progress_json",
            ),
            path(
                "<int:pk>/confirm/", self.admin_site.admin_view(self.confirm_view), name="statistics_importrun_confirm"
            ),
            *super().get_urls(),
        ]

    def _run_for(self, request, pk) -> models.ImportRun:
        run = get_object_or_404(models.ImportRun.objects.select_related("user"), pk=pk)
        if run.user_id != request.user.pk and not self.has_view_permission(request, run):
            raise PermissionDenied
        return run  # a run whose process died is marked at the next start (``core.liveness``), never by a page view

    def progress_view(self, request, pk):
        run = self._run_for(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import of %(file)s") % {"file": run.filename},
            "run": run,
            "opts": self.opts,
            "progress": published(run.pk),
            "can_confirm": run.status == models.ImportRun.Status.PREVIEWED and run.user_id == request.user.pk,
        }
        return TemplateResponse(request, "admin/statistics/import_progress.html", context)

    def progress_json(self, request, pk):
        run = self._run_for(request, pk)
        return JsonResponse({"status": run.status, "progress": published(run.pk)})

    def confirm_view(self, request, pk):
        preview = self._run_for(request, pk)
        if request.method != "POST" or preview.status != models.ImportRun.Status.PREVIEWED:
            return redirect("admin:statistics_importrun_progress", pk)
        if preview.user_id != request.user.pk:
            raise PermissionDenied
        run = confirm_large_import(preview, request.user)
        return redirect("admin:statistics_importrun_progress", run.pk if run else pk)


@admin.register(models.IndicatorGroup)
class IndicatorGroupAdmin(RecordsAdmin):
    resource_classes = [resources.IndicatorGroupResource]

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).select_related("parent")

    list_display = ("name_zh", "name_en", "framework", "parent", "position")
    list_filter = ("framework",)
    search_fields = ("name_zh", "name_en")
    list_select_related = ("parent",)


@admin.register(models.Indicator)
class IndicatorAdmin(RecordsAdmin):
    """The catalogue: administrators add the indicators the extract cut off, here or by import."""

    resource_classes = [resources.IndicatorResource]
    list_display = ("code", "number", "name_zh", "unit", "group", "source", "required", "change_threshold")
    list_display_links = ("code", "name_zh")
    list_filter = ("framework", "source", "required", "group")
    search_fields = ("code", "name_zh", "name_en")
    list_select_related = ("group", "group__parent")

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).select_related("group", "group__parent")


from . import chapter_admin  # noqa: E402, F401, I001  (the chapter tables' figures)
from . import national_admin  # noqa: E402, F401  (the national figures and the national return)
