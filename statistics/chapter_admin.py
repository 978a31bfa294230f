"""The admin of the chapter tables' figures (registered from ``statistics/admin.py``), like the appendix figures.

Spreadsheet import and export, history and no bulk delete come from ``RecordsAdmin``. A cell saved here or
imported in long format is checked by ``ChapterFigure.clean`` (``cell_rules.chapter_cell_errors``: a stored row of the
table, not negative, whole where the table counts). Total rows are never stored, so an edit cannot make a printed
total disagree with its parts; the workbook in the report's layout goes through ``import_appendix`` with every rule.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from core.admin_tools import RecordsAdmin

from .models import ChapterFigure
from .resources import RecordedResource


class ChapterFigureResource(RecordedResource):
    table = fields.Field("table", "table")
    row = fields.Field("row", "row")
    year = fields.Field("year", "year", widget=widgets.IntegerWidget())
    value = fields.Field("value", "value", widget=widgets.DecimalWidget())

    class Meta:
        model = ChapterFigure
        fields = ("table", "row", "year", "value")
        import_id_fields = ("table", "row", "year")
        skip_unchanged = True


@admin.register(ChapterFigure)
class ChapterFigureAdmin(RecordsAdmin):
    resource_classes = [ChapterFigureResource]
    list_display = ("table", "printed_row", "year", "value")
    list_filter = ("table", "year")
    search_fields = ("row",)
    ordering = ("table", "-year", "id")

    @admin.display(description=_("row as printed"))
    def printed_row(self, obj):
        return obj.row_label
