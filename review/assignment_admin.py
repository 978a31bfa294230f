"""Officers' region assignments in the admin: a list of their own and an inline on the user page, so that an
administrator makes a new officer in one place (create the user, pick the region, save).

Both write through ``assignment_services`` (administrators only, reporting regions only, the version checked).
The forms run the service's checks while validating, so a refusal is shown on the field; the service checks again
under its lock when saving, and a refusal then (a concurrent change) rolls back and is shown as a message.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_guards import RefusalsAsMessages, WithoutBulkDelete
from core.history_admin import ReadOnlyHistoryAdmin
from core.permission_labels import permission_label
from core.stale_forms import StaleEditGuard
from statistics.models import Region

from . import assignment_services, services
from .group_admin import group_label
from .models import RegionAssignment
from .roles import is_headquarters


class AssignmentForm(forms.ModelForm):
    """The region (reporting regions only) and, when changing, the version the form was opened at."""

    expected_version = forms.CharField(widget=forms.HiddenInput, required=False)
    actor = None  # set by ``form_for`` on a subclass, for the service's checks

    class Meta:
        model = RegionAssignment
        fields = ["user", "region"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "region" in self.fields:
            self.fields["region"].queryset = Region.objects.reporting().order_by("display_order")
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        user = cleaned.get("user") or getattr(self.instance, "user", None)
        region = cleaned.get("region")
        if user is None or region is None or not self.has_changed():
            return cleaned
        try:
            assignment_services.check(self.actor, user, region)
            if self.instance.pk:
                cleaned["expected_version"] = services.parse_version(cleaned.get("expected_version"))
                if RegionAssignment.objects.get(pk=self.instance.pk).version != cleaned["expected_version"]:
                    raise services.Stale(_("The assignment was changed after you opened it; reload the page."))
        except services.WorkflowError as error:
            raise forms.ValidationError(error.messages) from None
        return cleaned


def form_for(actor, base=AssignmentForm):
    return type(base.__name__, (base,), {"actor": actor})


def save_assignment(actor, form) -> RegionAssignment:
    """The one place both admin screens write an assignment: through the service."""
    if form.instance.pk:
        current = RegionAssignment.objects.get(pk=form.instance.pk)
        data = form.cleaned_data
        return assignment_services.change(actor, current, data["region"], data["expected_version"])
    return assignment_services.assign(actor, form.cleaned_data["user"], form.cleaned_data["region"])


@admin.register(RegionAssignment)
class RegionAssignmentAdmin(RefusalsAsMessages, WithoutBulkDelete, ReadOnlyHistoryAdmin):
    refusals = (services.WorkflowError,)
    list_display = ["user", "region", "version"]
    list_filter = ["region"]
    search_fields = ["user__username", "region__name_zh", "region__code"]
    list_select_related = ["user", "region"]
    ordering = ["region__display_order", "user__username"]
    delete_confirmation_template = "review/delete_confirmation.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = form_for(request.user)
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return ["user"] if obj else []

    def has_view_permission(self, request, obj=None):
        return is_headquarters(request.user)

    def has_module_permission(self, request):
        return is_headquarters(request.user)

    def has_add_permission(self, request):
        return assignment_services.refusal(request.user) is None

    def has_change_permission(self, request, obj=None):
        return assignment_services.refusal(request.user) is None

    def has_delete_permission(self, request, obj=None):
        return assignment_services.refusal(request.user) is None

    def save_model(self, request, obj, form, change):
        form.instance = save_assignment(request.user, form)

    def delete_model(self, request, obj):
        assignment_services.unassign(request.user, obj, request.POST.get("version"))

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except services.WorkflowError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:review_regionassignment_change", args=[object_id]))


class InlineAssignmentForm(AssignmentForm):
    class Meta(AssignmentForm.Meta):
        fields = ["region"]

    def clean(self):
        if self.cleaned_data.get("DELETE"):
            return self.cleaned_data
        if not self.instance.pk:
            self.instance.user = self.fk_user
        cleaned = forms.ModelForm.clean(self)
        region = cleaned.get("region")
        if region is None or not self.has_changed():
            return cleaned
        try:
            assignment_services.check(self.actor, self.instance.user, region)
            if self.instance.pk:
                cleaned["expected_version"] = services.parse_version(cleaned.get("expected_version"))
        except services.WorkflowError as error:
            raise forms.ValidationError(error.messages) from None
        return cleaned


class RegionAssignmentInline(admin.StackedInline):
    model = RegionAssignment
    form = InlineAssignmentForm
    fields = ["region", "expected_version"]
    extra = 1  # a user without a region shows the empty form at once: pick the region and save
    max_num = 1
    verbose_name = gettext_lazy("region (for a provincial officer)")
    verbose_name_plural = gettext_lazy("region (for a provincial officer)")

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = type("InlineAssignmentForm", (InlineAssignmentForm,), {"actor": request.user, "fk_user": obj})
        return super().get_formset(request, obj, **kwargs)

    def has_add_permission(self, request, obj=None):
        return assignment_services.refusal(request.user) is None

    def has_change_permission(self, request, obj=None):
        return assignment_services.refusal(request.user) is None

    def has_delete_permission(self, request, obj=None):
        return assignment_services.refusal(request.user) is None

    def has_view_permission(self, request, obj=None):
        return is_headquarters(request.user)


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


class RoleGroupFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field, request, model_admin):
        return [(group.pk, group_label(group)) for group in Group.objects.order_by("name")]


@admin.register(User)
class UserWithRegionAdmin(StaleEditGuard, RefusalsAsMessages, UserAdmin):
    """Django's user admin, plus the officer's region inline (saved through ``assignment_services``); roles shown by
    their translated labels."""

    refusals = (services.WorkflowError,)
    stale_exclude = ("last_login", "password")  # signing in, or a password set on its own page, is not an edit here

    inlines = [RegionAssignmentInline]
    list_display = [*UserAdmin.list_display, "assigned_region"]
    list_select_related = ["region_assignment__region"]
    list_filter = [("groups", RoleGroupFilter) if name == "groups" else name for name in UserAdmin.list_filter]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and field is not None:
            field.label_from_instance = group_label
        if db_field.name == "user_permissions" and field is not None:
            field.label_from_instance = permission_label
        return field

    @admin.display(description=gettext_lazy("region"), ordering="region_assignment__region__display_order")
    def assigned_region(self, obj):
        assignment = getattr(obj, "region_assignment", None)
        return assignment.region if assignment else ""

    def get_queryset(self, request):
        """A superuser's account is a superuser's to see and change: an administrator who could reset its password
        could become one."""
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(is_superuser=False)

    @admin.display(description=gettext_lazy("user permissions"))
    def own_permissions(self, obj):
        """The user's own permissions, read-only, named as the pickers name them (``core.permission_labels``)."""
        permissions = obj.user_permissions.select_related("content_type") if obj is not None and obj.pk else []
        return "; ".join(permission_label(permission) for permission in permissions) or "—"

    def get_fieldsets(self, request, obj=None):
        """An administrator who is not a superuser sees the user's own permissions, read-only, in their language."""
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        swap = {"user_permissions": "own_permissions"}
        return [
            (name, {**options, "fields": [swap.get(field, field) for field in options["fields"]]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        """Only a superuser makes superusers or grants single permissions; administrators grant roles (groups)."""
        # set by signing in and by creating the account, not by hand (the split widget would also cut
        # ``date_joined`` to whole seconds on every save)
        readonly = [*super().get_readonly_fields(request, obj), "last_login", "date_joined"]
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions", "own_permissions"]
        return readonly

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_formset(self, request, form, formset, change):
        if formset.model is not RegionAssignment:
            return super().save_formset(request, form, formset, change)
        # What Django's change message reads from a saved formset.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not inline_form.has_changed() and inline_form not in formset.deleted_forms:
                continue
            if inline_form in formset.deleted_forms:
                if inline_form.instance.pk:
                    assignment_services.unassign(
                        request.user, inline_form.instance, inline_form.cleaned_data.get("expected_version")
                    )
                    formset.deleted_objects.append(inline_form.instance)
                continue
            if inline_form.instance.pk:
                current = RegionAssignment.objects.get(pk=inline_form.instance.pk)
                data = inline_form.cleaned_data
                changed = assignment_services.change(request.user, current, data["region"], data["expected_version"])
                formset.changed_objects.append((changed, inline_form.changed_data))
            else:
                added = assignment_services.assign(request.user, form.instance, inline_form.cleaned_data["region"])
                formset.new_objects.append(added)
        return None
