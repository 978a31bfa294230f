"""The record of every import."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One import of one file: who ran it, when, which file, and what it did (or why it was refused).

    The per-record changes live in each model's history; this is the record of the import as a whole. Progress
    while an import runs is published through the cache (``progress.py``), not here: the run's row is only
    written before and after, outside the import's transaction.
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        PREVIEWED = "previewed", _("previewed (dry run)")
        CONFIRMED = "confirmed", _("previewed, then confirmed")
        SUCCEEDED = "succeeded", _("succeeded")
        REFUSED = "refused", _("refused")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=60)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL, null=True, blank=True
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    total_rows = models.PositiveIntegerField(_("rows in file"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    # Where a background import keeps its uploaded file until it is confirmed, and how to read it.
    source = models.CharField(_("stored upload"), max_length=255, blank=True)
    source_format = models.PositiveSmallIntegerField(_("format"), default=0)
    # The interface language of whoever started the import, so that a background job reports in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    # Who ran it when there is no user account: "command (<OS user>)".
    origin = models.CharField(_("run from"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-started_at", "-pk"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    def mark_interrupted(self) -> None:
        """A run whose process died: its transaction was rolled back, so nothing of it was written."""
        message = str(
            _("interrupted: the import stopped before it finished; nothing was written. Please run it again.")
        )
        updated = ImportRun.objects.filter(pk=self.pk, status=self.Status.RUNNING).update(
            status=self.Status.FAILED, finished_at=timezone.now(), problems=[message]
        )
        if updated:
            self.refresh_from_db()
