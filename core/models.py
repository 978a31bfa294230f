"""The API token as the project shows it: django-rest-knox's token under a translated name, with its state.

knox stores only a hash of each token (``digest``) and the first 15 characters of it (``token_key``), which the
interface calls the key prefix: enough to recognise a token in a list and to revoke it, useless to sign in with.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken


class ApiToken(AuthToken):
    class Meta:
        proxy = True
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.token_key}… ({self.user})"

    @property
    def is_expired(self) -> bool:
        return self.expiry is not None and self.expiry <= timezone.now()


class PublishedVersion(models.Model):
    """A counter that moves whenever published data changes; cached public responses are keyed on it.

    It lives in the database, not in one process's cache, so that every application server sees the same version
    and an approval on one server changes what every other server answers on its next request.
    """

    domain = models.CharField(_("domain"), primary_key=True, max_length=40)
    version = models.PositiveBigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.domain}: {self.version}"


class WorkerHeartbeat(models.Model):
    """One background worker process and the last time it said it was alive.

    A worker beats every ``WORKER_HEARTBEAT_INTERVAL`` seconds from a thread of its own; ``/healthz/`` fails when no
    worker has beaten within ``WORKER_HEARTBEAT_TIMEOUT`` seconds, and the next worker or server to start marks the
    import runs of a worker that stopped beating as interrupted.
    """

    worker_id = models.CharField(_("worker"), primary_key=True, max_length=64)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last heartbeat"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"
