"""Deadline reminders: an e-mail to each officer whose region's return is not yet with headquarters a few days
before the reporting period's deadline.

``manage.py send_deadline_reminders`` (run daily by a scheduler such as cron or a systemd timer) queues the task
``returns.tasks.send_deadline_reminders`` for a background worker; ``--now`` sends in the command itself. Mail goes
through Django's mail settings (the console backend unless ``EMAIL_*`` say otherwise). A return counts as with
headquarters once it is submitted or approved; returned and reopened ones are back with the province.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from review.models import RegionAssignment, State
from statistics.models import Region

from .models import AnnualReturn, ReturnPeriod

WITH_HEADQUARTERS = (State.SUBMITTED, State.APPROVED)


@dataclass(frozen=True)
class Reminder:
    email: str
    username: str
    region: str
    year: int
    deadline: date
    days_left: int
    user_id: int | None = None
    region_en: str = ""  # the region's English name, for the in-app notification read in English


def due_reminders(days: int, today: date | None = None, *, without_email: bool = False) -> list[Reminder]:
    """The reminders to send today: open periods whose deadline is within ``days`` days (and not past). Officers without
    an e-mail address are left out unless ``without_email`` (they still get the in-app notification)."""
    today = today or timezone.localdate()
    periods = ReturnPeriod.objects.filter(closed=False, deadline__gte=today, deadline__lte=today + timedelta(days=days))
    reminders = []
    for period in periods.order_by("deadline"):
        done = AnnualReturn.objects.filter(year=period.year, state__in=WITH_HEADQUARTERS).values("region_id")
        officers = (
            RegionAssignment.objects.filter(region__in=Region.objects.reporting(), user__is_active=True)
            .exclude(region_id__in=done)
            .exclude(user__email__in=[] if without_email else [""])
            .select_related("user", "region")
            .order_by("region__display_order", "user__username")
        )
        reminders += [
            Reminder(
                assignment.user.email,
                assignment.user.username,
                assignment.region.name_zh,
                period.year,
                period.deadline,
                (period.deadline - today).days,
                assignment.user_id,
                assignment.region.name_en,
            )
            for assignment in officers
        ]
    return reminders


def send_reminders(days: int, today: date | None = None) -> int:
    """Send every due reminder, one e-mail per officer and period, in Chinese; how many were sent. Each officer also
    gets an in-app notification; those who turned e-mail off (``notifications``) get no e-mail."""
    from notifications.reminders import notify_deadlines
    from notifications.selectors import email_opted_out

    reminders = due_reminders(days, today, without_email=True)
    notify_deadlines(reminders)
    opted_out = email_opted_out([reminder.user_id for reminder in reminders])
    sent = 0
    with translation.override("zh-hans"):
        for reminder in reminders:
            if not reminder.email or reminder.user_id in opted_out:
                continue
            subject = _("Annual return %(year)s: %(days)s days to the deadline") % {
                "year": reminder.year,
                "days": reminder.days_left,
            }
            body = _(
                "The %(year)s annual return of %(region)s has not been submitted yet. The deadline is %(deadline)s "
                "(%(days)s days left). Please fill it in and submit it."
            ) % {
                "year": reminder.year,
                "region": reminder.region,
                "deadline": reminder.deadline.isoformat(),
                "days": reminder.days_left,
            }
            sent += send_mail(subject, body, None, [reminder.email])
    return sent
