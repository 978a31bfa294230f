"""The confirmation before an irreversible transition (submit, approve, return, reopen, withdraw).

The page's buttons carry what will happen (``describe``); ``static/review/confirm.js`` shows it in a ``<dialog>``
and marks the form as confirmed. Without JavaScript the form arrives with ``_confirm=ask``, and the view answers
with a confirmation page (``confirmation_page``) that posts the same fields again with ``_confirm=yes``. A client
that posts without ``_confirm`` (the API, scripts, tests of the services) is not asked: the field only exists in the
pages' forms.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Action

CONFIRM_FIELD = "_confirm"
ASK, YES = "ask", "yes"


def needs_confirmation(request) -> bool:
    """The form was posted from a page without JavaScript and the user has not confirmed yet."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == ASK


def describe(obj, action, problems: int | None = None) -> str:
    """What ``action`` will do to ``obj``, in a sentence or two, for the confirmation."""
    action = Action(action)
    thing = f"{obj._meta.verbose_name} “{obj}”"
    if action == Action.SUBMIT:
        text = _("Submit %(thing)s to headquarters for review. It is locked until a reviewer returns it.") % {
            "thing": thing
        }
        if problems:
            text += " " + ngettext(
                "%(count)s problem stops the submission; it will be refused until it is fixed.",
                "%(count)s problems stop the submission; it will be refused until they are fixed.",
                problems,
            ) % {"count": problems}
        elif problems == 0:
            text += " " + _("No problems were found.")
        return text
    if action == Action.APPROVE:
        return _(
            "Approve %(thing)s. It is locked, and its figures become the published version on the public pages."
        ) % {"thing": thing}
    if action == Action.RETURN:
        return _(
            "Return %(thing)s to its officer for correction, with your reason. The officer can change it again and "
            "resubmit it."
        ) % {"thing": thing}
    if action == Action.REOPEN:
        return _(
            "Reopen approved %(thing)s for correction, with your reason. The public pages keep the approved version, "
            "marked as under revision, until it is approved again."
        ) % {"thing": thing}
    if action == Action.WITHDRAW:
        return _(
            "Withdraw %(thing)s from review. It goes back to the state it was submitted from; you can change it and "
            "submit it again."
        ) % {"thing": thing}
    return _("%(action)s %(thing)s.") % {"action": str(action.label).capitalize(), "thing": thing}


def needs_reason(action) -> bool:
    from .services import RULES

    return RULES[Action(action)].needs_reason


def confirmation_page(request, obj, action, back_url: str, problems: int | None = None, context: dict | None = None):
    """The no-JavaScript confirmation: what will happen, and the posted fields again with ``_confirm=yes``.
    ``context`` is the page's own (the admin's ``each_context``)."""
    action = Action(action)
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        for value in values
        if name not in (CONFIRM_FIELD, "csrfmiddlewaretoken")
    ]
    context = {
        **(context or {}),
        "title": _("Confirm: %(action)s") % {"action": action.label},
        "object": obj,
        "action": action,
        "description": describe(obj, action, problems),
        "needs_reason": needs_reason(action),
        "reason": request.POST.get("comment", ""),
        "fields": [(name, value) for name, value in fields if name != "comment"],
        "back_url": back_url,
        "confirm_field": CONFIRM_FIELD,
    }
    return render(request, "review/confirm.html", context)
