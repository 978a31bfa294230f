"""The figures of appendix tables 1–12, in three families (patents, trademarks, single counts).

Totals are never stored: a row's total is derived here (``total`` on an instance, ``with_total()`` and
``total_sums()`` in the database), the domestic, foreign and grand totals in ``totals.py``, so they cannot disagree
with their parts.
"""

import operator
from functools import reduce

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Sum
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..cell_rules import negative_message, province_consistency_errors
from .reference import PERMISSIONS, Country, Region


class YearField(models.PositiveSmallIntegerField):
    """A statistical year; the appendix reports calendar years."""

    def __init__(self, verbose_name=None, *args, **kwargs):
        kwargs["verbose_name"] = verbose_name or kwargs.get("verbose_name") or _("year")
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)


def count_field(verbose_name):
    return models.PositiveBigIntegerField(verbose_name)


class FigureQuerySet(models.QuerySet):
    def with_total(self):
        """Rows with their derived ``total`` (patents: invention + utility model + design), computed by the database.

        For ``values()`` rows (the API, the dashboards); a model instance has the same sum as ``figure.total``.
        Models without a row total (trademarks, single counts) are returned as they are.
        """
        if not self.model.has_total:
            return self
        return self.annotate(total=self.model.total_expression())

    def total_sums(self, *keys: str):
        """One row per ``keys`` (e.g. year and measure) with the sum of every value column, and of the row total."""
        sums = {"total": Sum(self.model.total_expression())} if self.model.has_total else {}
        # the total first: a later F("invention") would name the "invention" sum, not the column
        sums |= {name: Sum(name) for name in self.model.value_fields}
        return self.order_by().values(*keys).annotate(**sums)


class Figure(models.Model):
    """Common parts of every figures row: the year, the non-negative value columns and their checks.

    Subclasses set ``entity_field`` ("region" or "country") and ``value_fields``. Each row is checked by the
    database (unique entity/year/measure, non-negative values) and, for readable messages, by ``clean()``.
    """

    entity_field = ""
    value_fields: tuple[str, ...] = ()
    has_total = False  # patents: the row total, the sum of ``value_fields``, is derived (never stored)

    year = YearField()

    history = HistoricalRecords(inherit=True)

    objects = FigureQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.describe()

    def save(self, *args, **kwargs):
        """Every save from code (admin, shell, services) is validated first, so nothing invalid is half-saved."""
        self.full_clean()
        super().save(*args, **kwargs)

    @classmethod
    def total_expression(cls):
        """The row total as a database expression: the sum of the value columns (the one definition of a total)."""
        return reduce(operator.add, (F(name) for name in cls.value_fields))

    @property
    def total(self) -> int | None:
        """The row total of a patent row, the same sum as ``total_expression``; None for other families."""
        if not self.has_total:
            return None
        return sum(getattr(self, name) for name in self.value_fields)

    @classmethod
    def has_measure(cls) -> bool:
        """Patents and single counts carry a measure (filed/granted/…); trademarks hold theirs side by side."""
        return any(field.name == "measure" for field in cls._meta.fields)

    @property
    def entity(self):
        return getattr(self, self.entity_field)

    def describe(self, field_name: str | None = None, entity=None) -> str:
        """ "北京 2025 专利申请 发明" (entity, year, measure, column): enough for an officer to find the cell."""
        if entity is None:
            entity = self.entity if getattr(self, f"{self.entity_field}_id", None) else "?"
        parts = [str(entity), str(self.year)]
        measure = getattr(self, "get_measure_display", None)
        if measure:
            parts.append(str(measure()))
        if field_name:
            parts.append(str(self._meta.get_field(field_name).verbose_name))
        return " ".join(parts)

    def clean(self):
        super().clean()
        errors = {
            name: ValidationError(negative_message(self.describe(name), getattr(self, name)), code="negative")
            for name in self.value_fields
            if getattr(self, name) is not None and getattr(self, name) < 0
        }
        if not errors and self.entity_field == "region" and getattr(self, "region_id", None):
            errors = province_consistency_errors(self)
        if errors:
            raise ValidationError(errors)

    def unique_error_message(self, model_class, unique_check):
        return ValidationError(
            _("%(cell)s: figures for this entity and year are already recorded; edit that row instead.")
            % {"cell": self.describe()},
            code="unique",
        )

    @classmethod
    def non_negative_constraints(cls, prefix: str, fields: tuple[str, ...]):
        return [
            models.CheckConstraint(name=f"{prefix}_{field}_non_negative", condition=Q(**{f"{field}__gte": 0}))
            for field in fields
        ]


class PatentMeasure(models.TextChoices):
    FILED = "filed", _("applications filed")
    GRANTED = "granted", _("patents granted")
    IN_FORCE = "in_force", _("patents in force at year end")


class PatentFigure(Figure):
    """Tables 1–6. The row total is derived: invention + utility model + design."""

    value_fields = ("invention", "utility_model", "design")
    has_total = True

    measure = models.CharField(_("measure"), max_length=10, choices=PatentMeasure.choices)
    invention = count_field(_("invention"))
    utility_model = count_field(_("utility model"))
    design = count_field(_("design"))

    class Meta:
        abstract = True


class RegionPatentFigure(PatentFigure):
    entity_field = "region"
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("domestic patent figures")
        verbose_name_plural = _("domestic patent figures (tables 1, 3, 5)")
        default_permissions = PERMISSIONS
        ordering = ["-year", "measure", "region__display_order"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "measure"], name="region_patent_unique"),
            *Figure.non_negative_constraints("region_patent", PatentFigure.value_fields),
        ]


class CountryPatentFigure(PatentFigure):
    entity_field = "country"
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("foreign patent figures")
        verbose_name_plural = _("foreign patent figures (tables 2, 4, 6)")
        default_permissions = PERMISSIONS
        ordering = ["-year", "measure", "country__code"]
        constraints = [
            models.UniqueConstraint(fields=["country", "year", "measure"], name="country_patent_unique"),
            *Figure.non_negative_constraints("country_patent", PatentFigure.value_fields),
        ]


class TrademarkFigure(Figure):
    """Tables 7–8. Three measures side by side; there is no row total."""

    value_fields = ("applications", "registrations", "in_force")

    applications = count_field(_("applications"))
    registrations = count_field(_("registrations"))
    in_force = count_field(_("registrations in force at year end"))

    class Meta:
        abstract = True


class RegionTrademarkFigure(TrademarkFigure):
    entity_field = "region"
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("domestic trademark figures")
        verbose_name_plural = _("domestic trademark figures (table 7)")
        default_permissions = PERMISSIONS
        ordering = ["-year", "region__display_order"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="region_trademark_unique"),
            *Figure.non_negative_constraints("region_trademark", TrademarkFigure.value_fields),
        ]


class CountryTrademarkFigure(TrademarkFigure):
    entity_field = "country"
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("foreign trademark figures")
        verbose_name_plural = _("foreign trademark figures (table 8)")
        default_permissions = PERMISSIONS
        ordering = ["-year", "country__code"]
        constraints = [
            models.UniqueConstraint(fields=["country", "year"], name="country_trademark_unique"),
            *Figure.non_negative_constraints("country_trademark", TrademarkFigure.value_fields),
        ]


class CountMeasure(models.TextChoices):
    GI_PRODUCTS = "gi_products", _("GI products approved (cumulative)")
    GI_MARKS = "gi_marks", _("GI collective and certification marks registered (cumulative)")
    IC_APPLICATIONS = "ic_applications", _("IC layout-design registration applications")
    IC_CERTIFICATES = "ic_certificates", _("IC layout-design certificates issued")


class CountFigure(Figure):
    """Tables 9–12: one count per entity, year and measure, for domestic regions and foreign countries alike."""

    value_fields = ("value",)

    measure = models.CharField(_("measure"), max_length=20, choices=CountMeasure.choices)
    value = count_field(_("value"))

    class Meta:
        abstract = True


class RegionCountFigure(CountFigure):
    entity_field = "region"
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("domestic GI and IC figures")
        verbose_name_plural = _("domestic GI and IC figures (tables 9–12)")
        default_permissions = PERMISSIONS
        ordering = ["-year", "measure", "region__display_order"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "measure"], name="region_count_unique"),
            *Figure.non_negative_constraints("region_count", CountFigure.value_fields),
        ]


class CountryCountFigure(CountFigure):
    entity_field = "country"
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("foreign GI and IC figures")
        verbose_name_plural = _("foreign GI and IC figures (tables 9–12)")
        default_permissions = PERMISSIONS
        ordering = ["-year", "measure", "country__code"]
        constraints = [
            models.UniqueConstraint(fields=["country", "year", "measure"], name="country_count_unique"),
            *Figure.non_negative_constraints("country_count", CountFigure.value_fields),
        ]


class ForeignRowOrder(models.Model):
    """The position at which a table prints a country's row.

    The report does not sort foreign rows the same way in every table (tables 9 and 10 list countries in the
    order they were first recorded), so the printed order is kept per table. Countries without a position follow,
    by code.
    """

    table = models.PositiveSmallIntegerField(_("table"))
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("foreign row order")
        verbose_name_plural = _("foreign row orders")
        default_permissions = PERMISSIONS
        ordering = ["table", "position"]
        constraints = [
            models.UniqueConstraint(fields=["table", "country"], name="foreign_row_order_unique"),
            models.CheckConstraint(name="foreign_row_order_table_range", condition=Q(table__gte=1, table__lte=12)),
        ]

    def __str__(self):
        return f"{self.table}: {self.country} #{self.position}"
