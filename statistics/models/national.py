"""National figures beyond the appendix: the named measures the reports print in their prose, and the national return.

A *series* is a named measure with a unit as the report prints it (发明专利平均审查周期, 个月), optionally linked to
the 表 3 indicator it measures and to the appendix measure that already holds it. A *figure* is one printed value of
a series for a year, with what the sentence says around the number: the qualifier (超过, 近, 余, 以内, 累计 …; "超过
4 万张" is not "4 万张"), the change as printed (kept apart from the change the application derives) and the source
(which report, chapter, sentence and line).

A figure the appendix already holds (授权发明专利 97.2 万件 is the sum of tables 3 and 4) stores no value: the value
is derived from the appendix each time it is read (``statistics/national_appendix.py``), so the two cannot drift
apart; the printed text stays as the source record.

Headquarters adds the next year's 表 3 values through a *national return* under the one review workflow. Its values
are figures too (``NationalFigure.national_return``): while the return is open only headquarters sees them, and once
it is approved they are the series' figures for that year. Nothing is copied on approval, so there is one copy.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from review.models import Owner, Reviewable

from .figures import YearField
from .indicators import Framework, Indicator
from .reference import PERMISSIONS


class Document(models.TextChoices):
    """Where a figure comes from: one of the two reports, or headquarters' national return."""

    ANNUAL_REPORT_2025 = "annual_report_2025", _("CNIPA annual report 2025")
    IP_POWER_INDEX_2025 = "ip_power_index_2025", _("IP-power index development report 2025")
    NATIONAL_RETURN = "national_return", _("national return")


class Bound(models.TextChoices):
    """What the printed qualifier means for the value: exact, a lower or upper bound, or an approximation."""

    EXACT = "exact", _("exactly")
    MORE_THAN = "more_than", _("more than (超过, 余, 多, 以上 …)")
    AT_MOST = "at_most", _("at most (以内)")
    ABOUT = "about", _("about or nearly (近, 约, 左右)")


class ChangeKind(models.TextChoices):
    PERCENT = "percent", _("percent")
    POINTS = "points", _("percentage points")
    ABSOLUTE = "absolute", _("absolute, in the series' unit")
    RATIO = "ratio", _("times")


class AppendixScope(models.TextChoices):
    DOMESTIC = "domestic", _("domestic total")
    FOREIGN = "foreign", _("foreign total")
    GRAND = "grand", _("grand total")


class AppendixRelation(models.TextChoices):
    """How a series relates to the appendix measure it names."""

    HELD = "held", _("held by the appendix: the value is derived from it, never stored")
    DIFFERENCE = "difference", _("compared with the appendix's change over the year (may differ; see the note)")


class NationalSeries(models.Model):
    """A named national measure with its unit, as printed, and what it is linked to."""

    name_zh = models.CharField(_("name as printed"), max_length=120)
    unit = models.CharField(_("unit"), max_length=16, help_text=_("As printed: 件, 万件, 个月, %, 分, 亿元 …"))
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("表 3 indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="national_series",
        limit_choices_to={"framework": Framework.NATIONAL},
    )
    appendix_table = models.PositiveSmallIntegerField(
        _("appendix table"),
        null=True,
        blank=True,
        help_text=_("The domestic table (1, 3, 5, 7) or the table 9–12 that holds the measure; empty when none."),
    )
    appendix_column = models.CharField(
        _("appendix column"), max_length=20, blank=True, help_text=_("e.g. invention, total, registrations, value")
    )
    appendix_scope = models.CharField(_("appendix scope"), max_length=10, blank=True, choices=AppendixScope.choices)
    appendix_relation = models.CharField(
        _("relation to the appendix"), max_length=12, blank=True, choices=AppendixRelation.choices
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("Why the prose and the appendix can differ, or what the series counts.")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("national series")
        verbose_name_plural = _("national series")
        default_permissions = PERMISSIONS
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["name_zh", "unit"], name="national_series_unique_name_unit"),
            models.UniqueConstraint(
                fields=["indicator"], condition=Q(indicator__isnull=False), name="national_series_one_per_indicator"
            ),
        ]

    def __str__(self):
        return f"{self.name_zh}（{self.unit}）"

    @property
    def held_by_appendix(self) -> bool:
        return self.appendix_relation == AppendixRelation.HELD

    def clean(self):
        for check in APPENDIX_LINK_CHECKS:
            problem = check(self)
            if problem:
                raise ValidationError({"appendix_table": problem})


# How a series' appendix link is checked (``national_appendix.appendix_problem``, registered by
# ``StatisticsConfig.ready``): the check reads the appendix's table declarations, which name the figure models, so
# the model cannot import it without closing an import cycle.
APPENDIX_LINK_CHECKS: list = []


class NationalReturn(Reviewable):
    """Headquarters' return of the 表 3 values of one year, prepared and approved by headquarters staff."""

    review_owner = Owner.HEADQUARTERS
    review_region_field = None

    year = YearField(unique=True)

    class Meta:
        verbose_name = _("national return")
        verbose_name_plural = _("national returns")
        default_permissions = PERMISSIONS
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)

    # Its submission check is ``national_services.submission_problems``, registered with the workflow
    # (``review.hooks``) in ``StatisticsConfig.ready``.

    def on_transition(self, event) -> None:
        """The return's figures become public (or stop being public) with its state: the cached API must follow."""
        from core.caching import statistics_changed

        statistics_changed()


class NationalFigure(models.Model):
    """One printed (or returned) value of a national series for a year, with its qualifier, change and source."""

    series = models.ForeignKey(
        NationalSeries, verbose_name=_("series"), on_delete=models.PROTECT, related_name="figures"
    )
    year = YearField()
    value = models.DecimalField(
        _("value"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("In the series' unit. Empty when the appendix holds the figure: it is derived from there."),
    )
    printed = models.CharField(_("as printed"), max_length=60, blank=True, help_text=_("e.g. 超过 500 万件"))
    qualifier = models.CharField(
        _("qualifier as printed"), max_length=20, blank=True, help_text=_("超过, 近, 余, 以内, 累计 … as printed")
    )
    bound = models.CharField(_("bound"), max_length=10, choices=Bound.choices, default=Bound.EXACT)
    change_value = models.DecimalField(_("change as printed"), max_digits=14, decimal_places=4, null=True, blank=True)
    change_kind = models.CharField(_("kind of change"), max_length=10, blank=True, choices=ChangeKind.choices)
    change_text = models.CharField(
        _("change as printed (text)"), max_length=80, blank=True, help_text=_("e.g. 同比增长 5.1%")
    )
    document = models.CharField(_("document"), max_length=24, choices=Document.choices)
    chapter = models.CharField(_("chapter"), max_length=40, blank=True)
    section = models.CharField(_("section"), max_length=120, blank=True)
    source_line = models.PositiveIntegerField(_("source line"), null=True, blank=True)
    source_text = models.TextField(_("source sentence"), blank=True)
    note = models.TextField(_("note"), blank=True)
    national_return = models.ForeignKey(
        NationalReturn,
        verbose_name=_("national return"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="figures",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("national figure")
        verbose_name_plural = _("national figures")
        default_permissions = PERMISSIONS
        ordering = ["document", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "document", "source_line", "printed"],
                condition=Q(national_return__isnull=True),
                name="national_figure_unique_printed",
            ),
            models.UniqueConstraint(
                fields=["national_return", "series"],
                condition=Q(national_return__isnull=False),
                name="national_figure_one_per_return_series",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0) | Q(value__isnull=True), name="national_figure_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.series.name_zh} {self.year}: {self.printed or self.value}"

    def clean(self):
        problems = {}
        if self.value is not None and self.value < 0:
            problems["value"] = _("A national figure cannot be negative (you entered %(value)s).") % {
                "value": self.value
            }
        if self.series_id and self.value is None and not self.series.held_by_appendix:
            problems["value"] = _("Enter the value: only a figure that the appendix holds may leave it empty.")
        if self.national_return_id and self.national_return.year != self.year:
            problems["year"] = _("A national return's figures are of its year, %(year)s.") % {
                "year": self.national_return.year
            }
        if problems:
            raise ValidationError(problems)
