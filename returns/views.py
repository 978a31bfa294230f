"""The return's screen (data entry for the officer, review for headquarters) and the tracker.

The screen is served inside the admin (``AnnualReturnAdmin.change_view``); it only turns form fields into calls
of ``returns.services`` and ``review.services`` and shows their messages.
"""

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import XLSX_CONTENT_TYPE
from review import confirmation
from review import services as review
from review.admin import review_context
from review.models import Action
from review.roles import is_headquarters

from . import import_preview, imports, services
from .provenance import is_demonstration
from .registry_notes import mark_rows
from .revisions import review_summary
from .sheet import build_sheet
from .sheet_script import script_settings
from .validation import problems as validation_problems


class NotSubmitted(Exception):
    """The draft was saved but did not pass the submission checks: show the sheet with the problems."""


def _codes(request, prefix: str) -> dict:
    return {key[len(prefix) :]: value for key, value in request.POST.items() if key.startswith(prefix)}


def sheet_view(request, annual_return, context: dict):
    """GET shows the sheet; POST saves, submits, or reviews, then redirects (or shows the refusal, keeping input)."""
    if import_preview.wants_preview(request):  # the file's changes, before → after, before anything is written
        return import_preview.preview_view(request, annual_return, context)
    user = request.user
    posted, problems = {}, []
    if request.method == "POST":
        action = request.POST.get("action", "save")
        version = request.POST.get("version") or None
        try:
            if action == "import":
                upload = request.FILES.get("file")
                if upload is None:
                    raise review.Invalid(_("Choose a spreadsheet to import."))
                saved = imports.import_values(annual_return, user, upload.read(), upload.name, version)
                messages.success(request, _("Imported: %(count)s values changed.") % {"count": saved.changed})
            elif action in ("save", Action.SUBMIT):
                # Save and submit are one transaction: the submission is of exactly the values on the screen, at the
                # version this save wrote (the row stays locked in between). A refused submission keeps the save.
                submitted = False
                with transaction.atomic():
                    saved = services.save_values(
                        annual_return, user, version, _codes(request, "value-"), _codes(request, "note-")
                    )
                    changed = saved.changed
                    if action == Action.SUBMIT:
                        try:
                            with transaction.atomic():
                                review.transition(
                                    saved.record, Action.SUBMIT, user, expected_version=saved.record.version
                                )
                            submitted = True
                        except review.Invalid:
                            problems = validation_problems(saved.record)
                # One message per outcome: a refused submission is told in red only (it says the draft is kept), and
                # a save that changed nothing says so instead of "0 values changed".
                if action == Action.SUBMIT and not submitted:
                    messages.error(request, _("The return was not submitted; the draft is saved. Fix these first:"))
                    raise NotSubmitted
                if changed:
                    messages.success(request, _("Draft saved (%(count)s values changed).") % {"count": changed})
                elif action == "save":
                    messages.info(request, _("Nothing to save: no value or note has changed."))
                if action == Action.SUBMIT:
                    messages.success(request, _("Submitted to headquarters for review."))
            else:
                if confirmation.needs_confirmation(request):  # without JavaScript: confirm on a page of its own
                    back = request.get_full_path()
                    return confirmation.confirmation_page(request, annual_return, action, back, context=context)
                event = services.review_with_comments(
                    annual_return, user, action, request.POST.get("comment", ""), _codes(request, "comment-"), version
                )
                messages.success(
                    request, _("Done: the return is now %(state)s.") % {"state": event.target.get_state_display()}
                )
            return HttpResponseRedirect(request.get_full_path())
        except NotSubmitted:
            pass
        except ValueError:
            messages.error(request, _("Unknown action."))
        except review.WorkflowError as refused:
            for message in refused.messages:
                messages.error(request, message)
            posted = request.POST
        annual_return.refresh_from_db()
    sheet = build_sheet(annual_return)
    summary = review_summary(annual_return)
    mark_rows(sheet, annual_return.year)
    failing = {code for problem in problems for code in problem.rows}
    problems = [(problem.code, problem.message) for problem in problems]
    for row in sheet.rows:
        row.review_change = summary.changes.get(row.code)
        row.problem = row.code in failing
        row.posted_value = posted.get(f"value-{row.code}") if posted else None
        row.posted_note = posted.get(f"note-{row.code}") if posted else None
        row.posted_comment = posted.get(f"comment-{row.code}", "") if posted else ""
    context = {
        **context,
        **review_context(user, annual_return),
        "sheet": sheet,
        "review_summary": summary,
        "annual_return": annual_return,
        "editable": review.can_edit(user, annual_return),
        "headquarters": is_headquarters(user),
        "can_comment": services.comment_refusal(user, annual_return) is None,
        "posted_reason": posted.get("comment", "") if posted else "",
        "problems": problems,
        "sheet_script": script_settings(annual_return, review.can_edit(user, annual_return)),
        "title": str(annual_return),
        "demonstration": is_demonstration(annual_return),
    }
    return render(request, "returns/sheet.html", context)


def template_download(request, annual_return):
    content = imports.template_workbook(annual_return)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = f"return-{annual_return.region.code}-{annual_return.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def tracker_view(request):
    """Every province's return for the chosen year, for headquarters."""
    if not is_headquarters(request.user):
        raise PermissionDenied(_("The tracker is for headquarters reviewers."))
    try:
        year = int(request.GET.get("year") or timezone.localdate().year - 1)
    except ValueError:
        year = timezone.localdate().year - 1
    state = request.GET.get("state") or None
    context = {
        **admin.site.each_context(request),
        "tracker": services.tracker(year, state),
        "state": state,
        "states": [(code, label) for code, label in services.tracker_states()],
        "years": range(year - 3, year + 2),
    }
    return render(request, "returns/tracker.html", context)
