"""Admin screens of the annual returns: the list, the sheet (entry and review), reporting periods, and the
history of single values."""

from django.contrib import admin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from core.admin_guards import WithoutBulkDelete
from core.history_admin import ReadOnlyHistoryAdmin
from review.admin import ReviewableAdminMixin

from . import services, views
from .models import AnnualReturn, IndicatorValue, ReturnPeriod


@admin.register(AnnualReturn)
class AnnualReturnAdmin(ReviewableAdminMixin, admin.ModelAdmin):  # no bulk delete: see the mixin
    list_display = ("region", "year", "state", "submitted_at", "modified_at", "modified_by")
    list_filter = ("year", "region")
    list_select_related = ("region", "modified_by")
    search_fields = ("region__name_zh", "region__name_en")
    fields = ("region", "year")
    change_list_template = "returns/change_list.html"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.fill_prefilled(obj, request.user)

    def response_add(self, request, obj, post_url_continue=None):
        return redirect("admin:returns_annualreturn_change", obj.pk)

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/template/",
                self.admin_site.admin_view(self.template_view),
                name="returns_annualreturn_template",
            )
        ]
        return urls + super().get_urls()

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
class ReturnPeriodAdmin(WithoutBulkDelete, admin.ModelAdmin):
    list_display = ("year", "deadline")


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
        from review.services import visible

        visible_returns = visible(request.user, AnnualReturn.objects.all())
        return super().get_queryset(request).filter(annual_return__in=visible_returns)

    def has_view_permission(self, request, obj=None):
        """A value is visible with its return, also when it is a past version of a value since deleted."""
        from review.services import can_view

        if not super().has_view_permission(request, obj):
            return False
        if obj is None:
            return True
        annual_return = AnnualReturn.objects.filter(pk=obj.annual_return_id).first()
        return annual_return is not None and can_view(request.user, annual_return)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
