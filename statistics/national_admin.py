"""Admin screens of the national figures and the national return (registered from ``statistics/admin.py``).

* Series and the reports' figures: maintained by administrators like the other reference data (``RecordsAdmin``:
  export, history). A return's own figures are not listed here; they change only through the return.
* The national return: ``ReviewableAdminMixin`` gives the workflow (headquarters prepares and submits, another
  headquarters user approves, officers never see it). The form has one field per 表 3 indicator, starting from
  the value the reports print (or the registry holds), shown with its source; saving calls
  ``national_services.save_values`` with the version the form was opened at.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_tools import RecordsAdmin
from review.admin import ReviewableAdminMixin, VersionedForm
from review.services import review_fields

from . import national_services, selectors
from .models.national import NationalFigure, NationalReturn, NationalSeries
from .national_resources import NationalFigureResource, NationalReturnResource, NationalSeriesResource


@admin.register(NationalSeries)
class NationalSeriesAdmin(RecordsAdmin):
    resource_classes = [NationalSeriesResource]
    list_display = ("name_zh", "unit", "indicator", "appendix_table", "appendix_column", "appendix_scope")
    list_filter = ("appendix_relation", "appendix_table")
    list_select_related = ("indicator",)
    search_fields = ("name_zh", "indicator__code", "indicator__name_zh")


@admin.register(NationalFigure)
class NationalFigureAdmin(RecordsAdmin):
    resource_classes = [NationalFigureResource]
    list_display = ("series", "year", "printed", "qualifier", "change_text", "document", "chapter", "source_line")
    list_filter = ("document", "chapter", "year", "bound")
    list_select_related = ("series",)
    search_fields = ("series__name_zh", "source_text")
    raw_id_fields = ("series",)
    exclude = ("national_return",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(national_return__isnull=True)

    def has_import_permission(self, request):
        return False  # the reports' figures come from the checked fixture; a return's through the return


ORIGINS = {"report": _("printed in the report"), "registry": _("registry"), "national return": _("national return")}


class NationalReturnForm(VersionedForm):
    """The return's year, and one value (and note) per 表 3 indicator."""

    class Meta:
        model = NationalReturn
        fields = ["year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(selectors.national_indicators())
        year = self.instance.year if self.instance.pk else None
        entered = selectors.return_values(self.instance) if self.instance.pk else {}
        prefilled = selectors.prefilled_indicator_values(year) if year else {}
        if self.instance.pk:
            self.fields["year"].disabled = True
        for indicator in self.indicators:
            figure = entered.get(indicator.code)
            sourced = prefilled.get(indicator.code)
            help_text = ""
            if sourced is not None:
                help_text = gettext("Pre-filled: %(value)s (%(origin)s) — %(source)s") % {
                    "value": sourced.printed or sourced.value,
                    "origin": ORIGINS.get(sourced.origin, sourced.origin),
                    "source": sourced.source,
                }
            self.fields[f"value_{indicator.code}"] = forms.CharField(
                label=f"{indicator.code} {indicator.name_zh}（{indicator.unit}）",
                required=False,
                initial=(figure.value.normalize() if figure else ""),
                help_text=help_text,
            )
            self.fields[f"note_{indicator.code}"] = forms.CharField(
                label=gettext("note on %(code)s") % {"code": indicator.code},
                required=False,
                initial=(figure.note if figure else ""),
            )

    def entered_values(self) -> tuple[dict, dict]:
        values = {indicator.code: self.cleaned_data.get(f"value_{indicator.code}") for indicator in self.indicators}
        notes = {indicator.code: self.cleaned_data.get(f"note_{indicator.code}") or "" for indicator in self.indicators}
        return values, notes


@admin.register(NationalReturn)
class NationalReturnAdmin(ReviewableAdminMixin, RecordsAdmin):
    resource_classes = [NationalReturnResource]
    form = NationalReturnForm
    list_display = ("year", "state", "submitted_at", "modified_at", "modified_by", "entered_count")
    list_select_related = ("modified_by",)

    def get_queryset(self, request):
        """Counted in the list's one query, not one query per row."""
        return super().get_queryset(request).annotate(entered=Count("figures"))

    @admin.display(description=_("values entered"), ordering="entered")
    def entered_count(self, obj):
        return obj.entered

    def has_import_permission(self, request):
        return False  # values go through national_services, never a bulk import around the workflow

    def get_fields(self, request, obj=None):
        """The year, a value and a note per 表 3 indicator (form fields made in the form), the version last."""
        codes = selectors.national_indicators().values_list("code", flat=True)
        return ["year", *(f"{kind}_{code}" for code in codes for kind in ("value", "note")), "expected_version"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["fields"] = ["year"]  # the model's one field; the rest are made by NationalReturnForm itself
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        values, notes = form.entered_values()
        if change:
            version = form.cleaned_data.get("expected_version")
            saved = national_services.save_values(obj, request.user, values, notes, version)
            for name, value in review_fields(saved).items():  # "Save and submit" submits the version just saved
                setattr(obj, name, value)
            return
        created = national_services.create_return(request.user, obj.year)
        obj.pk, obj.version = created.pk, created.version
        national_services.save_values(created, request.user, values, notes, created.version)
        obj.refresh_from_db()
