"""Admin screens for anything reviewed: the officer edits while the record is open, headquarters acts on it.

``ReviewableAdminMixin`` goes in front of a ModelAdmin (usually ``RecordsAdmin``). It limits the list to what the
user may see, makes the form read-only when the user may not edit, guards edits with the record's version, and adds
a review panel (state, the allowed actions with a comment box, and the history of transitions) to the change page.
Every check is the one in ``services.py``.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _

from . import services
from .models import Action, ReviewEvent
from .roles import officer_region


class VersionedForm(forms.ModelForm):
    """A model form that carries the version it was opened at, and refuses to save over a newer one."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if self.instance.pk and expected is not None:
            current = type(self.instance)._default_manager.get(pk=self.instance.pk)
            if current.version != expected:
                raise forms.ValidationError(services._stale_message(current, expected))
        return cleaned


class ReviewableAdminMixin:
    change_form_template = "review/change_form.html"
    form = VersionedForm
    review_list_display = ("state", "modified_at")

    def get_queryset(self, request):
        return services.visible(request.user, super().get_queryset(request))

    def get_list_filter(self, request):
        return ("state", *super().get_list_filter(request))

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or services.can_view(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or services.can_edit(request.user, obj))

    def has_add_permission(self, request):
        return super().has_add_permission(request) and officer_region(request.user) is not None

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or (obj.state == "draft" and services.can_edit(request.user, obj)))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.model.review_region_field:
            region = officer_region(request.user)
            if region is not None:
                kwargs["queryset"] = db_field.remote_field.model.objects.filter(pk=region.pk)
                kwargs["initial"] = region.pk
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return [name for name in fields if name != "expected_version"] + ["expected_version"]

    def save_model(self, request, obj, form, change):
        if change:
            services.guard_edit(obj, request.user, form.cleaned_data.get("expected_version"))
        else:
            services.check_can_create(request.user, obj.review_region)
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.WorkflowError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        urls = [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="%s_%s_review" % info,
            )
        ]
        return urls + super().get_urls()

    def review_view(self, request, object_id):
        """POST only: apply one transition, then go back to the change page with the outcome as a message."""
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        back = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        if request.method != "POST":
            return HttpResponseRedirect(back)
        try:
            event = services.transition(
                obj,
                request.POST.get("action", ""),
                request.user,
                comment=request.POST.get("comment", ""),
                expected_version=request.POST.get("version") or None,
            )
        except ValueError:
            self.message_user(request, _("Unknown review action."), messages.ERROR)
        except services.WorkflowError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
        else:
            self.message_user(
                request,
                _("%(thing)s: %(action)s done; it is now %(state)s.")
                % {"thing": obj, "action": event.get_action_display(), "state": event.get_to_state_display()},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(back)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(review_context(request.user, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)


def review_context(user, obj) -> dict:
    """What the review panel shows: state, version, the user's possible actions and the transition history."""
    actions = services.allowed_actions(user, obj)
    return {
        "review_object": obj,
        "review_actions": [(action.value, action.label, services.RULES[action].needs_reason) for action in actions],
        "review_events": ReviewEvent.objects.filter(
            content_type__app_label=obj._meta.app_label,
            content_type__model=obj._meta.model_name,
            object_id=obj.pk,
        ).select_related("actor"),
        "review_reason_actions": [Action.RETURN.value, Action.REOPEN.value],
    }
