"""The indicator catalogue of the IP-power index (second report, 表 3 national and 表 4 regional).

The catalogue says, for each indicator, how its value arises, so that a province's annual return never asks an
officer to type a figure that headquarters already holds (national statistics, the protection registry) or that
follows from others (the per-capita and per-GDP ratios, by the stored formula).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..formulas import FormulaError, evaluation_order, parse_formula
from .reference import PERMISSIONS


class Framework(models.TextChoices):
    NATIONAL = "national", _("national (表 3)")
    REGIONAL = "regional", _("regional (表 4)")


class IndicatorGroup(models.Model):
    """A first-level group (parent empty) or a second-level group of one framework, in the printed order."""

    framework = models.CharField(_("framework"), max_length=16, choices=Framework.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("first-level group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name_zh = models.CharField(_("Chinese name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator group")
        verbose_name_plural = _("indicator groups")
        default_permissions = PERMISSIONS
        ordering = ["framework", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "parent", "name_zh"], name="unique_group_name"),
            models.UniqueConstraint(
                fields=["framework", "name_zh"], condition=models.Q(parent=None), name="unique_top_group_name"
            ),
        ]

    def __str__(self):
        return f"{self.parent.name_zh} / {self.name_zh}" if self.parent_id else self.name_zh


class Source(models.TextChoices):
    ENTERED = "entered", _("entered by the province")
    NATIONAL_STATISTICS = "national_statistics", _("from national statistics")
    COMPUTED = "computed", _("computed by formula")
    REGISTRY = "registry", _("from the protection registry")


class Indicator(models.Model):
    """One indicator. ``number`` is the printed number; denominators added for the formulas have none."""

    framework = models.CharField(_("framework"), max_length=16, choices=Framework.choices)
    code = models.CharField(_("code"), max_length=32, unique=True, help_text=_("e.g. R24 for 表 4 No. 24"))
    number = models.PositiveSmallIntegerField(_("printed number"), null=True, blank=True)
    name_zh = models.CharField(_("Chinese name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=16)
    group = models.ForeignKey(IndicatorGroup, verbose_name=_("group"), on_delete=models.PROTECT)
    source = models.CharField(_("source"), max_length=24, choices=Source.choices, default=Source.ENTERED)
    formula = models.CharField(
        _("formula"), max_length=200, blank=True, help_text=_("Computed indicators only, over indicator codes.")
    )
    source_detail = models.CharField(
        _("source detail"),
        max_length=64,
        blank=True,
        help_text=_("National statistics: table.measure, e.g. 7.in_force. Registry: centres or platforms."),
    )
    required = models.BooleanField(_("required"), default=True)
    change_threshold = models.DecimalField(
        _("change threshold (%)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("A change against last year's approved value beyond this needs a note; empty means 50%."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        default_permissions = PERMISSIONS
        ordering = ["framework", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], condition=models.Q(number__isnull=False), name="unique_printed_number"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.name_zh}" if self.number else self.name_zh

    def _check_formula_order(self) -> None:
        """``FormulaCycle`` when this formula and the framework's other ones would read each other in a circle."""
        others = Indicator.objects.filter(framework=self.framework, source=Source.COMPUTED).exclude(pk=self.pk)
        formulas = {code: formula for code, formula in others.values_list("code", "formula") if formula}
        formulas[self.code] = self.formula
        evaluation_order(formulas)

    @property
    def is_percentage(self) -> bool:
        return self.unit.strip() == "%"

    def clean(self):
        problems = {}
        if self.source == Source.COMPUTED:
            if not self.formula:
                problems["formula"] = _("A computed indicator needs a formula.")
            else:
                try:
                    parse_formula(self.formula)
                    self._check_formula_order()
                except FormulaError as error:
                    problems["formula"] = str(error)
        elif self.formula:
            problems["formula"] = _("Only a computed indicator has a formula.")
        if self.source in (Source.NATIONAL_STATISTICS, Source.REGISTRY) and not self.source_detail:
            problems["source_detail"] = _("Say where the value comes from.")
        if self.group_id and self.group.framework != self.framework:
            problems["group"] = _("The group belongs to the other framework.")
        if problems:
            raise ValidationError(problems)
