"""The sheet's JSON endpoints, used by its script while the officer types (``returns/static/returns/sheet.js``):

- ``autosave`` saves the draft through ``services.save_values`` with the version the sheet holds (409 when someone
  saved since, 403 when the return is not the user's to edit, 400 for input that cannot be saved), so a crash or a
  closed tab loses nothing typed;
- ``check`` runs the submission checks (``returns.validation``) over the typed, unsaved values and writes nothing;
- ``value_history`` lists one value's versions: who, when, before → after.

They are served inside the admin (``AnnualReturnAdmin.get_urls``): the admin's login and the return's visibility
apply (another region's return is 404). Input is the sheet's own form (``value-<code>``, ``note-<code>``,
``version``); answers are JSON, refusals ``{"messages": [...]}`` with the refusal's status.
"""

from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.numbers import format_number
from review import services as review

from . import services
from .models import IndicatorValue
from .sheet import catalogue
from .validation import problems


def typed_from(post) -> tuple[dict, dict]:
    """(values, notes), indicator code → text, from the sheet's form fields."""
    values = {key[len("value-") :]: text for key, text in post.items() if key.startswith("value-")}
    notes = {key[len("note-") :]: text for key, text in post.items() if key.startswith("note-")}
    return values, notes


def refused(error: review.WorkflowError) -> JsonResponse:
    return JsonResponse({"messages": error.messages}, status=error.status)


@require_POST
def autosave(request, annual_return) -> JsonResponse:
    values, notes = typed_from(request.POST)
    try:
        saved = services.save_values(annual_return, request.user, request.POST.get("version"), values, notes)
    except review.WorkflowError as error:
        return refused(error)
    message = (
        _("Draft saved automatically at %(time)s.")
        % {"time": timezone.localtime(saved.record.modified_at).strftime("%H:%M")}
        if saved.changed
        else ""
    )
    return JsonResponse({"version": saved.record.version, "changed": saved.changed, "message": message})


def typed_overlay(annual_return, values: dict, notes: dict) -> dict:
    """Indicator id → an unsaved ``IndicatorValue`` holding what was typed, parsed as the save parses it; the same
    refusals as the save (unknown codes, values that are not typed by the province) raise ``review.Invalid``."""
    indicators = {indicator.code: indicator for indicator in catalogue()}
    services.check_typable(indicators, values, notes)
    stored = {value.indicator_id: value for value in annual_return.values.all()}
    overlay = {}
    for code in set(values) | set(notes):
        indicator = indicators[code]
        current = stored.get(indicator.pk)
        number, text = (current.value, current.text) if current else (None, "")
        if code in values:
            try:
                number, text = services.parse_number(values[code]), ""
            except ValueError:
                number, text = None, values[code].strip()[:64]
        note = notes[code].strip() if code in notes else (current.note if current else "")
        overlay[indicator.pk] = IndicatorValue(
            annual_return=annual_return, indicator=indicator, value=number, text=text, note=note
        )
    return overlay


@require_POST
def check(request, annual_return) -> JsonResponse:
    """The problems the submission would report with what is typed now; nothing is written."""
    values, notes = typed_from(request.POST)
    try:
        overlay = typed_overlay(annual_return, values, notes)
    except review.WorkflowError as error:
        return refused(error)
    found = problems(annual_return, overlay)
    return JsonResponse(
        {
            "count": len(found),
            "problems": [
                {"code": problem.code, "message": problem.message, "rows": list(problem.rows)} for problem in found
            ],
        }
    )


def _shown(record) -> str:
    if record is None or record.history_type == "-":
        return ""
    return record.text or format_number(record.value)


@require_GET
def value_history(request, annual_return, code: str) -> JsonResponse:
    """Every version of one value of the return, newest first: who, when, the value and note before and after."""
    records = list(
        IndicatorValue.history.filter(annual_return_id=annual_return.pk, indicator__code=code)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    if not records and not catalogue_has(code):
        return JsonResponse({"messages": [_("Unknown indicators: %(codes)s.") % {"codes": code}]}, status=404)
    versions, previous = [], None
    for record in records:
        versions.append(
            {
                "at": timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M"),
                "by": str(record.history_user) if record.history_user else _("the application"),
                "before": _shown(previous),
                "after": _shown(record),
                "note_before": previous.note if previous is not None and previous.history_type != "-" else "",
                "note_after": record.note if record.history_type != "-" else "",
            }
        )
        previous = record
    return JsonResponse({"code": code, "versions": versions[::-1]})


def catalogue_has(code: str) -> bool:
    return any(indicator.code == code for indicator in catalogue())
