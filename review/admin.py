"""Admin screens for anything reviewed: the officer edits while the record is open, headquarters acts on it.

``ReviewableAdminMixin`` goes in front of a ModelAdmin (usually ``RecordsAdmin``). It limits the list to what the
user may see, makes the form read-only when the user may not edit, guards edits with the record's version, and adds
a review panel (state, the allowed actions with a comment box, and the history of transitions) to the change page.
Every check is the one in ``services.py``.
"""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _

from core.admin_guards import RefusalsAsMessages, WithoutBulkDelete

from . import confirmation, services
from .models import Action, Owner, ReviewEvent
from .roles import is_headquarters, officer_region
from .selectors import can_read, readable


class VersionedForm(forms.ModelForm):
    """A model form that carries the version it was opened at, and refuses to save over a newer one.

    On a change the version is required: a form posted without it (or with a malformed one) is refused with a
    message at the top of the form, never saved unchecked. The field is hidden, so its problems are reported as
    errors of the whole form. The final check is ``services.guard_edit``'s, on the locked row.
    """

    expected_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            cleaned["expected_version"] = None
            return cleaned
        current = type(self.instance)._default_manager.get(pk=self.instance.pk)
        try:  # the workflow's own check and words (400 no version, 409 stale), as on the API
            cleaned["expected_version"] = services.check_current(current, cleaned.get("expected_version"))
        except services.WorkflowError as error:
            raise forms.ValidationError(error.messages) from None
        return cleaned


class ReviewableAdminMixin(RefusalsAsMessages, WithoutBulkDelete):
    """See the module's docstring. Bulk delete is off: a record is deleted on its own page, through
    ``services.delete`` with the version the confirmation page was opened at."""

    change_form_template = "review/change_form.html"
    delete_confirmation_template = "review/delete_confirmation.html"
    form = VersionedForm
    refusals = (services.WorkflowError,)
    review_list_display = ("state", "modified_at")

    def get_queryset(self, request):
        return readable(request.user, super().get_queryset(request))

    def get_list_filter(self, request):
        return ("state", *super().get_list_filter(request))

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or can_read(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or services.can_edit(request.user, obj))

    def has_add_permission(self, request):
        if not super().has_add_permission(request):
            return False
        if self.model.review_owner == Owner.HEADQUARTERS:
            return is_headquarters(request.user)
        return officer_region(request.user) is not None

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or services.can_delete(request.user, obj))

    def delete_model(self, request, obj):
        services.delete(obj, request.user, request.POST.get("version"))

    def delete_view(self, request, object_id, extra_context=None):
        """A refused deletion (stale, no version, no longer a draft) rolls back and says why on the change page."""
        try:
            return super().delete_view(request, object_id, extra_context)
        except services.WorkflowError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[object_id])
            )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if self.model.review_region_field and db_field.name == self.model.review_region_field:
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
            locked = services.guard_edit(obj, request.user, form.cleaned_data.get("expected_version"))
            for name, value in services.review_fields(locked).items():  # saving the form keeps the new version
                setattr(obj, name, value)
        else:
            services.check_can_create(request.user, obj.review_region, type(obj))
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        """The "Save and submit" button: the edited form was saved (same transaction, same version check); now
        submit exactly that version. A refused submission leaves the saved draft and says why; it stays open."""
        if SUBMIT_BUTTON not in request.POST:
            return super().response_change(request, obj)
        try:
            with transaction.atomic():
                services.transition(obj, Action.SUBMIT, request.user, expected_version=obj.version)
        except services.WorkflowError as error:
            self.message_user(
                request,
                _("Your changes are saved, but %(thing)s was not submitted:") % {"thing": obj},
                messages.WARNING,
            )
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
        else:
            self.message_user(
                request, _("%(thing)s is saved and submitted for review.") % {"thing": obj}, messages.SUCCESS
            )
        return HttpResponseRedirect(request.path)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id and SUBMIT_BUTTON in request.POST and confirmation.needs_confirmation(request):
            # Without JavaScript "Save and submit" is confirmed before anything is saved: the page posts the same
            # form again, confirmed.
            obj = self.get_object(request, object_id)
            if obj is not None and self.has_change_permission(request, obj):
                return confirmation.confirmation_page(
                    request,
                    obj,
                    Action.SUBMIT,
                    request.get_full_path(),
                    _problem_count(obj, Action.SUBMIT),
                    self.admin_site.each_context(request),
                )
        return super().changeform_view(request, object_id, form_url, extra_context)

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
            action = Action(request.POST.get("action", ""))
            if action == Action.SUBMIT and services.can_edit(request.user, obj):
                # Submitting from the panel would submit the stored text, not what is in the editor below it.
                raise services.Invalid(_("Submit with the “Save and submit” button under the form."))
            if confirmation.needs_confirmation(request):
                return confirmation.confirmation_page(
                    request, obj, action, back, _problem_count(obj, action), self.admin_site.each_context(request)
                )
            event = services.transition(
                obj,
                action,
                request.user,
                comment=request.POST.get("comment", ""),
                expected_version=request.POST.get("version"),
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
            context.update(review_context(request.user, obj, submit_in_form=True))
        return super().render_change_form(request, context, add, change, form_url, obj)


SUBMIT_BUTTON = "_review_submit"


def _problem_count(obj, action) -> int | None:
    """For a submission, how many problems the stored version has (what the confirmation says); else None."""
    return len(obj.submission_problems()) if action == Action.SUBMIT else None


def review_context(user, obj, submit_in_form: bool = False) -> dict:
    """What the review panel shows: state, version, the user's possible actions and the transition history.

    With ``submit_in_form`` the submit action is not in the panel (whose form would submit the stored text) but is
    the change form's "Save and submit" button (``review_submit_button``), which saves what is on the screen first.
    """
    actions = services.allowed_actions(user, obj)
    submit_button = submit_in_form and Action.SUBMIT in actions and services.can_edit(user, obj)
    if submit_button:
        actions = [action for action in actions if action != Action.SUBMIT]
    return {
        "review_object": obj,
        "review_submit_button": SUBMIT_BUTTON if submit_button else None,
        "review_actions": [(action.value, action.label, services.RULES[action].needs_reason) for action in actions],
        # The same actions as buttons, each with what it will do, for the confirmation (review.confirmation).
        "review_buttons": [
            {
                "code": action.value,
                "label": action.label,
                "needs_reason": services.RULES[action].needs_reason,
                "primary": action in (Action.APPROVE, Action.SUBMIT),
                # The problem count only where submit is this panel's (the return sheet counts live, as typed).
                "confirm": confirmation.describe(obj, action, _problem_count(obj, action) if submit_in_form else None),
            }
            for action in actions
        ],
        "review_submit_confirmation": (
            confirmation.describe(obj, Action.SUBMIT, _problem_count(obj, Action.SUBMIT)) if submit_button else ""
        ),
        "review_events": ReviewEvent.objects.filter(
            content_type__app_label=obj._meta.app_label,
            content_type__model=obj._meta.model_name,
            object_id=obj.pk,
        ).select_related("actor"),
        "review_reason_actions": [Action.RETURN.value, Action.REOPEN.value],
    }


# The officers' region assignments: their own list and the inline on the user page; the role groups.
from . import assignment_admin, group_admin  # noqa: E402,F401
