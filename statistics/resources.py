"""django-import-export resources for every model of the app.

Rows match on natural keys, never on database ids: regions and countries by any of their names or codes, figures
by (entity, year[, measure]). Figures do not go through import-export's row-by-row saves: ``FigureResource`` hands
the whole file to the appendix rules and the bulk writer in ``services`` (all or nothing, history for each changed
row, nothing written for unchanged rows), and reports back in import-export's terms so the admin's preview and
confirm steps work as usual.
"""

from collections import defaultdict

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.results import RowResult

from core.before_after import BeforeAfterDiff
from core.problems import Problem
from core.progress import PHASES, NoProgress

from . import long_format
from .models import (
    Country,
    CountryCountFigure,
    CountryPatentFigure,
    CountryTrademarkFigure,
    ForeignRowOrder,
    ImportRun,
    Indicator,
    IndicatorGroup,
    Region,
    RegionCountFigure,
    RegionPatentFigure,
    RegionTrademarkFigure,
)
from .naming import normalize_label, unescape_formula
from .services import Author, check_tables, outcome_key, write_tables

PREVIEW_ROWS = 1000  # the preview lists this many rows; the counts always cover the whole file


class LookupWidget(widgets.ForeignKeyWidget):
    """A region or country by any of its names or codes (北京, Beijing, 110000); exported as the Chinese name."""

    def __init__(self, model, **kwargs):
        super().__init__(model, field="name_zh", **kwargs)
        self._index = None

    def clean(self, value, row=None, **kwargs):
        if not normalize_label(value):
            return None
        if self._index is None:
            self._index = self.model.objects.all().index()
        found = self._index.get(normalize_label(value).casefold())
        if found is None:
            raise ValueError(
                _("unknown %(model)s “%(value)s”") % {"model": self.model._meta.verbose_name, "value": value}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return value.name_zh if value is not None else ""


class CodesWidget(widgets.ManyToManyWidget):
    """Member countries as their codes joined by “+” (BE+DE+FR+NL)."""

    def __init__(self):
        super().__init__(Country, separator="+", field="code")


class TextWidget(widgets.CharWidget):
    """Text that our exports may have escaped against formula injection: the quote goes again on import."""

    def clean(self, value, row=None, **kwargs):
        value = super().clean(value, row, **kwargs)
        if value == "" and not self.allow_blank:
            return None
        return unescape_formula(value) if isinstance(value, str) else value


def text(attribute: str, header: str, blank_is_none: bool = False) -> fields.Field:
    return fields.Field(attribute, header, widget=TextWidget(allow_blank=not blank_is_none))


class RecordedResource(resources.ModelResource):
    """Records every import (preview or real) as an ImportRun, and stamps each saved record's history with the
    importing user and the file, whatever the model. A bad row rolls the whole import back."""

    column_help: dict[str, str] = {}

    def get_diff_class(self):
        """The preview shows each changed value as before → after (``core.before_after``)."""
        return BeforeAfterDiff

    def import_data(self, dataset, dry_run=False, **kwargs):
        run = kwargs.pop("import_run", None)
        digest = kwargs.pop("file_sha256", "")
        origin = kwargs.pop("import_origin", "")
        kwargs.setdefault("rollback_on_validation_errors", True)
        started = timezone.now()
        result = super().import_data(dataset, dry_run=dry_run, **kwargs)
        record_run(
            self._meta.model,
            result,
            dry_run,
            kwargs.get("user"),
            kwargs.get("file_name") or "",
            run,
            digest,
            started,
            origin,
        )
        return result

    def before_import(self, dataset, **kwargs):
        """Refuse a file in which two rows name the same record (the later one would silently win)."""
        super().before_import(dataset, **kwargs)
        key_fields = [self.fields[name] for name in self.get_import_id_fields()]
        first_seen, repeated = {}, []
        for number, row in enumerate(dataset.dict, start=2):
            try:
                key = tuple(_key_part(field.clean(row)) for field in key_fields)
            except Exception:  # an unreadable key is reported by the row's own import
                continue
            if key in first_seen:
                repeated.append(
                    _("row %(row)s repeats row %(first)s: both are %(key)s")
                    % {"row": number, "first": first_seen[key], "key": " / ".join(str(part) for part in key)}
                )
            else:
                first_seen[key] = number
        if repeated:
            raise ValidationError(repeated)

    def before_save_instance(self, instance, row, **kwargs):
        user = kwargs.get("user")
        instance._history_user = user if getattr(user, "pk", None) else None
        instance._change_reason = f"import {kwargs.get('file_name') or ''}".strip()[:100]


def _key_part(value):
    if hasattr(value, "pk"):
        return value
    return normalize_label(value).casefold() if isinstance(value, str) else value


def finished_progress(rows: int) -> dict:
    return {"phase": "done", "phase_label": str(PHASES["done"]), "done": rows, "total": rows, "percent": 100}


def record_run(
    model, result, dry_run, user, file_name, run: ImportRun | None = None, digest: str = "", started=None, origin=""
) -> ImportRun:
    """Fill in (or create) the ImportRun of this import from import-export's result."""
    totals = result.totals
    refused = result.has_errors() or result.has_validation_errors()
    if refused:
        status = ImportRun.Status.REFUSED
    else:
        status = ImportRun.Status.PREVIEWED if dry_run else ImportRun.Status.SUCCEEDED
    problems = [str(error.error) for error in result.base_errors]
    problems += [str(error.error) for _number, errors in result.row_errors() for error in errors]
    for row in result.invalid_rows:
        where = _("row %(row)s") % {"row": row.number}
        problems += [message if where in message else f"{where}: {message}" for message in row.error.messages]
    run = run or ImportRun(
        kind=f"{model._meta.app_label}.{model._meta.model_name}",
        user=user if getattr(user, "pk", None) else None,
        filename=str(file_name)[:255],
        sha256=digest,
        started_at=started or timezone.now(),
    )
    run.status = status
    run.finished_at = timezone.now()
    run.total_rows = run.processed_rows = result.total_rows
    run.created = 0 if refused else totals.get(RowResult.IMPORT_TYPE_NEW, 0)
    run.updated = 0 if refused else totals.get(RowResult.IMPORT_TYPE_UPDATE, 0)
    run.unchanged = 0 if refused else totals.get(RowResult.IMPORT_TYPE_SKIP, 0)
    run.rejected = len(result.invalid_rows) + len(result.row_errors())
    run.problems = problems
    run.origin = origin or run.origin
    run.progress = finished_progress(result.total_rows)
    run.save()
    return run


# ---------------------------------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------------------------------


class RegionResource(RecordedResource):
    code = text("code", "代码")
    name_zh = text("name_zh", "中文名称")
    full_name_zh = text("full_name_zh", "中文全称")
    name_en = text("name_en", "英文名称")
    level = text("level", "级别")
    parent = fields.Field("parent", "所属省（区、市）", widget=LookupWidget(Region))
    display_order = fields.Field("display_order", "显示顺序", widget=widgets.IntegerWidget())

    column_help = {
        "代码": gettext_lazy("GB/T 2260 division code, e.g. 110000; the key that matches existing rows"),
        "中文名称": gettext_lazy("short Chinese name as the report prints it, e.g. 北京"),
        "中文全称": gettext_lazy("full Chinese name, e.g. 北京市"),
        "英文名称": gettext_lazy("English name, e.g. Beijing"),
        "级别": gettext_lazy("province, city or corps"),
        "所属省（区、市）": gettext_lazy("for a city or the XPCC: its province (name or code); empty for a province"),
        "显示顺序": gettext_lazy("position in the report's tables (whole number)"),
    }

    class Meta:
        model = Region
        import_id_fields = ("code",)
        fields = ("code", "name_zh", "full_name_zh", "name_en", "level", "parent", "display_order")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class CountryResource(RecordedResource):
    code = text("code", "代码")
    alpha2 = text("alpha2", "ISO二字母代码", blank_is_none=True)
    alpha3 = text("alpha3", "ISO三字母代码", blank_is_none=True)
    name_zh = text("name_zh", "中文名称")
    name_en = text("name_en", "英文名称")
    kind = text("kind", "类型")
    members = fields.Field("members", "成员国", widget=CodesWidget())

    column_help = {
        "代码": gettext_lazy("ISO 3166-1 alpha-2 code; ZZ for “other”; member codes joined by + for joint holders"),
        "ISO二字母代码": gettext_lazy("ISO 3166-1 alpha-2, empty for “other” and joint holders"),
        "ISO三字母代码": gettext_lazy("ISO 3166-1 alpha-3, empty for “other” and joint holders"),
        "中文名称": gettext_lazy("Chinese name exactly as the report prints it"),
        "英文名称": gettext_lazy("English name"),
        "类型": gettext_lazy("country, other or joint"),
        "成员国": gettext_lazy("for joint holders: member codes joined by +, e.g. BE+DE+FR+NL"),
    }

    class Meta:
        model = Country
        import_id_fields = ("code",)
        fields = ("code", "alpha2", "alpha3", "name_zh", "name_en", "kind", "members")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().prefetch_related("members")


class ForeignRowOrderResource(RecordedResource):
    table = fields.Field("table", "表", widget=widgets.IntegerWidget())
    country = fields.Field("country", "国家或地区", widget=LookupWidget(Country))
    position = fields.Field("position", "位置", widget=widgets.IntegerWidget())

    column_help = {
        "表": gettext_lazy("appendix table number, 1–12"),
        "国家或地区": gettext_lazy("country by Chinese name, English name or code"),
        "位置": gettext_lazy("row position in that table as printed"),
    }

    class Meta:
        model = ForeignRowOrder
        import_id_fields = ("table", "country")
        fields = ("table", "country", "position")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class ImportRunResource(resources.ModelResource):
    """Export only: the log of imports, for audits. Import runs are written by the imports themselves."""

    user = fields.Field("user__username", "用户")

    class Meta:
        model = ImportRun
        fields = (
            "started_at",
            "finished_at",
            "kind",
            "status",
            "user",
            "filename",
            "sha256",
            "total_rows",
            "created",
            "updated",
            "unchanged",
            "rejected",
            "problems",
        )
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("user")


# ---------------------------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------------------------


class MeasureWidget(widgets.Widget):
    def render(self, value, obj=None, **kwargs):
        return long_format.measure_label(value) if value else ""


class FigureResource(RecordedResource):
    """Figures in long format. The columns come from ``long_format.columns_for``, shared with the importer."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        model = self._meta.model
        self.fields = {}
        for column in long_format.columns_for(model):
            self.fields[column.field] = self._field_for(model, column)

    @staticmethod
    def _field_for(model, column):
        if column.field == model.entity_field:
            return fields.Field(
                column.field, column.header, widget=LookupWidget(model._meta.get_field(column.field).related_model)
            )
        if column.field == "measure":
            return fields.Field("measure", column.header, widget=MeasureWidget())
        if column.field == "total":
            return fields.Field("total", column.header, widget=widgets.IntegerWidget(), readonly=True)
        return fields.Field(column.field, column.header, widget=widgets.IntegerWidget())

    @property
    def column_help(self):
        model = self._meta.model
        entity = model._meta.get_field(model.entity_field).related_model._meta.verbose_name
        help_texts = {
            long_format.ENTITY_HEADERS[model.entity_field]: _("%(entity)s by Chinese name, English name or code")
            % {"entity": entity},
            long_format.YEAR_HEADER: _("the statistical year, e.g. 2025"),
            long_format.MEASURE_HEADER: _("one of: %(choices)s")
            % {"choices": "、".join(long_format.measure_label(code) for code in _measures(model))},
            long_format.TOTAL_HEADER: _("optional; when given, it must equal the sum of the parts"),
        }
        for name in model.value_fields:
            help_texts[long_format.value_header(model, name)] = _("a whole number, not negative")
        return help_texts

    def get_queryset(self):
        return super().get_queryset().select_related(self._meta.model.entity_field)

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs):
        """The whole file at once: parse, check every rule, then write in bulk (the caller rolls back dry runs)."""
        model = self._meta.model
        result = self.get_result_class()()
        result.diff_headers = list(dataset.headers)
        result.total_rows = len(dataset)
        sheet = str(kwargs.get("file_name") or model._meta.verbose_name)
        progress = kwargs.get("progress") or NoProgress()
        progress.phase("reading", len(dataset))
        datas, problems = long_format.to_tables(model, list(dataset.headers), dataset, sheet, progress=progress)
        problems += check_tables(datas)
        if problems:
            _report_problems(result, dataset, problems)
            return result
        user = kwargs.get("user")
        author = Author(user if getattr(user, "pk", None) else None, f"import {sheet}"[:100])
        outcomes: dict = {}
        write_tables(datas, author, outcomes=outcomes, progress=progress)
        _report_rows(result, dataset, datas, outcomes)
        return result


def _measures(model):
    return sorted(set(long_format.measure_choices(model).values()))


def _report_problems(result, dataset, problems: list[Problem]) -> None:
    by_row: dict[int | None, list[str]] = defaultdict(list)
    for problem in problems:
        by_row[problem.location.row].append(str(problem))
    for number, messages in sorted(by_row.items(), key=lambda item: item[0] or 0):
        values = dict(zip(dataset.headers, dataset[number - 2], strict=False)) if number and number >= 2 else {}
        result.append_invalid_row(number or 0, values, ValidationError({NON_FIELD_ERRORS: messages}))
        result.totals[RowResult.IMPORT_TYPE_INVALID] += 1


def _report_rows(result, dataset, datas, outcomes) -> None:
    """Counts for the whole file; row-by-row detail for the first PREVIEW_ROWS rows."""
    listed = 0
    for data in datas:
        for row in data.entity_rows():
            import_type = outcomes[outcome_key(row.entity, data.table, data.years[0])]
            result.totals[import_type] += 1
            if listed < PREVIEW_ROWS:
                listed += 1
                row_result = RowResult()
                row_result.import_type = import_type
                row_result.diff = [str(value) for value in dataset[row.row - 2]]
                row_result.object_repr = f"{row.entity} {data.years[0]}"
                result.append_row_result(row_result)


class RegionPatentFigureResource(FigureResource):
    class Meta:
        model = RegionPatentFigure


class CountryPatentFigureResource(FigureResource):
    class Meta:
        model = CountryPatentFigure


class RegionTrademarkFigureResource(FigureResource):
    class Meta:
        model = RegionTrademarkFigure


class CountryTrademarkFigureResource(FigureResource):
    class Meta:
        model = CountryTrademarkFigure


class RegionCountFigureResource(FigureResource):
    class Meta:
        model = RegionCountFigure


class CountryCountFigureResource(FigureResource):
    class Meta:
        model = CountryCountFigure


class IndicatorGroupWidget(widgets.ForeignKeyWidget):
    """A catalogue group as ``first-level / second-level`` (or the first level alone), within the row's framework."""

    def __init__(self, **kwargs):
        super().__init__(IndicatorGroup, field="name_zh", **kwargs)

    def clean(self, value, row=None, **kwargs):
        names = [part.strip() for part in str(value or "").split("/") if part.strip()]
        if not names:
            return None
        framework = (row or {}).get("体系", "regional")
        groups = IndicatorGroup.objects.filter(framework=framework, name_zh=names[-1])
        groups = groups.filter(parent__name_zh=names[0]) if len(names) > 1 else groups.filter(parent=None)
        group = groups.first()
        if group is None:
            raise ValueError(_("unknown indicator group “%(value)s”") % {"value": value})
        return group

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class TopGroupWidget(widgets.ForeignKeyWidget):
    """A first-level group by name, within the row's framework (both frameworks have 知识产权保护)."""

    def __init__(self, **kwargs):
        super().__init__(IndicatorGroup, field="name_zh", **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        return IndicatorGroup.objects.filter(framework=row.get("体系"), parent=None)


class IndicatorGroupResource(RecordedResource):
    framework = text("framework", "体系")
    parent = fields.Field("parent", "一级分组", widget=TopGroupWidget())
    name_zh = text("name_zh", "中文名称")
    name_en = text("name_en", "英文名称")
    position = fields.Field("position", "显示顺序", widget=widgets.IntegerWidget())

    column_help = {
        "体系": gettext_lazy("national (表 3) or regional (表 4)"),
        "一级分组": gettext_lazy("for a second-level group: its first-level group; empty for a first-level group"),
        "中文名称": gettext_lazy("name as printed"),
        "英文名称": gettext_lazy("English name"),
        "显示顺序": gettext_lazy("position in the catalogue (whole number)"),
    }

    class Meta:
        model = IndicatorGroup
        import_id_fields = ("framework", "parent", "name_zh")
        fields = ("framework", "parent", "name_zh", "name_en", "position")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class IndicatorResource(RecordedResource):
    code = text("code", "代码")
    framework = text("framework", "体系")
    number = fields.Field("number", "序号", widget=widgets.IntegerWidget())
    name_zh = text("name_zh", "中文名称")
    name_en = text("name_en", "英文名称")
    unit = text("unit", "单位")
    group = fields.Field("group", "分组", widget=IndicatorGroupWidget())
    source = text("source", "来源")
    source_detail = text("source_detail", "来源说明")
    formula = text("formula", "公式")
    required = fields.Field("required", "必填", widget=widgets.BooleanWidget())
    change_threshold = fields.Field("change_threshold", "变动阈值（%）", widget=widgets.DecimalWidget())

    column_help = {
        "代码": gettext_lazy("stable code, e.g. R63; the key that matches existing rows"),
        "体系": gettext_lazy("national (表 3) or regional (表 4)"),
        "序号": gettext_lazy("the printed number; empty for a denominator"),
        "中文名称": gettext_lazy("name as printed"),
        "英文名称": gettext_lazy("English name"),
        "单位": gettext_lazy("unit as printed, e.g. 件, %, 亿元"),
        "分组": gettext_lazy("first-level group / second-level group, e.g. 知识产权保护 / 协同保护"),
        "来源": gettext_lazy("entered, national_statistics, computed or registry"),
        "来源说明": gettext_lazy("national statistics: table.column, e.g. 7.in_force; registry: centres or platforms"),
        "公式": gettext_lazy("computed indicators: a formula over codes, e.g. R18 / D_POPULATION"),
        "必填": gettext_lazy("1 if a province must give a value, else 0"),
        "变动阈值（%）": gettext_lazy("a change beyond this against last year needs a note; empty means 50"),
    }

    class Meta:
        model = Indicator
        import_id_fields = ("code",)
        fields = (
            "code",
            "framework",
            "number",
            "name_zh",
            "name_en",
            "unit",
            "group",
            "source",
            "source_detail",
            "formula",
            "required",
            "change_threshold",
        )
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
