"""The lifecycle of a registry entry, and its rules, written once.

A centre goes applying (申建) → approved for construction (获批建设) → under construction (筹建/建设) → accepted
(通过验收) → operating (运行) → closed. Each stage has a year. The report gives years, not days ("新建 … 2025",
"2024 年 7 月建成运行"), and the registry counts entries operating at the end of a year, so a year is the precision
the registry keeps. Platforms and workstations have a shorter lifecycle: established (设立/获批) and closed.

``check`` returns field-level problems; every model's ``clean()`` calls it, so the admin, the API, imports and
officers' change requests all refuse the same things with the same messages.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Status(models.TextChoices):
    APPLYING = "applying", gettext_lazy("applying (申建)")
    APPROVED = "approved", gettext_lazy("approved for construction (获批建设)")
    CONSTRUCTION = "construction", gettext_lazy("under construction (筹建/建设)")
    ACCEPTED = "accepted", gettext_lazy("accepted (通过验收)")
    OPERATING = "operating", gettext_lazy("operating (运行)")
    CLOSED = "closed", gettext_lazy("closed")


ORDER = [Status.APPLYING, Status.APPROVED, Status.CONSTRUCTION, Status.ACCEPTED, Status.OPERATING, Status.CLOSED]

# Statuses a platform or workstation can have: it is approved, set up, working, or closed.
SHORT_STATUSES = [Status.APPROVED, Status.CONSTRUCTION, Status.OPERATING, Status.CLOSED]
SHORT_STATUS_CHOICES = [(status.value, status.label) for status in SHORT_STATUSES]

FIRST_YEAR, LAST_YEAR = 1980, 2100


def check(entry, stages: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Problems of ``entry``'s lifecycle, keyed by field name.

    ``stages`` lists (status, year field) in lifecycle order. Refused: a year before an earlier stage's year (the
    lifecycle going backwards), a year for a stage the entry has not reached, and a closed entry without its
    closing year.
    """
    problems: dict[str, list[str]] = {}
    position = ORDER.index(Status(entry.status)) if entry.status in Status.values else None
    latest = None  # (year, field) of the latest filled earlier stage
    for status, field in stages:
        year = getattr(entry, field)
        label = entry._meta.get_field(field).verbose_name
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            problems.setdefault(field, []).append(
                _("%(field)s must be a year between %(first)s and %(last)s, not %(year)s.")
                % {"field": label, "first": FIRST_YEAR, "last": LAST_YEAR, "year": year}
            )
            continue
        if year is not None and latest is not None and year < latest[0]:
            problems.setdefault(field, []).append(
                _("%(field)s (%(year)s) is before %(earlier)s (%(earlier_year)s): a lifecycle cannot go backwards.")
                % {
                    "field": label,
                    "year": year,
                    "earlier": entry._meta.get_field(latest[1]).verbose_name,
                    "earlier_year": latest[0],
                }
            )
        if year is not None and position is not None and ORDER.index(status) > position:
            problems.setdefault(field, []).append(
                _("%(field)s is filled in, but the status is “%(status)s”: change the status or clear this year.")
                % {"field": label, "status": Status(entry.status).label}
            )
        if year is not None:
            latest = (year, field)
    closing = dict((status, field) for status, field in stages).get(Status.CLOSED)
    if closing and entry.status == Status.CLOSED and getattr(entry, closing) is None:
        problems.setdefault(closing, []).append(
            _("A closed entry needs the year it closed.")  # without it, no year-end count can be made
        )
    return problems


def operating_at_end_of(year: int, start_field: str) -> Q:
    """Entries operating on 31 December of ``year``.

    Operating now, or closed in a later year; and started in or before ``year``. An entry whose start year is
    unknown counts as started before the registry's first year: the report describes many centres as operating
    without saying since when.
    """
    running = Q(status=Status.OPERATING) | Q(status=Status.CLOSED, closed_year__gt=year)
    started = Q(**{f"{start_field}__isnull": True}) | Q(**{f"{start_field}__lte": year})
    return running & started
