"""Assigning officers to regions: the one write path for ``RegionAssignment``, used by the admin (its own list and
the inline on the user page) and the API.

Only administrators assign. An assignment makes the user a provincial officer of a region that reports to
headquarters (``Region.objects.reporting()``): the user is put in the officer group and made staff (the forms are
admin pages), so that "make a new officer" is one step. A headquarters user (reviewer or administrator) cannot
also be an officer: the workflow's rule that nobody approves their own region's work depends on it. Every change
names the version it was made against.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from . import services
from .models import RegionAssignment
from .roles import GROUP_NAMES, Role, roles_of


def refusal(actor) -> str | None:
    """Why ``actor`` may not change assignments, or None."""
    if Role.ADMINISTRATOR not in roles_of(actor):
        return _("Only administrators may assign officers to regions.")
    return None


def check(actor, user, region) -> None:
    reason = refusal(actor)
    if reason:
        raise services.NotAllowed(reason)
    problems = []
    if not user.is_active:
        problems.append(_("%(user)s is inactive; activate the account before assigning a region.") % {"user": user})
    if roles_of(user) & {Role.REVIEWER, Role.ADMINISTRATOR}:
        problems.append(
            _("%(user)s works at headquarters (reviewer or administrator) and cannot also be a provincial officer.")
            % {"user": user}
        )
    if not region.reports:
        problems.append(
            _("%(region)s does not report to headquarters; officers are assigned to the 31 provinces and the XPCC.")
            % {"region": region}
        )
    if problems:
        raise services.Invalid(problems)


def _make_officer(user) -> None:
    """The officer group, and staff status: the return sheet and the other forms are admin pages."""
    user.groups.add(Group.objects.get_or_create(name=GROUP_NAMES[Role.OFFICER])[0])
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    for cached in ("_review_roles", "_review_region"):
        user.__dict__.pop(cached, None)


@transaction.atomic
def assign(actor, user, region) -> RegionAssignment:
    """Assign ``user`` (who has no region yet) to ``region``."""
    check(actor, user, region)
    if RegionAssignment.objects.filter(user=user).exists():
        raise services.Invalid(
            _("%(user)s is already assigned to a region; change that assignment instead.") % {"user": user}
        )
    assignment = RegionAssignment(user=user, region=region)
    assignment._change_reason = _("assigned by %(actor)s") % {"actor": actor}
    assignment.save()
    _make_officer(user)
    return assignment


def _locked(assignment, expected_version) -> RegionAssignment:
    version = services.parse_version(expected_version)
    locked = RegionAssignment.objects.select_for_update().select_related("user", "region").get(pk=assignment.pk)
    if locked.version != version:
        raise services.Stale(
            _(
                "The assignment of %(user)s was changed after you opened it (you had version %(yours)s, it is now "
                "version %(now)s). Nothing was saved: reload the page and make your change again."
            )
            % {"user": locked.user, "yours": version, "now": locked.version}
        )
    return locked


@transaction.atomic
def change(actor, assignment, region, expected_version) -> RegionAssignment:
    """Move an officer to another region."""
    reason = refusal(actor)
    if reason:
        raise services.NotAllowed(reason)
    locked = _locked(assignment, expected_version)
    check(actor, locked.user, region)
    if locked.region_id == region.pk:
        return locked
    locked.region = region
    locked.version += 1
    locked._change_reason = _("changed by %(actor)s") % {"actor": actor}
    locked.save()
    return locked


@transaction.atomic
def unassign(actor, assignment, expected_version) -> None:
    """End an officer's assignment; the user keeps the account but edits no region's records."""
    reason = refusal(actor)
    if reason:
        raise services.NotAllowed(reason)
    locked = _locked(assignment, expected_version)
    locked._change_reason = _("removed by %(actor)s") % {"actor": actor}
    locked.delete()
