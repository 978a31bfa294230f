"""The officer's fill-from-spreadsheet, previewed: each value the file would change, before → after, before anything
is written.

The file is read and checked by ``imports.read_values`` (every problem with its cell). The preview lists the rows
whose value or note would change; confirming posts exactly those values and notes to the sheet's ordinary save
(``services.save_values``, checked against the version the preview was made at), so nothing of the file is kept
between the two requests.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from review import services as review

from . import imports
from .services import parse_number
from .sheet import catalogue


@dataclass(frozen=True)
class ImportChange:
    indicator: object
    before: Decimal | None
    after: Decimal | None
    note_before: str
    note_after: str
    value_text: str  # as the file has it, posted back on confirming
    value_changes: bool
    note_changes: bool

    @property
    def code(self) -> str:
        return self.indicator.code


def preview_changes(annual_return, values: dict, notes: dict) -> list:
    """The rows (in catalogue order) whose value or note the file would change; two queries."""
    stored = {value.indicator_id: value for value in annual_return.values.all()}
    changes = []
    for indicator in catalogue():
        if indicator.code not in values and indicator.code not in notes:
            continue
        current = stored.get(indicator.pk)
        before = current.value if current else None
        note_before = current.note if current else ""
        after = parse_number(values[indicator.code]) if indicator.code in values else before
        note_after = notes.get(indicator.code, note_before).strip()
        value_changes = (before is None) != (after is None) or (before is not None and before != after)
        note_changes = note_after != note_before
        if value_changes or note_changes:
            text = values.get(indicator.code, "")
            changes.append(
                ImportChange(indicator, before, after, note_before, note_after, text, value_changes, note_changes)
            )
    return changes


PREVIEW_FIELD = "_preview"


def wants_preview(request) -> bool:
    """The sheet's import form asks for a preview first; a client posting without the field imports at once."""
    return request.method == "POST" and request.POST.get("action") == "import" and bool(request.POST.get(PREVIEW_FIELD))


def preview_view(request, annual_return, context: dict):
    """Read and check the uploaded file, then show before → after of each change with a button that saves exactly
    those; a refused file, or a preview of a version that is no longer current, goes back to the sheet with why."""
    back = request.get_full_path()
    try:
        if not review.can_edit(request.user, annual_return):
            raise review.NotAllowed(review.edit_refusal(request.user, annual_return))
        review.check_current(annual_return, request.POST.get("version"))
        upload = request.FILES.get("file")
        if upload is None:
            raise review.Invalid(_("Choose a spreadsheet to import."))
        values, notes = imports.read_values(upload.read(), upload.name)
    except review.WorkflowError as refused:
        for message in refused.messages:
            messages.error(request, message)
        return HttpResponseRedirect(back)
    page = {
        **context,
        "title": _("Import preview: %(thing)s") % {"thing": annual_return},
        "annual_return": annual_return,
        "changes": preview_changes(annual_return, values, notes),
        "filename": upload.name,
        "back_url": back,
    }
    return render(request, "returns/import_preview.html", page)
