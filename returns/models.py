"""A province's annual return: one value per applicable indicator of the regional catalogue, reviewed by
headquarters through the one review workflow (``review``).

Values that headquarters already holds (national statistics, the protection registry) are filled in by the
application, and ratios are computed from their inputs when shown; neither is typed by the officer. Only entered
values and the pre-filled ones are stored, each with the officer's note.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from review.models import Reviewable
from statistics.models import Indicator, Region, YearField


class ReturnPeriod(models.Model):
    """A reporting year and its deadline, set by headquarters; open until headquarters closes it."""

    year = YearField(unique=True)
    deadline = models.DateField(_("deadline"))
    closed = models.BooleanField(
        pgettext_lazy("reporting period", "closed"),
        default=False,
        help_text=_(
            "A closed period takes no new returns and no submissions (late returns are accepted until then); "
            "returns already submitted are still reviewed. Untick to open it again."
        ),
    )

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class AnnualReturn(Reviewable):
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="annual_returns",
        limit_choices_to={"level": Region.Level.PROVINCE},
    )
    year = YearField()

    class Meta:
        verbose_name = _("annual return")
        verbose_name_plural = _("annual returns")
        ordering = ["-year", "region__display_order"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="one_return_per_region_and_year")]

    def __str__(self):
        return f"{self.region} {self.year}"

    @staticmethod
    def exists_message(region, year) -> str:
        """The refusal of a second return for ``region`` and ``year``: from ``services.start_return`` (API, admin)
        and from the admin form's own uniqueness check, in the same words."""
        return gettext("%(region)s already has a return for %(year)s.") % {"region": region, "year": year}

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("region", "year"):
            return ValidationError(self.exists_message(self.region, self.year), code="unique_together")
        return super().unique_error_message(model_class, unique_check)


class IndicatorValue(models.Model):
    """One stored value of a return. ``text`` keeps what was typed when it is not a number, so a draft never
    loses input; such a value cannot be submitted."""

    annual_return = models.ForeignKey(
        AnnualReturn, verbose_name=_("annual return"), on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4, null=True, blank=True)
    text = models.CharField(_("value as typed"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["annual_return", "indicator__position"]
        constraints = [models.UniqueConstraint(fields=["annual_return", "indicator"], name="one_value_per_indicator")]

    def __str__(self):
        return f"{self.annual_return} · {self.indicator}: {self.value if self.value is not None else self.text}"


class ValueComment(models.Model):
    """A reviewer's comment on one value of a return."""

    annual_return = models.ForeignKey(
        AnnualReturn, verbose_name=_("annual return"), on_delete=models.CASCADE, related_name="comments"
    )
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT)
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment on a value")
        verbose_name_plural = _("comments on values")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.indicator}: {self.text[:40]}"
