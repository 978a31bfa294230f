"""The index results the 2025 report prints, and the groups of provinces its averages are taken over.

Every result carries the sentence it was read from and that sentence's line in
``fixtures/sources/ip_power_index_report_2025.txt`` (the same file as the seed), so that a reader can check it.
A *derived* result is arithmetic on printed numbers (the previous year's score = this year's − its increment); it
points at the printed result it comes from and states the arithmetic, and the loader computes it from that result
rather than reading a second copy. These rows are the report's, loaded by ``load_report_data``; they are not
edited in the admin (see ``services.py``).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from statistics.models import Region
from statistics.models.reference import PERMISSIONS

from .frameworks import FrameworkGroup

SOURCE_DOCUMENT = "fixtures/sources/ip_power_index_report_2025.txt"


class IndexKind(models.TextChoices):
    NATIONAL = "national", _("national IP-power index")
    REGIONAL = "regional", _("regional IP development index")


#: The indexes' names as the report prints them, whatever the interface language.
INDEX_NAMES_ZH = {IndexKind.NATIONAL: "知识产权强国建设指数", IndexKind.REGIONAL: "地区知识产权发展指数"}
#: The composite, as the report calls it (综合指数, lines 1312 and 1530).
COMPOSITE_NAME_ZH = "综合指数"


class ScopeKind(models.TextChoices):
    NATIONAL = "national", _("national")
    MEAN = "mean", _("mean of the provinces")
    MEDIAN = "median", _("median of the provinces")
    PROVINCE = "province", _("province")
    FOUR_REGION = "four_region", _("one of the four regions")
    STRATEGIC_REGION = "strategic_region", _("strategic region")


class Scope(models.Model):
    """What a result is about: the country, the provinces' mean or median, one province, or a group of provinces."""

    kind = models.CharField(_("kind"), max_length=20, choices=ScopeKind.choices)
    name_zh = models.CharField(_("Chinese name (as printed)"), max_length=32, unique=True)
    region = models.OneToOneField(
        Region,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="index_scope",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("result scope")
        verbose_name_plural = _("result scopes")
        default_permissions = PERMISSIONS
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name_zh

    def clean(self):
        if (self.kind == ScopeKind.PROVINCE) != bool(self.region_id):
            raise ValidationError({"region": _("A province scope names its province; no other scope does.")})

    @property
    def is_group(self) -> bool:
        return self.kind in (ScopeKind.FOUR_REGION, ScopeKind.STRATEGIC_REGION)


class MembershipSource(models.TextChoices):
    REPORT = "report", _("printed in the report")
    STANDARD = "standard", _("standard definition (not printed in the report)")


class Membership(models.Model):
    """A province's membership of a four-region group or a strategic region, with where the membership comes from."""

    group = models.ForeignKey(
        Scope,
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        related_name="memberships",
        limit_choices_to={"kind__in": [ScopeKind.FOUR_REGION, ScopeKind.STRATEGIC_REGION]},
    )
    province = models.ForeignKey(
        Region, verbose_name=_("province"), on_delete=models.PROTECT, related_name="index_memberships"
    )
    source_kind = models.CharField(_("source kind"), max_length=10, choices=MembershipSource.choices)
    source = models.CharField(_("source"), max_length=300)
    source_line = models.PositiveIntegerField(_("source line"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        default_permissions = PERMISSIONS
        ordering = ["group__position", "province__display_order"]
        constraints = [models.UniqueConstraint(fields=["group", "province"], name="evaluation_unique_membership")]

    def __str__(self):
        return f"{self.group} ∋ {self.province}"

    def clean(self):
        if self.group_id and not self.group.is_group:
            raise ValidationError({"group": _("Only a four-region group or a strategic region has members.")})
        if self.source_kind == MembershipSource.REPORT and not self.source_line:
            raise ValidationError({"source_line": _("Say on which line the report prints the membership.")})


class Measure(models.TextChoices):
    """What a printed number measures. Scores come with their increment; the listings name provinces in order."""

    SCORE = "score", _("score")
    GROWTH_RATE = "growth_rate", _("growth rate (%)")
    COUNT_ABOVE_MEAN = "count_above_mean", _("provinces above the mean")
    COUNT_ABOVE_80 = "count_above_80", _("provinces above 80")
    GAP = "gap", _("lead over another scope")
    LARGEST_INCREASE = "largest_increase", _("among the largest increases")
    LEADING = "leading", _("among the leading provinces")
    NAMED_ABOVE_MEAN = "named_above_mean", _("named among the provinces above the mean")
    NEWLY_ABOVE_80 = "newly_above_80", _("newly above 80")


class Status(models.TextChoices):
    PUBLISHED = "published", _("published")
    DERIVED = "derived", _("derived")


class PublishedResult(models.Model):
    """One index result of the report: index, scope, component (empty: the composite), year, value and change."""

    key = models.CharField(_("key"), max_length=160, unique=True, editable=False)
    index = models.CharField(_("index"), max_length=10, choices=IndexKind.choices)
    year = models.PositiveSmallIntegerField(_("evaluation year"))
    scope = models.ForeignKey(Scope, verbose_name=_("scope"), on_delete=models.PROTECT, related_name="results")
    component = models.ForeignKey(
        FrameworkGroup,
        verbose_name=_("component"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="published_results",
        limit_choices_to={"parent": None},
        help_text=_("Empty: the composite; otherwise the first-level group whose sub-index this is."),
    )
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices, default=Measure.SCORE)
    value = models.DecimalField(_("value"), max_digits=8, decimal_places=2, null=True, blank=True)
    change = models.DecimalField(_("change against last year"), max_digits=8, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(
        _("position in the printed list"), null=True, blank=True, help_text=_("For the listings of provinces.")
    )
    compared_with = models.ForeignKey(
        Scope,
        verbose_name=_("compared with"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For a lead over another scope."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    derived_from = models.ForeignKey(
        "self",
        verbose_name=_("derived from"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="derived_results",
    )
    formula = models.CharField(_("arithmetic"), max_length=100, blank=True)
    source_line = models.PositiveIntegerField(_("source line"))
    source_sentence = models.TextField(_("source sentence"))
    also_printed_at = models.CharField(
        _("also printed at lines"), max_length=60, blank=True, help_text=_("Other lines that repeat the number.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("published index result")
        verbose_name_plural = _("published index results")
        default_permissions = PERMISSIONS
        ordering = ["index", "-year", "scope__position", "component__position", "measure", "position", "pk"]

    def __str__(self):
        return self.key

    def save(self, *args, **kwargs):
        self.key = self.natural_key_text()
        super().save(*args, **kwargs)

    @property
    def index_name_zh(self) -> str:
        return INDEX_NAMES_ZH[IndexKind(self.index)]

    @property
    def component_name_zh(self) -> str:
        return self.component.subindex_name_zh if self.component_id else COMPOSITE_NAME_ZH

    def natural_key_text(self) -> str:
        """index/year/scope/component/measure[/compared scope]: the row's identity, for imports and the loader."""
        parts = [
            self.index,
            str(self.year),
            self.scope.name_zh,
            self.component.name_zh if self.component_id else "composite",
            self.measure,
        ]
        if self.compared_with_id:
            parts.append(self.compared_with.name_zh)
        return "/".join(parts)

    def clean(self):
        problems = {}
        if self.value is None and self.change is None and self.measure not in NAMING_MEASURES:
            problems["value"] = _("A result needs a value or a change.")
        if self.status == Status.DERIVED and not (self.derived_from_id and self.formula):
            problems["derived_from"] = _("A derived result names the printed result and the arithmetic.")
        if self.status == Status.PUBLISHED and self.derived_from_id:
            problems["derived_from"] = _("A published result is printed, not derived.")
        if (self.measure == Measure.GAP) != bool(self.compared_with_id):
            problems["compared_with"] = _("A lead names the scope it is measured against; nothing else does.")
        if self.component_id and self.component.parent_id:
            problems["component"] = _("A sub-index belongs to a first-level group.")
        if self.component_id and self.index and self.component.framework != self.index:
            problems["component"] = _("The group belongs to the other index's framework.")
        if problems:
            raise ValidationError(problems)


#: Measures that name a province in a printed list and may carry no number of their own.
NAMING_MEASURES = (Measure.LEADING, Measure.NAMED_ABOVE_MEAN, Measure.NEWLY_ABOVE_80)


def previous_year_value(result: PublishedResult) -> Decimal | None:
    """The previous year's score that a printed score and increment imply, or None when either is missing."""
    if result.value is None or result.change is None or result.measure != Measure.SCORE:
        return None
    return result.value - result.change
