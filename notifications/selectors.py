"""Reads with rules: whose notifications, how many unread, and who is concerned by a transition."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from review.models import Action, Owner, RegionAssignment
from review.roles import GROUP_NAMES, Role

from .models import EmailPreference, Notification


def notifications_for(user):
    """The user's own notifications, newest first, with what their text reads (constant queries)."""
    return Notification.objects.filter(recipient=user).select_related("event__actor", "content_type")


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at=None).count()


def _active_users():
    return get_user_model().objects.filter(is_active=True)


def _with_role(*roles):
    return _active_users().filter(groups__name__in=[GROUP_NAMES[role] for role in roles])


def recipients(event, target) -> list:
    """The people concerned by ``event`` on ``target``, without whoever made it.

    Submitted or withdrawn: the reviewers (for a record headquarters prepares, administrators too, as its other
    reviewers). Returned, approved or reopened: the officers of the record's region and the last submitter.
    """
    if event.action in (Action.SUBMIT, Action.WITHDRAW):
        roles = (Role.REVIEWER,) if target.review_owner == Owner.REGION else (Role.REVIEWER, Role.ADMINISTRATOR)
        people = _with_role(*roles)
    else:
        condition = Q(pk__in=_submitters(target))
        region = target.review_region
        if region is not None:
            officers = RegionAssignment.objects.filter(region=region).values("user_id")
            condition |= Q(pk__in=officers, groups__name=GROUP_NAMES[Role.OFFICER])
        people = _active_users().filter(condition)
    return list(people.exclude(pk=event.actor_id).distinct().order_by("username"))


def _submitters(target):
    return target.review_events.filter(action=Action.SUBMIT).order_by("-at", "-pk").values("actor_id")[:1]


def email_opted_out(users) -> set:
    """The ids of those among ``users`` who turned e-mail off."""
    return set(EmailPreference.objects.filter(user__in=users, send_email=False).values_list("user_id", flat=True))


def sends_email(user) -> bool:
    return not EmailPreference.objects.filter(user=user, send_email=False).exists()
