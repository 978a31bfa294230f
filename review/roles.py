"""The three roles, held as Django groups, and the region a provincial officer works for.

Each app says which model permissions a role needs with a ``role_permissions`` attribute on its AppConfig
(``{role: ["app_label.codename", ...]}``); ``ensure_role_groups`` gathers them, so adding an app never means
editing this module.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("provincial officer")
    REVIEWER = "reviewer", _("headquarters reviewer")
    ADMINISTRATOR = "administrator", _("administrator")


# Group names are data, kept stable and in English; the interface shows the translated role labels.
GROUP_NAMES = {
    Role.OFFICER: "provincial officer",
    Role.REVIEWER: "headquarters reviewer",
    Role.ADMINISTRATOR: "administrator",
}
ROLE_BY_GROUP = {name: role for role, name in GROUP_NAMES.items()}


def roles_of(user) -> frozenset:
    """The user's roles, read once per user object. A superuser is an administrator."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_review_roles", None)
    if cached is None:
        names = user.groups.filter(name__in=ROLE_BY_GROUP).values_list("name", flat=True)
        cached = {ROLE_BY_GROUP[name] for name in names}
        if user.is_superuser:
            cached.add(Role.ADMINISTRATOR)
        cached = frozenset(cached)
        user._review_roles = cached
    return cached


def region_of(user):
    """The region an officer is assigned to, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_review_region"):
        from .models import RegionAssignment

        assignment = RegionAssignment.objects.select_related("region").filter(user=user).first()
        user._review_region = assignment.region if assignment else None
    return user._review_region


def is_headquarters(user) -> bool:
    """Reviewers and administrators see every region."""
    return bool(roles_of(user) & {Role.REVIEWER, Role.ADMINISTRATOR})


def officer_region(user):
    """The region the user may edit as an officer, or None when the user is not an assigned officer."""
    return region_of(user) if Role.OFFICER in roles_of(user) else None


def ensure_role_groups() -> dict:
    """Create the three groups and give them the permissions the apps ask for. Idempotent.

    The permissions are read in one query (it runs after every migration and flush, and in many test fixtures); a
    label that names no permission is an error in an app's ``role_permissions``."""
    wanted = {role: set() for role in Role}
    for config in apps.get_app_configs():
        for role, labels in getattr(config, "role_permissions", {}).items():
            wanted[Role(role)].update(labels)
    labels = set().union(*wanted.values())
    found = Permission.objects.filter(
        content_type__app_label__in={label.split(".")[0] for label in labels},
        codename__in={label.split(".")[1] for label in labels},
    ).values_list("content_type__app_label", "codename", "pk")
    by_label = {f"{app_label}.{codename}": pk for app_label, codename, pk in found}
    missing = sorted(labels - by_label.keys())
    if missing:
        raise Permission.DoesNotExist(f"role_permissions name permissions that do not exist: {', '.join(missing)}")
    groups = {}
    for role, role_labels in wanted.items():
        group, _created = Group.objects.get_or_create(name=GROUP_NAMES[role])
        group.permissions.set([by_label[label] for label in sorted(role_labels)])
        groups[role] = group
    return groups
