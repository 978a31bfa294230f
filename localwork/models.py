"""Provincial work summaries (one per region and year, reviewed through the one workflow in ``review``), their
attachments, and the typical cases (典型案例) that the joint meeting office publishes in batches.

The rules (what an attachment may be, who may add one) live in ``services.py``; how text is searched and how
Markdown is shown live in ``text.py``, pure functions that the models call on save, so that the admin, the API,
the loader and the shell get the same text.
"""

from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from review.models import Reviewable, State
from statistics.models import PERMISSIONS, Region, YearField

from .text import normalize_for_search, render_markdown, submission_problems, summary_search_text

# Province-level divisions and the XPCC write summaries; the sub-provincial cities are part of their province's.
SUMMARY_REGIONS = Q(level__in=[Region.Level.PROVINCE, Region.Level.CORPS])


class Origin(models.TextChoices):
    ENTERED = "entered", _("entered by the province")
    REPORT = "report", _("loaded from the published annual report")


class WorkSummaryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=State.APPROVED)


class WorkSummary(Reviewable):
    """What a province did in a year: a Markdown narrative and a list of key measures, with optional attachments.

    ``search_text`` is the narrative and the measures as plain text, NFKC-folded, lower-cased and without spaces; it
    is derived on every save so that search is a plain substring match that behaves the same on every database.
    """

    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="work_summaries",
        limit_choices_to=SUMMARY_REGIONS,
    )
    year = YearField(_("year"))
    narrative = models.TextField(
        _("narrative"),
        blank=True,
        help_text=_("Markdown: paragraphs, **bold**, lists, headings. HTML is shown as text."),
    )
    key_measures = models.TextField(_("key measures"), blank=True, help_text=_("One measure per line."))
    origin = models.CharField(
        _("origin"), max_length=16, choices=Origin.choices, default=Origin.ENTERED, editable=False
    )
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = WorkSummaryQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("work summary")
        verbose_name_plural = _("work summaries")
        ordering = ["-year", "region__display_order"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="one_work_summary_per_region_and_year")]

    def __str__(self):
        return f"{self.region} {self.year}"

    def unique_error_message(self, model_class, unique_check):
        """Say which summary already exists, rather than Django's generic "… with this Region and Year"."""
        if tuple(unique_check) == ("region", "year"):
            return ValidationError(
                _("There is already a work summary for %(region)s %(year)s; open that one instead of adding another.")
                % {"region": self.region, "year": self.year},
                code="unique_together",
            )
        return super().unique_error_message(model_class, unique_check)

    def save(self, *args, **kwargs):
        self.search_text = summary_search_text(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def measure_list(self) -> list[str]:
        return [line.strip() for line in self.key_measures.splitlines() if line.strip()]

    @cached_property
    def narrative_html(self):
        return render_markdown(self.narrative)

    def submission_problems(self) -> list[str]:
        return submission_problems(self)


def attachment_path(attachment, filename: str) -> str:
    """Stored under the summary's year and region with a generated name; the original name is kept in ``name``."""
    summary = attachment.summary
    return f"localwork/{summary.year}/{summary.region.code}/{uuid4().hex}.{attachment.kind}"


class Attachment(models.Model):
    """A file attached to a work summary. Its kind is read from its content when it is uploaded (see
    ``services.check_attachment``); files of any other kind, or too large, never get here."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX (Word)"
        XLSX = "xlsx", "XLSX (Excel)"
        PNG = "png", "PNG"
        JPEG = "jpg", "JPEG"

    summary = models.ForeignKey(
        WorkSummary, verbose_name=_("work summary"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200, editable=False)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), editable=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["summary", "uploaded_at", "pk"]

    def __str__(self):
        return self.name


class TypicalCase(models.Model):
    """A typical case (典型案例) of IP-power building, published by number within a batch.

    Cases are entered by administrators from the published list, so every stored case is public; a case without a
    single region (a 中国科学院 institute, a university) is linked to the region where it sits.
    """

    year = YearField(_("year of publication"))
    batch = models.PositiveSmallIntegerField(_("batch"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="typical_cases",
        limit_choices_to=SUMMARY_REGIONS,
    )
    search_text = models.TextField(editable=False, blank=True, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("typical case")
        verbose_name_plural = _("typical cases")
        default_permissions = PERMISSIONS
        ordering = ["-year", "batch", "number"]
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="one_typical_case_per_number")]

    def __str__(self):
        return f"{self.batch}-{self.number} {self.title}"

    def save(self, *args, **kwargs):
        self.search_text = normalize_for_search(self.title)
        super().save(*args, **kwargs)

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("batch", "number"):
            return ValidationError(
                _("Batch %(batch)s already has a typical case number %(number)s.")
                % {"batch": self.batch, "number": self.number},
                code="unique_together",
            )
        return super().unique_error_message(model_class, unique_check)


@receiver(post_delete, sender=Attachment)
def delete_attachment_file(sender, instance, **kwargs):
    """Remove the stored file once the deletion is committed (a rolled-back deletion keeps it)."""
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))
