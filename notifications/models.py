"""An in-app notification for one person, and whether that person wants e-mail as well.

A notification stores what happened (the kind, the review event, the record's label and link), not a sentence: the
text is composed when it is shown, in the reader's language (``text``).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.names import english_active
from review.models import Action


class Kind(models.TextChoices):
    SUBMIT = Action.SUBMIT.value, _("submitted")
    RETURN = Action.RETURN.value, _("returned for correction")
    APPROVE = Action.APPROVE.value, _("approved")
    REOPEN = Action.REOPEN.value, _("reopened")
    WITHDRAW = Action.WITHDRAW.value, _("withdrawn")
    DEADLINE = "deadline", _("deadline reminder")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    event = models.ForeignKey(
        "review.ReviewEvent", verbose_name=_("review event"), null=True, blank=True, on_delete=models.CASCADE
    )
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    label = models.CharField(_("record"), max_length=200)
    # The record's name in English (``core.names.record_label``), for readers of the English interface; empty when
    # it has none (the Chinese label is shown).
    label_en = models.CharField(_("record (English)"), max_length=200, blank=True, default="")
    link = models.CharField(_("link"), max_length=300, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.text()

    @property
    def thing(self) -> str:
        """“年度报表 “北京 2025”” in the reader's language (the record's kind is translated at display time)."""
        model = self.content_type.model_class() if self.content_type_id else None
        label = self.label_en if english_active() and self.label_en else self.label
        return gettext("%(kind)s “%(label)s”") % {"kind": model._meta.verbose_name, "label": label} if model else label

    def text(self) -> str:
        """The sentence shown in the list and the e-mail. Reads ``event.actor``: select it with the notification."""
        if self.kind == Kind.DEADLINE:
            return gettext("The %(thing)s has not been submitted yet; the deadline is %(deadline)s.") % {
                "thing": self.thing,
                "deadline": date_format(self.deadline, "DATE_FORMAT") if self.deadline else "",
            }
        who = self.event.actor if self.event_id else ""
        sentences = {
            Kind.SUBMIT: gettext("%(thing)s was submitted by %(who)s and waits for review."),
            Kind.RETURN: gettext("%(thing)s was returned for correction by %(who)s."),
            Kind.APPROVE: gettext("%(thing)s was approved by %(who)s."),
            Kind.REOPEN: gettext("%(thing)s was reopened by %(who)s."),
            Kind.WITHDRAW: gettext("%(thing)s was withdrawn by %(who)s before review."),
        }
        return sentences[Kind(self.kind)] % {"thing": self.thing, "who": who}

    @property
    def reason(self) -> str:
        return self.event.comment if self.event_id else ""


class EmailPreference(models.Model):
    """A user's choice about e-mail; without a row, e-mail is on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="email_preference"
    )
    send_email = models.BooleanField(_("also send notifications by e-mail"), default=True)

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")

    def __str__(self):
        return f"{self.user}: {self.send_email}"
