"""Reads with rules for the landing page: what is due for an officer, what waits for headquarters.

The kinds of reviewed record are found in the app registry (every concrete subclass of ``review.models.Reviewable``),
so a new reviewed model appears in the queue without an edit here. Each read costs one query per kind of record plus
a fixed number more, whatever the number of records (tested in ``tests/test_landing.py``).
"""

from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from core.names import record_label
from review.models import EDITABLE_STATES, Action, Owner, Reviewable, ReviewEvent, State
from review.roles import officer_region
from statistics.models import ImportRun

QUEUE_LIMIT = 200
RECENT_RUNS = 10


def reviewed_models() -> list:
    """Every concrete reviewed model, in the order of ``INSTALLED_APPS``."""
    return [model for model in apps.get_models() if issubclass(model, Reviewable)]


def kind_key(model) -> str:
    return model._meta.label_lower


def change_url(obj) -> str:
    try:
        return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""


@dataclass
class Item:
    """One reviewed record as the landing page shows it."""

    record: object
    link: str
    reason: str = ""
    returned_at: object = None

    @property
    def kind(self) -> str:
        return self.record._meta.verbose_name

    @property
    def state(self) -> str:
        return self.record.state

    @property
    def state_label(self) -> str:
        return State(self.record.state).label

    @property
    def label(self) -> str:
        """The record in the reader's language: its region's name (the English one in English) and its year."""
        return record_label(self.record)

    @property
    def needs_work(self) -> bool:
        return self.record.state in EDITABLE_STATES


@dataclass
class OpenPeriod:
    year: int
    deadline: date
    days_left: int
    started: bool = False

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)


def open_periods(today: date | None = None, region=None) -> list[OpenPeriod]:
    """The open reporting periods (``returns.periods``: every period headquarters has set; a late return is still
    accepted), soonest deadline first; ``started`` when the region has its return; ``days_left`` below 0 when late."""
    from returns.models import AnnualReturn
    from returns.periods import open_periods as defined_periods

    today = today or timezone.localdate()
    periods = sorted(defined_periods(), key=lambda period: (period.deadline, period.year))
    started = set()
    if region is not None and periods:
        years = [period.year for period in periods]
        started = set(AnnualReturn.objects.filter(region=region, year__in=years).values_list("year", flat=True))
    return [OpenPeriod(p.year, p.deadline, (p.deadline - today).days, p.year in started) for p in periods]


def _base(model):
    queryset = model._default_manager.all()
    if model.review_region_field:
        queryset = queryset.select_related(model.review_region_field)
    return queryset


def _latest_reasons(records) -> dict:
    """(content type id, object id) → the latest return or reopen event of each record: one query for all."""
    from django.contrib.contenttypes.models import ContentType

    condition = Q()
    keys = {}
    for record in records:
        content_type = ContentType.objects.get_for_model(record)  # cached by Django after the first per model
        keys.setdefault(content_type.pk, []).append(record.pk)
    for content_type_id, ids in keys.items():
        condition |= Q(content_type_id=content_type_id, object_id__in=ids)
    if not keys:
        return {}
    latest = {}
    events = ReviewEvent.objects.filter(condition, action__in=[Action.RETURN, Action.REOPEN]).order_by("at", "pk")
    for event in events.only("content_type_id", "object_id", "comment", "at"):
        latest[(event.content_type_id, event.object_id)] = event
    return latest


def _items(records) -> list[Item]:
    from django.contrib.contenttypes.models import ContentType

    reasons = _latest_reasons(records)
    items = []
    for record in records:
        event = reasons.get((ContentType.objects.get_for_model(record).pk, record.pk))
        returned = event is not None and record.state in (State.RETURNED, State.REOPENED)
        items.append(
            Item(
                record,
                change_url(record),
                reason=event.comment if returned else "",
                returned_at=event.at if returned else None,
            )
        )
    return items


def officer_records(user) -> list[Item]:
    """Every record of the officer's region, of every kind the region prepares: those needing work first."""
    region = officer_region(user)
    if region is None:
        return []
    records = []
    for model in reviewed_models():
        if model.review_owner != Owner.REGION or not model.review_region_field:
            continue
        queryset = _base(model).filter(**{model.review_region_field: region}).order_by("-pk")
        records += list(queryset[:QUEUE_LIMIT])
    order = {State.RETURNED: 0, State.REOPENED: 0, State.DRAFT: 1, State.SUBMITTED: 2, State.APPROVED: 3}
    records.sort(key=lambda record: order.get(record.state, 4))
    return _items(records)


@dataclass
class QueueFilters:
    kind: str = ""
    region: str = ""
    year: int | None = None
    kinds: list = field(default_factory=list)


def queue_filters(params) -> QueueFilters:
    """The queue's filters from a query string; an unknown kind or a malformed year is ignored, never a 500."""
    kinds = [(kind_key(model), model._meta.verbose_name_plural) for model in reviewed_models()]
    kind = params.get("kind", "")
    year = (params.get("year") or "").strip()
    return QueueFilters(
        kind=kind if kind in dict(kinds) else "",
        region=(params.get("region") or "").strip()[:20],
        year=int(year) if year.isdigit() and len(year) == 4 else None,
        kinds=kinds,
    )


def _has_field(model, name) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def review_queue(filters: QueueFilters | None = None) -> list[Item]:
    """Everything submitted, of every kind, oldest submission first: headquarters' work list."""
    filters = filters or QueueFilters()
    records = []
    for model in reviewed_models():
        if filters.kind and kind_key(model) != filters.kind:
            continue
        queryset = _base(model).filter(state=State.SUBMITTED)
        if filters.region:
            if not model.review_region_field:
                continue
            queryset = queryset.filter(**{f"{model.review_region_field}__code": filters.region})
        if filters.year is not None:
            if _has_field(model, "year"):
                queryset = queryset.filter(year=filters.year)
            else:
                queryset = queryset.filter(submitted_at__year=filters.year)
        records += list(queryset.order_by("submitted_at", "pk")[:QUEUE_LIMIT])
    oldest = timezone.now()
    records.sort(key=lambda record: (record.submitted_at or oldest, record._meta.label_lower, record.pk))
    return [Item(record, change_url(record)) for record in records[:QUEUE_LIMIT]]


def tracker_summary(year: int | None = None):
    """The tracker's counts for the latest open period (or the given year): submitted and approved of all regions."""
    from returns.services import tracker

    if year is None:
        periods = open_periods()
        if not periods:
            return None
        year = max(period.year for period in periods)
    return tracker(year)


@dataclass
class RunRow:
    """An import run with the words the page shows for it (its starter in the reader's language)."""

    run: ImportRun

    @property
    def who(self) -> str:
        from statistics.run_labels import origin_label

        return str(self.run.user) if self.run.user_id else str(origin_label(self.run.origin))


def recent_import_runs() -> list[RunRow]:
    runs = ImportRun.objects.select_related("user").order_by("-started_at", "-pk")
    return [RunRow(run) for run in runs[:RECENT_RUNS]]


def failed_import_runs() -> list[RunRow]:
    failed = ImportRun.objects.filter(status__in=[ImportRun.Status.FAILED, ImportRun.Status.REFUSED])
    return [RunRow(run) for run in failed.select_related("user").order_by("-started_at", "-pk")[:RECENT_RUNS]]
