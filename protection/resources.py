"""Import and export of every registry model, through the project's import machinery (``RecordedResource``).

Rows match on natural keys, never on database ids: an entry by its region and name, yearly figures by entry and
year, a count by region, year, registry, kind, level and status, a published total by year and measure. Choices are
read from their code, their English label or their Chinese term (``知识产权保护中心``, ``运行``); yes/no columns
take 是/否. Every row goes through the model's ``full_clean()``, so an import is refused for the same reasons, with
the same messages, as a save in the admin; and the whole file is refused if one row is.

The fixtures in ``fixtures/protection/`` are in exactly these columns and are loaded through these resources.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from import_export import fields, resources, widgets

from statistics.models import Country, Region
from statistics.naming import normalize_label
from statistics.resources import LookupWidget, RecordedResource, text
from statistics.years import ImportYearWidget

from . import models
from .models.changes import CHANGEABLE

YES = {"是", "yes", "y", "true", "1", "✓", "√", "x"}
NO = {"否", "no", "n", "false", "0", ""}


def _fold(value) -> str:
    return normalize_label(str(value)).casefold()


class ChoiceWidget(widgets.Widget):
    """A choice by its code, its English label, its Chinese label, or any term in the label's parentheses."""

    def __init__(self, choices, allow_blank: bool = False):
        super().__init__()
        self.choices = list(choices)
        self.allow_blank = allow_blank
        self._index = None

    def index(self) -> dict[str, str]:
        if self._index is None:
            index = {}
            for code, label in self.choices:
                names = {code}
                for language in ("en", "zh-hans"):
                    with override(language):
                        names.add(str(label))
                for name in list(names):
                    for part in re.findall(r"[（(]([^）)]+)[）)]", name):
                        names.add(part)
                        names.update(part.split("/"))
                    names.add(re.sub(r"\s*[（(][^）)]*[）)]\s*", "", name))
                for name in names:
                    if name:
                        index.setdefault(_fold(name), code)
            self._index = index
        return self._index

    def clean(self, value, row=None, **kwargs):
        if value is None or not normalize_label(str(value)):
            if self.allow_blank:
                return ""
            raise ValueError(_("this column must not be empty"))
        found = self.index().get(_fold(value))
        if found is None:
            options = "、".join(code for code, _label in self.choices)
            raise ValueError(_("“%(value)s” is not one of: %(options)s") % {"value": value, "options": options})
        return found

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        folded = _fold(value if value is not None else "")
        if folded in YES:
            return True
        if folded in NO:
            return False
        raise ValueError(_("write 是 or 否 (yes or no), not “%(value)s”") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


class YearWidget(ImportYearWidget):
    """A year, or empty; “2025”, “2025.0” and “2025年” all read as 2025; outside ``IMPORT_YEARS`` it is refused."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = value.strip().removesuffix("年").strip()
        return super().clean(value, row, **kwargs)


class CityWidget(widgets.ForeignKeyWidget):
    """A city by name; when two provinces have a city of that name, the row's region decides."""

    def __init__(self, region_column: str):
        super().__init__(models.City, field="name")
        self.region_column = region_column

    def clean(self, value, row=None, **kwargs):
        name = normalize_label(value or "")
        if not name:
            return None
        matches = list(models.City.objects.filter(name=name).select_related("region"))
        if len(matches) > 1 and row:
            region = normalize_label(row.get(self.region_column) or "")
            matches = [city for city in matches if region in {city.region.name_zh, city.region.full_name_zh}]
        if len(matches) != 1:
            raise ValueError(_("unknown city “%(value)s”: add it to the cities first") % {"value": value})
        return matches[0]

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class EntryWidget(widgets.ForeignKeyWidget):
    """A registry entry by name and the region in the row's region column.

    ``strict`` (yearly figures): the entry must be in that region, or have no region when the column is empty.
    Otherwise (a workstation's parent platform, which may be national): the name alone, the region deciding only
    between namesakes.
    """

    def __init__(self, model, region_column: str, strict: bool = True):
        super().__init__(model, field="name")
        self.region_column = region_column
        self.strict = strict

    def clean(self, value, row=None, **kwargs):
        name = normalize_label(value or "")
        if not name:
            return None
        candidates = list(self.model.objects.filter(name=name).select_related("region"))
        region_name = normalize_label((row or {}).get(self.region_column) or "")

        def in_region(entry):
            if not region_name:
                return entry.region is None
            return entry.region is not None and region_name in _region_names(entry.region)

        matches = [entry for entry in candidates if in_region(entry)]
        if not self.strict and not matches:
            matches = candidates
        if len(matches) != 1:
            raise ValueError(
                _("no single %(model)s named “%(name)s” in “%(region)s”")
                % {"model": self.model._meta.verbose_name, "name": value, "region": region_name or "—"}
            )
        return matches[0]

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


def _region_names(region) -> set[str]:
    return {region.name_zh, region.full_name_zh, region.name_en, region.code}


def choice(attribute, header, choices, allow_blank=False):
    return fields.Field(attribute, header, widget=ChoiceWidget(choices, allow_blank=allow_blank))


def year(attribute, header):
    return fields.Field(attribute, header, widget=YearWidget())


def number(attribute, header):
    return fields.Field(attribute, header, widget=widgets.IntegerWidget())


def decimal(attribute, header):
    return fields.Field(attribute, header, widget=widgets.DecimalWidget())


def yes_no(attribute, header):
    return fields.Field(attribute, header, widget=YesNoWidget())


class RegistryResource(RecordedResource):
    """What every registry resource shares: compare before writing, and refuse the file on any invalid row."""

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


REGION = "地区"
NAME = "名称"
STATUS_HELP = gettext_lazy("申建, 获批建设, 筹建/建设, 通过验收, 运行 or 关闭 (or the English status)")
YEAR_HELP = gettext_lazy("a year such as 2025, or empty when the report does not say")
SOURCE_HELP = gettext_lazy("the sentence of the report that names the entry (parts separated by “ | ”)")


class CityResource(RegistryResource):
    name = text("name", "城市")
    region = fields.Field("region", "所属省（区、市）", widget=LookupWidget(Region))
    name_en = text("name_en", "英文名称")

    column_help = {
        "城市": gettext_lazy("the city's name without 市, e.g. 淄博"),
        "所属省（区、市）": gettext_lazy("its province-level division, by name or code"),
        "英文名称": gettext_lazy("the city's name in Hanyu Pinyin, e.g. Zibo; may be empty"),
    }

    class Meta(RegistryResource.Meta):
        model = models.City
        import_id_fields = ("region", "name")
        fields = ("name", "region", "name_en")


class CentreResource(RegistryResource):
    name = text("name", NAME)
    name_incomplete = yes_no("name_incomplete", "名称不完整")
    kind = choice("kind", "类型", models.Centre.Kind.choices)
    level = choice("level", "级别", models.Level.choices)
    region = fields.Field("region", REGION, widget=LookupWidget(Region))
    city = fields.Field("city", "城市", widget=CityWidget(REGION))
    industries = text("industries", "服务产业")
    pre_examination = yes_no("pre_examination", "专利预审")
    remote_hearing = yes_no("remote_hearing", "远程审理")
    rapid_protection = yes_no("rapid_protection", "快速维权")
    status = choice("status", "状态", models.Status.choices)
    applied_year = year("applied_year", "申建年份")
    approved_year = year("approved_year", "获批建设年份")
    construction_year = year("construction_year", "筹建年份")
    accepted_year = year("accepted_year", "通过验收年份")
    operating_year = year("operating_year", "运行年份")
    closed_year = year("closed_year", "关闭年份")
    note = text("note", "备注")
    source = text("source", "来源")

    column_help = {
        NAME: gettext_lazy("the centre's name; unique within its region (the key, with the region)"),
        "名称不完整": gettext_lazy("是 when the report's text breaks off inside the name, otherwise 否"),
        "类型": gettext_lazy("知识产权保护中心 or 快速维权中心"),
        "级别": gettext_lazy("国家级, 省级 or 分中心"),
        REGION: gettext_lazy("province-level division by name or code"),
        "城市": gettext_lazy("optional; must be a city of the region"),
        "服务产业": gettext_lazy("industries served, separated by 、"),
        "专利预审": gettext_lazy("是 or 否"),
        "远程审理": gettext_lazy("是 or 否"),
        "快速维权": gettext_lazy("是 or 否"),
        "状态": STATUS_HELP,
        "申建年份": YEAR_HELP,
        "获批建设年份": YEAR_HELP,
        "筹建年份": YEAR_HELP,
        "通过验收年份": YEAR_HELP,
        "运行年份": YEAR_HELP,
        "关闭年份": YEAR_HELP,
        "备注": gettext_lazy("free text"),
        "来源": SOURCE_HELP,
    }

    class Meta(RegistryResource.Meta):
        model = models.Centre
        import_id_fields = ("region", "name")
        fields = CHANGEABLE["centre"]  # the fields an officer's change may set, too

    def get_queryset(self):
        return super().get_queryset().select_related("region", "city")


class PlatformResource(RegistryResource):
    name = text("name", NAME)
    kind = choice("kind", "类型", models.Platform.Kind.choices)
    region = fields.Field("region", REGION, widget=LookupWidget(Region))
    city = fields.Field("city", "城市", widget=CityWidget(REGION))
    host_country = fields.Field("host_country", "所在国家", widget=LookupWidget(Country))
    industry = text("industry", "产业")
    status = choice("status", "状态", models.Platform._meta.get_field("status").choices)
    established_year = year("established_year", "设立年份")
    closed_year = year("closed_year", "关闭年份")
    note = text("note", "备注")
    source = text("source", "来源")

    column_help = {
        NAME: gettext_lazy("the platform's name; unique within its region (the key, with the region)"),
        "类型": gettext_lazy("地方工作平台, 产业工作平台 or 海外工作平台"),
        REGION: gettext_lazy("province-level division; required for a local platform, may be empty otherwise"),
        "城市": gettext_lazy("optional; must be a city of the region"),
        "所在国家": gettext_lazy("host country by name or ISO code; required for an overseas platform"),
        "产业": gettext_lazy("required for an industry platform, e.g. 船舶"),
        "状态": gettext_lazy("获批建设, 筹建/建设, 运行 or 关闭"),
        "设立年份": YEAR_HELP,
        "关闭年份": YEAR_HELP,
        "备注": gettext_lazy("free text"),
        "来源": SOURCE_HELP,
    }

    class Meta(RegistryResource.Meta):
        model = models.Platform
        import_id_fields = ("region", "name")
        fields = CHANGEABLE["platform"]  # the fields an officer's change may set, too

    def get_queryset(self):
        return super().get_queryset().select_related("region", "city", "host_country")


class WorkstationResource(RegistryResource):
    name = text("name", NAME)
    kind = choice("kind", "类型", models.Workstation.Kind.choices)
    region = fields.Field("region", REGION, widget=LookupWidget(Region))
    host_country = fields.Field("host_country", "所在国家", widget=LookupWidget(Country))
    parent_platform = fields.Field(
        "parent_platform", "所属平台", widget=EntryWidget(models.Platform, REGION, strict=False)
    )
    status = choice("status", "状态", models.Workstation._meta.get_field("status").choices)
    established_year = year("established_year", "设立年份")
    closed_year = year("closed_year", "关闭年份")
    note = text("note", "备注")
    source = text("source", "来源")

    column_help = {
        NAME: gettext_lazy("the workstation's name; unique within its home region (the key, with the region)"),
        "类型": gettext_lazy("海外维权工作站, 服务点, 联络站 or 维权援助点"),
        REGION: gettext_lazy("home region: province-level division by name or code"),
        "所在国家": gettext_lazy("host country by name or ISO code"),
        "所属平台": gettext_lazy("optional: the parent platform's name"),
        "状态": gettext_lazy("获批建设, 筹建/建设, 运行 or 关闭"),
        "设立年份": YEAR_HELP,
        "关闭年份": YEAR_HELP,
        "备注": gettext_lazy("free text"),
        "来源": SOURCE_HELP,
    }

    class Meta(RegistryResource.Meta):
        model = models.Workstation
        import_id_fields = ("region", "name")
        fields = CHANGEABLE["workstation"]  # the fields an officer's change may set, too

    def get_queryset(self):
        return super().get_queryset().select_related("region", "host_country", "parent_platform")


class CentreFiguresResource(RegistryResource):
    region = fields.Field("centre__region__name_zh", REGION, readonly=True)
    centre = fields.Field("centre", "中心名称", widget=EntryWidget(models.Centre, REGION))
    year = year("year", "年份")
    cases_accepted = number("cases_accepted", "受理维权案件")
    pre_examination_requests = number("pre_examination_requests", "预审请求")
    average_handling_days = decimal("average_handling_days", "平均办理周期（天）")

    column_help = {
        REGION: gettext_lazy("the centre's region (used to find the centre)"),
        "中心名称": gettext_lazy("the centre's name as in the registry"),
        "年份": gettext_lazy("the year of the figures"),
        "受理维权案件": gettext_lazy("whole number, not negative"),
        "预审请求": gettext_lazy("whole number, not negative"),
        "平均办理周期（天）": gettext_lazy("days, not negative"),
    }

    class Meta(RegistryResource.Meta):
        model = models.CentreFigures
        import_id_fields = ("centre", "year")
        fields = ("region", "centre", "year", "cases_accepted", "pre_examination_requests", "average_handling_days")

    def get_queryset(self):
        return super().get_queryset().select_related("centre__region")


class PlatformFiguresResource(RegistryResource):
    region = fields.Field("platform__region__name_zh", REGION, readonly=True)
    platform = fields.Field("platform", "平台名称", widget=EntryWidget(models.Platform, REGION))
    year = year("year", "年份")
    guidance_services = number("guidance_services", "指导和咨询服务（次）")
    losses_recovered = decimal("losses_recovered", "挽回损失（亿元）")

    column_help = {
        REGION: gettext_lazy("the platform's region, empty for a platform without one"),
        "平台名称": gettext_lazy("the platform's name as in the registry"),
        "年份": gettext_lazy("the year of the figures"),
        "指导和咨询服务（次）": gettext_lazy("whole number, not negative"),
        "挽回损失（亿元）": gettext_lazy("in 亿元, not negative"),
    }

    class Meta(RegistryResource.Meta):
        model = models.PlatformFigures
        import_id_fields = ("platform", "year")
        fields = ("region", "platform", "year", "guidance_services", "losses_recovered")

    def get_queryset(self):
        return super().get_queryset().select_related("platform__region")


class ProvincialCountResource(RegistryResource):
    region = fields.Field("region", REGION, widget=LookupWidget(Region))
    year = year("year", "年份")
    register = choice("register", "登记簿", models.published.Register.choices)
    kind = choice("kind", "类型", models.published.KIND_CHOICES, allow_blank=True)
    level = choice("level", "级别", models.Level.choices, allow_blank=True)
    status = choice("status", "状态", models.Status.choices)
    scope = choice("scope", "口径", models.ProvincialCount.Scope.choices)
    number = number("number", "数量")
    exact = yes_no("exact", "仅含本类")
    printed = text("printed", "原文表述")
    source = text("source", "来源")
    note = text("note", "备注")

    column_help = {
        REGION: gettext_lazy("province-level division by name or code"),
        "年份": gettext_lazy("the year at whose end (or during which) the count holds"),
        "登记簿": gettext_lazy("centres, platforms or workstations"),
        "类型": gettext_lazy("the kind, or empty when the report does not say"),
        "级别": gettext_lazy("for centres: 国家级, 省级 or 分中心; otherwise empty"),
        "状态": STATUS_HELP,
        "口径": gettext_lazy("total (at the end of the year) or added (during the year)"),
        "数量": gettext_lazy("whole number, not negative; entries the province does not name"),
        "仅含本类": gettext_lazy("否 when the printed number includes other things; such counts are not added up"),
        "原文表述": gettext_lazy("the words as printed"),
        "来源": SOURCE_HELP,
        "备注": gettext_lazy("free text"),
    }

    class Meta(RegistryResource.Meta):
        model = models.ProvincialCount
        import_id_fields = ("region", "year", "register", "kind", "level", "status")
        fields = (
            "region",
            "year",
            "register",
            "kind",
            "level",
            "status",
            "scope",
            "number",
            "exact",
            "printed",
            "source",
            "note",
        )

    def get_queryset(self):
        return super().get_queryset().select_related("region")


class PublishedTotalResource(RegistryResource):
    year = year("year", "年份")
    measure = choice("measure", "指标", models.PublishedTotal.Measure.choices)
    value = decimal("value", "数值")
    unit = text("unit", "单位")
    qualifier = choice("qualifier", "限定", models.PublishedTotal.Qualifier.choices)
    printed = text("printed", "原文数字")
    document = choice("document", "出处", models.PublishedTotal.Document.choices)
    source = text("source", "来源")

    column_help = {
        "年份": gettext_lazy("the year the total describes"),
        "指标": gettext_lazy("what is counted (code or label)"),
        "数值": gettext_lazy("the number in the unit, e.g. 136000 for 13.6 万件"),
        "单位": gettext_lazy("家, 件, 次 or 亿元"),
        "限定": gettext_lazy("exact, more_than (余) or nearly (近)"),
        "原文数字": gettext_lazy("the number as printed, e.g. 13.6 万件"),
        "出处": gettext_lazy("annual_report_2025 or ip_power_index_2025"),
        "来源": gettext_lazy("the sentence it is printed in"),
    }

    class Meta(RegistryResource.Meta):
        model = models.PublishedTotal
        import_id_fields = ("year", "measure")
        fields = ("year", "measure", "value", "unit", "qualifier", "printed", "document", "source")


class RegistryChangeResource(resources.ModelResource):
    """Export only: officers' change requests and their state, for audits. Changes are made through the review."""

    region = fields.Field("region__name_zh", REGION)

    class Meta:
        model = models.RegistryChange
        fields = (
            "id",
            "target_type",
            "target_id",
            "region",
            "values",
            "explanation",
            "state",
            "version",
            "submitted_at",
            "applied_at",
        )
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("region")


# The order in which the fixtures load: what a row refers to comes first.
FIXTURE_RESOURCES = (
    ("cities.csv", CityResource),
    ("centres.csv", CentreResource),
    ("platforms.csv", PlatformResource),
    ("workstations.csv", WorkstationResource),
    ("provincial_counts.csv", ProvincialCountResource),
    ("published_totals.csv", PublishedTotalResource),
)
