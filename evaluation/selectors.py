"""Reads of the evaluation app's report data that carry a rule, for the API, the pages, the command and the engine.

``fitted_first_level_weights(year)`` is what the scoring engine's default method reads: the regional
composite's first-level weights fitted to the published figures, and the residual of each figure.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from . import fitting
from .models import (
    FrameworkGroup,
    FrameworkIndicator,
    IndexKind,
    Measure,
    Membership,
    PublishedResult,
    ScopeKind,
    Status,
)

#: Scopes whose composite is the weighted sum of their sub-indices if the index is arithmetic: averages, not medians.
FITTING_SCOPES = (ScopeKind.NATIONAL, ScopeKind.MEAN, ScopeKind.FOUR_REGION, ScopeKind.STRATEGIC_REGION)


def published_results() -> QuerySet:
    """Every stored result, joined with what its representation names (one query for any page size)."""
    return PublishedResult.objects.select_related("scope", "scope__region", "component", "compared_with")


def framework_groups() -> QuerySet:
    return FrameworkGroup.objects.select_related("parent", "catalogue_group")


def framework_indicators() -> QuerySet:
    return FrameworkIndicator.objects.select_related("group", "group__parent", "catalogue_indicator")


def memberships() -> QuerySet:
    return Membership.objects.select_related("group", "province")


def first_level_groups(framework: str) -> list[FrameworkGroup]:
    return list(FrameworkGroup.objects.filter(framework=framework, parent=None).order_by("position"))


@dataclass(frozen=True)
class Figures:
    """Rows of published sub-indices (columns in the groups' order) with their composite, and what each row is."""

    groups: list[FrameworkGroup]
    labels: list[dict]  # {"scope": …, "year": …, "status": …} per row
    subindices: list[list[float]]
    composites: list[float]


def complete_figures(index: str, years: tuple[int, ...]) -> Figures:
    """The scopes of ``years`` for which the report gives the composite and every sub-index (scores only).

    Medians and single provinces are left out (see ``FITTING_SCOPES``). Rows come in the scopes' printed order.
    """
    groups = first_level_groups(index)
    results = (
        PublishedResult.objects.filter(
            index=index, year__in=years, measure=Measure.SCORE, scope__kind__in=FITTING_SCOPES, value__isnull=False
        )
        .select_related("scope")
        .order_by("-year", "scope__position")
    )
    table: dict[tuple, dict] = {}
    for result in results:
        row = table.setdefault((result.year, result.scope_id), {"scope": result.scope.name_zh, "year": result.year})
        row[result.component_id] = result
    labels, subindices, composites = [], [], []
    for row in table.values():
        if row.get(None) is None or any(row.get(group.pk) is None for group in groups):
            continue
        members = [row[None], *(row[group.pk] for group in groups)]
        status = Status.DERIVED if any(m.status == Status.DERIVED for m in members) else Status.PUBLISHED
        labels.append({"scope": row["scope"], "year": row["year"], "status": str(status)})
        subindices.append([float(row[group.pk].value) for group in groups])
        composites.append(float(row[None].value))
    return Figures(groups=groups, labels=labels, subindices=subindices, composites=composites)


def regional_weight_fit(year: int) -> dict:
    """Least-squares weights (Σ = 1, ≥ 0) of the regional composite over the year's published figures."""
    figures = complete_figures(IndexKind.REGIONAL, (year,))
    if not figures.subindices:
        return {"weights": {}, "residuals": [], "figures": 0}
    fit = fitting.fit_simplex_least_squares(figures.subindices, figures.composites)
    return {
        "weights": {group.name_zh: round(float(w), 6) for group, w in zip(figures.groups, fit.weights, strict=True)},
        "residuals": [
            {**label, "published": composite, "fitted": round(composite + float(r), 4), "residual": round(float(r), 4)}
            for label, composite, r in zip(figures.labels, figures.composites, fit.residuals, strict=True)
        ],
        "figures": len(figures.subindices),
    }


def national_scheme_comparison(year: int) -> dict:
    """Named weighting schemes of the national composite, each with its residuals against the printed composite.

    The figures are the year's printed composite and sub-indices and the previous year's that their increments
    imply (status *derived*); ``best`` is the scheme with the smallest largest residual.
    """
    figures = complete_figures(IndexKind.NATIONAL, (year, year - 1))
    groups = figures.groups
    if not figures.subindices:
        return {"schemes": [], "best": None}
    current = next(i for i, label in enumerate(figures.labels) if label["year"] == year)
    schemes = [
        ("equal", fitting.equal_weights(len(groups))),
        ("indicator_count", fitting.proportional_weights([group.indicator_count for group in groups])),
        (
            f"nearest_to_equal_exact_{year}",
            fitting.nearest_to_equal_weights(figures.subindices[current], figures.composites[current]),
        ),
    ]
    described = []
    for name, weights in schemes:
        residuals = fitting.scheme_residuals(weights, figures.subindices, figures.composites)
        described.append(
            {
                "name": name,
                "weights": {group.name_zh: round(float(w), 6) for group, w in zip(groups, weights, strict=True)},
                "residuals": [
                    {**label, "published": composite, "residual": round(float(r), 4)}
                    for label, composite, r in zip(figures.labels, figures.composites, residuals, strict=True)
                ],
                "max_residual": round(float(max(abs(r) for r in residuals)), 4),
            }
        )
    best = min(described, key=lambda scheme: scheme["max_residual"])["name"]
    return {"schemes": described, "best": best}


def fitted_first_level_weights(year: int, index: str = IndexKind.REGIONAL) -> dict:
    """Names → weights of the composite's first-level groups, "fitted to the published figures", with residuals.

    Regional: the least-squares fit. National: the best named scheme. Returns ``{"index", "year", "method",
    "weights": {name: w}, "residuals": [...]}``; ``weights`` is empty when the year has no complete figures.
    """
    if index == IndexKind.REGIONAL:
        fit = regional_weight_fit(year)
        return {
            "index": str(index),
            "year": year,
            "method": "constrained least squares (sum 1, non-negative)",
            "weights": fit["weights"],
            "residuals": fit["residuals"],
        }
    comparison = national_scheme_comparison(year)
    best = next((s for s in comparison["schemes"] if s["name"] == comparison["best"]), None)
    return {
        "index": str(index),
        "year": year,
        "method": f"named scheme: {comparison['best']}",
        "weights": best["weights"] if best else {},
        "residuals": best["residuals"] if best else [],
    }


def weight_fit_report(year: int) -> dict:
    """The command's JSON: ``{"regional": {"weights", "residuals"}, "national": {"schemes", "best"}}``."""
    regional = regional_weight_fit(year)
    return {
        "regional": {"weights": regional["weights"], "residuals": regional["residuals"]},
        "national": national_scheme_comparison(year),
    }
