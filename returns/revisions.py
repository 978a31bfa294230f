"""Reads of a return's past versions, from the values' history (``IndicatorValue.history``): the values as they stood
at a review event, what changed since the reviewer last acted (before → after), the reviewer's latest reason and the
commented rows, and the last approved version of a return that was reopened.

A return's values are edited in place; the history holds every version of every value, so "as of" an event is the
newest history record of each value at or before the event's time. Each function here costs a fixed number of
queries, whatever the number of values or versions.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from review.models import Action, ReviewEvent, State

from .models import IndicatorValue, ValueComment
from .sheet import Sheet, build_sheet, catalogue, computed_values

DELETED = "-"


@dataclass(frozen=True)
class Change:
    """One row's value before (as the reviewer last saw it) and now; ``None`` is "no value"."""

    before: Decimal | None
    after: Decimal | None
    before_text: str = ""
    after_text: str = ""


@dataclass
class ReviewSummary:
    """What the top of a return's page says about its review: the latest reason, the commented rows, and the rows
    whose value changed since the reviewer's last action, with before → after."""

    reason_event: ReviewEvent | None = None
    last_review: ReviewEvent | None = None
    commented: list = field(default_factory=list)  # (indicator, [comments]) in catalogue order
    changes: dict = field(default_factory=dict)  # indicator code → Change

    @property
    def changed_rows(self) -> list:
        return sorted(self.changes.items())


def latest_event(annual_return, actions) -> ReviewEvent | None:
    return (
        ReviewEvent.objects.filter(
            content_type__app_label=annual_return._meta.app_label,
            content_type__model=annual_return._meta.model_name,
            object_id=annual_return.pk,
            action__in=list(actions),
        )
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


def values_as_of(annual_return, at) -> dict:
    """Indicator id → the history record (``value``, ``text``, ``note``) of every value of ``annual_return`` as it
    stood at ``at``; values deleted by then are left out. One query."""
    records = IndicatorValue.history.filter(annual_return_id=annual_return.pk, history_date__lte=at).order_by(
        "indicator_id", "-history_date", "-history_id"
    )
    newest = {}
    for record in records:
        newest.setdefault(record.indicator_id, record)
    return {pk: record for pk, record in newest.items() if record.history_type != DELETED}


def _with_computed(indicators, stored: dict) -> dict:
    """Code → value for the stored values (id → anything with ``value``) and every ratio computed from them."""
    by_id = {indicator.pk: indicator for indicator in indicators}
    values = {by_id[pk].code: record.value for pk, record in stored.items() if pk in by_id}
    values.update(computed_values(indicators, values))
    return values


def changes_since(annual_return, event, indicators=None) -> dict:
    """Indicator code → ``Change`` for every row (typed, pre-filled or computed) whose value differs now from what
    it was at ``event`` (the reviewer's last return or approval). Empty without an event."""
    if event is None:
        return {}
    indicators = catalogue() if indicators is None else indicators
    then_stored = values_as_of(annual_return, event.at)
    now_stored = {value.indicator_id: value for value in annual_return.values.all()}
    then, now = _with_computed(indicators, then_stored), _with_computed(indicators, now_stored)
    changes = {}
    for indicator in indicators:
        before_text = then_stored[indicator.pk].text if indicator.pk in then_stored else ""
        after_text = now_stored[indicator.pk].text if indicator.pk in now_stored else ""
        before, after = then.get(indicator.code), now.get(indicator.code)
        if not _same(before, after) or before_text != after_text:
            changes[indicator.code] = Change(before, after, before_text, after_text)
    return changes


def _same(left, right) -> bool:
    if left is None or right is None:
        return left is right
    return Decimal(left) == Decimal(right)


def review_summary(annual_return) -> ReviewSummary:
    """The reviewer's latest reason (return or reopen), the rows the reviewer commented on, and before → after for
    each row changed since the reviewer's last return or approval. Shown to the officer and to the reviewer."""
    indicators = catalogue()
    reason_event = latest_event(annual_return, [Action.RETURN, Action.REOPEN])
    last_review = latest_event(annual_return, [Action.RETURN, Action.APPROVE])
    by_id = {indicator.pk: indicator for indicator in indicators}
    commented = {}
    for comment in ValueComment.objects.filter(annual_return=annual_return).select_related("author"):
        commented.setdefault(comment.indicator_id, []).append(comment)
    rows = [(by_id[pk], comments) for pk, comments in commented.items() if pk in by_id]
    rows.sort(key=lambda pair: (pair[0].position, pair[0].pk))
    changes = changes_since(annual_return, last_review, indicators)
    return ReviewSummary(reason_event, last_review, rows, changes)


def last_approval(annual_return) -> ReviewEvent | None:
    if annual_return.state == State.DRAFT:
        return None
    return latest_event(annual_return, [Action.APPROVE])


@dataclass
class ApprovedVersion:
    """A return as it was last approved; ``under_revision`` when it was reopened since (its sheet then shows the
    values of ``approval``'s time, not the ones being edited)."""

    annual_return: object
    sheet: Sheet
    approval: ReviewEvent | None

    @property
    def under_revision(self) -> bool:
        return self.annual_return.state != State.APPROVED


def approved_version(annual_return) -> ApprovedVersion | None:
    """The return's sheet as it was last approved: the stored values while it is approved, the values as of its
    last approval once it was reopened (and while it is edited, resubmitted or returned again). None when it was
    never approved. Values and notes are the approved ones; the reviewers' comments are today's."""
    approval = last_approval(annual_return)
    if annual_return.state == State.APPROVED:  # approval is None for a record made approved (demonstration data)
        return ApprovedVersion(annual_return, build_sheet(annual_return), approval)
    if approval is None:
        return None
    sheet = build_sheet(annual_return)
    indicators = [row.indicator for row in sheet.rows]
    approved = values_as_of(annual_return, approval.at)
    values = _with_computed(indicators, approved)
    for row in sheet.rows:
        row.value = values.get(row.code)
        row.stored = approved.get(row.indicator.pk)
    return ApprovedVersion(annual_return, sheet, approval)
