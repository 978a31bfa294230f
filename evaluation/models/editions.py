"""Index editions: a method stored as data, the scores computed with it, and the log of what changed between editions.

An edition is prepared by headquarters and published through the one review workflow (draft → submitted →
approved). Its method (normalisation, directions, weights, aggregation, missing-value rule, chaining) is stored
in its fields, and the scores are stored with it when computed, so that a published edition never changes: the
method and the scores are frozen from the first approval on, and recomputing with another method makes a new
edition (``evaluation.edition_services``). Until ``embargo_until`` only headquarters sees an approved edition.

The engine (``evaluation.engine``) does the arithmetic; these models hold its inputs' description and its outputs.
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from review.models import Owner, Reviewable, State
from statistics.models import Region, YearField
from statistics.models.reference import PERMISSIONS

from ..engine import Aggregation, Chaining, MissingRule, Normalisation
from .frameworks import FrameworkGroup, FrameworkIndicator
from .published import Scope

__all__ = [
    "DemoReturn",
    "Edition",
    "EditionAggregate",
    "EditionIndicatorScore",
    "EditionNationalScore",
    "EditionRevision",
    "EditionScore",
    "ImputationFlag",
    "WeightsSource",
]


class WeightsSource(models.TextChoices):
    FITTED = "fitted", _("fitted to the published figures")
    EQUAL = "equal", _("equal weights")
    CUSTOM = "custom", _("set by headquarters")


NORMALISATION_CHOICES = [
    (Normalisation.MIN_MAX.value, _("min-max to the stated range")),
    (Normalisation.Z_SCORE.value, _("z-score")),
    (Normalisation.FRONTIER.value, _("distance to the frontier (share of the best value)")),
    (Normalisation.BASE_RATIO.value, _("ratio to a base year")),
]
AGGREGATION_CHOICES = [
    (Aggregation.ARITHMETIC.value, _("arithmetic (weighted mean)")),
    (Aggregation.GEOMETRIC.value, _("geometric (weighted geometric mean)")),
]
MISSING_RULE_CHOICES = [
    (MissingRule.LAST_YEAR.value, _("last year's value (the report's rule)")),
    (MissingRule.GROUP_MEAN.value, _("mean of the province's four-region group")),
    (MissingRule.OMIT.value, _("left out, weight re-spread over its group")),
]
CHAINING_CHOICES = [
    (Chaining.FIXED_BASE.value, _("fixed base")),
    (Chaining.CHAIN_LINKED.value, _("chain-linked")),
]

#: The fields that make up an edition's method: changing any of them changes the scores.
METHOD_FIELDS = (
    "data_lag",
    "normalisation",
    "scale_low",
    "scale_high",
    "zscore_centre",
    "zscore_spread",
    "ratio_base_year",
    "aggregation",
    "missing_rule",
    "weights",
    "weights_source",
    "directions",
    "national_base_year",
    "national_chaining",
    "mc_draws",
    "mc_concentration",
    "mc_normalisations",
    "mc_seed",
    "unstable_width",
)


class Edition(Reviewable):
    """One computation of the indices for an evaluation year, with its method; published through review."""

    review_owner = Owner.HEADQUARTERS
    review_region_field = None

    year = YearField(_("evaluation year"))
    number = models.PositiveSmallIntegerField(_("edition number"), default=1, editable=False)
    title = models.CharField(_("title"), max_length=120, blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("revises edition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
        editable=False,
    )
    notes = models.TextField(_("notes"), blank=True)
    embargo_until = models.DateTimeField(
        _("embargo until"),
        null=True,
        blank=True,
        help_text=_("Until then only headquarters sees the edition, even once it is approved."),
    )

    # --- the method --------------------------------------------------------------------------------------------
    data_lag = models.PositiveSmallIntegerField(
        _("data lag (years)"),
        default=1,
        help_text=_(
            "The evaluation of a year uses the returns of this many years earlier (the report: 2025 uses 2024)."
        ),
    )
    normalisation = models.CharField(
        _("normalisation"), max_length=16, choices=NORMALISATION_CHOICES, default=Normalisation.MIN_MAX.value
    )
    scale_low = models.FloatField(_("lowest score of the range"), default=60.0)
    scale_high = models.FloatField(_("highest score of the range"), default=100.0)
    zscore_centre = models.FloatField(_("z-score: score of the mean"), default=80.0)
    zscore_spread = models.FloatField(_("z-score: points per standard deviation"), default=10.0)
    ratio_base_year = models.PositiveSmallIntegerField(
        _("ratio to a base year: base year"), null=True, blank=True, help_text=_("Empty: the first year with data.")
    )
    aggregation = models.CharField(
        _("aggregation"), max_length=12, choices=AGGREGATION_CHOICES, default=Aggregation.ARITHMETIC.value
    )
    missing_rule = models.CharField(
        _("missing values"), max_length=12, choices=MISSING_RULE_CHOICES, default=MissingRule.LAST_YEAR.value
    )
    weights = models.JSONField(
        _("weights"),
        default=dict,
        blank=True,
        help_text=_(
            'Within their siblings: {"pillars": {first-level name: w}, "groups": {"first/second": w}, '
            '"indicators": {code: w}, "national_pillars": {name: w}}; missing entries weigh equally.'
        ),
    )
    weights_source = models.CharField(
        _("first-level weights"), max_length=8, choices=WeightsSource.choices, default=WeightsSource.FITTED
    )
    weight_fit = models.JSONField(
        _("weight fit"), default=dict, blank=True, editable=False, help_text=_("The fit's residuals, as fitted.")
    )
    directions = models.JSONField(
        _("directions"), default=dict, blank=True, help_text=_('Indicator code → "higher" or "lower" is better.')
    )
    national_base_year = models.PositiveSmallIntegerField(_("national index: base year"), default=2021)
    national_chaining = models.CharField(
        _("national index: chaining"), max_length=14, choices=CHAINING_CHOICES, default=Chaining.FIXED_BASE.value
    )
    mc_draws = models.PositiveIntegerField(_("Monte Carlo draws"), default=1000)
    mc_concentration = models.FloatField(
        _("Monte Carlo weight concentration"),
        default=50.0,
        help_text=_("Each weight varies by about 1/√c of itself (50: about ±14%)."),
    )
    mc_normalisations = models.JSONField(
        _("Monte Carlo normalisations"),
        default=list,
        blank=True,
        help_text=_("The normalisations a draw may switch to; the edition's own is always among them."),
    )
    mc_seed = models.PositiveIntegerField(_("Monte Carlo seed"), default=20250)
    unstable_width = models.PositiveSmallIntegerField(
        _("unstable from a rank interval of"),
        default=5,
        help_text=_("A province is unstable when its 5th–95th percentile rank interval spans this many ranks or more."),
    )

    # --- the computation ---------------------------------------------------------------------------------------
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True, editable=False)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("computed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    computed_fingerprint = models.CharField(_("method computed"), max_length=64, blank=True, editable=False)
    inputs = models.JSONField(_("inputs"), default=dict, blank=True, editable=False)
    uses_demo_data = models.BooleanField(
        _("uses demonstration data"),
        default=False,
        editable=False,
        help_text=_("Computed from synthetic demonstration returns (演示数据), not from real submissions."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("index edition")
        verbose_name_plural = _("index editions")
        default_permissions = PERMISSIONS
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="evaluation_unique_edition")]

    def __str__(self):
        return f"{self.year}-{self.number}" + (f" {self.title}" if self.title else "")

    @property
    def label(self) -> str:
        return str(self)

    def method_fingerprint(self) -> str:
        """A hash of the method's fields: the stored scores belong to the method they were computed with."""
        method = {name: getattr(self, name) for name in METHOD_FIELDS}
        return hashlib.sha256(json.dumps(method, sort_keys=True, default=str).encode()).hexdigest()

    @property
    def is_computed(self) -> bool:
        return bool(self.computed_at) and self.computed_fingerprint == self.method_fingerprint()

    @classmethod
    def published_condition(cls) -> models.Q:
        """Approved, and past its embargo (if any): until then only headquarters sees it."""
        embargo_over = models.Q(embargo_until=None) | models.Q(embargo_until__lte=timezone.now())
        return models.Q(state=State.APPROVED) & embargo_over

    @property
    def is_published(self) -> bool:
        return self.state == State.APPROVED and (self.embargo_until is None or self.embargo_until <= timezone.now())

    # Its submission check and transition hook are ``edition_services``' own, registered with the workflow
    # (``review.hooks``) in ``EvaluationConfig.ready``.


class EditionScore(models.Model):
    """A province's composite (``component`` empty) or sub-index score in one year, with its rank interval."""

    edition = models.ForeignKey(Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="scores")
    region = models.ForeignKey(Region, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+")
    year = YearField(_("evaluation year"))
    component = models.ForeignKey(
        FrameworkGroup,
        verbose_name=_("component"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the composite."),
    )
    value = models.FloatField(_("score"), null=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True)
    rank_low = models.PositiveSmallIntegerField(_("rank, 5th percentile"), null=True)
    rank_high = models.PositiveSmallIntegerField(_("rank, 95th percentile"), null=True)
    unstable = models.BooleanField(_("unstable rank"), default=False)

    class Meta:
        verbose_name = _("computed score")
        verbose_name_plural = _("computed scores")
        default_permissions = PERMISSIONS
        ordering = ["edition", "year", "component", "rank", "region__display_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "region", "year", "component"], name="evaluation_unique_edition_score"
            ),
            models.UniqueConstraint(
                fields=["edition", "region", "year"],
                condition=models.Q(component=None),
                name="evaluation_unique_edition_composite",
            ),
        ]

    def __str__(self):
        return f"{self.edition} {self.region} {self.year}: {self.value}"


class ImputationFlag(models.IntegerChoices):
    OBSERVED = 0, _("as returned")
    GROUP_MEAN = 1, _("imputed: four-region group mean")
    LAST_YEAR = 2, _("imputed: last year's value")
    OMITTED = 3, _("missing: left out, weight re-spread")


class EditionIndicatorScore(models.Model):
    """One indicator's path for a province and year: raw value → normalised → effective weight → points."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="indicator_scores"
    )
    region = models.ForeignKey(Region, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+")
    year = YearField(_("evaluation year"))
    indicator = models.ForeignKey(
        FrameworkIndicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    raw = models.FloatField(_("value used"), null=True)
    flag = models.PositiveSmallIntegerField(_("imputation"), choices=ImputationFlag.choices, default=0)
    normalised = models.FloatField(_("normalised"), null=True)
    weight = models.FloatField(_("effective weight"))
    weight_in_subindex = models.FloatField(_("weight in its sub-index"))
    points = models.FloatField(_("points"))
    points_vs_mean = models.FloatField(_("points against the mean"))

    class Meta:
        verbose_name = _("computed indicator score")
        verbose_name_plural = _("computed indicator scores")
        default_permissions = PERMISSIONS
        ordering = ["edition", "year", "region__display_order", "indicator__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "region", "year", "indicator"], name="evaluation_unique_indicator_score"
            )
        ]

    def __str__(self):
        return f"{self.edition} {self.region} {self.year} {self.indicator}"


class EditionAggregate(models.Model):
    """The mean (of all provinces, a four-region group, a strategic region) or the median of all provinces,
    computed the way the report presents its averages, stored beside the scores."""

    edition = models.ForeignKey(Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="aggregates")
    scope = models.ForeignKey(Scope, verbose_name=_("scope"), on_delete=models.PROTECT, related_name="+")
    year = YearField(_("evaluation year"))
    component = models.ForeignKey(
        FrameworkGroup, verbose_name=_("component"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    value = models.FloatField(_("score"), null=True)
    members = models.PositiveSmallIntegerField(_("provinces"))

    class Meta:
        verbose_name = _("computed average")
        verbose_name_plural = _("computed averages")
        default_permissions = PERMISSIONS
        ordering = ["edition", "year", "scope__position", "component__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "scope", "year", "component"], name="evaluation_unique_edition_aggregate"
            )
        ]

    def __str__(self):
        return f"{self.edition} {self.scope} {self.year}: {self.value}"


class EditionNationalScore(models.Model):
    """The national index's composite (``component`` empty) or a sub-index in one year, with its link factor."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="national_scores"
    )
    year = YearField(_("evaluation year"))
    component = models.ForeignKey(
        FrameworkGroup, verbose_name=_("component"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    value = models.FloatField(_("score"), null=True)
    link = models.FloatField(_("link factor (against the year before)"), null=True)

    class Meta:
        verbose_name = _("computed national score")
        verbose_name_plural = _("computed national scores")
        default_permissions = PERMISSIONS
        ordering = ["edition", "year", "component__position"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "year", "component"], name="evaluation_unique_national_score")
        ]

    def __str__(self):
        return f"{self.edition} national {self.year}: {self.value}"


class EditionRevision(models.Model):
    """What changed from one edition to the next, and where two years cannot be compared."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="revision_log"
    )
    previous = models.ForeignKey(
        Edition, verbose_name=_("previous edition"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changes = models.JSONField(_("changes"), default=list)
    warnings = models.JSONField(_("comparability warnings"), default=list)

    class Meta:
        verbose_name = _("revision log entry")
        verbose_name_plural = _("revision log")
        default_permissions = PERMISSIONS
        ordering = ["edition", "at", "pk"]

    def __str__(self):
        return f"{self.edition} ← {self.previous or '—'}"


class DemoReturn(models.Model):
    """An annual return that ``evaluation.demo`` made up for demonstrations (演示数据). Kept here, not on the return,
    so that the returns app needs no field for it; an edition computed from any of them says so on every page."""

    annual_return = models.OneToOneField(
        "returns.AnnualReturn", verbose_name=_("annual return"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("demonstration return")
        verbose_name_plural = _("demonstration returns")
        default_permissions = PERMISSIONS

    def __str__(self):
        return str(self.annual_return)
