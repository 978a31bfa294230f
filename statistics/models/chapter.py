"""The figures of the small tables inside the report's chapters (``statistics/chapter_tables.py``).

Their rows are case types, not regions or countries, so they do not fit the appendix's three figure families
(which are keyed by a region or a country); one cell per table, row and year is stored here instead. Only rows
without parts are stored: a total row (复审请求, 复杂案件 …) is derived from its parts, so it cannot disagree with
them. Values are decimals because one table (商标审查审理周期) prints months such as 5.5; the count tables accept
whole numbers only (checked in ``clean``).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..cell_rules import chapter_cell_errors
from ..chapter_tables import TABLES
from .figures import YearField
from .reference import PERMISSIONS


class ChapterTableCode(models.TextChoices):
    PATENT_REEXAMINATION = "patent_reexamination", "专利复审请求和结案情况"
    PATENT_INVALIDATION = "patent_invalidation", "无效宣告请求和结案情况"
    TRADEMARK_REVIEW_REQUESTS = "trademark_review_requests", "商标评审请求情况"
    TRADEMARK_REVIEW_RULINGS = "trademark_review_rulings", "商标评审裁定情况"
    TRADEMARK_CYCLES = "trademark_cycles", "商标审查审理周期"


class ChapterFigure(models.Model):
    table = models.CharField(_("chapter table"), max_length=40, choices=ChapterTableCode.choices)
    row = models.CharField(_("row"), max_length=60)
    year = YearField()
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chapter table figure")
        verbose_name_plural = _("chapter table figures")
        default_permissions = PERMISSIONS
        ordering = ["table", "-year", "row"]
        constraints = [
            models.UniqueConstraint(fields=["table", "row", "year"], name="chapter_figure_unique"),
            models.CheckConstraint(name="chapter_figure_value_non_negative", condition=Q(value__gte=0)),
        ]

    def __str__(self):
        return self.describe()

    def save(self, *args, **kwargs):
        """Validated first, from every path (admin, import, shell), so nothing invalid is half-saved."""
        self.full_clean()
        super().save(*args, **kwargs)

    @property
    def declared_table(self):
        return TABLES.get(self.table)

    @property
    def row_label(self) -> str:
        table = self.declared_table
        row = next((row for row in table.rows if row.code == self.row), None) if table else None
        return row.label if row else self.row

    def describe(self) -> str:
        """“专利复审请求和结案情况 (1) 发明专利 2025”: enough to find the printed cell."""
        return f"{self.get_table_display()} {self.row_label} {self.year}"

    def clean(self):
        super().clean()
        errors = chapter_cell_errors(self.table, self.row, self.value, self.describe())
        if errors:
            raise ValidationError(errors)
