"""Spreadsheet resources of the national figures (admin export, the blank template, and the series' import).

Headers are Chinese, like every resource of the app. Series can be imported (administrators maintain names, units
and links); the reports' figures come from the checked fixture and a national return's values only through the
return (``national_services``), so their resources are for export.
"""

from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from .models import Indicator
from .models.national import NationalFigure, NationalReturn, NationalSeries
from .resources import RecordedResource, text


class IndicatorCodeWidget(widgets.ForeignKeyWidget):
    """A 表 3 indicator by its code (N26); empty for none."""

    def __init__(self):
        super().__init__(Indicator, field="code")

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        return super().clean(str(value).strip().upper(), row, **kwargs)


class NationalSeriesResource(RecordedResource):
    name_zh = text("name_zh", "名称")
    unit = text("unit", "单位")
    indicator = fields.Field("indicator", "表3指标", widget=IndicatorCodeWidget())
    appendix_table = fields.Field("appendix_table", "附录表", widget=widgets.IntegerWidget())
    appendix_column = text("appendix_column", "附录栏目")
    appendix_scope = text("appendix_scope", "附录口径")
    appendix_relation = text("appendix_relation", "与附录的关系")
    note = text("note", "说明")

    column_help = {
        "名称": gettext_lazy("name as printed"),
        "单位": gettext_lazy("unit as printed, e.g. 件, %, 亿元"),
        "表3指标": gettext_lazy("the 表 3 indicator it measures, by code (e.g. N26); empty for none"),
        "附录表": gettext_lazy("the domestic appendix table (1, 3, 5, 7 or 9–12) that holds it; empty for none"),
        "附录栏目": gettext_lazy("column code, e.g. invention, total, registrations, in_force, value"),
        "附录口径": gettext_lazy("domestic, foreign or grand"),
        "与附录的关系": gettext_lazy("held (the value is derived from the appendix) or difference (compared)"),
        "说明": gettext_lazy("why the prose and the appendix can differ"),
    }

    class Meta:
        model = NationalSeries
        import_id_fields = ("name_zh", "unit")
        fields = ("name_zh", "unit", "indicator", "appendix_table", "appendix_column", "appendix_scope")
        fields += ("appendix_relation", "note")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class NationalFigureResource(RecordedResource):
    series = fields.Field("series__name_zh", "名称", readonly=True)
    unit = fields.Field("series__unit", "单位", readonly=True)
    year = fields.Field("year", "年度", widget=widgets.IntegerWidget(), readonly=True)
    value = fields.Field("value", "数值", widget=widgets.DecimalWidget(), readonly=True)
    printed = text("printed", "原文表述")
    qualifier = text("qualifier", "限定词")
    change_text = text("change_text", "原文增减")
    document = text("document", "出处")
    chapter = text("chapter", "章")
    source_line = fields.Field("source_line", "行号", widget=widgets.IntegerWidget(), readonly=True)
    source_text = text("source_text", "原文语句")

    column_help = {"原文表述": gettext_lazy("as printed, e.g. 超过 500 万件")}

    class Meta:
        model = NationalFigure
        fields = ("series", "unit", "year", "value", "printed", "qualifier", "change_text", "document", "chapter")
        fields += ("source_line", "source_text")


class NationalReturnResource(RecordedResource):
    year = fields.Field("year", "年度", widget=widgets.IntegerWidget(), readonly=True)
    state = text("state", "状态")
    version = fields.Field("version", "版本", widget=widgets.IntegerWidget(), readonly=True)

    column_help = {"年度": gettext_lazy("the return's year")}

    class Meta:
        model = NationalReturn
        fields = ("year", "state", "version")
