"""What officers and reviewers do to a return, besides the transitions (``review.services``): start it, save
values, comment on a value, and follow every province's progress on the tracker."""

import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from review import services as review
from review.models import Action, State
from review.roles import is_headquarters
from statistics.models import Region

from .models import AnnualReturn, IndicatorValue, ReturnPeriod, ValueComment
from .periods import year_refusal
from .sheet import PREFILLED_SOURCES, catalogue
from .sources import prefilled_values


def parse_number(text: str) -> Decimal | None:
    """A typed value as a number: full-width digits, thousands separators and spaces allowed. Raises ValueError."""
    cleaned = unicodedata.normalize("NFKC", text or "").replace(",", "").replace(" ", "").strip()
    if not cleaned:
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(cleaned) from error
    if not number.is_finite():
        raise ValueError(cleaned)
    return number


@transaction.atomic
def start_return(region, year, user) -> AnnualReturn:
    """Create the region's draft return for ``year``, with the pre-filled values in place. Officers only."""
    review.check_can_create(user, region)
    refused = year_refusal(year)  # only the years of open reporting periods
    if refused:
        raise review.Invalid(refused)
    if not region.reports:
        raise review.Invalid(_("%(region)s does not report to headquarters.") % {"region": region})
    if AnnualReturn.objects.filter(region=region, year=year).exists():
        raise review.Invalid(AnnualReturn.exists_message(region, year))
    annual_return = AnnualReturn.objects.create(region=region, year=year, modified_by=user, modified_at=timezone.now())
    _write(annual_return, user, {}, {})
    return annual_return


@dataclass(frozen=True)
class Saved:
    """What ``save_values`` did: the fresh return (its version moved on when something changed) and how many values
    changed. The caller's own object is left as it was; whoever goes on (submits, shows the version) uses ``record``."""

    record: AnnualReturn
    changed: int


@transaction.atomic
def save_values(annual_return, user, expected_version, values: dict, notes: dict | None = None) -> Saved:
    """Save what the officer typed: ``values`` and ``notes`` map indicator codes to text. Returns the fresh return
    and the number of values that changed. Anything typed is kept, even when it is not a valid value (the submission
    checks say so); a value for an indicator the officer does not type is refused, so nothing is silently dropped."""
    locked = review.guard_edit(annual_return, user, expected_version, bump=False)
    changed = _write(locked, user, values, notes or {})
    if changed:  # saving what is already stored is no new version
        locked = review.record_edit(locked, user)
    return Saved(locked, changed)


def value_refusal(indicator) -> str | None:
    """Why the province may not type a value of ``indicator`` (filled in or computed), or None."""
    if indicator.source != "entered":
        return _("%(name)s is not typed by the province; its value is filled in or computed.") % {"name": indicator}
    return None


def note_refusal(indicator) -> str | None:
    """Why the province may not write a note on ``indicator`` (computed), or None."""
    if indicator.source == "computed":
        return _("%(name)s is computed; write the note on one of its inputs.") % {"name": indicator}
    return None


def check_typable(indicators: dict, values: dict, notes: dict) -> None:
    """Refuse values and notes the officer cannot type (``indicators``: code → indicator): unknown codes, values of
    filled-in or computed indicators, notes on computed ones. Used by the save and by the checks made while typing;
    the spreadsheet import gives the same messages with the cell (``value_refusal``, ``note_refusal``)."""
    unknown = sorted(code for code in set(values) | set(notes) if code not in indicators)
    if unknown:
        raise review.Invalid(_("Unknown indicators: %(codes)s.") % {"codes": ", ".join(unknown)})
    not_typed = [refusal for code in values if (refusal := value_refusal(indicators[code]))]
    if not_typed:
        raise review.Invalid(not_typed)
    computed_notes = [refusal for code in notes if (refusal := note_refusal(indicators[code]))]
    if computed_notes:
        raise review.Invalid(computed_notes)


def _write(annual_return, user, values: dict, notes: dict) -> int:
    indicators = {indicator.code: indicator for indicator in catalogue()}
    check_typable(indicators, values, notes)
    prefilled = [indicator for indicator in indicators.values() if indicator.source in PREFILLED_SOURCES]
    held = prefilled_values(annual_return.region, annual_return.year, prefilled)
    stored = {value.indicator_id: value for value in annual_return.values.all()}
    wanted = {}
    for indicator in indicators.values():
        if indicator.source == "computed":
            continue
        current = stored.get(indicator.pk)
        number, text = (current.value, current.text) if current else (None, "")
        if indicator.pk in held:
            number, text = held[indicator.pk], ""
        elif indicator.code in values:
            try:
                number, text = parse_number(values[indicator.code]), ""
            except ValueError:
                number, text = None, values[indicator.code].strip()[:64]
        note = notes.get(indicator.code, current.note if current else "").strip()
        wanted[indicator.pk] = (number, text, note)
    created, updated = [], []
    for indicator_id, (number, text, note) in wanted.items():
        current = stored.get(indicator_id)
        if current is None:
            if number is not None or text or note:
                created.append(
                    IndicatorValue(
                        annual_return=annual_return, indicator_id=indicator_id, value=number, text=text, note=note
                    )
                )
        elif (current.value, current.text, current.note) != (number, text, note):
            current.value, current.text, current.note = number, text, note
            updated.append(current)
    if created:
        bulk_create_with_history(created, IndicatorValue, default_user=user)
    if updated:
        bulk_update_with_history(updated, IndicatorValue, ["value", "text", "note"], default_user=user)
    return len(created) + len(updated)


def comment_refusal(user, annual_return) -> review.WorkflowError | None:
    """Why ``user`` may not comment on single values of ``annual_return`` now (403 not headquarters, 400 not
    submitted), or None: headquarters comments while the return is submitted. The sheet shows the comment boxes by
    the same rule."""
    if not is_headquarters(user):
        return review.NotAllowed(_("Only headquarters comments on the values of a return."))
    if annual_return.state != State.SUBMITTED:
        return review.Invalid(_("Comments are written while a return is submitted for review."))
    return None


@transaction.atomic
def add_comments(annual_return, user, comments: dict) -> list:
    """Attach reviewers' comments (indicator code → text) to single values of a submitted return."""
    comments = {code: text.strip() for code, text in comments.items() if text and text.strip()}
    if not comments:
        return []
    refused = comment_refusal(user, annual_return)
    if refused:
        raise refused
    indicators = {indicator.code: indicator for indicator in catalogue()}
    unknown = [code for code in comments if code not in indicators]
    if unknown:
        raise review.Invalid(_("Unknown indicators: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    return ValueComment.objects.bulk_create(
        ValueComment(annual_return=annual_return, indicator=indicators[code], author=user, text=text)
        for code, text in comments.items()
    )


@transaction.atomic
def review_with_comments(annual_return, user, action, reason: str, comments: dict, expected_version=None):
    """A reviewer's return or approval together with the comments on single values, all or nothing."""
    add_comments(annual_return, user, comments)
    return review.transition(annual_return, action, user, reason, expected_version)


@dataclass
class TrackerRow:
    region: Region
    annual_return: AnnualReturn | None

    @property
    def state(self) -> str:
        return self.annual_return.state if self.annual_return else "not_started"

    @property
    def state_label(self) -> str:
        return self.annual_return.get_state_display() if self.annual_return else _("not started")


@dataclass
class Tracker:
    year: int
    rows: list
    deadline: object
    total: int
    submitted: int
    approved: int
    closed: bool = False  # headquarters has closed the year's reporting period

    @property
    def days_left(self) -> int | None:
        if self.deadline is None:
            return None
        return (self.deadline - timezone.localdate()).days


def tracker_states() -> list:
    """The states the tracker can filter by, "not started" first."""
    return [("not_started", _("not started")), *State.choices]


def tracker(year: int, state: str | None = None) -> Tracker:
    """Every reporting region's return for ``year`` (the 31 provinces and the XPCC, ``Region.objects.reporting()``):
    its state, when it was submitted, and the counts.

    "Submitted" counts every return that has reached headquarters at least once and is not back with the province:
    submitted or approved."""
    regions = list(Region.objects.reporting().order_by("display_order"))
    returns = {item.region_id: item for item in AnnualReturn.objects.filter(year=year)}
    rows = [TrackerRow(region, returns.get(region.pk)) for region in regions]
    submitted = sum(row.state in (State.SUBMITTED, State.APPROVED) for row in rows)
    approved = sum(row.state == State.APPROVED for row in rows)
    if state:
        rows = [row for row in rows if row.state == state]
    period = ReturnPeriod.objects.filter(year=year).first()
    deadline, closed = (period.deadline, period.closed) if period else (None, False)
    return Tracker(year, rows, deadline, len(regions), submitted, approved, closed)


__all__ = [
    "Action",
    "Saved",
    "add_comments",
    "parse_number",
    "review_with_comments",
    "save_values",
    "start_return",
    "tracker",
]
