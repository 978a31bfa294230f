"""The two index frameworks, complete in structure: every group and every numbered indicator slot.

The 2025 report prints the national framework (表 3: 6 first-level groups, 85 indicators) and the regional one
(表 4: 3 first-level, 9 second-level, 86 third-level indicators), but its extract cuts both tables off (表 3 Nos.
1–14 and 67–85, 表 4 Nos. 63–86). The indicators themselves live in the statistics app's catalogue
(``statistics.Indicator``), which the provinces' returns use; a slot here points at its catalogue entry and adds
what the index needs and the catalogue does not hold: the direction and the kind of value. A slot without a
catalogue entry is a placeholder, "not in the source text", until an administrator adds the indicator to the
catalogue and links it (admin or import).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from statistics.models import Framework, Indicator, IndicatorGroup
from statistics.models.reference import PERMISSIONS


class Basis(models.TextChoices):
    """Where a structural fact comes from: printed in the report, or arithmetic on printed facts."""

    PRINTED = "printed", _("printed")
    DERIVED = "derived", _("derived")
    UNKNOWN = "unknown", _("not in the source text")


class FrameworkGroup(models.Model):
    """A first-level group (no parent) or a second-level group of one framework, as the report prints it.

    ``printed_count`` is the number of indicators the report gives for the group; the number range is printed
    when the table lists the group's first and last indicator, derived when it follows from the counts, and
    unknown when the extract cuts it off.
    """

    framework = models.CharField(_("framework"), max_length=16, choices=Framework.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("first-level group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name_zh = models.CharField(_("Chinese name (as printed)"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    subindex_name_zh = models.CharField(
        _("sub-index name (as printed)"),
        max_length=64,
        blank=True,
        help_text=_("First-level groups only: the name the report gives the group's sub-index."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    indicator_count = models.PositiveSmallIntegerField(_("indicator count"), null=True, blank=True)
    count_basis = models.CharField(_("count basis"), max_length=10, choices=Basis.choices, default=Basis.UNKNOWN)
    first_number = models.PositiveSmallIntegerField(_("first indicator number"), null=True, blank=True)
    last_number = models.PositiveSmallIntegerField(_("last indicator number"), null=True, blank=True)
    range_basis = models.CharField(_("range basis"), max_length=10, choices=Basis.choices, default=Basis.UNKNOWN)
    catalogue_group = models.ForeignKey(
        IndicatorGroup,
        verbose_name=_("catalogue group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_line = models.PositiveIntegerField(_("source line"), null=True, blank=True)
    source_text = models.CharField(_("source text"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("framework group")
        verbose_name_plural = _("framework groups")
        default_permissions = PERMISSIONS
        ordering = ["framework", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "name_zh", "parent"], name="evaluation_unique_group"),
            models.UniqueConstraint(
                fields=["framework", "name_zh"], condition=models.Q(parent=None), name="evaluation_unique_top_group"
            ),
        ]

    def __str__(self):
        return f"{self.parent.name_zh} / {self.name_zh}" if self.parent_id else self.name_zh

    @property
    def level(self) -> int:
        return 2 if self.parent_id else 1

    def clean(self):
        problems = {}
        if self.parent_id and self.parent.framework != self.framework:
            problems["parent"] = _("The first-level group belongs to the other framework.")
        if self.parent_id and self.parent.parent_id:
            problems["parent"] = _("Groups have two levels: the parent must be a first-level group.")
        if self.first_number and self.last_number and self.first_number > self.last_number:
            problems["last_number"] = _("The last number comes before the first.")
        if (
            self.indicator_count
            and self.first_number
            and self.last_number
            and self.last_number - self.first_number + 1 != self.indicator_count
        ):
            problems["indicator_count"] = _("The number range does not hold as many indicators as the count says.")
        if self.catalogue_group_id and self.catalogue_group.framework != self.framework:
            problems["catalogue_group"] = _("The catalogue group belongs to the other framework.")
        if problems:
            raise ValidationError(problems)


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher", _("higher is better")
    LOWER_IS_BETTER = "lower", _("lower is better")


class ValueKind(models.TextChoices):
    """The kind of value an indicator takes; the normalisation and the plausibility checks depend on it."""

    COUNT = "count", _("count")
    AMOUNT = "amount", _("amount of money or output")
    INTENSITY = "intensity", _("ratio per population, GDP or other base")
    PERCENTAGE = "percentage", _("percentage")
    SCORE = "score", _("score")
    UNKNOWN = "unknown", _("not yet known")


class FrameworkIndicator(models.Model):
    """One numbered indicator slot of a framework: its catalogue entry, direction and kind of value."""

    framework = models.CharField(_("framework"), max_length=16, choices=Framework.choices)
    number = models.PositiveSmallIntegerField(_("printed number"))
    group = models.ForeignKey(
        FrameworkGroup,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text=_("Empty when the source text does not say (表 4 Nos. 63–86)."),
    )
    catalogue_indicator = models.OneToOneField(
        Indicator,
        verbose_name=_("catalogue indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="index_slot",
        help_text=_("Empty: a placeholder; add the indicator to the catalogue and link it here."),
    )
    in_source_text = models.BooleanField(
        _("in the source text"),
        default=False,
        help_text=_("Whether the report's extract prints this indicator (a fact about the source, not the catalogue)."),
    )
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER_IS_BETTER
    )
    value_kind = models.CharField(_("kind of value"), max_length=12, choices=ValueKind.choices)
    source_line = models.PositiveIntegerField(_("source line"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("framework indicator")
        verbose_name_plural = _("framework indicators")
        default_permissions = PERMISSIONS
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="evaluation_unique_indicator_number"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name_zh or _('(not in the source text)')}"

    @property
    def is_placeholder(self) -> bool:
        """True until the slot is linked to a catalogue indicator."""
        return self.catalogue_indicator_id is None

    @property
    def name_zh(self) -> str:
        return self.catalogue_indicator.name_zh if self.catalogue_indicator_id else ""

    @property
    def unit(self) -> str:
        return self.catalogue_indicator.unit if self.catalogue_indicator_id else ""

    def clean(self):
        problems = {}
        if self.group_id:
            if self.group.framework != self.framework:
                problems["group"] = _("The group belongs to the other framework.")
            elif self.framework == Framework.REGIONAL and self.group.parent_id is None:
                problems["group"] = _("A regional indicator belongs to a second-level group.")
            elif (
                self.group.first_number
                and self.group.last_number
                and not (self.group.first_number <= self.number <= self.group.last_number)
            ):
                problems["number"] = _("No. %(number)s lies outside the group's numbers %(first)s–%(last)s.") % {
                    "number": self.number,
                    "first": self.group.first_number,
                    "last": self.group.last_number,
                }
        catalogue = self.catalogue_indicator
        if catalogue is not None and (catalogue.framework, catalogue.number) != (self.framework, self.number):
            problems["catalogue_indicator"] = _(
                "The catalogue indicator is No. %(number)s of the %(framework)s framework, not this slot."
            ) % {"number": catalogue.number, "framework": catalogue.get_framework_display()}
        if problems:
            raise ValidationError(problems)
