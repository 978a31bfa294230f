"""Admin screens of the annual returns: the list, the sheet (entry and review), reporting periods, and the
history of single values."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from core.admin_guards import WithoutBulkDelete
from core.history_admin import ReadOnlyHistoryAdmin
from core.stale_forms import StaleEditGuard
from review.admin import ReviewableAdminMixin
from review.roles import officer_region
from review.selectors import can_read, readable_through
from statistics.models import Region

from . import services, sheet_api, views
from .models import AnnualReturn, IndicatorValue, ReturnPeriod
from .periods import startable_years


@admin.register(AnnualReturn)
class AnnualReturnAdmin(ReviewableAdminMixin, admin.ModelAdmin):  # no bulk delete: see the mixin
    list_display = ("region", "year", "state", "submitted_at", "modified_at", "modified_by")
    list_filter = ("year", "region")
    list_select_related = ("region", "modified_by")
    search_fields = ("region__name_zh", "region__name_en")
    fields = ("region", "year")
    change_list_template = "returns/change_list.html"

    def save_model(self, request, obj, form, change):
        """A return is started through ``services.start_return``, as from the API; its values change on the sheet
        (``change_view``), never through this form. The admin goes on with ``obj``, read again once saved."""
        if change:
            raise PermissionDenied
        obj.pk = services.start_return(obj.region, obj.year, request.user).pk
        obj.refresh_from_db()

    def response_add(self, request, obj, post_url_continue=None):
        return redirect("admin:returns_annualreturn_change", obj.pk)

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/template/",
                self.admin_site.admin_view(self.template_view),
                name="returns_annualreturn_template",
            ),
            # The sheet's JSON endpoints (returns.sheet_api): autosave, checks while typing, one value's history.
            path(
                "<path:object_id>/autosave/",
                self._sheet_endpoint(sheet_api.autosave),
                name="returns_annualreturn_autosave",
            ),
            path("<path:object_id>/check/", self._sheet_endpoint(sheet_api.check), name="returns_annualreturn_check"),
            path(
                "<path:object_id>/history/<str:code>/",
                self._sheet_endpoint(sheet_api.value_history),
                name="returns_annualreturn_value_history",
            ),
        ]
        return urls + super().get_urls()

    def _sheet_endpoint(self, view):
        """``view(request, annual_return, **kwargs)`` behind the admin's login, on a return the user may see (else
        404, as the sheet itself)."""

        def endpoint(request, object_id, **kwargs):
            annual_return = self.get_object(request, object_id)
            if annual_return is None or not self.has_view_permission(request, annual_return):
                raise Http404(_("No such return, or it is not yours to see."))
            return view(request, annual_return, **kwargs)

        wrapped = self.admin_site.admin_view(endpoint)
        wrapped.model_admin = self  # as Django's own admin URLs carry it (the write-path inventory reads it)
        return wrapped

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """A new return's year is chosen from the open reporting periods (``returns.periods``), not typed."""
        if db_field.name == "year":
            region = officer_region(request.user)
            return forms.TypedChoiceField(
                label=db_field.verbose_name,
                coerce=int,
                choices=[("", "---------")] + [(year, year) for year in startable_years(region)],
                help_text=_("The years of the open reporting periods."),
            )
        if db_field.name == "region":
            # An officer starts the own region's return (the service refuses any other); headquarters sees the
            # regions that report.
            region = officer_region(request.user)
            kwargs["queryset"] = Region.objects.filter(pk=region.pk) if region else Region.objects.reporting()
            if region:
                kwargs["initial"] = region.pk
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def template_view(self, request, object_id):
        annual_return = self.get_object(request, object_id)
        if annual_return is None:
            raise Http404(_("No such return, or it is not yours to see."))
        return views.template_download(request, annual_return)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        annual_return = self.get_object(request, object_id)
        if annual_return is None or not self.has_view_permission(request, annual_return):
            raise Http404(_("No such return, or it is not yours to see."))
        context = {**self.admin_site.each_context(request), "opts": self.opts, **(extra_context or {})}
        return views.sheet_view(request, annual_return, context)


@admin.register(ReturnPeriod)
class ReturnPeriodAdmin(StaleEditGuard, WithoutBulkDelete, admin.ModelAdmin):
    list_display = ("year", "deadline", "closed")
    list_filter = ("closed",)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(WithoutBulkDelete, ReadOnlyHistoryAdmin):
    """Read-only: values change on the return's sheet; here each value's history (who, when, before, after).

    The list, each value and its history pages show only the returns the user may see (an officer: their region's).
    """

    list_display = ("annual_return", "indicator", "value", "text", "note")
    list_filter = ("annual_return__year", "annual_return__region")
    list_select_related = ("annual_return__region", "indicator")
    search_fields = ("indicator__name_zh", "indicator__code")

    def get_queryset(self, request):
        return readable_through(request.user, super().get_queryset(request), "annual_return", AnnualReturn)

    def has_view_permission(self, request, obj=None):
        """A value is visible with its return, also when it is a past version of a value since deleted."""
        if not super().has_view_permission(request, obj):
            return False
        if obj is None:
            return True
        annual_return = AnnualReturn.objects.filter(pk=obj.annual_return_id).first()
        return annual_return is not None and can_read(request.user, annual_return)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
