"""Admin screens of the registries.

Administrators edit and import entries directly (``RecordsAdmin``: import, export, blank templates, history).
Provincial officers open the same screens, but saving an entry of their region does not change it: the form, after
the entry's own validation, becomes a draft ``RegistryChange`` that they submit for review on the change's page.
Reviewers see each change next to the approved values and return or approve it in the review panel
(``ReviewableAdminMixin``). The region × kind summary hangs off the centres list (``summary/``).
"""

from decimal import Decimal

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ExportMixin

from core.admin_tools import RecordsAdmin
from core.formats import FORMATS
from core.history_admin import ReadOnlyHistoryAdmin
from review.admin import ReviewableAdminMixin
from review.models import State
from review.roles import is_headquarters, officer_region
from review.services import WorkflowError

from . import lifecycle, models, resources, services
from .models.changes import CHANGEABLE


class OperatingInYearFilter(admin.SimpleListFilter):
    """Entries operating at the end of a year, by the same rule as the counts."""

    title = gettext_lazy("operating at the end of")
    parameter_name = "operating_in"

    def lookups(self, request, model_admin):
        return [(str(year), str(year)) for year in services.RECONCILED_YEARS]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(lifecycle.operating_at_end_of(int(self.value()), queryset.model.start_field))
        return queryset


def _json_value(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    return value


class ProposalAdminMixin:
    """An officer's save becomes a change request; administrators save directly.

    The form has already run the entry's ``full_clean()``, so the officer sees field-level problems on the form
    itself; a valid form is turned into a draft ``RegistryChange`` holding the changed fields.
    """

    def _proposing(self, request) -> bool:
        return officer_region(request.user) is not None and not is_headquarters(request.user)

    def _entry_region(self, obj):
        return models.RegistryChange.region_of(obj)

    def has_change_permission(self, request, obj=None):
        if super().has_change_permission(request, obj):
            return True
        region = officer_region(request.user)
        return region is not None and (obj is None or self._entry_region(obj) == region)

    def has_add_permission(self, request):
        return super().has_add_permission(request) or self._proposing(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        region = officer_region(request.user)
        if db_field.name == "region" and region is not None and self._proposing(request):
            kwargs["queryset"] = db_field.remote_field.model.objects.filter(pk=region.pk)
            kwargs["initial"] = region.pk
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if self._proposing(request):  # never reached: an officer's valid form became a change in changeform_view
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """An officer's valid form becomes a draft change (``services.propose``) and the officer is taken to it; an
        invalid form is shown again with its errors by the ordinary view, which never saves it."""
        if self._proposing(request) and request.method == "POST":
            proposed = self._propose(request, None if "_saveasnew" in request.POST else object_id)
            if proposed is not None:
                return proposed
        if object_id and self._proposing(request):
            self.message_user(
                request,
                _("Saving here proposes a change for review; the entry changes only when it is approved."),
                messages.INFO,
            )
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _propose(self, request, object_id):
        """The change request for a valid form, then a redirect to it; None when the form is invalid."""
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if object_id and obj is None:
            return None
        if not (self.has_change_permission(request, obj) if obj else self.has_add_permission(request)):
            raise PermissionDenied
        form = self.get_form(request, obj, change=obj is not None)(request.POST, request.FILES, instance=obj)
        if not form.is_valid():
            return None
        fields = CHANGEABLE[self.opts.model_name]
        names = [name for name in (form.changed_data if obj else form.cleaned_data) if name in fields]
        values = {name: _json_value(form.cleaned_data[name]) for name in names}
        try:
            change = services.propose(request.user, self.opts.model_name, obj.pk if obj else None, values)
        except WorkflowError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        self.message_user(
            request,
            _(
                "Your change was saved as %(change)s; the registry keeps the approved version until a reviewer "
                "approves it. Submit it for review below."
            )
            % {"change": change},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:protection_registrychange_change", args=[change.pk]))


class EntryAdmin(ProposalAdminMixin, RecordsAdmin):
    search_fields = ("name",)
    list_per_page = 100

    def get_list_display(self, request):
        return ("name", "kind", "region", "status", *self.extra_list_display)

    extra_list_display: tuple = ()


@admin.register(models.City)
class CityAdmin(RecordsAdmin):
    resource_classes = [resources.CityResource]
    list_display = ("name", "name_en", "region")
    list_filter = ("region",)
    search_fields = ("name", "name_en", "region__name_zh")
    list_select_related = ("region",)


@admin.register(models.Centre)
class CentreAdmin(EntryAdmin):
    resource_classes = [resources.CentreResource]
    extra_list_display = ("level", "city", "operating_year", "pre_examination", "remote_hearing", "name_incomplete")
    list_filter = (
        ("region", admin.RelatedOnlyFieldListFilter),
        "kind",
        "level",
        "status",
        OperatingInYearFilter,
        "operating_year",
        "approved_year",
        "remote_hearing",
        "pre_examination",
    )
    list_select_related = ("region", "city")
    autocomplete_fields = ("city",)
    change_list_template = "admin/protection/centre_change_list.html"

    def get_urls(self):
        return [
            path("summary/", self.admin_site.admin_view(self.summary_view), name="protection_summary"),
            *super().get_urls(),
        ]

    def summary_view(self, request):
        """Counts by region × kind across the three registries (named entries and provincial counts)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        status = request.GET.get("status") or None
        if status not in (None, *models.Status.values):
            status = None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Registry summary by region and kind"),
            "opts": self.opts,
            "summary": services.summary(status),
            "status": status,
            "statuses": models.Status.choices,
        }
        return TemplateResponse(request, "admin/protection/summary.html", context)


@admin.register(models.Platform)
class PlatformAdmin(EntryAdmin):
    resource_classes = [resources.PlatformResource]
    extra_list_display = ("city", "host_country", "industry", "established_year")
    list_filter = (
        "kind",
        ("region", admin.RelatedOnlyFieldListFilter),
        "status",
        OperatingInYearFilter,
        "established_year",
        ("host_country", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("region", "city", "host_country")
    autocomplete_fields = ("city", "host_country")


@admin.register(models.Workstation)
class WorkstationAdmin(EntryAdmin):
    resource_classes = [resources.WorkstationResource]
    extra_list_display = ("host_country", "parent_platform", "established_year")
    list_filter = (
        "kind",
        ("region", admin.RelatedOnlyFieldListFilter),
        "status",
        OperatingInYearFilter,
        "established_year",
        ("host_country", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("region", "host_country", "parent_platform")
    autocomplete_fields = ("host_country", "parent_platform")


class FiguresAdmin(ProposalAdminMixin, RecordsAdmin):
    list_filter = ("year",)


@admin.register(models.CentreFigures)
class CentreFiguresAdmin(FiguresAdmin):
    resource_classes = [resources.CentreFiguresResource]
    list_display = ("centre", "year", "cases_accepted", "pre_examination_requests", "average_handling_days")
    list_filter = ("year", ("centre__region", admin.RelatedOnlyFieldListFilter))
    search_fields = ("centre__name",)
    list_select_related = ("centre", "centre__region")
    autocomplete_fields = ("centre",)


@admin.register(models.PlatformFigures)
class PlatformFiguresAdmin(FiguresAdmin):
    resource_classes = [resources.PlatformFiguresResource]
    list_display = ("platform", "year", "guidance_services", "losses_recovered")
    search_fields = ("platform__name",)
    list_select_related = ("platform", "platform__region")
    autocomplete_fields = ("platform",)


@admin.register(models.ProvincialCount)
class ProvincialCountAdmin(ProposalAdminMixin, RecordsAdmin):
    resource_classes = [resources.ProvincialCountResource]
    list_display = ("region", "year", "register", "kind", "level", "status", "scope", "number", "exact")
    list_filter = ("year", "register", "kind", "status", "exact", ("region", admin.RelatedOnlyFieldListFilter))
    search_fields = ("region__name_zh", "printed")
    list_select_related = ("region",)


@admin.register(models.PublishedTotal)
class PublishedTotalAdmin(RecordsAdmin):
    resource_classes = [resources.PublishedTotalResource]
    list_display = ("year", "measure", "printed", "value", "unit", "qualifier", "document")
    list_filter = ("year", "measure", "document")
    search_fields = ("source", "printed")


@admin.register(models.RegistryChange)
class RegistryChangeAdmin(ReviewableAdminMixin, ExportMixin, ReadOnlyHistoryAdmin):
    """Change requests: the officer edits the values while the change is open; reviewers compare and decide."""

    resource_classes = [resources.RegistryChangeResource]
    formats = FORMATS
    list_display = ("__str__", "target_type", "region", "state", "modified_at", "applied_at")
    list_filter = ("target_type", ("region", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("region",)
    fields = ("target_type", "target_id", "values", "explanation", "comparison", "problems")
    readonly_fields = ("comparison", "problems")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:  # what a change is about is fixed once it exists
            readonly += ["target_type", "target_id"]
        return readonly

    def save_model(self, request, obj, form, change):
        """Through the services, as from the API: ``revise`` an open change, ``propose`` a new one. Django's admin
        goes on with ``obj`` (logging, "Save and submit"), so it is read again from what the service saved."""
        if change:
            saved = services.revise(
                obj,
                request.user,
                values=obj.values,
                explanation=obj.explanation,
                expected_version=form.cleaned_data.get("expected_version"),
            )
        else:
            saved = services.propose(request.user, obj.target_type, obj.target_id, obj.values, obj.explanation)
        obj.pk = saved.pk
        obj.refresh_from_db()

    @admin.display(description=gettext_lazy("approved → proposed"))
    def comparison(self, obj):
        if obj is None or not obj.pk:
            return "—"
        try:
            current = obj.target()
        except Exception:  # the entry was deleted: the problems field says so
            current = None
        model = obj.entry_model
        rows = []
        for name, value in (obj.values or {}).items():
            try:
                field = model._meta.get_field(name)
            except Exception:
                rows.append((name, "—", value))
                continue
            before = getattr(current, field.name, None) if current is not None else None
            rows.append((field.verbose_name, "—" if before in (None, "") else before, value))
        if not rows:
            return "—"
        body = format_html_join("", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", rows)
        return format_html(
            '<table class="registry-comparison"><thead><tr><th></th><th>{}</th><th>{}</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            _("approved"),
            _("proposed"),
            body,
        )

    @admin.display(description=gettext_lazy("problems"))
    def problems(self, obj):
        if obj is None or not obj.pk or obj.state == State.APPROVED:
            return "—"
        problems = obj.submission_problems()
        return format_html_join("", "<p>{}</p>", ((problem,) for problem in problems)) if problems else "—"
