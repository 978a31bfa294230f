"""History pages (django-simple-history) in the reader's language.

A change reason is stored as written when the change was saved. People write theirs in their language, but the
loaders write fixed English phrases ("load_report_data (import run 3)", "import regions.xlsx", "loaded from the 2025
annual report"), and a change without a reason has None, which the package's template printed as "None". The filter
below shows a dash for no reason and puts the loaders' phrases into the reader's language; any other reason is
shown as written.
"""

import re

from django import template
from django.utils.translation import gettext as _

register = template.Library()

LOADER = re.compile(r"^load_report_data(?P<force> --force)? \(import run (?P<run>\d+)\)$")
IMPORT = re.compile(r"^import (?P<file>.+)$")
FIXED = {
    "loaded from the 2025 annual report": lambda: _("loaded from the 2025 annual report"),
}


@register.filter
def change_reason(reason) -> str:
    if reason is None or str(reason).strip() in ("", "None"):
        return "—"
    reason = str(reason)
    if match := LOADER.match(reason):
        return _("Loaded from the report's data (import run %(run)s)") % {"run": match["run"]}
    if reason in FIXED:
        return FIXED[reason]()
    if match := IMPORT.match(reason):
        return _("Imported from %(file)s") % {"file": match["file"]}
    return reason
