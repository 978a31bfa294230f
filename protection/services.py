"""The registry's rules that span models: year-end counts, the reconciliation with the published totals, the
region × kind summary, and officers' change requests.

Counts read only the entries (what reviewers approved and administrators imported), never pending changes.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from review import services as review
from statistics.models import Region

from . import lifecycle
from .models import Centre, Level, Platform, ProvincialCount, PublishedTotal, RegistryChange, Status, Workstation
from .models.published import ENTRY_REGISTERS, Register

WHAT = {"centres": Register.CENTRES, "platforms": Register.PLATFORMS, "workstations": Register.WORKSTATIONS}
RECONCILED_YEARS = (2024, 2025)


# ---------------------------------------------------------------------------------------------------------------
# Year-end counts
# ---------------------------------------------------------------------------------------------------------------


def operating_entries(model, year: int):
    """The named entries of ``model`` operating at the end of ``year``."""
    return model.objects.filter(lifecycle.operating_at_end_of(year, model.start_field))


def known_by(model, year: int):
    """The named entries the registry knows of at the end of ``year``: a stage (closing aside) recorded in or before
    ``year``, or no stage year at all (described by the report without a date)."""
    years = [name for status, name in model.stages if status != Status.CLOSED]
    no_year = Q(**{f"{name}__isnull": True for name in years})
    some_year_by = Q()
    for name in years:
        some_year_by |= Q(**{f"{name}__lte": year})
    return model.objects.filter(no_year | some_year_by)


def exact_counts(year: int, register, **filters):
    """Provincial counts of entries operating at the end of ``year`` that count only their own kind."""
    return ProvincialCount.objects.filter(year=year, register=register, status=Status.OPERATING, exact=True, **filters)


def _region(region) -> Region:
    if isinstance(region, Region):
        return region
    if isinstance(region, int):
        return Region.objects.get(pk=region)
    return Region.objects.lookup(str(region))


def operating_count(region, year: int, what: str) -> int | None:
    """The approved registry's count behind the annual return's 表4 No. 13 and No. 14.

    ``what`` is "centres" (national-level IP protection centres, 国家级知识产权保护中心, operating at the end of
    ``year``; rapid rights-protection centres are not protection centres) or "platforms" (overseas dispute-response
    guidance platforms of every kind operating at the end of ``year``). Named entries and the province's own counts
    of unnamed entries are added up. Returns None when the registry has nothing for that region and year: no entry
    known by then and no count for that year.
    """
    register = WHAT[what]
    region = _region(region)
    if register == Register.CENTRES:
        model, named_filter, count_filter = (
            Centre,
            {"kind": Centre.Kind.PROTECTION, "level": Level.NATIONAL},
            {"kind": Centre.Kind.PROTECTION, "level": Level.NATIONAL},
        )
    elif register == Register.PLATFORMS:
        model, named_filter, count_filter = Platform, {}, {}
    else:
        model, named_filter, count_filter = Workstation, {}, {}
    known = known_by(model, year).filter(region=region).exists()
    any_count = ProvincialCount.objects.filter(region=region, year=year, register=register, exact=True).exists()
    if not known and not any_count:
        return None
    named = operating_entries(model, year).filter(region=region, **named_filter).count()
    counted = exact_counts(year, register, region=region, **count_filter).aggregate(total=Sum("number"))["total"]
    return named + (counted or 0)


# ---------------------------------------------------------------------------------------------------------------
# Reconciliation with the published totals
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class ReconciliationRow:
    label: str
    named: int
    counted: int
    published: Decimal | None
    published_note: str = ""
    source: str = ""
    derived: bool = False

    @property
    def registry(self) -> int:
        return self.named + self.counted

    @property
    def gap(self) -> int | None:
        return None if self.published is None else int(self.published) - self.registry


@dataclass
class PublishedSum:
    """Last year's published total plus what the report says was added this year, against this year's total.

    The report's own figures need not add up: for centres, 124 (end of 2024) + 5 + 2 added in 2025 = 131, but it
    prints 129. The reconciliation says so, with the numbers, rather than choosing one of them.
    """

    year: int
    before: PublishedTotal
    added: list[PublishedTotal]
    total: PublishedTotal

    @property
    def expected(self) -> Decimal:
        return self.before.value + sum((added.value for added in self.added), Decimal(0))

    @property
    def difference(self) -> Decimal:
        return self.total.value - self.expected

    @property
    def consistent(self) -> bool:
        return self.difference == 0

    @property
    def added_printed(self) -> str:
        return " + ".join(added.printed for added in self.added)


@dataclass
class Reconciliation:
    year: int
    kind: str
    total: ReconciliationRow
    parts: list[ReconciliationRow] = field(default_factory=list)
    published_sum: PublishedSum | None = None


KINDS = {
    "centres": gettext_lazy("protection centres and rapid rights-protection centres (national level)"),
    "platforms": gettext_lazy("overseas dispute-response guidance platforms"),
}


def _published(year: int, measure: str) -> PublishedTotal | None:
    return PublishedTotal.objects.filter(year=year, measure=measure).first()


def _row(label, named, counted, total: PublishedTotal | None) -> ReconciliationRow:
    return ReconciliationRow(
        label=str(label),
        named=named,
        counted=counted,
        published=total.value if total else None,
        published_note=total.printed if total else "",
        source=total.source if total else "",
    )


def _derived_total(year: int, measure: str, added_measure: str) -> tuple[Decimal | None, str]:
    """A per-kind total the report does not print: last year's total plus what was added this year."""
    before, added = _published(year - 1, measure), _published(year, added_measure)
    if before is None or added is None:
        return None, ""
    return before.value + added.value, _("%(before)s (end of %(last)s) + %(added)s added in %(year)s") % {
        "before": before.printed,
        "last": year - 1,
        "added": added.printed,
        "year": year,
    }


# The "added during the year" totals that, with last year's total, should make this year's: either one total for
# everything added, or one per kind.
ADDED_MEASURES = {
    "centres": (
        PublishedTotal.Measure.CENTRES,
        [PublishedTotal.Measure.CENTRES_ADDED],
        [PublishedTotal.Measure.CENTRES_PROTECTION_ADDED, PublishedTotal.Measure.CENTRES_RAPID_ADDED],
    ),
    "platforms": (
        PublishedTotal.Measure.PLATFORMS,
        [PublishedTotal.Measure.PLATFORMS_ADDED],
        [
            PublishedTotal.Measure.PLATFORMS_LOCAL_ADDED,
            PublishedTotal.Measure.PLATFORMS_INDUSTRY_ADDED,
            PublishedTotal.Measure.PLATFORMS_OVERSEAS_ADDED,
        ],
    ),
}


def published_sum(year: int, kind: str) -> PublishedSum | None:
    """Do the published totals add up (last year's + this year's additions = this year's)? None when the report
    does not print all of them."""
    measure, overall, by_kind = ADDED_MEASURES[kind]
    total, before = _published(year, measure), _published(year - 1, measure)
    if total is None or before is None:
        return None
    for measures in (overall, by_kind):
        added = [_published(year, each) for each in measures]
        if all(added):
            return PublishedSum(year, before, added, total)
    return None


def reconciliation(year: int, kind: str) -> Reconciliation:
    """``_reconciliation`` below, with the check whether the report's own totals add up."""
    result = _reconciliation(year, kind)
    result.published_sum = published_sum(year, kind)
    return result


def _reconciliation(year: int, kind: str) -> Reconciliation:
    """The registry's operating entries at the end of ``year`` next to the published national total, with the gap.

    Centres: national-level protection centres and rapid centres together (the report's "总数达 129 家"), with a
    row per kind. Platforms: every kind together, with a row per kind; where the report prints a kind's total only
    for the year before and what was added in ``year``, the kind's total is derived from the two and marked so.
    """
    if kind == "centres":
        named = operating_entries(Centre, year).filter(level=Level.NATIONAL)
        counts = exact_counts(year, Register.CENTRES, level=Level.NATIONAL)
        parts = []
        for centre_kind in Centre.Kind:
            parts.append(
                _row(
                    centre_kind.label,
                    named.filter(kind=centre_kind).count(),
                    counts.filter(kind=centre_kind).aggregate(total=Sum("number"))["total"] or 0,
                    None,
                )
            )
        total = _row(
            KINDS[kind],
            named.count(),
            counts.aggregate(total=Sum("number"))["total"] or 0,
            _published(year, PublishedTotal.Measure.CENTRES),
        )
        return Reconciliation(year, kind, total, parts)
    if kind == "platforms":
        named = operating_entries(Platform, year)
        counts = exact_counts(year, Register.PLATFORMS)
        parts = []
        for platform_kind in Platform.Kind:
            row = _row(
                platform_kind.label,
                named.filter(kind=platform_kind).count(),
                counts.filter(kind=platform_kind).aggregate(total=Sum("number"))["total"] or 0,
                _published(year, f"platforms_{platform_kind.value}"),
            )
            if row.published is None:
                value, note = _derived_total(
                    year, f"platforms_{platform_kind.value}", f"platforms_{platform_kind.value}_added"
                )
                row.published, row.published_note, row.derived = value, note, value is not None
            parts.append(row)
        unspecified = counts.filter(kind="").aggregate(total=Sum("number"))["total"] or 0
        if unspecified:
            parts.append(_row(_("kind not stated"), 0, unspecified, None))
        total = _row(
            KINDS[kind],
            named.count(),
            counts.aggregate(total=Sum("number"))["total"] or 0,
            _published(year, PublishedTotal.Measure.PLATFORMS),
        )
        return Reconciliation(year, kind, total, parts)
    raise ValueError(f"unknown kind {kind!r}")


# ---------------------------------------------------------------------------------------------------------------
# Region × kind summary
# ---------------------------------------------------------------------------------------------------------------


SUMMARY_COLUMNS = (
    [("centre", kind.value, kind.label) for kind in Centre.Kind]
    + [("platform", kind.value, kind.label) for kind in Platform.Kind]
    + [("workstation", kind.value, kind.label) for kind in Workstation.Kind]
)


def summary(status: str | None = None) -> dict:
    """Named entries by region × kind (one grouped query per registry), plus the provinces' counts of unnamed ones.

    Rows are province-level regions in the report's order, then "no region" for national entries; the last row
    holds the column totals.
    """
    cells: dict[tuple, int] = {}
    for prefix, model in (("centre", Centre), ("platform", Platform), ("workstation", Workstation)):
        queryset = model.objects.all()
        if status:
            queryset = queryset.filter(status=status)
        for row in queryset.values("region_id", "kind").annotate(n=Count("pk")):
            cells[(row["region_id"], prefix, row["kind"])] = row["n"]
    counts: dict[int, int] = {}
    count_rows = ProvincialCount.objects.filter(exact=True, register__in=ENTRY_REGISTERS)
    if status:
        count_rows = count_rows.filter(status=status)
    for row in count_rows.values("region_id").annotate(n=Sum("number")):
        counts[row["region_id"]] = row["n"]
    regions = list(Region.objects.province_level().order_by("display_order"))
    rows = []
    for region in [*regions, None]:
        region_id = region.pk if region else None
        values = [cells.get((region_id, prefix, kind), 0) for prefix, kind, _label in SUMMARY_COLUMNS]
        unnamed = counts.get(region_id, 0)
        if any(values) or unnamed:
            rows.append({"region": region, "values": values, "total": sum(values), "unnamed": unnamed})
    totals = [sum(row["values"][index] for row in rows) for index in range(len(SUMMARY_COLUMNS))]
    return {
        "columns": [label for _prefix, _kind, label in SUMMARY_COLUMNS],
        "rows": rows,
        "totals": totals,
        "grand_total": sum(totals),
        "unnamed_total": sum(row["unnamed"] for row in rows),
        # What provinces count beside the registries (湖北's 1163 保护工作站 …): listed as printed, never added in.
        "station_counts": list(
            ProvincialCount.objects.filter(register=Register.LOCAL_STATIONS).select_related("region")
        ),
    }


# ---------------------------------------------------------------------------------------------------------------
# Officers' change requests
# ---------------------------------------------------------------------------------------------------------------


class ChangeRefused(review.Invalid):
    """Proposed values that break a rule; ``fields`` maps each field name to its messages."""

    def __init__(self, fields: dict[str, list[str]], messages: list[str]):
        super().__init__(messages)
        self.fields = fields


def _check_values(change: RegistryChange) -> None:
    if change.target_type not in RegistryChange.Target.values:
        raise ChangeRefused({"target_type": [_("Choose what to change.")]}, [_("Choose what to change.")])
    problems = change.problems()
    if problems:
        raise ChangeRefused(problems, change.labelled_problems())


@transaction.atomic
def propose(user, target_type: str, target_id=None, values=None, explanation: str = "") -> RegistryChange:
    """A new draft change by an officer, for an entry of the officer's own region (or a new entry there).

    Refused (``NotAllowed``) outside the officer's region, and (``ChangeRefused``, field by field) when the values
    break a rule that a direct save would enforce. Nothing is saved when refused. The admin's entry forms, the
    change's own admin form and the API all create changes here.
    """
    change = RegistryChange(target_type=target_type, target_id=target_id, values=values or {}, explanation=explanation)
    _check_values(change)
    entry, _problems = change.build()
    region = change.region_of(entry)
    review.check_can_create(user, region)
    change.region = region
    change.modified_by = user
    change.rebase()
    change.save()
    return change


@transaction.atomic
def revise(change: RegistryChange, user, values=None, explanation=None, expected_version=None) -> RegistryChange:
    """The officer changes the values of a draft or returned change (guarded by its version); the change is rebased
    on the entry as it is now. Returns the saved change, read again; ``change`` itself is not modified."""
    locked = review.guard_edit(change, user, expected_version)
    if values is not None:
        locked.values = values
    if explanation is not None:
        locked.explanation = explanation
    _check_values(locked)
    entry, _problems = locked.build()
    if locked.region_of(entry) != locked.region:
        raise ChangeRefused(
            {"region": [_("A change cannot move to another region.")]}, [_("A change cannot move to another region.")]
        )
    locked.rebase()
    locked.save()
    return locked
