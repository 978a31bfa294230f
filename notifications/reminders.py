"""Deadline reminders in the app: each officer due a reminder (``returns.reminders``) also finds it in the list."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from .models import Kind
from .services import notify


def notify_deadlines(reminders) -> int:
    """One in-app notification per reminder (its e-mail is sent by ``returns.reminders``); how many were created."""
    from returns.models import AnnualReturn

    users = get_user_model().objects.in_bulk({reminder.user_id for reminder in reminders})
    content_type = ContentType.objects.get_for_model(AnnualReturn)
    created = 0
    for reminder in reminders:
        created += len(
            notify(
                [users[reminder.user_id]],
                Kind.DEADLINE,
                label=f"{reminder.region} {reminder.year}",
                # Shown to a reader of the English interface (``Notification.thing``), as for the workflow's.
                label_en=f"{reminder.region_en} {reminder.year}" if reminder.region_en else "",
                content_type=content_type,
                link=reverse("workspace:home"),
                deadline=reminder.deadline,
                email=False,
            )
        )
    return created
