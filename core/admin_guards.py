"""Admin mixins that close side doors: bulk actions that write past the services, and deleting the record of imports.

Django's ``delete_selected`` action deletes a whole queryset in one ``QuerySet.delete()``: no model ``delete()``,
no workflow state check per record, no rule engine. The project's admins therefore offer no bulk delete; a record
that may be deleted is deleted one at a time on its own page, where its admin's ``has_delete_permission(obj)``
(region, workflow state) decides.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect


class WithoutBulkDelete:
    """Removes Django's ``delete_selected`` action (other actions, such as export, stay)."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class AppendOnlyAdmin(WithoutBulkDelete):
    """Nobody deletes here, superusers included: the records are evidence (who imported what, and when)."""

    def has_delete_permission(self, request, obj=None):
        return False


class RefusalsAsMessages:
    """A service's refusal raised while saving (after the form validated: a concurrent change that only the write
    saw) rolls the save back and is shown at the top of the same page, instead of a server error.

    ``refusals`` names the exceptions to catch; each carries its reasons as ``messages``.
    """

    refusals: tuple[type[Exception], ...] = ()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except self.refusals as refused:
            for message in refused.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
