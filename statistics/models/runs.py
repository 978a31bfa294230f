"""The record of every import, and the uploads waiting for their preview to be confirmed."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.liveness import this_process


class AppendOnlyQuerySet(models.QuerySet):
    def delete(self):
        """Runs are append-only: not even a bulk delete from code removes one."""
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Import runs are the record of every import and are never deleted."))

    delete.queryset_only = True


class ImportRun(models.Model):
    """One import of one file: who ran it, when, which file, and what it did (or why it was refused).

    The per-record changes live in each model's history; this is the record of the import as a whole. Progress
    while an import runs is published through the cache (``core/progress.py``), not here: the run's row is only
    written before and after, outside the import's transaction, and by the heartbeat (``core/liveness.py``), which says
    from another connection that the process doing the import (``host``, ``pid``) is still at work. A run that is
    still "running" when its process is gone is marked interrupted when a server or an import command next starts.
    Runs are append-only: neither the admin nor code deletes one.
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
    # The latest progress of a long import (phase, rows done of total, rate), written from its own connection while
    # the import's transaction is still open, so that every application server can show it.
    progress = models.JSONField(_("progress"), default=dict, blank=True)
    # How to read the upload a preview keeps (``ImportUpload``) until it is confirmed.
    source_format = models.PositiveSmallIntegerField(_("format"), default=0)
    # The interface language of whoever started the import, so that a background job reports in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    # Who ran it when there is no user account: "command (<OS user>)".
    origin = models.CharField(_("run from"), max_length=100, blank=True)
    # The process that does the import, and the last time it said it was still at work (``core/liveness.py``).
    host = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)
    # When that process started (clock ticks since boot, Linux only): tells a dead process from a reused pid.
    process_started = models.BigIntegerField(_("process start"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-started_at", "-pk"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    def delete(self, *args, **kwargs):
        """Runs are append-only, for everybody: the record of who imported what must survive (issue 11)."""
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Import runs are the record of every import and are never deleted."))

    @classmethod
    def start(cls, **fields) -> "ImportRun":
        """A new run, recorded as running in this process before anything of the file is read."""
        return cls.objects.create(status=cls.Status.RUNNING, heartbeat_at=timezone.now(), **this_process(), **fields)

    def mark_interrupted(self) -> bool:
        """A run whose process died: its transaction was rolled back, so nothing of it was written."""
        message = str(
            _("interrupted: the import stopped before it finished; nothing was written. Please run it again.")
        )
        updated = ImportRun.objects.filter(pk=self.pk, status=self.Status.RUNNING).update(
            status=self.Status.FAILED, finished_at=timezone.now(), problems=[message]
        )
        if updated:
            self.refresh_from_db()
        return bool(updated)


class ImportUpload(models.Model):
    """The file a preview read, kept in the database until the preview is confirmed (or forgotten after a day).

    A confirm names the preview's run, never a path, and only the run leads to the file; keeping it in the database
    lets any app server or worker confirm it. The upload is deleted once used; the run stays.
    """

    run = models.OneToOneField(
        ImportRun, verbose_name=_("import run"), on_delete=models.PROTECT, related_name="upload", primary_key=True
    )
    content = models.BinaryField(_("content"))
    stored_at = models.DateTimeField(_("stored at"), default=timezone.now)

    class Meta:
        verbose_name = _("stored upload")
        verbose_name_plural = _("stored uploads")
        default_permissions = ()

    def __str__(self):
        return str(self.run)
