"""Every write of the notifications app: creating notifications (and their e-mail), marking read, the preference.

E-mail goes through Django's mail settings (the console backend unless ``EMAIL_*`` say otherwise, see
``config/settings.py``), in the site's language, to those with an address who did not turn it off. A failing mail
server is logged and never undoes the in-app notification, nor the transition that caused it.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import EmailPreference, Notification
from .selectors import email_opted_out

log = logging.getLogger(__name__)


class NotFound(Exception):
    status = 404


@transaction.atomic
def notify(
    users, kind, *, label, label_en="", content_type=None, event=None, link="", deadline=None, email=True
) -> list[Notification]:
    """One notification per user; then, after commit, one e-mail to each who wants it (unless ``email`` is off:
    the caller sends its own)."""
    users = list(users)
    created = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=kind,
            event=event,
            content_type=content_type,
            label=str(label)[:200],
            label_en=str(label_en)[:200],
            link=link,
            deadline=deadline,
        )
        for user in users
    )
    ids = [notification.pk for notification in created]  # bulk_create returns keys on SQLite and PostgreSQL
    if ids and email:
        transaction.on_commit(lambda: send_emails(ids))
    return created


def send_emails(notification_ids) -> int:
    """Send the e-mail of each notification whose recipient has an address and wants e-mail; how many were sent."""
    notifications = list(
        Notification.objects.filter(pk__in=notification_ids)
        .exclude(recipient__email="")
        .select_related("recipient", "event__actor", "content_type")
    )
    opted_out = email_opted_out([notification.recipient for notification in notifications])
    wanted = [notification for notification in notifications if notification.recipient_id not in opted_out]
    if not wanted:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        messages = [_message(notification) for notification in wanted]
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:  # a mail server's failure must not break the page that caused the notification
        log.exception("notification e-mail not sent (%s messages)", len(messages))
        return 0


def _message(notification) -> EmailMessage:
    lines = [notification.text()]
    if notification.reason:
        lines.append(_("Reason: %(reason)s") % {"reason": notification.reason})
    if notification.link:
        lines.append(getattr(settings, "SITE_URL", "").rstrip("/") + notification.link)
    lines.append("")
    lines.append(_("You can turn these e-mails off on the notifications page."))
    subject = _("[IP annual records] %(text)s") % {"text": notification.text()}
    return EmailMessage(subject[:200], "\n".join(lines), None, [notification.recipient.email])


@transaction.atomic
def mark_read(user, notification_id) -> Notification:
    """Mark one of ``user``'s own notifications read; someone else's is "not found" (404), never marked."""
    notification = Notification.objects.select_for_update().filter(recipient=user, pk=notification_id).first()
    if notification is None:
        raise NotFound(_("There is no such notification of yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())


@transaction.atomic
def set_email_preference(user, send_email: bool) -> EmailPreference:
    preference, _created = EmailPreference.objects.update_or_create(user=user, defaults={"send_email": send_email})
    return preference
