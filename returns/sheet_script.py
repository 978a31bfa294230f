"""What the sheet's script (``returns/static/returns/sheet.js``) is told by the page: its endpoints and its words.

The words are translated here, so the script holds no text of its own and the interface stays in the user's
language; ``%(count)s``-style placeholders are filled in by the script.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

HISTORY_CODE = "__code__"  # replaced by the row's indicator code in the script


def script_settings(annual_return, editable: bool) -> dict:
    return {
        "returnId": annual_return.pk,
        "editable": editable,
        "autosaveSeconds": 5,
        "checkDelayMs": 600,
        "urls": {
            "autosave": reverse("admin:returns_annualreturn_autosave", args=[annual_return.pk]),
            "check": reverse("admin:returns_annualreturn_check", args=[annual_return.pk]),
            "history": reverse("admin:returns_annualreturn_value_history", args=[annual_return.pk, HISTORY_CODE]),
        },
        "historyCode": HISTORY_CODE,
        "words": {
            "progress": _("%(filled)s of %(required)s required values filled"),
            "unsaved": _("Unsaved changes; saving in a moment…"),
            "saving": _("Saving…"),
            "saved": _("All changes saved."),
            "offline": _(
                "Could not save automatically; what you typed is kept in this browser. Save the draft once the "
                "connection is back."
            ),
            "restored": _("%(count)s values typed earlier in this browser and not yet saved were restored."),
            "problems": _("Problems found while you type: %(count)s"),
            "noProblems": _("No problems found: the return can be submitted."),
            "confirmProblems": _(
                "The checks find %(count)s problems; the return will not be submitted until they are fixed."
            ),
            "confirmClean": _("The checks find no problem."),
            "historyOf": _("History of %(name)s"),
            "noHistory": _("No saved versions yet."),
        },
    }
