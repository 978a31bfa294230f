"""Import and export of the evaluation app's models, through the project's import machinery (``RecordedResource``).

Rows match on natural keys, never on database ids: a group by framework, first-level group and name; an indicator
slot by framework and printed number; a scope by name; a membership by group and province. Every imported row goes
through the model's ``full_clean()``, and a file with one bad row is refused whole.

Administrators complete the placeholders ("not in the source text") by importing framework indicators with the
catalogue code (``目录代码``, e.g. R63, after adding the indicator to the statistics catalogue), the group, the
direction and the kind of value. Published results are exported only: they are the report's, loaded from
``fixtures/evaluation/index_results.csv`` (see ``services.py``).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from import_export import fields, widgets

from statistics.models import Indicator, Region
from statistics.resources import RecordedResource, text

from .models import (
    Basis,
    Direction,
    FrameworkGroup,
    FrameworkIndicator,
    Membership,
    MembershipSource,
    PublishedResult,
    Scope,
    ScopeKind,
    ValueKind,
)


class ChoiceWidget(widgets.Widget):
    """A choice by its code or its label in English or Chinese (higher, 越高越好)."""

    def __init__(self, choices):
        super().__init__()
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        value = str(value or "").strip()
        for code, label in self.choices.choices:
            names = {code.casefold()}
            for language in ("en", "zh-hans"):
                with override(language):
                    names.add(str(label).casefold())
            if value.casefold() in names:
                return code
        options = "、".join(code for code, _label in self.choices.choices)
        raise ValueError(_("“%(value)s” is not one of: %(options)s") % {"value": value, "options": options})

    def render(self, value, obj=None, **kwargs):
        return value or ""


class FrameworkGroupWidget(widgets.ForeignKeyWidget):
    """A group written as "first-level / second-level" (or a first-level name), within the row's framework."""

    def __init__(self, top_only=False, **kwargs):
        self.top_only = top_only
        super().__init__(FrameworkGroup, field="name_zh", **kwargs)

    def clean(self, value, row=None, **kwargs):
        value = str(value or "").strip()
        if not value:
            return None
        framework = (row or {}).get("体系")
        parts = [part.strip() for part in value.split("/")]
        groups = FrameworkGroup.objects.filter(framework=framework)
        if len(parts) == 1:
            group = groups.filter(name_zh=parts[0], parent=None).first()
        elif not self.top_only and len(parts) == 2:
            group = groups.filter(name_zh=parts[1], parent__name_zh=parts[0]).first()
        else:
            group = None
        if group is None:
            raise ValueError(
                _("No group “%(value)s” in the %(framework)s framework.") % {"value": value, "framework": framework}
            )
        return group

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class FrameworkGroupResource(RecordedResource):
    framework = text("framework", "体系")
    parent = fields.Field("parent", "一级分组", widget=FrameworkGroupWidget(top_only=True))
    name_zh = text("name_zh", "中文名称")
    name_en = text("name_en", "英文名称")
    subindex_name_zh = text("subindex_name_zh", "分项指数名称")
    position = fields.Field("position", "显示顺序", widget=widgets.IntegerWidget())
    indicator_count = fields.Field("indicator_count", "指标数", widget=widgets.IntegerWidget())
    count_basis = fields.Field("count_basis", "指标数依据", widget=ChoiceWidget(Basis))
    first_number = fields.Field("first_number", "起始编号", widget=widgets.IntegerWidget())
    last_number = fields.Field("last_number", "结束编号", widget=widgets.IntegerWidget())
    range_basis = fields.Field("range_basis", "编号范围依据", widget=ChoiceWidget(Basis))
    source_line = fields.Field("source_line", "原文行号", widget=widgets.IntegerWidget())
    source_text = text("source_text", "原文")

    column_help = {
        "体系": gettext_lazy("national (表 3) or regional (表 4)"),
        "一级分组": gettext_lazy("for a second-level group: its first-level group; empty for a first-level group"),
        "中文名称": gettext_lazy("name as printed"),
        "指标数依据": gettext_lazy("printed, derived or unknown"),
        "编号范围依据": gettext_lazy("printed, derived or unknown"),
    }

    class Meta:
        model = FrameworkGroup
        import_id_fields = ("framework", "parent", "name_zh")
        fields = (
            "framework",
            "parent",
            "name_zh",
            "name_en",
            "subindex_name_zh",
            "position",
            "indicator_count",
            "count_basis",
            "first_number",
            "last_number",
            "range_basis",
            "source_line",
            "source_text",
        )
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class FrameworkIndicatorResource(RecordedResource):
    framework = text("framework", "体系")
    number = fields.Field("number", "编号", widget=widgets.IntegerWidget())
    group = fields.Field("group", "分组", widget=FrameworkGroupWidget())
    catalogue_indicator = fields.Field(
        "catalogue_indicator", "目录代码", widget=widgets.ForeignKeyWidget(Indicator, field="code")
    )
    name_zh = fields.Field("name_zh", "名称（来自目录）", readonly=True)
    in_source_text = fields.Field("in_source_text", "原文列出", widget=widgets.BooleanWidget(), readonly=True)
    direction = fields.Field("direction", "方向", widget=ChoiceWidget(Direction))
    value_kind = fields.Field("value_kind", "取值类型", widget=ChoiceWidget(ValueKind))
    note = text("note", "备注")

    column_help = {
        "体系": gettext_lazy("national (表 3) or regional (表 4)"),
        "编号": gettext_lazy("the printed number; the key that matches existing rows"),
        "分组": gettext_lazy("first-level group / second-level group, e.g. 发展环境 / 人才发展"),
        "目录代码": gettext_lazy("code of the indicator in the statistics catalogue, e.g. R63; empty: a placeholder"),
        "方向": gettext_lazy("higher or lower (is better)"),
        "取值类型": gettext_lazy("count, amount, intensity, percentage, score or unknown"),
    }

    class Meta:
        model = FrameworkIndicator
        import_id_fields = ("framework", "number")
        fields = (
            "framework",
            "number",
            "group",
            "catalogue_indicator",
            "name_zh",
            "in_source_text",
            "direction",
            "value_kind",
            "note",
        )
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class ScopeResource(RecordedResource):
    kind = fields.Field("kind", "类型", widget=ChoiceWidget(ScopeKind))
    name_zh = text("name_zh", "名称")
    region = fields.Field("region", "省份代码", widget=widgets.ForeignKeyWidget(Region, field="code"))
    position = fields.Field("position", "显示顺序", widget=widgets.IntegerWidget())

    class Meta:
        model = Scope
        import_id_fields = ("name_zh",)
        fields = ("kind", "name_zh", "region", "position")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class MembershipResource(RecordedResource):
    group = fields.Field("group", "区域", widget=widgets.ForeignKeyWidget(Scope, field="name_zh"))
    province = fields.Field("province", "省份", widget=widgets.ForeignKeyWidget(Region, field="name_zh"))
    source_kind = fields.Field("source_kind", "来源类型", widget=ChoiceWidget(MembershipSource))
    source = text("source", "来源")
    source_line = fields.Field("source_line", "原文行号", widget=widgets.IntegerWidget())

    class Meta:
        model = Membership
        import_id_fields = ("group", "province")
        fields = ("group", "province", "source_kind", "source", "source_line")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class PublishedResultResource(RecordedResource):
    """Export only (the admin offers no import): the report's results with their sources."""

    key = text("key", "键")
    index = text("index", "指数")
    year = fields.Field("year", "年份", widget=widgets.IntegerWidget())
    scope = fields.Field("scope", "范围", widget=widgets.ForeignKeyWidget(Scope, field="name_zh"))
    component = fields.Field("component", "分项", widget=widgets.ForeignKeyWidget(FrameworkGroup, field="name_zh"))
    measure = text("measure", "度量")
    value = fields.Field("value", "数值", widget=widgets.DecimalWidget())
    change = fields.Field("change", "较上年变化", widget=widgets.DecimalWidget())
    position = fields.Field("position", "列举顺序", widget=widgets.IntegerWidget())
    status = text("status", "状态")
    formula = text("formula", "算式")
    source_line = fields.Field("source_line", "原文行号", widget=widgets.IntegerWidget())
    source_sentence = text("source_sentence", "原文句子")

    class Meta:
        model = PublishedResult
        import_id_fields = ("key",)
        fields = (
            "key",
            "index",
            "year",
            "scope",
            "component",
            "measure",
            "value",
            "change",
            "position",
            "status",
            "formula",
            "source_line",
            "source_sentence",
        )
