"""Role groups in the admin: Django's group admin, by role.

Group names are stable English data (``review.roles``: the roles are found by them). Here a role group is shown by its
translated role label, its name cannot be changed, and it cannot be deleted; other groups behave as Django's do.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_guards import WithoutBulkDelete
from core.permission_labels import permission_label
from core.stale_forms import StaleEditGuard

from .roles import ROLE_BY_GROUP, Role

if admin.site.is_registered(Group):
    admin.site.unregister(Group)


def group_label(group) -> str:
    """A role group by its translated role label (group names are stable English data, ``review.roles``)."""
    role = ROLE_BY_GROUP.get(group.name)
    return str(Role(role).label) if role else group.name


@admin.register(Group)
class RoleGroupAdmin(StaleEditGuard, WithoutBulkDelete, GroupAdmin):
    """Django's group admin, whose change form refuses to save over a change made since it was opened; a role
    group is shown by its translated role label, in the list, on its page and in a refusal."""

    list_display = ["role_label"]

    @admin.display(description=gettext_lazy("role"), ordering="name")
    def role_label(self, obj):
        return group_label(obj)

    def stale_label(self, obj) -> str:
        return group_label(obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "permissions" and field is not None:
            field.label_from_instance = permission_label
        return field

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["subtitle"] = context["role_label"] = group_label(obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def history_view(self, request, object_id, extra_context=None):
        group = self.get_object(request, unquote(object_id))
        if group is not None:
            label = group_label(group)
            extra_context = {"title": _("Change history: %s") % label, "role_label": label, **(extra_context or {})}
        return super().history_view(request, object_id, extra_context)

    def get_fields(self, request, obj=None):
        """A role group's name is fixed (``review.roles`` finds the role by it): its page shows the role instead."""
        fields = super().get_fields(request, obj)
        if obj is not None and obj.name in ROLE_BY_GROUP:
            return ["role_label", *(name for name in fields if name not in ("name", "role_label"))]
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "role_label"] if obj is not None and obj.name in ROLE_BY_GROUP else readonly

    def has_delete_permission(self, request, obj=None):
        """A role group is recreated at the next start (``ensure_role_groups``) without its members: deleting it
        would take the role from everyone who holds it, so it cannot be deleted (other groups can)."""
        if obj is not None and obj.name in ROLE_BY_GROUP:
            return False
        return super().has_delete_permission(request, obj)
