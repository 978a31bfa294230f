"""Spreadsheet import/export of the app's models, on natural keys (region by name or code; batch and number).

Work summaries are export-only (see ``WorkSummaryAdmin.has_import_permission``): their content enters through the
officer's form and the review workflow. Typical cases are imported and exported by administrators.
"""

from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from statistics.models import Region
from statistics.resources import LookupWidget, RecordedResource, text
from statistics.years import ImportYearWidget

from .models import TypicalCase, WorkSummary


class WorkSummaryResource(RecordedResource):
    region = fields.Field("region", "地区", widget=LookupWidget(Region))
    year = fields.Field("year", "年度", widget=ImportYearWidget())
    state = text("state", "状态")
    narrative = text("narrative", "工作总结")
    key_measures = text("key_measures", "主要举措")
    origin = text("origin", "来源")

    class Meta:
        model = WorkSummary
        fields = ("region", "year", "state", "narrative", "key_measures", "origin")
        export_order = fields
        import_id_fields = ("region", "year")

    def get_queryset(self):
        return WorkSummary.objects.select_related("region")


class TypicalCaseResource(RecordedResource):
    year = fields.Field("year", "发布年度", widget=ImportYearWidget())
    batch = fields.Field("batch", "批次", widget=widgets.IntegerWidget())
    number = fields.Field("number", "序号", widget=widgets.IntegerWidget())
    title = text("title", "案例名称")
    region = fields.Field("region", "地区", widget=LookupWidget(Region))

    column_help = {
        "发布年度": gettext_lazy("year the batch was published, e.g. 2025"),
        "批次": gettext_lazy("batch number, e.g. 4 for 第四批"),
        "序号": gettext_lazy("the case's number within its batch; with the batch, the key that matches existing rows"),
        "案例名称": gettext_lazy("title as published"),
        "地区": gettext_lazy("province-level region (name or code) where the case sits, e.g. 广东 or 440000"),
    }

    class Meta:
        model = TypicalCase
        fields = ("year", "batch", "number", "title", "region")
        export_order = fields
        import_id_fields = ("batch", "number")
        skip_unchanged = True
        clean_model_instances = True

    def get_queryset(self):
        return TypicalCase.objects.select_related("region")
