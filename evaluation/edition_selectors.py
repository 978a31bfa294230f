"""Reads of editions and their stored scores, with the rules of who sees what.

- Headquarters (reviewers, administrators) sees every edition, drafts and embargoed ones included.
- Everyone else sees only published editions (approved) whose embargo has passed.

The pages, the API and the province-page section all read through here, with a fixed number of queries per call.
Published results (the report's) are read from ``evaluation.selectors``; they are put *beside* computed scores,
never mixed into them.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from review.selectors import readable

from .models import (
    Edition,
    EditionAggregate,
    EditionIndicatorScore,
    EditionNationalScore,
    EditionScore,
    FrameworkGroup,
    IndexKind,
    Measure,
    PublishedResult,
    ScopeKind,
)


def public_editions() -> QuerySet:
    return Edition.objects.filter(Edition.published_condition())


def visible_editions(user) -> QuerySet:
    return readable(user, Edition.objects.all())


def edition_for(user, edition_id=None, year: int | None = None) -> Edition | None:
    """The edition a page shows: the one asked for (if the user may see it), else the latest published one that
    has scores for ``year`` (any year when None)."""
    editions = visible_editions(user)
    if edition_id:
        try:
            return editions.get(pk=int(edition_id))
        except (Edition.DoesNotExist, ValueError, TypeError):
            return None
    public = public_editions()
    if year is not None:
        public = public.filter(scores__year=year).distinct()
    return public.order_by("-published_at", "-year", "-number").first()


def edition_years(edition: Edition) -> list[int]:
    return sorted(set(edition.inputs.get("evaluation_years", [])), reverse=True)


def regional_components() -> list[FrameworkGroup]:
    return list(FrameworkGroup.objects.filter(framework=IndexKind.REGIONAL, parent=None).order_by("position", "pk"))


def national_components() -> list[FrameworkGroup]:
    return list(FrameworkGroup.objects.filter(framework=IndexKind.NATIONAL, parent=None).order_by("position", "pk"))


def ranking(edition: Edition, year: int, component=None) -> list[EditionScore]:
    """Every province's score for the composite (``component`` None) or a sub-index, best first."""
    return list(
        EditionScore.objects.filter(edition=edition, year=year, component=component)
        .select_related("region")
        .order_by("rank", "region__display_order")
    )


def previous_scores(edition: Edition, year: int, component=None) -> dict[int, float]:
    """Region id → the same edition's score a year earlier (for the increments)."""
    return dict(
        EditionScore.objects.filter(edition=edition, year=year - 1, component=component).values_list(
            "region_id", "value"
        )
    )


@dataclass
class Comparison:
    """One scope and component: the computed average beside the printed one. Never added together."""

    scope: object
    component: object
    computed: float | None
    computed_change: float | None
    published: object  # PublishedResult or None
    members: int


def regional_comparison(edition: Edition, year: int) -> list[Comparison]:
    """The mean and median of all provinces, the four regions and the strategic regions, computed and printed."""
    computed = list(
        EditionAggregate.objects.filter(edition=edition, year__in=[year, year - 1])
        .select_related("scope", "component")
        .order_by("scope__position", "component__position")
    )
    earlier = {(a.scope_id, a.component_id): a.value for a in computed if a.year == year - 1}
    printed = {
        (result.scope_id, result.component_id): result
        for result in PublishedResult.objects.filter(
            index=IndexKind.REGIONAL,
            year=year,
            measure=Measure.SCORE,
            scope__kind__in=[ScopeKind.MEAN, ScopeKind.MEDIAN, ScopeKind.FOUR_REGION, ScopeKind.STRATEGIC_REGION],
        )
    }
    rows = []
    for aggregate in computed:
        if aggregate.year != year:
            continue
        before = earlier.get((aggregate.scope_id, aggregate.component_id))
        change = aggregate.value - before if aggregate.value is not None and before is not None else None
        rows.append(
            Comparison(
                scope=aggregate.scope,
                component=aggregate.component,
                computed=aggregate.value,
                computed_change=change,
                published=printed.get((aggregate.scope_id, aggregate.component_id)),
                members=aggregate.members,
            )
        )
    return rows


def province_breakdown(edition: Edition, region, year: int) -> list[EditionIndicatorScore]:
    return list(
        EditionIndicatorScore.objects.filter(edition=edition, region=region, year=year)
        .select_related("indicator", "indicator__group", "indicator__group__parent", "indicator__catalogue_indicator")
        .order_by("indicator__number")
    )


def strengths_and_weaknesses(rows: list[EditionIndicatorScore], count: int = 5):
    """The indicators that lift the province's composite most above, and pull it most below, a province with the
    mean normalised value (``points_vs_mean``)."""
    moving = [row for row in rows if row.normalised is not None and row.weight > 0]
    ordered = sorted(moving, key=lambda row: row.points_vs_mean, reverse=True)
    strengths = [row for row in ordered[:count] if row.points_vs_mean > 0]
    weaknesses = [row for row in reversed(ordered[-count:]) if row.points_vs_mean < 0]
    return strengths, weaknesses


def components_with_scores(edition: Edition) -> set[int]:
    """The first-level groups that have a computed score for some province (the others have no indicator with a
    value yet, and their weight is re-spread over the rest)."""
    return set(
        EditionScore.objects.filter(edition=edition, component__isnull=False, value__isnull=False)
        .order_by()
        .values_list("component_id", flat=True)
        .distinct()
    )


def province_scores(edition: Edition, region) -> list[EditionScore]:
    return list(
        EditionScore.objects.filter(edition=edition, region=region)
        .select_related("component")
        .order_by("-year", "component__position")
    )


def national_series(edition: Edition | None) -> list[EditionNationalScore]:
    if edition is None:
        return []
    return list(EditionNationalScore.objects.filter(edition=edition).select_related("component").order_by("year"))


def printed_regional_years() -> list[int]:
    return list(
        PublishedResult.objects.filter(index=IndexKind.REGIONAL, measure=Measure.SCORE)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def published_national() -> list[PublishedResult]:
    """The printed national composite and sub-indices (scope 全国), every year, published and derived."""
    return list(
        PublishedResult.objects.filter(index=IndexKind.NATIONAL, measure=Measure.SCORE, scope__kind=ScopeKind.NATIONAL)
        .select_related("component")
        .order_by("year", "component__position")
    )
